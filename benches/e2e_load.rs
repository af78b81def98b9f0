//! End to end: a local Mosquitto holding 100,000 retained topics; the time
//! mqscope's real connection path (the code the window runs: connection task,
//! event channel, `Session::apply`) takes to have all of them in the model,
//! next to `mosquitto_sub -t '#' -C 100000` against the same broker in the same run.
//!
//! Run with `cargo bench --bench e2e_load`. Prints the median of 5 rounds of each.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use mqscope::model::Subscription;
use support::{Broker, Watch, median};

const TOPICS: usize = 100_000;
const ROUNDS: usize = 5;

fn mqscope(broker: &Broker) -> Duration {
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("#")];
    let start = Instant::now();
    let mut watch = Watch::connect(settings);
    watch.until("100k topics", Duration::from_secs(120), |s| {
        s.tree.topic_count() as usize >= TOPICS
    });
    let elapsed = start.elapsed();
    watch.disconnect();
    elapsed
}

fn main() {
    // `cargo test --benches` runs bench targets with --bench absent; only measure when asked.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let broker = Broker::start();
    let start = Instant::now();
    broker.retain_fleet(TOPICS);
    println!("loaded {TOPICS} retained topics in {:.2?}", start.elapsed());
    let mut sub = Vec::new();
    let mut ours = Vec::new();
    for round in 0..ROUNDS {
        let s = broker.time_mosquitto_sub(TOPICS);
        let m = mqscope(&broker);
        println!("round {}: mosquitto_sub {s:.3?}, mqscope {m:.3?}", round + 1);
        sub.push(s);
        ours.push(m);
    }
    let (s, m) = (median(sub), median(ours));
    println!(
        "median: mosquitto_sub {s:.3?}, mqscope {m:.3?}, ratio {:.2} (budget 1.20)",
        m.as_secs_f64() / s.as_secs_f64()
    );
}
