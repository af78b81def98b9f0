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
    child: Option<Child>,
    mqtt_port: u16,
    ws_port: u16,
    epmd_port: u16,
    env: Vec<(&'static str, String)>,
    dir: tempfile::TempDir,
}

/// What a test RabbitMQ allows.
#[derive(Clone, Debug, Default)]
pub struct RabbitConfig {
    /// The only user (name, password), created at its first boot; `None`: anonymous MQTT.
    pub login: Option<(String, String)>,
    /// MQTT over WebSockets too (the web MQTT plugin), on [`RabbitMq::ws_port`].
    pub websockets: bool,
}

impl RabbitMq {
    /// Boot RabbitMQ with the MQTT plugin and anonymous MQTT logins; waits until MQTT answers.
    pub fn start() -> Self {
        Self::start_with(&RabbitConfig::default())
    }

    /// Boot RabbitMQ with `config`; waits until MQTT answers.
    pub fn start_with(config: &RabbitConfig) -> Self {
        assert!(
            Path::new(SERVER).exists(),
            "RabbitMQ is not installed ({SERVER}); tests/run.sh installs rabbitmq-server"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let (amqp_port, mqtt_port, dist_port, epmd_port) = (free_port(), free_port(), free_port(), free_port());
        let ws_port = free_port();
        let mut conf = format!(
            "listeners.tcp.default = 127.0.0.1:{amqp_port}\n\
             mqtt.listeners.tcp.default = 127.0.0.1:{mqtt_port}\n\
             loopback_users = none\n"
        );
        match &config.login {
            Some((user, password)) => {
                conf.push_str(&format!(
                    "mqtt.allow_anonymous = false\ndefault_user = {user}\ndefault_pass = {password}\n"
                ));
            }
            None => conf.push_str("mqtt.allow_anonymous = true\n"),
        }
        let mut plugins = "[rabbitmq_mqtt].\n";
        if config.websockets {
            conf.push_str(&format!("web_mqtt.tcp.ip = 127.0.0.1\nweb_mqtt.tcp.port = {ws_port}\n"));
            plugins = "[rabbitmq_mqtt,rabbitmq_web_mqtt].\n";
        }
        std::fs::write(dir.path().join("rabbit.conf"), conf).expect("write rabbit.conf");
        std::fs::write(dir.path().join("enabled_plugins"), plugins).expect("write plugins");
        let path = |name: &str| dir.path().join(name).display().to_string();
        let env = vec![
            ("HOME", dir.path().display().to_string()),
            ("RABBITMQ_NODENAME", format!("mqscope{mqtt_port}@localhost")),
            ("RABBITMQ_CONFIG_FILE", path("rabbit")),
            ("RABBITMQ_ENABLED_PLUGINS_FILE", path("enabled_plugins")),
            ("RABBITMQ_MNESIA_BASE", path("mnesia")),
            ("RABBITMQ_LOG_BASE", path("log")),
            ("RABBITMQ_PID_FILE", path("pid")),
            ("RABBITMQ_DIST_PORT", dist_port.to_string()),
            ("ERL_EPMD_PORT", epmd_port.to_string()),
        ];
        let mut rabbit = Self {
            child: None,
            mqtt_port,
            ws_port,
            epmd_port,
            env,
            dir,
        };
        rabbit.spawn();
        rabbit
    }

    fn spawn(&mut self) {
        let mut command = Command::new(SERVER);
        // Its own process group, so the Erlang VM goes with the script.
        command.process_group(0);
        for (name, value) in &self.env {
            command.env(name, value);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rabbitmq-server");
        let child = self.child.insert(child);
        let deadline = Instant::now() + BOOT_LIMIT;
        while std::net::TcpStream::connect(("127.0.0.1", self.mqtt_port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "RabbitMQ exited while booting ({status}); its log is in {}",
                    self.dir.path().join("log").display()
                );
            }
            assert!(
                Instant::now() < deadline,
                "RabbitMQ did not open its MQTT port in {BOOT_LIMIT:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Kill RabbitMQ and its port mapper (as a crash would).
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let group = format!("-{}", child.id());
        Command::new("kill").args(["-KILL", "--", &group]).status().ok();
        child.wait().ok();
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

    /// Boot it again on the same ports with the same data (its users are kept).
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    /// The MQTT over WebSockets port (with [`RabbitConfig::websockets`]).
    pub fn ws_port(&self) -> u16 {
        self.ws_port
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
        self.stop();
    }
}
