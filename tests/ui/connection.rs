//! The connection manager: the connect form, profiles, their files and passwords.

use eframe::egui::{self, Key};
use egui_kittest::kittest::Queryable as _;

use crate::support::{self, Broker};
use crate::ui_support::{
    Fixture, has_label, has_label_containing, profiles_file_once, replace_text, step_until, type_into,
};

#[test]
fn the_connect_form_connects() {
    let broker = Broker::start();
    broker.mosquitto_pub("form/check", b"hello", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    let field = harness.get_by_label("Broker");
    field.click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Broker").type_text(&broker.url());
    harness.step();
    harness.get_by_label("Connect").click();
    // A new profile speaks MQTT 5 where the broker does, and the status bar says so.
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(
            h,
            &format!("Connected to mqtt://127.0.0.1:{} with MQTT 5", broker.port()),
        )
    });
    step_until(&mut harness, "the retained topic", |h| has_label(h, "form"));
}

#[test]
fn a_broker_that_speaks_only_3_1_1_is_reached_with_3_1_1_and_the_status_bar_says_so() {
    let rabbit = support::rabbitmq::RabbitMq::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    harness.get_by_label("Broker").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    let url = format!("mqtt://127.0.0.1:{}", rabbit.port());
    harness.get_by_label("Broker").type_text(&url);
    harness.step();
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection with 3.1.1", |h| {
        has_label_containing(
            h,
            &format!("Connected to {url} with MQTT 3.1.1: the broker does not speak MQTT 5"),
        )
    });
    // Messages arrive over the connection that fell back. (RabbitMQ before 3.13 sends retained
    // messages only to a subscription of their exact topic, so this one is live.)
    step_until(&mut harness, "the subscription", |h| {
        h.state()
            .explorer()
            .is_some_and(|e| e.session.subscriptions().iter().all(|s| s.granted.is_ok()))
            && h.state()
                .explorer()
                .is_some_and(|e| !e.session.subscriptions().is_empty())
    });
    let live = std::process::Command::new("mosquitto_pub")
        .args(["-p", &rabbit.port().to_string(), "-V", "mqttv311"])
        .args(["-t", "legacy/live", "-m", "now"])
        .status()
        .expect("run mosquitto_pub");
    assert!(live.success(), "publish to RabbitMQ");
    step_until(&mut harness, "the live topic", |h| has_label(h, "legacy"));
    assert!(!rabbit.log().is_empty(), "RabbitMQ logged its boot");
}

#[test]
fn a_bad_address_in_the_form_is_explained() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    harness.get_by_label("Broker").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Broker").type_text("localhost:99999");
    harness.step();
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the explanation", |h| {
        has_label_containing(h, "is not a port number")
    });
    assert!(harness.state().explorer().is_none(), "nothing was started");
}

#[test]
fn a_profile_made_in_the_manager_is_saved_connects_and_is_there_after_a_restart() {
    let broker = Broker::start_with(support::BrokerConfig {
        users: vec![("ada".into(), "lovelace".into())],
        ..support::BrokerConfig::default()
    });
    broker.mosquitto_pub_as("profile/check", b"hi", true, ("ada", "lovelace"));
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Lab broker");
    replace_text(&mut harness, "Broker", &broker.url());
    type_into(&mut harness, "User name", "ada");
    type_into(&mut harness, "Password", "lovelace");
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
    step_until(&mut harness, "the retained topic", |h| has_label(h, "profile"));

    // Saved, as the last used, without the password (it was not asked to be kept).
    let file = profiles_file_once(&fixture, |v| {
        v["profiles"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["name"] == "Lab broker"))
            && v["last_used"].is_string()
    });
    let text = file.to_string();
    assert!(!text.contains("lovelace"), "the password is not written: {text}");
    let lab = file["profiles"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "Lab broker"))
        .expect("the profile");
    assert_eq!(lab["broker"], broker.url());
    assert_eq!(lab["username"], "ada");
    assert_eq!(file["last_used"], lab["id"]);

    // A new window over the same config: the profile is there and selected.
    drop(harness);
    let mut harness = fixture.harness();
    harness.run_steps(2);
    assert!(has_label(&harness, "Lab broker"), "the profile is listed");
    let selected = harness.state().manager.selected().map(|p| p.name.clone());
    assert_eq!(selected.as_deref(), Some("Lab broker"));
    // Its password was not kept: connecting without it is refused by the broker, in words.
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the refusal", |h| has_label_containing(h, "ada"));
}

#[test]
fn deleting_a_profile_asks_first() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Doomed");
    harness.get_by_label("Delete…").click();
    step_until(&mut harness, "the question", |h| has_label(h, "Delete this profile?"));
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(has_label(&harness, "Doomed"), "cancel keeps it");
    harness.get_by_label("Delete…").click();
    step_until(&mut harness, "the question", |h| has_label(h, "Delete this profile?"));
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    assert!(!has_label(&harness, "Doomed"), "gone from the list");
    profiles_file_once(&fixture, |v| {
        v["profiles"]
            .as_array()
            .is_some_and(|p| !p.is_empty() && p.iter().all(|p| p["name"] != "Doomed"))
    });
}

#[test]
fn profiles_are_exported_without_passwords_and_imported_under_free_names() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    replace_text(&mut harness, "Name", "Office");
    replace_text(&mut harness, "Broker", "mqtts://office.lan");
    type_into(&mut harness, "User name", "eve");
    harness.get_by_label("Profile file").click();
    harness.step();
    type_into(&mut harness, "Password", "s3cret-token");

    let export = fixture.config.path().join("exported.json");
    harness.get_by_label("Export…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness
        .get_by_label("File path")
        .type_text(&export.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the export", |h| {
        has_label_containing(h, "Exported 1 profile")
    });
    let text = std::fs::read_to_string(&export).expect("exported file");
    assert!(text.contains("office.lan") && text.contains("eve"), "{text}");
    assert!(!text.contains("s3cret-token"), "no password unless asked: {text}");

    harness.get_by_label("Import…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness
        .get_by_label("File path")
        .type_text(&export.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the import", |h| {
        has_label_containing(h, "Imported 1 profile")
    });
    let names: Vec<String> = harness
        .state()
        .manager
        .profiles
        .profiles
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["Office", "Office (2)"]);
    // A file that is not a profiles file is refused in words, and nothing is added.
    let junk = fixture.config.path().join("junk.json");
    std::fs::write(&junk, "[1, 2, 3]").expect("write");
    harness.get_by_label("Import…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness.get_by_label("File path").type_text(&junk.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the refusal", |h| {
        has_label_containing(h, "not a profiles file")
    });
    assert_eq!(harness.state().manager.profiles.profiles.len(), 2);
}

#[test]
fn a_keyring_password_that_cannot_be_read_is_asked_for_in_words() {
    let broker = Broker::start_with(support::BrokerConfig {
        users: vec![("ada".into(), "lovelace".into())],
        ..support::BrokerConfig::default()
    });
    let fixture = Fixture::new();
    let profiles = serde_json::json!({
        "version": 2,
        "profiles": [{"name": "Vault", "broker": broker.url(), "username": "ada", "password_storage": "keyring"}]
    });
    std::fs::write(fixture.config.path().join("profiles.json"), profiles.to_string()).expect("profiles");
    // This window has no keyring to read from.
    let mut harness = fixture.harness();
    harness.run_steps(2);
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the reason", |h| {
        has_label_containing(h, "kept in the OS keyring, which could not be read")
    });
    // Typed, it connects.
    type_into(&mut harness, "Password", "lovelace");
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
}

/// Turn the mouse wheel over `at` by `lines` (positive scrolls down).
fn wheel(harness: &mut egui_kittest::Harness<'_, mqscope::App>, at: egui::Pos2, lines: f32) {
    harness.hover_at(at);
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, -lines),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(10);
}

/// The connection manager in a 900×600 window, and that size.
fn short_window(fixture: &Fixture) -> (egui_kittest::Harness<'static, mqscope::App>, egui::Vec2) {
    let mut harness = fixture.harness();
    let window = egui::vec2(900.0, 600.0);
    harness.set_size(window);
    harness.run_steps(3);
    (harness, window)
}

#[test]
fn in_a_short_window_the_whole_form_scrolls_with_connect_at_its_end() {
    let fixture = Fixture::new();
    let (mut harness, window) = short_window(&fixture);
    let rect = |h: &egui_kittest::Harness<'_, mqscope::App>, label: &str| {
        h.query_all_by_label(label)
            .next()
            .unwrap_or_else(|| panic!("no {label}"))
            .rect()
    };
    // Connect is at the form's end, out of sight below the card until the form is scrolled.
    let (name, connect) = (rect(&harness, "Name"), rect(&harness, "Connect"));
    assert!(
        connect.top() > window.y - 60.0,
        "Connect sits below the fold: {connect:?}"
    );
    wheel(&mut harness, name.center(), 20.0);
    let (name_after, connect_after) = (rect(&harness, "Name"), rect(&harness, "Connect"));
    let moved = connect.top() - connect_after.top();
    assert!(moved > 0.0, "the wheel scrolled Connect into view");
    assert!(
        (name.top() - name_after.top() - moved).abs() < 0.5,
        "the fields and Connect scroll as one: {name:?} {name_after:?}, Connect moved {moved}"
    );
    // Scrolled to its end, the form fills the card: no empty band below Connect.
    assert!(
        connect_after.bottom() > window.y - 90.0,
        "Connect ends at the card's foot: {connect_after:?}"
    );

    // The last will's fields are part of the same form, above Connect.
    harness.get_by_label("Last will").click();
    harness.run_steps(3);
    let at = rect(&harness, "Connect timeout").center();
    wheel(&mut harness, at, 20.0);
    let (will, connect_end) = (rect(&harness, "Will payload"), rect(&harness, "Connect"));
    assert!(will.bottom() < connect_end.top(), "the last will comes before Connect");
    assert!(
        (connect_end.bottom() - connect_after.bottom()).abs() < 0.5,
        "a longer form still ends with Connect at the card's foot: {connect_end:?}"
    );
    assert!(
        rect(&harness, "Name").bottom() < name.top(),
        "the top of the form scrolled away"
    );
}

#[test]
fn in_a_short_window_why_connect_failed_is_scrolled_into_view() {
    let fixture = Fixture::new();
    let (mut harness, window) = short_window(&fixture);
    replace_text(&mut harness, "Broker", "localhost:99999");
    let at = harness.get_by_label("Name").rect().center();
    wheel(&mut harness, at, 20.0);
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the explanation", |h| {
        has_label_containing(h, "is not a port number")
    });
    harness.run_steps(10);
    let reason = harness
        .query_all_by_label_contains("is not a port number")
        .next()
        .expect("the reason")
        .rect();
    assert!(reason.bottom() < window.y - 60.0, "the reason is in sight: {reason:?}");
}
