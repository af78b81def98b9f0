//! Subscriptions as MQTT 5 defines them, against a real Mosquitto: no local, retain handling,
//! retain as published and subscription identifiers observed at the broker, and subscribing
//! and unsubscribing while connected.

mod support;

use std::time::Duration;

use mqscope::model::subscription::delivered_by;
use mqscope::model::{Qos, RetainHandling, Subscription};
use mqscope::mqtt::{MqttVersion, PublishRequest};
use support::{Broker, Watch};

const WAIT: Duration = Duration::from_secs(10);

fn watch_v5(broker: &Broker, subscriptions: Vec<Subscription>) -> Watch {
    let mut settings = broker.settings();
    settings.version = MqttVersion::V5.into();
    settings.subscriptions = subscriptions;
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    watch
}

/// Wait until the broker granted every filter of `filters`.
fn until_granted(watch: &mut Watch, filters: &[&str]) {
    watch.until("the broker's SUBACK", WAIT, |s| {
        filters
            .iter()
            .all(|f| s.subscriptions().iter().any(|o| o.filter == *f && o.granted.is_ok()))
    });
}

/// Publish `probe` on `topic` from another client and wait for it: whatever the broker sent
/// before it has arrived.
fn probe(watch: &mut Watch, broker: &Broker, topic: &str) {
    let before = watch.messages_on(topic);
    broker.mosquitto_pub(topic, b"probe", false);
    watch.until("the probe", WAIT, |s| {
        let tree = &s.tree;
        tree.find(topic)
            .and_then(|id| tree.get(id))
            .map_or(0, |n| n.own_messages())
            > before
    });
}

fn request(topic: &str, payload: &'static [u8]) -> PublishRequest {
    PublishRequest {
        topic: topic.to_owned(),
        payload: bytes::Bytes::from_static(payload),
        qos: Qos::AtLeastOnce,
        retain: false,
        properties: None,
    }
}

#[test]
fn a_no_local_subscription_does_not_hear_its_own_messages() {
    let broker = Broker::start();
    let own = Subscription {
        no_local: true,
        ..Subscription::new("chat/#")
    };
    let mut watch = watch_v5(&broker, vec![own]);
    until_granted(&mut watch, &["chat/#"]);
    watch.publish(request("chat/mine", b"from mqscope"));
    probe(&mut watch, &broker, "chat/theirs");
    assert_eq!(
        watch.messages_on("chat/mine"),
        0,
        "the broker sent back our own message"
    );

    // Without no local, the same message comes back: the option is what kept it away.
    watch.subscribe(Subscription {
        qos: Qos::AtLeastOnce,
        ..Subscription::new("chat/#")
    });
    watch.until("the subscription replaced", WAIT, |s| {
        s.subscriptions()
            .iter()
            .any(|o| o.filter == "chat/#" && o.granted == Ok(Qos::AtLeastOnce))
    });
    watch.publish(request("chat/mine", b"again"));
    watch.until("our own message, sent back", WAIT, |s| {
        s.tree.find("chat/mine").is_some()
    });
}

#[test]
fn retain_handling_never_subscribes_without_the_retained_messages() {
    let broker = Broker::start();
    broker.mosquitto_pub("rh/never/kept", b"old", true);
    broker.mosquitto_pub("rh/always/kept", b"old", true);
    let never = Subscription {
        retain_handling: RetainHandling::Never,
        ..Subscription::new("rh/never/#")
    };
    let mut watch = watch_v5(&broker, vec![never, Subscription::new("rh/always/#")]);
    until_granted(&mut watch, &["rh/never/#", "rh/always/#"]);
    watch.until("the retained message of the other filter", WAIT, |s| {
        s.tree.find("rh/always/kept").is_some()
    });
    probe(&mut watch, &broker, "rh/never/live");
    assert_eq!(watch.messages_on("rh/never/kept"), 0, "a retained message was sent");
}

#[test]
fn retain_handling_only_if_new_sends_nothing_when_subscribing_again() {
    let broker = Broker::start();
    broker.mosquitto_pub("rh/new/kept", b"old", true);
    broker.mosquitto_pub("rh/every/kept", b"old", true);
    let only_new = Subscription {
        retain_handling: RetainHandling::OnNewSubscribe,
        ..Subscription::new("rh/new/#")
    };
    let every = Subscription::new("rh/every/#");
    let mut watch = watch_v5(&broker, vec![only_new.clone(), every.clone()]);
    watch.until("both retained messages", WAIT, |s| {
        s.tree.find("rh/new/kept").is_some() && s.tree.find("rh/every/kept").is_some()
    });
    // Subscribe to both again, at QoS 1: the broker replaces the subscriptions.
    for subscription in [only_new, every] {
        watch.subscribe(Subscription {
            qos: Qos::AtLeastOnce,
            ..subscription
        });
    }
    watch.until("QoS 1 granted to both", WAIT, |s| {
        s.subscriptions()
            .iter()
            .filter(|o| o.filter.starts_with("rh/") && o.granted == Ok(Qos::AtLeastOnce))
            .count()
            == 2
    });
    watch.until(
        "the retained message sent again for the filter without the option",
        WAIT,
        |s| {
            let tree = &s.tree;
            tree.find("rh/every/kept")
                .and_then(|id| tree.get(id))
                .map(|n| n.own_messages())
                == Some(2)
        },
    );
    probe(&mut watch, &broker, "rh/new/live");
    assert_eq!(watch.messages_on("rh/new/kept"), 1, "the retained message came again");
}

#[test]
fn retain_as_published_off_marks_only_what_subscribing_sent() {
    let broker = Broker::start();
    let plain = Subscription {
        retain_as_published: false,
        ..Subscription::new("rap/off/#")
    };
    let mut watch = watch_v5(&broker, vec![plain, Subscription::new("rap/on/#")]);
    until_granted(&mut watch, &["rap/off/#", "rap/on/#"]);
    broker.mosquitto_pub("rap/off/live", b"1", true);
    broker.mosquitto_pub("rap/on/live", b"1", true);
    watch.until("both live messages", WAIT, |s| {
        s.tree.find("rap/off/live").is_some() && s.tree.find("rap/on/live").is_some()
    });
    let tree = &watch.session.tree;
    assert!(!tree.latest_of("rap/off/live").expect("a message").retain);
    assert!(tree.latest_of("rap/on/live").expect("a message").retain);
}

#[test]
fn a_subscription_identifier_says_which_subscription_delivered() {
    let broker = Broker::start();
    let subscriptions = vec![
        Subscription {
            identifier: Some(11),
            ..Subscription::new("#")
        },
        Subscription {
            identifier: Some(22),
            ..Subscription::new("ids/+/temp")
        },
        Subscription::new("$SYS/#"),
    ];
    let mut watch = watch_v5(&broker, subscriptions.clone());
    until_granted(&mut watch, &["#", "ids/+/temp", "$SYS/#"]);
    broker.mosquitto_pub("ids/hall/temp", b"21", false);
    broker.mosquitto_pub("ids/hall/light", b"on", false);
    watch.until("both messages", WAIT, |s| {
        s.tree.find("ids/hall/temp").is_some() && s.tree.find("ids/hall/light").is_some()
    });
    let tree = &watch.session.tree;
    let light = tree.latest_of("ids/hall/light").expect("a message");
    let properties = light.properties.as_deref().expect("properties");
    assert_eq!(properties.subscription_identifiers, [11]);
    assert_eq!(
        delivered_by(&subscriptions, "ids/hall/light", Some(properties)),
        Some(0)
    );
    // Two subscriptions match the temperature: each delivers it, named by its identifier.
    watch.until("the temperature from both subscriptions", WAIT, |s| {
        let tree = &s.tree;
        tree.find("ids/hall/temp")
            .and_then(|id| tree.get(id))
            .map(|n| n.own_messages())
            == Some(2)
    });
    let session = &watch.session;
    let temp = session.tree.find("ids/hall/temp").expect("the topic");
    let mut ids: Vec<usize> = session
        .history
        .topic(temp)
        .expect("its history")
        .entries()
        .iter()
        .flat_map(|e| {
            e.message
                .properties
                .as_deref()
                .map(|p| p.subscription_identifiers.clone())
        })
        .flatten()
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [11, 22]);
}

#[test]
fn subscribing_and_unsubscribing_while_connected_needs_no_reconnect() {
    let broker = Broker::start();
    let mut watch = watch_v5(&broker, vec![Subscription::new("first/#")]);
    until_granted(&mut watch, &["first/#"]);
    broker.mosquitto_pub("second/kept", b"retained", true);
    watch.subscribe(Subscription {
        qos: Qos::ExactlyOnce,
        ..Subscription::new("second/#")
    });
    watch.until("the new filter granted at QoS 2", WAIT, |s| {
        s.subscriptions()
            .iter()
            .any(|o| o.filter == "second/#" && o.granted == Ok(Qos::ExactlyOnce))
    });
    watch.until("its retained message", WAIT, |s| s.tree.find("second/kept").is_some());
    watch.unsubscribe("first/#");
    watch.until("the broker's UNSUBACK", WAIT, |s| {
        s.subscriptions().iter().all(|o| o.filter != "first/#")
    });
    broker.mosquitto_pub("first/after", b"x", false);
    probe(&mut watch, &broker, "second/live");
    assert_eq!(
        watch.messages_on("first/after"),
        0,
        "an unsubscribed filter still delivered"
    );
    assert!(watch.session.state().is_connected());
}
