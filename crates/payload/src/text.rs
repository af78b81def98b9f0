//! Text rendering with visible escapes, one-line previews and human sizes.

use super::{MAX_TEXT_BYTES, Rendered, Span, TokenKind, push_span};

/// At most this many input bytes are rendered as text: every input byte
/// becomes at most 4 output bytes, so the output stays within
/// [`MAX_TEXT_BYTES`].
const MAX_TEXT_INPUT: usize = MAX_TEXT_BYTES / 4;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// True when `bytes` is valid UTF-8 without control characters other than
/// `\t`, `\n` and `\r` (DEL and the C1 controls U+0080..=U+009F count as
/// control characters). An empty payload is plain text.
#[must_use]
pub fn is_plain_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() && control_len(bytes, true).is_none()
}

/// Finds the first control char that is not allowed; returns its offset and
/// its length in bytes. `\t` and `\n` are always allowed, `\r` when
/// `allow_cr` is set. `bytes` must be valid UTF-8 for C1 controls to be
/// recognized correctly.
fn control_len(bytes: &[u8], allow_cr: bool) -> Option<(usize, usize)> {
    // Cheap branch-free screening of 64-byte blocks (it vectorizes), then an
    // exact look at the blocks that may hold a control char.
    let mut base = 0;
    for block in bytes.chunks(64) {
        if block.iter().fold(false, |acc, &b| acc | maybe_control(b, allow_cr)) {
            for (i, &b) in block.iter().enumerate() {
                let at = base + i;
                let next = bytes.get(at + 1);
                match b {
                    0xC2 if matches!(next, Some(0x80..=0x9F)) => return Some((at, 2)),
                    0xC2 => {}
                    _ if maybe_control(b, allow_cr) => return Some((at, 1)),
                    _ => {}
                }
            }
        }
        base += block.len();
    }
    None
}

/// Whether `b` may start a control char that is not allowed (0xC2 starts
/// the C1 controls). Branch-free, so the block screening vectorizes.
#[expect(clippy::needless_bitwise_bool, reason = "branch-free on purpose")]
fn maybe_control(b: u8, allow_cr: bool) -> bool {
    let c0 = (b < 0x20) & (b != b'\t') & (b != b'\n') & ((b != b'\r') | !allow_cr);
    c0 | (b == 0x7F) | (b == 0xC2)
}

/// Renders `bytes` as UTF-8 text, looking at no more than `limit_bytes` of
/// input (a char cut by the limit is left out entirely).
///
/// Invalid byte sequences are shown as U+FFFD, and control chars other than
/// `\n` and `\t` as visible escapes (`\r`, `\x00`, `\x7f`, `\u{85}`); both get
/// [`TokenKind::Escape`] spans. `\r\n` line endings become plain line breaks.
#[must_use]
pub fn render(bytes: &[u8], limit_bytes: usize) -> Rendered {
    let cut = cut_point(bytes, limit_bytes.min(MAX_TEXT_INPUT));
    let input = bytes.get(..cut).unwrap_or(bytes);
    let mut out = String::with_capacity(input.len());
    let mut spans = Vec::new();
    for chunk in input.utf8_chunks() {
        push_escaped(&mut out, &mut spans, chunk.valid());
        if !chunk.invalid().is_empty() {
            let start = out.len();
            out.push(char::REPLACEMENT_CHARACTER);
            push_span(&mut spans, start, out.len(), TokenKind::Escape);
        }
    }
    Rendered::new(out, spans, cut, bytes.len(), None)
}

/// Where to cut `bytes` to show at most `limit` bytes: moved back so that no
/// UTF-8 sequence and no `\r\n` pair is split.
fn cut_point(bytes: &[u8], limit: usize) -> usize {
    if limit >= bytes.len() {
        return bytes.len();
    }
    let mut cut = limit;
    // Find the lead byte of the sequence the cut falls into, if any.
    for back in 1..=3 {
        let Some(p) = limit.checked_sub(back) else {
            break;
        };
        let Some(&b) = bytes.get(p) else { break };
        if b & 0xC0 == 0x80 {
            continue;
        }
        let len = match b {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        if p + len > limit {
            cut = p;
        }
        break;
    }
    if cut > 0 && bytes.get(cut - 1) == Some(&b'\r') && bytes.get(cut) == Some(&b'\n') {
        cut -= 1;
    }
    cut
}

/// Appends valid text, replacing control chars with visible escapes.
fn push_escaped(out: &mut String, spans: &mut Vec<Span>, text: &str) {
    let bytes = text.as_bytes();
    let mut done = 0;
    while let Some((i, len)) = control_len(bytes.get(done..).unwrap_or_default(), false) {
        let at = done + i;
        out.push_str(text.get(done..at).unwrap_or_default());
        done = at + len;
        let b = bytes.get(at).copied().unwrap_or_default();
        if b == b'\r' && bytes.get(done) == Some(&b'\n') {
            continue; // CRLF: the '\n' makes the line break.
        }
        let start = out.len();
        match (b, bytes.get(at + 1)) {
            (b'\r', _) => out.push_str("\\r"),
            (0xC2, Some(&c1)) => {
                out.push_str("\\u{");
                push_hex(out, c1);
                out.push('}');
            }
            _ => {
                out.push_str("\\x");
                push_hex(out, b);
            }
        }
        push_span(spans, start, out.len(), TokenKind::Escape);
    }
    out.push_str(text.get(done..).unwrap_or_default());
}

/// Appends `b` as two lowercase hex digits.
fn push_hex(out: &mut String, b: u8) {
    for nibble in [b >> 4, b & 0xF] {
        out.push(char::from(HEX_DIGITS[usize::from(nibble)]));
    }
}

/// A one-line preview of a payload for the topic tree: at most `max_chars`
/// characters, whitespace runs (including newlines) collapsed to one space,
/// trimmed; ends with '…' when cut.
///
/// Looks at no more than the first `4 * max_chars + 16` bytes, so it is
/// `O(max_chars)` whatever the payload size. An empty payload gives `""`.
/// Payloads that are not valid UTF-8 in the inspected prefix (a sequence cut
/// at the prefix end is fine) or contain control chars other than `\t`, `\n`
/// and `\r` get a hex preview like `0x 1f 8b 08 00 … (1.2 KiB binary)`, or
/// `0x 01 02 03 (3 bytes)` when all bytes fit. JSON is previewed as text.
#[must_use]
pub fn preview(bytes: &[u8], max_chars: usize) -> String {
    if bytes.is_empty() || max_chars == 0 {
        return String::new();
    }
    let inspected = max_chars.saturating_mul(4).saturating_add(16);
    let prefix = bytes.get(..inspected).unwrap_or(bytes);
    let text = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        // A sequence cut by the end of the prefix is not an error.
        Err(e) if e.error_len().is_none() && prefix.len() < bytes.len() => {
            let valid = prefix.get(..e.valid_up_to()).unwrap_or_default();
            std::str::from_utf8(valid).unwrap_or_default()
        }
        Err(_) => return hex_preview(bytes, max_chars),
    };
    if control_len(text.as_bytes(), true).is_some() {
        return hex_preview(bytes, max_chars);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    let mut cut = prefix.len() < bytes.len();
    for c in text.chars() {
        if c.is_whitespace() {
            space = count > 0;
            continue;
        }
        if count + usize::from(space) >= max_chars {
            cut = true;
            break;
        }
        if space {
            out.push(' ');
            count += 1;
            space = false;
        }
        out.push(c);
        count += 1;
    }
    if cut {
        if count >= max_chars {
            out.pop();
        }
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    out
}

/// Hex preview of a binary payload within `max_chars` chars.
fn hex_preview(bytes: &[u8], max_chars: usize) -> String {
    let total = bytes.len();
    let all = if total == 1 {
        " (1 byte)".to_owned()
    } else {
        format!(" ({total} bytes)")
    };
    let (shown, suffix) = if total <= max_chars.saturating_sub(2 + all.len()) / 3 {
        (total, all)
    } else {
        let suffix = format!(" … ({} binary)", human_bytes(total as u64));
        let room = max_chars.saturating_sub(2 + suffix.chars().count()) / 3;
        (room.min(total), suffix)
    };
    if shown == 0 {
        let short = format!("({} binary)", human_bytes(total as u64));
        return short.chars().take(max_chars).collect();
    }
    let mut out = String::with_capacity(2 + 3 * shown + suffix.len());
    out.push_str("0x");
    for &b in bytes.iter().take(shown) {
        out.push(' ');
        push_hex(&mut out, b);
    }
    out.push_str(&suffix);
    out
}

/// A count with thousands separators: `1234567` → `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Human size: "0 B", "999 B", "1.0 KiB", "20.5 KiB", "1.0 MiB", "3.2 GiB".
#[must_use]
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut tenths = 0;
    let mut unit = UNITS[0];
    for (k, name) in UNITS.iter().enumerate() {
        let div = 1u128 << (10 * (k + 1));
        tenths = (u128::from(n) * 10 + div / 2) / div;
        unit = name;
        // Stay in this unit unless rounding reached 1024.0 of it.
        if tenths < 10240 {
            break;
        }
    }
    format!("{}.{} {unit}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_by_thousands() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }

    fn escapes(r: &Rendered) -> Vec<&str> {
        r.spans
            .iter()
            .filter(|s| s.kind == TokenKind::Escape)
            .map(|s| r.text.get(s.start as usize..s.end as usize).unwrap_or("?"))
            .collect()
    }

    #[test]
    fn renders_text_with_escapes() {
        let bytes = b"a\r\nb\rc\0d\xffe\x7f\tf\xC2\x85g\xE2\x82";
        let r = render(bytes, 100);
        assert_eq!(r.text, "a\nb\\rc\\x00d\u{fffd}e\\x7f\tf\\u{85}g\u{fffd}");
        assert_eq!(
            escapes(&r),
            ["\\r", "\\x00", "\u{fffd}", "\\x7f", "\\u{85}", "\u{fffd}"]
        );
        assert_eq!(r.line_count(), 2);
        assert_eq!(r.line_text(0), "a");
        assert_eq!((r.shown_bytes, r.total_bytes), (bytes.len(), bytes.len()));
        assert!(r.note.is_none());
    }

    #[test]
    fn limit_does_not_split_chars_or_crlf() {
        let r = render("héllo".as_bytes(), 2);
        assert_eq!((r.text.as_str(), r.shown_bytes, r.is_cut()), ("h", 1, true));
        let r = render("a😀".as_bytes(), 4);
        assert_eq!((r.text.as_str(), r.shown_bytes), ("a", 1));
        let r = render(b"ab\r\ncd", 3);
        assert_eq!((r.text.as_str(), r.shown_bytes), ("ab", 2));
        // Genuinely invalid bytes before the limit are still shown.
        let r = render(b"ab\x80\x80cd", 4);
        assert_eq!(r.text, "ab\u{fffd}\u{fffd}");
    }

    #[test]
    fn plain_text_check() {
        assert!(is_plain_text(b""));
        assert!(is_plain_text("tab\t crlf\r\n é ✓".as_bytes()));
        assert!(!is_plain_text(b"nul\0"));
        assert!(!is_plain_text(b"\xC3"));
        assert!(!is_plain_text(b"del\x7f"));
    }

    #[test]
    fn previews_text() {
        assert_eq!(preview(b"", 10), "");
        assert_eq!(preview(b"hello", 0), "");
        assert_eq!(preview(b"  hello \r\n\t world  ", 20), "hello world");
        assert_eq!(preview(b"hello world", 11), "hello world");
        assert_eq!(preview(b"hello world", 10), "hello wor…");
        assert_eq!(preview(b"hello world", 6), "hello…");
        assert_eq!(preview(b"hello   world", 7), "hello…");
        assert_eq!(preview(b"{\n  \"a\": [1, 2]\n}", 40), "{ \"a\": [1, 2] }");
        assert_eq!(preview("\u{feff}ünï ✓".as_bytes(), 10), "ünï ✓");
        let long = "é".repeat(100);
        assert_eq!(preview(long.as_bytes(), 5), "éééé…");
    }

    #[test]
    fn previews_binary_as_hex() {
        assert_eq!(preview(b"\x01\x02\x03", 40), "0x 01 02 03 (3 bytes)");
        assert_eq!(preview(b"\0", 40), "0x 00 (1 byte)");
        assert_eq!(preview(b"ab\xffcd", 40), "0x 61 62 ff 63 64 (5 bytes)");
        let gzip: Vec<u8> = [0x1f, 0x8b, 0x08, 0x00].repeat(300);
        assert_eq!(preview(&gzip, 33), "0x 1f 8b 08 00 … (1.2 KiB binary)");
        assert_eq!(preview(&gzip, 32), "0x 1f 8b 08 … (1.2 KiB binary)");
        let p = preview(&gzip, 12);
        assert!(p.chars().count() <= 12, "{p}");
    }

    #[test]
    fn preview_is_bounded_on_huge_payloads() {
        let max = 50;
        let mut big = "x".repeat(4 * max + 15).into_bytes();
        big.push(0xE2); // a sequence cut by the inspected prefix
        big.extend(std::iter::repeat_n(0u8, 10 << 20));
        let expected = format!("{}…", "x".repeat(max - 1));
        let start = std::time::Instant::now();
        for _ in 0..1000 {
            assert_eq!(preview(&big, max), expected);
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        // A multi-byte char cut at the prefix end is fine too.
        let mut cut_char = "y".repeat(4 * max + 15).into_bytes();
        cut_char.extend_from_slice("€€".as_bytes());
        assert!(preview(&cut_char, max).starts_with("yyy"));
    }

    #[test]
    fn human_sizes() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1023, "1023 B"),
            (1024, "1.0 KiB"),
            (20 * 1024 + 512, "20.5 KiB"),
            (1024 * 1024 - 1, "1.0 MiB"),
            (1 << 20, "1.0 MiB"),
            (3_435_973_837, "3.2 GiB"),
            (u64::MAX, "16.0 EiB"),
        ];
        for (n, s) in cases {
            assert_eq!(human_bytes(n), s, "{n}");
        }
    }
}
