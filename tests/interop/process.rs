//! A broker that runs as a process of its own: started in its own process group with its
//! output in a log file, ready once MQTT answers on its port, killed with its whole group
//! (a script and what it started) when stopped or dropped.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::brokers::{PASSWORD, USER};

/// How long a broker may take to start and answer MQTT (amqtt and Node take a second or two on
/// a busy machine; generous so a loaded CI machine does not fail the matrix).
const START_LIMIT: Duration = Duration::from_secs(60);

/// Where the installs of the interop brokers live: `MQSCOPE_INTEROP_DIR` (set by
/// tests/interop.sh), else `interop` under the Cargo target directory.
pub fn install_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MQSCOPE_INTEROP_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("interop")
}

/// A broker process, restartable on the same ports with the same command.
pub struct BrokerProcess {
    name: &'static str,
    command: Box<dyn Fn() -> Command + Send>,
    port: u16,
    log: PathBuf,
    login: bool,
    child: Option<Child>,
}

impl BrokerProcess {
    /// Start `command` (made anew for each start), its output appended to `log`; returns once
    /// MQTT answers on `port` (asked with the matrix's login when `login`: some brokers close
    /// the connection without a CONNACK for a wrong one).
    pub fn start(
        name: &'static str,
        (port, login): (u16, bool),
        log: PathBuf,
        command: impl Fn() -> Command + Send + 'static,
    ) -> Self {
        let mut process = Self {
            name,
            command: Box::new(command),
            port,
            log,
            login,
            child: None,
        };
        process.spawn();
        process
    }

    fn spawn(&mut self) {
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("open the broker's log");
        let err = out.try_clone().expect("the log for stderr");
        let child = (self.command)()
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", self.name));
        // Kept before waiting, so that a broker that never answers is killed with this value.
        let child = self.child.insert(child);
        let deadline = Instant::now() + START_LIMIT;
        while !mqtt_answers(self.port, self.login) {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{} exited at start ({status}):\n{}", self.name, self.log());
            }
            assert!(
                Instant::now() < deadline,
                "{} did not answer MQTT on port {} in {START_LIMIT:?}:\n{}",
                self.name,
                self.port,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What the broker printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kill the broker and everything it started (as a crash would).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let group = format!("-{}", child.id());
            Command::new("kill").args(["-KILL", "--", &group]).status().ok();
            child.wait().ok();
        }
    }

    /// Start it again on the same ports with the same configuration (retained messages are gone).
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }
}

impl Drop for BrokerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether something on this loopback port answers an MQTT 3.1.1 CONNECT (with the matrix's
/// login when `login`) with a CONNACK, accepting or refusing.
pub fn mqtt_answers(port: u16, login: bool) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    // CONNECT: protocol "MQTT" level 4, clean session, keep-alive 10 s, client id "mqscope-probe".
    let mut flags = 0x02;
    let mut payload = Vec::new();
    let mut field = |bytes: &[u8]| {
        payload.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
        payload.extend_from_slice(bytes);
    };
    field(b"mqscope-probe");
    if login {
        flags |= 0xC0;
        field(USER.as_bytes());
        field(PASSWORD.as_bytes());
    }
    let mut packet = vec![
        0x10,
        (10 + payload.len()) as u8,
        0,
        4,
        b'M',
        b'Q',
        b'T',
        b'T',
        4,
        flags,
        0,
        10,
    ];
    packet.extend_from_slice(&payload);
    if stream.write_all(&packet).is_err() {
        return false;
    }
    let mut connack = [0u8; 4];
    let answered = stream.read_exact(&mut connack).is_ok() && connack[0] == 0x20;
    // DISCONNECT, so the broker does not log a lost client.
    stream.write_all(&[0xE0, 0]).ok();
    answered
}
