//! The simulator: opened from the toolbar, an example added and started, its messages seen in
//! the tree and its sent count growing, then stopped.

use egui_kittest::kittest::{NodeT as _, Queryable as _};

use crate::support::Broker;
use crate::ui_support::{Fixture, connect_to, has_label, step_until};

/// The count of the simulation's "N sent" label, if shown.
fn sent(harness: &egui_kittest::Harness<'_, mqscope::App>) -> Option<u64> {
    harness
        .query_all_by(|n| n.value().or_else(|| n.label()).is_some_and(|t| t.ends_with(" sent")))
        .find_map(|n| {
            let text = n.value().or_else(|| n.accesskit_node().label())?;
            text.strip_suffix(" sent")?.replace(',', "").parse().ok()
        })
}

#[test]
fn a_simulated_tasmota_plug_publishes_until_stopped() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["tele/#"]);
    harness.get_by_label("Simulate").click();
    step_until(&mut harness, "the simulator", |h| has_label(h, "Add example"));
    harness.get_by_label("Add example").click();
    step_until(&mut harness, "the examples", |h| has_label(h, "Tasmota plug"));
    harness.get_by_label("Tasmota plug").click();
    step_until(&mut harness, "the example's editor", |h| has_label(h, "Start"));
    harness.get_by_label("Start").click();
    step_until(&mut harness, "its messages in the tree", |h| {
        has_label(h, "tele") && has_label(h, "Running")
    });
    step_until(&mut harness, "a first message sent", |h| {
        sent(h).is_some_and(|n| n >= 1)
    });
    let first = sent(&harness).unwrap_or_default();
    step_until(&mut harness, "the sent count growing", |h| {
        sent(h).is_some_and(|n| n > first)
    });
    harness.get_by_label("Stop").click();
    step_until(&mut harness, "it stopped", |h| has_label(h, "Stopped"));
    let stopped = sent(&harness).unwrap_or_default();
    assert!(stopped > first);
    assert!(!has_label(&harness, "Stop"), "nothing runs any more");
}

#[test]
fn simulations_are_kept_for_the_broker_and_come_back_in_a_new_window() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["energy/#"]);
    harness.get_by_label("Simulate").click();
    step_until(&mut harness, "the simulator", |h| has_label(h, "Add example"));
    harness.get_by_label("Add example").click();
    step_until(&mut harness, "the examples", |h| has_label(h, "Energy meter"));
    harness.get_by_label("Energy meter").click();
    let path = fixture.config.path().join("simulations.json");
    step_until(&mut harness, "the file written", |_| {
        std::fs::read_to_string(&path).is_ok_and(|text| text.contains("Energy meter"))
    });
    drop(harness);

    let mut again = fixture.harness();
    connect_to(&mut again, &broker, &["energy/#"]);
    again.get_by_label("Simulate").click();
    step_until(&mut again, "the kept simulation", |h| {
        has_label(h, "Energy meter") && has_label(h, "Start")
    });
}
