//! Request and response against a real Mosquitto: a responder client answers requests, and
//! mqscope's connection and exchanges pair each reply with its request.

mod support;

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use mqscope::model::exchange::{Exchanges, Request, Status};
use mqscope::model::{Properties, Qos};
use mqscope::mqtt::{MqttVersion, PublishRequest};
use support::responder::Responder;
use support::{Broker, Watch};

const WAIT: Duration = Duration::from_secs(10);

/// mqscope connected with `version`, subscribed to everything.
fn connect(broker: &Broker, version: MqttVersion) -> Watch {
    let mut settings = broker.settings();
    settings.version = version.into();
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    watch.until("the subscriptions", WAIT, |s| !s.subscriptions().is_empty());
    watch
}

/// Send `payload` to `lab/ping` as a request replied on `reply_topic`, as the publish pane does.
fn send(watch: &Watch, exchanges: &mut Exchanges, payload: &str, reply_topic: &str, correlation: Option<&str>) -> u64 {
    let correlation = correlation.map(|c| Bytes::copy_from_slice(c.as_bytes()));
    let properties = correlation.as_ref().map(|data| {
        Box::new(Properties {
            response_topic: Some(reply_topic.to_owned()),
            correlation_data: Some(data.clone()),
            ..Properties::default()
        })
    });
    let payload = Bytes::copy_from_slice(payload.as_bytes());
    let request = Request {
        topic: "lab/ping".into(),
        payload: payload.clone(),
        qos: Qos::AtLeastOnce,
        reply_topic: reply_topic.to_owned(),
        correlation,
        timeout: Duration::from_secs(5),
    };
    let id = exchanges.send(request, SystemTime::now());
    watch.publish(PublishRequest {
        topic: "lab/ping".into(),
        payload,
        qos: Qos::AtLeastOnce,
        retain: false,
        properties,
    });
    id
}

/// Wait for `count` messages on `topic`, then pair what arrived.
fn until_replies(watch: &mut Watch, exchanges: &mut Exchanges, topic: &str, count: u64) {
    watch.until("the replies", WAIT, |s| {
        s.tree
            .find(topic)
            .and_then(|id| s.tree.get(id))
            .map_or(0, |n| n.own_messages())
            >= count
    });
    exchanges.take_in(&watch.session, SystemTime::now());
}

#[test]
fn request_with_mqtt5_pairs_each_reply_by_correlation_with_its_round_trip() {
    let broker = Broker::start();
    let _responder = Responder::start(&broker, None);
    let mut watch = connect(&broker, MqttVersion::V5);
    let mut exchanges = Exchanges::default();
    let ids: Vec<u64> = ["one", "two", "three"]
        .into_iter()
        .enumerate()
        .map(|(i, payload)| {
            send(
                &watch,
                &mut exchanges,
                payload,
                "mqscope/reply/test",
                Some(&format!("c{i}")),
            )
        })
        .collect();
    until_replies(&mut watch, &mut exchanges, "mqscope/reply/test", 3);
    for (id, payload) in ids.into_iter().zip(["one", "two", "three"]) {
        let exchange = exchanges.get(id).expect("kept");
        assert_eq!(exchange.status, Status::Replied, "{}", exchange.status_text());
        let reply = exchange.reply.as_ref().expect("a reply");
        assert_eq!(
            String::from_utf8_lossy(&reply.message.payload),
            format!(r#"{{"pong":"{payload}"}}"#)
        );
        assert!(
            exchange.status_text().starts_with("replied in "),
            "{}",
            exchange.status_text()
        );
        assert!(exchange.status_text().ends_with(" ms"), "{}", exchange.status_text());
    }
    assert_eq!(exchanges.spread().map(|s| s.count), Some(3));
    watch.disconnect();
}

#[test]
fn request_without_a_responder_times_out_in_words() {
    let broker = Broker::start();
    let mut watch = connect(&broker, MqttVersion::V5);
    let mut exchanges = Exchanges::default();
    let id = send(&watch, &mut exchanges, "anyone?", "mqscope/reply/none", Some("c1"));
    let deadline = exchanges.next_deadline().expect("waiting");
    // Nobody answers: after the timeout the request says so.
    watch.until("the request echoed", WAIT, |s| s.tree.find("lab/ping").is_some());
    exchanges.take_in(&watch.session, deadline);
    let exchange = exchanges.get(id).expect("kept");
    assert_eq!(exchange.status_text(), "no reply after 5 s");
    watch.disconnect();
}

#[test]
fn request_with_mqtt311_pairs_the_first_message_on_the_reply_topic() {
    let broker = Broker::start();
    let _responder = Responder::start(&broker, Some("lab/pong"));
    let mut watch = connect(&broker, MqttVersion::V311);
    // A message on the reply topic before the request is no reply.
    broker.mosquitto_pub("lab/pong", b"stale", false);
    watch.until("the stale message", WAIT, |s| s.tree.find("lab/pong").is_some());
    let mut exchanges = Exchanges::default();
    exchanges.take_in(&watch.session, SystemTime::now());
    let id = send(&watch, &mut exchanges, "hello", "lab/pong", None);
    until_replies(&mut watch, &mut exchanges, "lab/pong", 2);
    let exchange = exchanges.get(id).expect("kept");
    assert_eq!(exchange.status, Status::Replied, "{}", exchange.status_text());
    let reply = exchange.reply.as_ref().expect("a reply");
    assert_eq!(String::from_utf8_lossy(&reply.message.payload), r#"{"pong":"hello"}"#);
    watch.disconnect();
}
