//! rumqttd, the broker of the rumqtt project (whose client mqscope uses), built as a
//! dev-dependency and run as a process of its own: the test binary starts itself again to run
//! only [`serve_if_asked`], with the broker's configuration built in code. A process, not a
//! thread, so that it can be killed and restarted on the same ports.
//!
//! rumqttd listens for MQTT 3.1.1, MQTT 5 and MQTT 3.1.1 over WebSockets on three ports.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;

use super::brokers::{MatrixBroker, PASSWORD, USER};
use super::process::BrokerProcess;
use crate::support::free_port;

/// The variable that asks the test binary to be the broker: `V4,V5,WS,LOGIN` (ports, and `1`
/// for a broker that wants a login).
const ASK: &str = "MQSCOPE_RUMQTTD";

/// The name of the test that runs the broker (see `main.rs`).
pub const TEST_NAME: &str = "rumqttd_broker_process";

/// A rumqttd process.
pub struct Rumqttd {
    process: BrokerProcess,
    ports: [u16; 3],
    _dir: tempfile::TempDir,
}

/// Start rumqttd on free ports.
pub fn start(login: bool) -> Box<dyn MatrixBroker> {
    let ports = [free_port(), free_port(), free_port()];
    let dir = tempfile::tempdir().expect("temp dir");
    let ask = format!("{},{},{},{}", ports[0], ports[1], ports[2], u8::from(login));
    let exe = std::env::current_exe().expect("the test binary's path");
    let process = BrokerProcess::start(
        "rumqttd",
        (ports[0], login),
        dir.path().join("rumqttd.log"),
        move || {
            let mut command = Command::new(&exe);
            command
                .args([TEST_NAME, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
                .env(ASK, &ask);
            command
        },
    );
    Box::new(Rumqttd {
        process,
        ports,
        _dir: dir,
    })
}

impl MatrixBroker for Rumqttd {
    fn port(&self) -> u16 {
        self.ports[0]
    }

    fn v5_port(&self) -> u16 {
        self.ports[1]
    }

    fn ws_port(&self) -> Option<u16> {
        Some(self.ports[2])
    }

    fn stop(&mut self) {
        self.process.stop();
    }

    fn restart(&mut self) {
        self.process.restart();
    }

    fn log(&self) -> String {
        self.process.log()
    }
}

/// Run the broker the environment asks for, until killed; nothing when not asked.
pub fn serve_if_asked() {
    let Ok(ask) = std::env::var(ASK) else {
        return;
    };
    let fields: Vec<&str> = ask.split(',').collect();
    let port = |i: usize| -> u16 {
        fields
            .get(i)
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{ASK} is not V4,V5,WS,LOGIN: {ask}"))
    };
    let login = fields.get(3) == Some(&"1");
    let mut broker = rumqttd::Broker::new(config([port(0), port(1), port(2)], login));
    if let Err(error) = broker.start() {
        panic!("rumqttd stopped: {error}");
    }
}

/// rumqttd's configuration: one listener of each kind on loopback, room for a 1 MiB payload.
fn config(ports: [u16; 3], login: bool) -> rumqttd::Config {
    let connections = rumqttd::ConnectionSettings {
        connection_timeout_ms: 60_000,
        max_payload_size: 4 * 1024 * 1024,
        max_inflight_count: 100,
        auth: login.then(|| HashMap::from([(USER.to_owned(), PASSWORD.to_owned())])),
        external_auth: None,
        dynamic_filters: true,
    };
    let server = |name: &str, port: u16| {
        HashMap::from([(
            "1".to_owned(),
            rumqttd::ServerSettings {
                name: name.to_owned(),
                listen: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                tls: None,
                next_connection_delay_ms: 1,
                connections: connections.clone(),
            },
        )])
    };
    rumqttd::Config {
        router: rumqttd::RouterConfig {
            max_connections: 1000,
            max_outgoing_packet_count: 200,
            max_segment_size: 16 * 1024 * 1024,
            max_segment_count: 10,
            ..rumqttd::RouterConfig::default()
        },
        v4: Some(server("v4", ports[0])),
        v5: Some(server("v5", ports[1])),
        ws: Some(server("ws", ports[2])),
        ..rumqttd::Config::default()
    }
}
