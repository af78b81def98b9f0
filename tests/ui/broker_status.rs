//! The broker status window: the broker's $SYS statistics.

use egui_kittest::kittest::Queryable as _;

use mqscope::model::{Event, Qos, SubscriptionOutcome};

use crate::support::Broker;
use crate::ui_support::{Fixture, has_label, has_label_containing, step_until};

#[test]
fn the_brokers_statistics_are_shown_in_words() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, broker.settings());
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    harness.get_by_label("Broker status").click();
    step_until(&mut harness, "the statistics", |h| {
        has_label_containing(h, "mosquitto version") && has_label(h, "Clients connected") && has_label(h, "Uptime")
    });
    // The load topics (published every second by the test broker) are charted per second.
    step_until(&mut harness, "the rate charts", |h| {
        has_label(h, "Messages per second") && has_label(h, "Bytes per second")
    });
}

#[test]
fn broker_status_says_why_it_is_empty_without_a_sys_subscription() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/temp", b"21.5", true)]);
    // The broker granted the one subscription asked for: everything but $SYS.
    let explorer = harness.state_mut().explorer_mut().expect("a tab is shown");
    let granted = SubscriptionOutcome {
        filter: "#".to_owned(),
        granted: Ok(Qos::AtMostOnce),
    };
    explorer
        .session
        .apply(Event::Subscribed(vec![granted]), std::time::Instant::now());
    harness.step();
    harness.get_by_label("Broker status").click();
    step_until(&mut harness, "the explanation", |h| {
        has_label_containing(h, "does not subscribe to $SYS/#")
    });
    assert!(!has_label(&harness, "Messages per second"));
}
