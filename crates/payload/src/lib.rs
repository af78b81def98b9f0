//! Payload display: format detection, JSON pretty-printing with syntax
//! highlighting, text rendering with visible escapes, hex dumps and one-line
//! previews for the topic tree.
//!
//! Everything here works on raw bytes, never panics on any input, and bounds
//! its work: [`detect`] is a single linear scan, [`render`] looks at no more
//! than the requested number of input bytes, and [`text::preview`] only looks
//! at a short prefix of the payload.
//!
//! Rendered output is a [`Rendered`]: one `String` plus highlight [`Span`]s and
//! precomputed display line starts, so a UI can show only the visible lines of
//! a huge payload.

pub mod decode;
pub mod diff;
pub mod encode;
pub mod find;
pub mod folds;
pub mod formats;
pub mod hex;
pub mod json;
pub mod numbers;
pub mod paths;
pub mod sparkplug;
pub mod text;

/// Display lines longer than this many chars are hard-wrapped.
pub const MAX_LINE_CHARS: usize = 1000;

/// Rendering stops (reporting a cut through [`Rendered::shown_bytes`]) once
/// [`Rendered::text`] reaches about this size, so its `u32` offsets never
/// overflow.
pub const MAX_TEXT_BYTES: usize = 32 << 20;

pub use formats::{Decoded, Format};

/// The format a payload is shown in when the user has not chosen one, from its bytes alone:
///
/// * [`Format::JSON`] when the payload (after leading whitespace, an optional
///   UTF-8 BOM allowed) starts with `{` or `[` and the whole payload is valid
///   JSON. Validation is a linear scan without per-token allocation.
/// * [`Format::TEXT`] when it is valid UTF-8 without control characters other
///   than `\t`, `\n` and `\r` (see [`text::is_plain_text`]). An empty payload
///   is text.
/// * [`Format::HEX`] otherwise.
#[must_use]
pub fn detect(bytes: &[u8]) -> Format {
    detect_prefix(bytes, usize::MAX)
}

/// [`detect`] for a payload that may be huge: looks at no more than
/// `limit_bytes`. A longer payload whose first `limit_bytes` are JSON so far
/// (cut, not broken) counts as JSON, and one whose prefix is plain text (a
/// character cut at the end allowed) as text.
#[must_use]
pub fn detect_prefix(bytes: &[u8], limit_bytes: usize) -> Format {
    let basic = [Format::JSON, Format::TEXT, Format::HEX];
    formats::registry::detect_among(&basic, &formats::Probe::new("", bytes, limit_bytes))
}

/// The format a payload on `topic` is shown in when the user has not chosen one: the one of
/// [`formats::ALL`] most sure of it (see [`formats::registry::detect`]). A non-empty payload
/// on a Sparkplug B topic (`spBv1.0/...` but not `spBv1.0/STATE/...`, see
/// [`sparkplug::is_sparkplug_topic`]) is [`Format::SPARKPLUG_B`], whatever its bytes; a binary
/// payload that reads whole as a MessagePack or CBOR map or array is that, and text that is
/// base64 of JSON is [`Format::BASE64`] (see [`decode::detect_base64`]); else as [`detect_prefix`].
#[must_use]
pub fn detect_for_topic(topic: &str, bytes: &[u8], limit_bytes: usize) -> Format {
    formats::registry::detect(topic, bytes, limit_bytes)
}

/// Kind of a highlighted piece of rendered text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Unhighlighted text.
    Plain,
    /// A JSON object key (with its quotes).
    Key,
    /// A JSON string value (with its quotes).
    String,
    /// A JSON number.
    Number,
    /// JSON `true` or `false`.
    Bool,
    /// JSON `null`.
    Null,
    /// JSON punctuation (`{ } [ ] , :`), or the offset column of a hex dump.
    Punct,
    /// Replacement marks for invalid bytes and visible escapes for control
    /// chars in the text view.
    Escape,
}

/// A highlighted range of [`Rendered::text`] (byte offsets into the text,
/// always on char boundaries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
    /// How the range is highlighted.
    pub kind: TokenKind,
}

/// A payload rendered for display as lines of highlighted text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The rendered text.
    pub text: String,
    /// Highlighted ranges, sorted, non-overlapping; text not covered is Plain.
    pub spans: Vec<Span>,
    /// Byte offset in `text` where each display line starts (first is 0; there
    /// is always at least one line, even for empty text). Lines are split at
    /// `'\n'` (the `'\n'` itself is not part of the line's visible content) and
    /// hard-wrapped at [`MAX_LINE_CHARS`] chars on a char boundary.
    pub line_starts: Vec<u32>,
    /// How many input bytes are represented in `text` (== total when nothing
    /// was cut).
    pub shown_bytes: usize,
    /// Total payload size in bytes.
    pub total_bytes: usize,
    /// A message for the user when the payload was not shown as asked, e.g.
    /// "Not valid JSON: expected ',' or '}' at line 3, column 7 (byte 41);
    /// shown as text". `None` otherwise.
    pub note: Option<String>,
}

impl Rendered {
    /// Builds a `Rendered` from text and spans, computing the display line
    /// starts. Spans must be sorted, non-overlapping and on char boundaries.
    #[must_use]
    pub fn new(text: String, spans: Vec<Span>, shown_bytes: usize, total_bytes: usize, note: Option<String>) -> Self {
        let line_starts = line_starts(&text);
        Rendered {
            text,
            spans,
            line_starts,
            shown_bytes,
            total_bytes,
            note,
        }
    }

    /// Number of display lines (at least 1).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len().max(1)
    }

    /// Byte range in `text` of the visible content of line `i` (without the
    /// trailing `'\n'`), or `None` when `i` is out of range.
    fn line_range(&self, i: usize) -> Option<(usize, usize)> {
        let start = *self.line_starts.get(i)? as usize;
        let mut end = self.line_starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        Some((start, end.max(start)))
    }

    /// The visible text of line `i` (without trailing `'\n'`); `""` for an
    /// out-of-range `i`.
    #[must_use]
    pub fn line_text(&self, i: usize) -> &str {
        self.line_range(i).and_then(|(s, e)| self.text.get(s..e)).unwrap_or("")
    }

    /// The visible text of line `i` (without trailing `'\n'`), and the spans
    /// clipped to it with offsets relative to the line start. Returns
    /// `("", vec![])` for an out-of-range `i`.
    #[must_use]
    pub fn line(&self, i: usize) -> (&str, Vec<Span>) {
        let Some((start, end)) = self.line_range(i) else {
            return ("", Vec::new());
        };
        let text = self.text.get(start..end).unwrap_or("");
        let (start, end) = (to_u32(start), to_u32(end));
        let first = self.spans.partition_point(|s| s.end <= start);
        let spans = self
            .spans
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|s| s.start < end)
            .filter_map(|s| {
                let a = s.start.max(start);
                let b = s.end.min(end);
                (a < b).then(|| Span {
                    start: a - start,
                    end: b - start,
                    kind: s.kind,
                })
            })
            .collect();
        (text, spans)
    }

    /// True when part of the payload is not shown (`shown_bytes < total_bytes`).
    #[must_use]
    pub fn is_cut(&self) -> bool {
        self.shown_bytes < self.total_bytes
    }
}

/// Renders `bytes` in `format`, looking at no more than `limit_bytes` of input
/// (the rest is cut, and [`Rendered::shown_bytes`] says how much was shown): the payload
/// decoded in `format` (see [`formats`]) and rendered from that. A payload that is not in the
/// format is shown as text (JSON) or hex (the decoders), and [`Rendered::note`] says why.
#[must_use]
pub fn render(bytes: &[u8], format: Format, limit_bytes: usize) -> Rendered {
    format.decode_bytes(bytes).render(limit_bytes)
}

/// Converts a text offset to `u32`. Rendered text is capped at
/// [`MAX_TEXT_BYTES`], so this never saturates in practice.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Appends a span, merging it into the previous one when they touch and have
/// the same kind. Empty spans are ignored.
#[inline]
fn push_span(spans: &mut Vec<Span>, start: usize, end: usize, kind: TokenKind) {
    if start >= end {
        return;
    }
    let (start, end) = (to_u32(start), to_u32(end));
    if let Some(last) = spans.last_mut()
        && last.end == start
        && last.kind == kind
    {
        last.end = end;
        return;
    }
    spans.push(Span { start, end, kind });
}

/// Display line starts of `text`: split at `'\n'`, wrapped at
/// [`MAX_LINE_CHARS`] chars.
fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    let mut line_start = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b == b'\n' {
            wrap(text.as_bytes(), line_start, i, &mut starts);
            starts.push(to_u32(i + 1));
            line_start = i + 1;
        }
    }
    wrap(text.as_bytes(), line_start, text.len(), &mut starts);
    starts
}

/// Pushes the wrap points of the line `text[start..end]` (which holds no
/// `'\n'`) into `starts`.
#[inline]
fn wrap(text: &[u8], start: usize, end: usize, starts: &mut Vec<u32>) {
    // A line of at most MAX_LINE_CHARS bytes cannot hold more chars than that.
    if end.saturating_sub(start) <= MAX_LINE_CHARS {
        return;
    }
    let line = text.get(start..end).unwrap_or_default();
    let mut chars = 0;
    for (offset, &b) in line.iter().enumerate() {
        // Count chars by their first byte (anything but a continuation byte).
        if b & 0xC0 != 0x80 {
            if chars == MAX_LINE_CHARS {
                starts.push(to_u32(start + offset));
                chars = 0;
            }
            chars += 1;
        }
    }
}

#[cfg(test)]
mod tests;
