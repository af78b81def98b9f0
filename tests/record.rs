//! Recording against a real Mosquitto: every message of a mixed flood (binary, 1 MB, empty,
//! retained, QoS 0, 1 and 2, MQTT 5 properties) is in the file, byte for byte, in arrival
//! order, plain or zstd-compressed; a full disk stops the recording with its reason and
//! leaves a file of whole lines.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine as _;
use mqscope::model::{Log, Properties, Qos, Subscription};
use mqscope::mqtt::{MqttVersion, PublishRequest};
use mqscope::record::{Ended, Recording, open};
use support::{Broker, TinyDisk, Watch};

const WAIT: Duration = Duration::from_secs(20);

/// One line of a recording, read back: topic, QoS, retain, payload bytes, properties.
struct Read {
    topic: String,
    qos: u64,
    retain: bool,
    payload: Vec<u8>,
    properties: Option<serde_json::Value>,
}

fn read_lines(text: &str) -> Vec<Read> {
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("line {} is not JSON: {e}", n + 1));
            let payload = value["payload"].as_str().expect("payload");
            let payload = match value["payload_encoding"].as_str() {
                Some("utf8") => payload.as_bytes().to_vec(),
                Some("base64") => base64::engine::general_purpose::STANDARD
                    .decode(payload)
                    .expect("base64"),
                other => panic!("line {}: unknown encoding {other:?}", n + 1),
            };
            assert!(
                value["received"]
                    .as_str()
                    .is_some_and(|t| t.ends_with('Z') && t.len() == 27)
            );
            assert!(
                value["received_us"]
                    .as_i64()
                    .is_some_and(|us| us > 1_700_000_000_000_000)
            );
            Read {
                topic: value["topic"].as_str().expect("topic").to_owned(),
                qos: value["qos"].as_u64().expect("qos"),
                retain: value["retain"].as_bool().expect("retain"),
                payload,
                properties: value.get("properties").cloned(),
            }
        })
        .collect()
}

fn read_file(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("the recording");
    let bytes = if path.extension().is_some_and(|e| e == "zst") {
        zstd::stream::decode_all(&bytes[..]).expect("zstd")
    } else {
        bytes
    };
    String::from_utf8(bytes).expect("UTF-8 lines")
}

fn wait_for_end(recording: &mut Recording) -> Ended {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(ended) = recording.ended() {
            return ended;
        }
        assert!(Instant::now() < deadline, "the recording did not end");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn request(topic: &str, payload: Vec<u8>, qos: Qos) -> PublishRequest {
    PublishRequest {
        topic: topic.to_owned(),
        payload: payload.into(),
        qos,
        retain: false,
        properties: None,
    }
}

/// Record a mixed flood to `name` and check every message against what the connection got.
fn records_a_mixed_flood(name: &str) {
    let broker = Broker::start();
    broker.mosquitto_pub("mix/retained", b"kept", true);
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join(name);
    let mut settings = broker.settings();
    settings.version = MqttVersion::V5.into();
    settings.subscriptions = vec![Subscription {
        qos: Qos::ExactlyOnce,
        ..Subscription::new("mix/#")
    }];
    let mut watch = Watch::connect(settings);
    let (mut recording, sink) = Recording::start(path.clone(), Vec::new());
    watch.record(Some(sink));
    watch.until_connected();
    watch.until("the retained message", WAIT, |s| s.tree.find("mix/retained").is_some());

    let big: Vec<u8> = (0..1024 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    let mut with_properties = request("mix/props", br#"{"on":true}"#.to_vec(), Qos::AtLeastOnce);
    with_properties.properties = Some(Box::new(Properties {
        content_type: Some("application/json".into()),
        payload_format_indicator: Some(1),
        response_topic: Some("mix/reply".into()),
        correlation_data: Some(bytes::Bytes::from_static(b"\x00req\xff")),
        user_properties: vec![("site".into(), "lab".into()), ("site".into(), "two".into())],
        ..Properties::default()
    }));
    let mut requests = vec![
        request("mix/binary", vec![0, 1, 0xfe, 0xff, 0x80], Qos::AtMostOnce),
        request("mix/big", big, Qos::AtLeastOnce),
        request("mix/empty", Vec::new(), Qos::ExactlyOnce),
        request(
            "mix/text",
            "grüße \"quoted\"\n\ttab".as_bytes().to_vec(),
            Qos::ExactlyOnce,
        ),
        with_properties,
    ];
    for n in 0..3000 {
        let qos = [Qos::AtMostOnce, Qos::AtLeastOnce, Qos::ExactlyOnce][n % 3];
        requests.push(request(
            &format!("mix/flood/{}", n % 40),
            format!("{n:0100}").into_bytes(),
            qos,
        ));
    }
    let expected = requests.len() as u64 + 1;
    for r in requests {
        watch.publish(r);
    }
    watch.until("every message", WAIT, |s| s.tree.message_count() >= expected);
    watch.record(None);
    assert!(matches!(wait_for_end(&mut recording), Ended::Stopped));
    assert_eq!(recording.messages(), expected);

    let text = read_file(&path);
    if name.ends_with(".zst") {
        // The zstd tool reads it too, every frame.
        let out = Command::new("zstd").arg("-dc").arg(&path).output().expect("zstd");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, text.as_bytes());
    }
    let lines = read_lines(&text);
    assert_eq!(lines.len() as u64, expected, "one line a message");
    // In arrival order, every field as the connection received it.
    let session = &watch.session;
    for (line, read) in session.log.iter().zip(&lines) {
        let entry = Log::resolve(&session.history, line).expect("kept");
        assert_eq!(read.topic, session.tree.topic(line.topic));
        assert_eq!(read.payload, entry.message.payload.to_vec(), "{}", read.topic);
        assert_eq!(read.qos, u64::from(entry.message.qos.level()), "{}", read.topic);
        assert_eq!(read.retain, entry.message.retain, "{}", read.topic);
    }
    assert!(lines.iter().any(|l| l.topic == "mix/retained" && l.retain));
    assert!(
        lines
            .iter()
            .any(|l| l.topic == "mix/big" && l.payload.len() == 1024 * 1024)
    );
    assert!(
        lines
            .iter()
            .any(|l| l.topic == "mix/empty" && l.payload.is_empty() && l.qos == 2)
    );
    let props = lines
        .iter()
        .find(|l| l.topic == "mix/props")
        .and_then(|l| l.properties.clone())
        .expect("properties");
    assert_eq!(props["content_type"], "application/json");
    assert_eq!(props["response_topic"], "mix/reply");
    assert_eq!(props["correlation_data"], "AHJlcf8=");
    assert_eq!(
        props["user_properties"],
        serde_json::json!([["site", "lab"], ["site", "two"]])
    );

    // Opened offline, the recording is what the connection saw, message for message.
    let progress = std::sync::Arc::new(open::Progress::default());
    let opened = open::open(&path, (10_000, usize::MAX), &progress).expect("opens");
    assert_eq!((opened.messages, opened.skipped), (expected, 0));
    assert_eq!(progress.fraction(), 1.0);
    let offline = &opened.session;
    assert_eq!(offline.log.len(), session.log.len());
    for (theirs, ours) in offline.log.iter().zip(session.log.iter()) {
        let (a, b) = (
            Log::resolve(&offline.history, theirs).expect("kept"),
            Log::resolve(&session.history, ours).expect("kept"),
        );
        assert_eq!(offline.tree.topic(theirs.topic), session.tree.topic(ours.topic));
        let us = |m: &mqscope::model::Message| {
            m.received_at
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_micros())
                .ok()
        };
        assert_eq!(us(&a.message), us(&b.message), "the time, to the µs");
        let mut same_time = b.message.clone();
        same_time.received_at = a.message.received_at;
        assert_eq!(a.message, same_time, "byte for byte, with flags and properties");
    }
    watch.disconnect();
}

#[test]
fn a_recording_keeps_every_message_of_a_mixed_flood_byte_for_byte() {
    records_a_mixed_flood("capture.jsonl");
}

#[test]
fn a_zstd_recording_keeps_every_message_of_a_mixed_flood_byte_for_byte() {
    records_a_mixed_flood("capture.jsonl.zst");
}

#[test]
fn what_mosquitto_sub_prints_as_json_opens_with_a_bad_line_reported() {
    let broker = Broker::start();
    broker.mosquitto_pub("pi/state", b"{\"on\":true}", true);
    let sub = Command::new("mosquitto_sub")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &broker.port().to_string(),
            "-t",
            "pi/#",
            "-F",
            "%j",
            "-C",
            "4",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("mosquitto_sub");
    std::thread::sleep(Duration::from_millis(300));
    broker.mosquitto_pub("pi/text", "grüße \"q\"".as_bytes(), false);
    broker.mosquitto_pub("pi/bin", b"\xff\xfe\x01", false);
    // mosquitto_sub cuts a payload at its first zero byte: the line is reported, not misread.
    broker.mosquitto_pub("pi/nul", b"a\x00b", false);
    let out = sub.wait_with_output().expect("mosquitto_sub ends");
    let mut lines: Vec<&[u8]> = out.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4);
    lines.insert(1, b"{\"tst\": cut off");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("pi.json");
    std::fs::write(&path, lines.join(&b'\n')).expect("written");

    let opened = open::open(&path, (1000, usize::MAX), &std::sync::Arc::default()).expect("opens");
    assert_eq!((opened.messages, opened.skipped), (3, 2), "{:?}", opened.problems);
    let lines: Vec<u64> = opened.problems.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 5], "{:?}", opened.problems);
    assert!(
        opened.problems[1].1.contains("\"payloadlen\" says 3"),
        "{:?}",
        opened.problems
    );
    let s = &opened.session;
    let payload = |topic: &str| s.tree.latest_of(topic).map(|m| m.payload.to_vec());
    assert_eq!(payload("pi/state"), Some(b"{\"on\":true}".to_vec()));
    assert_eq!(payload("pi/text"), Some("grüße \"q\"".as_bytes().to_vec()));
    assert_eq!(payload("pi/bin"), Some(b"\xff\xfe\x01".to_vec()));
    assert!(s.tree.latest_of("pi/state").is_some_and(|m| m.retain));
}

#[test]
fn a_recording_is_readable_with_jq() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut watch = Watch::connect(broker.settings());
    let (plain, plain_sink) = Recording::start(dir.path().join("a.jsonl"), vec!["jq/#".into()]);
    watch.record(Some(plain_sink));
    watch.until_connected();
    watch.until("the subscriptions", WAIT, |s| !s.subscriptions().is_empty());
    broker.mosquitto_pub("jq/one", b"1", false);
    broker.mosquitto_pub("other/topic", b"not recorded", false);
    broker.mosquitto_pub("jq/two", b"\xff\x01", false);
    watch.until("the messages", WAIT, |s| s.tree.find("jq/two").is_some());
    watch.record(None);
    let mut plain = plain;
    assert!(matches!(wait_for_end(&mut plain), Ended::Stopped));
    let out = Command::new("jq")
        .args(["-r", r#"[.topic, .payload, .payload_encoding] | join(" ")"#])
        .arg(plain.path())
        .output()
        .expect("jq");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "jq/one 1 utf8\njq/two /wE= base64\n"
    );
    watch.disconnect();
}

#[test]
fn a_full_disk_stops_the_recording_with_its_reason_and_whole_lines_only() {
    let disk = TinyDisk::mount("256k");
    let path = disk.dir.path().join("full.jsonl");
    let broker = Broker::start();
    let mut settings = broker.settings();
    settings.subscriptions = vec![Subscription::new("fill/#")];
    let mut watch = Watch::connect(settings);
    let (mut recording, sink) = Recording::start(path.clone(), Vec::new());
    watch.record(Some(sink));
    watch.until_connected();
    watch.until("the subscriptions", WAIT, |s| !s.subscriptions().is_empty());
    // Messages of 3000 bytes, one at a time, until the disk is full.
    let deadline = Instant::now() + WAIT;
    let mut sent = 0u64;
    while recording.ended().is_none() {
        assert!(Instant::now() < deadline, "the disk never filled");
        watch.publish(request("fill/x", format!("{sent:03000}").into_bytes(), Qos::AtMostOnce));
        sent += 1;
        std::thread::sleep(Duration::from_millis(2));
    }
    let Some(Ended::Failed(error)) = recording.ended() else {
        panic!("the recording should have failed")
    };
    let reason = error.to_string();
    assert!(reason.contains("No space left on device"), "{reason}");
    assert!(reason.contains("full.jsonl"), "{reason}");
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.ends_with('\n'), "the file ends with a whole line");
    let lines = read_lines(&text);
    assert!(lines.len() > 10, "what fit was kept: {} lines", lines.len());
    assert_eq!(lines.len() as u64, recording.messages());
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(
            line.payload,
            format!("{n:03000}").into_bytes(),
            "line {} in order",
            n + 1
        );
    }
    watch.disconnect();
}
