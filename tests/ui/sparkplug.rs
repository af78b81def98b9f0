//! Sparkplug B: its payloads decoded in the message view, read in the tree and charted.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::payload::sparkplug::{self, Metric, MetricValue, Payload};

use crate::ui_support::{Fixture, has_label, has_label_containing, row_value_contains, step_until};

const BOILER: &str = "spBv1.0/plant/DDATA/edge1/boiler";

/// A boiler's reading, encoded by Google's protobuf runtime for Python from Eclipse Tahu's
/// sparkplug_b.proto:
///   p = Payload(timestamp=1700000000123, seq=7)
///   p.metrics.add(name="Boiler/Temperature", alias=1, datatype=9, float_value=71.25)
///   p.metrics.add(name="Boiler/Burner", alias=2, datatype=11, boolean_value=True)
fn boiler_reading() -> Vec<u8> {
    let hex = "08fbd095ffbc31121d0a12426f696c65722f54656d7065726174757265100120096500808e4212150a0d426f\
               696c65722f4275726e65721002200b70011807";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Open the edge node's devices in the tree and click `device`.
fn open_device(harness: &mut Harness<'_, App>, device: &str) {
    for branch in ["spBv1.0", "plant", "DDATA", "edge1"] {
        let expand = format!("Expand {branch}");
        step_until(harness, &format!("the {branch} branch"), |h| has_label(h, &expand));
        harness.get_by_label(&expand).click();
    }
    step_until(harness, "the device", |h| has_label(h, device));
    harness.get_by_label(device).click();
}

#[test]
fn sparkplug_b_payloads_are_decoded_on_their_topics() {
    let reading = boiler_reading();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[(BOILER, &reading, true)]);
    open_device(&mut harness, "boiler");
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
}

#[test]
fn a_host_applications_state_in_the_sparkplug_namespace_is_shown_as_json() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[(
        "spBv1.0/STATE/scada",
        br#"{"online": true, "timestamp": 1700000000000}"#,
        true,
    )]);
    for branch in ["spBv1.0", "STATE"] {
        let expand = format!("Expand {branch}");
        step_until(&mut harness, &format!("the {branch} branch"), |h| has_label(h, &expand));
        harness.get_by_label(&expand).click();
    }
    step_until(&mut harness, "the host", |h| has_label(h, "scada"));
    harness.get_by_label("scada").click();
    step_until(&mut harness, "the state as JSON", |h| {
        has_label(h, "Auto (JSON)") && has_label_containing(h, "\"online\": true")
    });
}

#[test]
fn the_metric_values_of_sparkplug_b_readings_are_charted_over_time() {
    let first = boiler_reading();
    // A second reading of the device: its metric values are charted (not the seq).
    let mut payload = sparkplug::decode(&first).expect("decodes");
    payload.seq = Some(8);
    payload.metrics[0].value = Some(MetricValue::FloatValue(72.5));
    let second = prost::Message::encode_to_vec(&payload);
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[(BOILER, &first, false), (BOILER, &second, false)]);
    open_device(&mut harness, "boiler");
    step_until(&mut harness, "the chart of the temperature", |h| {
        has_label(h, "Chart: 2 points") && has_label(h, "Remove metrics.Boiler/Temperature.value")
    });
}

#[test]
fn metrics_sent_by_alias_only_are_named_from_the_devices_birth_certificate() {
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
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[
        (
            "spBv1.0/plant/DBIRTH/edge1/pump",
            &prost::Message::encode_to_vec(&birth),
            true,
        ),
        (
            "spBv1.0/plant/DDATA/edge1/pump",
            &prost::Message::encode_to_vec(&data),
            true,
        ),
    ]);
    open_device(&mut harness, "pump");
    step_until(&mut harness, "the alias named", |h| {
        has_label_containing(h, "alias names from spBv1.0/plant/DBIRTH/edge1/pump")
            && has_label_containing(h, "\"name\": \"Pump/Speed\"")
            && has_label_containing(h, "\"value\": 1450")
    });
}
