//! A RabbitMQ broker with its MQTT plugin, started on free ports with its own config, data and
//! Erlang port mapper in a temp dir: a broker that speaks MQTT 3.1.1 only (RabbitMQ before 3.13)
//! and closes the connection on an MQTT 5 CONNECT.

use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mqscope::mqtt::{BrokerAddress, ConnectionSettings};

use super::free_port;

/// Where the Debian package puts the server script (the one in /usr/sbin drops to its own user).
const SERVER: &str = "/usr/lib/rabbitmq/bin/rabbitmq-server";

/// How long RabbitMQ may take to boot and open its MQTT listener (about 20 s on 2 cores).
const BOOT_LIMIT: Duration = Duration::from_secs(120);

/// A running RabbitMQ; stopped (with its port mapper) when dropped.
pub struct RabbitMq {
    child: Child,
    mqtt_port: u16,
    epmd_port: u16,
    dir: tempfile::TempDir,
}

impl RabbitMq {
    /// Boot RabbitMQ with the MQTT plugin and anonymous MQTT logins; waits until MQTT answers.
    pub fn start() -> Self {
        assert!(
            Path::new(SERVER).exists(),
            "RabbitMQ is not installed ({SERVER}); tests/run.sh installs rabbitmq-server"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let (amqp_port, mqtt_port, dist_port, epmd_port) = (free_port(), free_port(), free_port(), free_port());
        let conf = format!(
            "listeners.tcp.default = 127.0.0.1:{amqp_port}\n\
             mqtt.listeners.tcp.default = 127.0.0.1:{mqtt_port}\n\
             mqtt.allow_anonymous = true\n\
             loopback_users = none\n"
        );
        std::fs::write(dir.path().join("rabbit.conf"), conf).expect("write rabbit.conf");
        std::fs::write(dir.path().join("enabled_plugins"), "[rabbitmq_mqtt].\n").expect("write plugins");
        let path = |name: &str| dir.path().join(name);
        let mut child = Command::new(SERVER)
            // Its own process group, so the Erlang VM goes with the script.
            .process_group(0)
            .env("HOME", dir.path())
            .env("RABBITMQ_NODENAME", format!("mqscope{mqtt_port}@localhost"))
            .env("RABBITMQ_CONFIG_FILE", path("rabbit"))
            .env("RABBITMQ_ENABLED_PLUGINS_FILE", path("enabled_plugins"))
            .env("RABBITMQ_MNESIA_BASE", path("mnesia"))
            .env("RABBITMQ_LOG_BASE", path("log"))
            .env("RABBITMQ_PID_FILE", path("pid"))
            .env("RABBITMQ_DIST_PORT", dist_port.to_string())
            .env("ERL_EPMD_PORT", epmd_port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rabbitmq-server");
        let deadline = Instant::now() + BOOT_LIMIT;
        while std::net::TcpStream::connect(("127.0.0.1", mqtt_port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "RabbitMQ exited while booting ({status}); its log is in {}",
                    path("log").display()
                );
            }
            assert!(
                Instant::now() < deadline,
                "RabbitMQ did not open its MQTT port in {BOOT_LIMIT:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        Self {
            child,
            mqtt_port,
            epmd_port,
            dir,
        }
    }

    /// The MQTT port.
    pub fn port(&self) -> u16 {
        self.mqtt_port
    }

    /// Connection settings for this broker, as a new profile has them.
    pub fn settings(&self) -> ConnectionSettings {
        let address = BrokerAddress::parse(&format!("mqtt://127.0.0.1:{}", self.mqtt_port)).expect("address");
        ConnectionSettings::new(address)
    }

    /// What RabbitMQ logged.
    pub fn log(&self) -> String {
        let mut text = String::new();
        for entry in std::fs::read_dir(self.dir.path().join("log"))
            .into_iter()
            .flatten()
            .flatten()
        {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
        text
    }
}

impl Drop for RabbitMq {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        Command::new("kill").args(["-KILL", "--", &group]).status().ok();
        self.child.wait().ok();
        // The port mapper detached itself; it listens on this broker's own port, and stops
        // once it has seen the node go.
        for _ in 0..20 {
            let killed = Command::new("epmd")
                .args(["-port", &self.epmd_port.to_string(), "-kill"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            if killed || std::net::TcpStream::connect(("127.0.0.1", self.epmd_port)).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
