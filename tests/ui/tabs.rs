//! Several connections, each in its own tab.

use egui_kittest::kittest::Queryable as _;

use crate::support::Broker;
use crate::ui_support::{Fixture, connect_to, has_label, step_until};

#[test]
fn several_connections_each_in_its_own_tab() {
    let first = Broker::start();
    first.mosquitto_pub("first/only", b"1", true);
    let second = Broker::start();
    second.mosquitto_pub("second/only", b"2", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &first, &["#"]);
    step_until(&mut harness, "the first tree", |h| has_label(h, "first"));
    // A second connection opens beside the first, not instead of it.
    connect_to(&mut harness, &second, &["#"]);
    step_until(&mut harness, "the second tree", |h| has_label(h, "second"));
    assert!(!has_label(&harness, "first"), "one tree shown at a time");
    assert_eq!(harness.state().explorers().len(), 2);

    // Clicking the first tab shows its own tree, still connected.
    let first_tab = format!("127.0.0.1:{}", first.port());
    harness.get_by_label(&first_tab).click();
    step_until(&mut harness, "the first tree again", |h| has_label(h, "first"));
    assert!(
        harness
            .state()
            .explorers()
            .iter()
            .all(|e| e.session.state().is_connected())
    );

    // Messages keep arriving in the tab not shown.
    second.mosquitto_pub("second/later", b"3", false);
    step_until(&mut harness, "the hidden tab's message", |h| {
        h.state().explorers()[1].session.tree.find("second/later").is_some()
    });

    // Closing a tab (its ×, the first of the two) disconnects it and shows the other.
    harness.query_all_by_label("×").next().expect("a close button").click();
    step_until(&mut harness, "the second tree", |h| has_label(h, "second"));
    assert_eq!(harness.state().explorers().len(), 1);
}

#[test]
fn in_a_900_by_600_window_the_toolbar_keeps_one_line_and_more_holds_the_rest() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.set_size(eframe::egui::vec2(900.0, 600.0));
    connect_to(&mut harness, &broker, &["#"]);
    // Every entry of the toolbar on the line of the first.
    let line = harness.get_by_label("Disconnect").rect().center().y;
    for entry in [
        "Publish",
        "Log",
        "Simulate",
        "Record…",
        "Replay…",
        "Connections…",
        "More",
    ] {
        let y = harness.get_by_label(entry).rect().center().y;
        assert!((y - line).abs() < 2.0, "{entry} is on another line");
    }
    assert!(!has_label(&harness, "Settings…"), "Settings… left in a narrow toolbar");
    harness.get_by_label("More").click();
    step_until(&mut harness, "the menu", |h| has_label(h, "Settings…"));
    harness.get_by_label("Settings…").click();
    step_until(&mut harness, "the settings", |h| has_label(h, "Theme"));
}
