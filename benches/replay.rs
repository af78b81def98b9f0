//! Replay timing and throughput. Three measures:
//!
//! - the schedule alone: 1,000 messages with gaps of 0 to 20 ms (a tenth of them bursts with
//!   no gap) replayed at ×1 into a stand-in connection that notes when each publish was
//!   handed over; each message's error is its hand-over time minus its due time (the first
//!   message's hand-over plus its recorded offset from the first);
//! - end to end at ×1: the same recording replayed through mqscope's connection path into a
//!   local Mosquitto, each message's arrival noted by a plain rumqttc subscriber; the error is
//!   the arrival's offset from the first arrival minus the recorded offset;
//! - as fast as possible: 100,000 messages of 100 bytes at QoS 0, then at QoS 1, until the
//!   subscriber has them all, in messages per second.
//!
//! Run with `cargo bench --bench replay`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mqscope::model::{MqttVersion, PublishOutcome, Qos, Received};
use mqscope::mqtt::PublishRequest;
use mqscope::replay::{Publish, Replay, ReplayOptions, Speed, headless};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Filter, Packet};
use support::Broker;

const PACED: usize = 1000;
const FLOOD: usize = 100_000;

/// Recorded offsets: gaps of 0 to 20 ms, one in ten none.
fn offsets() -> Vec<Duration> {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut at = Duration::ZERO;
    (0..PACED)
        .map(|_| {
            if rng.u8(..10) != 0 {
                at += Duration::from_micros(rng.u64(0..20_000));
            }
            at
        })
        .collect()
}

fn write(dir: &Path, name: &str, messages: impl Iterator<Item = Received>) -> PathBuf {
    let mut text = Vec::new();
    for message in messages {
        mqscope::record::line::write(&mut text, &message);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the recording");
    path
}

fn paced_recording(dir: &Path, offsets: &[Duration]) -> PathBuf {
    let start = UNIX_EPOCH + Duration::from_secs(1_796_000_000);
    write(
        dir,
        "paced.jsonl",
        offsets.iter().enumerate().map(|(i, offset)| {
            let mut received = Received::example("bench/paced", &i.to_string());
            received.message.received_at = start + *offset;
            received
        }),
    )
}

/// Median, 95th and 99th percentile and largest of the absolute errors, in ms; and the
/// spread: the same of the errors less their median (a constant lateness taken out).
fn figures(errors: &[f64]) -> String {
    let mut sorted = errors.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let spread: Vec<f64> = errors.iter().map(|e| e - median).collect();
    format!(
        "{}\n    less the median error ({median:+.3} ms): {}",
        absolute(errors),
        absolute(&spread)
    )
}

fn absolute(errors: &[f64]) -> String {
    let mut abs: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
    abs.sort_by(f64::total_cmp);
    let at = |q: f64| abs[((abs.len() - 1) as f64 * q).round() as usize];
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    format!(
        "median {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms (mean signed {:+.3} ms; last message {:+.3} ms)",
        at(0.5),
        at(0.95),
        at(0.99),
        abs[abs.len() - 1],
        mean,
        errors[errors.len() - 1]
    )
}

/// A connection stand-in that notes when each publish is handed over.
struct Noted(Sender<(u64, Instant)>);

impl Publish for Noted {
    fn publish(&self, _request: PublishRequest) -> u64 {
        let id = fastrand::u64(..);
        self.0.send((id, Instant::now())).ok();
        id
    }
}

fn schedule_alone(path: &Path, offsets: &[Duration]) {
    let (tx, rx) = channel();
    let replay = Replay::start(path.to_owned(), ReplayOptions::default(), Noted(tx), MqttVersion::V311);
    let mut handed = Vec::with_capacity(PACED);
    for (id, at) in rx.iter().take(PACED) {
        replay.outcome(id, &PublishOutcome::Sent);
        handed.push(at);
    }
    let errors: Vec<f64> = handed
        .iter()
        .zip(offsets)
        .map(|(at, offset)| (*at - handed[0]).as_secs_f64() * 1e3 - (*offset - offsets[0]).as_secs_f64() * 1e3)
        .collect();
    println!("schedule alone, ×1, {PACED} messages: {}", figures(&errors));
}

/// A plain rumqttc subscriber: each message's arrival time, in order.
fn subscribe(broker: &Broker, filter: &str) -> Receiver<Instant> {
    let mut options = rumqttc::v5::MqttOptions::new(format!("bench-{}", fastrand::u32(..)), "127.0.0.1", broker.port());
    options.set_keep_alive(Duration::from_secs(60));
    let (client, mut connection) = rumqttc::v5::Client::new(options, 1000);
    client
        .subscribe_many([Filter::new(filter, QoS::AtLeastOnce)])
        .expect("subscribe");
    let (tx, rx) = channel();
    let (subscribed_tx, subscribed) = channel();
    std::thread::spawn(move || {
        let _client = client;
        for event in connection.iter() {
            match event {
                Ok(rumqttc::v5::Event::Incoming(Packet::SubAck(_))) => {
                    subscribed_tx.send(()).ok();
                }
                Ok(rumqttc::v5::Event::Incoming(Packet::Publish(_))) => {
                    if tx.send(Instant::now()).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
    subscribed.recv_timeout(Duration::from_secs(10)).expect("subscribed");
    rx
}

fn end_to_end(broker: &Broker, path: &Path, offsets: &[Duration]) {
    let arrivals = subscribe(broker, "bench/paced");
    // The subscriber's first message, warmed up apart (see BENCHMARKS.md).
    broker.mosquitto_pub("bench/paced", b"warm-up", false);
    arrivals
        .recv_timeout(Duration::from_secs(10))
        .expect("the warm-up message");
    headless::run(path, ReplayOptions::default(), broker.settings()).expect("replayed");
    let arrived: Vec<Instant> = arrivals.iter().take(PACED).collect();
    let errors: Vec<f64> = arrived
        .iter()
        .zip(offsets)
        .map(|(at, offset)| (*at - arrived[0]).as_secs_f64() * 1e3 - (*offset - offsets[0]).as_secs_f64() * 1e3)
        .collect();
    println!(
        "end to end through Mosquitto, ×1, {PACED} messages: {}",
        figures(&errors)
    );
}

fn flood(broker: &Broker, dir: &Path, qos: Qos) {
    let payload = "x".repeat(100);
    let topic = format!("bench/flood{}", qos.level());
    let path = write(
        dir,
        "flood.jsonl",
        (0..FLOOD).map(|i| {
            let mut received = Received::example(&topic, &payload);
            received.message.qos = qos;
            received.message.received_at = SystemTime::UNIX_EPOCH + Duration::from_micros(i as u64);
            received
        }),
    );
    let arrivals = subscribe(broker, &topic);
    let options = ReplayOptions {
        speed: Speed::AsFastAsPossible,
        ..ReplayOptions::default()
    };
    let start = Instant::now();
    headless::run(&path, options, broker.settings()).expect("replayed");
    let last = arrivals.iter().take(FLOOD).last().expect("arrived");
    let took = last - start;
    println!(
        "as fast as possible, QoS {}, {FLOOD} messages of 100 bytes: {:.2} s, {:.0} msg/s",
        qos.level(),
        took.as_secs_f64(),
        FLOOD as f64 / took.as_secs_f64()
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offsets = offsets();
    let path = paced_recording(dir.path(), &offsets);
    println!(
        "recording: {PACED} messages over {:.1} s",
        offsets.last().copied().unwrap_or_default().as_secs_f64()
    );
    schedule_alone(&path, &offsets);
    let broker = Broker::start();
    end_to_end(&broker, &path, &offsets);
    flood(&broker, dir.path(), Qos::AtMostOnce);
    flood(&broker, dir.path(), Qos::AtLeastOnce);
}
