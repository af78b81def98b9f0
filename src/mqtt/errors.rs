//! Connection failures in words a person can act on, and whether retrying helps.

use std::io;

use rumqttc::{ConnectReturnCode, ConnectionError, StateError};

use super::protocol;
use super::settings::ConnectionSettings;
use super::tls::{explain, find_rustls_error};
use rumqttc::v5;

/// What to do after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Try again after a backoff: the cause may go away (broker restarting, network down).
    Later,
    /// Stop: the same settings will fail the same way (bad credentials, refused client id).
    Never,
}

/// A failure, explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// One or two sentences for the status bar.
    pub reason: String,
    /// Whether to retry.
    pub retry: Retry,
    /// Whether the broker closed a connection that was up (not a failed attempt to connect).
    pub closed_by_broker: bool,
}

fn later(reason: String) -> Failure {
    Failure {
        reason,
        retry: Retry::Later,
        closed_by_broker: false,
    }
}

fn never(reason: String) -> Failure {
    Failure {
        reason,
        retry: Retry::Never,
        closed_by_broker: false,
    }
}

/// Explain `error` for a connection made with `settings`.
pub fn describe(error: &protocol::ConnectionError, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    let inner: &(dyn std::error::Error + 'static) = match error {
        protocol::ConnectionError::V4(error) => error,
        protocol::ConnectionError::V5(error) => error,
    };
    if let Some(tls) = find_rustls_error(inner) {
        // A certificate problem stays until someone changes a setting or a certificate.
        let lasting = matches!(
            tls,
            rustls::Error::InvalidCertificate(_)
                | rustls::Error::NoCertificatesPresented
                | rustls::Error::InvalidMessage(_)
                | rustls::Error::AlertReceived(
                    rustls::AlertDescription::CertificateRequired
                        | rustls::AlertDescription::UnknownCA
                        | rustls::AlertDescription::BadCertificate
                        | rustls::AlertDescription::CertificateExpired
                        | rustls::AlertDescription::CertificateRevoked
                        | rustls::AlertDescription::NoApplicationProtocol
                )
        );
        let reason = format!("TLS with {broker} failed: {}", explain(tls));
        return if lasting { never(reason) } else { later(reason) };
    }
    match error {
        protocol::ConnectionError::V4(error) => describe_v4(error, settings),
        protocol::ConnectionError::V5(error) => describe_v5(error, settings),
    }
}

fn websocket_address(broker: &str, err: &dyn std::fmt::Display) -> Failure {
    never(format!("{broker} is not a usable WebSockets address: {err}"))
}

fn not_mqtt_over_websocket(broker: &str) -> Failure {
    never(format!(
        "{broker} accepted the WebSocket but does not speak MQTT over it (no \"mqtt\" subprotocol): \
         is this the broker's WebSockets port and path?"
    ))
}

fn closed(broker: &str) -> Failure {
    Failure {
        reason: format!("The broker at {broker} closed the connection"),
        retry: Retry::Later,
        closed_by_broker: true,
    }
}

fn no_ping_answer(broker: &str) -> Failure {
    later(format!(
        "The broker at {broker} stopped answering (no reply to a keep-alive ping)"
    ))
}

fn timed_out(broker: &str, settings: &ConnectionSettings) -> Failure {
    later(format!(
        "No answer from {broker} within {} s: is the host reachable and is this the broker's port?",
        settings.connect_timeout_secs
    ))
}

/// An I/O failure while a `protocol` handshake ran: a socket closed then usually means the port
/// speaks something else (not a broker closing a connection that was up).
fn during_handshake(err: &io::Error, broker: &str, protocol: &str, port: &str) -> Failure {
    let mut failure = describe_io(err, broker);
    if failure.closed_by_broker {
        failure.reason =
            format!("{broker} closed the connection during the {protocol} handshake: is this the broker's {port}?");
        failure.closed_by_broker = false;
    }
    failure
}

fn describe_tls(err: &rumqttc::TlsError, broker: &str) -> Failure {
    match err {
        rumqttc::TlsError::Io(io) => during_handshake(io, broker, "TLS", "TLS port (often 8883)"),
        other => later(format!("TLS error with {broker}: {other}")),
    }
}

fn describe_v5(error: &v5::ConnectionError, settings: &ConnectionSettings) -> Failure {
    use v5::ConnectionError as E;
    use v5::StateError as S;
    let broker = settings.address.to_string();
    match error {
        E::ConnectionRefused(code) | E::MqttState(S::ConnFail { reason: code }) => refused_v5(*code, settings),
        E::Websocket(err) => describe_websocket(err, settings),
        E::WsConnect(err) => websocket_address(&broker, err),
        E::InvalidUrl(err) => websocket_address(&broker, err),
        E::ResponseValidation(_) => not_mqtt_over_websocket(&broker),
        E::Tls(err) => describe_tls(err, &broker),
        E::Io(err) | E::MqttState(S::Io(err)) => describe_io(err, &broker),
        E::MqttState(S::ConnectionAborted) => closed(&broker),
        E::MqttState(S::AwaitPingResp) => no_ping_answer(&broker),
        E::MqttState(S::ServerDisconnect {
            reason_code: v5::mqttbytes::v5::DisconnectReasonCode::SessionTakenOver,
            ..
        }) => never(format!(
            "Another client connected to {broker} with the same client id \"{}\" (the broker said: session taken \
             over, 0x8E). Stopped reconnecting so the other client keeps its connection; change the client id, or \
             reconnect to take the id over.",
            settings.client_id
        )),
        E::MqttState(S::ServerDisconnect {
            reason_code,
            reason_string,
        }) => {
            let words = disconnect_words(*reason_code);
            let reason = match reason_string {
                Some(text) => format!("The broker at {broker} closed the connection: {words} ({text})"),
                None => format!("The broker at {broker} closed the connection: {words}"),
            };
            Failure {
                reason,
                retry: Retry::Later,
                closed_by_broker: true,
            }
        }
        E::MqttState(S::IncomingPacketTooLarge { pkt_size, max }) => never(format!(
            "The broker sent a packet of {pkt_size} bytes, over the {max} bytes this connection accepts \
             (raise the maximum packet size in the profile)"
        )),
        E::MqttState(S::Deserialization(err)) => later(format!(
            "The broker at {broker} sent data that is not valid MQTT 5: {err}"
        )),
        E::MqttState(other) => later(format!("MQTT protocol error with {broker}: {other}")),
        E::Timeout(_) => timed_out(&broker, settings),
        E::NotConnAck(packet) => never(format!(
            "{broker} answered the connection request with {packet:?} instead of CONNACK: is this an MQTT broker?"
        )),
        E::RequestsDone => never("The connection was closed".to_owned()),
    }
}

/// An MQTT 5 DISCONNECT reason code in words.
fn disconnect_words(code: v5::mqttbytes::v5::DisconnectReasonCode) -> String {
    use v5::mqttbytes::v5::DisconnectReasonCode as D;
    let words = match code {
        D::NormalDisconnection => "normal disconnection",
        D::SessionTakenOver => "session taken over (another client connected with the same client id)",
        D::ServerShuttingDown => "the broker is shutting down",
        D::KeepAliveTimeout => "keep-alive timeout",
        D::NotAuthorized => "not authorized",
        D::ServerBusy => "the broker is busy",
        D::ProtocolError => "protocol error",
        D::MalformedPacket => "malformed packet",
        D::PacketTooLarge => "a packet was too large",
        D::ReceiveMaximumExceeded => "too many messages in flight",
        D::TopicAliasInvalid => "invalid topic alias",
        D::MessageRateTooHigh => "message rate too high",
        D::QuotaExceeded => "quota exceeded",
        D::AdministrativeAction => "closed by an administrator",
        D::UseAnotherServer => "use another server",
        D::ServerMoved => "the server moved",
        D::ConnectionRateExceeded => "connection rate exceeded",
        D::MaximumConnectTime => "maximum connect time reached",
        other => return format!("{other:?}"),
    };
    format!("{words} (0x{:02X})", code as u8)
}

fn refused_v5(code: v5::mqttbytes::v5::ConnectReturnCode, settings: &ConnectionSettings) -> Failure {
    use v5::mqttbytes::v5::ConnectReturnCode as C;
    let broker = settings.address.to_string();
    let user = settings.username.as_deref().unwrap_or("");
    let (reason, retry) = match code {
        C::BadUserNamePassword => (
            if user.is_empty() {
                format!("{broker} requires a user name and password (0x86 bad user name or password)")
            } else {
                format!("{broker} rejected the user name \"{user}\" or its password (0x86)")
            },
            Retry::Never,
        ),
        C::NotAuthorized => (
            if user.is_empty() {
                format!(
                    "{broker} refused the connection: not authorized (0x87); it probably needs a user name and password"
                )
            } else {
                format!("{broker} refused user \"{user}\": not authorized (0x87)")
            },
            Retry::Never,
        ),
        C::ClientIdentifierNotValid | C::BadClientId => (
            format!("{broker} rejected the client id \"{}\" (0x85)", settings.client_id),
            Retry::Never,
        ),
        C::UnsupportedProtocolVersion | C::RefusedProtocolVersion => (
            format!("{broker} does not accept MQTT 5 connections (0x84): choose MQTT 3.1.1 in the profile"),
            Retry::Never,
        ),
        C::Banned => (format!("{broker} has banned this client (0x8A)"), Retry::Never),
        C::BadAuthenticationMethod => (
            format!("{broker} does not accept this authentication method (0x8C)"),
            Retry::Never,
        ),
        C::ServerUnavailable | C::ServiceUnavailable => {
            (format!("{broker} is unavailable right now (0x88)"), Retry::Later)
        }
        C::ServerBusy => (format!("{broker} is busy (0x89)"), Retry::Later),
        C::ConnectionRateExceeded => (
            format!("{broker} says: too many connections, slow down (0x9F)"),
            Retry::Later,
        ),
        C::QuotaExceeded => (format!("{broker} says: quota exceeded (0x97)"), Retry::Later),
        C::UseAnotherServer | C::ServerMoved => (
            format!("{broker} asks clients to use another server ({code:?})"),
            Retry::Never,
        ),
        C::PacketTooLarge => (
            format!(
                "{broker} refused the CONNECT as too large (0x95): the password or user properties may be too long"
            ),
            Retry::Never,
        ),
        C::Success => (format!("{broker} accepted the connection"), Retry::Later),
        other => (format!("{broker} refused the connection ({other:?})"), Retry::Never),
    };
    Failure {
        reason,
        retry,
        closed_by_broker: false,
    }
}

fn describe_v4(error: &ConnectionError, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    match error {
        ConnectionError::ConnectionRefused(code) => refused(*code, settings),
        ConnectionError::Websocket(err) => describe_websocket(err, settings),
        ConnectionError::WsConnect(err) => websocket_address(&broker, err),
        ConnectionError::InvalidUrl(err) => websocket_address(&broker, err),
        ConnectionError::ResponseValidation(_) => not_mqtt_over_websocket(&broker),
        ConnectionError::Io(err) => describe_io(err, &broker),
        ConnectionError::MqttState(StateError::Io(err)) => describe_io(err, &broker),
        ConnectionError::MqttState(StateError::ConnectionAborted) => closed(&broker),
        ConnectionError::MqttState(StateError::AwaitPingResp) => no_ping_answer(&broker),
        ConnectionError::MqttState(StateError::Deserialization(err)) => match err {
            rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(size) => never(format!(
                "The broker sent a packet of {size} bytes, over the maximum this connection accepts"
            )),
            other => later(format!(
                "The broker at {broker} sent data that is not valid MQTT: {other}"
            )),
        },
        ConnectionError::MqttState(other) => later(format!("MQTT protocol error with {broker}: {other}")),
        ConnectionError::NetworkTimeout => timed_out(&broker, settings),
        ConnectionError::FlushTimeout => later(format!("Sending to {broker} timed out")),
        ConnectionError::Tls(err) => describe_tls(err, &broker),
        ConnectionError::NotConnAck(packet) => never(format!(
            "{broker} answered the connection request with {packet:?} instead of CONNACK: is this an MQTT broker?"
        )),
        ConnectionError::RequestsDone => never("The connection was closed".to_owned()),
    }
}

fn describe_websocket(err: &tungstenite::Error, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    match err {
        // A WebSockets error comes only while opening the connection: a socket closed then
        // usually means the port speaks something else.
        tungstenite::Error::Io(io) => during_handshake(io, &broker, "WebSockets", "WebSockets port"),
        tungstenite::Error::Http(response) => Failure {
            reason: format!(
                "{broker} answered HTTP {} instead of opening a WebSocket: check the path (brokers often use /mqtt)",
                response.status()
            ),
            retry: Retry::Never,
            closed_by_broker: false,
        },
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => during_handshake(
            &io::Error::from(io::ErrorKind::ConnectionReset),
            &broker,
            "WebSockets",
            "WebSockets port",
        ),
        tungstenite::Error::HttpFormat(_) | tungstenite::Error::Protocol(_) => Failure {
            reason: format!(
                "{broker} did not answer as a WebSockets server: is this the broker's WebSockets port? ({err})"
            ),
            retry: Retry::Never,
            closed_by_broker: false,
        },
        other => Failure {
            reason: format!("WebSockets error with {broker}: {other}"),
            retry: Retry::Later,
            closed_by_broker: false,
        },
    }
}

fn refused(code: ConnectReturnCode, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    let (reason, retry) = match code {
        ConnectReturnCode::BadUserNamePassword => (
            match &settings.username {
                Some(user) => format!("{broker} rejected the user name \"{user}\" or its password"),
                None => format!("{broker} requires a user name and password"),
            },
            Retry::Never,
        ),
        ConnectReturnCode::NotAuthorized => (
            match &settings.username {
                Some(user) => format!(
                    "{broker} refused user \"{user}\": not authorized (a wrong password, or the broker's rules do not let this client in)"
                ),
                None => format!(
                    "{broker} refused the connection: not authorized (it probably needs a user name and password)"
                ),
            },
            Retry::Never,
        ),
        ConnectReturnCode::BadClientId => (
            format!("{broker} rejected the client id \"{}\"", settings.client_id),
            Retry::Never,
        ),
        ConnectReturnCode::RefusedProtocolVersion => {
            (format!("{broker} does not accept MQTT 3.1.1 connections"), Retry::Never)
        }
        ConnectReturnCode::ServiceUnavailable => (
            format!("{broker} is unavailable right now (it refused the connection)"),
            Retry::Later,
        ),
        ConnectReturnCode::Success => (format!("{broker} accepted the connection"), Retry::Later),
    };
    Failure {
        reason,
        retry,
        closed_by_broker: false,
    }
}

fn describe_io(err: &io::Error, broker: &str) -> Failure {
    let later = |reason: String, closed_by_broker: bool| Failure {
        reason,
        retry: Retry::Later,
        closed_by_broker,
    };
    match err.kind() {
        io::ErrorKind::ConnectionRefused => later(
            format!("Connection refused by {broker}: is the broker running and listening on that port?"),
            false,
        ),
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof => later(format!("The broker at {broker} closed the connection"), true),
        io::ErrorKind::TimedOut => later(format!("Connecting to {broker} timed out"), false),
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            later(format!("{broker} cannot be reached from this machine ({err})"), false)
        }
        io::ErrorKind::AddrNotAvailable => later(format!("{broker} is not a usable address ({err})"), false),
        _ => {
            let text = err.to_string();
            if text.contains("lookup") || text.contains("resolve") || text.contains("Name or service") {
                later(format!("Could not find the host of {broker}: {text}"), false)
            } else if text.contains("closed by peer") || text.contains("reset by peer") {
                later(format!("The broker at {broker} closed the connection"), true)
            } else {
                later(format!("Network error with {broker}: {text}"), false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::settings::BrokerAddress;

    fn settings() -> ConnectionSettings {
        ConnectionSettings::new(BrokerAddress::parse("broker.lan:1883").expect("valid"))
    }

    #[test]
    fn bad_credentials_stop_retrying_and_say_why() {
        let mut s = settings();
        s.username = Some("alice".into());
        let failure = describe(
            &protocol::ConnectionError::V4(ConnectionError::ConnectionRefused(
                ConnectReturnCode::BadUserNamePassword,
            )),
            &s,
        );
        assert_eq!(failure.retry, Retry::Never);
        assert!(failure.reason.contains("alice"), "{}", failure.reason);
    }

    #[test]
    fn refused_connections_are_retried_and_named() {
        let err = ConnectionError::Io(io::Error::from(io::ErrorKind::ConnectionRefused));
        let failure = describe(&protocol::ConnectionError::V4(err), &settings());
        assert_eq!(failure.retry, Retry::Later);
        assert!(failure.reason.contains("broker.lan:1883"));
        assert!(!failure.closed_by_broker);
    }

    #[test]
    fn mqtt_5_reason_codes_are_put_in_words() {
        use v5::mqttbytes::v5::{ConnectReturnCode as C, DisconnectReasonCode as D};
        let mut s = settings();
        s.username = Some("alice".into());
        let refused = describe(
            &protocol::ConnectionError::V5(v5::ConnectionError::ConnectionRefused(C::NotAuthorized)),
            &s,
        );
        assert_eq!(refused.retry, Retry::Never);
        assert!(
            refused.reason.contains("alice") && refused.reason.contains("0x87"),
            "{}",
            refused.reason
        );
        let kicked = describe(
            &protocol::ConnectionError::V5(v5::ConnectionError::MqttState(v5::StateError::ServerDisconnect {
                reason_code: D::SessionTakenOver,
                reason_string: None,
            })),
            &s,
        );
        assert_eq!(kicked.retry, Retry::Never, "a takeover is not fought over");
        assert!(
            kicked.reason.contains("session taken") && kicked.reason.contains("0x8E"),
            "{}",
            kicked.reason
        );
    }

    #[test]
    fn a_closed_socket_counts_as_closed_by_the_broker() {
        let err = ConnectionError::MqttState(StateError::Io(io::Error::from(io::ErrorKind::UnexpectedEof)));
        assert!(describe(&protocol::ConnectionError::V4(err), &settings()).closed_by_broker);
    }
}
