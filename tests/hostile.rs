//! mqscope's connection code against a broker that misbehaves at the byte level (a fake one,
//! `support::fake_broker`): malformed lengths, packets that lie about their size, topics no
//! broker should send, unknown reason codes, acks for packets never sent. Each ends in a state
//! that says what happened, the tree keeps what it had, and a broker that behaves on the next
//! connection is connected to again.

mod support;

use std::net::TcpStream;
use std::time::Duration;

use bytes::Bytes;
use mqscope::model::ConnectionState;
use mqscope::mqtt::VersionChoice;
use support::Watch;
use support::fake_broker::{self, FakeBroker, send};

const WAIT: Duration = Duration::from_secs(15);

/// A fake broker that sends `hostile` on the first connection, after a good message, and
/// behaves on every later one.
fn broker_sending(hostile: Vec<u8>) -> FakeBroker {
    FakeBroker::start(move |stream: &mut TcpStream, number| {
        send(stream, &fake_broker::connack_v311(0));
        if number == 0 {
            send(stream, &fake_broker::publish_v311(b"ok/before", b"1"));
            std::thread::sleep(Duration::from_millis(200));
            send(stream, &hostile);
        } else {
            send(stream, &fake_broker::publish_v311(b"ok/after", b"2"));
        }
    })
}

fn watch(broker: &FakeBroker, version: VersionChoice) -> Watch {
    let mut settings = support::settings_for_port(broker.port());
    settings.version = version;
    Watch::connect(settings)
}

/// Connect, see the good message, then the hostile bytes end the connection with `words`;
/// the tree keeps the good message and the next connection brings the next one.
fn ends_in_words_and_recovers(hostile: Vec<u8>, words: &str) {
    let broker = broker_sending(hostile);
    let mut watch = watch(&broker, VersionChoice::V311);
    watch.until("the message before", WAIT, |s| s.tree.find("ok/before").is_some());
    watch.until("the hostile packet to be reported", WAIT, |s| {
        matches!(s.state(), ConnectionState::Reconnecting { .. })
    });
    assert!(
        Watch::reason_contains(&watch.session, words),
        "the reason given: {:?}",
        watch.session.state()
    );
    watch.until("the next connection", Duration::from_secs(40), |s| {
        s.tree.find("ok/after").is_some()
    });
    assert!(watch.session.tree.find("ok/before").is_some(), "the tree is kept");
    watch.disconnect();
}

#[test]
fn a_malformed_remaining_length_is_reported_as_invalid_mqtt() {
    // Five length bytes with the continuation bit set: MQTT allows four.
    ends_in_words_and_recovers(vec![0x30, 0xff, 0xff, 0xff, 0xff, 0x7f], "not valid MQTT");
}

#[test]
fn a_publish_longer_than_its_packet_is_reported_as_invalid_mqtt() {
    // The topic says 200 bytes; the packet has 6 in all.
    ends_in_words_and_recovers(vec![0x30, 6, 0, 200, b'a', b'b', b'c', b'd'], "not valid MQTT");
}

#[test]
fn a_topic_that_is_not_utf8_is_reported_as_invalid_mqtt() {
    ends_in_words_and_recovers(fake_broker::publish_v311(b"bad/\xff\xfe", b"x"), "not valid MQTT");
}

#[test]
fn a_pubrel_for_a_packet_never_received_is_reported() {
    // PUBREL for packet 0x1234 (4660), which the broker never sent.
    ends_in_words_and_recovers(vec![0x62, 2, 0x12, 0x34], "protocol error with mqtt://127.0.0.1");
}

#[test]
fn wildcards_and_huge_topics_from_a_broker_are_shown_as_they_are() {
    let long = vec![b'l'; 65_535];
    let deep = vec!["d"; 10_000].join("/");
    let (long_topic, deep_topic) = (long.clone(), deep.clone());
    let broker = FakeBroker::start(move |stream: &mut TcpStream, _| {
        send(stream, &fake_broker::connack_v311(0));
        send(stream, &fake_broker::publish_v311(b"odd/#/+", b"wild"));
        send(stream, &fake_broker::publish_v311(&long_topic, b"long"));
        send(stream, &fake_broker::publish_v311(deep_topic.as_bytes(), b"deep"));
        // The same packet id twice, at QoS 1: both are taken and acknowledged.
        send(stream, &fake_broker::publish_qos1_v311(b"dup/one", 7, b"a"));
        send(stream, &fake_broker::publish_qos1_v311(b"dup/two", 7, b"b"));
        // What the client sends meanwhile (its SUBSCRIBE) is not answered; the two PUBACKs are
        // looked for.
        let mut pubacks = 0;
        while pubacks < 2 {
            let Some((kind, body)) = fake_broker::read_packet(stream) else {
                return;
            };
            if kind == 0x40 {
                assert_eq!(body, vec![0, 7], "a PUBACK for packet 7");
                pubacks += 1;
            }
        }
        send(stream, &fake_broker::publish_v311(b"done", b"1"));
    });
    let mut watch = watch(&broker, VersionChoice::V311);
    watch.until("every message", WAIT, |s| s.tree.find("done").is_some());
    let tree = &watch.session.tree;
    let payload = |topic: &str| tree.latest_of(topic).map(|m| m.payload.clone());
    assert_eq!(payload("odd/#/+"), Some(Bytes::from_static(b"wild")));
    assert_eq!(
        payload(std::str::from_utf8(&long).expect("ascii")),
        Some(Bytes::from_static(b"long"))
    );
    assert_eq!(payload(&deep), Some(Bytes::from_static(b"deep")));
    assert_eq!(payload("dup/one"), Some(Bytes::from_static(b"a")));
    assert_eq!(payload("dup/two"), Some(Bytes::from_static(b"b")));
    assert!(watch.session.state().is_connected());
    watch.disconnect();
}

#[test]
fn a_connack_with_an_unknown_code_is_reported_and_not_taken_as_connected() {
    for (version, connack) in [
        (VersionChoice::V311, fake_broker::connack_v311(0x09)),
        (VersionChoice::V5, fake_broker::connack_v5(0x42)),
    ] {
        let broker = FakeBroker::start(move |stream: &mut TcpStream, _| send(stream, &connack));
        let mut watch = watch(&broker, version);
        watch.until("the answer to be reported", WAIT, |s| {
            matches!(
                s.state(),
                ConnectionState::Reconnecting { .. } | ConnectionState::Failed { .. }
            )
        });
        let reason = match watch.session.state() {
            ConnectionState::Reconnecting { reason, .. } | ConnectionState::Failed { reason } => reason.clone(),
            other => panic!("not a failure: {other:?}"),
        };
        assert!(reason.contains("127.0.0.1"), "the broker is named: {reason}");
        assert!(
            reason.contains("not valid MQTT") && reason.contains("code"),
            "{version:?}: {reason}"
        );
        drop(watch);
    }
}

#[test]
fn a_topic_alias_never_defined_is_reported() {
    let broker = FakeBroker::start(move |stream: &mut TcpStream, number| {
        // CONNACK allowing topic aliases up to 10.
        send(stream, &[0x20, 6, 0, 0, 3, 0x22, 0, 10]);
        if number == 0 {
            // PUBLISH with an empty topic and alias 5, never defined.
            send(stream, &fake_broker::packet(0x30, &[0, 0, 3, 0x23, 0, 5, b'x']));
        } else {
            send(
                stream,
                &fake_broker::packet(0x30, &[0, 8, b'o', b'k', b'/', b'a', b'f', b't', b'e', b'r', 0, b'2']),
            );
        }
    });
    let mut watch = watch(&broker, VersionChoice::V5);
    watch.until("the alias to be reported", WAIT, |s| {
        matches!(s.state(), ConnectionState::Reconnecting { .. })
    });
    assert!(
        Watch::reason_contains(&watch.session, "topic alias it never defined"),
        "the reason given: {:?}",
        watch.session.state()
    );
    assert_eq!(watch.session.tree.topic_count(), 0, "no message without a topic");
    watch.until("the next connection", Duration::from_secs(40), |s| {
        s.tree.find("ok/after").is_some()
    });
    watch.disconnect();
}
