//! JSON: pretty-printed and highlighted, compared field by field.

use serde_json::Value;

use super::{Confidence, Content, Context, Decoded, Format, Offered, PayloadFormat, Probe};
use crate::Rendered;
use crate::diff::{self, Diff};

/// JSON text: an object or an array.
struct Json;

impl Format {
    /// Pretty-printed, highlighted JSON.
    pub const JSON: Format = Format::new(&Json);
}

impl PayloadFormat for Json {
    fn id(&self) -> &'static str {
        "json"
    }

    fn label(&self) -> &'static str {
        "JSON"
    }

    fn offered(&self) -> Offered {
        Offered::View
    }

    /// Sure when the payload (after whitespace and an optional BOM) starts with `{` or `[` and
    /// is valid JSON; of a payload longer than the probe's limit, when its start is JSON so far
    /// (cut, not broken).
    fn detect(&self, probe: &Probe<'_>) -> Confidence {
        let (prefix, cut) = probe.prefix();
        if probe.beats(Confidence::Sure) && is_json(prefix, cut) {
            Confidence::Sure
        } else {
            Confidence::No
        }
    }

    fn decode(&self, _: &[u8], _: &Context<'_>) -> (Content, Option<String>) {
        (Content::Raw, None)
    }

    /// See [`crate::json::render`]. Invalid JSON is shown as text, and the note says where and
    /// why parsing failed; the part of a payload beyond the limit is not validated.
    fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered {
        let bytes = decoded.payload();
        crate::json::render(bytes, limit_bytes).unwrap_or_else(|err| {
            let mut rendered = crate::text::render(bytes, limit_bytes);
            rendered.note = Some(format!("Not valid JSON: {err}; shown as text"));
            rendered
        })
    }

    fn value(&self, decoded: &Decoded) -> Result<Value, String> {
        super::parse_json(decoded.payload())
    }

    /// Field by field; payloads that do not parse line by line, with the reason.
    fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff {
        diff::structured(older, newer, "JSON").unwrap_or_else(|why| {
            diff::lines(older.payload(), newer.payload()).with_note(format!("{why}: compared line by line"))
        })
    }
}

/// Whether `bytes` (the whole payload, or its start when `cut`) is a JSON object or array.
pub(crate) fn is_json(bytes: &[u8], cut: bool) -> bool {
    let body = bytes.strip_prefix(crate::json::BOM).unwrap_or(bytes);
    let first = body.iter().find(|&&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if !matches!(first, Some(b'{' | b'[')) {
        return false;
    }
    if !cut {
        return crate::json::is_valid(bytes);
    }
    // A document cut short fails only for want of more input (or a UTF-8 sequence cut at the end).
    match crate::json::validate(bytes) {
        Ok(()) => true,
        Err(error) => error.at_end || error.byte + 4 >= bytes.len(),
    }
}
