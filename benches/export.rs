//! Exporting 100,000 messages. Two measures:
//!
//! - gathering them on the window's thread, as a click on *Export…* does: the log's 100,000
//!   lines on 1,000 topics resolved into an `Export` (payloads shared, not copied), and one
//!   topic's history of 100,000 messages;
//! - writing them, off the window's thread, to a file on the machine's disk as JSON lines,
//!   JSON and CSV (each payload a small JSON object, so CSV has a column per field).
//!
//! Run with `cargo bench --bench export`.

use std::time::{Duration, Instant, SystemTime};

use mqscope::model::{Event, Message, Received, Session};
use mqscope::ui::export::Export;

const MESSAGES: usize = 100_000;
const TOPICS: usize = 1_000;
const ROUNDS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn timed<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        last = Some(work());
        times.push(start.elapsed());
    }
    (median(times), last.expect("at least one round"))
}

fn session(topics: usize) -> Session {
    let mut session = Session::new();
    session.history.set_limits(MESSAGES, 1 << 30);
    let messages: Vec<Received> = (0..MESSAGES)
        .map(|i| {
            let mut message = Message::new(
                format!(r#"{{"temperature":{}.5,"humidity":{},"state":"ON"}}"#, i % 40, i % 100).into_bytes(),
            );
            message.received_at = SystemTime::now();
            Received {
                topic: format!("site/floor{}/sensor{}", i % topics % 10, i % topics),
                message,
            }
        })
        .collect();
    session.apply(Event::Messages(messages), Instant::now());
    session
}

fn main() {
    let spread = session(TOPICS);
    let lines: Vec<_> = (0..spread.log.len()).filter_map(|i| spread.log.get(i)).collect();
    let (gather_log, export) = timed(|| Export::lines(&spread, lines.iter().copied(), "the log".into()));
    assert_eq!(export.messages.len(), MESSAGES);
    let one = session(1);
    let id = one.tree.find("site/floor0/sensor0").expect("the topic");
    let (gather_history, history) = timed(|| Export::history(&one, id));
    assert_eq!(history.messages.len(), MESSAGES);
    println!("| gather the log's {MESSAGES} lines on {TOPICS} topics (window thread) | {gather_log:.2?} |");
    println!("| gather one topic's history of {MESSAGES} messages (window thread) | {gather_history:.2?} |");

    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["export.jsonl", "export.json", "export.csv"] {
        let path = dir.path().join(name);
        let (took, format) = timed(|| mqscope::export::save(&path, &export.messages).expect("written"));
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "| write {MESSAGES} messages as {} ({:.1} MiB, off the window thread) | {took:.2?} |",
            format.label(),
            size as f64 / (1024.0 * 1024.0)
        );
    }
}
