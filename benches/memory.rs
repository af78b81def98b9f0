//! Memory per topic: the resident size a 100,000-topic tree adds, beyond its
//! payloads, measured from /proc/self/statm (Linux); and a 1,000,000-topic tree
//! of several depths, measured in a process of its own so no freed memory is reused.
//!
//! Run with `cargo bench --bench memory`.

use std::time::Instant;

use bytes::Bytes;
use mqscope::model::{Event, Message, Received, Session, Tree};

#[path = "support/mix.rs"]
mod mix;

const TOPICS: usize = 100_000;

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The tree of [`mix::million_topics`], measured in this (fresh) process.
fn million_tree() {
    let payload = Bytes::from_static(b"{\"temperature\":21.5,\"battery\":87}");
    let topics = mix::million_topics();
    let names: usize = topics.iter().map(String::len).sum();
    let Some(before) = resident_bytes() else { return };
    let mut tree = Tree::new();
    for topic in &topics {
        tree.insert(topic, Message::new(payload.clone()));
    }
    let tree_bytes = resident_bytes().unwrap_or(before).saturating_sub(before);
    println!(
        "memory: tree of {} topics of several depths ({} nodes): {:.1} MiB resident, {} bytes per topic (names average {} bytes; budget 200)",
        tree.topic_count(),
        tree.node_count(),
        tree_bytes as f64 / (1024.0 * 1024.0),
        tree_bytes / topics.len() as u64,
        names / topics.len()
    );
}

fn main() {
    if std::env::args().any(|a| a == "--million-tree") {
        million_tree();
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if let Ok(exe) = std::env::current_exe() {
        match std::process::Command::new(exe).arg("--million-tree").output() {
            Ok(out) => print!("{}", String::from_utf8_lossy(&out.stdout)),
            Err(error) => println!("memory: the 1,000,000-topic tree could not be measured: {error}"),
        }
    }
    // One shared payload, so the figure is the tree's own cost.
    let payload = Bytes::from_static(b"{\"temperature\":21.5,\"battery\":87}");
    let topic = |i: usize| format!("fleet/site{}/device{}/sensor{}", i % 10, i / 100, i % 100);
    let topic_bytes: usize = (0..TOPICS).map(|i| topic(i).len()).sum();
    let Some(before) = resident_bytes() else {
        println!("memory: /proc/self/statm is not available on this system");
        return;
    };
    // The tree alone: what every topic costs.
    let mut tree = Tree::new();
    for start in (0..TOPICS).step_by(1000) {
        for i in start..start + 1000 {
            tree.insert(&topic(i), Message::new(payload.clone()));
        }
    }
    let after_tree = resident_bytes().unwrap_or(before);
    let tree_bytes = after_tree.saturating_sub(before);
    println!(
        "memory: tree of {} topics ({} nodes): {:.1} MiB resident, {} bytes per topic (names average {} bytes; budget 200)",
        tree.topic_count(),
        tree.node_count(),
        tree_bytes as f64 / (1024.0 * 1024.0),
        tree_bytes / TOPICS as u64,
        topic_bytes / TOPICS
    );

    // A session: the tree plus one kept message per topic in the history.
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
    let after_session = resident_bytes().unwrap_or(after_tree);
    let session_bytes = after_session.saturating_sub(after_tree);
    println!(
        "memory: session (tree + history) of {} topics: {} bytes per topic; the history counts {} bytes against its budget",
        session.tree.topic_count(),
        session_bytes / TOPICS as u64,
        session.history.bytes()
    );
    drop(tree);
    drop(session);

    // A flood far larger than the history's budget: 1,000,000 messages of 1 KiB on
    // 10,000 topics (about 1 GiB) into a 64 MiB budget.
    let budget = 64 * 1024 * 1024;
    let before_flood = resident_bytes().unwrap_or(0);
    let mut flood = Session::new();
    flood.history.set_limits(1000, budget);
    for start in (0..1_000_000usize).step_by(1000) {
        let batch: Vec<Received> = (start..start + 1000)
            .map(|i| Received {
                topic: format!("flood/device{}/data", i % 10_000),
                message: Message::new(vec![b'x'; 1024]),
            })
            .collect();
        flood.apply(Event::Messages(batch), Instant::now());
    }
    let after_flood = resident_bytes().unwrap_or(before_flood);
    println!(
        "memory: flood of 1,000,000 × 1 KiB into a {} MiB history budget: {:.1} MiB resident added \
         (tree included), {} messages kept, history counts {:.1} MiB",
        budget / (1024 * 1024),
        after_flood.saturating_sub(before_flood) as f64 / (1024.0 * 1024.0),
        flood.history.len(),
        flood.history.bytes() as f64 / (1024.0 * 1024.0)
    );
}
