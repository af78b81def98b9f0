//! The time slider: building the state at a moment of a recording of 1,000,000 messages on
//! 1,000 topics (JSON payloads of about 25 bytes, one message every millisecond), as the
//! slider's thread does: the messages received by then applied to a fresh session, the history
//! bounded as by default (1,000 a topic, 512 MiB). At the middle and at the end; and the
//! state dropped, which the thread does too (off the UI thread).
//!
//! Run with `cargo bench --bench timeline`.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mqscope::model::{Message, Received};
use mqscope::record::timeline::{Builder, Timeline};

const MESSAGES: usize = 1_000_000;
const TOPICS: usize = 1_000;
const LIMITS: (usize, usize) = (1000, 512 * 1024 * 1024);

fn recording() -> Timeline {
    let mut builder = Builder::default();
    for i in 0..MESSAGES {
        let mut message = Message::new(format!("{{\"n\":{},\"value\":{}.5}}", i / TOPICS, i % 50).into_bytes());
        message.received_at = UNIX_EPOCH + Duration::from_secs(1_796_000_000) + Duration::from_millis(i as u64);
        builder.push(&Received {
            topic: format!("capture/device{}/state", i % TOPICS),
            message,
        });
    }
    builder.finish().0
}

fn rebuild(c: &mut Criterion) {
    let timeline = recording();
    let mut group = c.benchmark_group("time slider, 1M messages on 1k topics");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for (name, count) in [("state at the middle", MESSAGES / 2), ("state at the end", MESSAGES)] {
        group.bench_function(name, |b| {
            b.iter_with_large_drop(|| timeline.state_at(black_box(count), LIMITS));
        });
    }
    group.bench_function("drop the state at the end", |b| {
        b.iter_batched(|| timeline.state_at(MESSAGES, LIMITS), drop, BatchSize::PerIteration);
    });
    group.finish();
}

criterion_group!(benches, rebuild);
criterion_main!(benches);
