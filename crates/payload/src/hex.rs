//! Hex dump lines, in the layout of `hexdump -C`:
//!
//! ```text
//! 00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 ff 7f 80  |Hello world.....|
//! ```
//!
//! Lines are produced one at a time so a UI can virtualize a dump of any size.

use std::fmt::Write as _;

use super::{MAX_TEXT_BYTES, Rendered, TokenKind, push_span};

/// Payload bytes shown on one hex dump line of [`line()`] and [`render`].
pub const BYTES_PER_LINE: usize = 16;

/// Length of the part of a 16-byte line between the offset and the ASCII column:
/// two spaces, 16 × "xx ", one extra space after the 8th byte and one more
/// before the `|`.
const HEX_COLUMNS: usize = 2 + 3 * BYTES_PER_LINE + 1 + 1;

/// The bytes per line a view may choose from to fit its width, widest first.
pub const WIDTHS: [usize; 4] = [32, 16, 8, 4];

/// Length of the offset column.
const OFFSET_CHARS: usize = 8;

/// Where things are on a hex dump line of a given number of bytes: an offset, the bytes in
/// groups of 8 (an extra space between groups), and the ASCII column between `|`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    per_line: usize,
}

impl Columns {
    /// Lines of `per_line` bytes (at least 1).
    #[must_use]
    pub fn new(per_line: usize) -> Self {
        Self {
            per_line: per_line.max(1),
        }
    }

    /// The widest of [`WIDTHS`] whose lines take at most `chars` characters; the narrowest
    /// when none does.
    #[must_use]
    pub fn fitting(chars: usize) -> Self {
        WIDTHS
            .iter()
            .map(|&n| Self::new(n))
            .find(|c| c.line_chars() <= chars)
            .unwrap_or(Self::new(WIDTHS[WIDTHS.len() - 1]))
    }

    /// Bytes per line.
    #[must_use]
    pub fn per_line(self) -> usize {
        self.per_line
    }

    /// Number of lines for a payload of `len` bytes (at least 1).
    #[must_use]
    pub fn line_count(self, len: usize) -> usize {
        len.div_ceil(self.per_line).max(1)
    }

    /// The character (and byte) index in a line of the first hex digit of its `j`-th byte.
    #[must_use]
    pub fn hex_at(self, j: usize) -> usize {
        OFFSET_CHARS + 2 + 3 * j + j / 8
    }

    /// The index in a line of its first ASCII character (after the `|`).
    #[must_use]
    pub fn ascii_at(self) -> usize {
        self.hex_at(self.per_line - 1) + 3 + 2
    }

    /// The length of a full line.
    #[must_use]
    pub fn line_chars(self) -> usize {
        self.ascii_at() + self.per_line + 1
    }

    /// Appends line `i` of `bytes` to `out`, without a trailing newline; the last line is
    /// padded so its ASCII column aligns with the others. Returns the length of the offset
    /// column, or `None` (appending nothing) when `i` is out of range.
    pub fn write_line(self, out: &mut String, bytes: &[u8], i: usize) -> Option<usize> {
        if i >= self.line_count(bytes.len()) {
            return None;
        }
        let n = self.per_line;
        let start = i.checked_mul(n)?;
        let chunk = bytes.get(start..).unwrap_or_default();
        let chunk = chunk.get(..n).unwrap_or(chunk);
        let before = out.len();
        // Writing to a String cannot fail.
        write!(out, "{start:08x}").ok();
        let offset_len = out.len() - before;
        out.push_str("  ");
        for j in 0..n {
            match chunk.get(j) {
                Some(b) => {
                    write!(out, "{b:02x} ").ok();
                }
                None => out.push_str("   "),
            }
            if j % 8 == 7 && j + 1 < n {
                out.push(' ');
            }
        }
        out.push_str(" |");
        out.extend(chunk.iter().map(|&b| {
            if b == b' ' || b.is_ascii_graphic() {
                char::from(b)
            } else {
                '.'
            }
        }));
        out.push('|');
        Some(offset_len)
    }

    /// Line `i` of `bytes` (see [`Columns::write_line`]); empty when out of range.
    #[must_use]
    pub fn line(self, bytes: &[u8], i: usize) -> String {
        let mut out = String::with_capacity(self.line_chars());
        self.write_line(&mut out, bytes, i);
        out
    }
}

/// Number of hex dump lines for a payload of `len` bytes (at least 1).
#[must_use]
pub fn line_count(len: usize) -> usize {
    Columns::new(BYTES_PER_LINE).line_count(len)
}

/// Hex dump line `i`: `"00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 ff 7f 80  |Hello world.....|"`
/// — an 8-digit hex offset, two groups of 8 bytes and an ASCII column with
/// `'.'` for non-printable bytes. The last line is padded so its ASCII column
/// aligns with the others. An empty payload has one line with no bytes.
/// Out of range => empty string.
#[must_use]
pub fn line(bytes: &[u8], i: usize) -> String {
    Columns::new(BYTES_PER_LINE).line(bytes, i)
}

/// Appends hex dump line `i` of `bytes` (as [`line()`] formats it) to `out`,
/// without a trailing newline. Returns the length of the offset column, or
/// `None` (appending nothing) when `i` is out of range.
pub fn write_line(out: &mut String, bytes: &[u8], i: usize) -> Option<usize> {
    Columns::new(BYTES_PER_LINE).write_line(out, bytes, i)
}

/// The hex dump of the first `limit_bytes` bytes of `bytes` as a [`Rendered`]:
/// the lines of [`line()`] joined by `'\n'`, with the offset column marked as
/// [`TokenKind::Punct`] and the ASCII column as [`TokenKind::String`].
#[must_use]
pub fn render(bytes: &[u8], limit_bytes: usize) -> Rendered {
    // Each line of 16 bytes takes under 80 chars of text.
    let max_input = MAX_TEXT_BYTES / 80 * BYTES_PER_LINE;
    let shown = limit_bytes.min(bytes.len()).min(max_input);
    let input = bytes.get(..shown).unwrap_or_default();
    let lines = line_count(input.len());
    let mut out = String::with_capacity(lines * 80);
    let mut spans = Vec::with_capacity(lines * 2);
    for i in 0..lines {
        if i > 0 {
            out.push('\n');
        }
        let start = out.len();
        let Some(offset_len) = write_line(&mut out, input, i) else {
            break;
        };
        push_span(&mut spans, start, start + offset_len, TokenKind::Punct);
        let ascii = start + offset_len + HEX_COLUMNS + 1;
        push_span(&mut spans, ascii, out.len() - 1, TokenKind::String);
    }
    Rendered::new(out, spans, shown, bytes.len(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines() {
        assert_eq!(line_count(0), 1);
        assert_eq!(line_count(1), 1);
        assert_eq!(line_count(16), 1);
        assert_eq!(line_count(17), 2);
        assert_eq!(line_count(usize::MAX), usize::MAX / 16 + 1);
    }

    #[test]
    fn formats_full_and_partial_lines() {
        let mut bytes = vec![0u8; 16];
        bytes.extend_from_slice(b"Hello world\n\0\xff\x7f\x80");
        bytes.extend_from_slice(b"abc");
        assert_eq!(
            line(&bytes, 1),
            "00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 ff 7f 80  |Hello world.....|"
        );
        let last = line(&bytes, 2);
        assert_eq!(
            last,
            "00000020  61 62 63                                          |abc|"
        );
        assert_eq!(last.find('|'), line(&bytes, 0).find('|'));
        assert_eq!(line(&bytes, 3), "");
        assert_eq!(line(&bytes, usize::MAX), "");
        assert_eq!(line(b"", 0).find('|'), Some(8 + HEX_COLUMNS));
        assert!(line(b"", 0).ends_with("||"));
        assert_eq!(line(b"", 1), "");
    }

    #[test]
    fn renders_dump() {
        let bytes: Vec<u8> = (0..=40).collect();
        let r = render(&bytes, 1000);
        assert_eq!(r.line_count(), 3);
        assert_eq!(r.line_text(2), line(&bytes, 2));
        assert!(!r.is_cut());
        let (text, spans) = r.line(1);
        assert_eq!(&text[..8], "00000010");
        assert_eq!((spans[0].start, spans[0].end, spans[0].kind), (0, 8, TokenKind::Punct));
        let ascii = &text[spans[1].start as usize..spans[1].end as usize];
        assert_eq!((ascii, spans[1].kind), (".".repeat(16).as_str(), TokenKind::String));
        let r = render(&bytes, 20);
        assert_eq!((r.line_count(), r.shown_bytes, r.is_cut()), (2, 20, true));
        assert_eq!(render(b"", 10).line_count(), 1);
    }

    #[test]
    fn lines_of_any_width_keep_their_columns() {
        let bytes: Vec<u8> = (0x40..0x80).collect();
        for &n in &WIDTHS {
            let columns = Columns::new(n);
            let first = columns.line(&bytes, 0);
            assert_eq!(first.len(), columns.line_chars(), "{n} bytes a line");
            assert_eq!(
                &first[columns.hex_at(n - 1)..columns.hex_at(n - 1) + 2],
                format!("{:02x}", 0x40 + n - 1)
            );
            assert_eq!(&first[columns.ascii_at() - 1..columns.ascii_at() + 1], "|@");
            let last = columns.line(&bytes[..n + 1], 1);
            assert_eq!(last.find('|'), first.find('|'), "the last line aligns");
            assert_eq!(columns.line_count(bytes.len()), 64 / n);
        }
        assert_eq!(Columns::new(16).line(&bytes, 1), line(&bytes, 1));
        assert_eq!(
            Columns::new(8).line(b"Hello wo", 0),
            "00000000  48 65 6c 6c 6f 20 77 6f  |Hello wo|"
        );
        assert_eq!(Columns::new(32).line_chars(), 144);
        assert_eq!(Columns::new(16).line_chars(), 78);
        assert_eq!(Columns::fitting(100), Columns::new(16));
        assert_eq!(Columns::fitting(144), Columns::new(32));
        assert_eq!(Columns::fitting(50), Columns::new(8));
        assert_eq!(Columns::fitting(3), Columns::new(4));
    }
}
