//! The diff of a message with the previous one or any chosen one.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;

use crate::ui_support::{Fixture, has_label, has_label_containing, live, open_topic, step_until};

/// A window showing the diff of lab/sensor, which has had `payloads`, oldest first.
fn diffing(fixture: &Fixture, payloads: &[&str]) -> Harness<'static, App> {
    let mut harness = fixture.harness_with_messages(&live("lab/sensor", payloads));
    open_topic(&mut harness, "lab", "sensor");
    let kept = format!("History: {} messages", payloads.len());
    step_until(&mut harness, "the messages", |h| has_label(h, &kept));
    harness.get_by_label("Diff").click();
    harness
}

#[test]
fn the_diff_names_the_json_fields_changed_since_the_previous_message() {
    let fixture = Fixture::new();
    let mut harness = diffing(
        &fixture,
        &[r#"{"t":1,"h":39}"#, r#"{"t":2,"h":40}"#, r#"{"t":3,"h":40}"#],
    );
    // JSON: the field that changed, by path, old → new.
    step_until(&mut harness, "the diff with the previous message", |h| {
        has_label_containing(h, "1 field changed")
    });
    assert!(has_label(&harness, "t") && has_label(&harness, "2 → 3"));
    assert!(!has_label(&harness, "h"), "an unchanged field is not listed");
}

#[test]
fn the_diff_compares_with_a_message_chosen_in_the_history() {
    let fixture = Fixture::new();
    let mut harness = diffing(
        &fixture,
        &[r#"{"t":1,"h":39}"#, r#"{"t":2,"h":40}"#, r#"{"t":3,"h":40}"#],
    );
    step_until(&mut harness, "the diff with the previous message", |h| {
        has_label_containing(h, "1 field changed")
    });
    // Compare with the oldest instead (right-click it in the history).
    let oldest = harness
        .query_all_by_label_contains(r#"{"t":1,"h":39}"#)
        .next()
        .expect("the oldest message in the history");
    oldest.click_secondary();
    step_until(&mut harness, "the menu", |h| has_label(h, "Compare with this message"));
    harness.get_by_label("Compare with this message").click();
    step_until(&mut harness, "the diff with the oldest", |h| {
        has_label_containing(h, "2 fields changed")
    });
    assert!(has_label(&harness, "1 → 3") && has_label(&harness, "39 → 40"));
    assert!(has_label_containing(&harness, "(compared with)"));
}

#[test]
fn the_diff_viewed_as_text_shows_lines_and_as_hex_bytes_by_offset() {
    let fixture = Fixture::new();
    let mut harness = diffing(&fixture, &[r#"{"t":1,"h":39}"#, r#"{"t":3,"h":40}"#]);
    step_until(&mut harness, "the JSON diff", |h| {
        has_label_containing(h, "2 fields changed")
    });

    // Viewed as text: the lines.
    harness.get_by_label("Text").click();
    step_until(&mut harness, "the line diff", |h| {
        has_label_containing(h, "1 line added, 1 removed")
    });
    assert!(has_label(&harness, r#"- {"t":1,"h":39}"#) && has_label(&harness, r#"+ {"t":3,"h":40}"#));

    // Viewed as hex: the bytes, by offset.
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the byte diff", |h| {
        has_label_containing(h, "3 bytes changed")
    });
    assert!(has_label(&harness, "00000005") && has_label(&harness, "31 → 33"));
    assert!(has_label(&harness, "0000000b–0000000c") && has_label(&harness, "33 39 → 34 30"));
}

#[test]
fn a_large_json_diff_is_worked_out_in_the_background_and_names_the_changed_field() {
    // Two payloads of about 600 KiB, one field apart deep in an array.
    let items = |changed: i64| {
        let items: Vec<String> = (0..24_000i64)
            .map(|i| format!(r#"{{"id":{i},"value":{}}}"#, if i == 12_345 { changed } else { i }))
            .collect();
        format!(r#"{{"items":[{}]}}"#, items.join(","))
    };
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/big", &[items(12_345), items(-1)]));
    open_topic(&mut harness, "lab", "big");
    step_until(&mut harness, "two messages", |h| has_label(h, "History: 2 messages"));
    harness.get_by_label("Diff").click();
    step_until(&mut harness, "the structural diff", |h| {
        has_label_containing(h, "1 field changed")
    });
    assert!(has_label(&harness, "items.12345.value") && has_label(&harness, "12345 → -1"));
}
