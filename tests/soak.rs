//! Soak: the connection path the window uses, through many broker kills and link cuts, each
//! away long enough that one attempt to reconnect fails (as a broker restarting or a link
//! coming back does), each connection up long enough to count as working (`HEALTHY_AFTER`,
//! after which the backoff starts over). Every cycle's probe message must arrive (the subscription came back),
//! nothing may panic, and memory must stay flat. `MQSCOPE_SOAK_CYCLES` sets the cycles (10 by default, as CI runs;
//! the README gives the long run); each run prints its reconnect times.

mod support;

use std::time::{Duration, Instant};

use mqscope::model::{ConnectionState, Subscription};
use support::faults::FaultyLink;
use support::{Broker, Watch};

const WAIT: Duration = Duration::from_secs(15);

fn cycles() -> usize {
    std::env::var("MQSCOPE_SOAK_CYCLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10)
}

/// Resident memory of this process, in KiB.
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}

/// Publish `topic` until it shows in the tree (a publish before the SUBACK is not delivered).
fn probe(watch: &mut Watch, broker: &Broker, topic: &str) {
    let deadline = Instant::now() + WAIT;
    while watch.session.tree.find(topic).is_none() {
        broker.mosquitto_pub(topic, b"probe", false);
        watch.until("the probe", Duration::from_millis(500), |_| true);
        assert!(
            Instant::now() < deadline,
            "{topic} never arrived: the subscription was lost"
        );
    }
}

/// Keep the connection, up from now, until it counts as working, then a little more.
fn stay_up(watch: &mut Watch) {
    let until = Instant::now() + mqscope::mqtt::recovery::HEALTHY_AFTER + Duration::from_millis(500);
    while Instant::now() < until {
        watch.until("a moment", Duration::from_millis(200), |_| true);
    }
}

/// Failures in a row so far, while reconnecting.
fn failures(session: &mqscope::model::Session) -> Option<u32> {
    match session.state() {
        ConnectionState::Reconnecting { failures, .. } => Some(*failures),
        _ => None,
    }
}

/// Wait for the loss, then for one attempt to come back to fail.
fn until_an_attempt_failed(watch: &mut Watch) {
    watch.until("the loss to be seen", WAIT, |s| failures(s).is_some());
    let lost = failures(&watch.session).unwrap_or(0);
    watch.until("an attempt to fail", WAIT, |s| failures(s).is_some_and(|f| f > lost));
}

fn report(what: &str, times: &mut [Duration], memory: (u64, u64)) {
    times.sort();
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    eprintln!(
        "soak, {what}: {} cycles, reconnected in median {median:?}, max {max:?}; resident {} KiB after the first cycle, {} KiB after the last",
        times.len(),
        memory.0,
        memory.1
    );
    // Flat: what one connection keeps (a handful of topics) does not grow by the cycle.
    assert!(
        memory.1 <= memory.0 + 32 * 1024,
        "memory grew from {} to {} KiB",
        memory.0,
        memory.1
    );
}

#[test]
fn broker_kills_and_restarts_lose_no_subscription() {
    let mut broker = Broker::start();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("soak/#")];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    probe(&mut watch, &broker, "soak/probe/start");
    stay_up(&mut watch);
    let mut times = Vec::new();
    let mut first = 0;
    for cycle in 0..cycles() {
        broker.stop();
        until_an_attempt_failed(&mut watch);
        broker.restart();
        let restarted = Instant::now();
        watch.until("the reconnection", Duration::from_secs(40), |s| {
            s.state().is_connected()
        });
        times.push(restarted.elapsed());
        probe(&mut watch, &broker, &format!("soak/probe/{cycle}"));
        stay_up(&mut watch);
        if cycle == 0 {
            first = resident_kib();
        }
    }
    report("broker killed and restarted", &mut times, (first, resident_kib()));
    watch.disconnect();
}

#[test]
fn link_cuts_lose_no_subscription() {
    let broker = Broker::start();
    let link = FaultyLink::to(broker.port());
    let mut settings = support::settings_for_port(link.port());
    settings.subscriptions = vec![Subscription::new("soak/#")];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    probe(&mut watch, &broker, "soak/probe/start");
    stay_up(&mut watch);
    let mut times = Vec::new();
    let mut first = 0;
    for cycle in 0..cycles() {
        link.refuse(true);
        link.cut();
        until_an_attempt_failed(&mut watch);
        link.refuse(false);
        let back = Instant::now();
        watch.until("the reconnection", Duration::from_secs(40), |s| {
            s.state().is_connected()
        });
        times.push(back.elapsed());
        probe(&mut watch, &broker, &format!("soak/probe/{cycle}"));
        stay_up(&mut watch);
        if cycle == 0 {
            first = resident_kib();
        }
    }
    report("link cut", &mut times, (first, resident_kib()));
    watch.disconnect();
}
