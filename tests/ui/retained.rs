//! Clearing retained messages, checked with the broker: it is asked first what it holds,
//! exactly that is cleared, and "confirmed" is said only when a fresh check finds nothing left.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::model::Subscription;

use crate::support::{Broker, BrokerConfig};
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

/// Open `branch` in the tree with its arrow.
fn open_branch(harness: &mut Harness<'_, App>, branch: &str) {
    let expand = format!("Expand {branch}");
    step_until(harness, &format!("the {branch} branch"), |h| has_label(h, &expand));
    harness.get_by_label(&expand).click();
}

/// Click the tree row of `name`, once it shows.
fn click_row(harness: &mut Harness<'_, App>, name: &str) {
    let is_row = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        n.role() == egui::Role::TreeItem && n.label().is_some_and(|l| l == name)
    };
    step_until(harness, &format!("the row {name}"), |h| h.query_by(is_row).is_some());
    harness.get_by(is_row).click();
}

#[test]
fn clearing_a_branch_also_clears_a_child_retained_while_subscribed() {
    let broker = Broker::start();
    broker.mosquitto_pub("zigbee2mqtt/device_810", br#"{"state":"ON"}"#, true);
    broker.mosquitto_pub("zigbee2mqtt/device_811", br#"{"state":"OFF"}"#, true);

    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("zigbee2mqtt/#")];
    // MQTT 3.1.1, where a message retained while subscribed arrives without its retain flag.
    settings.version = mqscope::mqtt::VersionChoice::V311;
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, settings);
    step_until(&mut harness, "the retained devices", |h| {
        h.state().explorer().is_some_and(|e| e.session.tree.topic_count() == 2)
    });
    // Retained while subscribed: with MQTT 3.1.1 it arrives without its retain flag.
    broker.mosquitto_pub("zigbee2mqtt/device_810/set", br#"{"state":"OFF"}"#, true);
    step_until(&mut harness, "the live child", |h| {
        h.state().explorer().is_some_and(|e| e.session.tree.topic_count() == 3)
    });

    open_branch(&mut harness, "zigbee2mqtt");
    click_row(&mut harness, "device_810");
    step_until(&mut harness, "the branch selected", |h| {
        has_label(h, "Clear retained below…")
    });
    harness.get_by_label("Clear retained below…").click();
    step_until(&mut harness, "the broker's answer", |h| {
        has_label_containing(
            h,
            "Clear the retained messages of 2 topics under zigbee2mqtt/device_810?",
        )
    });
    assert!(
        has_label_containing(&harness, "1 of them that this connection had not seen as retained"),
        "the child retained while subscribed is named as unseen"
    );
    harness.get_by_label("Clear 2 retained messages").click();
    step_until(&mut harness, "the broker's confirmation", |h| {
        has_label_containing(
            h,
            "Cleared 2 retained messages under zigbee2mqtt/device_810: the broker confirmed they are gone.",
        )
    });
    harness.get_by_label("Close").click();
    step_until(&mut harness, "the branch gone from the tree", |h| {
        !has_label(h, "device_810") && has_label(h, "device_811")
    });
    assert_eq!(
        broker.retained_now("zigbee2mqtt/#").trim(),
        r#"zigbee2mqtt/device_811 {"state":"OFF"}"#
    );
}

#[test]
fn a_deletion_the_broker_refuses_is_never_reported_as_confirmed() {
    // The viewer may read the plant's topics but not write them: Mosquitto refuses the deletion
    // and closes the viewer's connection for it.
    let broker = Broker::start_with(BrokerConfig {
        users: vec![
            ("viewer".into(), "look-only".into()),
            ("device".into(), "plant-7".into()),
        ],
        acl: vec![
            "user viewer".into(),
            "topic read plant/#".into(),
            "user device".into(),
            "topic readwrite plant/#".into(),
        ],
        ..BrokerConfig::default()
    });
    broker.mosquitto_pub_as("plant/pump", b"1", true, ("device", "plant-7"));

    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("plant/#")];
    settings.username = Some("viewer".into());
    settings.password = Some("look-only".into());
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, settings);
    step_until(&mut harness, "the retained topic", |h| has_label(h, "plant"));
    open_branch(&mut harness, "plant");
    click_row(&mut harness, "pump");
    step_until(&mut harness, "the topic selected", |h| has_label(h, "Clear retained…"));
    harness.get_by_label("Clear retained…").click();
    step_until(&mut harness, "the confirmation", |h| {
        has_label_containing(h, "Clear the retained message of plant/pump?")
    });
    harness.get_by_label("Clear 1 retained message").click();
    step_until(&mut harness, "the report", |h| {
        has_label_containing(h, "nothing was checked")
    });
    assert!(
        !has_label_containing(&harness, "confirmed"),
        "nothing is said to be confirmed"
    );
}
