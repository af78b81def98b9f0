//! Connection failures in words a person can act on, and whether retrying helps.

use std::io;

use rumqttc::{ConnectReturnCode, ConnectionError, StateError};

use super::settings::ConnectionSettings;
use super::tls::{explain, find_rustls_error};

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

/// Explain `error` for a connection made with `settings`.
pub fn describe(error: &ConnectionError, settings: &ConnectionSettings) -> Failure {
    let broker = settings.address.to_string();
    let later = |reason: String| Failure {
        reason,
        retry: Retry::Later,
        closed_by_broker: false,
    };
    let never = |reason: String| Failure {
        reason,
        retry: Retry::Never,
        closed_by_broker: false,
    };
    if let Some(tls) = find_rustls_error(error) {
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
        ConnectionError::ConnectionRefused(code) => refused(*code, settings),
        ConnectionError::Websocket(err) => describe_websocket(err, settings),
        ConnectionError::WsConnect(err) => never(format!("{broker} is not a usable WebSockets address: {err}")),
        ConnectionError::InvalidUrl(err) => never(format!("{broker} is not a usable WebSockets address: {err}")),
        ConnectionError::ResponseValidation(_) => never(format!(
            "{broker} accepted the WebSocket but does not speak MQTT over it (no \"mqtt\" subprotocol): \
             is this the broker's WebSockets port and path?"
        )),
        ConnectionError::Io(err) => describe_io(err, &broker),
        ConnectionError::MqttState(StateError::Io(err)) => describe_io(err, &broker),
        ConnectionError::MqttState(StateError::ConnectionAborted) => Failure {
            reason: format!("The broker at {broker} closed the connection"),
            retry: Retry::Later,
            closed_by_broker: true,
        },
        ConnectionError::MqttState(StateError::AwaitPingResp) => later(format!(
            "The broker at {broker} stopped answering (no reply to a keep-alive ping)"
        )),
        ConnectionError::MqttState(StateError::Deserialization(err)) => match err {
            rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(size) => never(format!(
                "The broker sent a packet of {size} bytes, over the maximum this connection accepts"
            )),
            other => later(format!(
                "The broker at {broker} sent data that is not valid MQTT: {other}"
            )),
        },
        ConnectionError::MqttState(other) => later(format!("MQTT protocol error with {broker}: {other}")),
        ConnectionError::NetworkTimeout => later(format!(
            "No answer from {broker} within {} s: is the host reachable and is this the broker's port?",
            settings.connect_timeout_secs
        )),
        ConnectionError::FlushTimeout => later(format!("Sending to {broker} timed out")),
        ConnectionError::Tls(rumqttc::TlsError::Io(io)) => {
            let mut failure = describe_io(io, &broker);
            if failure.closed_by_broker {
                failure.reason = format!(
                    "{broker} closed the connection during the TLS handshake: is this the broker's TLS port (often 8883)?"
                );
                failure.closed_by_broker = false;
            }
            failure
        }
        ConnectionError::Tls(err) => later(format!("TLS error with {broker}: {err}")),
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
        tungstenite::Error::Io(io) => {
            let mut failure = describe_io(io, &broker);
            if failure.closed_by_broker {
                failure.reason = format!(
                    "{broker} closed the connection during the WebSockets handshake: is this the broker's WebSockets port?"
                );
                failure.closed_by_broker = false;
            }
            failure
        }
        tungstenite::Error::Http(response) => Failure {
            reason: format!(
                "{broker} answered HTTP {} instead of opening a WebSocket: check the path (brokers often use /mqtt)",
                response.status()
            ),
            retry: Retry::Never,
            closed_by_broker: false,
        },
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => Failure {
            reason: format!(
                "{broker} closed the connection during the WebSockets handshake: is this the broker's WebSockets port?"
            ),
            retry: Retry::Later,
            closed_by_broker: false,
        },
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
            &ConnectionError::ConnectionRefused(ConnectReturnCode::BadUserNamePassword),
            &s,
        );
        assert_eq!(failure.retry, Retry::Never);
        assert!(failure.reason.contains("alice"), "{}", failure.reason);
    }

    #[test]
    fn refused_connections_are_retried_and_named() {
        let err = ConnectionError::Io(io::Error::from(io::ErrorKind::ConnectionRefused));
        let failure = describe(&err, &settings());
        assert_eq!(failure.retry, Retry::Later);
        assert!(failure.reason.contains("broker.lan:1883"));
        assert!(!failure.closed_by_broker);
    }

    #[test]
    fn a_closed_socket_counts_as_closed_by_the_broker() {
        let err = ConnectionError::MqttState(StateError::Io(io::Error::from(io::ErrorKind::UnexpectedEof)));
        assert!(describe(&err, &settings()).closed_by_broker);
    }
}
