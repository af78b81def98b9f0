//! mqscope's connection code against a real Mosquitto: what arrives, how it
//! is counted, and how failures are reported and recovered from.

mod support;

use std::time::Duration;

use bytes::Bytes;
use mqscope::model::{ConnectionState, Qos, Subscription};
use support::{Broker, BrokerConfig, Watch};

const WAIT: Duration = Duration::from_secs(15);

fn payload_of(watch: &Watch, topic: &str) -> Option<Bytes> {
    watch.session.tree.latest_of(topic).map(|m| m.payload.clone())
}

#[test]
fn retained_and_live_messages_reach_the_model_with_topic_and_message_counts() {
    let broker = Broker::start();
    broker.mosquitto_pub("home/kitchen/temp", b"21.5", true);
    broker.mosquitto_pub("home/kitchen/humidity", b"40", true);
    broker.mosquitto_pub("home/hall/light", br#"{"state":"ON"}"#, true);

    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("home/#")];
    let mut watch = Watch::connect(settings);
    watch.until("3 retained topics", WAIT, |s| s.tree.topic_count() == 3);
    let temp = watch.session.tree.find("home/kitchen/temp").expect("topic in tree");
    let message = watch
        .session
        .tree
        .latest_of("home/kitchen/temp")
        .cloned()
        .expect("a message");
    assert!(message.retain, "a retained message is marked retained");
    assert_eq!(message.payload, Bytes::from_static(b"21.5"));

    broker.mosquitto_pub("home/kitchen/temp", b"22.0", false);
    broker.mosquitto_pub("home/kitchen/temp", b"22.5", false);
    watch.until("2 live messages", WAIT, |s| s.tree.message_count() == 5);
    let tree = &watch.session.tree;
    let node = tree.get(temp).expect("node");
    assert_eq!(node.own_messages(), 3);
    let latest = node.latest().expect("latest");
    assert_eq!(latest.payload, Bytes::from_static(b"22.5"));
    assert!(!latest.retain, "a live message is not marked retained");
    assert_eq!(latest.qos, Qos::AtMostOnce, "delivered at the subscription's QoS 0");
    let kitchen = tree.find("home/kitchen").and_then(|id| tree.get(id)).expect("branch");
    assert_eq!((kitchen.subtree_topics(), kitchen.subtree_messages()), (2, 4));
    let home = tree.find("home").and_then(|id| tree.get(id)).expect("branch");
    assert_eq!((home.subtree_topics(), home.subtree_messages()), (3, 5));
    watch.disconnect();
}

#[test]
fn default_subscriptions_include_sys_topics() {
    let broker = Broker::start();
    let mut watch = Watch::connect(broker.settings());
    watch.until("$SYS/broker/version", WAIT, |s| {
        s.tree.find("$SYS/broker/version").is_some()
    });
    let version = payload_of(&watch, "$SYS/broker/version").expect("a version");
    assert!(String::from_utf8_lossy(&version).contains("mosquitto"));
    assert!(
        watch.session.subscriptions().iter().all(|s| s.granted.is_ok()),
        "{:?}",
        watch.session.subscriptions()
    );
    watch.disconnect();
}

#[test]
fn a_one_megabyte_retained_payload_arrives_intact() {
    let broker = Broker::start();
    let payload: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    broker.mosquitto_pub("big/blob", &payload, true);
    let mut watch = Watch::connect(broker.settings());
    watch.until("the 1 MiB payload", WAIT, |s| s.tree.find("big/blob").is_some());
    assert_eq!(payload_of(&watch, "big/blob").as_deref(), Some(payload.as_slice()));
    // The connection survives it: later messages still arrive.
    broker.mosquitto_pub("big/after", b"ok", false);
    watch.until("a message after the big one", WAIT, |s| {
        s.tree.find("big/after").is_some()
    });
    assert!(watch.session.state().is_connected());
    watch.disconnect();
}

#[test]
fn binary_empty_and_invalid_utf8_payloads_and_odd_topics_arrive_unchanged() {
    let broker = Broker::start();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("bin/zeros", vec![0, 0, 0, 255, 254, 1]),
        ("bin/invalid-utf8", vec![b'a', 0xC3, 0x28, 0xFF]),
        ("odd//empty-level", b"x".to_vec()),
        ("/leading", b"y".to_vec()),
        ("trailing/", b"z".to_vec()),
        ("ünïcødé/温度", "21 °C".as_bytes().to_vec()),
    ];
    let messages: Vec<(String, Vec<u8>, bool)> =
        cases.iter().map(|(t, p)| ((*t).to_owned(), p.clone(), true)).collect();
    broker.publish_all(&messages);
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("#")];
    let mut watch = Watch::connect(settings);
    watch.until("every odd topic", WAIT, |s| {
        s.tree.topic_count() as usize == cases.len()
    });
    // An empty retained message would delete the topic's retained message: send it live.
    broker.mosquitto_pub("bin/empty", b"", false);
    watch.until("the empty payload", WAIT, |s| s.tree.find("bin/empty").is_some());
    assert_eq!(payload_of(&watch, "bin/empty").as_deref(), Some(&b""[..]));
    for (topic, payload) in &cases {
        assert_eq!(
            payload_of(&watch, topic).as_deref(),
            Some(payload.as_slice()),
            "{topic}"
        );
        let id = watch.session.tree.find(topic).expect("topic");
        assert_eq!(watch.session.tree.topic(id), *topic);
    }
    watch.disconnect();
}

#[test]
fn reconnects_and_resubscribes_after_a_broker_restart_keeping_the_tree() {
    let mut broker = Broker::start();
    broker.mosquitto_pub("plant/line1/speed", b"10", true);
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("plant/#")];
    let mut watch = Watch::connect(settings);
    watch.until("the retained topic", WAIT, |s| s.tree.topic_count() == 1);

    broker.stop();
    watch.until("the loss to be reported", WAIT, |s| {
        matches!(s.state(), ConnectionState::Reconnecting { .. })
    });
    assert!(
        Watch::reason_contains(&watch.session, "closed the connection")
            || Watch::reason_contains(&watch.session, "refused")
    );
    assert_eq!(watch.session.tree.topic_count(), 1, "the tree is kept while away");

    broker.restart();
    watch.until("the reconnection", Duration::from_secs(40), |s| {
        s.state().is_connected()
    });
    // Resubscribed: a message published after the restart arrives.
    let deadline = std::time::Instant::now() + WAIT;
    while watch.session.tree.find("plant/line2/speed").is_none() {
        broker.mosquitto_pub("plant/line2/speed", b"20", false);
        watch.until("the next publish", Duration::from_millis(500), |_| true);
        assert!(std::time::Instant::now() < deadline, "no message after reconnecting");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        watch.session.tree.find("plant/line1/speed").is_some(),
        "old topics kept"
    );
    watch.disconnect();
}

#[test]
fn a_closed_port_is_reported_as_refused_and_retried() {
    let port = support::free_port();
    let settings = mqscope::mqtt::ConnectionSettings::new(
        mqscope::mqtt::BrokerAddress::parse(&format!("127.0.0.1:{port}")).expect("valid"),
    );
    let mut watch = Watch::connect(settings);
    watch.until("the refusal", WAIT, |s| Watch::reason_contains(s, "Connection refused"));
    assert!(matches!(watch.session.state(), ConnectionState::Reconnecting { .. }));
    assert!(Watch::reason_contains(&watch.session, &port.to_string()));
    watch.disconnect();
}

#[test]
fn wrong_credentials_report_the_brokers_reason_and_stop_retrying() {
    let broker = Broker::start_with(BrokerConfig {
        users: vec![("alice".into(), "correct horse".into())],
        ..BrokerConfig::default()
    });
    let mut settings = broker.settings();
    settings.username = Some("alice".into());
    settings.password = Some("wrong".into());
    let mut watch = Watch::connect(settings);
    watch.until("the rejection", WAIT, |s| s.state().is_ended());
    match watch.session.state() {
        ConnectionState::Failed { reason } => {
            assert!(reason.contains("alice") && reason.contains("password"), "{reason}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }

    let mut settings = broker.settings();
    settings.username = Some("alice".into());
    settings.password = Some("correct horse".into());
    let mut watch = Watch::connect(settings);
    watch.until_connected();
    watch.disconnect();
}

#[test]
fn a_client_id_takeover_loop_is_detected_and_named() {
    let broker = Broker::start();
    let mut settings = broker.settings();
    settings.client_id = "shared-id".into();
    let mut first = Watch::connect(settings.clone());
    first.until_connected();
    let mut second = Watch::connect(settings);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        first.until("a moment", Duration::from_millis(200), |_| true);
        second.until("a moment", Duration::from_millis(200), |_| true);
        let named = [&first, &second]
            .iter()
            .any(|w| Watch::reason_contains(&w.session, "same client id \"shared-id\""));
        if named {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no takeover loop detected");
    }
    let stopped = [&first, &second]
        .iter()
        .filter(|w| matches!(w.session.state(), ConnectionState::Failed { .. }))
        .count();
    assert_eq!(stopped, 1, "one side stops so the other keeps its connection");
}

#[test]
fn disconnecting_is_clean() {
    let broker = Broker::start();
    let mut watch = Watch::connect(broker.settings());
    watch.until_connected();
    watch.disconnect();
    assert!(!broker.log().contains("exceeded timeout"));
}

#[test]
fn a_single_message_at_qos_1_shows_at_once() {
    let broker = Broker::start();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription {
        qos: Qos::AtLeastOnce,
        ..Subscription::new("alarm/#")
    }];
    let mut watch = Watch::connect(settings);
    watch.until("the subscription", WAIT, |s| !s.subscriptions().is_empty());
    assert_eq!(watch.session.subscriptions()[0].granted, Ok(Qos::AtLeastOnce));
    // One message and then silence: it must not wait for a next one to be shown.
    broker.mosquitto_pub("alarm/door", b"open", false);
    watch.until("the one message", Duration::from_secs(5), |s| {
        s.tree.find("alarm/door").is_some()
    });
    let message = watch.session.tree.latest_of("alarm/door").cloned().expect("message");
    assert_eq!(message.qos, Qos::AtLeastOnce);
    watch.disconnect();
}

#[test]
fn the_last_will_is_published_when_the_connection_drops_and_not_after_a_clean_disconnect() {
    let broker = Broker::start();
    let will = mqscope::mqtt::settings::LastWill {
        topic: "will/mqscope".into(),
        payload: "gone".into(),
        qos: mqscope::model::Qos::AtLeastOnce,
        retain: true,
    };
    for version in [mqscope::mqtt::MqttVersion::V311, mqscope::mqtt::MqttVersion::V5] {
        let mut settings = broker.settings();
        settings.version = version.into();
        settings.last_will = Some(will.clone());

        // A clean DISCONNECT: the broker drops the will.
        let mut watch = Watch::connect(settings.clone());
        watch.until_connected();
        watch.disconnect();
        assert_eq!(
            broker.retained_now("will/#"),
            "",
            "no will after a clean disconnect ({version:?})"
        );

        // The connection just ends (the process died): the broker publishes the will.
        let mut watch = Watch::connect(settings);
        watch.until_connected();
        drop(watch);
        assert_eq!(broker.retained_now("will/#").trim(), "will/mqscope gone", "{version:?}");
        broker.mosquitto_pub("will/mqscope", b"", true);
    }
}

#[test]
fn a_flood_the_window_does_not_take_waits_at_the_broker_and_the_connection_lives() {
    // The broker keeps whatever this client cannot take yet.
    let broker = Broker::start_with(BrokerConfig {
        extra: vec!["max_queued_messages 0".into(), "max_queued_bytes 0".into()],
        ..BrokerConfig::default()
    });
    let mut settings = broker.settings();
    settings.keep_alive_secs = 5;
    settings.subscriptions = vec![Subscription {
        qos: Qos::AtLeastOnce,
        ..Subscription::new("flood/#")
    }];
    let limit = 2 * 1024 * 1024;
    let mut watch = Watch::connect_bounded(settings, limit);
    watch.until_connected();

    // 16 MiB arrive while nothing is taken from the connection for twice its keep-alive.
    let count = 16_000;
    broker.mosquitto_pub_lines("flood/x", count, 1024);
    let mut most = 0;
    let until = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < until {
        most = most.max(watch.queued_bytes());
        std::thread::sleep(Duration::from_millis(20));
    }
    // Filled up to its bound, and past it by at most one batch (1 MiB) and a little.
    assert!(most >= limit, "the flood filled the channel: {most} bytes");
    assert!(
        most <= limit + 1024 * 1024 + 64 * 1024,
        "held near its bound: {most} bytes"
    );

    // Then everything arrives, on the same connection (no message lost, no reconnect).
    watch.until("every message of the flood", Duration::from_secs(60), |s| {
        s.tree.message_count() >= count as u64
    });
    assert!(watch.session.state().is_connected());
    assert_eq!(watch.session.tree.message_count(), count as u64);
    watch.disconnect();
}

/// The keep-alive of the fault tests: rumqttc's shortest.
const SHORT_KEEP_ALIVE: Duration = Duration::from_secs(5);

#[test]
fn a_link_that_stops_answering_is_noticed_within_one_and_a_half_keep_alives_and_recovered() {
    let broker = Broker::start();
    broker.mosquitto_pub("site/pump", b"on", true);
    let link = support::faults::FaultyLink::to(broker.port());
    let mut settings = support::settings_for_port(link.port());
    settings.keep_alive_secs = SHORT_KEEP_ALIVE.as_secs() as u16;
    settings.subscriptions = vec![Subscription::new("site/#")];
    let mut watch = Watch::connect(settings);
    watch.until("the retained topic", WAIT, |s| s.tree.topic_count() == 1);

    // The link goes silent: both sockets stay open, nothing passes.
    let stalled = std::time::Instant::now();
    link.stall();
    let noticed_by = SHORT_KEEP_ALIVE * 3 / 2 + Duration::from_millis(500);
    watch.until("the silence to be noticed", noticed_by, |s| {
        Watch::reason_contains(s, "stopped answering")
    });
    assert!(matches!(watch.session.state(), ConnectionState::Reconnecting { .. }));
    assert!(stalled.elapsed() <= noticed_by);
    assert_eq!(watch.session.tree.topic_count(), 1, "the tree is kept while away");

    link.resume();
    watch.until("the reconnection", Duration::from_secs(40), |s| {
        s.state().is_connected()
    });
    let deadline = std::time::Instant::now() + WAIT;
    while watch.session.tree.find("site/valve").is_none() {
        broker.mosquitto_pub("site/valve", b"open", false);
        watch.until("the next publish", Duration::from_millis(500), |_| true);
        assert!(std::time::Instant::now() < deadline, "no message after reconnecting");
    }
    watch.disconnect();
}

#[test]
fn packets_split_into_single_bytes_and_a_cut_mid_packet_lose_nothing() {
    let broker = Broker::start();
    let big: Vec<u8> = (0..256 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    broker.mosquitto_pub("site/small", b"1", true);
    broker.mosquitto_pub("site/firmware", &big, true);
    let link = support::faults::FaultyLink::to(broker.port());
    link.one_byte_at_a_time(true);
    let mut settings = support::settings_for_port(link.port());
    settings.subscriptions = vec![Subscription::new("site/#")];
    let mut watch = Watch::connect(settings);
    watch.until(
        "both retained topics, one byte at a time",
        Duration::from_secs(60),
        |s| s.tree.topic_count() == 2,
    );
    assert_eq!(payload_of(&watch, "site/firmware").as_deref(), Some(&big[..]));

    // Cut the link when part of a large message has passed, one byte at a time.
    let before = link.bytes_to_client();
    broker.mosquitto_pub("site/firmware", &big, true);
    let deadline = std::time::Instant::now() + WAIT;
    while link.bytes_to_client() < before + 16 * 1024 {
        assert!(
            std::time::Instant::now() < deadline,
            "the message did not start to pass"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    link.cut();
    assert!(link.bytes_to_client() < before + big.len() as u64, "cut mid-message");
    link.one_byte_at_a_time(false);
    watch.until("the cut to be reported", WAIT, |s| {
        matches!(s.state(), ConnectionState::Reconnecting { .. })
    });
    watch.until("the reconnection", Duration::from_secs(40), |s| {
        s.state().is_connected()
    });
    watch.until("the retained message again, whole", WAIT, |s| {
        s.tree
            .find("site/firmware")
            .and_then(|id| s.tree.get(id))
            .is_some_and(|n| n.own_messages() >= 2)
    });
    assert_eq!(payload_of(&watch, "site/firmware").as_deref(), Some(&big[..]));
    assert_eq!(payload_of(&watch, "site/small").as_deref(), Some(&b"1"[..]));
    watch.disconnect();
}
