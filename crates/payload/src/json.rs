//! Streaming JSON validation and pretty-printing.
//!
//! A single iterative (non-recursive) parser drives both [`validate`] and
//! [`render`], so arbitrarily deep nesting cannot overflow the stack. Tokens
//! are copied verbatim: key order, number spelling and string escapes are kept
//! exactly as in the input.

mod pretty;
mod scan;

use pretty::Pretty;
use scan::{scan_number, scan_string};

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

#[cfg(test)]
mod tests;
