//! One line of a recording read back into a [`Received`] with its time: mqscope's own JSON
//! line (`record::line`), or a line `mosquitto_sub -F %j` printed (its payload cut out of the
//! raw bytes when it is not UTF-8, and checked against `payloadlen`). Opening a recording
//! (`open`) and replaying one (`crate::replay`) both read lines with it.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use crate::model::{Message, Properties, Qos, Received};

/// One line, in either format, without its line ending; why not when it cannot be read.
pub fn parse_line(text: &[u8]) -> Result<Received, String> {
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(value) if value.get("tst").is_some() => mosquitto_line(&value, None),
        Ok(value) => own_line(&value),
        // `mosquitto_sub -F %j` writes a payload that is not UTF-8 as its raw bytes.
        Err(_) if text.starts_with(br#"{"tst":"#) => mosquitto_raw_line(text),
        Err(error) => Err(format!("not JSON ({error})")),
    }
}

/// One message as a JSON value, in either format (an element of an export's JSON array).
pub fn parse_value(value: &serde_json::Value) -> Result<Received, String> {
    if !value.is_object() {
        return Err("not a JSON object".to_owned());
    }
    if value.get("tst").is_some() {
        mosquitto_line(value, None)
    } else {
        own_line(value)
    }
}

fn field<'v>(value: &'v serde_json::Value, name: &str) -> Result<&'v serde_json::Value, String> {
    value.get(name).ok_or_else(|| format!("no \"{name}\""))
}

fn qos_of(value: &serde_json::Value) -> Result<Qos, String> {
    let level = field(value, "qos")?.as_u64().ok_or("\"qos\" is not a number")?;
    u8::try_from(level)
        .ok()
        .and_then(Qos::from_level)
        .ok_or_else(|| format!("QoS {level} does not exist"))
}

/// A flag written as `true`/`false` or `1`/`0`.
fn flag(value: &serde_json::Value, name: &str) -> Result<bool, String> {
    match value.get(name) {
        None => Ok(false),
        Some(serde_json::Value::Bool(b)) => Ok(*b),
        Some(v) => v
            .as_u64()
            .map(|n| n != 0)
            .ok_or_else(|| format!("\"{name}\" is not a flag")),
    }
}

fn base64(text: &str, what: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("{what} is not base64 ({e})"))
}

/// A line mqscope wrote (`record::line`).
fn own_line(value: &serde_json::Value) -> Result<Received, String> {
    let topic = field(value, "topic")?
        .as_str()
        .ok_or("\"topic\" is not text")?
        .to_owned();
    let us = field(value, "received_us")?
        .as_i64()
        .ok_or("\"received_us\" is not a number")?;
    let received_at = if us >= 0 {
        UNIX_EPOCH + Duration::from_micros(us.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_micros(us.unsigned_abs())
    };
    let payload = field(value, "payload")?.as_str().ok_or("\"payload\" is not text")?;
    let payload = match value.get("payload_encoding").and_then(|e| e.as_str()) {
        Some("utf8") | None => payload.as_bytes().to_vec(),
        Some("base64") => base64(payload, "the payload")?,
        Some(other) => return Err(format!("unknown payload encoding \"{other}\"")),
    };
    let properties = match value.get("properties") {
        Some(p) => Some(Arc::new(properties(p)?)),
        None => None,
    };
    Ok(Received {
        topic,
        message: Message {
            payload: payload.into(),
            qos: qos_of(value)?,
            retain: flag(value, "retain")?,
            dup: flag(value, "dup")?,
            received_at,
            properties,
        },
    })
}

fn properties(p: &serde_json::Value) -> Result<Properties, String> {
    let text = |name: &str| p.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let number = |name: &str| p.get(name).and_then(serde_json::Value::as_u64);
    let user_properties = match p.get("user_properties") {
        None => Vec::new(),
        Some(list) => list
            .as_array()
            .ok_or("\"user_properties\" is not a list")?
            .iter()
            .map(|pair| match pair.as_array().map(Vec::as_slice) {
                Some([name, value]) => match (name.as_str(), value.as_str()) {
                    (Some(n), Some(v)) => Ok((n.to_owned(), v.to_owned())),
                    _ => Err("a user property is not two texts".to_owned()),
                },
                _ => Err("a user property is not a [name, value] pair".to_owned()),
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(Properties {
        content_type: text("content_type"),
        payload_format_indicator: number("payload_format_indicator").and_then(|n| u8::try_from(n).ok()),
        response_topic: text("response_topic"),
        correlation_data: match text("correlation_data") {
            Some(data) => Some(base64(&data, "the correlation data")?.into()),
            None => None,
        },
        user_properties,
        message_expiry_secs: number("message_expiry_secs").and_then(|n| u32::try_from(n).ok()),
        subscription_identifiers: p
            .get("subscription_identifiers")
            .and_then(|v| v.as_array())
            .map(|ids| ids.iter().filter_map(|id| id.as_u64()).map(|id| id as usize).collect())
            .unwrap_or_default(),
        topic_alias: number("topic_alias").and_then(|n| u16::try_from(n).ok()),
    })
}

/// `mosquitto_sub -F %j`'s time: `2026-12-02T02:11:28.130630Z+0000` (Mosquitto 2.0 writes both
/// a Z and an offset), or a plain RFC 3339 time.
fn mosquitto_time(text: &str) -> Result<SystemTime, String> {
    let cleaned = text.replacen("Z+", "+", 1).replacen("Z-", "-", 1);
    chrono::DateTime::parse_from_str(&cleaned, "%Y-%m-%dT%H:%M:%S%.f%z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(text))
        .map(|t| t.with_timezone(&chrono::Utc).into())
        .map_err(|e| format!("\"tst\" is not a time ({e})"))
}

/// A line of `mosquitto_sub -F %j`; `raw_payload` when the payload was taken from the bytes.
fn mosquitto_line(value: &serde_json::Value, raw_payload: Option<Vec<u8>>) -> Result<Received, String> {
    let topic = field(value, "topic")?
        .as_str()
        .ok_or("\"topic\" is not text")?
        .to_owned();
    let received_at = mosquitto_time(field(value, "tst")?.as_str().ok_or("\"tst\" is not text")?)?;
    let payload = match raw_payload {
        Some(raw) => raw,
        None => match field(value, "payload")? {
            serde_json::Value::String(text) => text.clone().into_bytes(),
            // mosquitto_sub -F %J (and some versions of %j) put a JSON payload in as it was.
            other => other.to_string().into_bytes(),
        },
    };
    if let Some(len) = value.get("payloadlen").and_then(serde_json::Value::as_u64)
        && len != payload.len() as u64
    {
        return Err(format!(
            "the payload is {} bytes, \"payloadlen\" says {len}",
            payload.len()
        ));
    }
    Ok(Received {
        topic,
        message: Message {
            payload: payload.into(),
            qos: qos_of(value)?,
            retain: flag(value, "retain")?,
            dup: false,
            received_at,
            properties: None,
        },
    })
}

/// A `mosquitto_sub -F %j` line whose payload holds bytes that are not UTF-8, written as they
/// are: the payload is cut out of the bytes (its escapes undone), the rest read as JSON.
fn mosquitto_raw_line(text: &[u8]) -> Result<Received, String> {
    const KEY: &[u8] = br#","payload":""#;
    let start = text
        .windows(KEY.len())
        .position(|w| w == KEY)
        .ok_or("not JSON, and no payload")?;
    let body = text
        .get(start + KEY.len()..)
        .and_then(|rest| rest.strip_suffix(br#""}"#))
        .ok_or("not JSON: the payload is not at the end")?;
    let mut head = text.get(..start).unwrap_or_default().to_vec();
    head.push(b'}');
    let value: serde_json::Value = serde_json::from_slice(&head).map_err(|e| format!("not JSON ({e})"))?;
    mosquitto_line(&value, Some(unescape(body)))
}

/// Undo JSON string escapes in raw bytes (what is not an escape is kept as it is).
fn unescape(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut bytes = body.iter().copied();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            Some(b'r') => out.push(b'\r'),
            Some(b'b') => out.push(8),
            Some(b'f') => out.push(12),
            Some(b'u') => {
                let hex: Vec<u8> = bytes.by_ref().take(4).collect();
                let code = std::str::from_utf8(&hex)
                    .ok()
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                match code.and_then(char::from_u32) {
                    Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                    None => out.extend_from_slice(&hex),
                }
            }
            Some(other) => out.push(other),
            None => out.push(b'\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_own_line_reads_back_as_written() {
        let mut received = Received::example("a/b", "");
        received.message.payload = bytes::Bytes::from_static(b"\xff\x00");
        received.message.qos = Qos::ExactlyOnce;
        received.message.retain = true;
        received.message.received_at = UNIX_EPOCH + Duration::from_micros(1_796_174_697_123_456);
        let mut line = Vec::new();
        super::super::line::write(&mut line, &received);
        let back = parse_line(line.strip_suffix(b"\n").expect("a line")).expect("read");
        assert_eq!(back, received);
    }

    #[test]
    fn mosquitto_sub_lines_are_read_text_and_bytes() {
        let text = br#"{"tst":"2026-12-02T02:11:28.130630Z+0000","topic":"j/b","qos":1,"retain":1,"payloadlen":9,"payload":"hello \"q\""}"#;
        let r = parse_line(text).expect("read");
        assert_eq!((r.topic.as_str(), &r.message.payload[..]), ("j/b", &b"hello \"q\""[..]));
        assert!(r.message.retain);
        assert_eq!(r.message.qos, Qos::AtLeastOnce);
        let micros = r
            .message
            .received_at
            .duration_since(UNIX_EPOCH)
            .expect("after")
            .as_micros();
        assert_eq!(micros, 1_796_177_488_130_630);
        let mut raw =
            br#"{"tst":"2026-12-02T02:11:28.176490Z+0000","topic":"j/c","qos":0,"retain":0,"payloadlen":3,"payload":""#
                .to_vec();
        raw.extend_from_slice(b"\xff\x00\x01\"}");
        let r = parse_line(&raw).expect("read");
        assert_eq!(&r.message.payload[..], b"\xff\x00\x01");
    }

    #[test]
    fn a_bad_line_says_why() {
        assert!(parse_line(b"{not json").expect_err("bad").starts_with("not JSON"));
        assert_eq!(parse_line(br#"{"qos":0}"#).expect_err("bad"), "no \"topic\"");
        let wrong = br#"{"topic":"a","received_us":1,"qos":7,"payload":""}"#;
        assert_eq!(parse_line(wrong).expect_err("bad"), "QoS 7 does not exist");
    }
}
