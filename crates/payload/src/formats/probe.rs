//! What detection looks at, and how sure a format can be.

use std::cell::{Cell, OnceCell};

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
    pub(super) text: OnceCell<bool>,
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
