//! Simulated devices: how fast templates render (no network), and how many messages a
//! simulation sends through mqscope's real connection to a local Mosquitto, with a second
//! client (`mosquitto_sub`) counting what arrives and the tab's own subscription applying them
//! as the window does, a frame every 16 ms (how long the longest frame's drain took).
//!
//! Run with `cargo bench --bench simulate`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mqscope::model::simulate::{Now, Rate, Run, examples};
use mqscope::model::{Session, Subscription};
use mqscope::mqtt::Connection;
use mqscope::simulate::{Simulators, Status};
use support::Broker;

const SECONDS: u64 = 5;

fn render_rate() {
    for simulation in examples::all() {
        let mut run = Run::new(&simulation).expect("example");
        let mut rng = fastrand::Rng::with_seed(1);
        let count = 200_000;
        let start = Instant::now();
        let mut bytes = 0;
        for i in 0..count {
            let mut now = Now {
                elapsed_secs: f64::from(i) / 1000.0,
                epoch_ms: 1_700_000_000_000,
                rng: &mut rng,
            };
            bytes += run.next_message(&mut now).payload.len();
        }
        let took = start.elapsed();
        println!(
            "render {:<26} {:>10.0} msg/s ({} B average payload)",
            simulation.name,
            f64::from(count) / took.as_secs_f64(),
            bytes / count as usize
        );
    }
}

fn through_mosquitto(broker: &Broker, per_second: f64) {
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("zigbee2mqtt/#")];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let connection = Connection::spawn(runtime.handle(), settings, Arc::new(|| {}));
    let mut session = Session::new();
    let mut simulators = Simulators::default();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !session.state().is_connected() && Instant::now() < deadline {
        connection
            .events()
            .drain(Instant::now() + Duration::from_millis(10), |e| {
                session.apply(e, Instant::now())
            });
        std::thread::sleep(Duration::from_millis(10));
    }
    let port = broker.port().to_string();
    let wait = (SECONDS + 3).to_string();
    let mut listener = Command::new("mosquitto_sub")
        .args(["-h", "127.0.0.1", "-p", &port, "-W", &wait, "-t", "zigbee2mqtt/#"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mosquitto_sub");
    let stdout = listener.stdout.take().expect("stdout");
    let counter = std::thread::spawn(move || BufReader::new(stdout).lines().count());
    std::thread::sleep(Duration::from_millis(300));

    let mut simulation = examples::zigbee_sensor();
    simulation.rate = Rate::PerSecond(per_second);
    let status = Arc::new(Status::default());
    simulators.start(&simulation, Some(connection.publisher()), Arc::clone(&status));
    let start = Instant::now();
    let mut longest_frame = Duration::ZERO;
    while start.elapsed() < Duration::from_secs(SECONDS) {
        let frame = Instant::now();
        connection.events().drain(frame + Duration::from_millis(8), |event| {
            simulators.observe(&event);
            session.apply(event, Instant::now());
        });
        simulators.settle();
        longest_frame = longest_frame.max(frame.elapsed());
        std::thread::sleep(Duration::from_millis(16).saturating_sub(frame.elapsed()));
    }
    status.stop();
    let ran = start.elapsed();
    let end = Instant::now() + Duration::from_secs(2);
    while Instant::now() < end {
        connection
            .events()
            .drain(Instant::now() + Duration::from_millis(8), |event| {
                simulators.observe(&event);
                session.apply(event, Instant::now());
            });
        simulators.settle();
        std::thread::sleep(Duration::from_millis(10));
    }
    let received = counter.join().unwrap_or(0);
    listener.wait().ok();
    let snapshot = status.snapshot();
    println!(
        "asked {per_second:>7.0} msg/s for {SECONDS} s: sent {:>7.0} msg/s ({} sent, {} failed), \
         second client received {received}, the tab's tree {} messages; longest frame's drain {:.1?}",
        snapshot.sent as f64 / ran.as_secs_f64(),
        snapshot.sent,
        snapshot.failed,
        session.tree.message_count(),
        longest_frame
    );
    connection.disconnect();
}

fn main() {
    // `cargo test --benches` runs bench targets with --bench absent; only measure when asked.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    render_rate();
    let broker = Broker::start();
    for rate in [1_000.0, 10_000.0, 30_000.0, 100_000.0] {
        through_mosquitto(&broker, rate);
    }
}
