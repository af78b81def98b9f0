//! Base64: text shown as what it decodes to (JSON, text or hex, whichever fits), compared by
//! that.

use serde_json::Value;

use super::{Confidence, Content, Context, Decoded, Format, PayloadFormat, Probe};
use crate::Rendered;
use crate::diff::{self, Diff};

/// Base64 text.
struct Base64;

impl Format {
    /// Base64 text, shown as what it decodes to.
    pub const BASE64: Format = Format::new(&Base64);
}

impl PayloadFormat for Base64 {
    fn id(&self) -> &'static str {
        "base64"
    }

    fn label(&self) -> &'static str {
        "Base64"
    }

    /// Sure of text that is base64 of a JSON object or array (see
    /// [`crate::decode::detect_base64`]); plain words are often valid base64 too, so nothing
    /// less than JSON inside counts.
    fn detect(&self, probe: &Probe<'_>) -> Confidence {
        if probe.beats(Confidence::Sure) && probe.is_text() && crate::decode::detect_base64(probe.bytes) {
            Confidence::Sure
        } else {
            Confidence::No
        }
    }

    fn decode(&self, payload: &[u8], _: &Context<'_>) -> (Content, Option<String>) {
        if payload.len() > super::MAX_DECODE_BYTES {
            return (Content::TooLarge, None);
        }
        match crate::decode::base64_bytes(payload) {
            Some(inner) => {
                let note = format!("Decoded from base64: {} bytes", inner.len());
                (Content::Bytes(inner), Some(note))
            }
            None => (
                Content::Invalid("it has characters or a length base64 does not".to_owned()),
                None,
            ),
        }
    }

    fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered {
        let bytes = decoded.payload();
        let inner = match decoded.content() {
            Content::Bytes(inner) => inner,
            Content::Invalid(why) => return super::not_decoded(bytes, limit_bytes, "base64", why),
            _ => return super::too_large(bytes, limit_bytes, "base64"),
        };
        let mut rendered = if crate::json::validate(inner).is_ok() && crate::detect(inner) == Format::JSON {
            crate::json::render(inner, limit_bytes).unwrap_or_else(|_| crate::text::render(inner, limit_bytes))
        } else if crate::text::is_plain_text(inner) {
            crate::text::render(inner, limit_bytes)
        } else {
            crate::hex::render(inner, limit_bytes)
        };
        rendered.note = decoded.note().map(str::to_owned);
        rendered
    }

    /// What it decodes to, read as JSON.
    fn value(&self, decoded: &Decoded) -> Result<Value, String> {
        match decoded.content() {
            Content::Bytes(inner) => super::parse_json(inner),
            _ => Err("it is not base64".to_owned()),
        }
    }

    /// By what the payloads decode to; when one does not, line by line, and why.
    fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff {
        match (older.content(), newer.content()) {
            (Content::Bytes(old), Content::Bytes(new)) => {
                diff::by_content(old, new).with_note("Compared as decoded from base64")
            }
            (old, _) => diff::lines(older.payload(), newer.payload()).with_note(format!(
                "The {} message is not valid base64: compared line by line",
                if matches!(old, Content::Bytes(_)) {
                    "newer"
                } else {
                    "older"
                }
            )),
        }
    }
}
