//! What changed between two payloads, in the terms of the format they are
//! viewed in: for JSON (and MessagePack or CBOR) the fields added, removed or
//! changed, by path ([`json`]); for text the lines ([`lines`](mod@lines)); for binary the
//! bytes ([`bytes`]).
//!
//! [`diff`] is the one entry point. Its work is bounded: payloads are looked at
//! up to [`MAX_BYTES`] when parsed or rendered, and each kind caps what it lists.

pub mod bytes;
pub mod json;
pub mod lines;

use super::{Decoded, Format, text};

/// Bytes of each payload parsed or rendered at most (the byte diff looks at all of them).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// The differences, in one of three forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Fields by path.
    Json(json::JsonDiff),
    /// Lines of text.
    Lines(lines::LineDiff),
    /// Runs of bytes.
    Bytes(bytes::ByteDiff),
}

/// What changed from one payload to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// The differences.
    pub body: Body,
    /// How the payloads were compared when it is not what the format says, e.g. "The
    /// older message is not valid JSON: compared line by line". `None` otherwise.
    pub note: Option<String>,
}

impl Diff {
    fn new(body: Body) -> Self {
        Diff { body, note: None }
    }

    /// The same diff, saying how the payloads were compared.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Whether the payloads are the same, as compared.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match &self.body {
            Body::Json(diff) => diff.is_empty(),
            Body::Lines(diff) => diff.is_empty(),
            Body::Bytes(diff) => diff.is_empty(),
        }
    }

    /// One line: "3 fields changed, 1 added", "2 lines added, 1 removed", "4 bytes
    /// changed", or "No change".
    #[must_use]
    pub fn summary(&self) -> String {
        match &self.body {
            Body::Json(diff) => diff.summary(),
            Body::Lines(diff) => diff.summary(),
            Body::Bytes(diff) => diff.summary(),
        }
    }
}

/// The difference from `older` to `newer`, both viewed as `format`, as the format compares
/// them (see [`crate::formats::PayloadFormat::diff`]): JSON, MessagePack, CBOR and Sparkplug B
/// field by field, text line by line, hex byte by byte, base64 by what it decodes to. Payloads
/// that do not parse as the format are compared as text (JSON) or bytes (the binary formats),
/// and [`Diff::note`] says so.
#[must_use]
pub fn diff(older: &[u8], newer: &[u8], format: Format) -> Diff {
    format.decode_bytes(newer).diff_from(&format.decode_bytes(older))
}

/// The structural diff of two decoded payloads, by their values as JSON, or why there is none
/// ("The older message is not valid JSON (…)"). Payloads over [`MAX_BYTES`] are not compared.
pub fn structured(older: &Decoded, newer: &Decoded, what: &str) -> Result<Diff, String> {
    let too_large = |which: &str| {
        format!(
            "The {which} message is too large to compare as {what} (over {})",
            text::human_bytes(MAX_BYTES as u64)
        )
    };
    if older.payload().len() > MAX_BYTES {
        return Err(too_large("older"));
    }
    if newer.payload().len() > MAX_BYTES {
        return Err(too_large("newer"));
    }
    let not_valid = |which: &str, error: &str| format!("The {which} message is not valid {what} ({error})");
    let old = older.value_or_why().map_err(|error| not_valid("older", error))?;
    let new = newer.value_or_why().map_err(|error| not_valid("newer", error))?;
    Ok(Diff::new(Body::Json(json::diff(old, new))))
}

/// Two payloads as text, line by line (the first [`MAX_BYTES`] of each).
#[must_use]
pub fn lines(older: &[u8], newer: &[u8]) -> Diff {
    let old = text::render(older, MAX_BYTES);
    let new = text::render(newer, MAX_BYTES);
    let diff = Diff::new(Body::Lines(lines::diff(&old.text, &new.text)));
    if old.is_cut() || new.is_cut() {
        diff.with_note(format!(
            "Only the first {} of each message compared",
            text::human_bytes(MAX_BYTES as u64)
        ))
    } else {
        diff
    }
}

/// Two payloads byte by byte.
#[must_use]
pub fn bytes_diff(older: &[u8], newer: &[u8]) -> Diff {
    Diff::new(Body::Bytes(bytes::diff(older, newer)))
}

/// Decoded payloads, compared as what they hold: JSON by field, text by line, else by byte.
#[must_use]
pub fn by_content(old: &[u8], new: &[u8]) -> Diff {
    let (old_format, new_format) = (super::detect(old), super::detect(new));
    if old_format == Format::JSON
        && new_format == Format::JSON
        && let Ok(diff) = structured(&Format::JSON.decode_bytes(old), &Format::JSON.decode_bytes(new), "JSON")
    {
        return diff;
    }
    if old_format != Format::HEX && new_format != Format::HEX {
        lines(old, new)
    } else {
        bytes_diff(old, new)
    }
}

/// "3 fields changed, 1 added": the counts that are not zero, the first with its noun
/// (`one` or `many`); "No change" when all are zero.
fn summary(one: &str, many: &str, parts: &[(usize, &str)]) -> String {
    let mut out = String::new();
    for &(count, what) in parts.iter().filter(|(count, _)| *count > 0) {
        let number = text::group_digits(count as u64);
        if out.is_empty() {
            let noun = if count == 1 { one } else { many };
            out = format!("{number} {noun} {what}");
        } else {
            out.push_str(&format!(", {number} {what}"));
        }
    }
    if out.is_empty() { "No change".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkplug_b_messages_are_compared_metric_by_metric() {
        use prost::Message as _;
        let older = crate::sparkplug::tests::ddata();
        let mut payload = crate::sparkplug::decode(&older).expect("decodes");
        payload.seq = Some(4);
        let temperature = payload
            .metrics
            .iter_mut()
            .find(|m| m.name.as_deref() == Some("Temperature"))
            .expect("the metric");
        temperature.value = Some(crate::sparkplug::MetricValue::FloatValue(22.0));
        let newer = payload.encode_to_vec();
        let diff = diff(&older, &newer, Format::SPARKPLUG_B);
        let Body::Json(changes) = &diff.body else {
            panic!("a structural diff: {diff:?}")
        };
        let paths: Vec<&str> = changes.changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["seq", "metrics.Temperature.value"], "{diff:?}");
        let cut = diff_bytes_note(&older[..40], &newer);
        assert!(cut.starts_with("The older message is not valid Sparkplug B"), "{cut}");
    }

    fn diff_bytes_note(older: &[u8], newer: &[u8]) -> String {
        diff(older, newer, Format::SPARKPLUG_B).note.unwrap_or_default()
    }

    const OLD: &[u8] = br#"{"temperature":21.5,"humidity":40}"#;
    const NEW: &[u8] = br#"{"humidity":40,"temperature":22.0}"#;

    #[test]
    fn json_viewed_as_json_is_compared_by_field_and_as_text_by_line() {
        let structural = diff(OLD, NEW, Format::JSON);
        let Body::Json(fields) = &structural.body else {
            panic!("{structural:?}");
        };
        assert_eq!(fields.changes.len(), 1);
        assert_eq!(fields.changes[0].path, "temperature");
        assert_eq!(structural.summary(), "1 field changed");
        assert_eq!(structural.note, None);
        let by_line = diff(OLD, NEW, Format::TEXT);
        assert!(matches!(by_line.body, Body::Lines(_)), "{by_line:?}");
        assert_eq!(by_line.summary(), "1 line added, 1 removed");
    }

    #[test]
    fn invalid_json_is_compared_by_line_and_said_so() {
        let diff = diff(OLD, b"{\"temperature\": oops}", Format::JSON);
        assert!(matches!(diff.body, Body::Lines(_)), "{diff:?}");
        let note = diff.note.unwrap_or_default();
        assert!(note.starts_with("The newer message is not valid JSON"), "{note}");
    }

    #[test]
    fn hex_is_compared_by_byte() {
        let diff = diff(&[0, 1, 2, 3], &[0, 1, 9, 3], Format::HEX);
        assert!(matches!(diff.body, Body::Bytes(_)), "{diff:?}");
        assert_eq!(diff.summary(), "1 byte changed");
        assert!(super::diff(b"same", b"same", Format::HEX).is_empty());
    }

    #[test]
    fn messagepack_and_cbor_are_compared_by_field() {
        let old = serde_json::json!({"t": 1, "tags": ["a"]});
        let new = serde_json::json!({"t": 2, "tags": ["a", "b"]});
        let packed = |v: &serde_json::Value| rmp_serde::to_vec_named(v).expect("msgpack");
        let diff_packed = diff(&packed(&old), &packed(&new), Format::MSGPACK);
        assert_eq!(diff_packed.summary(), "1 field changed, 1 added");
        let cbor = |v: &serde_json::Value| {
            let mut out = Vec::new();
            ciborium::into_writer(v, &mut out).expect("cbor");
            out
        };
        assert_eq!(
            diff(&cbor(&old), &cbor(&new), Format::CBOR).summary(),
            "1 field changed, 1 added"
        );
        // Not MessagePack: the bytes, and why.
        let junk = diff(&[0xc1], &[0xc1, 0x00], Format::MSGPACK);
        assert!(matches!(junk.body, Body::Bytes(_)), "{junk:?}");
        assert!(
            junk.note
                .is_some_and(|n| n.starts_with("The older message is not valid MessagePack"))
        );
    }

    #[test]
    fn base64_is_compared_as_what_it_decodes_to() {
        // {"t":21} and {"t":22}
        let diff = diff(b"eyJ0IjoyMX0=", b"eyJ0IjoyMn0=", Format::BASE64);
        assert_eq!(diff.summary(), "1 field changed");
        assert_eq!(diff.note.as_deref(), Some("Compared as decoded from base64"));
        let bad = super::diff(b"eyJ0IjoyMX0=", b"not base64!", Format::BASE64);
        assert!(
            bad.note
                .is_some_and(|n| n.starts_with("The newer message is not valid base64"))
        );
    }

    #[test]
    fn a_four_mebibyte_json_payload_is_compared_and_the_change_found() {
        let item = r#"{"name":"sensor","value":12.5,"ok":true},"#;
        let mut old = String::from(r#"{"items":["#);
        while old.len() < MAX_BYTES - 200 {
            old.push_str(item);
        }
        old.push_str(r#"{"name":"last","value":1}]}"#);
        let new = old.replace(r#""last","value":1"#, r#""last","value":2"#);
        let diff = diff(old.as_bytes(), new.as_bytes(), Format::JSON);
        let Body::Json(fields) = &diff.body else {
            panic!("{:?}", diff.note);
        };
        assert_eq!(fields.changes.len(), 1);
        assert!(fields.changes[0].path.ends_with(".value"), "{:?}", fields.changes[0]);
    }

    #[test]
    fn summaries_name_the_first_count_only() {
        assert_eq!(
            summary("field", "fields", &[(3, "changed"), (1, "added")]),
            "3 fields changed, 1 added"
        );
        assert_eq!(
            summary("field", "fields", &[(0, "changed"), (1, "added")]),
            "1 field added"
        );
        assert_eq!(summary("line", "lines", &[(0, "added"), (0, "removed")]), "No change");
    }
}
