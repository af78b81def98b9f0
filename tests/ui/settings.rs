//! The settings window.

use std::time::{Duration, Instant};

use eframe::egui::{self, Key};
use egui_kittest::kittest::{NodeT as _, Queryable as _};

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

/// The settings file, once it holds `text`.
fn settings_file_once(fixture: &Fixture, text: &str) -> String {
    let file = fixture.config.path().join("settings.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(written) = std::fs::read_to_string(&file)
            && written.contains(text)
        {
            return written;
        }
        assert!(Instant::now() < deadline, "settings.json never held {text}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn open_settings(harness: &mut egui_kittest::Harness<'_, mqscope::App>) {
    harness.get_by_label("Settings…").click();
    step_until(harness, "the settings", |h| has_label(h, "Zoom"));
    harness.run_steps(2);
}

#[test]
fn the_light_theme_and_a_zoom_chosen_in_settings_apply_at_once_and_are_kept_for_the_next_start() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/counter", b"1", false)]);
    assert_eq!(harness.ctx.zoom_factor(), 1.0);
    open_settings(&mut harness);

    harness.get_by_label("Light").click();
    step_until(&mut harness, "the light theme", |h| h.ctx.theme() == egui::Theme::Light);
    assert!(!harness.ctx.global_style().visuals.dark_mode);

    harness.get_by_label("Zoom").click();
    step_until(&mut harness, "the zoom choices", |h| has_label(h, "150 %"));
    harness.get_by_label("150 %").click();
    step_until(&mut harness, "the window at 150 %", |h| h.ctx.zoom_factor() == 1.5);
    settings_file_once(&fixture, "\"zoom_percent\": 150");
    settings_file_once(&fixture, "\"theme\": \"light\"");
    drop(harness);

    // The next start, from the same settings.
    let mut harness = fixture.harness_with_messages(&[("lab/counter", b"1", false)]);
    step_until(&mut harness, "the kept look", |h| {
        h.ctx.theme() == egui::Theme::Light && h.ctx.zoom_factor() == 1.5
    });
    open_settings(&mut harness);
    assert!(
        harness.get_by_label("Light").accesskit_node().toggled() == Some(egui::accesskit::Toggled::True),
        "the light theme is the one checked"
    );
    assert!(has_label(&harness, "Zoom"));
    assert!(harness.query_by_value("150 %").is_some() || has_label(&harness, "150 %"));
}

#[test]
fn the_dark_theme_is_kept_too() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/counter", b"1", false)]);
    open_settings(&mut harness);
    harness.get_by_label("Light").click();
    step_until(&mut harness, "light", |h| h.ctx.theme() == egui::Theme::Light);
    harness.get_by_label("Dark").click();
    step_until(&mut harness, "dark", |h| h.ctx.theme() == egui::Theme::Dark);
    settings_file_once(&fixture, "\"theme\": \"dark\"");
    drop(harness);
    let mut harness = fixture.harness_with_messages(&[("lab/counter", b"1", false)]);
    step_until(&mut harness, "the kept dark theme", |h| {
        h.ctx.theme() == egui::Theme::Dark
    });
}

#[test]
fn a_zoom_by_keyboard_applies_and_is_kept_and_ctrl_0_resets_it() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/counter", b"1", false)]);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Plus);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Equals);
    step_until(&mut harness, "the window at 120 %", |h| h.ctx.zoom_factor() == 1.2);
    settings_file_once(&fixture, "\"zoom_percent\": 120");
    drop(harness);

    let mut harness = fixture.harness_with_messages(&[("lab/counter", b"1", false)]);
    step_until(&mut harness, "the kept zoom", |h| h.ctx.zoom_factor() == 1.2);
    open_settings(&mut harness);
    assert!(harness.query_by_value("120 %").is_some() || has_label(&harness, "120 %"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Minus);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Minus);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Minus);
    step_until(&mut harness, "the window at 90 %", |h| h.ctx.zoom_factor() == 0.9);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Num0);
    step_until(&mut harness, "the window at 100 %", |h| h.ctx.zoom_factor() == 1.0);
    settings_file_once(&fixture, "\"zoom_percent\": 100");
}
