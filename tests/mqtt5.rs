//! MQTT 5 against a real Mosquitto: message properties arrive whole, reason
//! codes come back in words, publishing is acknowledged.

mod support;

use std::process::Command;
use std::time::Duration;

use mqscope::model::{ConnectionState, PublishOutcome, Qos, Subscription};
use mqscope::mqtt::{MqttVersion, PublishRequest};
use support::{Broker, BrokerConfig, Watch};

const WAIT: Duration = Duration::from_secs(10);

fn v5(broker: &Broker) -> mqscope::mqtt::ConnectionSettings {
    let mut settings = broker.settings();
    settings.version = MqttVersion::V5.into();
    settings
}

#[test]
fn message_properties_arrive_whole() {
    let broker = Broker::start();
    let mut watch = Watch::connect(v5(&broker));
    watch.until_connected();
    watch.until("the subscriptions", WAIT, |s| !s.subscriptions().is_empty());
    let status = Command::new("mosquitto_pub")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &broker.port().to_string(),
            "-V",
            "mqttv5",
            "-q",
            "1",
        ])
        .args(["-t", "props/check", "-m", "{\"on\":true}"])
        .args(["-D", "publish", "content-type", "application/json"])
        .args(["-D", "publish", "payload-format-indicator", "1"])
        .args(["-D", "publish", "response-topic", "props/reply"])
        .args(["-D", "publish", "correlation-data", "req-42"])
        .args(["-D", "publish", "message-expiry-interval", "3600"])
        .args(["-D", "publish", "user-property", "source", "test"])
        .args(["-D", "publish", "user-property", "source", "again"])
        .status()
        .expect("mosquitto_pub");
    assert!(status.success());
    watch.until("the message", WAIT, |s| s.tree.find("props/check").is_some());
    let tree = &watch.session.tree;
    let message = tree.latest_of("props/check").expect("a message");
    let properties = message.properties.as_deref().expect("properties");
    assert_eq!(properties.content_type.as_deref(), Some("application/json"));
    assert_eq!(properties.payload_format_indicator, Some(1));
    assert_eq!(properties.response_topic.as_deref(), Some("props/reply"));
    assert_eq!(properties.correlation_data.as_deref(), Some(&b"req-42"[..]));
    let expiry = properties.message_expiry_secs.expect("expiry");
    assert!((3590..=3600).contains(&expiry), "{expiry}");
    assert_eq!(
        properties.user_properties,
        [
            ("source".to_owned(), "test".to_owned()),
            ("source".to_owned(), "again".to_owned())
        ],
        "in order, repeats kept"
    );

    // A message without properties has none.
    broker.mosquitto_pub("props/plain", b"x", false);
    watch.until("the plain message", WAIT, |s| s.tree.find("props/plain").is_some());
    let tree = &watch.session.tree;
    let plain = tree.latest_of("props/plain");
    assert!(plain.expect("message").properties.is_none());
    watch.disconnect();
}

#[test]
fn publishing_at_every_qos_is_acknowledged() {
    let broker = Broker::start();
    let mut settings = v5(&broker);
    settings.subscriptions = vec![Subscription::new("v5/#")];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    let mut ids = Vec::new();
    for qos in [Qos::AtMostOnce, Qos::AtLeastOnce, Qos::ExactlyOnce] {
        ids.push(watch.publish(PublishRequest {
            topic: format!("v5/q{}", qos.level()),
            payload: bytes::Bytes::from_static(b"hello"),
            qos,
            retain: false,
            properties: None,
        }));
    }
    // More QoS 1 and 2 at once than Mosquitto's receive maximum (20): all go through.
    for n in 10..110 {
        ids.push(watch.publish(PublishRequest {
            topic: "v5/burst".into(),
            payload: bytes::Bytes::from(n.to_string()),
            qos: if n % 2 == 0 { Qos::AtLeastOnce } else { Qos::ExactlyOnce },
            retain: false,
            properties: None,
        }));
    }
    watch.until("every outcome", WAIT, |s| {
        ids.iter().all(|&id| s.publish_outcome(id).is_some())
    });
    for &id in &ids {
        let outcome = watch.session.publish_outcome(id).expect("outcome");
        assert!(
            matches!(outcome, PublishOutcome::Sent | PublishOutcome::Acknowledged { .. }),
            "publish {id}: {outcome:?}"
        );
    }
    watch.until("the messages back", WAIT, |s| {
        s.tree.find("v5/q2").is_some() && s.tree.find("v5/burst").is_some()
    });
    assert!(watch.session.state().is_connected());
    watch.disconnect();
}

#[test]
fn reason_codes_come_back_in_words() {
    let broker = Broker::start_with(BrokerConfig {
        dynsec: true,
        ..BrokerConfig::default()
    });
    broker.dynsec(&["createClient", "bob", "-p", "right"]);
    broker.dynsec(&["createRole", "reader"]);
    broker.dynsec(&["addRoleACL", "reader", "subscribePattern", "open/#", "allow"]);
    broker.dynsec(&["addClientRole", "bob", "reader"]);

    // A refused subscription says why, and the others work.
    let mut settings = v5(&broker);
    settings.username = Some("bob".into());
    settings.password = Some("right".into());
    settings.subscriptions = vec![Subscription::new("open/#"), Subscription::new("closed/#")];
    let mut watch = Watch::connect(settings.clone());
    watch.until_connected();
    watch.until("both SUBACKs", WAIT, |s| s.subscriptions().len() == 2);
    let closed = watch
        .session
        .subscriptions()
        .iter()
        .find(|o| o.filter == "closed/#")
        .expect("closed/#")
        .clone();
    let why = closed.granted.expect_err("refused");
    assert!(why.contains("not authorized (0x87)"), "{why}");
    assert!(
        watch
            .session
            .subscriptions()
            .iter()
            .any(|o| o.filter == "open/#" && o.granted.is_ok())
    );

    // The same client id connecting elsewhere: the loop of each pushing the other out ends, named.
    // (A broker that sends DISCONNECT 0x8E is named at once, see the unit tests; Mosquitto 2.0.11
    // just closes the socket.)
    let mut thief = Watch::connect(settings.clone());
    thief.until_connected();
    let id = settings.client_id.clone();
    watch.until("the takeover", Duration::from_secs(30), |s| {
        matches!(s.state(), ConnectionState::Failed { reason } if reason.contains(&id) && reason.contains("same client id"))
    });
    drop((thief, watch));

    // A wrong password.
    settings.password = Some("wrong".into());
    let mut wrong = Watch::connect(settings);
    wrong.until("the refusal", WAIT, |s| {
        matches!(s.state(), ConnectionState::Failed { .. })
    });
    assert!(
        Watch::reason_contains(&wrong.session, "bob"),
        "{:?}",
        wrong.session.state()
    );
}

#[test]
fn published_properties_make_the_round_trip_and_oversized_messages_are_refused_before_sending() {
    let broker = Broker::start_with(BrokerConfig {
        extra: vec!["max_packet_size 2048".into()],
        ..BrokerConfig::default()
    });
    let mut settings = v5(&broker);
    settings.subscriptions = vec![Subscription::new("rt/#")];
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    watch.until("the subscription", WAIT, |s| !s.subscriptions().is_empty());
    let sent = mqscope::model::Properties {
        content_type: Some("text/plain".into()),
        payload_format_indicator: Some(1),
        response_topic: Some("rt/reply".into()),
        correlation_data: Some(bytes::Bytes::from_static(b"\x00\x01corr")),
        user_properties: vec![("k".into(), "v".into()), ("k".into(), "w".into())],
        message_expiry_secs: Some(600),
        ..mqscope::model::Properties::default()
    };
    watch.publish(PublishRequest {
        topic: "rt/with-properties".into(),
        payload: bytes::Bytes::from_static(b"hello"),
        qos: Qos::AtLeastOnce,
        retain: false,
        properties: Some(Box::new(sent.clone())),
    });
    watch.until("the message back", WAIT, |s| {
        s.tree.find("rt/with-properties").is_some()
    });
    let tree = &watch.session.tree;
    let got = tree
        .latest_of("rt/with-properties")
        .and_then(|m| m.properties.clone())
        .expect("properties");
    let expiry = got.message_expiry_secs.expect("expiry");
    assert!((590..=600).contains(&expiry), "{expiry}");
    assert_eq!(
        *got,
        mqscope::model::Properties {
            message_expiry_secs: Some(expiry),
            ..sent
        }
    );

    // The broker takes packets of at most 2 KiB (it says so in CONNACK): a bigger message is
    // refused with the sizes, without losing the connection; a small one still goes.
    let big = watch.publish(PublishRequest {
        topic: "rt/big".into(),
        payload: bytes::Bytes::from(vec![b'x'; 4000]),
        qos: Qos::AtLeastOnce,
        retain: false,
        properties: None,
    });
    let small = watch.publish(PublishRequest {
        topic: "rt/small".into(),
        payload: bytes::Bytes::from_static(b"fits"),
        qos: Qos::AtLeastOnce,
        retain: false,
        properties: None,
    });
    watch.until("both outcomes", WAIT, |s| {
        s.publish_outcome(big).is_some() && s.publish_outcome(small).is_some()
    });
    match watch.session.publish_outcome(big) {
        Some(PublishOutcome::Failed(why)) => assert!(
            why.contains("Too large for this broker") && why.contains("2.0 KiB"),
            "{why}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(matches!(
        watch.session.publish_outcome(small),
        Some(PublishOutcome::Acknowledged { .. })
    ));
    assert!(watch.session.state().is_connected());
    watch.disconnect();
}

#[test]
fn properties_on_an_mqtt_3_connection_are_refused_in_words() {
    let broker = Broker::start();
    let mut settings = broker.settings();
    settings.version = mqscope::mqtt::VersionChoice::V311;
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    let id = watch.publish(PublishRequest {
        topic: "x".into(),
        payload: bytes::Bytes::new(),
        qos: Qos::AtMostOnce,
        retain: false,
        properties: Some(Box::new(mqscope::model::Properties {
            content_type: Some("text/plain".into()),
            ..mqscope::model::Properties::default()
        })),
    });
    watch.until("the outcome", WAIT, |s| s.publish_outcome(id).is_some());
    match watch.session.publish_outcome(id) {
        Some(PublishOutcome::Failed(why)) => assert!(why.contains("need an MQTT 5 connection"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    watch.disconnect();
}
