//! Replaying from the window: the dialog on a connected tab, a typed path, the progress to the
//! end, and the replayed messages back in the tab's tree; a file that is not a recording says
//! why.

use egui_kittest::kittest::Queryable as _;

use crate::support::Broker;
use crate::ui_support::{Fixture, connect_to, has_label, has_label_containing, replace_text, step_until};

/// A recording of `count` messages on `replayed/n`, 50 ms apart.
fn recording(dir: &std::path::Path, count: u64) -> std::path::PathBuf {
    recording_with_gap(dir, count, 50)
}

/// A recording of `count` messages on `replayed/n`, `gap_ms` apart.
fn recording_with_gap(dir: &std::path::Path, count: u64, gap_ms: u64) -> std::path::PathBuf {
    let mut text = Vec::new();
    for i in 0..count {
        let mut received = mqscope::model::Received::example("replayed/n", &i.to_string());
        received.message.received_at =
            std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_796_000_000_000 + i * gap_ms);
        mqscope::record::line::write(&mut text, &received);
    }
    let path = dir.join("capture.jsonl");
    std::fs::write(&path, text).expect("write the recording");
    path
}

/// Open the replay dialog, type `path` and start.
fn start_replay(harness: &mut egui_kittest::Harness<'_, mqscope::App>, path: &std::path::Path) {
    harness.get_by_label("Replay…").click();
    step_until(harness, "the replay dialog", |h| has_label(h, "Replay file"));
    replace_text(harness, "Replay file", &path.display().to_string());
    harness.get_by_label("Start replay").click();
}

#[test]
fn a_replay_from_the_dialog_shows_its_progress_to_the_end() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["replayed/#"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = recording(dir.path(), 10);
    start_replay(&mut harness, &path);
    step_until(&mut harness, "the progress", |h| has_label_containing(h, "of 10 sent"));
    step_until(&mut harness, "the end", |h| {
        has_label_containing(h, "Replayed 10 messages") && has_label_containing(h, "10 of 10 sent")
    });
    // The messages came back through the tab's own subscription.
    step_until(&mut harness, "the replayed topic", |h| has_label(h, "replayed"));
    harness.get_by_label("New replay…").click();
    step_until(&mut harness, "the form again", |h| has_label(h, "Replay file"));
}

#[test]
fn a_replay_of_a_file_that_is_not_a_recording_says_why() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["replayed/#"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "shopping list\n").expect("write");
    start_replay(&mut harness, &path);
    step_until(&mut harness, "the reason", |h| {
        has_label_containing(
            h,
            "Replay failed: no message could be read from the file (line 1: not JSON",
        )
    });
}

#[test]
fn a_replay_pauses_resumes_and_stops_when_asked() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["replayed/#"]);
    let dir = tempfile::tempdir().expect("temp dir");
    // A minute of messages: it is still running when paused and stopped.
    let path = recording_with_gap(dir.path(), 120, 500);
    start_replay(&mut harness, &path);
    step_until(&mut harness, "the first sent", |h| {
        has_label_containing(h, "1 of 120 sent")
    });
    harness.get_by_label("Pause replay").click();
    step_until(&mut harness, "Resume", |h| has_label(h, "Resume replay"));
    harness.get_by_label("Resume replay").click();
    step_until(&mut harness, "Pause again", |h| has_label(h, "Pause replay"));
    harness.get_by_label("Stop replay").click();
    step_until(&mut harness, "the stop", |h| has_label_containing(h, "Stopped after"));
    assert!(
        has_label(&harness, "Replay…"),
        "the toolbar no longer says it is replaying"
    );
}
