//! The broker status window: the broker's $SYS statistics.

use egui_kittest::kittest::Queryable as _;

use mqscope::model::{ConnectionState, Event, MqttVersion, Qos, SubscriptionOutcome};

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

/// A tab connected `secs` ago that subscribed to everything and to `$SYS/#`.
fn connected_for(harness: &mut egui_kittest::Harness<'static, mqscope::app::App>, secs: u64) {
    let explorer = harness.state_mut().explorer_mut().expect("a tab is shown");
    let granted = |filter: &str| SubscriptionOutcome {
        filter: filter.to_owned(),
        granted: Ok(Qos::AtMostOnce),
    };
    let now = std::time::Instant::now();
    explorer
        .session
        .apply(Event::Subscribed(vec![granted("#"), granted("$SYS/#")]), now);
    let since = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    explorer.session.apply(
        Event::State(ConnectionState::Connected {
            since,
            version: MqttVersion::V311,
            fell_back: false,
        }),
        now,
    );
}

#[test]
fn broker_status_says_the_broker_publishes_no_sys_statistics_once_none_came_for_a_while() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/temp", b"21.5", true)]);
    connected_for(&mut harness, 2);
    harness.step();
    harness.get_by_label("Broker status").click();
    step_until(&mut harness, "the wait", |h| {
        has_label_containing(h, "No $SYS statistics yet")
    });

    connected_for(&mut harness, mqscope::ui::broker::SYS_GRACE.as_secs() + 1);
    step_until(&mut harness, "the verdict", |h| {
        has_label_containing(h, "This broker publishes no $SYS statistics")
    });
}

#[test]
fn broker_status_points_to_the_tree_for_sys_topics_of_other_names() {
    let fixture = Fixture::new();
    // aedes publishes a heartbeat and client events under $SYS/<its id>/.
    let mut harness = fixture.harness_with_messages(&[("$SYS/4f2a/heartbeat", b"4f2a", false)]);
    connected_for(&mut harness, 2);
    harness.step();
    harness.get_by_label("Broker status").click();
    step_until(&mut harness, "the explanation", |h| {
        has_label_containing(h, "publishes $SYS topics, but none of the statistics shown here")
    });
}
