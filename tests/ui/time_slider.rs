//! The time slider of an opened recording: the tab shows the recording as it was at the
//! moment chosen (which topics existed, their values then), and Latest goes back to the end.

use eframe::egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;

use crate::ui_support::{Fixture, has_label, has_label_containing, replace_text, step_until};

/// 2026-11-30, in microseconds since 1970.
const START_US: u64 = 1_796_000_000_000_000;

/// A recording of three topics appearing at different times, the valve's value changing:
/// the valve at +0 s (open), the flow at +10 s, the valve again at +20 s (closed), the pump at
/// +30 s.
fn write_recording(path: &std::path::Path) {
    let line = |topic: &str, payload: &str, secs: u64| {
        let payload = payload.replace('"', "\\\"");
        format!(
            r#"{{"received":"x","received_us":{},"topic":"{topic}","qos":0,"retain":true,"dup":false,"payload":"{payload}","payload_encoding":"utf8"}}"#,
            START_US + secs * 1_000_000
        )
    };
    let text = [
        line("plant/valve", r#"{"state":"open"}"#, 0),
        line("plant/flow", "12.5", 10),
        line("plant/valve", r#"{"state":"closed"}"#, 20),
        line("plant/pump", "on", 30),
    ]
    .join("\n");
    std::fs::write(path, text).expect("written");
}

/// Open the recording at `path` from the toolbar, and show the valve.
fn open_and_select_the_valve(harness: &mut Harness<'_, App>, path: &std::path::Path) {
    harness.get_by_label("Open recording…").click();
    step_until(harness, "the path prompt", |h| has_label(h, "File path"));
    replace_text(harness, "File path", &path.display().to_string());
    harness.get_by_label("OK").click();
    step_until(harness, "the recording's tab", |h| has_label(h, "Expand plant"));
    // The tab's panels take their sizes in its first frames.
    harness.step();
    harness.step();
    harness.get_by_label("Expand plant").click();
    step_until(harness, "the valve", |h| has_label(h, "valve"));
    harness.get_by_label("valve").click();
    step_until(harness, "the valve's latest value", |h| {
        has_label_containing(h, r#""state": "closed""#) && has_label(h, "pump")
    });
}

fn slider<'h>(harness: &'h Harness<'_, App>) -> egui_kittest::Node<'h> {
    harness.get_by_label(mqscope::ui::time_slider::SLIDER_LABEL)
}

#[test]
fn the_slider_shows_the_recording_as_it_was_and_latest_goes_back_to_the_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plant.jsonl");
    write_recording(&path);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    open_and_select_the_valve(&mut harness, &path);
    assert!(has_label(&harness, "+0:30.0 of 0:30.0"), "the slider starts at the end");

    // The middle of the slider is +15 s: before the pump, and before the valve closed.
    slider(&harness).click();
    step_until(&mut harness, "the state at +15 s", |h| {
        has_label(h, "+0:15.0 of 0:30.0")
            && !has_label(h, "pump")
            && has_label(h, "flow")
            && has_label_containing(h, r#""state": "open""#)
    });
    assert!(has_label_containing(&harness, "2 of 4 messages"));
    assert!(has_label(&harness, "plant/valve"), "the valve stays selected");

    harness.get_by_label("Latest").click();
    step_until(&mut harness, "the final state", |h| {
        has_label(h, "+0:30.0 of 0:30.0") && has_label(h, "pump") && has_label_containing(h, r#""state": "closed""#)
    });
}

#[test]
fn the_arrow_keys_step_a_message_at_a_time_while_the_slider_has_the_focus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plant.jsonl");
    write_recording(&path);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    open_and_select_the_valve(&mut harness, &path);
    slider(&harness).focus();
    harness.step();
    harness.key_press(Key::ArrowLeft);
    step_until(&mut harness, "the message before", |h| {
        has_label(h, "+0:20.0 of 0:30.0") && !has_label(h, "pump")
    });
    harness.key_press(Key::ArrowLeft);
    step_until(&mut harness, "the one before that", |h| {
        has_label(h, "+0:10.0 of 0:30.0") && has_label_containing(h, r#""state": "open""#)
    });
    harness.key_press(Key::Home);
    step_until(&mut harness, "the start", |h| {
        has_label(h, "+0:00.0 of 0:30.0") && !has_label(h, "flow")
    });
    harness.key_press(Key::ArrowRight);
    step_until(&mut harness, "the next message", |h| {
        has_label(h, "+0:10.0 of 0:30.0") && has_label(h, "flow")
    });
}

#[test]
fn the_step_buttons_move_by_a_second_and_by_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plant.jsonl");
    write_recording(&path);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    open_and_select_the_valve(&mut harness, &path);
    harness.get_by_label("−1 s").click();
    step_until(&mut harness, "a second earlier", |h| {
        has_label(h, "+0:29.0 of 0:30.0") && !has_label(h, "pump")
    });
    harness.get_by_label("‹ Message").click();
    step_until(&mut harness, "the message before", |h| {
        has_label(h, "+0:10.0 of 0:30.0") && has_label_containing(h, r#""state": "open""#)
    });
    harness.get_by_label("+1 min").click();
    step_until(&mut harness, "the end, not past it", |h| {
        has_label(h, "+0:30.0 of 0:30.0") && has_label(h, "pump")
    });
}
