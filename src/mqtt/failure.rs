//! Why a connection failed, as kinds: each kind knows its words for the status
//! bar, whether retrying can help, and whether the broker closed a connection
//! that was up (which, repeated, means another client is fighting over the id).

use super::reasons;
use super::settings::MqttVersion;

mod proxy;

pub use proxy::ProxyProblem;

/// What to do after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Try again after a backoff: the cause may go away (broker restarting, network down).
    Later,
    /// Stop: the same settings will fail the same way (bad credentials, refused client id).
    Never,
}

/// A connection failure. `broker` is the broker's address as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// CONNACK: bad user name or password.
    #[error("{}", reasons::bad_login(.broker, .user.as_deref(), *.version))]
    RefusedCredentials {
        /// The broker.
        broker: String,
        /// The user name sent, if any.
        user: Option<String>,
        /// The protocol version spoken.
        version: MqttVersion,
    },
    /// CONNACK: not authorized.
    #[error("{}", reasons::not_authorized(.broker, .user.as_deref(), *.version))]
    NotAuthorized {
        /// The broker.
        broker: String,
        /// The user name sent, if any.
        user: Option<String>,
        /// The protocol version spoken.
        version: MqttVersion,
    },
    /// CONNACK: the client id is not accepted.
    #[error("{}", reasons::client_id_refused(.broker, .client_id, *.version))]
    RefusedClientId {
        /// The broker.
        broker: String,
        /// The client id sent.
        client_id: String,
        /// The protocol version spoken.
        version: MqttVersion,
    },
    /// CONNACK: the broker does not speak this protocol version.
    #[error("{}", reasons::protocol_refused(.broker, *.version))]
    UnsupportedProtocol {
        /// The broker.
        broker: String,
        /// The protocol version refused.
        version: MqttVersion,
    },
    /// CONNACK: refused for another reason that stays (banned, wrong authentication
    /// method, moved, CONNECT too large).
    #[error("{broker} {words}")]
    Refused {
        /// The broker.
        broker: String,
        /// The reason code in words.
        words: String,
    },
    /// CONNACK: the broker cannot take the connection now (unavailable, busy, quota).
    #[error("{broker} {words}")]
    BrokerUnavailable {
        /// The broker.
        broker: String,
        /// The reason code in words.
        words: String,
    },
    /// A certificate problem, which stays until a setting or a certificate changes.
    #[error("TLS with {broker} failed: {why}")]
    Certificate {
        /// The broker.
        broker: String,
        /// Which certificate, and why.
        why: String,
    },
    /// A TLS handshake failure that may pass.
    #[error("TLS with {broker} failed: {why}")]
    TlsHandshake {
        /// The broker.
        broker: String,
        /// What went wrong.
        why: String,
    },
    /// Another TLS error.
    #[error("TLS error with {broker}: {error}")]
    Tls {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// The socket closed during a handshake: the port speaks something else.
    #[error("{broker} closed the connection during the {protocol} handshake: is this the broker's {port}?")]
    WrongProtocol {
        /// The broker.
        broker: String,
        /// The handshake (TLS, WebSockets).
        protocol: &'static str,
        /// The port that would speak it.
        port: &'static str,
    },
    /// The broker answered CONNECT with another packet.
    #[error("{broker} answered the connection request with {packet} instead of CONNACK: is this an MQTT broker?")]
    NotConnAck {
        /// The broker.
        broker: String,
        /// The packet received.
        packet: String,
    },
    /// The WebSocket opened without the "mqtt" subprotocol.
    #[error(
        "{broker} accepted the WebSocket but does not speak MQTT over it (no \"mqtt\" subprotocol): \
         is this the broker's WebSockets port and path?"
    )]
    NotMqttOverWebsocket {
        /// The broker.
        broker: String,
    },
    /// The port did not answer as a WebSockets server.
    #[error("{broker} did not answer as a WebSockets server: is this the broker's WebSockets port? ({error})")]
    NotWebsocketServer {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// The server answered the WebSocket request with an HTTP status.
    #[error("{broker} answered HTTP {status} instead of opening a WebSocket: check the path (brokers often use /mqtt)")]
    WebsocketHttp {
        /// The broker.
        broker: String,
        /// The HTTP status.
        status: String,
    },
    /// The WebSockets URL cannot be used.
    #[error("{broker} is not a usable WebSockets address: {error}")]
    WebsocketAddress {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// Another WebSockets error.
    #[error("WebSockets error with {broker}: {error}")]
    Websocket {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// The broker closed the socket of a connection that was up.
    #[error("The broker at {broker} closed the connection")]
    ClosedByBroker {
        /// The broker.
        broker: String,
    },
    /// The broker closed the socket before answering a CONNECT that carried a login: some
    /// brokers (rumqttd) close the connection at a wrong one instead of refusing it.
    #[error(
        "The broker at {broker} closed the connection without answering: it may not accept the user \
         name \"{user}\" or its password (some brokers close the connection instead of saying so)"
    )]
    ClosedAtLogin {
        /// The broker.
        broker: String,
        /// The user name sent.
        user: String,
    },
    /// The broker sent DISCONNECT (MQTT 5) for a reason other than a takeover.
    #[error("The broker at {broker} closed the connection: {words}{}", reasons::in_brackets(.reason_string.as_deref()))]
    DisconnectedByBroker {
        /// The broker.
        broker: String,
        /// The reason code in words.
        words: String,
        /// The broker's own reason string.
        reason_string: Option<String>,
    },
    /// The broker said another client took the session over (MQTT 5 DISCONNECT 0x8E).
    #[error("{}", reasons::session_taken_over(.broker, .client_id))]
    SessionTakenOver {
        /// The broker.
        broker: String,
        /// The client id both use.
        client_id: String,
    },
    /// Connections that were up keep being closed right away: another client uses the id.
    #[error(
        "The broker keeps closing this connection right after it opens: another client is probably connected \
         with the same client id \"{client_id}\", and each connection pushes the other out. Stopped reconnecting \
         so the other client keeps its connection; change the client id, or reconnect to take the id over."
    )]
    TakeoverLoop {
        /// The client id both use.
        client_id: String,
    },
    /// The proxy between this computer and the broker failed: the broker was not reached.
    #[error("The proxy at {proxy} {problem}")]
    Proxy {
        /// The proxy, `socks5://host:port` or `http://host:port`.
        proxy: String,
        /// What went wrong there.
        problem: ProxyProblem,
    },
    /// Nothing listens on the port.
    #[error("Connection refused by {broker}: is the broker running and listening on that port?")]
    ConnectionRefused {
        /// The broker.
        broker: String,
    },
    /// The operating system gave up connecting.
    #[error("Connecting to {broker} timed out")]
    ConnectTimedOut {
        /// The broker.
        broker: String,
    },
    /// No CONNACK within the connect timeout.
    #[error("No answer from {broker} within {timeout_secs} s: is the host reachable and is this the broker's port?")]
    NoAnswer {
        /// The broker.
        broker: String,
        /// The connect timeout.
        timeout_secs: u16,
    },
    /// No route to the host.
    #[error("{broker} cannot be reached from this machine ({error})")]
    Unreachable {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// The address cannot be connected from here.
    #[error("{broker} is not a usable address ({error})")]
    AddressNotAvailable {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// The host name did not resolve.
    #[error("Could not find the host of {broker}: {error}")]
    HostNotFound {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// Another network error.
    #[error("Network error with {broker}: {error}")]
    Network {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// No PINGRESP came in time.
    #[error("The broker at {broker} stopped answering (no reply to a keep-alive ping)")]
    NoPingAnswer {
        /// The broker.
        broker: String,
    },
    /// Writing to the socket took too long.
    #[error("Sending to {broker} timed out")]
    SendTimedOut {
        /// The broker.
        broker: String,
    },
    /// The broker sent a packet over this connection's maximum.
    #[error("{}", reasons::packet_too_large(*.size_bytes, *.max_bytes))]
    PacketTooLarge {
        /// The packet's size.
        size_bytes: usize,
        /// The maximum, when known.
        max_bytes: Option<usize>,
    },
    /// The broker sent bytes that do not decode.
    #[error("The broker at {broker} sent data that is not valid {protocol}: {error}")]
    InvalidData {
        /// The broker.
        broker: String,
        /// "MQTT" or "MQTT 5".
        protocol: &'static str,
        /// The error, in words.
        error: String,
    },
    /// Another protocol error.
    #[error("MQTT protocol error with {broker}: {error}")]
    Protocol {
        /// The broker.
        broker: String,
        /// The error, in words.
        error: String,
    },
    /// The connection's request channel closed.
    #[error("The connection was closed")]
    RequestsDone,
}

impl Failure {
    /// Whether retrying with the same settings can help.
    pub fn retry(&self) -> Retry {
        match self {
            Self::Proxy { problem, .. } => {
                if problem.lasting() {
                    Retry::Never
                } else {
                    Retry::Later
                }
            }
            Self::RefusedCredentials { .. }
            | Self::NotAuthorized { .. }
            | Self::RefusedClientId { .. }
            | Self::UnsupportedProtocol { .. }
            | Self::Refused { .. }
            | Self::Certificate { .. }
            | Self::NotConnAck { .. }
            | Self::NotMqttOverWebsocket { .. }
            | Self::NotWebsocketServer { .. }
            | Self::WebsocketHttp { .. }
            | Self::WebsocketAddress { .. }
            | Self::SessionTakenOver { .. }
            | Self::TakeoverLoop { .. }
            | Self::PacketTooLarge { .. }
            | Self::RequestsDone => Retry::Never,
            Self::BrokerUnavailable { .. }
            | Self::TlsHandshake { .. }
            | Self::Tls { .. }
            | Self::WrongProtocol { .. }
            | Self::Websocket { .. }
            | Self::ClosedByBroker { .. }
            | Self::ClosedAtLogin { .. }
            | Self::DisconnectedByBroker { .. }
            | Self::ConnectionRefused { .. }
            | Self::ConnectTimedOut { .. }
            | Self::NoAnswer { .. }
            | Self::Unreachable { .. }
            | Self::AddressNotAvailable { .. }
            | Self::HostNotFound { .. }
            | Self::Network { .. }
            | Self::NoPingAnswer { .. }
            | Self::SendTimedOut { .. }
            | Self::InvalidData { .. }
            | Self::Protocol { .. } => Retry::Later,
        }
    }

    /// Whether the broker closed a connection that was up (not a failed attempt to connect).
    pub fn closed_by_broker(&self) -> bool {
        matches!(self, Self::ClosedByBroker { .. } | Self::DisconnectedByBroker { .. })
    }
}
