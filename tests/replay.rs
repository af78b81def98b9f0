//! Replaying a recording against a real Mosquitto, watched by a plain rumqttc subscriber
//! (MQTT 5, retain as published, QoS 2): every message arrives in order, byte for byte, with
//! its QoS and retain flag, the recorded gaps kept (within a tolerance that does not flake on
//! a loaded machine: the precision is measured in benches/replay.rs); a prefix and a speed
//! apply; the headless `mqscope replay` exits 0 having delivered, and says why when the file
//! or the broker is bad.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use mqscope::model::{Qos, Received};
use mqscope::replay::{ReplayOptions, Speed, headless};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Filter, Packet};
use support::Broker;

const WAIT: Duration = Duration::from_secs(20);
/// How far a gap may be off at the recorded pace in a test (the benchmark measures the real
/// figure): generous enough for a loaded 2-core machine.
const GAP_TOLERANCE: Duration = Duration::from_millis(60);

/// One message as the subscriber saw it.
#[derive(Debug)]
struct Seen {
    topic: String,
    payload: Vec<u8>,
    qos: u8,
    retain: bool,
    at: Instant,
}

/// A plain rumqttc MQTT 5 client subscribed to `filter` with QoS 2 and retain as published.
fn subscribe(broker: &Broker, filter: &str) -> Receiver<Seen> {
    let mut options = rumqttc::v5::MqttOptions::new(format!("watch-{}", fastrand::u32(..)), "127.0.0.1", broker.port());
    options.set_keep_alive(Duration::from_secs(30));
    let (client, mut connection) = rumqttc::v5::Client::new(options, 100);
    let mut filter = Filter::new(filter, QoS::ExactlyOnce);
    filter.preserve_retain = true;
    client.subscribe_many([filter]).expect("subscribe");
    let (tx, rx) = std::sync::mpsc::channel();
    let (subscribed_tx, subscribed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The client lives as long as the thread.
        let _client = client;
        for event in connection.iter() {
            match event {
                Ok(rumqttc::v5::Event::Incoming(Packet::SubAck(_))) => {
                    subscribed_tx.send(()).ok();
                }
                Ok(rumqttc::v5::Event::Incoming(Packet::Publish(publish))) => {
                    let seen = Seen {
                        topic: String::from_utf8_lossy(&publish.topic).into_owned(),
                        payload: publish.payload.to_vec(),
                        qos: publish.qos as u8,
                        retain: publish.retain,
                        at: Instant::now(),
                    };
                    if tx.send(seen).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
    subscribed.recv_timeout(WAIT).expect("the subscriber is subscribed");
    rx
}

/// The next `count` messages seen.
fn collect(rx: &Receiver<Seen>, count: usize) -> Vec<Seen> {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    while seen.len() < count {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(message) => seen.push(message),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                panic!("{} of {count} messages arrived: {seen:?}", seen.len())
            }
        }
    }
    seen
}

/// A message recorded `ms` after the first.
fn recorded(ms: u64, topic: &str, payload: &[u8], qos: Qos, retain: bool) -> Received {
    let mut received = Received::example(topic, "");
    received.message.payload = bytes::Bytes::copy_from_slice(payload);
    received.message.qos = qos;
    received.message.retain = retain;
    received.message.received_at =
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000) + Duration::from_millis(ms);
    received
}

/// Mixed messages: text, binary, empty, retained, JSON; QoS 0, 1 and 2; gaps of 100 to 250 ms.
fn mixed() -> Vec<Received> {
    vec![
        recorded(0, "mix/text", b"hello", Qos::AtMostOnce, false),
        recorded(150, "mix/bin", b"\xff\x00\x01\xfe", Qos::AtLeastOnce, false),
        recorded(300, "mix/empty", b"", Qos::ExactlyOnce, false),
        recorded(450, "mix/retained", b"kept", Qos::AtLeastOnce, true),
        recorded(700, "mix/json", br#"{"a":1,"b":[true,null]}"#, Qos::ExactlyOnce, false),
        recorded(800, "mix/last", "ünïcode".as_bytes(), Qos::AtMostOnce, false),
    ]
}

/// `messages` written as a recording (mqscope's own lines) in `dir`.
fn write_recording(dir: &Path, messages: &[Received]) -> PathBuf {
    let mut text = Vec::new();
    for message in messages {
        mqscope::record::line::write(&mut text, message);
    }
    let path = dir.join("capture.jsonl");
    std::fs::write(&path, text).expect("write the recording");
    path
}

fn replay(broker: &Broker, path: &Path, options: ReplayOptions) -> String {
    headless::run(path, options, broker.settings())
        .map_err(|f| f.reason)
        .expect("the replay succeeds")
}

#[test]
fn replay_delivers_every_message_in_order_byte_for_byte_with_its_qos_and_retain() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let messages = mixed();
    let path = write_recording(dir.path(), &messages);
    let seen = subscribe(&broker, "mix/#");
    let summary = replay(&broker, &path, ReplayOptions::default());
    assert!(summary.contains("6 messages"), "{summary}");
    let seen = collect(&seen, messages.len());
    for (sent, got) in messages.iter().zip(&seen) {
        assert_eq!(got.topic, sent.topic);
        assert_eq!(got.payload, sent.message.payload.to_vec(), "{}", sent.topic);
        assert_eq!(got.qos, sent.message.qos.level(), "{}", sent.topic);
        assert_eq!(got.retain, sent.message.retain, "{}", sent.topic);
    }
    assert_eq!(broker.retained_now("mix/#").trim(), "mix/retained kept");
}

#[test]
fn replay_at_the_recorded_pace_keeps_the_gaps() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let messages = mixed();
    let path = write_recording(dir.path(), &messages);
    let seen = subscribe(&broker, "mix/#");
    replay(&broker, &path, ReplayOptions::default());
    let seen = collect(&seen, messages.len());
    let gap = |a: &Received, b: &Received| {
        b.message
            .received_at
            .duration_since(a.message.received_at)
            .expect("in order")
    };
    for (pair, got) in messages.windows(2).zip(seen.windows(2)) {
        let (recorded, replayed) = (gap(&pair[0], &pair[1]), got[1].at - got[0].at);
        assert!(
            replayed.abs_diff(recorded) <= GAP_TOLERANCE,
            "{} after {}: {replayed:?} apart, recorded {recorded:?}",
            pair[1].topic,
            pair[0].topic
        );
    }
}

#[test]
fn replay_under_a_prefix_publishes_to_the_prefixed_topics_only() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_recording(dir.path(), &mixed());
    let seen = subscribe(&broker, "#");
    let options = ReplayOptions {
        prefix: "replay".into(),
        speed: Speed::AsFastAsPossible,
        ..ReplayOptions::default()
    };
    replay(&broker, &path, options);
    let topics: Vec<String> = collect(&seen, 6).into_iter().map(|s| s.topic).collect();
    assert_eq!(
        topics,
        [
            "replay/mix/text",
            "replay/mix/bin",
            "replay/mix/empty",
            "replay/mix/retained",
            "replay/mix/json",
            "replay/mix/last"
        ]
    );
}

#[test]
fn replay_ten_times_faster_compresses_the_gaps() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    // Ten messages 200 ms apart: 1.8 s as recorded, 0.18 s ten times faster.
    let messages: Vec<Received> = (0..10)
        .map(|i| recorded(i * 200, &format!("fast/{i}"), b"x", Qos::AtMostOnce, false))
        .collect();
    let path = write_recording(dir.path(), &messages);
    let seen = subscribe(&broker, "fast/#");
    let options = ReplayOptions {
        speed: Speed::Times(10.0),
        ..ReplayOptions::default()
    };
    replay(&broker, &path, options);
    let seen = collect(&seen, 10);
    let span = seen[9].at - seen[0].at;
    assert!(
        span < Duration::from_millis(900),
        "ten times faster took {span:?} for 1.8 s recorded"
    );
}

#[test]
fn replay_of_topics_and_a_time_range_sends_only_those() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_recording(dir.path(), &mixed());
    let seen = subscribe(&broker, "#");
    let options = ReplayOptions {
        filters: vec!["mix/+".into()],
        from: Some(mqscope::replay::Bound::Offset(Duration::from_millis(200))),
        to: Some(mqscope::replay::Bound::Offset(Duration::from_millis(750))),
        qos: Some(Qos::AtLeastOnce),
        retain: Some(false),
        speed: Speed::AsFastAsPossible,
        ..ReplayOptions::default()
    };
    let summary = replay(&broker, &path, options);
    assert!(summary.contains("3 messages"), "{summary}");
    let seen = collect(&seen, 3);
    let got: Vec<(&str, u8, bool)> = seen.iter().map(|s| (s.topic.as_str(), s.qos, s.retain)).collect();
    assert_eq!(
        got,
        [
            ("mix/empty", 1, false),
            ("mix/retained", 1, false),
            ("mix/json", 1, false)
        ]
    );
    assert_eq!(broker.retained_now("mix/#").trim(), "", "nothing retained");
}

#[test]
fn replay_as_fast_as_possible_delivers_a_large_recording_in_order() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let messages: Vec<Received> = (0..5000)
        .map(|i| {
            // Runs of each QoS: Mosquitto forwards QoS 2 at PUBREL, after QoS 0 and 1 sent
            // later; the replay keeps the order anyway.
            let qos = [Qos::AtMostOnce, Qos::AtLeastOnce, Qos::ExactlyOnce][i / 50 % 3];
            recorded(i as u64, "bulk/n", i.to_string().as_bytes(), qos, false)
        })
        .collect();
    let path = write_recording(dir.path(), &messages);
    let seen = subscribe(&broker, "bulk/#");
    let options = ReplayOptions {
        speed: Speed::AsFastAsPossible,
        ..ReplayOptions::default()
    };
    let summary = replay(&broker, &path, options);
    assert!(summary.contains("5000 delivered"), "{summary}");
    let payloads: Vec<String> = collect(&seen, 5000)
        .into_iter()
        .map(|s| String::from_utf8(s.payload).expect("text"))
        .collect();
    let expected: Vec<String> = (0..5000).map(|i: usize| i.to_string()).collect();
    assert_eq!(payloads, expected);
}

#[test]
fn replay_from_the_command_line_exits_zero_and_delivers() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_recording(dir.path(), &mixed());
    let seen = subscribe(&broker, "#");
    let output = Command::new(env!("CARGO_BIN_EXE_mqscope"))
        .args(["replay", path.to_str().expect("UTF-8 path"), "--broker", &broker.url()])
        .args(["--speed", "10", "--prefix", "ci/"])
        .env_remove("MQSCOPE_BROKER")
        .output()
        .expect("run mqscope replay");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "exit {:?}: {stderr}", output.status);
    assert!(stderr.contains("replayed 6 messages"), "{stderr}");
    let topics: Vec<String> = collect(&seen, 6).into_iter().map(|s| s.topic).collect();
    assert_eq!(topics.first().map(String::as_str), Some("ci/mix/text"));
    assert_eq!(topics.last().map(String::as_str), Some("ci/mix/last"));
}

#[test]
fn replay_of_a_file_that_is_not_a_recording_says_so_and_exits_non_zero() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "shopping list\neggs\n").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_mqscope"))
        .args(["replay", path.to_str().expect("UTF-8 path"), "--broker", &broker.url()])
        .output()
        .expect("run mqscope replay");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot replay"), "{stderr}");
    assert!(stderr.contains("line 1: not JSON"), "{stderr}");

    let missing = dir.path().join("missing.jsonl");
    let output = Command::new(env!("CARGO_BIN_EXE_mqscope"))
        .args([
            "replay",
            missing.to_str().expect("UTF-8 path"),
            "--broker",
            &broker.url(),
        ])
        .output()
        .expect("run mqscope replay");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot open") && stderr.contains("missing.jsonl"),
        "{stderr}"
    );
}

#[test]
fn replay_to_a_broker_that_refuses_says_so_and_exits_non_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_recording(dir.path(), &mixed());
    let port = support::free_port();
    let output = Command::new(env!("CARGO_BIN_EXE_mqscope"))
        .args(["replay", path.to_str().expect("UTF-8 path")])
        .args(["--broker", &format!("mqtt://127.0.0.1:{port}")])
        .output()
        .expect("run mqscope replay");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot connect to mqtt://127.0.0.1"), "{stderr}");
}

#[test]
fn replay_of_an_exported_csv_or_json_file_delivers_its_messages_byte_for_byte() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    // A prefix for each file, so the retained message of one is not seen again with the other.
    for (name, prefix) in [("branch.csv", "csv/"), ("branch.json", "json/")] {
        let path = dir.path().join(name);
        mqscope::export::save(&path, &mixed()).expect("exported");
        let seen = subscribe(&broker, &format!("{prefix}#"));
        let options = ReplayOptions {
            speed: Speed::AsFastAsPossible,
            prefix: prefix.into(),
            ..ReplayOptions::default()
        };
        let summary = replay(&broker, &path, options);
        assert!(summary.contains("6 messages"), "{name}: {summary}");
        let seen = collect(&seen, 6);
        for (sent, seen) in mixed().iter().zip(&seen) {
            assert_eq!(seen.topic, format!("{prefix}{}", sent.topic), "{name}");
            assert_eq!(seen.payload, sent.message.payload.to_vec(), "{name}: {}", sent.topic);
            assert_eq!(seen.qos, sent.message.qos.level(), "{name}: {}", sent.topic);
            assert_eq!(seen.retain, sent.message.retain, "{name}: {}", sent.topic);
        }
    }
}

#[test]
fn ctrl_c_stops_a_looping_replay_and_disconnects_cleanly() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_recording(dir.path(), &mixed());
    let seen = subscribe(&broker, "#");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mqscope"))
        .args([
            "replay",
            path.to_str().expect("UTF-8 path"),
            "--broker",
            &broker.url(),
            "--loop",
        ])
        .env_remove("MQSCOPE_BROKER")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mqscope replay");
    // Replaying: a round of the loop arrived.
    collect(&seen, 6);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("the replay's status") {
            break exit;
        }
        assert!(Instant::now() < deadline, "the replay did not stop on Ctrl+C");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr).expect("read stderr");
    assert_eq!(exit.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted after"), "{stderr}");
    // The broker was told goodbye: a DISCONNECT, not a dropped socket.
    let ours = |log: &str| -> Vec<String> {
        log.lines()
            .filter(|l| l.contains("Client mqscope-"))
            .map(str::to_owned)
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while ours(&broker.log()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let lines = ours(&broker.log());
    assert!(
        lines.len() == 1 && lines.iter().all(|l| l.ends_with(" disconnected.")),
        "{lines:?}"
    );
}
