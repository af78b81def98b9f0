//! The message view: payload views, decoders, Sparkplug B, the history and saving a payload.

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;

use crate::ui_support::{
    Fixture, HOME, arrive, has_label, has_label_containing, open_topic, row_value_contains, step_until,
};

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
fn sparkplug_b_payloads_are_decoded_on_their_topics() {
    // Encoded by Google's protobuf runtime for Python from Eclipse Tahu's sparkplug_b.proto:
    //   p = Payload(timestamp=1700000000123, seq=7)
    //   p.metrics.add(name="Boiler/Temperature", alias=1, datatype=9, float_value=71.25)
    //   p.metrics.add(name="Boiler/Burner", alias=2, datatype=11, boolean_value=True)
    let hex = "08fbd095ffbc31121d0a12426f696c65722f54656d7065726174757265100120096500808e4212150a0d426f\
               696c65722f4275726e65721002200b70011807";
    let ddata: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[
        ("spBv1.0/plant/DDATA/edge1/boiler", &ddata, true),
        (
            "spBv1.0/STATE/scada",
            br#"{"online": true, "timestamp": 1700000000000}"#,
            true,
        ),
    ]);
    for branch in ["spBv1.0", "plant", "DDATA", "edge1"] {
        let expand = format!("Expand {branch}");
        step_until(&mut harness, &format!("the {branch} branch"), |h| has_label(h, &expand));
        harness.get_by_label(&expand).click();
    }
    step_until(&mut harness, "the device", |h| has_label(h, "boiler"));
    harness.get_by_label("boiler").click();
    step_until(&mut harness, "the decoded payload", |h| {
        has_label_containing(h, "Decoded from Sparkplug B: 2 metrics, seq 7")
            && has_label_containing(h, "\"Boiler/Temperature\": {")
            && has_label_containing(h, "\"value\": 71.25")
            && has_label_containing(h, "\"timestamp\": \"2023-11-14T22:13:20.123Z\"")
    });
    assert!(has_label(&harness, "Auto (Sparkplug B)"));
    assert_eq!(harness.get_by_label("Decode").value().as_deref(), Some("Sparkplug B"));
    // The tree's line reads the metrics, not hex.
    assert!(
        row_value_contains(&harness, "seq 7 · Boiler/Temperature 71.25 · Boiler/Burner true"),
        "the tree row shows the metrics"
    );

    // Shown as hex on request, then decoded again from the combo.
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the hex dump", |h| has_label_containing(h, "08 fb d0 95"));
    assert_eq!(harness.get_by_label("Decode").value().as_deref(), Some("Decode…"));
    harness.get_by_label("Decode").click();
    step_until(&mut harness, "the decoders", |h| has_label(h, "Sparkplug B"));
    harness.get_by_label("Sparkplug B").click();
    step_until(&mut harness, "decoded again", |h| {
        has_label_containing(h, "\"Boiler/Burner\": {")
    });

    // A host application's state in the same namespace is JSON, not protobuf.
    step_until(&mut harness, "the STATE branch", |h| has_label(h, "Expand STATE"));
    harness.get_by_label("Expand STATE").click();
    step_until(&mut harness, "the host", |h| has_label(h, "scada"));
    harness.get_by_label("scada").click();
    step_until(&mut harness, "the state as JSON", |h| {
        has_label(h, "Auto (JSON)") && has_label_containing(h, "\"online\": true")
    });

    // A second reading of the device: its metric values are charted over time (not the seq).
    let mut payload = mqscope::payload::sparkplug::decode(&ddata).expect("decodes");
    payload.seq = Some(8);
    payload.metrics[0].value = Some(mqscope::payload::sparkplug::MetricValue::FloatValue(72.5));
    arrive(
        &mut harness,
        &[(
            "spBv1.0/plant/DDATA/edge1/boiler",
            &prost::Message::encode_to_vec(&payload),
            false,
        )],
    );
    harness.get_by_label("boiler").click();
    step_until(&mut harness, "the chart of the temperature", |h| {
        has_label(h, "Chart: 2 points") && has_label(h, "Remove metrics.Boiler/Temperature.value")
    });

    // A device that reports by alias only: the names come from its birth certificate.
    use mqscope::payload::sparkplug::{Metric, MetricValue, Payload};
    let speed = |name: Option<&str>, value: f64| Metric {
        name: name.map(str::to_owned),
        alias: Some(5),
        datatype: Some(10),
        value: Some(MetricValue::DoubleValue(value)),
        ..Metric::default()
    };
    let birth = Payload {
        seq: Some(0),
        metrics: vec![speed(Some("Pump/Speed"), 0.0)],
        ..Payload::default()
    };
    let data = Payload {
        seq: Some(1),
        metrics: vec![speed(None, 1450.0)],
        ..Payload::default()
    };
    arrive(
        &mut harness,
        &[
            (
                "spBv1.0/plant/DBIRTH/edge1/pump",
                &prost::Message::encode_to_vec(&birth),
                false,
            ),
            (
                "spBv1.0/plant/DDATA/edge1/pump",
                &prost::Message::encode_to_vec(&data),
                false,
            ),
        ],
    );
    step_until(&mut harness, "the pump", |h| has_label(h, "pump"));
    harness.get_by_label("pump").click();
    step_until(&mut harness, "the alias named", |h| {
        has_label_containing(h, "alias names from spBv1.0/plant/DBIRTH/edge1/pump")
            && has_label_containing(h, "\"name\": \"Pump/Speed\"")
            && has_label_containing(h, "\"value\": 1450")
    });
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
