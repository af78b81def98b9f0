//! The tab's subscriptions: the subscribe dialog with its options, a chip's menu, the colour
//! marks, and the connect form changing the subscriptions of an open connection.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::model::{ConnectionState, Qos, RetainHandling};

use crate::support::Broker;
use crate::ui_support::{Fixture, connect_to, has_label, has_label_containing, replace_text, step_until};

/// The tab's subscriptions as the connection was asked for them.
fn tab_filters(harness: &Harness<'_, App>) -> Vec<String> {
    let explorer = harness.state().explorer().expect("a tab");
    explorer
        .settings
        .subscriptions
        .iter()
        .map(|s| s.filter.clone())
        .collect()
}

fn granted(harness: &Harness<'_, App>, filter: &str) -> Option<Qos> {
    let explorer = harness.state().explorer()?;
    let outcome = explorer.session.subscriptions().iter().find(|o| o.filter == filter)?;
    outcome.granted.clone().ok()
}

fn connected_since(harness: &Harness<'_, App>) -> Option<std::time::SystemTime> {
    match harness.state().explorer()?.session.state() {
        ConnectionState::Connected { since, .. } => Some(*since),
        _ => None,
    }
}

#[test]
fn the_subscribe_dialog_subscribes_with_options_and_a_chip_unsubscribes() {
    let broker = Broker::start();
    broker.mosquitto_pub("lab/kept", b"retained", true);
    broker.mosquitto_pub("home/hall", b"on", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["home/#"]);
    step_until(&mut harness, "the home topics", |h| has_label(h, "home"));
    let since = connected_since(&harness);

    harness.get_by_label("Subscribe…").click();
    step_until(&mut harness, "the dialog", |h| has_label(h, "Topic filter"));
    harness.get_by_label("Topic filter").click();
    harness.run_steps(2);
    harness.get_by_label("Topic filter").type_text("lab/#");
    harness.get_by_label("QoS of the subscription").click();
    step_until(&mut harness, "the QoS menu", |h| has_label(h, "QoS 1"));
    harness.get_by_label("QoS 1").click();
    harness.run_steps(2);
    harness.get_by_label("No local").click();
    harness.get_by_label("Subscription identifier").click();
    harness.run_steps(2);
    harness.get_by_label("Subscribe").click();

    // Granted at QoS 1 on the connection as it was, the retained message below it arrives, and a
    // chip for it stands beside the first.
    step_until(&mut harness, "lab/# granted at QoS 1", |h| {
        granted(h, "lab/#") == Some(Qos::AtLeastOnce)
    });
    step_until(&mut harness, "the retained lab topic", |h| has_label(h, "lab"));
    assert!(has_label(&harness, "Subscription lab/#"));
    assert_eq!(connected_since(&harness), since, "the connection was made again");
    let explorer = harness.state().explorer().expect("a tab");
    let lab = explorer
        .settings
        .subscriptions
        .iter()
        .find(|s| s.filter == "lab/#")
        .expect("lab/#");
    assert!(lab.no_local);
    assert_eq!(lab.identifier, Some(1));
    assert_eq!(lab.retain_handling, RetainHandling::OnEverySubscribe);
    // A colour of its own, not the first subscription's.
    assert!(lab.colour.is_some());
    assert_ne!(
        lab.colour,
        explorer.settings.subscriptions.first().and_then(|s| s.colour)
    );

    // Its chip's menu unsubscribes.
    harness.get_by_label("Subscription lab/#").click();
    step_until(&mut harness, "the chip's menu", |h| has_label(h, "Unsubscribe"));
    harness.get_by_label("Unsubscribe").click();
    step_until(&mut harness, "the broker's answer", |h| granted(h, "lab/#").is_none());
    assert_eq!(tab_filters(&harness), ["home/#"]);
    assert!(!has_label(&harness, "Subscription lab/#"));
}

#[test]
fn a_rows_menu_opens_the_subscribe_dialog_for_its_branch() {
    let broker = Broker::start();
    broker.mosquitto_pub("home/kitchen/light", b"on", true);
    broker.mosquitto_pub("home/hall/light", b"off", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["home/kitchen/#"]);
    step_until(&mut harness, "home", |h| has_label(h, "home"));
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the row menu", |h| {
        has_label(h, "Subscribe to home/# with options…")
    });
    harness.get_by_label("Subscribe to home/# with options…").click();
    step_until(&mut harness, "the dialog", |h| has_label(h, "Topic filter"));
    // Retained messages never: the hall arrives only when it changes.
    harness.get_by_label("Retained").click();
    step_until(&mut harness, "the retain handling menu", |h| {
        has_label(h, "Do not send retained")
    });
    harness.get_by_label("Do not send retained").click();
    harness.run_steps(2);
    harness.get_by_label("Subscribe").click();
    step_until(&mut harness, "home/# granted", |h| granted(h, "home/#").is_some());
    let hall_count = |h: &Harness<'_, App>| {
        let session = &h.state().explorer().expect("a tab").session;
        let id = session.tree.find("home/hall/light");
        id.and_then(|id| session.tree.get(id)).map_or(0, |n| n.own_messages())
    };
    broker.mosquitto_pub("home/hall/light", b"on", false);
    step_until(&mut harness, "the hall's new value", |h| hall_count(h) > 0);
    assert_eq!(hall_count(&harness), 1, "the retained value came too");
}

#[test]
fn subscriptions_edited_in_the_connect_form_change_without_reconnecting() {
    let broker = Broker::start();
    broker.mosquitto_pub("plant/pump", b"running", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    replace_text(&mut harness, "Broker", &broker.url());
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    step_until(&mut harness, "the subscriptions granted", |h| granted(h, "#").is_some());
    let since = connected_since(&harness);

    // Back in the form: the first subscription becomes plant/#, $SYS/# goes.
    harness.get_by_label("+").click();
    step_until(&mut harness, "the manager", |h| has_label(h, "Connections"));
    replace_text(&mut harness, "Subscription 1", "plant/#");
    harness.run_steps(2);
    let removes: Vec<_> = harness.query_all_by_label("×").collect();
    // The tab's close button comes first; the subscriptions' remove buttons follow.
    removes.last().expect("a remove button").click();
    harness.run_steps(2);
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "plant/# granted", |h| granted(h, "plant/#").is_some());
    step_until(&mut harness, "the old filters gone", |h| {
        h.state()
            .explorer()
            .is_some_and(|e| e.session.subscriptions().iter().all(|o| o.filter == "plant/#"))
    });
    assert_eq!(harness.state().explorers().len(), 1, "a second tab was opened");
    assert_eq!(tab_filters(&harness), ["plant/#"]);
    assert_eq!(connected_since(&harness), since, "the connection was made again");
}
