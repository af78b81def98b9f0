use super::*;

#[test]
fn detects_huge_payloads_from_their_start() {
    let mut json = b"{\"items\":[".to_vec();
    while json.len() < 10_000 {
        json.extend_from_slice("{\"name\":\"é\",\"v\":12.5},".as_bytes());
    }
    for limit in 100..140 {
        assert_eq!(detect_prefix(&json, limit), Format::JSON, "cut at {limit}");
    }
    let text = "température ".repeat(1000);
    for limit in 100..110 {
        assert_eq!(detect_prefix(text.as_bytes(), limit), Format::TEXT, "cut at {limit}");
    }
    let broken = b"{\"a\":1}} and more text that goes on".repeat(10);
    assert_eq!(detect_prefix(&broken, 30), Format::TEXT);
    assert_eq!(detect_prefix(&[0u8; 100], 10), Format::HEX);
    assert_eq!(detect_prefix(b"{\"a\":1}", 1000), Format::JSON);
}

#[test]
fn format_labels() {
    let labels: Vec<_> = formats::ALL.iter().map(|f| f.label()).collect();
    assert_eq!(
        labels,
        ["JSON", "Text", "Hex", "Base64", "MessagePack", "CBOR", "Sparkplug B"]
    );
}

#[test]
fn sparkplug_topics_are_detected_as_sparkplug_b() {
    let protobuf = [0x08, 0x01, 0x18, 0x03]; // timestamp 1, seq 3
    let topic = "spBv1.0/group/DDATA/edge/device";
    assert_eq!(detect_for_topic(topic, &protobuf, 1000), Format::SPARKPLUG_B);
    assert_eq!(
        detect_for_topic("spBv1.0/group/NBIRTH/edge", b"{}", 1000),
        Format::SPARKPLUG_B
    );
    // A host application's state is JSON (Sparkplug 3.0) or text (before), never protobuf.
    let state = br#"{"online": true, "timestamp": 1700000000000}"#;
    assert_eq!(detect_for_topic("spBv1.0/STATE/host", state, 1000), Format::JSON);
    assert_eq!(detect_for_topic("spBv1.0/STATE/host", b"ONLINE", 1000), Format::TEXT);
    // An empty payload (a cleared retained message) has nothing to decode.
    assert_eq!(detect_for_topic(topic, b"", 1000), Format::TEXT);
    assert_eq!(
        detect_for_topic("spAv1.0/group/DDATA/edge", &protobuf, 1000),
        Format::HEX
    );
    assert_eq!(detect_for_topic("sensors/spBv1.0/x", b"21.5", 1000), Format::TEXT);
}

#[test]
fn detects_formats() {
    assert_eq!(detect(br#"{"a":1}"#), Format::JSON);
    assert_eq!(detect(b" \r\n\t[1, 2, {\"x\": null}] \n"), Format::JSON);
    assert_eq!(detect(b"\xEF\xBB\xBF {\"a\": []}"), Format::JSON);
    assert_eq!(detect(b"[]"), Format::JSON);
    assert_eq!(detect(br#"{"a":}"#), Format::TEXT);
    assert_eq!(detect(b"{\"a\":1} trailing"), Format::TEXT);
    assert_eq!(detect(b"21.5"), Format::TEXT);
    assert_eq!(detect(b"\"just a string\""), Format::TEXT);
    assert_eq!(detect(b"true"), Format::TEXT);
    assert_eq!(detect(b""), Format::TEXT);
    assert_eq!(detect(b"hello\r\nworld\t\xC3\xA9"), Format::TEXT);
    assert_eq!(detect(b"\xEF\xBB\xBFhello"), Format::TEXT);
    assert_eq!(detect(b"\xff\xfe"), Format::HEX);
    assert_eq!(detect(b"ab\xC3"), Format::HEX);
    assert_eq!(detect(b"a\0b"), Format::HEX);
    assert_eq!(detect(b"\x1f\x8b\x08\x00"), Format::HEX);
    assert_eq!(detect(b"bell\x07"), Format::HEX);
    assert_eq!(detect(b"c1 \xC2\x85"), Format::HEX);
    assert_eq!(detect(b"{\"a\":\"\xff\"}"), Format::HEX);
    assert_eq!(detect(b"{\"a\":\"\0\"}"), Format::HEX);
}

#[test]
fn empty_text_has_one_line() {
    let r = render(b"", Format::TEXT, 100);
    assert_eq!(r.line_starts, [0]);
    assert_eq!(r.line_count(), 1);
    assert_eq!(r.line(0), ("", Vec::new()));
    assert!(!r.is_cut());
}

#[test]
fn wraps_long_lines_on_char_boundaries() {
    let mut s = "é".repeat(2500);
    s.push('\n');
    s.push_str(&"a".repeat(MAX_LINE_CHARS));
    s.push_str("\nx");
    let r = Rendered::new(s, Vec::new(), 0, 0, None);
    let lens: Vec<usize> = (0..r.line_count()).map(|i| r.line_text(i).chars().count()).collect();
    assert_eq!(lens, [1000, 1000, 500, 1000, 1]);
    for &start in &r.line_starts {
        assert!(r.text.is_char_boundary(start as usize));
    }
    assert_eq!(r.line_text(2), "é".repeat(500));
    assert_eq!(r.line_text(4), "x");
}

fn span(start: u32, end: u32, kind: TokenKind) -> Span {
    Span { start, end, kind }
}

#[test]
fn line_clips_spans() {
    let spans = vec![span(1, 6, TokenKind::Key), span(6, 7, TokenKind::Punct)];
    let r = Rendered::new("abc\ndef\n".to_owned(), spans, 8, 8, None);
    assert_eq!(r.line_count(), 3);
    assert_eq!(r.line(0), ("abc", vec![span(1, 3, TokenKind::Key)]));
    let both = vec![span(0, 2, TokenKind::Key), span(2, 3, TokenKind::Punct)];
    assert_eq!(r.line(1), ("def", both));
    assert_eq!(r.line(2), ("", Vec::new()));
    assert_eq!(r.line(3), ("", Vec::new()));
    assert_eq!(r.line_text(99), "");
    // A span running over a wrap point is split between the two lines.
    let long = "x".repeat(MAX_LINE_CHARS + 10);
    let r = Rendered::new(long, vec![span(995, 1005, TokenKind::String)], 0, 0, None);
    assert_eq!(r.line(0).1, [span(995, 1000, TokenKind::String)]);
    assert_eq!(r.line(1).1, [span(0, 5, TokenKind::String)]);
}

#[test]
fn push_span_merges_neighbours() {
    let mut spans = Vec::new();
    push_span(&mut spans, 0, 1, TokenKind::Punct);
    push_span(&mut spans, 1, 2, TokenKind::Punct);
    push_span(&mut spans, 2, 2, TokenKind::Key);
    push_span(&mut spans, 3, 4, TokenKind::Punct);
    assert_eq!(spans, [span(0, 2, TokenKind::Punct), span(3, 4, TokenKind::Punct)]);
}

#[test]
fn render_json_falls_back_with_note() {
    let r = render(b"{\"a\" 1}", Format::JSON, 100);
    assert_eq!(r.text, "{\"a\" 1}");
    assert_eq!(
        r.note.as_deref(),
        Some("Not valid JSON: expected ':' at line 1, column 6 (byte 5); shown as text")
    );
    let r = render(b"[1]", Format::JSON, 100);
    assert_eq!(r.text, "[\n  1\n]");
    assert_eq!(r.note, None);
}
