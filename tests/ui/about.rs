//! The About window: what a bug report needs, copied in one click.

use eframe::egui;
use egui_kittest::kittest::Queryable as _;

use crate::support::Broker;
use crate::ui_support::{Fixture, connect_to, has_label, has_label_containing, step_until};

/// The text the last frame put on the clipboard, if any.
fn copied(harness: &egui_kittest::Harness<'_, mqscope::App>) -> Option<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

#[test]
fn copy_diagnostics_puts_the_version_and_the_brokers_version_on_the_clipboard() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["$SYS/#"]);
    let version = format!("mqscope {}", env!("CARGO_PKG_VERSION"));

    harness.get_by_label("About").click();
    step_until(&mut harness, "the About window", |h| has_label(h, "Copy diagnostics"));
    assert!(has_label(&harness, &version));
    // Mosquitto publishes its version in $SYS once a client subscribes.
    step_until(&mut harness, "the broker's version", |h| {
        has_label_containing(h, "connected, MQTT 5; mosquitto version")
    });
    assert!(!has_label(&harness, "Copied to the clipboard"));

    harness.get_by_label("Copy diagnostics").click();
    harness.step();
    let text = copied(&harness).expect("the diagnostics were copied");
    assert!(text.starts_with(&format!("{version}\nOS: ")), "{text}");
    assert!(text.contains("GL renderer: "), "{text}");
    let connection = format!(
        "127.0.0.1:{0} (mqtt://127.0.0.1:{0}): connected, MQTT 5; mosquitto version ",
        broker.port()
    );
    assert!(text.contains(&connection), "{text}");
    assert!(text.contains("Log file: "), "{text}");
    step_until(&mut harness, "the word that it was copied", |h| {
        has_label(h, "Copied to the clipboard")
    });
}

#[test]
fn the_about_window_opens_before_any_connection() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.get_by_label("About").click();
    step_until(&mut harness, "the About window", |h| has_label(h, "Copy diagnostics"));
    // A window lays itself out on its first frames.
    harness.run_steps(2);
    assert!(has_label(&harness, "None open"));
    harness.get_by_label("Copy diagnostics").click();
    harness.step();
    let text = copied(&harness).expect("the diagnostics were copied");
    assert!(text.contains("Connections: none open"), "{text}");
}
