//! The message view: payload views, decoders, the history and saving a payload.

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;

use crate::ui_support::{Fixture, HOME, arrive, has_label, has_label_containing, live, open_topic, step_until};

#[test]
fn expanding_and_selecting_a_topic_shows_its_payload_pretty_printed() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the home branch", |h| has_label(h, "Expand home"));
    harness.get_by_label("Expand home").click();
    open_topic(&mut harness, "kitchen", "sensor");
    step_until(&mut harness, "the payload", |h| {
        has_label_containing(h, "\"temperature\": 21.5")
    });
    assert!(has_label(&harness, "home/kitchen/sensor"), "the full topic is shown");
    assert!(has_label_containing(&harness, "\"humidity\": 40"), "one key per line");
    assert!(has_label(&harness, "Auto (JSON)"), "the view was chosen automatically");

    // Switch to the hex view: every byte, with offsets.
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the hex dump", |h| {
        has_label_containing(h, "00000000  7b 22 74 65")
    });
}

#[test]
fn binary_payloads_can_be_decoded_as_messagepack_or_cbor() {
    // {"temperature": 21.5, "ok": true} in MessagePack.
    let packed: &[u8] = b"\x82\xabtemperature\xcb\x40\x35\x80\x00\x00\x00\x00\x00\xa2ok\xc3";
    // Binary that does not read whole as MessagePack or CBOR stays hex.
    let raw: &[u8] = b"\x81\x01\x02\x03";
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/packed", packed, true), ("lab/raw", raw, true)]);
    // A map is recognised without asking.
    open_topic(&mut harness, "lab", "packed");
    step_until(&mut harness, "the decoded payload", |h| {
        has_label(h, "Auto (MessagePack)")
            && has_label_containing(h, "Decoded from MessagePack")
            && has_label_containing(h, "\"temperature\": 21.5")
    });
    // The same bytes are not CBOR: said so, and shown as hex.
    harness.get_by_label("Decode").click();
    step_until(&mut harness, "the decoders", |h| has_label(h, "CBOR"));
    harness.get_by_label("CBOR").click();
    step_until(&mut harness, "the refusal", |h| {
        has_label_containing(h, "Not valid CBOR")
    });

    // The choice belongs to the topic: another topic is shown automatically, and coming back
    // finds CBOR still chosen.
    harness.get_by_label("raw").click();
    step_until(&mut harness, "the other topic in hex", |h| {
        has_label(h, "Auto (Hex)") && has_label_containing(h, "81 01 02 03")
    });
    harness.get_by_label("packed").click();
    step_until(&mut harness, "the first topic as chosen", |h| {
        has_label_containing(h, "Not valid CBOR")
    });
    assert_eq!(harness.get_by_label("Decode").value().as_deref(), Some("CBOR"));
}

#[test]
fn history_lists_earlier_messages_and_any_can_be_viewed_and_resent() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the home branch", |h| has_label(h, "Expand home"));
    arrive(
        &mut harness,
        &[
            ("home/hall/temp", b"20.5", false),
            ("home/hall/temp", b"21.0", false),
            ("home/hall/temp", b"21.5", false),
        ],
    );
    harness.get_by_label("Expand home").click();
    open_topic(&mut harness, "hall", "temp");
    step_until(&mut harness, "the history", |h| {
        has_label_containing(h, "History: 3 messages")
    });
    // Newest first: the oldest is the last row.
    step_until(&mut harness, "the oldest row", |h| has_label_containing(h, "20.5"));
    harness.get_by_label_contains("  20.5").click();
    step_until(&mut harness, "the oldest message shown", |h| {
        has_label(h, "Back to the latest message")
    });
    assert!(has_label(&harness, "20.5"), "the payload view shows the picked message");
    harness.get_by_label("Edit and resend").click();
    step_until(&mut harness, "the old message in the pane", |h| {
        h.query_by_label("Payload").and_then(|n| n.value()).as_deref() == Some("20.5")
    });
    harness.get_by_label("Back to the latest message").click();
    step_until(&mut harness, "the latest shown again", |h| {
        !has_label(h, "Back to the latest message")
    });
}

#[test]
fn alt_arrows_step_through_a_topics_history() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[
        ("lab/steps", b"first", false),
        ("lab/steps", b"second", false),
        ("lab/steps", b"third", false),
    ]);
    open_topic(&mut harness, "lab", "steps");
    step_until(&mut harness, "three kept", |h| has_label(h, "History: 3 messages"));
    let shows = |h: &Harness<'_, App>, text: &str| h.query_all_by_value(text).next().is_some() || has_label(h, text);
    assert!(shows(&harness, "third"));
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowDown);
    step_until(&mut harness, "the second message", |h| {
        has_label(h, "Back to the latest message") && shows(h, "second")
    });
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowDown);
    step_until(&mut harness, "the first message", |h| shows(h, "first"));
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowDown);
    harness.run_steps(2);
    assert!(shows(&harness, "first"), "the oldest stays");
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowUp);
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowUp);
    step_until(&mut harness, "the latest again", |h| {
        !has_label(h, "Back to the latest message")
    });
}

#[test]
fn save_payload_writes_every_byte_even_without_a_file_dialog() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    open_topic(&mut harness, "garden", "pump");
    step_until(&mut harness, "the pump message", |h| has_label(h, "Save payload…"));
    harness.get_by_label("Save payload…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    let target = fixture.config.path().join("pump.bin");
    harness
        .get_by_label("File path")
        .type_text(&target.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the word that it was saved", |h| {
        has_label_containing(h, "Saved to")
    });
    assert_eq!(std::fs::read(&target).expect("saved file"), [0u8, 1, 0xff]);
}

#[test]
fn a_live_message_on_mqtt_3_says_its_retained_state_is_not_known() {
    let fixture = Fixture::new();
    let messages = [("plant/pump", &b"1"[..], false), ("plant/valve", &b"0"[..], true)];
    let mut harness = fixture.harness_speaking(&messages, mqscope::mqtt::VersionChoice::V311);
    open_topic(&mut harness, "plant", "pump");
    step_until(&mut harness, "the pump's message", |h| has_label(h, "plant/pump"));
    assert!(
        has_label(&harness, "not known"),
        "MQTT 3.1.1 cannot tell a live message was not retained"
    );
    harness.get_by_label("valve").click();
    step_until(&mut harness, "the valve's message", |h| has_label(h, "plant/valve"));
    assert!(has_label(&harness, "yes") && !has_label(&harness, "not known"));
}

#[test]
fn a_live_message_on_mqtt_5_says_it_is_not_retained() {
    let fixture = Fixture::new();
    let messages = [("plant/pump", &b"1"[..], false)];
    let mut harness = fixture.harness_speaking(&messages, mqscope::mqtt::VersionChoice::V5);
    open_topic(&mut harness, "plant", "pump");
    step_until(&mut harness, "the pump's message", |h| has_label(h, "plant/pump"));
    assert!(has_label(&harness, "no") && !has_label(&harness, "not known"));
}

#[test]
fn history_rows_stay_put_under_the_pointer_while_messages_arrive() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[
        ("lab/temp", b"20.5", false),
        ("lab/temp", b"21.0", false),
        ("lab/temp", b"21.5", false),
    ]);
    open_topic(&mut harness, "lab", "temp");
    step_until(&mut harness, "the history", |h| {
        has_label_containing(h, "History: 3 messages")
    });
    step_until(&mut harness, "the middle row", |h| has_label_containing(h, "  21.0"));
    let row = harness.get_by_label_contains("  21.0").rect();
    harness.get_by_label_contains("  21.0").hover();
    harness.run_steps(2);
    arrive(
        &mut harness,
        &[("lab/temp", b"22.0", false), ("lab/temp", b"22.5", false)],
    );
    step_until(&mut harness, "the new ones waiting", |h| has_label(h, "2 new"));
    assert_eq!(
        harness.get_by_label_contains("  21.0").rect(),
        row,
        "the row under the pointer did not move"
    );
    assert!(!has_label_containing(&harness, "  22.5"), "newer rows wait above");
    // A click opens the row that was under the pointer.
    harness.get_by_label_contains("  21.0").click();
    let shows = |h: &Harness<'_, App>, text: &str| {
        h.query_all_by(|n| n.label().as_deref() == Some(text) || n.value().as_deref() == Some(text))
            .next()
            .is_some()
    };
    step_until(&mut harness, "the picked message", |h| shows(h, "21.0"));
    harness.get_by_label("2 new").click();
    step_until(&mut harness, "the newest shown", |h| {
        shows(h, "22.5") && !shows(h, "21.0")
    });
}

#[test]
fn the_message_panel_keeps_its_share_of_the_width_as_the_window_grows_and_shrinks() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("plant/pump", b"1", true)]);
    // The tree and the panel meet at the panel's resize handle.
    let share = |h: &Harness<'_, App>| {
        let edge = h.get_by_label("Resize panel").rect().center().x;
        let width = h.ctx.content_rect().width();
        (width - edge) / width
    };
    let first = share(&harness);
    assert!((0.5..0.6).contains(&first), "opens at about 55 %: {first}");
    harness.set_size(egui::vec2(1920.0, 1080.0));
    harness.run_steps(3);
    let grown = share(&harness);
    assert!(
        (grown - first).abs() < 0.02,
        "{first} became {grown} when the window grew"
    );
    harness.set_size(egui::vec2(900.0, 600.0));
    harness.run_steps(3);
    let shrunk = share(&harness);
    assert!(
        (shrunk - first).abs() < 0.03,
        "{first} became {shrunk} when the window shrank"
    );
    harness.set_size(egui::vec2(1280.0, 800.0));
    harness.run_steps(3);
    assert!((share(&harness) - first).abs() < 0.02, "back at its share");

    // Dragged narrower, the panel keeps the new share as the window grows.
    let from = harness.get_by_label("Resize panel").rect().center();
    let to = from + egui::vec2(200.0, 0.0);
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for step in 1..=10 {
        harness.hover_at(from + egui::vec2(20.0 * step as f32, 0.0));
        harness.step();
    }
    harness.drop_at(to);
    harness.run_steps(3);
    let dragged = share(&harness);
    assert!(
        dragged < first - 0.1,
        "the drag made the panel narrower: {first} to {dragged}"
    );
    harness.set_size(egui::vec2(1920.0, 1080.0));
    harness.run_steps(3);
    let grown = share(&harness);
    assert!(
        (grown - dragged).abs() < 0.02,
        "the dragged share {dragged} became {grown}"
    );
}

#[test]
fn the_handle_above_the_payload_gives_the_payload_more_room() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/temp", &["20.5", "21.0", "21.5", "22.0"]));
    open_topic(&mut harness, "lab", "temp");
    step_until(&mut harness, "the history", |h| {
        has_label_containing(h, "History: 4 messages")
    });
    let handle = |h: &Harness<'_, App>| h.get_by_label("Resize the message sections").rect().center();
    let before = handle(&harness);
    harness.hover_at(before);
    harness.step();
    harness.drag_at(before);
    harness.step();
    for step in 1..=8 {
        harness.hover_at(before - egui::vec2(0.0, 10.0 * step as f32));
        harness.step();
    }
    harness.drop_at(before - egui::vec2(0.0, 80.0));
    harness.run_steps(3);
    let after = handle(&harness);
    assert!(
        after.y < before.y - 40.0,
        "dragged up, the handle moved up and the payload grew: {before:?} to {after:?}"
    );
    // A new message does not undo the choice.
    arrive(&mut harness, &live("lab/temp", &["22.5"]));
    harness.run_steps(3);
    assert!((handle(&harness).y - after.y).abs() < 1.0, "the height chosen stays");
}

#[test]
fn the_qos_a_message_was_delivered_with_is_shown() {
    // rumqttd and amqtt deliver at the subscription's QoS, not the lower one published: the
    // message view tells the QoS received, whatever was published.
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/qos", b"first", false)]);
    open_topic(&mut harness, "lab", "qos");
    step_until(&mut harness, "the QoS 0 message", |h| {
        has_label(h, "QoS") && has_label(h, "0")
    });
    let explorer = harness.state_mut().explorer_mut().expect("a tab is shown");
    let mut message = mqscope::model::Message::new(b"second".to_vec());
    message.qos = mqscope::model::Qos::ExactlyOnce;
    let received = mqscope::model::Received {
        topic: "lab/qos".to_owned(),
        message,
    };
    explorer.session.apply(
        mqscope::model::Event::Messages(vec![received]),
        std::time::Instant::now(),
    );
    step_until(&mut harness, "the QoS 2 message", |h| {
        has_label_containing(h, "second") && has_label(h, "2") && !has_label(h, "0")
    });
}
