//! mqscope against the ways real brokers differ from Mosquitto, each reproduced byte for byte
//! by the fake broker (`support::fake_broker`), so they are checked without the brokers the
//! interop matrix (`tests/interop/`) installs: amqtt answers an MQTT 5 CONNECT with a 3.1.1
//! refusal, and sends a new client the retained messages of other clients' filters; rumqttd
//! closes the connection at a `$SYS/#` subscription, and at a wrong login.

mod support;

use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use mqscope::model::{ConnectionState, MqttVersion};
use mqscope::mqtt::VersionChoice;
use support::Watch;
use support::fake_broker::{self, FakeBroker, packet, send};

const WAIT: Duration = Duration::from_secs(30);

/// The filters of a SUBSCRIBE's body, and its packet id.
fn subscribe_filters(body: &[u8]) -> (u16, Vec<String>) {
    let pkid = u16::from_be_bytes([body[0], body[1]]);
    let mut filters = Vec::new();
    let mut at = 2;
    while at + 2 <= body.len() {
        let len = usize::from(u16::from_be_bytes([body[at], body[at + 1]]));
        filters.push(String::from_utf8_lossy(&body[at + 2..at + 2 + len]).into_owned());
        at += 2 + len + 1;
    }
    (pkid, filters)
}

/// A SUBACK granting QoS 0 to `count` filters.
fn suback(pkid: u16, count: usize) -> Vec<u8> {
    let mut body = pkid.to_be_bytes().to_vec();
    body.extend(std::iter::repeat_n(0u8, count));
    packet(0x90, &body)
}

/// A retained MQTT 3.1.1 PUBLISH at QoS 0.
fn retained(topic: &str, payload: &[u8]) -> Vec<u8> {
    let mut body = (topic.len() as u16).to_be_bytes().to_vec();
    body.extend_from_slice(topic.as_bytes());
    body.extend_from_slice(payload);
    packet(0x31, &body)
}

#[test]
fn a_broker_that_answers_mqtt_5_with_a_3_1_1_refusal_is_reached_with_3_1_1() {
    // amqtt: CONNACK 0x01 in 3.1.1's form, which rumqttc's MQTT 5 client waits on until the
    // connect timeout; every later CONNECT (3.1.1) is accepted.
    let broker = FakeBroker::start(|stream: &mut TcpStream, number| {
        send(stream, &fake_broker::connack_v311(if number == 0 { 1 } else { 0 }));
    });
    let mut settings = support::settings_for_port(broker.port());
    settings.version = VersionChoice::Auto;
    let mut watch = Watch::connect(settings);
    watch.until("the connection", WAIT, |s| s.state().is_connected());
    assert!(
        matches!(
            watch.session.state(),
            ConnectionState::Connected {
                version: MqttVersion::V311,
                fell_back: true,
                ..
            }
        ),
        "{:?}",
        watch.session.state()
    );
    watch.disconnect();
}

#[test]
fn a_filter_the_broker_closes_the_connection_at_is_shown_refused_and_the_others_work() {
    // rumqttd: a SUBSCRIBE with `$SYS/#` in it ends the connection, without a SUBACK.
    let broker = FakeBroker::start(|stream: &mut TcpStream, _| {
        send(stream, &fake_broker::connack_v311(0));
        while let Some((first, body)) = fake_broker::read_packet(stream) {
            if first >> 4 != 8 {
                continue;
            }
            let (pkid, filters) = subscribe_filters(&body);
            if filters.iter().any(|f| f.starts_with('$')) {
                stream.shutdown(Shutdown::Both).ok();
                return;
            }
            send(stream, &suback(pkid, filters.len()));
            send(stream, &fake_broker::publish_v311(b"plant/pump", b"on"));
        }
    });
    let mut settings = support::settings_for_port(broker.port());
    settings.version = VersionChoice::V311;
    let mut watch = Watch::connect(settings);
    watch.until("a message through the subscription to #", WAIT, |s| {
        s.tree.find("plant/pump").is_some()
    });
    watch.until("both answers", WAIT, |s| s.subscriptions().len() == 2);
    let outcomes = watch.session.subscriptions();
    let all = outcomes.iter().find(|s| s.filter == "#").expect("#");
    let sys = outcomes.iter().find(|s| s.filter == "$SYS/#").expect("$SYS/#");
    assert!(all.granted.is_ok(), "{all:?}");
    match &sys.granted {
        Err(why) => assert!(why.contains("closed the connection"), "{why}"),
        Ok(qos) => panic!("$SYS/# granted {qos:?}"),
    }
    assert!(watch.session.state().is_connected(), "not taken for a takeover");
    watch.disconnect();
}

#[test]
fn a_broker_that_closes_at_a_login_is_said_to_maybe_refuse_it() {
    // rumqttd: a wrong password ends the connection without a CONNACK.
    let broker = FakeBroker::start(|stream: &mut TcpStream, _| {
        stream.shutdown(Shutdown::Both).ok();
    });
    let mut settings = support::settings_for_port(broker.port());
    settings.version = VersionChoice::V311;
    settings.username = Some("alice".to_owned());
    settings.password = Some("wrong".to_owned());
    let mut watch = Watch::connect(settings);
    watch.until("the close to be said", WAIT, |s| {
        Watch::reason_contains(s, "closed the connection without answering")
    });
    assert!(Watch::reason_contains(&watch.session, "\"alice\""));
    assert!(Watch::reason_contains(&watch.session, "password"));
    watch.disconnect();
}

#[test]
fn the_retained_check_lists_only_topics_its_filters_match() {
    // amqtt: a new client gets the retained messages of every filter any client subscribed to;
    // the clearing of `lab/#` must not take `other/b` for one of its topics.
    let broker = FakeBroker::start(|stream: &mut TcpStream, _| {
        send(stream, &fake_broker::connack_v311(0));
        while let Some((first, body)) = fake_broker::read_packet(stream) {
            if first >> 4 == 8 {
                let (pkid, filters) = subscribe_filters(&body);
                send(stream, &suback(pkid, filters.len()));
                send(stream, &retained("lab/a", b"1"));
                send(stream, &retained("other/b", b"2"));
            }
        }
    });
    let mut settings = support::settings_for_port(broker.port());
    settings.version = VersionChoice::V311;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let found = runtime.block_on(mqscope::mqtt::retained::retained_topics(
        &settings,
        &["lab/#".to_owned()],
        WAIT,
    ));
    assert_eq!(found, Ok(vec!["lab/a".to_owned()]));
}
