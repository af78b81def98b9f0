//! Recording throughput. Two measures:
//!
//! - the writer alone: 1,000,000 messages of 100-byte payloads on 40 topics handed to a
//!   recording in batches of 4096, as the connection task hands them, until all are in the
//!   file (plain and zstd), on the machine's disk;
//! - end to end against a local Mosquitto: 200,000 retained topics with 100-byte payloads,
//!   delivered as one burst on subscribe (the fastest local flood), through mqscope's real
//!   connection path with a recording on, until every message is in the file; next to the same
//!   connection without recording and `mosquitto_sub` in the same run. The file is read back
//!   and every topic checked to be there once.
//!
//! - opening a recording: 1,000,000 messages on 1,000 topics written by the writer (plain
//!   and zstd), read back into a session as the window's Open recording… does.
//!
//! Run with `cargo bench --bench record`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use bytes::Bytes;
use mqscope::model::{Message, Received, Subscription};
use mqscope::record::{Ended, Recording, open};
use support::{Broker, Watch, median};

const WRITER_MESSAGES: usize = 1_000_000;
const TOPICS: usize = 200_000;
const ROUNDS: usize = 3;
const PAYLOAD_BYTES: usize = 100;

fn wait_for_end(recording: &mut Recording) -> Ended {
    loop {
        if let Some(ended) = recording.ended() {
            return ended;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn writer_alone(dir: &std::path::Path, name: &str) -> (Duration, u64) {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let payload = Bytes::from(vec![b'x'; PAYLOAD_BYTES]);
    let batches: Vec<Vec<Received>> = (0..WRITER_MESSAGES / 4096 + 1)
        .map(|b| {
            (0..4096.min(WRITER_MESSAGES - (b * 4096).min(WRITER_MESSAGES)))
                .map(|i| Received {
                    topic: format!("flood/sensor{}", (b * 4096 + i) % 40),
                    message: Message::new(payload.clone()),
                })
                .collect()
        })
        .filter(|b: &Vec<Received>| !b.is_empty())
        .collect();
    let path = dir.join(name);
    let start = Instant::now();
    let (mut recording, sink) = Recording::start(path.clone(), Vec::new());
    runtime.block_on(async {
        for batch in batches {
            assert!(sink.send(batch).await, "the recording ended early");
        }
    });
    drop(sink);
    assert!(matches!(wait_for_end(&mut recording), Ended::Stopped));
    let took = start.elapsed();
    assert_eq!(recording.messages(), WRITER_MESSAGES as u64);
    let bytes = recording.bytes();
    std::fs::remove_file(path).ok();
    (took, bytes)
}

/// Write `WRITER_MESSAGES` messages on 1,000 topics to `path` with the writer.
fn write_capture(path: &std::path::Path) {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let (mut recording, sink) = Recording::start(path.to_owned(), Vec::new());
    runtime.block_on(async {
        for b in 0..WRITER_MESSAGES / 1000 {
            let batch = (0..1000)
                .map(|i| Received {
                    topic: format!("capture/device{i}/state"),
                    message: Message::new(format!("{{\"n\":{b},\"value\":{}.5}}", i % 50).into_bytes()),
                })
                .collect();
            assert!(sink.send(batch).await);
        }
    });
    drop(sink);
    assert!(matches!(wait_for_end(&mut recording), Ended::Stopped));
}

fn end_to_end(broker: &Broker, dir: &std::path::Path, record: bool) -> Duration {
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("#")];
    let path = dir.join("flood.jsonl");
    let start = Instant::now();
    let mut watch = Watch::connect(settings);
    let mut recording = record.then(|| {
        let (recording, sink) = Recording::start(path.clone(), Vec::new());
        watch.record(Some(sink));
        recording
    });
    watch.until("every topic", Duration::from_secs(300), |s| {
        s.tree.topic_count() as usize >= TOPICS
    });
    if let Some(recording) = &mut recording {
        while recording.messages() < TOPICS as u64 {
            assert!(
                recording.ended().is_none(),
                "the recording stopped: {:?}",
                recording.ended()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let took = start.elapsed();
    if let Some(mut recording) = recording {
        watch.record(None);
        assert!(matches!(wait_for_end(&mut recording), Ended::Stopped));
        let text = std::fs::read_to_string(&path).expect("the recording");
        let topics: HashSet<String> = text
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                value["topic"].as_str().expect("topic").to_owned()
            })
            .collect();
        assert_eq!(text.lines().count(), TOPICS, "one line a message");
        assert_eq!(topics.len(), TOPICS, "every topic, once: no message lost");
        std::fs::remove_file(&path).ok();
    }
    watch.disconnect();
    took
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // On the disk, not in a memory file system.
    let dir =
        tempfile::tempdir_in(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into())).expect("temp dir");
    for name in ["writer.jsonl", "writer.jsonl.zst"] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..ROUNDS {
            let (took, bytes) = writer_alone(dir.path(), name);
            times.push(took);
            size = bytes;
        }
        let took = median(times);
        println!(
            "writer alone, {name}: {WRITER_MESSAGES} messages in {took:.3?}: {:.0} msg/s, {:.1} MiB written",
            WRITER_MESSAGES as f64 / took.as_secs_f64(),
            size as f64 / (1024.0 * 1024.0)
        );
    }

    for name in ["open.jsonl", "open.jsonl.zst"] {
        let path = dir.path().join(name);
        write_capture(&path);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let mut times = Vec::new();
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let opened = open::open(&path, (1000, 512 * 1024 * 1024), &std::sync::Arc::default()).expect("opens");
            times.push(start.elapsed());
            assert_eq!((opened.messages, opened.skipped), (WRITER_MESSAGES as u64, 0));
            drop(opened);
        }
        let took = median(times);
        println!(
            "open {name} ({:.1} MiB): {WRITER_MESSAGES} messages in {took:.3?}: {:.0} msg/s",
            size as f64 / (1024.0 * 1024.0),
            WRITER_MESSAGES as f64 / took.as_secs_f64()
        );
        std::fs::remove_file(&path).ok();
    }

    let broker = Broker::start();
    let payload = |i: usize| format!("{i:0width$}", width = PAYLOAD_BYTES).into_bytes();
    let messages: Vec<(String, Vec<u8>, bool)> = (0..TOPICS)
        .map(|i| {
            (
                format!("flood/site{}/device{}/sensor{}", i % 10, i / 100, i % 100),
                payload(i),
                true,
            )
        })
        .collect();
    let start = Instant::now();
    broker.publish_all(&messages);
    println!(
        "retained {TOPICS} topics of {PAYLOAD_BYTES}-byte payloads in {:.2?}",
        start.elapsed()
    );
    let (mut sub, mut plain, mut recorded) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let s = broker.time_mosquitto_sub(TOPICS);
        let p = end_to_end(&broker, dir.path(), false);
        let r = end_to_end(&broker, dir.path(), true);
        println!(
            "round {}: mosquitto_sub {s:.3?}, mqscope {p:.3?}, mqscope recording {r:.3?}",
            round + 1
        );
        sub.push(s);
        plain.push(p);
        recorded.push(r);
    }
    let (s, p, r) = (median(sub), median(plain), median(recorded));
    println!(
        "median: mosquitto_sub {s:.3?}, mqscope {p:.3?}, mqscope recording {r:.3?}: {:.0} msg/s recorded, none lost",
        TOPICS as f64 / r.as_secs_f64()
    );
}
