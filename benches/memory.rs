//! Memory per topic: the resident size a 100,000-topic tree adds, beyond its
//! payloads, measured from /proc/self/statm (Linux).
//!
//! Run with `cargo bench --bench memory`.

use std::time::Instant;

use bytes::Bytes;
use mqscope::model::{Event, Message, Received, Session};

const TOPICS: usize = 100_000;

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // One shared payload, so the figure is the tree's own cost.
    let payload = Bytes::from_static(b"{\"temperature\":21.5,\"battery\":87}");
    let topic = |i: usize| format!("fleet/site{}/device{}/sensor{}", i % 10, i / 100, i % 100);
    let topic_bytes: usize = (0..TOPICS).map(|i| topic(i).len()).sum();
    let Some(before) = resident_bytes() else {
        println!("memory: /proc/self/statm is not available on this system");
        return;
    };
    let mut session = Session::new();
    // In batches as a connection delivers them, so freed batches are reused rather than counted.
    for start in (0..TOPICS).step_by(1000) {
        let batch: Vec<Received> = (start..start + 1000)
            .map(|i| Received {
                topic: topic(i),
                message: Message::new(payload.clone()),
            })
            .collect();
        session.apply(Event::Messages(batch), Instant::now());
    }
    let after = resident_bytes().unwrap_or(before);
    let grown = after.saturating_sub(before);
    println!(
        "memory: {} topics ({} nodes) added {:.1} MiB resident: {} bytes per topic (topic names average {} bytes; budget 256)",
        session.tree.topic_count(),
        session.tree.node_count(),
        grown as f64 / (1024.0 * 1024.0),
        grown / TOPICS as u64,
        topic_bytes / TOPICS
    );
}
