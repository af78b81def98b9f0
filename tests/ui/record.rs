//! Recording from the window: the dialog, the red indicator with its count, Stop, and a full
//! disk's reason shown.

use egui_kittest::kittest::Queryable as _;

use crate::support::{Broker, TinyDisk};
use crate::ui_support::{Fixture, connect_to, has_label, has_label_containing, replace_text, step_until};

/// Open the record dialog, type `path` and start.
fn start_recording(harness: &mut egui_kittest::Harness<'_, mqscope::App>, path: &std::path::Path) {
    harness.get_by_label("Record…").click();
    step_until(harness, "the record dialog", |h| has_label(h, "Record to file"));
    replace_text(harness, "Record to file", &path.display().to_string());
    harness.get_by_label("Start recording").click();
    step_until(harness, "the indicator", |h| has_label_containing(h, "REC 0 messages"));
}

#[test]
fn a_recording_counts_what_it_writes_and_stops_when_asked() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["lab/#"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("lab.jsonl");
    start_recording(&mut harness, &path);
    broker.mosquitto_pub("lab/a", b"1", false);
    broker.mosquitto_pub("lab/b", b"2", false);
    step_until(&mut harness, "two recorded", |h| {
        has_label_containing(h, "REC 2 messages")
    });
    harness.get_by_label("Stop").click();
    step_until(&mut harness, "the end", |h| {
        has_label_containing(h, "Recorded 2 messages") && has_label_containing(h, "to lab.jsonl")
    });
    let text = std::fs::read_to_string(&path).expect("the file");
    assert_eq!(text.lines().count(), 2);
    harness.get_by_label("Dismiss").click();
    step_until(&mut harness, "Record… again", |h| has_label(h, "Record…"));
}

#[test]
fn a_full_disk_stops_the_recording_and_says_why() {
    let disk = TinyDisk::mount("256k");
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["fill/#"]);
    let path = disk.dir.path().join("fill.jsonl");
    start_recording(&mut harness, &path);
    broker.mosquitto_pub_lines("fill/x", 40, 20_000);
    step_until(&mut harness, "the reason", |h| {
        has_label_containing(h, "Recording stopped: cannot write to")
            && has_label_containing(h, "No space left on device")
    });
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.is_empty() || text.ends_with('\n'), "whole lines only");
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is whole JSON");
    }
}

#[test]
fn a_recording_opens_in_a_tab_of_its_own_and_a_bad_line_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("capture.jsonl");
    let good = |topic: &str, payload: &str, us: u64| {
        format!(
            r#"{{"received":"x","received_us":{us},"topic":"{topic}","qos":1,"retain":false,"dup":false,"payload":"{payload}","payload_encoding":"utf8"}}"#
        )
    };
    let text = [
        good("plant/valve", "open", 1_796_000_000_000_000),
        "{\"topic\": broken".to_owned(),
        good("plant/flow", "12.5", 1_796_000_000_100_000),
        good("plant/valve", "closed", 1_796_000_000_200_000),
    ]
    .join("\n");
    std::fs::write(&path, text).expect("written");
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.get_by_label("Open recording…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    replace_text(&mut harness, "File path", &path.display().to_string());
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the recording's tab", |h| {
        has_label(h, "capture.jsonl") && has_label(h, "plant")
    });
    assert!(has_label_containing(&harness, "1 line skipped (line 2: not JSON"));
    assert!(has_label_containing(&harness, "no broker"));
    // The log shows it in order, and the history holds both valve messages.
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::L);
    step_until(&mut harness, "the log", |h| has_label_containing(h, "3 lines"));
    harness.get_by_label("Expand plant").click();
    step_until(&mut harness, "the valve", |h| has_label(h, "valve"));
    harness.get_by_label("valve").click();
    step_until(&mut harness, "its history", |h| {
        has_label_containing(h, "History: 2 messages")
    });
    // With no broker behind the tab, clearing a retained message says it cannot.
    harness.get_by_label("valve").click_secondary();
    step_until(&mut harness, "the row's menu", |h| has_label(h, "Clear retained…"));
    harness.get_by_label("Clear retained…").click();
    step_until(&mut harness, "the refusal", |h| {
        has_label_containing(h, "nothing was cleared")
    });
}
