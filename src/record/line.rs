//! One recorded message as one line of JSON, readable with jq:
//!
//! ```json
//! {"received":"2026-12-02T01:24:57.123456Z","received_us":1796174697123456,"topic":"home/light",
//!  "qos":1,"retain":false,"dup":false,"payload":"ON","payload_encoding":"utf8"}
//! ```
//!
//! The payload is exactly as received: UTF-8 text as a string (`"payload_encoding":"utf8"`),
//! anything else as standard base64 (`"base64"`). MQTT 5 properties, when the message came
//! with any, are in `"properties"` (correlation data as base64, user properties as
//! `[name, value]` pairs in the order sent).

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::Serialize;

use crate::model::{Properties, Received};

/// How the payload is written in a line.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Encoding {
    Utf8,
    Base64,
}

#[derive(Serialize)]
struct LineOut<'a> {
    received: String,
    received_us: i64,
    topic: &'a str,
    qos: u8,
    retain: bool,
    dup: bool,
    payload: std::borrow::Cow<'a, str>,
    payload_encoding: Encoding,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<PropertiesOut<'a>>,
}

#[derive(Serialize)]
struct PropertiesOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload_format_indicator: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_topic: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlation_data: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    user_properties: &'a [(String, String)],
    #[serde(skip_serializing_if = "Option::is_none")]
    message_expiry_secs: Option<u32>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    subscription_identifiers: &'a [usize],
    #[serde(skip_serializing_if = "Option::is_none")]
    topic_alias: Option<u16>,
}

impl<'a> PropertiesOut<'a> {
    fn of(p: &'a Properties) -> Self {
        Self {
            content_type: p.content_type.as_deref(),
            payload_format_indicator: p.payload_format_indicator,
            response_topic: p.response_topic.as_deref(),
            correlation_data: p
                .correlation_data
                .as_ref()
                .map(|data| base64::engine::general_purpose::STANDARD.encode(data)),
            user_properties: &p.user_properties,
            message_expiry_secs: p.message_expiry_secs,
            subscription_identifiers: &p.subscription_identifiers,
            topic_alias: p.topic_alias,
        }
    }
}

/// Microseconds since the Unix epoch (negative before it).
fn epoch_us(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_micros()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_micros()).unwrap_or(i64::MAX),
    }
}

/// Append the line of `received`, newline included, to `out`.
pub fn write(out: &mut Vec<u8>, received: &Received) {
    let message = &received.message;
    let (payload, payload_encoding) = match std::str::from_utf8(&message.payload) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), Encoding::Utf8),
        Err(_) => (
            std::borrow::Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&message.payload)),
            Encoding::Base64,
        ),
    };
    let time: chrono::DateTime<chrono::Utc> = message.received_at.into();
    let line = LineOut {
        received: time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        received_us: epoch_us(message.received_at),
        topic: &received.topic,
        qos: message.qos.level(),
        retain: message.retain,
        dup: message.dup,
        payload,
        payload_encoding,
        properties: message.properties.as_deref().map(PropertiesOut::of),
    };
    // Writing into a Vec cannot fail, and every field serialises (strings, numbers, booleans).
    if serde_json::to_writer(&mut *out, &line).is_ok() {
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::model::{Message, Qos};

    fn line_of(received: &Received) -> serde_json::Value {
        let mut out = Vec::new();
        write(&mut out, received);
        assert_eq!(out.last(), Some(&b'\n'), "one line, ended");
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1, "one line only");
        serde_json::from_slice(&out).expect("valid JSON")
    }

    #[test]
    fn text_is_written_as_a_string_with_every_field() {
        let mut received = Received::example("home/light", "ON\nnext \"line\"");
        received.message.qos = Qos::AtLeastOnce;
        received.message.retain = true;
        received.message.dup = true;
        received.message.received_at = UNIX_EPOCH + Duration::from_micros(1_796_174_697_123_456);
        let line = line_of(&received);
        assert_eq!(line["received"], "2026-12-02T01:24:57.123456Z");
        assert_eq!(line["received_us"], 1_796_174_697_123_456_i64);
        assert_eq!(line["topic"], "home/light");
        assert_eq!(line["qos"], 1);
        assert_eq!(line["retain"], true);
        assert_eq!(line["dup"], true);
        assert_eq!(line["payload"], "ON\nnext \"line\"");
        assert_eq!(line["payload_encoding"], "utf8");
        assert!(line.get("properties").is_none());
    }

    #[test]
    fn anything_but_utf8_is_base64() {
        let received = Received {
            topic: "bin".into(),
            message: Message::new(vec![0xff, 0x00, 0x80]),
        };
        let line = line_of(&received);
        assert_eq!(line["payload"], "/wCA");
        assert_eq!(line["payload_encoding"], "base64");
    }

    #[test]
    fn mqtt5_properties_are_kept() {
        let mut received = Received::example("req", "{}");
        received.message.properties = Some(Arc::new(Properties {
            content_type: Some("application/json".into()),
            response_topic: Some("reply/1".into()),
            correlation_data: Some(bytes::Bytes::from_static(b"\x01\x02")),
            user_properties: vec![("site".into(), "lab".into()), ("site".into(), "b".into())],
            message_expiry_secs: Some(30),
            ..Properties::default()
        }));
        let p = &line_of(&received)["properties"];
        assert_eq!(p["content_type"], "application/json");
        assert_eq!(p["response_topic"], "reply/1");
        assert_eq!(p["correlation_data"], "AQI=");
        assert_eq!(
            p["user_properties"],
            serde_json::json!([["site", "lab"], ["site", "b"]])
        );
        assert_eq!(p["message_expiry_secs"], 30);
        assert!(p.get("topic_alias").is_none());
    }
}
