//! Payload formats, one file each, behind one trait: [`PayloadFormat`].
//!
//! A format says how sure it is that a payload is in it ([`PayloadFormat::detect`]), decodes
//! the payload once into a [`Decoded`], and everything shown of the payload derives from that:
//! the rendering, the value as JSON (for diffs, charts and compare columns), the diff of two
//! payloads and the topic tree's one-line preview. [`Format`] is a cheap handle to one; the
//! formats there are, in the order they are offered, are the list in [`registry`].

mod base64;
mod cbor;
mod hex;
mod json;
mod msgpack;
pub mod registry;
mod sparkplug_b;
mod text;

use std::cell::{Cell, OnceCell};
use std::sync::OnceLock;

use bytes::Bytes;
use serde_json::Value;

use crate::Rendered;
use crate::diff::Diff;

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

/// How sure a format is that a payload is in it. The most confident format is the one detected;
/// of equally confident ones, the first in the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Not this format.
    No,
    /// Any payload can be shown this way (hex).
    Fallback,
    /// The bytes fit, and nothing more telling does (plain text, a binary map or array).
    Likely,
    /// The bytes are exactly this (valid JSON, base64 of JSON).
    Sure,
    /// Nothing else can be meant (the topic says so).
    Certain,
}

/// What detection looks at: the topic, the payload, and how much of it at most.
pub struct Probe<'a> {
    /// The topic the payload came on.
    pub topic: &'a str,
    /// The payload.
    pub bytes: &'a [u8],
    /// Bytes of the payload looked at at most when scanning it whole.
    pub limit_bytes: usize,
    /// Whether the looked-at part is plain text, worked out once for all formats.
    text: OnceCell<bool>,
    /// The confidence of the surest format so far.
    best: Cell<Confidence>,
}

impl<'a> Probe<'a> {
    /// A probe of `bytes`, received on `topic`, scanning at most `limit_bytes`.
    #[must_use]
    pub fn new(topic: &'a str, bytes: &'a [u8], limit_bytes: usize) -> Self {
        Probe {
            topic,
            bytes,
            limit_bytes,
            text: OnceCell::new(),
            best: Cell::new(Confidence::No),
        }
    }

    /// Whether a format `confidence` sure would be detected over the formats asked before; a
    /// format can skip its work when not.
    #[must_use]
    pub fn beats(&self, confidence: Confidence) -> bool {
        confidence > self.best.get()
    }

    /// Note that a format is `confidence` sure (the registry does, after asking each).
    pub fn found(&self, confidence: Confidence) {
        if self.beats(confidence) {
            self.best.set(confidence);
        }
    }

    /// The bytes looked at, and whether that is less than the whole payload.
    #[must_use]
    pub fn prefix(&self) -> (&'a [u8], bool) {
        match self.bytes.get(..self.limit_bytes) {
            Some(prefix) if self.bytes.len() > self.limit_bytes => (prefix, true),
            _ => (self.bytes, false),
        }
    }

    /// Whether the payload (its looked-at part, a character cut at the end allowed) is plain
    /// text (see [`crate::text::is_plain_text`]).
    #[must_use]
    pub fn is_text(&self) -> bool {
        *self.text.get_or_init(|| {
            let (prefix, cut) = self.prefix();
            if !cut {
                return crate::text::is_plain_text(prefix);
            }
            let whole_chars = match std::str::from_utf8(prefix) {
                Err(error) if error.error_len().is_none() => prefix.get(..error.valid_up_to()).unwrap_or_default(),
                _ => prefix,
            };
            crate::text::is_plain_text(whole_chars)
        })
    }
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
        Decoded {
            format: self,
            payload,
            content,
            note,
            value: OnceLock::new(),
        }
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
    /// The payload is over [`MAX_DECODE_BYTES`], so not decoded.
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
