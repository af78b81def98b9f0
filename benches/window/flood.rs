//! The highest rate the window keeps up with, next to `mosquitto_sub`, and how long a key
//! waits under a flood.
//!
//! A rate is kept up with when, after a flood of 8 s on 40 topics at that rate, every message
//! sent was applied (the window's "caught up" line counts them; `mosquitto_sub -v` prints a
//! line each) and the last one within 1 s of the flood's end: no backlog grew.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::support::Broker;
use super::{Window, Xvfb, field, traffic};

/// How long each flood lasts.
const FLOOD_SECS: u64 = 8;
/// How late the last message may be applied after the flood ends, for the rate to count.
const LAG_LIMIT: Duration = Duration::from_secs(1);
/// The rates tried, lowest first.
const RATES: [u64; 7] = [10_000, 20_000, 30_000, 40_000, 60_000, 80_000, 120_000];

/// What became of one flood.
struct Outcome {
    sent: u64,
    received: u64,
    /// From the flood's end to the last message taken.
    lag: Duration,
}

impl Outcome {
    fn kept_up(&self) -> bool {
        self.sent > 0 && self.received >= self.sent && self.lag <= LAG_LIMIT
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = if self.kept_up() { "kept up" } else { "fell behind" };
        write!(
            f,
            "{}/{} taken, last {:.2?} after the end: {verdict}",
            self.received, self.sent, self.lag
        )
    }
}

/// `mosquitto_sub -v` under a flood at `rate`.
fn mosquitto_sub(broker: &Broker, rate: u64) -> Outcome {
    let mut sub = Command::new("mosquitto_sub")
        .args(["-p", &broker.port().to_string(), "-t", "#", "-v"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mosquitto_sub runs");
    let stdout = sub.stdout.take().expect("stdout");
    let counter = std::thread::spawn(move || {
        let mut count = 0u64;
        let mut last = Instant::now();
        for _ in BufReader::new(stdout).lines().map_while(Result::ok) {
            count += 1;
            last = Instant::now();
        }
        (count, last)
    });
    std::thread::sleep(Duration::from_millis(500));
    let sent = traffic(broker, rate, FLOOD_SECS).join().unwrap_or(0);
    let ended = Instant::now();
    // Let it drain what it can, then stop it.
    std::thread::sleep(Duration::from_secs(3));
    sub.kill().ok();
    sub.wait().ok();
    let (received, last) = counter.join().unwrap_or((0, ended));
    Outcome {
        sent,
        received,
        lag: last.saturating_duration_since(ended),
    }
}

/// The window, its tree open and a topic selected, under a flood at `rate`.
fn window(x: &Xvfb, broker: &Broker, rate: u64) -> Outcome {
    let window = Window::start(x, broker);
    // A first trickle makes the topics; then every branch opens and one topic is selected.
    traffic(broker, 400, 1).join().ok();
    window.keys(
        x,
        &["key ctrl+f", "type /", "mousemove 200 183", "click 1", "key Escape"],
    );
    std::thread::sleep(Duration::from_millis(500));
    window.drain_lines();
    let sent = traffic(broker, rate, FLOOD_SECS).join().unwrap_or(0);
    let ended = Instant::now();
    let mut received = 0;
    let mut last = ended;
    let deadline = ended + Duration::from_secs(30);
    while received < sent && Instant::now() < deadline {
        let Ok((read_at, line)) = window
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        else {
            break;
        };
        if line.contains("caught up") {
            received += field(&line, "messages=").unwrap_or(0);
            let ago = Duration::from_millis(field(&line, "ago_ms=").unwrap_or(0));
            last = read_at.checked_sub(ago).unwrap_or(read_at);
        }
    }
    Outcome {
        sent,
        received,
        lag: last.saturating_duration_since(ended),
    }
}

/// Flood at rising rates until both fell behind; report the highest each kept up with.
pub fn flood(x: &Xvfb) {
    let broker = Broker::start();
    let (mut sub_best, mut window_best) = (0, 0);
    let (mut sub_done, mut window_done) = (false, false);
    for rate in RATES {
        if !sub_done {
            let outcome = mosquitto_sub(&broker, rate);
            println!("flood {rate} msg/s, mosquitto_sub -v: {outcome}");
            if outcome.kept_up() {
                sub_best = rate;
            } else {
                sub_done = true;
            }
        }
        if !window_done {
            let outcome = window(x, &broker, rate);
            println!("flood {rate} msg/s, window: {outcome}");
            if outcome.kept_up() {
                window_best = rate;
            } else {
                window_done = true;
            }
        }
        if sub_done && window_done {
            break;
        }
    }
    println!("highest sustained rate: mosquitto_sub -v {sub_best} msg/s, window {window_best} msg/s");
}

/// How long keys wait at `rate`: the time from sending a key (xdotool) until the window logs
/// the frame that answered it, for 20 presses of Down and Up in the tree.
pub fn input_latency(x: &Xvfb, window: &Window, broker: &Broker, rate: u64) {
    let sender = traffic(broker, rate, 12);
    window.keys(x, &[]);
    std::thread::sleep(Duration::from_secs(2));
    let mut waits = Vec::new();
    for press in 0..20 {
        window.drain_lines();
        let key = if press % 2 == 0 { "Down" } else { "Up" };
        let sent = Instant::now();
        window.xdotool(x, &["key", key]);
        let deadline = sent + Duration::from_secs(2);
        while let Ok((read_at, line)) = window
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if line.contains("input answered") {
                waits.push(read_at.saturating_duration_since(sent));
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    sender.join().ok();
    waits.sort();
    let median = waits.get(waits.len() / 2).copied().unwrap_or_default();
    let worst = waits.last().copied().unwrap_or_default();
    println!(
        "input at {rate} msg/s: {} of 20 keys answered, median {median:.1?}, worst {worst:.1?} (budget 100 ms)",
        waits.len()
    );
}
