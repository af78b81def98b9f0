//! The pretty-printer: a sink that writes indented JSON and its highlight spans.

#[allow(clippy::wildcard_imports)]
use super::*;

#[derive(Default)]
pub(super) struct Pretty {
    pub(super) out: Vec<u8>,
    pub(super) spans: Vec<Span>,
    /// Display line starts, kept up to date as lines are written.
    pub(super) lines: Vec<u32>,
    pub(super) depth: usize,
    /// A line break is due before the next token (after `{`, `[` or `,`).
    pub(super) pending_break: bool,
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
    pub(super) fn end_line(&mut self) {
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
