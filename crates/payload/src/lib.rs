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
mod tests {
    use super::*;

    #[test]
    fn detects_huge_payloads_from_their_start() {
        let mut json = b"{\"items\":[".to_vec();
        while json.len() < 10_000 {
            json.extend_from_slice("{\"name\":\"é\",\"v\":12.5},".as_bytes());
        }
        for limit in 100..140 {
            assert_eq!(detect_prefix(&json, limit), Format::JSON, "cut at {limit}");
        }
        let text = "température ".repeat(1000);
        for limit in 100..110 {
            assert_eq!(detect_prefix(text.as_bytes(), limit), Format::TEXT, "cut at {limit}");
        }
        let broken = b"{\"a\":1}} and more text that goes on".repeat(10);
        assert_eq!(detect_prefix(&broken, 30), Format::TEXT);
        assert_eq!(detect_prefix(&[0u8; 100], 10), Format::HEX);
        assert_eq!(detect_prefix(b"{\"a\":1}", 1000), Format::JSON);
    }

    #[test]
    fn format_labels() {
        let labels: Vec<_> = formats::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(
            labels,
            ["JSON", "Text", "Hex", "Base64", "MessagePack", "CBOR", "Sparkplug B"]
        );
    }

    #[test]
    fn sparkplug_topics_are_detected_as_sparkplug_b() {
        let protobuf = [0x08, 0x01, 0x18, 0x03]; // timestamp 1, seq 3
        let topic = "spBv1.0/group/DDATA/edge/device";
        assert_eq!(detect_for_topic(topic, &protobuf, 1000), Format::SPARKPLUG_B);
        assert_eq!(
            detect_for_topic("spBv1.0/group/NBIRTH/edge", b"{}", 1000),
            Format::SPARKPLUG_B
        );
        // A host application's state is JSON (Sparkplug 3.0) or text (before), never protobuf.
        let state = br#"{"online": true, "timestamp": 1700000000000}"#;
        assert_eq!(detect_for_topic("spBv1.0/STATE/host", state, 1000), Format::JSON);
        assert_eq!(detect_for_topic("spBv1.0/STATE/host", b"ONLINE", 1000), Format::TEXT);
        // An empty payload (a cleared retained message) has nothing to decode.
        assert_eq!(detect_for_topic(topic, b"", 1000), Format::TEXT);
        assert_eq!(
            detect_for_topic("spAv1.0/group/DDATA/edge", &protobuf, 1000),
            Format::HEX
        );
        assert_eq!(detect_for_topic("sensors/spBv1.0/x", b"21.5", 1000), Format::TEXT);
    }

    #[test]
    fn detects_formats() {
        assert_eq!(detect(br#"{"a":1}"#), Format::JSON);
        assert_eq!(detect(b" \r\n\t[1, 2, {\"x\": null}] \n"), Format::JSON);
        assert_eq!(detect(b"\xEF\xBB\xBF {\"a\": []}"), Format::JSON);
        assert_eq!(detect(b"[]"), Format::JSON);
        assert_eq!(detect(br#"{"a":}"#), Format::TEXT);
        assert_eq!(detect(b"{\"a\":1} trailing"), Format::TEXT);
        assert_eq!(detect(b"21.5"), Format::TEXT);
        assert_eq!(detect(b"\"just a string\""), Format::TEXT);
        assert_eq!(detect(b"true"), Format::TEXT);
        assert_eq!(detect(b""), Format::TEXT);
        assert_eq!(detect(b"hello\r\nworld\t\xC3\xA9"), Format::TEXT);
        assert_eq!(detect(b"\xEF\xBB\xBFhello"), Format::TEXT);
        assert_eq!(detect(b"\xff\xfe"), Format::HEX);
        assert_eq!(detect(b"ab\xC3"), Format::HEX);
        assert_eq!(detect(b"a\0b"), Format::HEX);
        assert_eq!(detect(b"\x1f\x8b\x08\x00"), Format::HEX);
        assert_eq!(detect(b"bell\x07"), Format::HEX);
        assert_eq!(detect(b"c1 \xC2\x85"), Format::HEX);
        assert_eq!(detect(b"{\"a\":\"\xff\"}"), Format::HEX);
        assert_eq!(detect(b"{\"a\":\"\0\"}"), Format::HEX);
    }

    #[test]
    fn empty_text_has_one_line() {
        let r = render(b"", Format::TEXT, 100);
        assert_eq!(r.line_starts, [0]);
        assert_eq!(r.line_count(), 1);
        assert_eq!(r.line(0), ("", Vec::new()));
        assert!(!r.is_cut());
    }

    #[test]
    fn wraps_long_lines_on_char_boundaries() {
        let mut s = "é".repeat(2500);
        s.push('\n');
        s.push_str(&"a".repeat(MAX_LINE_CHARS));
        s.push_str("\nx");
        let r = Rendered::new(s, Vec::new(), 0, 0, None);
        let lens: Vec<usize> = (0..r.line_count()).map(|i| r.line_text(i).chars().count()).collect();
        assert_eq!(lens, [1000, 1000, 500, 1000, 1]);
        for &start in &r.line_starts {
            assert!(r.text.is_char_boundary(start as usize));
        }
        assert_eq!(r.line_text(2), "é".repeat(500));
        assert_eq!(r.line_text(4), "x");
    }

    fn span(start: u32, end: u32, kind: TokenKind) -> Span {
        Span { start, end, kind }
    }

    #[test]
    fn line_clips_spans() {
        let spans = vec![span(1, 6, TokenKind::Key), span(6, 7, TokenKind::Punct)];
        let r = Rendered::new("abc\ndef\n".to_owned(), spans, 8, 8, None);
        assert_eq!(r.line_count(), 3);
        assert_eq!(r.line(0), ("abc", vec![span(1, 3, TokenKind::Key)]));
        let both = vec![span(0, 2, TokenKind::Key), span(2, 3, TokenKind::Punct)];
        assert_eq!(r.line(1), ("def", both));
        assert_eq!(r.line(2), ("", Vec::new()));
        assert_eq!(r.line(3), ("", Vec::new()));
        assert_eq!(r.line_text(99), "");
        // A span running over a wrap point is split between the two lines.
        let long = "x".repeat(MAX_LINE_CHARS + 10);
        let r = Rendered::new(long, vec![span(995, 1005, TokenKind::String)], 0, 0, None);
        assert_eq!(r.line(0).1, [span(995, 1000, TokenKind::String)]);
        assert_eq!(r.line(1).1, [span(0, 5, TokenKind::String)]);
    }

    #[test]
    fn push_span_merges_neighbours() {
        let mut spans = Vec::new();
        push_span(&mut spans, 0, 1, TokenKind::Punct);
        push_span(&mut spans, 1, 2, TokenKind::Punct);
        push_span(&mut spans, 2, 2, TokenKind::Key);
        push_span(&mut spans, 3, 4, TokenKind::Punct);
        assert_eq!(spans, [span(0, 2, TokenKind::Punct), span(3, 4, TokenKind::Punct)]);
    }

    #[test]
    fn render_json_falls_back_with_note() {
        let r = render(b"{\"a\" 1}", Format::JSON, 100);
        assert_eq!(r.text, "{\"a\" 1}");
        assert_eq!(
            r.note.as_deref(),
            Some("Not valid JSON: expected ':' at line 1, column 6 (byte 5); shown as text")
        );
        let r = render(b"[1]", Format::JSON, 100);
        assert_eq!(r.text, "[\n  1\n]");
        assert_eq!(r.note, None);
    }
}
