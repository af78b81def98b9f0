//! The model at 1,000,000 topics (`support/mix.rs`): search and filter per keystroke,
//! re-sorting an open branch of 100k children, opening it, and clearing 100k retained
//! topics. Small sample sizes: building a million-topic session takes seconds.
//!
//! Run with `cargo bench --bench million`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mqscope::model::{Event, Message, NodeId, Outline, Received, Search, Session, SortOrder, Tree, rows};

#[path = "support/mix.rs"]
mod mix;

/// A session holding every topic of the mix, each with one retained message.
fn session(topics: &[String]) -> Session {
    let payload = Bytes::from_static(b"{\"value\":21.5}");
    let mut session = Session::new();
    for chunk in topics.chunks(10_000) {
        let batch = chunk
            .iter()
            .map(|topic| {
                let mut message = Message::new(payload.clone());
                message.retain = true;
                Received {
                    topic: topic.clone(),
                    message,
                }
            })
            .collect();
        session.apply(Event::Messages(batch), Instant::now());
    }
    session
}

/// `messages` more messages spread over the topics by a fixed stride, so counts and activity move.
fn traffic(tree: &mut Tree, topics: &[String], round: usize, messages: usize) {
    let payload = Bytes::from_static(b"{\"value\":22.0}");
    for i in 0..messages {
        let index = (round * messages + i) * 7919 % topics.len();
        if let Some(topic) = topics.get(index) {
            tree.insert(topic, Message::new(payload.clone()));
        }
    }
}

/// A search per keystroke over the whole tree, the found rows then flattened (the same
/// steps as the 100k search in `model.rs`).
fn search(c: &mut Criterion) {
    let topics = mix::million_topics();
    let tree = session(&topics).tree;
    let mut group = c.benchmark_group("million/search");
    group.sample_size(10);
    let mut rows_out = Vec::new();
    for (name, text, in_payloads) in [
        ("text in names, 10 of 1M topics match", "device4711", false),
        ("text with /, 10k match", "floor3/device1", false),
        ("text in topics and payloads, nothing matches", "nowhere", true),
        (
            "filter site3/+/+/+/temperature, 9k match",
            "site3/+/+/+/temperature",
            false,
        ),
        ("text in names, 90k match", "humidity", false),
    ] {
        let Some(search) = Search::new(text, in_payloads) else {
            continue;
        };
        // Kept from keystroke to keystroke, as the tree panel keeps it: a branch opened
        // and put in order for the previous search is not sorted again.
        let mut outline = Outline::default();
        group.bench_function(name, |b| {
            b.iter(|| {
                let matches = search.run(&tree);
                matches.open_new_branches(&tree, &mut outline, None);
                rows::flatten_found(&tree, &mut outline, &matches, false, &mut rows_out);
                black_box((matches.topics, rows_out.len()))
            });
        });
    }
    // The first keystroke of a fresh tree view: no branch was opened or put in order before.
    if let Some(search) = Search::new("humidity", false) {
        group.bench_function("first search of a fresh view, text in names, 90k match", |b| {
            b.iter_batched(
                Outline::default,
                |mut outline| {
                    let matches = search.run(&tree);
                    matches.open_new_branches(&tree, &mut outline, None);
                    rows::flatten_found(&tree, &mut outline, &matches, false, &mut rows_out);
                    black_box((matches.topics, rows_out.len()));
                    outline
                },
                BatchSize::LargeInput,
            );
        });
    }
    // The next keystroke: the text typed on by one character, the search before it narrowed
    // (only what it found is checked again, and what changed since: nothing here).
    for (name, text, in_payloads) in [
        ("next keystroke, text in names, 10 match", "device4711", false),
        ("next keystroke, text with /, 10k match", "floor3/device1", false),
        (
            "next keystroke, text in topics and payloads, nothing matches",
            "nowhere",
            true,
        ),
        ("next keystroke, text in names, 90k match", "humidity", false),
    ] {
        let typed = &text[..text.len() - 1];
        let (Some(search), Some(before)) = (Search::new(text, in_payloads), Search::new(typed, in_payloads)) else {
            continue;
        };
        // As the keystroke before left it: the branches above what it found open.
        let mut outline = Outline::default();
        before.run(&tree).open_new_branches(&tree, &mut outline, None);
        group.bench_function(name, |b| {
            b.iter_batched(
                || before.run(&tree),
                |found| {
                    let matches = search.run_after(&tree, Some((&before, &found)));
                    matches.open_new_branches(&tree, &mut outline, Some(&found));
                    rows::flatten_found(&tree, &mut outline, &matches, false, &mut rows_out);
                    black_box((matches.topics, rows_out.len()));
                    found
                },
                BatchSize::LargeInput,
            );
        });
    }
    // The scan alone, without opening and flattening what it found.
    for (name, text) in [
        ("scan only, text in names, 90k match", "humidity"),
        ("scan only, text in names, 10 match", "device4711"),
    ] {
        let Some(search) = Search::new(text, false) else {
            continue;
        };
        group.bench_function(name, |b| b.iter(|| black_box(search.run(&tree).topics)));
    }
    group.finish();
}

/// Opening the branch of 100k children, and re-sorting it after 10k messages.
fn branch(c: &mut Criterion) {
    let topics = mix::million_topics();
    let mut tree = session(&topics).tree;
    let Some(tags) = tree.find("tags") else { return };
    let mut group = c.benchmark_group("million/branch");
    group.sample_size(10);
    let mut rows_out = Vec::new();
    for order in [SortOrder::Name, SortOrder::Messages] {
        group.bench_function(format!("open the branch of 100k children, by {order:?}"), |b| {
            b.iter_batched(
                || {
                    let mut outline = Outline::default();
                    outline.set_default_sort(order);
                    outline
                },
                |mut outline| {
                    outline.set_expanded(&tree, tags, true);
                    rows::flatten(&tree, &mut outline, rows::RowFilter::default(), false, &mut rows_out);
                    black_box(rows_out.len());
                    outline
                },
                BatchSize::LargeInput,
            );
        });
    }
    let flat = &topics[topics.len() - mix::FLAT_CHILDREN..];
    for order in [SortOrder::Messages, SortOrder::Activity] {
        let mut outline = Outline::default();
        outline.set_default_sort(order);
        outline.set_expanded(&tree, tags, true);
        traffic(&mut tree, flat, 0, 200_000);
        rows::flatten(&tree, &mut outline, rows::RowFilter::default(), true, &mut rows_out);
        group.bench_function(
            format!("re-sort the branch of 100k children by {order:?} after 10k messages"),
            |b| {
                let mut round = 1;
                b.iter_custom(|iters| {
                    let mut spent = Duration::ZERO;
                    for _ in 0..iters {
                        traffic(&mut tree, flat, round, 10_000);
                        round += 1;
                        let start = Instant::now();
                        rows::flatten(&tree, &mut outline, rows::RowFilter::default(), true, &mut rows_out);
                        spent += start.elapsed();
                        black_box(rows_out.len());
                    }
                    spent
                });
            },
        );
    }
    group.finish();
}

/// Clearing 100k retained topics (the broker confirmed them deleted): the model's part.
fn clear(c: &mut Criterion) {
    let topics = mix::million_topics();
    let mut group = c.benchmark_group("million/clear");
    group.sample_size(10);
    for (name, branch) in [
        ("the branch of 100k children", "tags"),
        ("a deep branch of 90k topics", "site0"),
    ] {
        group.bench_function(format!("remove_topics of {name}"), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let mut session = session(&topics);
                    let id = session.tree.find(branch).unwrap_or(NodeId::ROOT);
                    let ids = session.tree.retained_topics(id);
                    let start = Instant::now();
                    session.remove_topics(&ids);
                    spent += start.elapsed();
                    black_box(session.tree.topic_count());
                }
                spent
            });
        });
    }
    group.finish();
}

criterion_group!(benches, search, branch, clear);
criterion_main!(benches);
