//! rumqttc's connection errors, of either protocol version, sorted into
//! [`Failure`] kinds.

use std::io;

use rumqttc::v5;
use rumqttc::{ConnectReturnCode, ConnectionError, StateError};

use super::failure::Failure;
use super::protocol;
use super::reasons;
use super::settings::{ConnectionSettings, MqttVersion};
use super::tls::{explain, find_rustls_error};

/// The kind of failure `error` is, for a connection made with `settings`.
pub fn describe(error: &protocol::ConnectionError, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    let inner: &(dyn std::error::Error + 'static) = match error {
        protocol::ConnectionError::V4(error) => error,
        protocol::ConnectionError::V5(error) => error,
        protocol::ConnectionError::BrokerBrokeProtocol(what) => return broke_protocol(broker, what),
    };
    if let Some(tls) = find_rustls_error(inner) {
        return rustls_failure(tls, broker);
    }
    match error {
        protocol::ConnectionError::V4(error) => describe_v4(error, settings),
        protocol::ConnectionError::V5(error) => describe_v5(error, settings),
        protocol::ConnectionError::BrokerBrokeProtocol(what) => broke_protocol(broker, what),
    }
}

/// A TLS failure as its kind: a certificate problem stays until someone changes a setting or a
/// certificate; other handshake failures may pass.
fn rustls_failure(tls: &rustls::Error, broker: String) -> Failure {
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
    let why = explain(tls);
    if lasting {
        Failure::Certificate { broker, why }
    } else {
        Failure::TlsHandshake { broker, why }
    }
}

/// The kind of a TLS handshake with `broker` that failed with `err` (made by the tunnel, not
/// rumqttc): the rustls error inside in words, or a socket closed during the handshake.
pub fn tls_handshake(err: &io::Error, broker: String) -> Failure {
    match find_rustls_error(err) {
        Some(tls) => rustls_failure(tls, broker),
        None => during_handshake(err, broker, "TLS", "TLS port (often 8883)"),
    }
}

/// The kind of a failure to open a TCP connection to `broker` (made by the tunnel).
pub fn connect_failed(err: &io::Error, broker: String) -> Failure {
    describe_io(err, broker)
}

fn broke_protocol(broker: String, what: &str) -> Failure {
    Failure::Protocol {
        broker,
        error: what.to_owned(),
    }
}

fn describe_v4(error: &ConnectionError, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    match error {
        ConnectionError::ConnectionRefused(code) => refused_v4(*code, settings),
        ConnectionError::Websocket(err) => describe_websocket(err, broker),
        ConnectionError::WsConnect(err) => websocket_address(broker, err),
        ConnectionError::InvalidUrl(err) => websocket_address(broker, err),
        ConnectionError::ResponseValidation(_) => Failure::NotMqttOverWebsocket { broker },
        ConnectionError::Io(err) | ConnectionError::MqttState(StateError::Io(err)) => describe_io(err, broker),
        ConnectionError::MqttState(StateError::ConnectionAborted) => Failure::ClosedByBroker { broker },
        ConnectionError::MqttState(StateError::AwaitPingResp) => Failure::NoPingAnswer { broker },
        ConnectionError::MqttState(StateError::Deserialization(err)) => match err {
            rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(size) => Failure::PacketTooLarge {
                size_bytes: *size,
                max_bytes: None,
            },
            other => Failure::InvalidData {
                broker,
                protocol: "MQTT",
                error: other.to_string(),
            },
        },
        ConnectionError::MqttState(other) => Failure::Protocol {
            broker,
            error: other.to_string(),
        },
        ConnectionError::NetworkTimeout => no_answer(broker, settings),
        ConnectionError::FlushTimeout => Failure::SendTimedOut { broker },
        ConnectionError::Tls(err) => describe_tls(err, broker),
        ConnectionError::NotConnAck(packet) => Failure::NotConnAck {
            broker,
            packet: format!("{packet:?}"),
        },
        ConnectionError::RequestsDone => Failure::RequestsDone,
    }
}

fn describe_v5(error: &v5::ConnectionError, settings: &ConnectionSettings) -> Failure {
    use v5::ConnectionError as E;
    use v5::StateError as S;
    use v5::mqttbytes::v5::DisconnectReasonCode;
    let broker = settings.address.to_string();
    match error {
        E::ConnectionRefused(code) | E::MqttState(S::ConnFail { reason: code }) => refused_v5(*code, settings),
        E::Websocket(err) => describe_websocket(err, broker),
        E::WsConnect(err) => websocket_address(broker, err),
        E::InvalidUrl(err) => websocket_address(broker, err),
        E::ResponseValidation(_) => Failure::NotMqttOverWebsocket { broker },
        E::Tls(err) => describe_tls(err, broker),
        E::Io(err) | E::MqttState(S::Io(err)) => describe_io(err, broker),
        E::MqttState(S::ConnectionAborted) => Failure::ClosedByBroker { broker },
        E::MqttState(S::AwaitPingResp) => Failure::NoPingAnswer { broker },
        E::MqttState(S::ServerDisconnect {
            reason_code: DisconnectReasonCode::SessionTakenOver,
            ..
        }) => Failure::SessionTakenOver {
            broker,
            client_id: settings.client_id.clone(),
        },
        E::MqttState(S::ServerDisconnect {
            reason_code,
            reason_string,
        }) => Failure::DisconnectedByBroker {
            broker,
            words: reasons::disconnect(*reason_code),
            reason_string: reason_string.clone(),
        },
        E::MqttState(S::IncomingPacketTooLarge { pkt_size, max }) => Failure::PacketTooLarge {
            size_bytes: *pkt_size,
            max_bytes: Some(*max),
        },
        E::MqttState(S::Deserialization(err)) => Failure::InvalidData {
            broker,
            protocol: "MQTT 5",
            error: err.to_string(),
        },
        E::MqttState(other) => Failure::Protocol {
            broker,
            error: other.to_string(),
        },
        E::Timeout(_) => no_answer(broker, settings),
        E::NotConnAck(packet) => Failure::NotConnAck {
            broker,
            packet: format!("{packet:?}"),
        },
        E::RequestsDone => Failure::RequestsDone,
    }
}

fn refused_v4(code: ConnectReturnCode, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    let version = MqttVersion::V311;
    match code {
        ConnectReturnCode::BadUserNamePassword => Failure::RefusedCredentials {
            broker,
            user: settings.username.clone(),
            version,
        },
        ConnectReturnCode::NotAuthorized => Failure::NotAuthorized {
            broker,
            user: settings.username.clone(),
            version,
        },
        ConnectReturnCode::BadClientId => Failure::RefusedClientId {
            broker,
            client_id: settings.client_id.clone(),
            version,
        },
        ConnectReturnCode::RefusedProtocolVersion => Failure::UnsupportedProtocol { broker, version },
        ConnectReturnCode::ServiceUnavailable => Failure::BrokerUnavailable {
            broker,
            words: reasons::CONNACK_V4_UNAVAILABLE.to_owned(),
        },
        ConnectReturnCode::Success => Failure::BrokerUnavailable {
            broker,
            words: reasons::CONNACK_ACCEPTED.to_owned(),
        },
    }
}

fn refused_v5(code: v5::mqttbytes::v5::ConnectReturnCode, settings: &ConnectionSettings) -> Failure {
    use v5::mqttbytes::v5::ConnectReturnCode as C;
    let broker = settings.address.to_string();
    let version = MqttVersion::V5;
    match code {
        C::BadUserNamePassword => Failure::RefusedCredentials {
            broker,
            user: settings.username.clone(),
            version,
        },
        C::NotAuthorized => Failure::NotAuthorized {
            broker,
            user: settings.username.clone(),
            version,
        },
        C::ClientIdentifierNotValid | C::BadClientId => Failure::RefusedClientId {
            broker,
            client_id: settings.client_id.clone(),
            version,
        },
        C::UnsupportedProtocolVersion | C::RefusedProtocolVersion => Failure::UnsupportedProtocol { broker, version },
        C::ServerUnavailable
        | C::ServiceUnavailable
        | C::ServerBusy
        | C::ConnectionRateExceeded
        | C::QuotaExceeded
        | C::Success => Failure::BrokerUnavailable {
            broker,
            words: reasons::connack_v5(code),
        },
        other => Failure::Refused {
            broker,
            words: reasons::connack_v5(other),
        },
    }
}

fn websocket_address(broker: String, err: &dyn std::fmt::Display) -> Failure {
    Failure::WebsocketAddress {
        broker,
        error: err.to_string(),
    }
}

fn no_answer(broker: String, settings: &ConnectionSettings) -> Failure {
    Failure::NoAnswer {
        broker,
        timeout_secs: settings.connect_timeout_secs,
    }
}

/// An I/O failure while a `protocol` handshake ran: a socket closed then usually means the port
/// speaks something else (not a broker closing a connection that was up).
fn during_handshake(err: &io::Error, broker: String, protocol: &'static str, port: &'static str) -> Failure {
    match describe_io(err, broker) {
        Failure::ClosedByBroker { broker } => Failure::WrongProtocol { broker, protocol, port },
        other => other,
    }
}

fn describe_tls(err: &rumqttc::TlsError, broker: String) -> Failure {
    match err {
        rumqttc::TlsError::Io(io) => during_handshake(io, broker, "TLS", "TLS port (often 8883)"),
        other => Failure::Tls {
            broker,
            error: other.to_string(),
        },
    }
}

fn describe_websocket(err: &tungstenite::Error, broker: String) -> Failure {
    match err {
        // A WebSockets error comes only while opening the connection: a socket closed then
        // usually means the port speaks something else.
        tungstenite::Error::Io(io) => during_handshake(io, broker, "WebSockets", "WebSockets port"),
        tungstenite::Error::Http(response) => Failure::WebsocketHttp {
            broker,
            status: response.status().to_string(),
        },
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => during_handshake(
            &io::Error::from(io::ErrorKind::ConnectionReset),
            broker,
            "WebSockets",
            "WebSockets port",
        ),
        tungstenite::Error::HttpFormat(_) | tungstenite::Error::Protocol(_) => Failure::NotWebsocketServer {
            broker,
            error: err.to_string(),
        },
        other => Failure::Websocket {
            broker,
            error: other.to_string(),
        },
    }
}

fn describe_io(err: &io::Error, broker: String) -> Failure {
    let error = err.to_string();
    match err.kind() {
        io::ErrorKind::ConnectionRefused => Failure::ConnectionRefused { broker },
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof => Failure::ClosedByBroker { broker },
        io::ErrorKind::TimedOut => Failure::ConnectTimedOut { broker },
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => Failure::Unreachable { broker, error },
        io::ErrorKind::AddrNotAvailable => Failure::AddressNotAvailable { broker, error },
        _ if error.contains("lookup") || error.contains("resolve") || error.contains("Name or service") => {
            Failure::HostNotFound { broker, error }
        }
        _ if error.contains("closed by peer") || error.contains("reset by peer") => Failure::ClosedByBroker { broker },
        _ => Failure::Network { broker, error },
    }
}

#[cfg(test)]
mod tests;
