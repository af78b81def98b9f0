//! The real window: the release binary under Xvfb (Mesa's software GL on this machine) against
//! a local Mosquitto the benchmark fills, measured from outside as a user would feel it.
//!
//! Reports in one run:
//! - load: process start until 100,000 retained topics are applied and drawn (the app's own
//!   "caught up" log line, less how long ago it says the last one came), next to
//!   `mosquitto_sub -t '#' -C 100000` against the same broker, five rounds each;
//! - CPU: the window's CPU ticks (`/proc/PID/stat`, 100 a second is one core) over 10 s idle,
//!   and under live traffic on 40 topics at 100, 1,000 and 10,000 msg/s, with all 40 on screen
//!   (a search for `/` opens every branch);
//! - input: how long a key waits at 10,000 msg/s, from xdotool to the frame that answered it
//!   (the app's debug line "input answered");
//! - floods: the highest rate the window keeps up with on 40 topics, tree open and a topic
//!   selected, next to `mosquitto_sub -v` (`window/flood.rs`).
//!
//! Run with `cargo bench --bench window` (needs Xvfb and xdotool, which tests/run.sh does not
//! install: `apt-get install xvfb xdotool`). `MQSCOPE_BIN=path` measures another build of the
//! binary; `WINDOW_TOPICS=N` loads N topics instead of 100,000; `WINDOW_SKIP_LOAD=1` measures
//! CPU only (for builds without the "caught up" line); `WINDOW_SKIP_CPU=1` and `WINDOW_SKIP_FLOOD=1` leave
//! the CPU figures or the floods out; `WINDOW_SHOT=file.png` saves what the
//! window showed at 100 msg/s.

#[path = "window/flood.rs"]
mod flood;
#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::{Broker, free_port, median};

const ROUNDS: usize = 5;

/// An X server of its own for the window.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Self {
        let display = format!(":{}", 300 + free_port() % 600);
        let child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb runs (apt-get install xvfb)");
        std::thread::sleep(Duration::from_millis(800));
        Self { child, display }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The window, running, and its log lines as they come (with the time each was read).
struct Window {
    child: Child,
    started: Instant,
    lines: mpsc::Receiver<(Instant, String)>,
    _home: tempfile::TempDir,
}

impl Window {
    fn start(x: &Xvfb, broker: &Broker) -> Self {
        let binary = std::env::var("MQSCOPE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_mqscope").to_owned());
        // A home of its own: no profile, window state or settings from another run.
        let home = tempfile::tempdir().expect("temp dir");
        let started = Instant::now();
        let mut child = Command::new(binary)
            .args(["--broker", &broker.url(), "-t", "#"])
            .env("DISPLAY", &x.display)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("RUST_LOG", "mqscope=info,mqscope::input=debug,warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the mqscope binary runs");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            started,
            lines,
            _home: home,
        }
    }

    /// The time from start until `messages` were applied and drawn, from the "caught up" lines.
    fn until_caught_up(&self, messages: u64) -> Duration {
        let mut applied = 0;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (read_at, line) = self.lines.recv_timeout(left).expect("the window caught up in time");
            if std::env::var_os("WINDOW_VERBOSE").is_some() {
                println!(
                    "  {:>6} ms  {line}",
                    read_at.saturating_duration_since(self.started).as_millis()
                );
            }
            if !line.contains("caught up") {
                continue;
            }
            applied += field(&line, "messages=").unwrap_or(0);
            if applied >= messages {
                let ago = Duration::from_millis(field(&line, "ago_ms=").unwrap_or(0));
                return read_at.saturating_duration_since(self.started).saturating_sub(ago);
            }
        }
    }

    /// CPU ticks (user and system) used so far.
    fn ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The fields after the command name, which is in parentheses and may hold spaces.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<u64> = after.split_whitespace().filter_map(|f| f.parse().ok()).collect();
        // utime and stime are fields 14 and 15 of stat; here, after the state letter, 11 and 12.
        fields.get(10).copied().unwrap_or(0) + fields.get(11).copied().unwrap_or(0)
    }

    /// Lines logged so far, left unread: what comes next is newer.
    fn drain_lines(&self) {
        while self.lines.try_recv().is_ok() {}
    }

    /// Run one xdotool command on the display (the window has the keyboard already).
    fn xdotool(&self, x: &Xvfb, args: &[&str]) {
        Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &x.display)
            .status()
            .ok();
    }

    /// Give the window the keyboard and run `steps`: xdotool commands (`key ctrl+f`,
    /// `type /`, `mousemove 200 180`, `click 1`), or `size W H` for the window's size.
    fn keys(&self, x: &Xvfb, steps: &[&str]) {
        let found = Command::new("xdotool")
            .args(["search", "--sync", "--pid", &self.child.id().to_string()])
            .env("DISPLAY", &x.display)
            .output()
            .expect("xdotool runs (apt-get install xdotool)");
        let ids = String::from_utf8_lossy(&found.stdout);
        let Some(window) = ids.lines().last() else { return };
        let mut focus = Command::new("xdotool");
        focus.args(["windowfocus", window]).env("DISPLAY", &x.display);
        focus.status().ok();
        for step in steps {
            std::thread::sleep(Duration::from_millis(400));
            let mut words: Vec<&str> = step.split(' ').collect();
            if words.first() == Some(&"size") {
                words = [&["windowsize", window][..], &words[1..]].concat();
            }
            let mut run = Command::new("xdotool");
            run.args(&words).env("DISPLAY", &x.display).status().ok();
        }
        std::thread::sleep(Duration::from_millis(400));
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The number after `name` in a log line (colours, if any, left out).
fn field(line: &str, name: &str) -> Option<u64> {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // An escape sequence: up to and with its final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    let line = plain.as_str();
    let start = line.find(name)? + name.len();
    let digits: String = line[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Publish drifting values on 40 topics (rooms, plugs, thermostats, meters) at `rate` a second
/// for `seconds`, from a thread.
fn traffic(broker: &Broker, rate: u64, seconds: u64) -> std::thread::JoinHandle<u64> {
    let mut options = rumqttc::MqttOptions::new(format!("traffic-{}", fastrand::u32(..)), "127.0.0.1", broker.port());
    options.set_keep_alive(Duration::from_secs(30));
    let (client, mut connection) = rumqttc::Client::new(options, 10_000);
    std::thread::spawn(move || for _ in connection.iter() {});
    std::thread::spawn(move || {
        let start = Instant::now();
        let end = start + Duration::from_secs(seconds);
        let mut sent = 0u64;
        let mut value = [20.0f64; 40];
        while Instant::now() < end {
            let due = (start.elapsed().as_secs_f64() * rate as f64) as u64;
            while sent < due {
                let k = (sent % 40) as usize;
                value[k] += (fastrand::f64() - 0.5) * 0.4;
                let (topic, payload) = match k % 4 {
                    0 => (
                        format!("home/room{k}/sensor"),
                        format!("{{\"temperature\":{:.2},\"humidity\":{}}}", value[k], 40 + sent % 20),
                    ),
                    1 => (
                        format!("plugs/plug{k}/state"),
                        format!(
                            "{{\"power\":{{\"watts\":{:.1},\"on\":true}},\"uptime\":{sent}}}",
                            value[k] * 50.0
                        ),
                    ),
                    2 => (format!("thermostat/t{k}/current"), format!("{:.1} °C", value[k])),
                    _ => (format!("meter/m{k}/raw"), format!("{sent}")),
                };
                if client
                    .try_publish(topic, rumqttc::QoS::AtMostOnce, false, payload)
                    .is_err()
                {
                    break;
                }
                sent += 1;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        client.disconnect().ok();
        sent
    })
}

fn main() {
    // `cargo test --benches` runs bench targets with --bench absent; only measure when asked.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let topics: usize = std::env::var("WINDOW_TOPICS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(100_000);
    let x = Xvfb::start();
    // A build without the "caught up" line (older ones) can still be measured for CPU.
    if std::env::var_os("WINDOW_SKIP_LOAD").is_none() {
        load_rounds(&x, topics);
    }
    if std::env::var_os("WINDOW_SKIP_CPU").is_none() {
        cpu(&x);
    }
    if std::env::var_os("WINDOW_SKIP_FLOOD").is_none() {
        flood::flood(&x);
    }
}

/// The load, three rounds of `mosquitto_sub` and the window each, and their medians.
fn load_rounds(x: &Xvfb, topics: usize) {
    let broker = Broker::start();
    let start = Instant::now();
    broker.retain_fleet(topics);
    println!("loaded {topics} retained topics in {:.2?}", start.elapsed());
    let (mut sub, mut ours) = (Vec::new(), Vec::new());
    for round in 1..=ROUNDS {
        let s = broker.time_mosquitto_sub(topics);
        let window = Window::start(x, &broker);
        let m = window.until_caught_up(topics as u64);
        drop(window);
        println!("round {round}: mosquitto_sub {s:.3?}, window {m:.3?}");
        sub.push(s);
        ours.push(m);
    }
    let (s, m) = (median(sub), median(ours));
    println!(
        "load median: mosquitto_sub {s:.3?}, window {m:.3?}, ratio {:.2} (budget 1.00)",
        m.as_secs_f64() / s.as_secs_f64()
    );
}

/// CPU idle and under live traffic.
fn cpu(x: &Xvfb) {
    let broker = Broker::start();
    let window = Window::start(x, &broker);
    std::thread::sleep(Duration::from_secs(3));
    let before = window.ticks();
    std::thread::sleep(Duration::from_secs(10));
    println!("idle: {} ticks in 10 s", window.ticks() - before);
    for rate in [100, 1_000, 10_000] {
        let sender = traffic(&broker, rate, 14);
        if rate == 100 {
            // A large window; once the topics exist, a search for "/": every topic matches and
            // every branch opens (in any build of the window); then a click on the first topic,
            // which shows its payload, history and chart.
            std::thread::sleep(Duration::from_secs(1));
            window.keys(
                x,
                &["size 1920 1080", "key ctrl+f", "type /", "mousemove 200 183", "click 1"],
            );
        }
        std::thread::sleep(Duration::from_secs(3));
        let before = window.ticks();
        std::thread::sleep(Duration::from_secs(10));
        let used = window.ticks() - before;
        if let Some(shot) = std::env::var_os("WINDOW_SHOT").filter(|_| rate == 100) {
            // What the window showed while it was measured (ImageMagick's import).
            let mut import = Command::new("import");
            import.args(["-window", "root"]).arg(&shot).env("DISPLAY", &x.display);
            import.status().ok();
        }
        let sent = sender.join().unwrap_or(0);
        println!(
            "{rate} msg/s on 40 topics: {used} ticks in 10 s ({}% of one core), {sent} sent",
            used / 10
        );
    }
    flood::input_latency(x, &window, &broker, 10_000);
}
