//! Streaming JSON validation and pretty-printing.
//!
//! A single iterative (non-recursive) parser drives both [`validate`] and
//! [`render`], so arbitrarily deep nesting cannot overflow the stack. Tokens
//! are copied verbatim: key order, number spelling and string escapes are kept
//! exactly as in the input.

use std::fmt;

use super::{MAX_TEXT_BYTES, Rendered, Span, TokenKind, push_span, to_u32, wrap};

/// The UTF-8 byte order mark, skipped at the start of a JSON payload.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Indentation stops growing beyond this nesting depth, so the output size
/// stays linear in the input size.
pub const MAX_INDENT_LEVELS: usize = 64;

const INDENT: &[u8] = &[b' '; 2 * MAX_INDENT_LEVELS];

/// Where and why a payload is not valid JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// What went wrong, e.g. "expected ',' or '}'".
    pub message: String,
    /// Byte offset of the error in the payload (0-based).
    pub byte: usize,
    /// Line of the error (1-based).
    pub line: usize,
    /// Column of the error in chars (1-based).
    pub column: usize,
    /// Whether the input ended where more was needed (a cut document, not a broken one).
    pub at_end: bool,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column, byte) = (self.line, self.column, self.byte);
        write!(f, "{} at line {line}, column {column} (byte {byte})", self.message)
    }
}

impl std::error::Error for JsonError {}

/// Checks that the whole of `bytes` (an optional UTF-8 BOM allowed) is one
/// valid JSON value. A linear scan that allocates only for its nesting stack
/// (one bit per level).
///
/// # Errors
/// Returns where and why the payload is not valid JSON.
pub fn validate(bytes: &[u8]) -> Result<(), JsonError> {
    parse(bytes, false, &mut NoSink)
        .map(|_| ())
        .map_err(|stop| stop.locate(bytes))
}

/// Whether the whole of `bytes` is one valid JSON value: [`validate`]
/// without working out where an error is.
#[must_use]
pub fn is_valid(bytes: &[u8]) -> bool {
    parse(bytes, false, &mut NoSink).is_ok()
}

/// Pretty-prints `bytes` as JSON with 2-space indentation (capped at
/// [`MAX_INDENT_LEVELS`] levels), looking at no more than `limit_bytes` (and
/// [`MAX_TEXT_BYTES`]` / 2`) of input. Spans mark keys, strings, numbers,
/// booleans, null and punctuation; an optional UTF-8 BOM is skipped.
///
/// When the limit cuts the payload, everything up to the last complete token
/// before the limit is rendered and [`Rendered::shown_bytes`] ends there; the
/// part beyond the limit is not validated.
///
/// # Errors
/// Returns where and why the (shown part of the) payload is not valid JSON.
pub fn render(bytes: &[u8], limit_bytes: usize) -> Result<Rendered, JsonError> {
    // Capping the input at half the output cap keeps even a single huge token
    // within the `u32` offsets of `Rendered`.
    let input = bytes.get(..limit_bytes.min(MAX_TEXT_BYTES / 2)).unwrap_or(bytes);
    let truncated = input.len() < bytes.len();
    let mut sink = Pretty {
        out: Vec::with_capacity(input.len() + input.len() / 2),
        lines: vec![0],
        ..Pretty::default()
    };
    let shown = parse(input, truncated, &mut sink).map_err(|stop| stop.locate(bytes))?;
    sink.end_line();
    // Every copied token was checked to be valid UTF-8 by the parser, so the
    // fallback is never taken.
    let text = match String::from_utf8(sink.out) {
        Ok(text) => text,
        Err(e) => {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Ok(Rendered::new(text, Vec::new(), shown, bytes.len(), None));
        }
    };
    Ok(Rendered {
        text,
        spans: sink.spans,
        line_starts: sink.lines,
        shown_bytes: shown,
        total_bytes: bytes.len(),
        note: None,
    })
}

/// Receives the tokens of a JSON document in order.
trait Sink {
    /// Takes one token and its raw input bytes.
    fn token(&mut self, step: Step, raw: &[u8]);
    /// True when no more output is wanted; parsing then stops.
    fn full(&self) -> bool;
}

/// Validation only.
struct NoSink;

impl Sink for NoSink {
    fn token(&mut self, _step: Step, _raw: &[u8]) {}
    fn full(&self) -> bool {
        false
    }
}

/// Pretty-printer output.
#[derive(Default)]
struct Pretty {
    out: Vec<u8>,
    spans: Vec<Span>,
    /// Display line starts, kept up to date as lines are written.
    lines: Vec<u32>,
    depth: usize,
    /// A line break is due before the next token (after `{`, `[` or `,`).
    pending_break: bool,
}

impl Pretty {
    fn newline(&mut self) {
        self.end_line();
        self.out.push(b'\n');
        self.lines.push(to_u32(self.out.len()));
        let width = 2 * self.depth.min(MAX_INDENT_LEVELS);
        self.out.extend_from_slice(INDENT.get(..width).unwrap_or(INDENT));
    }

    /// Adds the wrap points of the current line, if it is too long.
    fn end_line(&mut self) {
        let start = self.lines.last().map_or(0, |&s| s as usize);
        wrap(&self.out, start, self.out.len(), &mut self.lines);
    }
}

impl Sink for Pretty {
    #[expect(
        clippy::inline_always,
        reason = "each call site passes a constant step; inlining folds the match away"
    )]
    #[inline(always)]
    fn token(&mut self, step: Step, raw: &[u8]) {
        // A pending break is followed by a value, a key or (for `{}` and `[]`)
        // the closing bracket; never by `,` or `:`.
        let pending = std::mem::take(&mut self.pending_break);
        if matches!(step, Step::Close) {
            self.depth = self.depth.saturating_sub(1);
            if !pending {
                self.newline();
            }
        } else if pending {
            self.newline();
        }
        let start = self.out.len();
        self.out.extend_from_slice(raw);
        let kind = match step {
            Step::Scalar(kind) => kind,
            _ => TokenKind::Punct,
        };
        push_span(&mut self.spans, start, self.out.len(), kind);
        match step {
            Step::Open => {
                self.depth += 1;
                self.pending_break = true;
            }
            Step::Comma => self.pending_break = true,
            Step::Colon => self.out.push(b' '),
            Step::Close | Step::Scalar(..) => {}
        }
    }

    fn full(&self) -> bool {
        self.out.len() >= MAX_TEXT_BYTES
    }
}

/// Nesting stack, one bit per level (set = object).
#[derive(Default)]
struct Stack {
    words: Vec<u64>,
    depth: usize,
}

impl Stack {
    fn push(&mut self, object: bool) {
        let (word, bit) = (self.depth / 64, self.depth % 64);
        if word == self.words.len() {
            self.words.push(0);
        }
        if let Some(w) = self.words.get_mut(word) {
            *w = (*w & !(1 << bit)) | (u64::from(object) << bit);
        }
        self.depth += 1;
    }

    /// Whether the innermost container is an object; `None` at top level.
    fn top(&self) -> Option<bool> {
        let d = self.depth.checked_sub(1)?;
        Some(self.words.get(d / 64)? & (1 << (d % 64)) != 0)
    }
}

/// Why parsing stopped, before the position is turned into line and column.
struct Stop {
    at: usize,
    message: &'static str,
    /// The input ended where more was needed.
    at_end: bool,
}

impl Stop {
    fn new(at: usize, message: &'static str, at_end: bool) -> Self {
        Stop { at, message, at_end }
    }

    fn locate(self, bytes: &[u8]) -> JsonError {
        let before = bytes.get(..self.at).unwrap_or(bytes);
        let message = if self.at_end && self.message.starts_with("expected") {
            format!("unexpected end of input, {}", self.message)
        } else {
            self.message.to_owned()
        };
        #[expect(clippy::naive_bytecount, reason = "this form vectorizes well enough")]
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let mut current = before.rsplit(|&b| b == b'\n').next().unwrap_or_default();
        if line == 1 {
            current = current.strip_prefix(BOM).unwrap_or(current);
        }
        JsonError {
            message,
            byte: before.len(),
            line,
            column: 1 + current.iter().filter(|&&b| b & 0xC0 != 0x80).count(),
            at_end: self.at_end,
        }
    }
}

/// A token handed to a [`Sink`].
#[derive(Clone, Copy)]
enum Step {
    /// `{` or `[`.
    Open,
    /// `}` or `]`.
    Close,
    Comma,
    Colon,
    /// A key, string, number or literal.
    Scalar(TokenKind),
}

/// Parser state; the grammar position is encoded in the control flow of
/// [`Parser::run`].
struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
    /// Start of the token being parsed: where a cut input stops.
    token: usize,
    stack: Stack,
    /// Whether the innermost open container is an object.
    in_object: bool,
}

/// Parses one JSON value from `input`, feeding its tokens to `sink`.
///
/// Returns how many bytes were consumed: all of `input` for a complete
/// document. When `truncated` is set, running out of input is not an error:
/// parsing stops at the start of the incomplete token and returns its offset.
fn parse<S: Sink>(input: &[u8], truncated: bool, sink: &mut S) -> Result<usize, Stop> {
    let pos = if input.starts_with(BOM) {
        BOM.len()
    } else if truncated && BOM.starts_with(input) {
        return Ok(0); // The cut falls inside the BOM.
    } else {
        0
    };
    let mut parser = Parser {
        input,
        pos,
        token: pos,
        stack: Stack::default(),
        in_object: false,
    };
    match parser.run(sink, truncated) {
        Err(err) if err.at_end && truncated => Ok(parser.token),
        result => result,
    }
}

impl Parser<'_> {
    fn run<S: Sink>(&mut self, sink: &mut S, truncated: bool) -> Result<usize, Stop> {
        let mut first_in_array = false;
        'value: loop {
            let b = self.skip_whitespace();
            if sink.full() {
                return Ok(self.pos);
            }
            let kind = match b {
                Some(open @ (b'{' | b'[')) => {
                    let object = open == b'{';
                    self.emit(sink, Step::Open, self.pos + 1);
                    self.stack.push(object);
                    self.in_object = object;
                    let close = if object { b'}' } else { b']' };
                    if self.skip_whitespace() != Some(close) {
                        if object {
                            self.key(sink, "expected a string key or '}'")?;
                        }
                        first_in_array = !object;
                        continue 'value;
                    }
                    self.close(sink);
                    None
                }
                Some(b'"') => Some(TokenKind::String),
                Some(b't' | b'f') => Some(TokenKind::Bool),
                Some(b'n') => Some(TokenKind::Null),
                Some(b'-' | b'0'..=b'9') => Some(TokenKind::Number),
                _ if first_in_array => return Err(self.fail("expected a value or ']'")),
                _ => return Err(self.fail("expected a value")),
            };
            if let Some(kind) = kind {
                let end = match kind {
                    TokenKind::String => scan_string(self.input, self.pos)?,
                    TokenKind::Number => scan_number(self.input, self.pos, truncated)?,
                    _ => self.literal()?,
                };
                self.emit(sink, Step::Scalar(kind), end);
            }
            first_in_array = false;
            // After a value: `,`, a closing bracket or the end of input.
            loop {
                let b = self.skip_whitespace();
                if self.stack.depth == 0 {
                    return match b {
                        None => Ok(self.pos),
                        Some(_) => Err(self.fail("expected end of input")),
                    };
                }
                if sink.full() {
                    return Ok(self.pos);
                }
                match (b, self.in_object) {
                    (Some(b','), object) => {
                        self.emit(sink, Step::Comma, self.pos + 1);
                        if object {
                            self.key(sink, "expected a string key")?;
                        }
                        continue 'value;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => self.close(sink),
                    (_, true) => return Err(self.fail("expected ',' or '}'")),
                    (_, false) => return Err(self.fail("expected ',' or ']'")),
                }
            }
        }
    }

    /// Skips whitespace; the next token starts there. Returns its first byte.
    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(&b) = self.input.get(self.pos) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.pos += 1;
        }
        self.token = self.pos;
        self.input.get(self.pos).copied()
    }

    fn fail(&self, message: &'static str) -> Stop {
        Stop::new(self.pos, message, self.pos >= self.input.len())
    }

    /// Hands `input[pos..end]` to the sink as `step` and moves past it.
    #[expect(clippy::inline_always, reason = "keeps the step constant for `Sink::token`")]
    #[inline(always)]
    fn emit<S: Sink>(&mut self, sink: &mut S, step: Step, end: usize) {
        sink.token(step, self.input.get(self.pos..end).unwrap_or_default());
        self.pos = end;
    }

    fn close<S: Sink>(&mut self, sink: &mut S) {
        self.emit(sink, Step::Close, self.pos + 1);
        self.stack.depth = self.stack.depth.saturating_sub(1);
        self.in_object = self.stack.top() == Some(true);
    }

    /// Parses an object key and the `:` after it.
    fn key<S: Sink>(&mut self, sink: &mut S, message: &'static str) -> Result<(), Stop> {
        if self.skip_whitespace() != Some(b'"') {
            return Err(self.fail(message));
        }
        let end = scan_string(self.input, self.pos)?;
        self.emit(sink, Step::Scalar(TokenKind::Key), end);
        if self.skip_whitespace() != Some(b':') {
            return Err(self.fail("expected ':'"));
        }
        self.emit(sink, Step::Colon, self.pos + 1);
        Ok(())
    }

    /// Scans `true`, `false` or `null`, returning its end.
    fn literal(&self) -> Result<usize, Stop> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        for word in [&b"true"[..], b"false", b"null"] {
            if rest.starts_with(word) {
                return Ok(self.pos + word.len());
            }
            if word.starts_with(rest) {
                return Err(Stop::new(self.pos, "expected a value", true));
            }
        }
        Err(Stop::new(self.pos, "expected a value", false))
    }
}

/// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at `start`,
/// returning its end. In a `truncated` input, a number that reaches the end
/// may go on beyond it, so it counts as incomplete.
fn scan_number(input: &[u8], start: usize, truncated: bool) -> Result<usize, Stop> {
    let digits = |p: usize, message| {
        let rest = input.get(p..).unwrap_or_default();
        match rest.iter().take_while(|b| b.is_ascii_digit()).count() {
            0 => Err(Stop::new(p, message, rest.is_empty())),
            n => Ok(p + n),
        }
    };
    let mut p = start;
    if input.get(p) == Some(&b'-') {
        p += 1;
    }
    p = if input.get(p) == Some(&b'0') {
        p + 1
    } else {
        digits(p, "expected a digit")?
    };
    if input.get(p) == Some(&b'.') {
        p = digits(p + 1, "expected a digit after '.'")?;
    }
    if matches!(input.get(p), Some(b'e' | b'E')) {
        p += 1;
        if matches!(input.get(p), Some(b'+' | b'-')) {
            p += 1;
        }
        p = digits(p, "expected a digit in the exponent")?;
    }
    if truncated && p == input.len() {
        return Err(Stop::new(p, "expected a digit", true));
    }
    Ok(p)
}

/// The offset of the first `"`, `\` or control char at or after `p`,
/// checked eight bytes at a time. Clears `ascii` if a non-ASCII byte is passed.
fn find_string_special(input: &[u8], mut p: usize, ascii: &mut bool) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // High bit set in each byte that is zero. Borrows only run upwards, so the
    // lowest set bit always marks the first such byte.
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    while let Some(chunk) = input.get(p..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*chunk);
        let special = x.wrapping_sub(ONES * 0x20) & !x & HIGH // bytes < 0x20
            | zero_bytes(x ^ (ONES * u64::from(b'"')))
            | zero_bytes(x ^ (ONES * u64::from(b'\\')));
        if special != 0 {
            let skipped = special.trailing_zeros() / 8;
            *ascii &= x & HIGH & ((1 << (8 * skipped)) - 1) == 0;
            return p + skipped as usize;
        }
        *ascii &= x & HIGH == 0;
        p += 8;
    }
    let rest = input.get(p..).unwrap_or_default();
    let found = rest.iter().position(|&b| {
        *ascii &= b < 0x80;
        b < 0x20 || b == b'"' || b == b'\\'
    });
    p + found.unwrap_or(rest.len())
}

/// Scans the string whose opening quote is at `start`, returning the offset
/// just past its closing quote. Checks escapes and UTF-8.
fn scan_string(input: &[u8], start: usize) -> Result<usize, Stop> {
    let unterminated = || Stop::new(start, "unterminated string", true);
    let mut p = start + 1;
    let mut ascii = true;
    loop {
        p = find_string_special(input, p, &mut ascii);
        match input.get(p) {
            None => return Err(unterminated()),
            Some(b'"') => break,
            Some(b'\\') => match input.get(p + 1) {
                None => return Err(unterminated()),
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => p += 2,
                Some(b'u') => {
                    for k in p + 2..p + 6 {
                        match input.get(k) {
                            None => return Err(unterminated()),
                            Some(h) if h.is_ascii_hexdigit() => {}
                            Some(_) => return Err(Stop::new(k, "expected a hex digit", false)),
                        }
                    }
                    p += 6;
                }
                Some(_) => return Err(Stop::new(p, "invalid escape in string", false)),
            },
            Some(_) => return Err(Stop::new(p, "control character in string", false)),
        }
    }
    let content = input.get(start + 1..p).unwrap_or_default();
    if !ascii && let Err(e) = std::str::from_utf8(content) {
        let at = start + 1 + e.valid_up_to();
        return Err(Stop::new(at, "invalid UTF-8 in string", false));
    }
    Ok(p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(json: &str) -> String {
        match render(json.as_bytes(), usize::MAX) {
            Ok(r) => r.text,
            Err(e) => panic!("{json:?}: {e}"),
        }
    }

    #[test]
    fn keeps_key_order_and_number_spelling() {
        let json = r#"{"b":1,"a":[1.50e3,-0,0.5E-7,true,false,null],"c":{},"d":[ ],"e":[{}]}"#;
        let expected = "{\n  \"b\": 1,\n  \"a\": [\n    1.50e3,\n    -0,\n    0.5E-7,\n    \
                        true,\n    false,\n    null\n  ],\n  \"c\": {},\n  \"d\": [],\n  \
                        \"e\": [\n    {}\n  ]\n}";
        assert_eq!(pretty(json), expected);
        assert_eq!(pretty("\u{feff} 7 "), "7");
        assert_eq!(pretty("\u{feff}[]"), "[]");
    }

    #[test]
    fn keeps_strings_verbatim() {
        let json = r#"["a\"b\\n\u00e9\/", "héllo ✓ 😀", {"k\u0041": ""}]"#;
        let expected = "[\n  \"a\\\"b\\\\n\\u00e9\\/\",\n  \"héllo ✓ 😀\",\n  {\n    \
                        \"k\\u0041\": \"\"\n  }\n]";
        assert_eq!(pretty(json), expected);
    }

    #[test]
    fn highlights_tokens() {
        let r = render(br#"{"k": ["s", 1, true, null]}"#, 100).expect("valid");
        let spans: Vec<String> = r
            .spans
            .iter()
            .map(|s| format!("{:?}:{}", s.kind, &r.text[s.start as usize..s.end as usize]))
            .collect();
        let expected = "Punct:{ Key:\"k\" Punct:: Punct:[ String:\"s\" Punct:, Number:1 \
                        Punct:, Bool:true Punct:, Null:null Punct:] Punct:}";
        assert_eq!(spans.join(" "), expected);
    }

    #[test]
    fn tracks_line_starts_while_printing() {
        let long = format!(r#"{{"k": ["{}", "é{}", 1]}}"#, "x".repeat(2500), "é".repeat(999));
        let r = render(long.as_bytes(), usize::MAX).expect("valid");
        let again = Rendered::new(r.text.clone(), Vec::new(), 0, 0, None);
        assert_eq!(r.line_starts, again.line_starts);
        assert_eq!(r.line_count(), 10);
        assert_eq!(r.line_text(3).len(), 1000);
    }

    #[test]
    fn reports_error_positions() {
        let at = |json: &str| match validate(json.as_bytes()) {
            Ok(()) => panic!("{json:?} should be invalid"),
            Err(e) => (e.message, e.line, e.column, e.byte),
        };
        let json = "{\n  \"a\": 1,\n  \"b\" 2\n}";
        let e = validate(json.as_bytes()).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("expected ':' at line 3, column 7 (byte 18)"));
        let cases = [
            ("[1, 2,]", "expected a value", 7, 6),
            ("[\n  1 }", "expected ',' or ']'", 5, 6),
            ("{\"é\": 1 2}", "expected ',' or '}'", 9, 9),
            ("{} x", "expected end of input", 4, 3),
            ("{1:2}", "expected a string key or '}'", 2, 1),
            ("[}", "expected a value or ']'", 2, 1),
            ("", "unexpected end of input, expected a value", 1, 0),
            ("{\"a\":1,", "unexpected end of input, expected a string key", 8, 7),
            ("[\"ab", "unterminated string", 2, 1),
            ("[01]", "expected ',' or ']'", 3, 2),
            ("[1.]", "expected a digit after '.'", 4, 3),
            ("[1e+]", "expected a digit in the exponent", 5, 4),
            ("[-]", "expected a digit", 3, 2),
            ("[tru]", "expected a value", 2, 1),
            ("[\"\\x\"]", "invalid escape in string", 3, 2),
            ("[\"\\u12g4\"]", "expected a hex digit", 7, 6),
            ("[\"a\tb\"]", "control character in string", 4, 3),
        ];
        for (json, message, column, byte) in cases {
            let line = 1 + json.matches('\n').count();
            assert_eq!(at(json), (message.to_owned(), line, column, byte), "{json:?}");
        }
        assert_eq!(validate(b"[\"\xC3\xA9\xff\"]").err().map(|e| e.byte), Some(4));
        let e = validate(b"\xEF\xBB\xBF[1 2]").err().map(|e| (e.column, e.byte));
        assert_eq!(e, Some((4, 6)));
    }
    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let r = render(json.as_bytes(), usize::MAX).expect("valid");
        assert_eq!(r.line_count(), 2 * depth - 1);
        let widest = (0..r.line_count()).map(|i| r.line_text(i).len()).max();
        assert_eq!(widest, Some(2 * MAX_INDENT_LEVELS + 2));
        let deeper = 1_000_000;
        let json = format!("{}0{}", "[{\"a\":".repeat(deeper), "}]".repeat(deeper));
        assert!(validate(json.as_bytes()).is_ok());
        assert!(validate(&json.as_bytes()[..json.len() - 1]).is_err());
    }

    #[test]
    fn limit_cuts_at_token_boundary() {
        let json = br#"{"a": [1, 2, 345], "b": "xyz"}"#;
        let two = "{\n  \"a\": [\n    1,\n    2,";
        let b = "{\n  \"a\": [\n    1,\n    2,\n    345\n  ],\n  \"b\": ";
        // (limit, text, shown): "345" touching the limit might go on, so it
        // is left out; so is the string cut at byte 25.
        let cases = [(0, "", 0), (12, two, 12), (16, two, 13), (25, b, 24)];
        for (limit, text, shown) in cases {
            let r = render(json, limit).expect("valid prefix");
            let got = (r.text.as_str(), r.shown_bytes, r.is_cut(), r.note);
            assert_eq!(got, (text, shown, true, None), "limit {limit}");
        }
        let r = render(json, 17).expect("valid prefix");
        assert!(r.text.ends_with("345\n  ]"));
        assert!(!render(json, json.len()).expect("valid").is_cut());
        assert!(render(b"[1, x, 3]", 5).is_err());
        let r = render(b"\xEF\xBB\xBF[1]", 2).expect("cut inside the BOM");
        assert_eq!((r.text.as_str(), r.shown_bytes), ("", 0));
    }
}
