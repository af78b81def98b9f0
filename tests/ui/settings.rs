//! The settings window.

use std::time::{Duration, Instant};

use eframe::egui::{self, Key};
use egui_kittest::kittest::Queryable as _;

use crate::ui_support::{Fixture, has_label, live, open_topic, step_until};

#[test]
fn the_history_bounds_are_set_in_settings_applied_at_once_and_kept() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/counter", &["0", "1", "2", "3", "4"]));
    open_topic(&mut harness, "lab", "counter");
    step_until(&mut harness, "five kept", |h| has_label(h, "History: 5 messages"));

    harness.get_by_label("Settings…").click();
    step_until(&mut harness, "the settings", |h| {
        has_label(h, "Messages kept per topic")
    });
    harness.run_steps(2);
    harness.get_by_label("Messages kept per topic").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Messages kept per topic").type_text("2");
    harness.key_press(Key::Enter);
    step_until(&mut harness, "two kept", |h| {
        has_label(h, "History: 2 messages (3 older not kept)")
    });
    let file = fixture.config.path().join("settings.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&file).is_ok_and(|t| t.contains("\"history_per_topic\": 2")) {
        assert!(Instant::now() < deadline, "settings.json was not written");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn escape_closes_the_settings_window() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/counter", b"1", false)]);
    harness.get_by_label("Settings…").click();
    step_until(&mut harness, "the settings", |h| {
        has_label(h, "Messages kept per topic")
    });
    harness.key_press(Key::Escape);
    step_until(&mut harness, "the settings closed", |h| {
        !has_label(h, "Messages kept per topic")
    });
}
