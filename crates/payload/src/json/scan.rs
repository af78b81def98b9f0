//! Scanning JSON numbers and strings, byte by byte.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at `start`,
/// returning its end. In a `truncated` input, a number that reaches the end
/// may go on beyond it, so it counts as incomplete.
pub(super) fn scan_number(input: &[u8], start: usize, truncated: bool) -> Result<usize, Stop> {
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
pub(super) fn find_string_special(input: &[u8], mut p: usize, ascii: &mut bool) -> usize {
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
pub(super) fn scan_string(input: &[u8], start: usize) -> Result<usize, Stop> {
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
