//! Model throughput: ingest into a 100k-topic tree, flattening visible rows, and searching.

use std::hint::black_box;
use std::time::Instant;

use bytes::Bytes;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mqscope::model::{Event, Message, NodeId, Outline, Received, Search, Session, SortOrder, Tree, rows};

/// 100,000 topics shaped like a real fleet: site/building/device/metric.
fn topics() -> Vec<String> {
    let mut topics = Vec::with_capacity(100_000);
    for site in 0..10 {
        for building in 0..10 {
            for device in 0..100 {
                for metric in [
                    "temperature",
                    "humidity",
                    "power",
                    "state",
                    "battery",
                    "rssi",
                    "voltage",
                    "energy",
                    "uptime",
                    "status",
                ] {
                    topics.push(format!("site{site}/building{building}/device{device}/{metric}"));
                }
            }
        }
    }
    topics
}

fn batch(topics: &[String]) -> Vec<Received> {
    let payload = Bytes::from_static(b"21.5");
    topics
        .iter()
        .map(|topic| Received {
            topic: topic.clone(),
            message: Message::new(payload.clone()),
        })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let topics = topics();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(topics.len() as u64));
    group.sample_size(20);
    group.bench_function("100k updates into a 100k-topic tree", |b| {
        let mut session = Session::new();
        session.apply(Event::Messages(batch(&topics)), Instant::now());
        b.iter_batched(
            || Event::Messages(batch(&topics)),
            |event| session.apply(black_box(event), Instant::now()),
            BatchSize::LargeInput,
        );
    });
    group.bench_function("100k new topics into an empty tree", |b| {
        b.iter_batched(
            || (Session::new(), Event::Messages(batch(&topics))),
            |(mut session, event)| {
                session.apply(black_box(event), Instant::now());
                session
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn expand_all(tree: &Tree, outline: &mut Outline) {
    outline.expand_below(tree, NodeId::ROOT, usize::MAX);
}

fn flatten(c: &mut Criterion) {
    let topics = topics();
    let mut session = Session::new();
    session.apply(Event::Messages(batch(&topics)), Instant::now());
    let tree = session.tree;
    let mut outline = Outline::default();
    let mut group = c.benchmark_group("flatten");
    group.sample_size(30);
    let mut rows_out = Vec::new();
    group.bench_function("top level only (10 rows)", |b| {
        b.iter(|| {
            rows::flatten(&tree, &mut outline, rows::RowFilter::default(), false, &mut rows_out);
            black_box(rows_out.len())
        });
    });
    expand_all(&tree, &mut outline);
    rows::flatten(&tree, &mut outline, rows::RowFilter::default(), false, &mut rows_out);
    group.throughput(Throughput::Elements(rows_out.len() as u64));
    group.bench_function("everything expanded (111k rows)", |b| {
        b.iter(|| {
            rows::flatten(&tree, &mut outline, rows::RowFilter::default(), false, &mut rows_out);
            black_box(rows_out.len())
        });
    });
    group.finish();
}

/// A busy broker moves counts and activity between two re-sorts: `messages` more
/// messages, spread over the topics by a fixed stride.
fn traffic(tree: &mut Tree, topics: &[String], round: usize, messages: usize) {
    let payload = Bytes::from_static(b"22.0");
    for i in 0..messages {
        let index = (round * messages + i) * 7919 % topics.len();
        if let Some(topic) = topics.get(index) {
            tree.insert(topic, Message::new(payload.clone()));
        }
    }
}

/// Re-sorting (about once a second) every open branch of a 100k-topic tree by message
/// count or activity, after 10k new messages; and a single branch of 100k topics.
fn resort(c: &mut Criterion) {
    let topics = topics();
    let flat: Vec<String> = (0..100_000).map(|i| format!("flat/sensor{i}")).collect();
    let mut group = c.benchmark_group("resort");
    group.sample_size(20);
    let mut rows_out = Vec::new();
    for (shape, topics, expand) in [
        ("everything expanded (111k rows)", &topics, true),
        ("one branch of 100k topics", &flat, false),
    ] {
        for order in [SortOrder::Messages, SortOrder::Activity] {
            let mut session = Session::new();
            session.apply(Event::Messages(batch(topics)), Instant::now());
            let mut tree = session.tree;
            let mut outline = Outline::default();
            traffic(&mut tree, topics, 0, 200_000);
            if expand {
                expand_all(&tree, &mut outline);
            } else if let Some(flat) = tree.find("flat") {
                outline.set_expanded(&tree, flat, true);
            }
            outline.set_default_sort(order);
            rows::flatten(&tree, &mut outline, rows::RowFilter::default(), true, &mut rows_out);
            group.bench_function(format!("by {order:?}, {shape}"), |b| {
                let mut round = 1;
                b.iter_custom(|iters| {
                    let mut spent = std::time::Duration::ZERO;
                    for _ in 0..iters {
                        traffic(&mut tree, topics, round, 10_000);
                        round += 1;
                        let start = Instant::now();
                        rows::flatten(&tree, &mut outline, rows::RowFilter::default(), true, &mut rows_out);
                        spent += start.elapsed();
                        black_box(rows_out.len());
                    }
                    spent
                });
            });
        }
    }
    group.finish();
}

/// A search per keystroke: the whole 100k-topic tree is searched, then the found rows flattened.
fn search(c: &mut Criterion) {
    let topics = topics();
    let mut session = Session::new();
    session.apply(Event::Messages(batch(&topics)), Instant::now());
    let tree = session.tree;
    let mut outline = Outline::default();
    let mut group = c.benchmark_group("search");
    group.sample_size(20);
    group.throughput(Throughput::Elements(topics.len() as u64));
    let mut rows_out = Vec::new();
    for (name, text, in_payloads) in [
        ("text, 1k of 100k topics match", "device7/", false),
        ("text in topics and payloads, nothing matches", "nowhere", true),
        ("filter site3/+/+/temperature, 1k match", "site3/+/+/temperature", false),
        ("text, all 100k match", "site", false),
    ] {
        let search = Search::new(text, in_payloads).expect("a search");
        group.bench_function(name, |b| {
            b.iter(|| {
                let matches = search.run(&tree);
                matches.open_new_branches(&tree, &mut outline, None);
                rows::flatten_found(&tree, &mut outline, &matches, false, &mut rows_out);
                black_box((matches.topics, rows_out.len()))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, ingest, flatten, resort, search);
criterion_main!(benches);
