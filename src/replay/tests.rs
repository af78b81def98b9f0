//! The replay against a stand-in connection: the bound on outstanding publishes, the loop,
//! pause, and a missing file.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::UNIX_EPOCH;

use super::*;
use crate::model::Received;

/// A connection stand-in: hands every publish's id to the test, which decides its outcome.
struct Stub(Sender<(u64, PublishRequest)>);

impl Publish for Stub {
    fn publish(&self, request: PublishRequest) -> u64 {
        let id = crate::mqtt::PublishId::next().get();
        self.0.send((id, request)).ok();
        id
    }
}

fn recording(dir: &Path, count: u64) -> PathBuf {
    let mut text = Vec::new();
    for i in 0..count {
        let mut received = Received::example("t", &i.to_string());
        received.message.received_at = UNIX_EPOCH + Duration::from_millis(1_796_000_000_000 + i);
        crate::record::line::write(&mut text, &received);
    }
    let path = dir.join("r.jsonl");
    std::fs::write(&path, text).expect("written");
    path
}

fn start(path: PathBuf, repeat: bool) -> (Replay, Receiver<(u64, PublishRequest)>) {
    let (tx, rx) = channel();
    let options = ReplayOptions {
        speed: Speed::AsFastAsPossible,
        repeat,
        ..ReplayOptions::default()
    };
    (Replay::start(path, options, Stub(tx), MqttVersion::V311), rx)
}

fn until(replay: &Replay, what: &str, done: impl Fn(&Status) -> bool) -> Status {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = replay.status();
        if done(&status) {
            return status;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: {status:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn no_more_than_the_bound_is_outstanding_however_fast() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (replay, published) = start(recording(dir.path(), 500), false);
    until(&replay, "the bound", |s| s.sent == MAX_OUTSTANDING as u64);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(replay.status().sent, MAX_OUTSTANDING as u64, "no outcome, no more sent");
    let (id, _) = published.recv().expect("a publish");
    assert!(replay.outcome(id, &PublishOutcome::Sent));
    until(&replay, "one more", |s| s.sent == MAX_OUTSTANDING as u64 + 1);
    assert!(!replay.outcome(id, &PublishOutcome::Sent), "an outcome is taken once");
}

#[test]
fn a_loop_starts_again_until_stopped_and_a_pause_holds_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (replay, published) = start(recording(dir.path(), 3), true);
    let acks = std::thread::spawn({
        let shared = Arc::clone(&replay.shared);
        move || {
            for (id, _) in published {
                let mut control = shared.lock();
                control.outstanding.remove(&id);
                control.delivered += 1;
                shared.changed.notify_all();
            }
        }
    });
    until(&replay, "a third pass", |s| s.passes >= 2);
    replay.pause();
    std::thread::sleep(Duration::from_millis(50));
    let paused = replay.status();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(replay.status().sent, paused.sent, "nothing is sent while paused");
    assert!(paused.paused);
    replay.resume();
    until(&replay, "more after resuming", |s| s.sent > paused.sent);
    replay.stop();
    let status = until(&replay, "the end", |s| s.ended.is_some());
    assert_eq!(status.ended, Some(Ended::Stopped));
    assert_eq!(status.total, Some(3));
    drop(replay);
    acks.join().expect("the acknowledging thread");
}

#[test]
fn a_missing_file_ends_the_replay_with_its_name() {
    let (replay, _published) = start(PathBuf::from("/nowhere/r.jsonl"), false);
    let status = until(&replay, "the end", |s| s.ended.is_some());
    match status.ended {
        Some(Ended::Failed(ReplayError::File(why))) => assert!(why.contains("cannot open /nowhere/r.jsonl"), "{why}"),
        other => panic!("{other:?}"),
    }
}
