//! What the binary and encoded formats share: base64 decoding and detection, one whole
//! MessagePack or CBOR value, and the shape of payload detection looks for. The formats
//! themselves are in [`crate::formats`].

use base64::Engine as _;

use super::Format;

pub use super::formats::MAX_DECODE_BYTES;

/// What a base64 payload decodes to (whitespace ignored; standard or URL-safe alphabet, padded
/// or not), or `None` when it is not base64.
pub fn base64_bytes(bytes: &[u8]) -> Option<Vec<u8>> {
    let cleaned: Vec<u8> = bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ]
    .iter()
    .find_map(|engine| engine.decode(&cleaned).ok())
}

/// Binary payloads larger than this are not tried as MessagePack or CBOR by detection.
pub const MAX_DETECT_BYTES: usize = 1024 * 1024;

/// Whether a binary payload is of a size detection tries as MessagePack or CBOR: at least 3
/// bytes, at most [`MAX_DETECT_BYTES`].
#[must_use]
pub fn detectable(bytes: &[u8]) -> bool {
    (3..=MAX_DETECT_BYTES).contains(&bytes.len())
}

/// Whether a decoded value is a map or array of at least one item: the shape devices send, and
/// so what detection takes a binary payload that reads as one for.
#[must_use]
pub fn is_container(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => !map.is_empty(),
        serde_json::Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

/// Whether a text payload is base64 of a JSON object or array (at least 8 characters, nothing
/// but the base64 alphabet and its padding): such a payload is shown decoded without asking.
/// Plain words are often valid base64 too, so nothing less than JSON inside counts.
pub fn detect_base64(bytes: &[u8]) -> bool {
    let body = bytes.trim_ascii();
    if body.len() < 8 || body.len() > MAX_DETECT_BYTES {
        return false;
    }
    let alphabet = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
    if !body.iter().all(alphabet) {
        return false;
    }
    base64_bytes(body).is_some_and(|decoded| {
        let inner = decoded.trim_ascii_start();
        matches!(inner.first(), Some(b'{' | b'[')) && super::json::validate(&decoded).is_ok()
    })
}

/// The payload as one MessagePack value, or why it is not one.
pub fn msgpack_value(bytes: &[u8]) -> Result<serde_json::Value, String> {
    let mut reader = bytes;
    let value = rmp_serde::from_read::<_, serde_json::Value>(&mut reader).map_err(|e| e.to_string())?;
    super::formats::whole(value, reader)
}

/// The payload as one CBOR value (byte strings as arrays of numbers), or why it is not one.
pub fn cbor_value(bytes: &[u8]) -> Result<serde_json::Value, String> {
    let mut reader = bytes;
    let value: ciborium::Value = ciborium::from_reader(&mut reader).map_err(|e| e.to_string())?;
    super::formats::whole(serde_json::to_value(&value).map_err(|e| e.to_string())?, reader)
}

/// The value a payload holds in `format`, as JSON (see [`crate::formats::Decoded::value`]):
/// a JSON payload parsed, MessagePack or CBOR decoded (the whole payload one value), base64
/// decoded and then read as JSON, Sparkplug B as its metrics. `None` for text and hex, for
/// payloads that do not decode, and for those over [`MAX_DECODE_BYTES`].
#[must_use]
pub fn value(bytes: &[u8], format: Format) -> Option<serde_json::Value> {
    if bytes.len() > MAX_DECODE_BYTES {
        return None;
    }
    format.decode_bytes(bytes).value().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rendered;
    use crate::formats::Context;

    fn base64(bytes: &[u8], limit: usize) -> Rendered {
        Format::BASE64.decode_bytes(bytes).render(limit)
    }

    fn msgpack(bytes: &[u8], limit: usize) -> Rendered {
        Format::MSGPACK.decode_bytes(bytes).render(limit)
    }

    fn cbor(bytes: &[u8], limit: usize) -> Rendered {
        Format::CBOR.decode_bytes(bytes).render(limit)
    }

    fn sparkplug(bytes: &[u8], limit: usize) -> Rendered {
        Format::SPARKPLUG_B.decode_bytes(bytes).render(limit)
    }

    fn sparkplug_value(bytes: &[u8]) -> Option<serde_json::Value> {
        value(bytes, Format::SPARKPLUG_B)
    }

    fn detect_binary(bytes: &[u8]) -> Option<Format> {
        Some(crate::detect_for_topic("a", bytes, 1 << 20)).filter(|f| *f != Format::HEX)
    }

    #[test]
    fn base64_shows_what_it_decodes_to() {
        let rendered = base64(b"eyJ0IjogMjF9", 1 << 20); // {"t": 21}
        assert!(rendered.text.contains("\"t\": 21"), "{}", rendered.text);
        assert_eq!(rendered.note.as_deref(), Some("Decoded from base64: 9 bytes"));
        let text = base64(b"aGVsbG8gd29ybGQ=\n", 1 << 20);
        assert_eq!(text.text, "hello world");
        let binary = base64(b"AAH/", 1 << 20);
        assert!(binary.text.contains("00 01 ff"), "{}", binary.text);
        let bad = base64(b"not base64!", 1 << 20);
        assert!(bad.note.as_deref().is_some_and(|n| n.starts_with("Not valid base64")));
    }

    #[test]
    fn msgpack_and_cbor_become_json() {
        let value = serde_json::json!({"temperature": 21.5, "ok": true, "tags": ["a", "b"]});
        let packed = rmp_serde::to_vec_named(&value).expect("msgpack");
        let rendered = msgpack(&packed, 1 << 20);
        assert!(rendered.text.contains("\"temperature\": 21.5"), "{}", rendered.text);
        assert!(rendered.note.as_deref().is_some_and(|n| n.contains("MessagePack")));

        let mut cbor_bytes = Vec::new();
        ciborium::into_writer(&value, &mut cbor_bytes).expect("cbor");
        let rendered = cbor(&cbor_bytes, 1 << 20);
        assert!(rendered.text.contains("\"tags\": ["), "{}", rendered.text);

        let junk = msgpack(&[0xc1], 1 << 20); // 0xc1 is never used in MessagePack
        assert!(
            junk.note
                .as_deref()
                .is_some_and(|n| n.starts_with("Not valid MessagePack")),
            "{:?}",
            junk.note
        );
        let trailing = cbor(&[0x01, 0x02], 1 << 20);
        assert!(
            trailing.note.as_deref().is_some_and(|n| n.contains("left after")),
            "{:?}",
            trailing.note
        );
    }

    #[test]
    fn sparkplug_b_becomes_json_or_hex_with_the_reason() {
        let bytes = crate::sparkplug::tests::ddata();
        let rendered = sparkplug(&bytes, 1 << 20);
        assert_eq!(
            rendered.note.as_deref(),
            Some("Decoded from Sparkplug B: 12 metrics, seq 3")
        );
        assert!(rendered.text.contains("\"Temperature\": {"), "{}", rendered.text);
        assert!(rendered.text.contains("\"value\": 21.5"), "{}", rendered.text);
        let value = sparkplug_value(&bytes).expect("decodes");
        assert_eq!(value["metrics"]["Offset"]["value"], -42);

        let cut = sparkplug(&bytes[..50], 1 << 20);
        let note = cut.note.as_deref().unwrap_or_default();
        assert!(note.starts_with("Not valid Sparkplug B: "), "{note}");
        assert!(note.ends_with("; shown as hex"), "{note}");
        assert!(cut.text.starts_with("00000000  08 fb d0 95"), "{}", cut.text);
        assert_eq!(sparkplug_value(&bytes[..50]), None);

        let empty = sparkplug(b"", 1 << 20);
        assert_eq!(
            empty.note.as_deref(),
            Some("Not valid Sparkplug B: the payload is empty; shown as hex")
        );
    }

    #[test]
    fn messagepack_and_cbor_maps_are_recognised_and_other_binary_is_not() {
        let value = serde_json::json!({"temperature": 21.5, "ok": true});
        let packed = rmp_serde::to_vec_named(&value).expect("msgpack");
        let mut cbor_bytes = Vec::new();
        ciborium::into_writer(&value, &mut cbor_bytes).expect("cbor");
        assert_eq!(detect_binary(&packed), Some(Format::MSGPACK));
        assert_eq!(detect_binary(&cbor_bytes), Some(Format::CBOR));
        assert_eq!(crate::detect_for_topic("dev/state", &packed, 1 << 20), Format::MSGPACK);
        // Not containers, not whole, or too short to tell.
        assert_eq!(detect_binary(&[0x00, 0x01, 0xff]), None);
        assert_eq!(detect_binary(&[0xde, 0xad, 0xbe, 0xef]), None);
        assert_eq!(detect_binary(&[packed.as_slice(), &[0]].concat()), None);
        assert_eq!(detect_binary(&[0x91, 0x01]), None);
        assert_eq!(detect_binary(&[0x80, 0x00, 0x00]), None, "an empty map and more");
    }

    #[test]
    fn alias_only_metrics_are_named_from_the_birth_certificate() {
        use prost::Message as _;
        let metric = |name: Option<&str>, alias: u64, value: f32| crate::sparkplug::Metric {
            name: name.map(str::to_owned),
            alias: Some(alias),
            datatype: Some(9),
            value: Some(crate::sparkplug::MetricValue::FloatValue(value)),
            ..crate::sparkplug::Metric::default()
        };
        let birth = crate::sparkplug::Payload {
            metrics: vec![metric(Some("Temperature"), 1, 20.0), metric(Some("Pressure"), 2, 1.0)],
            ..crate::sparkplug::Payload::default()
        }
        .encode_to_vec();
        let data = crate::sparkplug::Payload {
            metrics: vec![metric(None, 1, 21.5), metric(None, 7, 3.0)],
            ..crate::sparkplug::Payload::default()
        }
        .encode_to_vec();
        let topic = "spBv1.0/plant/DBIRTH/edge1/boiler";
        let latest_of = |asked: &str| (asked == topic).then(|| bytes::Bytes::from(birth.clone()));
        let context = Context {
            topic: "spBv1.0/plant/DDATA/edge1/boiler",
            latest_of: &latest_of,
        };
        let named = Format::SPARKPLUG_B
            .decode(data.clone().into(), &context)
            .render(1 << 20);
        assert_eq!(
            named.note.as_deref(),
            Some("Decoded from Sparkplug B: 2 metrics; alias names from spBv1.0/plant/DBIRTH/edge1/boiler")
        );
        assert!(
            named.text.contains("\"alias 1\": {\n      \"name\": \"Temperature\""),
            "{}",
            named.text
        );
        assert!(
            named.text.contains("\"alias 7\": {\n      \"alias\": 7"),
            "an unknown alias stays as it is"
        );
        // Without the birth, the same keys, so a chart's path holds either way.
        let plain = sparkplug(&data, 1 << 20);
        assert!(
            plain.text.contains("\"alias 1\": {\n      \"alias\": 1"),
            "{}",
            plain.text
        );
    }

    #[test]
    fn base64_of_json_is_recognised_and_words_are_not() {
        assert!(detect_base64(b"eyJFTkVSR1kiOnsiUG93ZXIiOjEyfX0="));
        assert!(detect_base64(b"eyJFTkVSR1kiOnsiUG93ZXIiOjEyfX0=\n"));
        assert!(!detect_base64(b"ONOFFONOFF"), "decodes, but not to JSON");
        assert!(!detect_base64(b"hello world"), "a space is not base64");
        assert!(!detect_base64(b"e30="), "too short to tell");
        assert_eq!(
            crate::detect_for_topic("dev/b64", b"eyJFTkVSR1kiOnsiUG93ZXIiOjEyfX0=", 1 << 20),
            Format::BASE64
        );
    }

    #[test]
    fn values_of_json_msgpack_cbor_and_base64() {
        let value = serde_json::json!({"ENERGY": {"Power": 12}});
        let packed = rmp_serde::to_vec_named(&value).expect("msgpack");
        let mut cbor_bytes = Vec::new();
        ciborium::into_writer(&value, &mut cbor_bytes).expect("cbor");
        let json_text = br#"{"ENERGY": {"Power": 12}}"#;
        assert_eq!(super::value(json_text, Format::JSON).as_ref(), Some(&value));
        assert_eq!(super::value(&packed, Format::MSGPACK).as_ref(), Some(&value));
        assert_eq!(super::value(&cbor_bytes, Format::CBOR).as_ref(), Some(&value));
        assert_eq!(
            super::value(b"eyJFTkVSR1kiOnsiUG93ZXIiOjEyfX0=", Format::BASE64).as_ref(),
            Some(&value)
        );
        assert_eq!(super::value(json_text, Format::TEXT), None);
        assert_eq!(
            super::value(&[0x01, 0x02], Format::CBOR),
            None,
            "bytes left after the value"
        );
        assert_eq!(super::value(b"{", Format::JSON), None);
    }
}
