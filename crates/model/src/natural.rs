//! The order names are shown in: as a person would read them.

use std::cmp::Ordering;

/// Hexadecimal ids at least this long, of equal length, are compared as text.
const MIN_HEX_ID_CHARS: usize = 4;

/// Order names as a person would: case-insensitive, digit runs by value
/// (`sensor2` before `sensor10`), then by exact bytes so the order is total. A hexadecimal
/// id (a run of at least [`MIN_HEX_ID_CHARS`] hexadecimal digits that starts with a digit,
/// holds a letter and ends the word, as in `tasmota_000A0C` or a MAC-derived name) counts by
/// its hexadecimal value, so ids of equal length sort much as their text does. Each run's value
/// depends on its own name alone, which keeps the order total whatever the names.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // Siblings often share a long start (`device12345`, `device12346`): the bytes both share
    // compare equal, so the comparison starts where they part, moved back to the start of the
    // word of hexadecimal digits it falls in (a run of digits is read from its start; the
    // byte before that word is a character of its own, so a run never crosses it).
    let shared = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let mut start = shared;
    while !a.is_char_boundary(start) {
        start -= 1;
    }
    while start > 0 && a.as_bytes().get(start - 1).is_some_and(u8::is_ascii_hexdigit) {
        start -= 1;
    }
    natural_cmp_from(a, b, start)
}

/// [`natural_cmp`], reading both names from byte `start`, where the names agree before it and
/// a new character or run begins.
fn natural_cmp_from(a: &str, b: &str, start: usize) -> Ordering {
    let (mut left, mut right) = (a.get(start..).unwrap_or(a), b.get(start..).unwrap_or(b));
    loop {
        let (Some(l), Some(r)) = (left.chars().next(), right.chars().next()) else {
            return match (left.is_empty(), right.is_empty()) {
                (true, true) => a.cmp(b),
                (true, false) => Ordering::Less,
                _ => Ordering::Greater,
            };
        };
        if l.is_ascii_digit() && r.is_ascii_digit() {
            let (ln, rest_l) = Run::at(left);
            let (rn, rest_r) = Run::at(right);
            let ord = ln.cmp(rn);
            if ord != Ordering::Equal {
                return ord;
            }
            (left, right) = (rest_l, rest_r);
        } else {
            let ord = if l.is_ascii() && r.is_ascii() {
                l.to_ascii_lowercase().cmp(&r.to_ascii_lowercase())
            } else {
                l.to_lowercase().cmp(r.to_lowercase())
            };
            if ord != Ordering::Equal {
                return ord;
            }
            left = left.get(l.len_utf8()..).unwrap_or_default();
            right = right.get(r.len_utf8()..).unwrap_or_default();
        }
    }
}

/// Decimal runs this long (without leading zeros) or longer all count as the largest value.
const MAX_DECIMAL_DIGITS: usize = 39;
/// Hexadecimal ids longer than this (without leading zeros) count as the largest value.
const MAX_HEX_DIGITS: usize = 32;

/// A run of digits at the start of a name, and what it counts as.
#[derive(Clone, Copy)]
enum Run<'a> {
    /// Decimal digits, leading zeros left out.
    Decimal(&'a str),
    /// A hexadecimal id's value.
    Hex(u128),
}

impl<'a> Run<'a> {
    /// The run that starts `s` (which starts with a digit), and the rest of `s`.
    fn at(s: &'a str) -> (Self, &'a str) {
        let hex_end = s.bytes().position(|b| !b.is_ascii_hexdigit()).unwrap_or(s.len());
        let (hex, after_hex) = s.split_at(hex_end);
        let ends_word = !after_hex.chars().next().is_some_and(char::is_alphanumeric);
        let has_letter = hex.bytes().any(|b| b.is_ascii_alphabetic());
        if hex.len() >= MIN_HEX_ID_CHARS && ends_word && has_letter {
            let digits = hex.trim_start_matches('0');
            let value = if digits.len() > MAX_HEX_DIGITS {
                u128::MAX
            } else {
                u128::from_str_radix(digits, 16).unwrap_or(0)
            };
            return (Self::Hex(value), after_hex);
        }
        let end = s.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(s.len());
        let (digits, rest) = s.split_at(end);
        (Self::Decimal(digits.trim_start_matches('0')), rest)
    }

    /// The run's value (a very long decimal run counts as the largest).
    fn value(self) -> u128 {
        match self {
            Self::Hex(value) => value,
            Self::Decimal(digits) if digits.len() >= MAX_DECIMAL_DIGITS => u128::MAX,
            Self::Decimal(digits) => digits.parse().unwrap_or(0),
        }
    }

    /// Runs by value; two decimal runs without parsing them (by length, then digit by digit),
    /// which gives the same answer.
    fn cmp(self, other: Self) -> Ordering {
        match (self, other) {
            (Self::Decimal(a), Self::Decimal(b)) => {
                let capped = |d: &str| d.len() >= MAX_DECIMAL_DIGITS;
                match (capped(a), capped(b)) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
                }
            }
            _ => self.value().cmp(&other.value()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_is_total_and_consistent() {
        assert_eq!(natural_cmp("Ärger", "ärger"), "Ärger".cmp("ärger"));
        assert_eq!(natural_cmp("a2b", "a10a"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a0"), Ordering::Less);
        assert_eq!(natural_cmp("a01", "a1"), "a01".cmp("a1"));
        assert_eq!(natural_cmp("A", "a"), "A".cmp("a"));
        assert_eq!(natural_cmp("x9", "x10"), Ordering::Less);
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
    }

    #[test]
    fn hexadecimal_ids_of_equal_length_sort_as_text() {
        let mut ids = ["tasmota_000A0C", "tasmota_000002", "tasmota_00001F", "tasmota_000010"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            ["tasmota_000002", "tasmota_000010", "tasmota_00001F", "tasmota_000A0C"]
        );
        // Without a letter among them, digits are numbers as before.
        assert_eq!(natural_cmp("sensor2", "sensor10"), Ordering::Less);
        assert_eq!(natural_cmp("device_0009", "device_0010"), Ordering::Less);
        // Without a letter, a run is a number, padded or not: device_0100 before device_150.
        assert_eq!(natural_cmp("device_0100", "device_150"), Ordering::Less);
        // Short runs stay numbers: room2a before room10.
        assert_eq!(natural_cmp("room2a", "room10"), Ordering::Less);
        // The order stays total: case only decides last.
        assert_eq!(natural_cmp("id_00ab", "id_00AB"), "id_00ab".cmp("id_00AB"));
    }

    #[test]
    fn names_with_a_long_shared_start_compare_as_read_from_the_beginning() {
        let pairs = [
            ("device12345", "device12346"),
            ("device9", "device10"),
            ("x12ab", "x12ag"),
            ("id_00ab", "id_00AB"),
            ("tasmota_000A0C", "tasmota_000A0D"),
            ("tasmota_000A0C", "tasmota_000A0Cx"),
            ("tag99", "tag100"),
            ("капуста1", "капуста10"),
            ("abc", "abc1"),
            ("face12", "face2"),
        ];
        for (a, b) in pairs {
            assert_eq!(natural_cmp(a, b), natural_cmp_from(a, b, 0), "{a} {b}");
            assert_eq!(natural_cmp(b, a), natural_cmp_from(b, a, 0), "{b} {a}");
        }
        assert_eq!(natural_cmp("device9", "device10"), Ordering::Less);
    }

    #[test]
    fn the_order_is_consistent_for_any_names() {
        // Names made of the pieces where the rules meet: digits, hex letters, padding,
        // separators, case and non-ASCII. The order must hold for every pair and triple.
        let pieces = [
            "0", "1", "9", "00", "0A", "a", "F", "10", "_", "-", "x", "é", "0000F", "999", "1000",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        let names: Vec<String> = (0..120)
            .map(|_| {
                (0..rng.usize(1..5))
                    .map(|_| pieces[rng.usize(..pieces.len())])
                    .collect()
            })
            .collect();
        for a in &names {
            assert_eq!(natural_cmp(a, a), Ordering::Equal);
            for b in &names {
                assert_eq!(
                    natural_cmp(a, b),
                    natural_cmp_from(a, b, 0),
                    "from the shared start: {a} {b}"
                );
                assert_eq!(natural_cmp(a, b), natural_cmp(b, a).reverse(), "{a} {b}");
                for c in names.iter().take(40) {
                    if natural_cmp(a, b) == Ordering::Less && natural_cmp(b, c) == Ordering::Less {
                        assert_eq!(natural_cmp(a, c), Ordering::Less, "{a} < {b} < {c}");
                    }
                }
            }
        }
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| natural_cmp(a, b));
        assert!(
            sorted
                .windows(2)
                .all(|w| natural_cmp(&w[0], &w[1]) != Ordering::Greater)
        );
    }
}
