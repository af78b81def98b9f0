//! A payload decoded once in one format, and what everything shown of it derives from.

use std::sync::OnceLock;

use bytes::Bytes;
use serde_json::Value;

use super::Format;
use crate::Rendered;
use crate::diff::Diff;

/// What a format made of a payload.
#[derive(Debug)]
pub enum Content {
    /// Nothing to decode: the payload is shown from its own bytes (JSON, text, hex).
    Raw,
    /// The value the payload holds (MessagePack, CBOR, Sparkplug B), as JSON.
    Value {
        /// The value.
        value: Value,
        /// The value as shown, when it differs (Sparkplug B aliases named from the birth).
        shown: Option<Value>,
    },
    /// The bytes the payload stands for (base64).
    Bytes(Vec<u8>),
    /// The payload is not in the format, and why.
    Invalid(String),
    /// The payload is over [`MAX_DECODE_BYTES`](super::MAX_DECODE_BYTES), so not decoded.
    TooLarge,
}

/// A payload decoded in one format, once. Rendering, the value as JSON, diffs, chart numbers
/// and the tree's preview all derive from it; the value is read on first use, at most once.
pub struct Decoded {
    format: Format,
    payload: Bytes,
    content: Content,
    note: Option<String>,
    value: OnceLock<Result<Value, String>>,
}

impl Decoded {
    /// `payload`, decoded in `format` into `content`, with a note on how.
    pub(super) fn new(format: Format, payload: Bytes, content: Content, note: Option<String>) -> Self {
        Decoded {
            format,
            payload,
            content,
            note,
            value: OnceLock::new(),
        }
    }

    /// The format it was decoded in.
    #[must_use]
    pub fn format(&self) -> Format {
        self.format
    }

    /// The payload, every byte.
    #[must_use]
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// What the format made of the payload.
    #[must_use]
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// A line about how it was decoded ("Decoded from Sparkplug B: 12 metrics, seq 3").
    #[must_use]
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The payload for display, looking at no more than `limit_bytes` of input.
    #[must_use]
    pub fn render(&self, limit_bytes: usize) -> Rendered {
        self.format.0.render(self, limit_bytes)
    }

    /// The value the payload holds, as JSON, or why it holds none.
    pub fn value_or_why(&self) -> Result<&Value, &str> {
        match &self.content {
            Content::Value { value, .. } => Ok(value),
            Content::Invalid(why) => Err(why),
            Content::TooLarge => Err("it is too large to decode"),
            Content::Raw | Content::Bytes(_) => self
                .value
                .get_or_init(|| self.format.0.value(self))
                .as_ref()
                .map_err(String::as_str),
        }
    }

    /// The value the payload holds, as JSON, if it holds one.
    #[must_use]
    pub fn value(&self) -> Option<&Value> {
        self.value_or_why().ok()
    }

    /// The value the payload holds, as JSON, if it holds one, taken out.
    #[must_use]
    pub fn into_value(self) -> Option<Value> {
        if matches!(self.content, Content::Raw | Content::Bytes(_)) {
            let computed = self.value.get().is_some();
            return if computed {
                self.value.into_inner().and_then(Result::ok)
            } else {
                self.format.0.value(&self).ok()
            };
        }
        match self.content {
            Content::Value { value, .. } => Some(value),
            _ => None,
        }
    }

    /// What changed from `older` to this payload; both should be decoded in the same format
    /// (this one's is used).
    #[must_use]
    pub fn diff_from(&self, older: &Decoded) -> Diff {
        self.format.0.diff(older, self)
    }

    /// A one-line preview for the topic tree, when the format has one better than the text.
    #[must_use]
    pub fn preview(&self, max_chars: usize) -> Option<String> {
        self.format.0.preview(&self.payload, max_chars)
    }
}

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoded")
            .field("format", &self.format)
            .field("bytes", &self.payload.len())
            .field("content", &self.content)
            .finish_non_exhaustive()
    }
}
