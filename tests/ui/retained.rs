//! Clearing retained messages, checked with the broker.

use egui_kittest::kittest::Queryable as _;

use crate::support::Broker;
use crate::ui_support::{Fixture, connect_to, has_label, has_label_containing, step_until};

#[test]
fn clearing_a_retained_branch_of_1000_topics_is_checked_with_the_broker() {
    let broker = Broker::start();
    let mut messages: Vec<(String, Vec<u8>, bool)> = (0..1000)
        .map(|i| {
            (
                format!("stale/device{}/state", i),
                format!("{{\"n\":{i}}}").into_bytes(),
                true,
            )
        })
        .collect();
    messages.push(("keep/me".to_owned(), b"1".to_vec(), true));
    broker.publish_all(&messages);

    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    step_until(&mut harness, "the stale branch", |h| {
        h.state()
            .explorer()
            .is_some_and(|e| e.session.tree.topic_count() == 1001)
            && has_label(h, "stale")
    });
    harness.get_by_label("stale").click();
    step_until(&mut harness, "the branch selected", |h| {
        has_label(h, "Clear retained below…")
    });
    harness.get_by_label("Clear retained below…").click();
    step_until(&mut harness, "the confirmation", |h| {
        has_label_containing(h, "Clear the retained messages of 1,000 topics under stale?")
    });
    harness.get_by_label("Clear 1,000 retained messages").click();
    step_until(&mut harness, "the broker's confirmation", |h| {
        has_label_containing(
            h,
            "Cleared 1,000 retained messages under stale: the broker confirmed they are gone.",
        )
    });
    harness.get_by_label("Close").click();
    step_until(&mut harness, "the branch gone from the tree", |h| {
        !has_label(h, "stale") && has_label(h, "keep")
    });

    // A fresh subscriber sees nothing retained under the branch, and the rest untouched.
    let seen = broker.retained_now("#");
    assert_eq!(seen.trim(), "keep/me 1");
}
