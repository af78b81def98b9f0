//! Any bytes a broker or a file may send, through every decoder and renderer a payload
//! reaches: nothing panics, output stays within its bounds, and what has an encoder round
//! trips. The case count is proptest's (256 per property); a long run sets `PROPTEST_CASES`
//! (see the README).

use bytes::Bytes;
use mqscope_payload::formats::{ALL, Context, MAX_DECODE_BYTES};
use mqscope_payload::{Format, Rendered, decode, diff, encode, find, folds, hex, json, numbers, sparkplug, text};
use proptest::prelude::*;

/// Bytes as they come: mostly random, sometimes close to a format (so decoders get past their
/// first byte).
fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        json_text().prop_map(|text| text.into_bytes()),
        json_text().prop_flat_map(|text| {
            let bytes = text.into_bytes();
            let len = bytes.len();
            (Just(bytes), 0..=len).prop_map(|(bytes, cut)| bytes[..cut].to_vec())
        }),
        proptest::collection::vec(
            prop_oneof![
                Just(b'{'),
                Just(b'['),
                Just(b'"'),
                Just(b':'),
                Just(b','),
                Just(b'}'),
                Just(b']'),
                Just(b'\\'),
                Just(b'1')
            ],
            0..512
        ),
    ]
}

/// JSON texts of any shape.
fn json_text() -> impl Strategy<Value = String> {
    json_value().prop_map(|value| value.to_string())
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((".{0,6}", inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// What every rendering must hold, whatever went in.
fn check_rendered(rendered: &Rendered, input_len: usize) {
    assert!(rendered.shown_bytes <= rendered.total_bytes.max(input_len));
    assert!(rendered.text.len() <= mqscope_payload::MAX_TEXT_BYTES + 4 * mqscope_payload::MAX_LINE_CHARS);
    for i in 0..rendered.line_count().min(64) {
        let (line, spans) = rendered.line(i);
        assert!(line.chars().count() <= mqscope_payload::MAX_LINE_CHARS + 1);
        drop(spans);
    }
    let _ = folds::Folds::of(rendered);
}

proptest! {
    #[test]
    fn detection_and_every_format_take_any_bytes(bytes in payload(), limit in 0usize..4096) {
        let detected = mqscope_payload::detect(&bytes);
        let _ = mqscope_payload::detect_prefix(&bytes, limit);
        let _ = mqscope_payload::detect_for_topic("spBv1.0/g/NDATA/n", &bytes, limit);
        check_rendered(&mqscope_payload::render(&bytes, detected, limit), bytes.len());
        for format in ALL {
            let decoded = format.decode(Bytes::from(bytes.clone()), &Context::none());
            check_rendered(&decoded.render(limit), bytes.len());
            let _ = decoded.value_or_why();
            let _ = format.preview(&bytes, 80);
            let _ = numbers::decoded(&bytes, *format);
            let _ = decode::value(&bytes, *format);
        }
    }

    #[test]
    fn decoders_report_errors_instead_of_panicking(bytes in payload()) {
        let _ = decode::msgpack_value(&bytes);
        let _ = decode::cbor_value(&bytes);
        let _ = decode::base64_bytes(&bytes);
        let _ = decode::detect_base64(&bytes);
        let _ = sparkplug::decode(&bytes);
        let _ = sparkplug::to_json(&bytes);
        let _ = sparkplug::preview(&bytes, 80);
        let _ = sparkplug::alias_names(&bytes);
        let _ = json::validate(&bytes);
        let _ = numbers::read(&bytes);
        let preview = text::preview(&bytes, 80);
        prop_assert!(preview.chars().count() <= 81);
        check_rendered(&hex::render(&bytes, 4096), bytes.len());
        check_rendered(&text::render(&bytes, 4096), bytes.len());
    }

    #[test]
    fn json_the_validator_takes_is_json_serde_takes(bytes in payload()) {
        // The validator is a scan of its own; where both answer, they agree.
        let ours = json::is_valid(&bytes);
        let serde = serde_json::from_slice::<serde_json::Value>(&bytes).is_ok();
        if serde {
            prop_assert!(ours, "serde_json reads it, the validator refused it");
        }
        if ours {
            prop_assert!(json::render(&bytes, 1 << 20).is_ok());
        }
    }

    #[test]
    fn generated_json_is_detected_and_rendered_whole(text in json_text()) {
        let bytes = text.as_bytes();
        prop_assert!(json::is_valid(bytes));
        let rendered = json::render(bytes, 1 << 20).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(rendered.shown_bytes, bytes.len());
        if text.starts_with('{') || text.starts_with('[') {
            prop_assert_eq!(mqscope_payload::detect(bytes), Format::JSON);
        }
    }

    #[test]
    fn hex_and_base64_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        prop_assert_eq!(encode::parse_hex(&encode::to_hex(&bytes)), Ok(bytes.clone()));
        prop_assert_eq!(encode::parse_base64(&encode::to_base64(&bytes)), Ok(bytes.clone()));
    }

    #[test]
    fn typed_hex_and_base64_never_panic(text in ".{0,256}") {
        let _ = encode::parse_hex(&text);
        let _ = encode::parse_base64(&text);
        let _ = find::hex_bytes(&text);
    }

    #[test]
    fn diffs_take_any_two_payloads(older in payload(), newer in payload()) {
        for format in ALL {
            let _ = diff::diff(&older, &newer, *format).summary();
        }
        let _ = diff::by_content(&older, &newer).summary();
        let _ = diff::bytes_diff(&older, &newer).summary();
        let _ = diff::lines(&older, &newer).summary();
    }

    #[test]
    fn searches_take_any_query(bytes in payload(), query in ".{0,16}", match_case in any::<bool>()) {
        let matches = find::in_bytes(&bytes, &query, match_case);
        for i in 0..matches.len().min(64) {
            let range = matches.get(i).expect("within len");
            prop_assert!(range.start <= range.end && range.end <= bytes.len());
        }
        let shown = text::render(&bytes, 4096);
        let folded = find::fold_case(&shown.text);
        let _ = find::in_text(&shown.text, &folded, &query, match_case);
    }
}

#[test]
fn the_decode_bound_is_kept_for_a_payload_past_it() {
    // One byte past the bound: every format says so instead of decoding it all.
    let bytes = Bytes::from(vec![b'['; MAX_DECODE_BYTES + 1]);
    for format in ALL {
        let decoded = format.decode(bytes.clone(), &Context::none());
        check_rendered(&decoded.render(4096), bytes.len());
    }
}
