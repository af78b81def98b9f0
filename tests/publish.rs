//! Publishing through mqscope's connection, observed by independent clients.

mod support;

use std::time::Duration;

use bytes::Bytes;
use mqscope::model::{PublishOutcome, Qos, Subscription};
use mqscope::mqtt::PublishRequest;
use support::{Broker, Watch};

const WAIT: Duration = Duration::from_secs(15);

fn request(topic: &str, payload: &str, qos: Qos, retain: bool) -> PublishRequest {
    PublishRequest {
        topic: topic.to_owned(),
        payload: Bytes::from(payload.as_bytes().to_vec()),
        qos,
        retain,
        properties: None,
    }
}

#[test]
fn publish_with_each_qos_reaches_another_client_and_reports_the_ack() {
    let broker = Broker::start();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("nothing/here")];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    let expected = [
        (Qos::AtMostOnce, PublishOutcome::Sent),
        (Qos::AtLeastOnce, PublishOutcome::Acknowledged { packet: "PUBACK" }),
        (Qos::ExactlyOnce, PublishOutcome::Acknowledged { packet: "PUBCOMP" }),
    ];
    for (qos, outcome) in expected {
        let topic = format!("lab/qos{}", qos.level());
        let subscriber = broker.mosquitto_sub(&topic, 1);
        let id = watch.publish(request(&topic, "ping", qos, false));
        watch.until("the outcome", WAIT, |s| s.publish_outcome(id).is_some());
        assert_eq!(watch.session.publish_outcome(id), Some(&outcome));
        let output = subscriber.wait_with_output().expect("mosquitto_sub output");
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("{topic} ping"));
    }
    watch.disconnect();
}

#[test]
fn publish_retained_is_kept_by_the_broker() {
    let broker = Broker::start();
    let mut watch = Watch::connect(broker.settings());
    watch.until_connected();
    let id = watch.publish(request("lab/lamp/state", r#"{"state":"ON"}"#, Qos::AtLeastOnce, true));
    watch.until("the ack", WAIT, |s| s.publish_outcome(id).is_some());
    // A client that subscribes afterwards gets it: the broker retained it.
    let output = broker
        .mosquitto_sub("lab/lamp/state", 1)
        .wait_with_output()
        .expect("output");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        r#"lab/lamp/state {"state":"ON"}"#
    );
    // And mqscope's own subscription to # shows it in the tree.
    watch.until("the echo", WAIT, |s| s.tree.find("lab/lamp/state").is_some());
    watch.disconnect();
}

#[test]
fn publish_while_not_connected_says_so() {
    let port = support::free_port();
    let settings = mqscope::mqtt::ConnectionSettings::new(
        mqscope::mqtt::BrokerAddress::parse(&format!("127.0.0.1:{port}")).expect("valid"),
    );
    let mut watch = Watch::connect(settings);
    watch.until("the first failure", WAIT, |s| Watch::reason_contains(s, "refused"));
    let id = watch.publish(request("lab/x", "1", Qos::AtLeastOnce, false));
    watch.until("the outcome", WAIT, |s| s.publish_outcome(id).is_some());
    match watch.session.publish_outcome(id) {
        Some(PublishOutcome::Failed(why)) => assert!(why.contains("Not connected"), "{why}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    watch.disconnect();
}

#[test]
fn publish_of_thousands_at_once_are_all_acknowledged() {
    let broker = Broker::start();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("nothing/here")];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    // Far more than rumqttc's request queue holds: the rest must wait, not fail.
    let ids: Vec<u64> = (1..=2000)
        .map(|n| watch.publish(request(&format!("bulk/{n}"), "x", Qos::AtLeastOnce, true)))
        .collect();
    watch.until("2000 acknowledgements", WAIT, |s| {
        ids.iter().all(|&id| s.publish_outcome(id).is_some())
    });
    for (n, &id) in ids.iter().enumerate() {
        assert_eq!(
            watch.session.publish_outcome(id),
            Some(&PublishOutcome::Acknowledged { packet: "PUBACK" }),
            "message {}",
            n + 1
        );
    }
    watch.disconnect();
}

#[test]
fn publish_of_mixed_qos_gets_each_its_own_acknowledgement() {
    let broker = Broker::start();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("nothing/here")];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    // QoS 0, 1 and 2 in flight together, past the packet ids rumqttc cycles through,
    // and past the 20 messages in flight a Mosquitto accepts from one client.
    let qos_of = |id: u64| match id % 3 {
        0 => Qos::AtMostOnce,
        1 => Qos::AtLeastOnce,
        _ => Qos::ExactlyOnce,
    };
    let ids: Vec<(u64, u64)> = (1..=600)
        .map(|n| (n, watch.publish(request(&format!("mixed/{n}"), "x", qos_of(n), false))))
        .collect();
    watch.until("600 outcomes", WAIT, |s| {
        ids.iter().all(|&(_, id)| s.publish_outcome(id).is_some())
    });
    for &(n, id) in &ids {
        let expected = match qos_of(n) {
            Qos::AtMostOnce => PublishOutcome::Sent,
            Qos::AtLeastOnce => PublishOutcome::Acknowledged { packet: "PUBACK" },
            Qos::ExactlyOnce => PublishOutcome::Acknowledged { packet: "PUBCOMP" },
        };
        assert_eq!(
            watch.session.publish_outcome(id),
            Some(&expected),
            "message {n}; broker log:\n{}",
            broker.log()
        );
    }
    watch.disconnect();
}
