//! The publish pane: sending, refusing, repeating, MQTT 5 properties, payload files and topic completion.

use std::time::Duration;

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::model::Subscription;

use crate::support::Broker;
use crate::ui_support::{
    Fixture, HOME, connect_home, connect_to, has_label, has_label_containing, home_explorer, open_publish_pane,
    open_topic, run_frames_for, step_until, type_into,
};

#[test]
fn publish_pane_sends_with_ctrl_enter_and_the_message_appears_in_the_tree() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::P);
    step_until(&mut harness, "the publish pane", |h| {
        has_label(h, "Topic") && has_label(h, "Payload")
    });

    type_into(&mut harness, "Topic", "lab/lamp/set");
    harness.step();
    type_into(&mut harness, "Payload", "{\"state\": \"ON\"}");
    harness.step();
    step_until(&mut harness, "the JSON check", |h| has_label(h, "Valid JSON"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    harness.run_steps(3);
    step_until(&mut harness, "the outcome", |h| {
        has_label_containing(h, "Sent 15 bytes to lab/lamp/set")
    });
    step_until(&mut harness, "the message in the tree", |h| has_label(h, "lab"));
    let explorer = harness.state().explorer().expect("connected");
    let payload = explorer
        .session
        .tree
        .latest_of("lab/lamp/set")
        .map(|m| m.payload.clone());
    assert_eq!(payload.as_deref(), Some(&b"{\"state\": \"ON\"}"[..]));
}

#[test]
fn publish_to_a_wildcard_topic_is_refused_with_a_reason() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_home(&mut harness, &broker);
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    harness.get_by_label("Publish").click();
    step_until(&mut harness, "the publish pane", |h| has_label(h, "Payload"));
    harness.run_steps(2); // the form's grid lays itself out on its first frame
    type_into(&mut harness, "Topic", "lab/+/set");
    harness.step();
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reason", |h| {
        has_label_containing(h, "cannot contain the wildcards")
    });
}

#[test]
fn edit_and_resend_puts_the_message_in_the_publish_pane() {
    let (_broker, _fixture, mut harness) = home_explorer();
    open_topic(&mut harness, "garden", "pump");
    step_until(&mut harness, "the pump message", |h| has_label(h, "Edit and resend"));
    harness.get_by_label("Edit and resend").click();
    harness.run_steps(3);
    // The binary payload is loaded as hex, the topic pinned.
    step_until(&mut harness, "the loaded message", |h| {
        h.query_by_label("Topic").and_then(|n| n.value()).as_deref() == Some("garden/pump")
            && h.query_by_label("Payload").and_then(|n| n.value()).as_deref() == Some("00 01 ff")
    });
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the resent message", |h| {
        h.state()
            .explorer()
            .and_then(|e| e.session.tree.find("garden/pump").and_then(|id| e.session.tree.get(id)))
            .is_some_and(|n| n.own_messages() == 2 && n.latest().is_some_and(|m| m.payload.as_ref() == [0, 1, 0xff]))
    });
}

#[test]
fn publish_repeat_sends_until_stopped_with_the_counter_filled_in() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["lab/#"]);
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/tick");
    type_into(&mut harness, "Payload", "n={{counter}}");
    harness.get_by_label("Repeat every").click();
    harness.step();
    // Every 50 ms until stopped (0 sends: no end of its own).
    set_number(&mut harness, 1000, 50);
    set_number(&mut harness, 10, 0);
    harness.get_by_label("Send").click();
    let count = |h: &Harness<'_, App>| {
        h.state()
            .explorer()
            .and_then(|e| e.session.tree.find("lab/tick").and_then(|id| e.session.tree.get(id)))
            .map_or(0, |n| n.own_messages())
    };
    step_until(&mut harness, "two repeated sends", |h| count(h) >= 2);
    harness.get_by_label("Stop").click();
    // Let the messages sent before the stop come back from the broker.
    run_frames_for(&mut harness, Duration::from_millis(300));
    let stopped_at = count(&harness);
    let explorer = harness.state().explorer().expect("connected");
    let latest = explorer.session.tree.latest_of("lab/tick").expect("message");
    assert_eq!(latest.payload.as_ref(), format!("n={stopped_at}").as_bytes());
    // Twenty intervals more with frames running: a repeat still going would send in each.
    run_frames_for(&mut harness, Duration::from_millis(1000));
    assert_eq!(count(&harness), stopped_at, "the broker saw nothing sent after Stop");
}

/// Type `value` into the number field now showing `shown` (the repeat's interval, 1000 ms at
/// first, and its number of sends, 10 at first).
fn set_number(harness: &mut Harness<'_, App>, shown: u32, value: u32) {
    let showing = |h: &Harness<'_, App>, number: u32| {
        h.query_by(|n| n.role() == egui::Role::SpinButton && n.numeric_value() == Some(f64::from(number)))
            .is_some()
    };
    harness
        .get_by(|n| n.role() == egui::Role::SpinButton && n.numeric_value() == Some(f64::from(shown)))
        .click();
    harness.step();
    // Focused, the field takes the number typed.
    harness
        .get_by(|n| n.role() == egui::Role::SpinButton && n.is_focused())
        .type_text(&value.to_string());
    harness.key_press(Key::Enter);
    step_until(harness, &format!("{value} in place of {shown}"), |h| showing(h, value));
}

#[test]
fn the_publish_pane_sends_mqtt_5_properties() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    let mut settings = broker.settings();
    settings.version = mqscope::mqtt::VersionChoice::V5;
    settings.subscriptions = vec![Subscription::new("#")];
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, settings);
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    open_publish_pane(&mut harness);
    harness.get_by_label("MQTT 5 properties").click();
    step_until(&mut harness, "the properties form", |h| has_label(h, "Content type"));
    harness.run_steps(2);
    type_into(&mut harness, "Topic", "lab/props");
    type_into(&mut harness, "Payload", "21.5");
    type_into(&mut harness, "Content type", "text/plain");
    type_into(&mut harness, "User properties", "unit=celsius");
    step_until(&mut harness, "the count", |h| has_label(h, "MQTT 5 properties (2 set)"));
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the message with its properties", |h| {
        let tree = &h.state().explorer().expect("connected").session.tree;
        let properties = tree.latest_of("lab/props").and_then(|m| m.properties.clone());
        properties.is_some_and(|p| {
            p.content_type.as_deref() == Some("text/plain")
                && p.user_properties == [("unit".to_owned(), "celsius".to_owned())]
        })
    });
}

#[test]
fn a_payload_file_is_sent_byte_for_byte_even_without_a_file_dialog() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let file = fixture.config.path().join("frame.bin");
    let bytes: Vec<u8> = (0..=255u8).rev().collect();
    std::fs::write(&file, &bytes).expect("write the payload file");
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/frame");
    harness.get_by_label("From file…").click();
    // This machine has no desktop portal (nor zenity): the path is asked for instead.
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness.get_by_label("File path").type_text(&file.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the file chosen", |h| has_label_containing(h, "(256 B)"));
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the bytes in the tree", |h| {
        let tree = &h.state().explorer().expect("connected").session.tree;
        tree.latest_of("lab/frame")
            .is_some_and(|m| m.payload.as_ref() == bytes.as_slice())
    });
}

#[test]
fn publish_topic_completes_from_the_tree() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "home"));
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "home/ki");
    step_until(&mut harness, "the completion", |h| has_label(h, "kitchen/"));
    harness.get_by_label("kitchen/").click();
    step_until(&mut harness, "the next level", |h| {
        has_label(h, "sensor") && has_label(h, "light")
    });
    harness.get_by_label("light").click();
    step_until(&mut harness, "the completed topic", |h| {
        h.query_by_label("Topic").and_then(|n| n.value()).as_deref() == Some("home/kitchen/light")
    });
}
