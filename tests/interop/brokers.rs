//! What the matrix needs of a broker, whichever it is: its ports, a way to kill and restart it,
//! and its log; and Mosquitto, the reference, behind the same face.

use crate::support::rabbitmq::{RabbitConfig, RabbitMq};
use crate::support::{Broker, BrokerConfig, Listener};

/// The user the brokers that want a login know.
pub const USER: &str = "matrix-user";
/// That user's password.
pub const PASSWORD: &str = "matrix-password";

/// A broker under test, started on free loopback ports.
pub trait MatrixBroker {
    /// The MQTT port (3.1.1, and 5 where the same port speaks both).
    fn port(&self) -> u16;
    /// The port that speaks MQTT 5 where the broker has one of its own.
    fn v5_port(&self) -> u16 {
        self.port()
    }
    /// The MQTT over WebSockets port, where the broker offers one.
    fn ws_port(&self) -> Option<u16>;
    /// The path MQTT over WebSockets is served at.
    fn ws_path(&self) -> &'static str {
        "/mqtt"
    }
    /// Kill the broker (as a crash would).
    fn stop(&mut self);
    /// Start it again on the same ports.
    fn restart(&mut self);
    /// What it logged, for a failure's message.
    fn log(&self) -> String;
}

/// Starts a broker: `true` for one that accepts only [`USER`] with [`PASSWORD`], `false` for
/// one that lets anyone in.
pub type Launcher = fn(bool) -> Box<dyn MatrixBroker>;

/// Mosquitto with a WebSockets listener.
pub fn mosquitto(login: bool) -> Box<dyn MatrixBroker> {
    let users = if login {
        vec![(USER.to_owned(), PASSWORD.to_owned())]
    } else {
        Vec::new()
    };
    Box::new(Broker::start_with(BrokerConfig {
        users,
        listeners: vec![Listener::Ws],
        ..BrokerConfig::default()
    }))
}

impl MatrixBroker for Broker {
    fn port(&self) -> u16 {
        Broker::port(self)
    }

    fn ws_port(&self) -> Option<u16> {
        self.ports().first().copied()
    }

    fn stop(&mut self) {
        Broker::stop(self);
    }

    fn restart(&mut self) {
        Broker::restart(self);
    }

    fn log(&self) -> String {
        Broker::log(self)
    }
}

/// RabbitMQ 3.10 with its MQTT and web MQTT plugins (MQTT 3.1.1 only).
pub fn rabbitmq(login: bool) -> Box<dyn MatrixBroker> {
    Box::new(RabbitMq::start_with(&RabbitConfig {
        login: login.then(|| (USER.to_owned(), PASSWORD.to_owned())),
        websockets: true,
    }))
}

impl MatrixBroker for RabbitMq {
    fn port(&self) -> u16 {
        RabbitMq::port(self)
    }

    fn ws_port(&self) -> Option<u16> {
        Some(RabbitMq::ws_port(self))
    }

    fn ws_path(&self) -> &'static str {
        "/ws"
    }

    fn stop(&mut self) {
        RabbitMq::stop(self);
    }

    fn restart(&mut self) {
        RabbitMq::restart(self);
    }

    fn log(&self) -> String {
        RabbitMq::log(self)
    }
}
