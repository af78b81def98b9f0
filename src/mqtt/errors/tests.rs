//! rumqttc's errors sorted into kinds, with the words a user sees.

use super::*;
use crate::mqtt::failure::Retry;
use crate::mqtt::settings::BrokerAddress;

fn settings() -> ConnectionSettings {
    ConnectionSettings::new(BrokerAddress::parse("broker.lan:1883").expect("valid"))
}

fn v4(error: ConnectionError) -> Failure {
    describe(&protocol::ConnectionError::V4(error), &settings())
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
    assert_eq!(failure.retry(), Retry::Never);
    assert_eq!(
        failure.to_string(),
        "mqtt://broker.lan:1883 rejected the user name \"alice\" or its password"
    );
}

#[test]
fn refused_connections_are_retried_and_named() {
    let failure = v4(ConnectionError::Io(io::Error::from(io::ErrorKind::ConnectionRefused)));
    assert_eq!(failure.retry(), Retry::Later);
    assert_eq!(
        failure.to_string(),
        "Connection refused by mqtt://broker.lan:1883: is the broker running and listening on that port?"
    );
    assert!(!failure.closed_by_broker());
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
    assert_eq!(refused.retry(), Retry::Never);
    assert_eq!(
        refused.to_string(),
        "mqtt://broker.lan:1883 refused user \"alice\": not authorized (0x87: a wrong password, or the broker's \
         rules do not let this client in)"
    );
    let kicked = describe(
        &protocol::ConnectionError::V5(v5::ConnectionError::MqttState(v5::StateError::ServerDisconnect {
            reason_code: D::SessionTakenOver,
            reason_string: None,
        })),
        &s,
    );
    assert_eq!(kicked.retry(), Retry::Never, "a takeover is not fought over");
    assert_eq!(
        kicked.to_string(),
        format!(
            "Another client connected to mqtt://broker.lan:1883 with the same client id \"{}\" (the broker said: \
             session taken over, 0x8E). Stopped reconnecting so the other client keeps its connection; change the \
             client id, or reconnect to take the id over.",
            s.client_id
        )
    );
    let shutting_down = describe(
        &protocol::ConnectionError::V5(v5::ConnectionError::MqttState(v5::StateError::ServerDisconnect {
            reason_code: D::ServerShuttingDown,
            reason_string: Some("bye".into()),
        })),
        &s,
    );
    assert_eq!(shutting_down.retry(), Retry::Later);
    assert!(shutting_down.closed_by_broker());
    assert_eq!(
        shutting_down.to_string(),
        "The broker at mqtt://broker.lan:1883 closed the connection: the broker is shutting down (0x8B) (bye)"
    );
}

#[test]
fn a_closed_socket_counts_as_closed_by_the_broker() {
    let failure = v4(ConnectionError::MqttState(StateError::Io(io::Error::from(
        io::ErrorKind::UnexpectedEof,
    ))));
    assert!(failure.closed_by_broker());
    assert_eq!(
        failure.to_string(),
        "The broker at mqtt://broker.lan:1883 closed the connection"
    );
}

#[test]
fn a_socket_closed_during_the_tls_handshake_means_the_wrong_port() {
    let failure = v4(ConnectionError::Tls(rumqttc::TlsError::Io(io::Error::from(
        io::ErrorKind::ConnectionReset,
    ))));
    assert!(!failure.closed_by_broker());
    assert_eq!(failure.retry(), Retry::Later);
    assert_eq!(
        failure.to_string(),
        "mqtt://broker.lan:1883 closed the connection during the TLS handshake: is this the broker's TLS port (often \
         8883)?"
    );
}

#[test]
fn the_connect_timeout_is_named() {
    let failure = v4(ConnectionError::NetworkTimeout);
    assert_eq!(
        failure.to_string(),
        "No answer from mqtt://broker.lan:1883 within 5 s: is the host reachable and is this the broker's port?"
    );
}
