//! The interop matrix: mqscope's connection path against several independent brokers, each
//! started by the test on free loopback ports, feature by feature (see `matrix.rs`). Each test
//! measures one broker's row and checks it against the README's "Brokers tested" table, so a
//! change in mqscope or in a broker that changes a cell fails here. Run it with
//! `bash tests/interop.sh` (which installs aedes and amqtt under target/interop first).

#[path = "../support/mod.rs"]
mod support;

mod aedes;
mod amqtt;
mod brokers;
mod features;
mod matrix;
mod process;
mod rumqttd;

use matrix::check;

#[test]
fn mosquitto_matrix() {
    check("Mosquitto", brokers::mosquitto, &[]);
}

#[test]
fn rumqttd_matrix() {
    check(
        "rumqttd",
        rumqttd::start,
        &[
            ("Refused login", "✗ closes, no CONNACK"),
            ("$SYS", "not offered"),
            ("QoS 0", "✗ delivered at QoS 2"),
            ("QoS 1", "✗ delivered at QoS 2"),
        ],
    );
}

#[test]
fn aedes_matrix() {
    check(
        "aedes",
        aedes::start,
        &[("$SYS", "✗ own topic names"), ("MQTT 5", "not offered")],
    );
}

#[test]
fn amqtt_matrix() {
    check(
        "amqtt",
        amqtt::start,
        &[
            ("QoS 0", "✗ delivered at QoS 2"),
            ("QoS 1", "✗ delivered at QoS 2"),
            ("Takeover", "✗ both stay connected"),
            ("MQTT 5", "not offered"),
        ],
    );
}

#[test]
fn rabbitmq_matrix() {
    check(
        "RabbitMQ",
        brokers::rabbitmq,
        &[
            ("$SYS", "not offered"),
            ("Retained", "✗ not sent to #"),
            ("Clear retained", "✗ not found by a wildcard"),
            ("QoS 2", "✗ acknowledged by PUBACK"),
            ("MQTT 5", "not offered"),
        ],
    );
}

/// Not a test: the rumqttd broker, when the matrix starts this binary again to run it.
#[test]
#[ignore = "the rumqttd broker process that rumqttd_matrix starts; it runs until killed"]
fn rumqttd_broker_process() {
    rumqttd::serve_if_asked();
}
