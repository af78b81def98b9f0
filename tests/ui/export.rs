//! Exporting messages from the window (a topic's history, a branch, the compare table, the
//! log's lines) and importing a JSON lines file into the saved messages, through the typed path
//! as a person without a file dialog would; every file read back.

use std::path::Path;
use std::sync::Arc;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::model::Received;
use mqscope::record::open::open;

use crate::support::{Broker, TinyDisk};
use crate::ui_support::{
    Fixture, HOME, connect_to, has_label, has_label_containing, live, open_publish_pane, open_topic, step_until,
    type_into,
};

/// Type `path` in the prompt that shows where no file dialog can, and wait until the window
/// says `said`.
fn save_as(harness: &mut Harness<'_, App>, path: &Path, said: &str) {
    step_until(harness, "the path prompt", |h| has_label(h, "File path"));
    harness.get_by_label("File path").type_text(&path.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(harness, &format!("the words \"{said}\""), |h| {
        has_label_containing(h, said)
    });
}

/// The messages of a JSON lines file, opened as a recording, by topic then arrival.
fn opened_payloads(path: &Path, topic: &str) -> Vec<Vec<u8>> {
    let opened = open(path, (1000, 1 << 24), &Arc::default()).expect("opens as a recording");
    assert_eq!(opened.skipped, 0, "every line reads: {:?}", opened.problems);
    let id = opened.session.tree.find(topic).expect("the topic is in the file");
    opened
        .session
        .history
        .topic(id)
        .expect("its messages")
        .entries()
        .iter()
        .map(|e| e.message.payload.to_vec())
        .collect()
}

#[test]
fn a_topics_history_is_exported_as_json_lines_that_open_as_a_recording() {
    let payloads: [&[u8]; 3] = [b"21.5", b"\xff\x00\x80 not text", br#"{"t":"a,b"}"#];
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/meter", &payloads));
    open_topic(&mut harness, "lab", "meter");
    step_until(&mut harness, "its history", |h| has_label(h, "History: 3 messages"));
    harness.get_by_label("Export…").click();
    let path = fixture.config.path().join("meter.jsonl");
    save_as(&mut harness, &path, "Exported 3 messages as JSON lines to");
    assert_eq!(opened_payloads(&path, "lab/meter"), payloads.map(<[u8]>::to_vec));
}

#[test]
fn a_branch_is_exported_from_the_tree_as_csv_with_a_column_per_field() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the home branch", |h| has_label(h, "home"));
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the context menu", |h| has_label(h, "Export branch…"));
    harness.get_by_label("Export branch…").click();
    let path = fixture.config.path().join("home.csv");
    save_as(&mut harness, &path, "Exported 3 messages as CSV to");
    let text = std::fs::read_to_string(&path).expect("the CSV file");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "time,topic,qos,retain,payload,payload_encoding,temperature,humidity,ok"
    );
    let topics: Vec<&str> = lines[1..].iter().map(|l| l.split(',').nth(1).unwrap_or("")).collect();
    assert_eq!(topics, ["home/hall/light", "home/kitchen/light", "home/kitchen/sensor"]);
    assert!(
        lines[1].ends_with(",home/hall/light,0,true,OFF,utf8,,,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[3].ends_with(r#","{""temperature"":21.5,""humidity"":40,""ok"":true}",utf8,21.5,40,true"#),
        "{}",
        lines[3]
    );
}

#[test]
fn the_compare_table_is_exported_as_a_json_array_in_its_order() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the home branch", |h| has_label(h, "home"));
    harness.get_by_label("home").click();
    step_until(&mut harness, "the compare table", |h| {
        has_label_containing(h, "Compare 3 topics below")
    });
    harness.get_by_label("Export…").click();
    let path = fixture.config.path().join("compare.json");
    save_as(&mut harness, &path, "Exported 3 messages as JSON to");
    let array: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the JSON file")).expect("a JSON array");
    let topics: Vec<&str> = array.iter().filter_map(|m| m["topic"].as_str()).collect();
    assert_eq!(topics, ["home/hall/light", "home/kitchen/light", "home/kitchen/sensor"]);
    assert_eq!(array[0]["payload"], "OFF");
    assert_eq!(array[0]["retain"], true);
}

#[test]
fn the_logs_filtered_lines_are_exported() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    step_until(&mut harness, "the log", |h| has_label(h, "Filter the log"));
    type_into(&mut harness, "Filter the log", "home/+/light");
    step_until(&mut harness, "the filtered lines", |h| {
        has_label_containing(h, "2 of 4 lines")
    });
    harness.get_by_label("Export…").click();
    let path = fixture.config.path().join("lights.jsonl");
    save_as(&mut harness, &path, "Exported 2 messages as JSON lines to");
    let text = std::fs::read_to_string(&path).expect("the file");
    let topics: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line")["topic"].to_string())
        .collect();
    assert_eq!(topics, ["\"home/kitchen/light\"", "\"home/hall/light\""]);
}

#[test]
fn an_export_to_a_folder_that_does_not_exist_says_so_and_writes_nothing() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/meter", &["1", "2"]));
    open_topic(&mut harness, "lab", "meter");
    step_until(&mut harness, "its history", |h| has_label(h, "History: 2 messages"));
    harness.get_by_label("Export…").click();
    let folder = fixture.config.path().join("missing");
    save_as(&mut harness, &folder.join("meter.jsonl"), "Could not write in");
    assert!(!folder.exists());
}

#[test]
fn an_export_to_a_full_disk_says_so_and_leaves_nothing_half_written() {
    let disk = TinyDisk::mount("256k");
    let payloads: Vec<Vec<u8>> = (0..4u8).map(|i| vec![i; 100_000]).collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/blob", &payloads));
    open_topic(&mut harness, "lab", "blob");
    step_until(&mut harness, "its history", |h| has_label(h, "History: 4 messages"));
    harness.get_by_label("Export…").click();
    let path = disk.dir.path().join("blob.json");
    save_as(&mut harness, &path, "No space left on device");
    assert!(has_label_containing(&harness, "nothing was saved"));
    let left: Vec<_> = std::fs::read_dir(disk.dir.path()).expect("listed").collect();
    assert!(left.is_empty(), "nothing is left on the disk: {left:?}");
}

#[test]
fn a_json_lines_file_is_imported_into_the_saved_messages() {
    let mut text = Vec::new();
    mqscope::record::line::write(&mut text, &Received::example("lamp/set", "ON"));
    text.extend_from_slice(b"{not json\n");
    text.extend_from_slice(
        br#"{"tst":"2026-12-02T02:11:28.130630Z+0000","topic":"fan/set","qos":1,"retain":0,"payloadlen":3,"payload":"LOW"}"#,
    );
    text.push(b'\n');
    let fixture = Fixture::new();
    let path = fixture.config.path().join("to-import.jsonl");
    std::fs::write(&path, &text).expect("the file to import");
    let mut harness = fixture.harness_with_messages(HOME);
    open_publish_pane(&mut harness);
    harness.get_by_label("Import…").click();
    save_as(
        &mut harness,
        &path,
        "Imported 2 messages into the saved messages; 1 line skipped (line 2: not JSON",
    );
    // The form may have scrolled while the path was typed: bring the list into view first, as
    // a person would scroll to it.
    harness.get_by_label("Saved messages").scroll_to_me();
    harness.run_steps(2);
    harness.get_by_label("Saved messages").click();
    step_until(&mut harness, "the saved messages listed", |h| {
        has_label(h, "lamp/set") && has_label(h, "fan/set")
    });
    let saved = harness
        .state()
        .explorer()
        .expect("a tab")
        .publish
        .messages()
        .saved
        .clone();
    let kept: Vec<(&str, &str, u8)> = saved
        .iter()
        .map(|m| (m.topic.as_str(), m.payload.as_str(), m.qos))
        .collect();
    assert_eq!(kept, [("lamp/set", "ON", 0), ("fan/set", "LOW", 1)]);
}

#[test]
fn messages_received_from_mosquitto_are_exported_byte_for_byte() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["lab/#"]);
    let payloads: [&[u8]; 3] = [b"\x00\x01\xfe\xff", "température".as_bytes(), br#"{"v":[1,2]}"#];
    for payload in payloads {
        broker.mosquitto_pub("lab/probe", payload, false);
    }
    open_topic(&mut harness, "lab", "probe");
    step_until(&mut harness, "the three messages", |h| {
        has_label(h, "History: 3 messages")
    });
    harness.get_by_label("Export…").click();
    let path = fixture.config.path().join("probe.jsonl");
    save_as(&mut harness, &path, "Exported 3 messages as JSON lines to");
    assert_eq!(opened_payloads(&path, "lab/probe"), payloads.map(<[u8]>::to_vec));
}
