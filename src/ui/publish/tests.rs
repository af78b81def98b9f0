use super::*;

#[test]
fn a_payload_file_is_sent_byte_for_byte_and_kept_in_the_history_only_when_small() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("frame.bin");
    let bytes: Vec<u8> = (0..=255).collect();
    std::fs::write(&path, &bytes).expect("write");
    let (read_path, read) = read_payload_file(path.clone()).expect("read");
    assert_eq!((read_path, read.as_ref()), (path.clone(), &bytes[..]));
    assert!(
        read_payload_file(dir.path().join("missing"))
            .expect_err("missing")
            .contains("missing")
    );

    let mut pane = PublishPane {
        topic: "lab/frame".into(),
        payload: "ignored while a file is chosen".into(),
        file: Some((path.clone(), read)),
        ..PublishPane::default()
    };
    let request = pane.request(1).expect("valid");
    assert_eq!(request.payload.as_ref(), &bytes[..]);
    pane.remember();
    let kept = &pane.messages().history[0];
    assert_eq!(
        (kept.encoding, kept.payload.as_str()),
        (Encoding::Base64, encode::to_base64(&bytes).as_str())
    );

    pane.file = Some((path, Bytes::from(vec![0u8; FILE_HISTORY_BYTES + 1])));
    assert!(
        pane.stored(String::new()).is_none(),
        "a big file is not copied into messages.json"
    );
}

#[test]
fn a_wildcard_topic_is_refused_with_a_reason() {
    let mut pane = PublishPane {
        topic: "home/+/set".into(),
        ..PublishPane::default()
    };
    assert!(pane.request(1).expect_err("wildcard").contains("wildcards"));
    pane.topic = "home/lamp/set".into();
    pane.payload = "ON".into();
    let request = pane.request(1).expect("valid");
    assert_eq!(request.payload, Bytes::from_static(b"ON"));
}

#[test]
fn hex_and_base64_payloads_become_bytes() {
    let mut pane = PublishPane {
        topic: "dev/raw".into(),
        payload: "01 ff".into(),
        encoding: Encoding::Hex,
        ..PublishPane::default()
    };
    assert_eq!(pane.request(1).expect("valid").payload, Bytes::from_static(&[1, 0xff]));
    pane.encoding = Encoding::Base64;
    pane.payload = "aGk=".into();
    assert_eq!(pane.request(1).expect("valid").payload, Bytes::from_static(b"hi"));
    pane.payload = "a$".into();
    assert!(pane.request(1).is_err());
}

#[test]
fn a_loaded_binary_message_round_trips_through_hex() {
    let mut pane = PublishPane::default();
    let mut message = crate::model::Message::new(vec![0, 1, 0xfe]);
    message.qos = Qos::AtLeastOnce;
    message.retain = true;
    pane.load("dev/raw", &message);
    assert_eq!(pane.encoding, Encoding::Hex);
    let request = pane.request(1).expect("valid");
    assert_eq!(request.payload, Bytes::from_static(&[0, 1, 0xfe]));
    assert_eq!(
        (request.qos, request.retain, request.topic.as_str()),
        (Qos::AtLeastOnce, true, "dev/raw")
    );
}

#[test]
fn a_repeat_sends_the_asked_number_with_counters_then_stops() {
    let mut pane = PublishPane {
        topic: "lab/tick".into(),
        payload: "n={{counter}}".into(),
        interval_ms: 100,
        times: 3,
        ..PublishPane::default()
    };
    let start = Instant::now();
    pane.running = Some(Running {
        next_at: start,
        sent: 0,
        waits: false,
    });
    let mut payloads = Vec::new();
    let mut now = start;
    for _ in 0..10 {
        if let Some(request) = pane.tick(now, true) {
            payloads.push(String::from_utf8_lossy(&request.payload).into_owned());
        }
        now += Duration::from_millis(100);
    }
    assert_eq!(payloads, ["n=1", "n=2", "n=3"]);
    assert!(pane.running.is_none());
    assert!(pane.next_tick(now).is_none(), "no more wake-ups once done");
}

#[test]
fn a_repeat_stops_when_the_connection_is_lost() {
    let mut pane = PublishPane {
        topic: "lab/tick".into(),
        times: 0,
        ..PublishPane::default()
    };
    pane.running = Some(Running {
        next_at: Instant::now(),
        sent: 0,
        waits: false,
    });
    assert!(pane.tick(Instant::now(), false).is_none());
    assert!(pane.running.is_none());
    assert!(pane.error.as_deref().is_some_and(|e| e.contains("not connected")));
}
