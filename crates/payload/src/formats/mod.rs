//! Payload formats, one file each, behind one trait: [`PayloadFormat`].
//!
//! A format says how sure it is that a payload is in it ([`PayloadFormat::detect`]), decodes
//! the payload once into a [`Decoded`], and everything shown of the payload derives from that:
//! the rendering, the value as JSON (for diffs, charts and compare columns), the diff of two
//! payloads and the topic tree's one-line preview. [`Format`] is a cheap handle to one; the
//! formats there are, in the order they are offered, are the list in [`registry`].

mod base64;
mod cbor;
mod decoded;
mod hex;
mod json;
mod msgpack;
mod probe;
pub mod registry;
mod sparkplug_b;
mod text;

use bytes::Bytes;
use serde_json::Value;

use crate::Rendered;
use crate::diff::Diff;

pub use decoded::{Content, Decoded};
pub use probe::{Confidence, Probe};
pub use registry::ALL;

/// Payloads larger than this are not decoded (the hex view shows every byte).
pub const MAX_DECODE_BYTES: usize = 16 * 1024 * 1024;

/// Where the message panel offers a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// A view of the bytes as they are, a button of its own (JSON, text, hex).
    View,
    /// A decoder, in the "Decode" menu (base64, MessagePack…).
    Decoder,
}

/// What decoding may look at besides the payload: its topic, and the latest payload of another
/// topic (a Sparkplug B data message's aliases are named by its birth certificate).
pub struct Context<'a> {
    /// The topic the payload came on.
    pub topic: &'a str,
    /// The latest payload of a topic, if one came.
    pub latest_of: &'a dyn Fn(&str) -> Option<Bytes>,
}

impl Context<'_> {
    /// A context of a payload on no topic, with no other topics to look at.
    #[must_use]
    pub fn none() -> Context<'static> {
        Context {
            topic: "",
            latest_of: &|_| None,
        }
    }
}

/// One payload format. Implemented once per file of this module and listed once in
/// [`registry::ALL`]; nothing else needs to know about it.
pub trait PayloadFormat: Send + Sync + 'static {
    /// A short stable name, unique among formats: `"json"`, `"cbor"`.
    fn id(&self) -> &'static str;

    /// Its name for the user: `"JSON"`, `"CBOR"`.
    fn label(&self) -> &'static str;

    /// Where the message panel offers it.
    fn offered(&self) -> Offered {
        Offered::Decoder
    }

    /// How sure it is that the probed payload is in this format.
    fn detect(&self, probe: &Probe<'_>) -> Confidence;

    /// The payload decoded, once: the value it holds, the bytes it stands for, or why it does
    /// not decode.
    fn decode(&self, payload: &[u8], context: &Context<'_>) -> (Content, Option<String>);

    /// The payload for display, from what [`PayloadFormat::decode`] made of it, looking at no
    /// more than `limit_bytes` of input.
    fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered;

    /// The value as JSON when decoding left the payload as it is ([`Content::Raw`]) or gave
    /// bytes ([`Content::Bytes`]), or why there is none. Asked at most once per [`Decoded`].
    fn value(&self, _decoded: &Decoded) -> Result<Value, String> {
        Err(format!("{} has no value as JSON", self.label()))
    }

    /// Whether the payload holds a value to chart or compare by field; when not (text, hex),
    /// numbers are read from it as JSON.
    fn has_value(&self) -> bool {
        true
    }

    /// Whether the payload is shown as every byte, drawn line by line from the bytes rather
    /// than rendered (hex).
    fn every_byte(&self) -> bool {
        false
    }

    /// Whether the number at `path` of this format's value is charted before the others when
    /// the user has chosen none (a Sparkplug B metric's value, not the sequence number).
    fn charted_first(&self, _path: &str) -> bool {
        false
    }

    /// What changed from `older` to `newer`, both decoded in this format.
    fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff;

    /// A one-line preview of a payload in this format for the topic tree, better than the text
    /// preview, at about `max_chars`; `None` to use the text preview. Made once per message
    /// (the tree keeps it), from the bytes, so it can skip what a full decoding builds.
    fn preview(&self, _payload: &[u8], _max_chars: usize) -> Option<String> {
        None
    }
}

/// How a payload is shown: a cheap handle to one registered [`PayloadFormat`]. Two handles are
/// equal when they name the same format.
#[derive(Clone, Copy)]
pub struct Format(&'static dyn PayloadFormat);

impl Format {
    /// A handle to `format`.
    #[must_use]
    pub const fn new(format: &'static dyn PayloadFormat) -> Self {
        Format(format)
    }

    /// The format itself.
    #[must_use]
    pub fn get(self) -> &'static dyn PayloadFormat {
        self.0
    }

    /// Short human-readable name: `"JSON"`, `"Text"`, `"Hex"`, `"Base64"`, `"MessagePack"`,
    /// `"CBOR"`, `"Sparkplug B"`.
    #[must_use]
    pub fn label(self) -> &'static str {
        self.0.label()
    }

    /// Where the message panel offers it.
    #[must_use]
    pub fn offered(self) -> Offered {
        self.0.offered()
    }

    /// See [`PayloadFormat::has_value`].
    #[must_use]
    pub fn has_value(self) -> bool {
        self.0.has_value()
    }

    /// See [`PayloadFormat::every_byte`].
    #[must_use]
    pub fn every_byte(self) -> bool {
        self.0.every_byte()
    }

    /// See [`PayloadFormat::charted_first`].
    #[must_use]
    pub fn charted_first(self, path: &str) -> bool {
        self.0.charted_first(path)
    }

    /// See [`PayloadFormat::preview`].
    #[must_use]
    pub fn preview(self, payload: &[u8], max_chars: usize) -> Option<String> {
        self.0.preview(payload, max_chars)
    }

    /// The payload decoded in this format, once; see [`Decoded`].
    #[must_use]
    pub fn decode(self, payload: Bytes, context: &Context<'_>) -> Decoded {
        let (content, note) = self.0.decode(&payload, context);
        Decoded::new(self, payload, content, note)
    }

    /// The payload decoded in this format with no context (no birth certificate to name
    /// Sparkplug B aliases).
    #[must_use]
    pub fn decode_bytes(self, payload: &[u8]) -> Decoded {
        self.decode(Bytes::copy_from_slice(payload), &Context::none())
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

impl Eq for Format {}

impl std::hash::Hash for Format {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.id().hash(state);
    }
}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.label())
    }
}

/// The payload as JSON text, parsed (a UTF-8 BOM allowed), unless it is over
/// [`MAX_DECODE_BYTES`].
fn parse_json(bytes: &[u8]) -> Result<Value, String> {
    if bytes.len() > MAX_DECODE_BYTES {
        return Err("it is too large to decode".to_owned());
    }
    serde_json::from_slice(bytes.strip_prefix(crate::json::BOM).unwrap_or(bytes)).map_err(|e| e.to_string())
}

/// `value`, unless bytes are `left` after it.
pub(crate) fn whole(value: Value, left: &[u8]) -> Result<Value, String> {
    if left.is_empty() {
        Ok(value)
    } else {
        Err(format!("{} bytes are left after the first value", left.len()))
    }
}

/// A decoded value shown as JSON, saying it was decoded from `what` (`size` bytes).
fn as_json(value: &Value, size: usize, limit_bytes: usize, what: &str) -> Rendered {
    let json_text = serde_json::to_vec(value).unwrap_or_default();
    let mut rendered =
        crate::json::render(&json_text, limit_bytes).unwrap_or_else(|_| crate::text::render(&json_text, limit_bytes));
    rendered.note = Some(format!("Decoded from {what} ({size} bytes), shown as JSON"));
    rendered
}

/// The payload as hex, saying why it is not `what`.
fn not_decoded(bytes: &[u8], limit_bytes: usize, what: &str, why: &str) -> Rendered {
    let mut rendered = crate::hex::render(bytes, limit_bytes);
    rendered.note = Some(format!("Not valid {what}: {why}; shown as hex"));
    rendered
}

/// The payload as hex, saying it is too large to decode as `what`.
fn too_large(bytes: &[u8], limit_bytes: usize, what: &str) -> Rendered {
    let mut rendered = crate::hex::render(bytes, limit_bytes);
    rendered.note = Some(format!(
        "Too large to decode as {what} ({}); shown as hex",
        crate::text::human_bytes(bytes.len() as u64)
    ));
    rendered
}

/// The rendering of a payload decoded to a value (or not) as `what`: the value as JSON, or hex
/// and why.
fn render_value(decoded: &Decoded, limit_bytes: usize, what: &str) -> Rendered {
    let bytes = decoded.payload();
    match decoded.content() {
        Content::Value { value, shown } => {
            let mut rendered = as_json(shown.as_ref().unwrap_or(value), bytes.len(), limit_bytes, what);
            if let Some(note) = decoded.note() {
                rendered.note = Some(note.to_owned());
            }
            rendered
        }
        Content::Invalid(why) => not_decoded(bytes, limit_bytes, what, why),
        Content::TooLarge | Content::Raw | Content::Bytes(_) => too_large(bytes, limit_bytes, what),
    }
}

/// One self-describing value read by `read` from the whole payload, or why there is none.
fn decode_value(payload: &[u8], read: impl FnOnce(&[u8]) -> Result<Value, String>) -> Content {
    if payload.len() > MAX_DECODE_BYTES {
        return Content::TooLarge;
    }
    match read(payload) {
        Ok(value) => Content::Value { value, shown: None },
        Err(why) => Content::Invalid(why),
    }
}
