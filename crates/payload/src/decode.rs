//! Binary and encoded payloads made readable: base64 (shown as what it
//! decodes to), MessagePack, CBOR and Sparkplug B (shown as JSON). A payload
//! that does not decode is shown as a hex dump, with the reason.

use base64::Engine as _;

use super::{Format, Rendered, hex, json, sparkplug, text};

/// Payloads larger than this are not decoded (the hex view shows every byte).
pub const MAX_DECODE_BYTES: usize = 16 * 1024 * 1024;

/// The payload as base64: decoded, then shown as JSON, text or hex, whichever fits.
pub fn base64(bytes: &[u8], limit_bytes: usize) -> Rendered {
    if let Some(rendered) = too_large(bytes, limit_bytes, "base64") {
        return rendered;
    }
    let Some(decoded) = decode_base64(bytes) else {
        return not_decoded(
            bytes,
            limit_bytes,
            "base64",
            "it has characters or a length base64 does not",
        );
    };
    let note = format!("Decoded from base64: {} bytes", decoded.len());
    let mut rendered = if json::validate(&decoded).is_ok() && matches!(super::detect(&decoded), super::Format::Json) {
        json::render(&decoded, limit_bytes).unwrap_or_else(|_| text::render(&decoded, limit_bytes))
    } else if text::is_plain_text(&decoded) {
        text::render(&decoded, limit_bytes)
    } else {
        hex::render(&decoded, limit_bytes)
    };
    rendered.note = Some(note);
    rendered
}

/// The bytes a base64 text stands for (standard or URL-safe, padded or not, whitespace ignored).
fn decode_base64(bytes: &[u8]) -> Option<Vec<u8>> {
    let cleaned: Vec<u8> = bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    engines.iter().find_map(|engine| engine.decode(&cleaned).ok())
}

/// The payload as MessagePack, shown as JSON.
pub fn msgpack(bytes: &[u8], limit_bytes: usize) -> Rendered {
    structured(bytes, limit_bytes, "MessagePack", read_msgpack)
}

/// The payload as CBOR, shown as JSON (byte strings as arrays of numbers).
pub fn cbor(bytes: &[u8], limit_bytes: usize) -> Rendered {
    structured(bytes, limit_bytes, "CBOR", read_cbor)
}

fn read_msgpack(reader: &mut &[u8]) -> Result<serde_json::Value, String> {
    rmp_serde::from_read::<_, serde_json::Value>(reader).map_err(|e| e.to_string())
}

fn read_cbor(reader: &mut &[u8]) -> Result<serde_json::Value, String> {
    let value: ciborium::Value = ciborium::from_reader(reader).map_err(|e| e.to_string())?;
    serde_json::to_value(&value).map_err(|e| e.to_string())
}

/// The payload as Sparkplug B (protobuf), shown as JSON (see [`super::sparkplug`]).
pub fn sparkplug(bytes: &[u8], limit_bytes: usize) -> Rendered {
    sparkplug_named(bytes, limit_bytes, None)
}

/// The payload as Sparkplug B, its alias-only metrics named from `birth`: the birth
/// certificate's topic and payload (see [`sparkplug::birth_topic`]).
pub fn sparkplug_named(bytes: &[u8], limit_bytes: usize, birth: Option<(&str, &[u8])>) -> Rendered {
    const WHAT: &str = "Sparkplug B";
    if let Some(rendered) = too_large(bytes, limit_bytes, WHAT) {
        return rendered;
    }
    match sparkplug::decode(bytes) {
        Ok(payload) => {
            let unnamed = |names: &std::collections::HashMap<u64, String>| {
                payload
                    .metrics
                    .iter()
                    .filter(|m| m.name.is_none() && m.alias.is_some_and(|a| names.contains_key(&a)))
                    .count()
            };
            let names = birth
                .map(|(_, bytes)| sparkplug::alias_names(bytes))
                .unwrap_or_default();
            let value = sparkplug::payload_json_named(&payload, &names);
            let mut rendered = as_json(&value, bytes.len(), limit_bytes, WHAT);
            let mut note = format!("Decoded from {WHAT}: {}", sparkplug::summary(&payload));
            if let Some((topic, _)) = birth
                && unnamed(&names) > 0
            {
                note.push_str(&format!("; alias names from {topic}"));
            }
            rendered.note = Some(note);
            rendered
        }
        Err(error) => not_decoded(bytes, limit_bytes, WHAT, &error),
    }
}

/// A Sparkplug B payload as JSON, for charts: the same value [`sparkplug`] shows, `None` when it
/// does not decode or is too large.
#[must_use]
pub fn sparkplug_value(bytes: &[u8]) -> Option<serde_json::Value> {
    if bytes.len() > MAX_DECODE_BYTES {
        return None;
    }
    sparkplug::to_json(bytes).ok()
}

/// A payload of one self-describing value (`what`), read by `read` from the bytes it is given
/// (which it advances), shown as JSON; bytes left after the value make it invalid.
fn structured(
    bytes: &[u8],
    limit_bytes: usize,
    what: &str,
    read: impl FnOnce(&mut &[u8]) -> Result<serde_json::Value, String>,
) -> Rendered {
    if let Some(rendered) = too_large(bytes, limit_bytes, what) {
        return rendered;
    }
    let mut reader = bytes;
    match read(&mut reader) {
        Ok(_) if !reader.is_empty() => not_decoded(
            bytes,
            limit_bytes,
            what,
            &format!("{} bytes are left after the first value", reader.len()),
        ),
        Ok(value) => as_json(&value, bytes.len(), limit_bytes, what),
        Err(error) => not_decoded(bytes, limit_bytes, what, &error),
    }
}

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

/// Binary payloads larger than this are not tried as MessagePack or CBOR by [`detect_binary`].
pub const MAX_DETECT_BYTES: usize = 1024 * 1024;

/// The format of a binary payload that reads whole as a MessagePack or CBOR map or array of at
/// least one item (the shape devices send; MessagePack maps need text keys), if it does. Other
/// binary payloads, and ones over [`MAX_DETECT_BYTES`], are left to the hex view.
pub fn detect_binary(bytes: &[u8]) -> Option<Format> {
    if bytes.len() < 3 || bytes.len() > MAX_DETECT_BYTES {
        return None;
    }
    let container = |value: serde_json::Value| match value {
        serde_json::Value::Object(map) => !map.is_empty(),
        serde_json::Value::Array(items) => !items.is_empty(),
        _ => false,
    };
    if msgpack_value(bytes).is_ok_and(container) {
        Some(Format::MsgPack)
    } else if cbor_value(bytes).is_ok_and(container) {
        Some(Format::Cbor)
    } else {
        None
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
        matches!(inner.first(), Some(b'{' | b'[')) && json::validate(&decoded).is_ok()
    })
}

/// The payload as one MessagePack value, or why it is not one.
pub fn msgpack_value(bytes: &[u8]) -> Result<serde_json::Value, String> {
    let mut reader = bytes;
    let value = rmp_serde::from_read::<_, serde_json::Value>(&mut reader).map_err(|e| e.to_string())?;
    whole(value, reader)
}

/// The payload as one CBOR value (byte strings as arrays of numbers), or why it is not one.
pub fn cbor_value(bytes: &[u8]) -> Result<serde_json::Value, String> {
    let mut reader = bytes;
    let value: ciborium::Value = ciborium::from_reader(&mut reader).map_err(|e| e.to_string())?;
    whole(serde_json::to_value(&value).map_err(|e| e.to_string())?, reader)
}

/// `value`, unless bytes are `left` after it.
fn whole(value: serde_json::Value, left: &[u8]) -> Result<serde_json::Value, String> {
    if left.is_empty() {
        Ok(value)
    } else {
        Err(format!("{} bytes are left after the first value", left.len()))
    }
}

fn as_json(value: &serde_json::Value, size: usize, limit_bytes: usize, what: &str) -> Rendered {
    let json_text = serde_json::to_vec(value).unwrap_or_default();
    let mut rendered = json::render(&json_text, limit_bytes).unwrap_or_else(|_| text::render(&json_text, limit_bytes));
    rendered.note = Some(format!("Decoded from {what} ({size} bytes), shown as JSON"));
    rendered
}

fn not_decoded(bytes: &[u8], limit_bytes: usize, what: &str, why: &str) -> Rendered {
    let mut rendered = hex::render(bytes, limit_bytes);
    rendered.note = Some(format!("Not valid {what}: {why}; shown as hex"));
    rendered
}

fn too_large(bytes: &[u8], limit_bytes: usize, what: &str) -> Option<Rendered> {
    (bytes.len() > MAX_DECODE_BYTES).then(|| {
        let mut rendered = hex::render(bytes, limit_bytes);
        rendered.note = Some(format!(
            "Too large to decode as {what} ({}); shown as hex",
            text::human_bytes(bytes.len() as u64)
        ));
        rendered
    })
}

/// The value a payload holds in `format`, as JSON: a JSON payload parsed, MessagePack or CBOR
/// decoded (the whole payload one value), base64 decoded and then read as JSON. `None` for text
/// and hex, for payloads that do not decode, and for those over [`MAX_DECODE_BYTES`].
#[must_use]
pub fn value(bytes: &[u8], format: Format) -> Option<serde_json::Value> {
    if bytes.len() > MAX_DECODE_BYTES {
        return None;
    }
    let whole = |read: fn(&mut &[u8]) -> Result<serde_json::Value, String>| {
        let mut reader = bytes;
        read(&mut reader).ok().filter(|_| reader.is_empty())
    };
    match format {
        Format::Json => serde_json::from_slice(bytes.strip_prefix(json::BOM).unwrap_or(bytes)).ok(),
        Format::MsgPack => whole(read_msgpack),
        Format::Cbor => whole(read_cbor),
        Format::Base64 => value(&decode_base64(bytes)?, Format::Json),
        Format::SparkplugB => sparkplug_value(bytes),
        Format::Text | Format::Hex => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(detect_binary(&packed), Some(Format::MsgPack));
        assert_eq!(detect_binary(&cbor_bytes), Some(Format::Cbor));
        assert_eq!(crate::detect_for_topic("dev/state", &packed, 1 << 20), Format::MsgPack);
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
        let metric = |name: Option<&str>, alias: u64, value: f32| sparkplug::Metric {
            name: name.map(str::to_owned),
            alias: Some(alias),
            datatype: Some(9),
            value: Some(sparkplug::MetricValue::FloatValue(value)),
            ..sparkplug::Metric::default()
        };
        let birth = sparkplug::Payload {
            metrics: vec![metric(Some("Temperature"), 1, 20.0), metric(Some("Pressure"), 2, 1.0)],
            ..sparkplug::Payload::default()
        }
        .encode_to_vec();
        let data = sparkplug::Payload {
            metrics: vec![metric(None, 1, 21.5), metric(None, 7, 3.0)],
            ..sparkplug::Payload::default()
        }
        .encode_to_vec();
        let topic = "spBv1.0/plant/DBIRTH/edge1/boiler";
        let named = sparkplug_named(&data, 1 << 20, Some((topic, &birth)));
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
            Format::Base64
        );
    }

    #[test]
    fn values_of_json_msgpack_cbor_and_base64() {
        let value = serde_json::json!({"ENERGY": {"Power": 12}});
        let packed = rmp_serde::to_vec_named(&value).expect("msgpack");
        let mut cbor_bytes = Vec::new();
        ciborium::into_writer(&value, &mut cbor_bytes).expect("cbor");
        let json_text = br#"{"ENERGY": {"Power": 12}}"#;
        assert_eq!(super::value(json_text, Format::Json).as_ref(), Some(&value));
        assert_eq!(super::value(&packed, Format::MsgPack).as_ref(), Some(&value));
        assert_eq!(super::value(&cbor_bytes, Format::Cbor).as_ref(), Some(&value));
        assert_eq!(
            super::value(b"eyJFTkVSR1kiOnsiUG93ZXIiOjEyfX0=", Format::Base64).as_ref(),
            Some(&value)
        );
        assert_eq!(super::value(json_text, Format::Text), None);
        assert_eq!(
            super::value(&[0x01, 0x02], Format::Cbor),
            None,
            "bytes left after the value"
        );
        assert_eq!(super::value(b"{", Format::Json), None);
    }
}
