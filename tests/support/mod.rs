//! Real parts for tests: a Mosquitto broker started on a free port with its
//! own config in a temp dir, a client to publish test data, and a way to
//! watch what mqscope's connection code reports.

#![allow(dead_code, reason = "each test binary uses a different part of this module")]

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mqscope::model::{ConnectionState, Session};
use mqscope::mqtt::{BrokerAddress, Connection, ConnectionSettings, Drained};

pub mod fake_broker;
pub mod faults;
pub mod pki;
pub mod proxies;
pub mod rabbitmq;
pub mod responder;
pub mod sni;

/// Connection settings, with mqscope's defaults, for a broker (or a proxy) at this loopback port.
pub fn settings_for_port(port: u16) -> ConnectionSettings {
    ConnectionSettings::new(BrokerAddress::parse(&format!("mqtt://127.0.0.1:{port}")).expect("valid address"))
}

/// A listener beside the plain TCP one (which the test harness uses to see the broker is up).
#[derive(Clone, Debug)]
pub enum Listener {
    /// MQTT over TLS with this certificate and key; `require_client_cert` asks clients for one
    /// issued by `ca`.
    Tls {
        /// CA file (PEM) for client certificates.
        ca: PathBuf,
        /// Server certificate (PEM).
        cert: PathBuf,
        /// Server key (PEM).
        key: PathBuf,
        /// Whether a client certificate is required.
        require_client_cert: bool,
    },
    /// MQTT over WebSockets.
    Ws,
    /// MQTT over WebSockets over TLS.
    Wss {
        /// Server certificate (PEM).
        cert: PathBuf,
        /// Server key (PEM).
        key: PathBuf,
    },
}

/// What the test broker allows.
#[derive(Clone, Debug, Default)]
pub struct BrokerConfig {
    /// Users (name, password); when not empty, anonymous clients are refused.
    pub users: Vec<(String, String)>,
    /// Extra listeners; their ports are in [`Broker::ports`], in the same order.
    pub listeners: Vec<Listener>,
    /// An ACL file's lines (`acl_file`).
    pub acl: Vec<String>,
    /// Use the dynamic security plugin (users, roles, and ACLs checked at SUBSCRIBE), with an
    /// `admin` user; configure it with [`Broker::dynsec`].
    pub dynsec: bool,
    /// Extra lines for mosquitto.conf.
    pub extra: Vec<String>,
}

/// A Mosquitto process that lives as long as this value.
pub struct Broker {
    child: Option<Child>,
    port: u16,
    ports: Vec<u16>,
    dir: tempfile::TempDir,
    binary: PathBuf,
}

fn find_binary(name: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return path;
        }
    }
    panic!(
        "`{name}` is not installed. Install Mosquitto with `sudo apt-get install -y mosquitto mosquitto-clients` \
         (the README's test command, `.ci/run`, does this for you)"
    );
}

/// The dynamic security plugin's admin password in test brokers.
const DYNSEC_ADMIN_PASSWORD: &str = "admin-pw";

fn find_plugin(name: &str) -> PathBuf {
    for dir in [
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/lib",
        "/usr/local/lib",
    ] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return path;
        }
    }
    panic!("the Mosquitto plugin {name} is not installed (it comes with Debian's mosquitto package)");
}

/// The middle one of some timings (the upper middle of an even count).
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

impl Broker {
    /// A broker that lets anyone in.
    pub fn start() -> Self {
        Self::start_with(BrokerConfig::default())
    }

    /// A broker with `config`.
    pub fn start_with(config: BrokerConfig) -> Self {
        let binary = find_binary("mosquitto");
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut conf = vec![
            // Started as root, Mosquitto would drop to its own user and lose access to this dir.
            "user root".to_owned(),
            format!("listener {port} 127.0.0.1"),
            "persistence false".to_owned(),
            "log_dest stderr".to_owned(),
            "log_type error".to_owned(),
            "log_type warning".to_owned(),
            "log_type notice".to_owned(),
            "sys_interval 1".to_owned(),
            "max_queued_messages 0".to_owned(),
        ];
        if config.dynsec {
            let file = dir.path().join("dynsec.json");
            let status = Command::new(find_binary("mosquitto_ctrl"))
                .args(["dynsec", "init"])
                .arg(&file)
                .args(["admin", DYNSEC_ADMIN_PASSWORD])
                .stdout(Stdio::null())
                .status()
                .expect("run mosquitto_ctrl");
            assert!(status.success() && file.exists(), "mosquitto_ctrl dynsec init failed");
            conf.push("allow_anonymous false".to_owned());
            conf.push(format!(
                "plugin {}",
                find_plugin("mosquitto_dynamic_security.so").display()
            ));
            conf.push(format!("plugin_opt_config_file {}", file.display()));
        } else if config.users.is_empty() {
            conf.push("allow_anonymous true".to_owned());
        } else {
            let passwd = dir.path().join("passwd");
            for (i, (user, password)) in config.users.iter().enumerate() {
                let mut cmd = Command::new(find_binary("mosquitto_passwd"));
                cmd.arg("-b");
                if i == 0 {
                    cmd.arg("-c");
                }
                let status = cmd
                    .arg(&passwd)
                    .arg(user)
                    .arg(password)
                    .status()
                    .expect("run mosquitto_passwd");
                assert!(status.success(), "mosquitto_passwd failed");
            }
            conf.push("allow_anonymous false".to_owned());
            conf.push(format!("password_file {}", passwd.display()));
        }
        let mut ports = Vec::new();
        for listener in &config.listeners {
            let port = free_port();
            ports.push(port);
            conf.push(format!("listener {port} 127.0.0.1"));
            match listener {
                Listener::Tls {
                    ca,
                    cert,
                    key,
                    require_client_cert,
                } => {
                    conf.push(format!("cafile {}", ca.display()));
                    conf.push(format!("certfile {}", cert.display()));
                    conf.push(format!("keyfile {}", key.display()));
                    conf.push(format!("require_certificate {require_client_cert}"));
                }
                Listener::Ws => conf.push("protocol websockets".to_owned()),
                Listener::Wss { cert, key } => {
                    conf.push("protocol websockets".to_owned());
                    conf.push(format!("certfile {}", cert.display()));
                    conf.push(format!("keyfile {}", key.display()));
                }
            }
        }
        if !config.acl.is_empty() {
            let acl = dir.path().join("acl");
            std::fs::write(&acl, config.acl.join("\n") + "\n").expect("write the ACL file");
            conf.push(format!("acl_file {}", acl.display()));
        }
        conf.extend(config.extra);
        let conf_path = dir.path().join("mosquitto.conf");
        std::fs::write(&conf_path, conf.join("\n") + "\n").expect("write mosquitto.conf");
        let mut broker = Self {
            child: None,
            port,
            ports,
            dir,
            binary,
        };
        broker.spawn();
        broker
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("mosquitto.log"))
            .expect("open broker log");
        let child = Command::new(&self.binary)
            .arg("-c")
            .arg(self.dir.path().join("mosquitto.conf"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start mosquitto");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(child) = &mut self.child
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!("mosquitto exited with {status} at start:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "mosquitto did not listen on port {} in time:\n{}",
                self.port,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("mosquitto.log")).unwrap_or_default()
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Run `mosquitto_ctrl dynsec ARGS` as the admin (the broker needs [`BrokerConfig::dynsec`]).
    pub fn dynsec(&self, args: &[&str]) {
        let output = Command::new(find_binary("mosquitto_ctrl"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-u", "admin", "-P", DYNSEC_ADMIN_PASSWORD, "dynsec"])
            .args(args)
            .output()
            .expect("run mosquitto_ctrl");
        assert!(
            output.status.success(),
            "mosquitto_ctrl dynsec {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// The ports of the extra listeners, in the order of [`BrokerConfig::listeners`].
    pub fn ports(&self) -> &[u16] {
        &self.ports
    }

    /// `mqtt://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }

    /// Connection settings for this broker, with mqscope's defaults.
    pub fn settings(&self) -> ConnectionSettings {
        ConnectionSettings::new(BrokerAddress::parse(&self.url()).expect("valid address"))
    }

    /// Kill the broker (as a crash or power cut would).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    /// Start it again on the same port, with the same config (retained messages are gone).
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    /// `mosquitto_sub -v` on `filter`, giving up after `wait_secs`.
    fn mosquitto_sub_command(&self, filter: &str, wait_secs: u32) -> Command {
        let mut command = Command::new(find_binary("mosquitto_sub"));
        command
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-v", "-W"])
            .arg(wait_secs.to_string())
            .args(["-t", filter]);
        command
    }

    /// Start `mosquitto_sub -v` on `filter` for `count` messages; wait for its output with
    /// [`std::process::Child::wait_with_output`]. Gives it a moment to subscribe.
    pub fn mosquitto_sub(&self, filter: &str, count: usize) -> Child {
        let child = self
            .mosquitto_sub_command(filter, 10)
            .args(["-C", &count.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start mosquitto_sub");
        std::thread::sleep(Duration::from_millis(300));
        child
    }

    /// What a fresh `mosquitto_sub -v` on `filter` receives within 2 s: the
    /// retained messages, one `topic payload` line each.
    pub fn retained_now(&self, filter: &str) -> String {
        let output = self
            .mosquitto_sub_command(filter, 2)
            .output()
            .expect("run mosquitto_sub");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Publish with `mosquitto_pub`, a client independent of mqscope.
    pub fn mosquitto_pub(&self, topic: &str, payload: &[u8], retain: bool) {
        self.publish_with(topic, payload, retain, None);
    }

    /// Publish `count` messages of `size` bytes (each line one message, QoS 1) to `topic`.
    pub fn mosquitto_pub_lines(&self, topic: &str, count: usize, size: usize) {
        let line = "x".repeat(size.saturating_sub(1));
        let mut input = String::with_capacity(count * size);
        for _ in 0..count {
            input.push_str(&line);
            input.push('\n');
        }
        let mut child = self
            .mosquitto_pub_command(topic)
            .arg("-l")
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run mosquitto_pub");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("lines to publish");
        let output = child.wait_with_output().expect("mosquitto_pub ends");
        assert!(
            output.status.success(),
            "mosquitto_pub failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `mosquitto_pub` to this broker at QoS 1 on `topic`; the payload's option is added after.
    fn mosquitto_pub_command(&self, topic: &str) -> Command {
        let mut cmd = Command::new(find_binary("mosquitto_pub"));
        cmd.args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-q", "1", "-t", topic]);
        cmd
    }

    /// Publish with `mosquitto_pub` as the user `login` (name, password).
    pub fn mosquitto_pub_as(&self, topic: &str, payload: &[u8], retain: bool, login: (&str, &str)) {
        self.publish_with(topic, payload, retain, Some(login));
    }

    fn publish_with(&self, topic: &str, payload: &[u8], retain: bool, login: Option<(&str, &str)>) {
        let file = self.dir.path().join(format!("payload-{}", fastrand::u64(..)));
        std::fs::File::create(&file)
            .and_then(|mut f| f.write_all(payload))
            .expect("write payload file");
        let mut cmd = self.mosquitto_pub_command(topic);
        cmd.arg("-f").arg(&file);
        if retain {
            cmd.arg("-r");
        }
        if let Some((user, password)) = login {
            cmd.args(["-u", user, "-P", password]);
        }
        let output = cmd.output().expect("run mosquitto_pub");
        assert!(
            output.status.success(),
            "mosquitto_pub failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::remove_file(file).ok();
    }

    /// Publish many messages at QoS 1 and wait until the broker acknowledged all of them.
    /// Retain `topics` topics of a fleet of sensors (`fleet/siteS/deviceD/sensorN`, small JSON
    /// payloads), as the load benchmarks use.
    pub fn retain_fleet(&self, topics: usize) {
        let messages: Vec<(String, Vec<u8>, bool)> = (0..topics)
            .map(|i| {
                let topic = format!("fleet/site{}/device{}/sensor{}", i % 10, i / 100, i % 100);
                let payload = format!("{{\"temperature\":{}.{},\"battery\":{}}}", 15 + i % 15, i % 10, i % 100);
                (topic, payload.into_bytes(), true)
            })
            .collect();
        self.publish_all(&messages);
    }

    /// How long `mosquitto_sub -t '#' -C messages` takes, from its start until it has printed
    /// `messages` messages (to nowhere).
    pub fn time_mosquitto_sub(&self, messages: usize) -> Duration {
        let start = Instant::now();
        let status = Command::new(find_binary("mosquitto_sub"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-t",
                "#",
                "-C",
                &messages.to_string(),
            ])
            .stdout(Stdio::null())
            .status()
            .expect("run mosquitto_sub");
        assert!(status.success(), "mosquitto_sub failed");
        start.elapsed()
    }

    pub fn publish_all(&self, messages: &[(String, Vec<u8>, bool)]) {
        let mut options = rumqttc::MqttOptions::new(format!("loader-{}", fastrand::u32(..)), "127.0.0.1", self.port);
        options.set_max_packet_size(1 << 28, 1 << 28);
        options.set_keep_alive(Duration::from_secs(30));
        options.set_inflight(1000);
        let (client, mut connection) = rumqttc::Client::new(options, 1000);
        let total = messages.len();
        let pump = std::thread::spawn(move || {
            let mut acked = 0;
            for event in connection.iter() {
                match event {
                    Ok(rumqttc::Event::Incoming(rumqttc::Packet::PubAck(_))) => {
                        acked += 1;
                        if acked == total {
                            break;
                        }
                    }
                    Ok(_) => {}
                    Err(error) => panic!("loader connection failed: {error}"),
                }
            }
        });
        for (topic, payload, retain) in messages {
            client
                .publish(topic.clone(), rumqttc::QoS::AtLeastOnce, *retain, payload.clone())
                .expect("queue publish");
        }
        if total > 0 {
            pump.join().expect("loader thread");
        }
        client.disconnect().ok();
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// mqscope's connection code running against a broker, feeding a model, as the window does.
pub struct Watch {
    runtime: tokio::runtime::Runtime,
    connection: Connection,
    /// What the connection reported so far.
    pub session: Session,
}

impl Watch {
    /// Connect with `settings`.
    pub fn connect(settings: ConnectionSettings) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let connection = Connection::spawn(runtime.handle(), settings, Arc::new(|| {}));
        Self {
            runtime,
            connection,
            session: Session::new(),
        }
    }

    /// Connect with `settings`, the events waiting for the test held to about `limit` bytes.
    pub fn connect_bounded(settings: ConnectionSettings, limit: usize) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let connection = Connection::spawn_bounded(runtime.handle(), settings, Arc::new(|| {}), limit);
        Self {
            runtime,
            connection,
            session: Session::new(),
        }
    }

    /// Bytes of events reported and not applied yet.
    pub fn queued_bytes(&self) -> usize {
        self.connection.events().queued_bytes()
    }

    /// Apply events until `done` holds; fail the test after `timeout` saying what was awaited.
    pub fn until(&mut self, what: &str, timeout: Duration, done: impl Fn(&Session) -> bool) {
        let deadline = Instant::now() + timeout;
        loop {
            let session = &mut self.session;
            let drained = self
                .connection
                .events()
                .drain(Instant::now() + Duration::from_millis(50), |event| {
                    session.apply(event, Instant::now())
                });
            if done(&self.session) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; connection state: {:?}; {} topics, {} messages",
                self.session.state(),
                self.session.tree.topic_count(),
                self.session.tree.message_count()
            );
            if drained != Drained::MoreWaiting {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    /// Wait for the connection to be up.
    pub fn until_connected(&mut self) {
        self.until("the connection", Duration::from_secs(10), |s| s.state().is_connected());
    }

    /// Whether the state is `Reconnecting` or `Failed` and its reason contains `text`.
    pub fn reason_contains(session: &Session, text: &str) -> bool {
        match session.state() {
            ConnectionState::Reconnecting { reason, .. } | ConnectionState::Failed { reason } => reason.contains(text),
            _ => false,
        }
    }

    /// Publish through mqscope's connection; the id its outcome is reported under.
    pub fn publish(&self, request: mqscope::mqtt::PublishRequest) -> u64 {
        self.connection.publish(request).get()
    }

    /// Subscribe while connected (or again, with other options).
    pub fn subscribe(&self, subscription: mqscope::model::Subscription) {
        self.connection.subscribe(subscription);
    }

    /// Unsubscribe while connected.
    pub fn unsubscribe(&self, filter: &str) {
        self.connection.unsubscribe(filter.to_owned());
    }

    /// Messages received on `topic` so far.
    pub fn messages_on(&self, topic: &str) -> u64 {
        let tree = &self.session.tree;
        tree.find(topic)
            .and_then(|id| tree.get(id))
            .map_or(0, |n| n.own_messages())
    }

    /// Hand what the connection receives to a recording (`None`: stop it).
    pub fn record(&self, sink: Option<mqscope::record::RecordSink>) {
        self.connection.record(sink);
    }

    /// Close the connection cleanly.
    pub fn disconnect(mut self) {
        self.connection.disconnect();
        self.until("a clean disconnect", Duration::from_secs(5), |s| {
            matches!(s.state(), ConnectionState::Disconnected)
        });
        drop(self.runtime);
    }
}

/// A tmpfs of `size` mounted on a fresh directory; unmounted when dropped.
pub struct TinyDisk {
    pub dir: tempfile::TempDir,
}

impl TinyDisk {
    pub fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount");
        assert!(status.success(), "this test mounts a small tmpfs: run it as root");
        Self { dir }
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        Command::new("umount").arg(self.dir.path()).status().ok();
    }
}
