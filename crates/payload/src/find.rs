//! Finding what the user typed in a payload: in its rendered text (JSON, text…), or in its
//! bytes (a hex dump), where the query matches as text or as hex bytes (`de ad`, `0xDEAD`).
//!
//! Case-insensitive unless asked otherwise. Text is compared through [`fold_case`], which keeps
//! every byte offset of the text, so a match's range is the same in the folded copy and in the
//! text shown. Each search is one linear scan.

use std::ops::Range;

/// At most this many matches are found; [`Matches::is_capped`] says when there were more.
pub const MAX_MATCHES: usize = 100_000;

/// Where a query matched, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    ranges: Vec<Range<usize>>,
    capped: bool,
}

impl Matches {
    /// How many matches (at most [`MAX_MATCHES`]).
    #[must_use]
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether nothing matched.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether there were more matches than were kept.
    #[must_use]
    pub fn is_capped(&self) -> bool {
        self.capped
    }

    /// Match `i`, in order.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Range<usize>> {
        self.ranges.get(i).cloned()
    }

    /// The indexes of the matches that overlap `start..end`.
    #[must_use]
    pub fn within(&self, start: usize, end: usize) -> Range<usize> {
        let first = self.ranges.partition_point(|r| r.end <= start);
        let count = self
            .ranges
            .get(first..)
            .unwrap_or_default()
            .partition_point(|r| r.start < end);
        first..first + count
    }

    /// The index of the first match that starts at or after `offset`, if one does.
    #[must_use]
    pub fn first_from(&self, offset: usize) -> Option<usize> {
        let i = self.ranges.partition_point(|r| r.start < offset);
        (i < self.ranges.len()).then_some(i)
    }

    fn push(&mut self, range: Range<usize>) -> bool {
        if self.ranges.len() >= MAX_MATCHES {
            self.capped = true;
            return false;
        }
        self.ranges.push(range);
        true
    }
}

/// `text` with each character lowercased when its lowercase takes as many bytes, so every
/// offset of the copy is the same character's in `text`. The few characters whose lowercase
/// is longer or shorter stay as they are.
#[must_use]
pub fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

/// Every place `query` occurs in `text`, not overlapping. `folded` is [`fold_case`] of `text`,
/// used unless `match_case`; an empty query matches nothing.
#[must_use]
pub fn in_text(text: &str, folded: &str, query: &str, match_case: bool) -> Matches {
    let mut matches = Matches::default();
    if query.is_empty() {
        return matches;
    }
    let (haystack, needle) = if match_case {
        (text, query.to_owned())
    } else {
        (folded, fold_case(query))
    };
    for (at, found) in haystack.match_indices(needle.as_str()) {
        if !matches.push(at..at + found.len()) {
            break;
        }
    }
    matches
}

/// The bytes a query stands for when read as hex: pairs of hex digits, spaces and `0x`
/// prefixes allowed (`de ad`, `DEAD`, `0xde 0xad`); `None` when it is not hex.
#[must_use]
pub fn hex_bytes(query: &str) -> Option<Vec<u8>> {
    let mut digits = Vec::new();
    for word in query.split_whitespace() {
        let word = word
            .strip_prefix("0x")
            .or_else(|| word.strip_prefix("0X"))
            .unwrap_or(word);
        for c in word.chars() {
            digits.push(u8::try_from(c.to_digit(16)?).ok()?);
        }
    }
    if digits.is_empty() || digits.len() % 2 != 0 {
        return None;
    }
    Some(
        digits
            .chunks_exact(2)
            .filter_map(|pair| match pair {
                [high, low] => Some(high << 4 | low),
                _ => None,
            })
            .collect(),
    )
}

/// Every place `query` occurs in `payload`: as its text (ASCII letters in either case unless
/// `match_case`), and as the bytes it stands for in hex ([`hex_bytes`]). In order; a range
/// found both ways counts once.
#[must_use]
pub fn in_bytes(payload: &[u8], query: &str, match_case: bool) -> Matches {
    let mut matches = Matches::default();
    if query.is_empty() {
        return matches;
    }
    let text = bytes_matches(payload, query.as_bytes(), !match_case);
    let hex = hex_bytes(query).map(|bytes| bytes_matches(payload, &bytes, false));
    let mut hex = hex.unwrap_or_default().into_iter().peekable();
    let mut text = text.into_iter().peekable();
    loop {
        let next = match (text.peek(), hex.peek()) {
            (Some(t), Some(h)) if (t.start, t.end) == (h.start, h.end) => {
                hex.next();
                text.next()
            }
            (Some(t), Some(h)) if (t.start, t.end) < (h.start, h.end) => text.next(),
            (Some(_), Some(_)) | (None, Some(_)) => hex.next(),
            (Some(_), None) => text.next(),
            (None, None) => break,
        };
        if let Some(range) = next
            && !matches.push(range)
        {
            break;
        }
    }
    matches
}

/// Where `needle` occurs in `haystack`, not overlapping, at most [`MAX_MATCHES`] + 1 times
/// (so a cap shows); ASCII letters in either case when `any_case`.
fn bytes_matches(haystack: &[u8], needle: &[u8], any_case: bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let Some(&first) = needle.first() else { return found };
    let same = |a: &[u8], b: &[u8]| if any_case { a.eq_ignore_ascii_case(b) } else { a == b };
    let (lower, upper) = if any_case {
        (first.to_ascii_lowercase(), first.to_ascii_uppercase())
    } else {
        (first, first)
    };
    let mut at = 0;
    while let Some(rest) = haystack.get(at..)
        && rest.len() >= needle.len()
    {
        let Some(skip) = rest.iter().position(|&b| b == lower || b == upper) else {
            break;
        };
        let start = at + skip;
        match haystack.get(start..start + needle.len()) {
            Some(candidate) if same(candidate, needle) => {
                found.push(start..start + needle.len());
                if found.len() > MAX_MATCHES {
                    break;
                }
                at = start + needle.len();
            }
            Some(_) => at = start + 1,
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(matches: &Matches) -> Vec<(usize, usize)> {
        (0..matches.len())
            .filter_map(|i| matches.get(i))
            .map(|r| (r.start, r.end))
            .collect()
    }

    #[test]
    fn finds_text_in_any_case_keeping_offsets() {
        let text = "Temperature: 21, TEMP: 22, Ärger, ärger, İx";
        let folded = fold_case(text);
        assert_eq!(folded.len(), text.len());
        let m = in_text(text, &folded, "temp", false);
        assert_eq!(found(&m), [(0, 4), (17, 21)]);
        assert_eq!(found(&in_text(text, &folded, "TEMP", true)), [(17, 21)]);
        let m = in_text(text, &folded, "ÄRGER", false);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(0).and_then(|r| text.get(r)), Some("Ärger"));
        // A character whose lowercase is longer is matched as it is.
        assert_eq!(in_text(text, &folded, "İx", false).len(), 1);
        assert!(in_text(text, &folded, "", false).is_empty());
        assert!(in_text(text, &folded, "nowhere", false).is_empty());
    }

    #[test]
    fn matches_are_found_by_place() {
        let text = "ab ab ab ab";
        let m = in_text(text, &fold_case(text), "ab", false);
        assert_eq!(m.within(3, 7), 1..3);
        assert_eq!(m.within(2, 3), 1..1);
        assert_eq!(m.first_from(4), Some(2));
        assert_eq!(m.first_from(10), None);
    }

    #[test]
    fn hex_queries_are_read_as_bytes() {
        assert_eq!(hex_bytes("de ad"), Some(vec![0xde, 0xad]));
        assert_eq!(hex_bytes("DEAD"), Some(vec![0xde, 0xad]));
        assert_eq!(hex_bytes("0xde 0XAD"), Some(vec![0xde, 0xad]));
        assert_eq!(hex_bytes("dea"), None);
        assert_eq!(hex_bytes("hello"), None);
        assert_eq!(hex_bytes(" "), None);
    }

    #[test]
    fn finds_bytes_as_text_or_as_hex() {
        let payload = b"\x00\xde\xad\xbe\xefHello hello\xde\xad";
        assert_eq!(found(&in_bytes(payload, "de ad", false)), [(1, 3), (16, 18)]);
        assert_eq!(found(&in_bytes(payload, "HELLO", false)), [(5, 10), (11, 16)]);
        assert_eq!(found(&in_bytes(payload, "Hello", true)), [(5, 10)]);
        // "be" is text nowhere here, and the byte 0xbe once.
        assert_eq!(found(&in_bytes(payload, "be", false)), [(3, 4)]);
        // Both ways at once, in order.
        let both = b"\xab..ab";
        assert_eq!(found(&in_bytes(both, "ab", false)), [(0, 1), (3, 5)]);
        assert!(in_bytes(payload, "", false).is_empty());
    }

    #[test]
    fn many_matches_are_capped() {
        let payload = vec![b'a'; MAX_MATCHES + 10];
        let m = in_bytes(&payload, "a", false);
        assert_eq!(m.len(), MAX_MATCHES);
        assert!(m.is_capped());
        let text = "x".repeat(MAX_MATCHES + 1);
        let m = in_text(&text, &text, "x", true);
        assert!(m.is_capped() && m.len() == MAX_MATCHES);
    }
}
