//! The matrix: every feature (`features.rs`) measured against one broker, each as a cell of
//! the README's table (`✓`, `✗ why`, or `not offered`), a feature that fails its own way
//! (a timeout) written as `✗` and its message; then the row compared with the README's.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use mqscope::model::Qos;

use super::brokers::{Launcher, MatrixBroker};
use super::features::{
    big_payload, clear_retained, connect, login, mqtt5, qos, refused_login, restart, retained, subscribe_all, sys,
    takeover, websockets,
};

/// A feature's measurement: its cell.
type Measure = fn(&mut Brokers) -> String;

/// The features, in the order of the README's rows.
pub const FEATURES: [(&str, Measure); 15] = [
    ("Connect", connect),
    ("Login", login),
    ("Refused login", refused_login),
    ("Subscribe to #", subscribe_all),
    ("$SYS", sys),
    ("Retained", retained),
    ("Clear retained", clear_retained),
    ("QoS 0", |b| qos(b, Qos::AtMostOnce)),
    ("QoS 1", |b| qos(b, Qos::AtLeastOnce)),
    ("QoS 2", |b| qos(b, Qos::ExactlyOnce)),
    ("1 MB payload", big_payload),
    ("Takeover", takeover),
    ("WebSockets", websockets),
    ("MQTT 5", mqtt5),
    ("Restart", restart),
];

/// The broker under test: one that lets anyone in, and one that wants a login (started when
/// first needed).
pub struct Brokers {
    launcher: Launcher,
    /// The broker that lets anyone in.
    pub open: Box<dyn MatrixBroker>,
    login: Option<Box<dyn MatrixBroker>>,
}

impl Brokers {
    /// The broker that wants a login.
    pub fn login(&mut self) -> &dyn MatrixBroker {
        let launcher = self.launcher;
        &**self.login.get_or_insert_with(|| launcher(true))
    }
}

/// Measure every feature against the broker `launcher` starts: (feature, cell).
pub fn measure(launcher: Launcher) -> Vec<(&'static str, String)> {
    let mut brokers = Brokers {
        launcher,
        open: launcher(false),
        login: None,
    };
    let row: Vec<(&'static str, String)> = FEATURES
        .iter()
        .map(|(name, check)| {
            let cell = std::panic::catch_unwind(AssertUnwindSafe(|| check(&mut brokers)))
                .unwrap_or_else(|panic| format!("✗ {}", panic_text(panic.as_ref())));
            (*name, cell)
        })
        .collect();
    if row.iter().any(|(_, cell)| cell.starts_with('✗')) {
        let log = brokers.open.log();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        println!(
            "the broker's log, last lines:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    row
}

/// Measure the broker and compare with what the README says of it: `✓` but for the features
/// in `differences` (feature, cell). Prints the row either way.
pub fn check(name: &str, launcher: Launcher, differences: &[(&str, &str)]) {
    assert!(
        differences
            .iter()
            .all(|(feature, _)| FEATURES.iter().any(|(f, _)| f == feature)),
        "a feature the matrix does not measure: {differences:?}"
    );
    let started = Instant::now();
    let row = measure(launcher);
    let cells: Vec<&str> = row.iter().map(|(_, cell)| cell.as_str()).collect();
    println!("| {name} | {} |", cells.join(" | "));
    // What this broker adds to a run, for the README (not asserted).
    println!("{name}: measured in {} s", started.elapsed().as_secs());
    let wrong: Vec<String> = row
        .iter()
        .filter_map(|(feature, cell)| {
            let want = differences
                .iter()
                .find(|(f, _)| f == feature)
                .map_or("✓", |(_, want)| *want);
            (cell != want).then(|| format!("{feature}: measured {cell:?}, the README says {want:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "failed".to_owned());
    text.lines().next().unwrap_or_default().to_owned()
}
