//! Numbers in payloads, for charts: a payload that is a number (`21.5`,
//! `21.5 °C`, `true`, `ON`), or the numbers and booleans inside a JSON (or
//! decoded MessagePack, CBOR…) value, by path (`ENERGY.Power`, `sensors.0.v`).

use serde_json::Value;

use super::Format;

/// Payloads larger than this are not looked into for numbers.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Numeric fields listed from one JSON payload at most.
pub const MAX_FIELDS: usize = 64;

/// Plain payloads longer than this are not read as a number.
const MAX_PLAIN_BYTES: usize = 64;

/// A unit after a number (`°C`, `kWh`, `m/s²`) is at most this long.
const MAX_UNIT_BYTES: usize = 16;

/// What a number was read from, so a chart can say how booleans were counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A number, with or without a unit.
    Number,
    /// `true` or `false`, counted as 1 and 0.
    TrueFalse,
    /// `ON` or `OFF`, counted as 1 and 0.
    OnOff,
}

impl Kind {
    /// How booleans were counted, for a legend (`ON = 1, OFF = 0`); `None` for numbers.
    #[must_use]
    pub fn note(self) -> Option<&'static str> {
        match self {
            Kind::Number => None,
            Kind::TrueFalse => Some("true = 1, false = 0"),
            Kind::OnOff => Some("ON = 1, OFF = 0"),
        }
    }
}

/// A number read from a payload or a value inside it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// The number (1 or 0 for booleans).
    pub value: f64,
    /// What it was read from.
    pub kind: Kind,
}

impl Reading {
    fn number(value: f64) -> Option<Self> {
        value.is_finite().then_some(Reading {
            value,
            kind: Kind::Number,
        })
    }

    fn switch(on: bool, kind: Kind) -> Self {
        Reading {
            value: f64::from(u8::from(on)),
            kind,
        }
    }
}

/// The number a plain payload stands for: number text with an optional unit (` 42 `, `-3e2`,
/// `21.5 °C`), or `true`/`false`, `ON`/`OFF` as 1 and 0 (any letter case).
#[must_use]
pub fn read(bytes: &[u8]) -> Option<Reading> {
    if bytes.len() > MAX_PLAIN_BYTES {
        return None;
    }
    read_text(std::str::from_utf8(bytes).ok()?)
}

/// The number a plain payload stands for (see [`read`]).
#[must_use]
pub fn as_number(bytes: &[u8]) -> Option<f64> {
    read(bytes).map(|r| r.value)
}

/// The number a piece of text stands for (see [`read`]).
#[must_use]
pub fn read_text(text: &str) -> Option<Reading> {
    let text = text.trim();
    if text.len() > MAX_PLAIN_BYTES {
        return None;
    }
    for (word, on, kind) in [
        ("true", true, Kind::TrueFalse),
        ("false", false, Kind::TrueFalse),
        ("on", true, Kind::OnOff),
        ("off", false, Kind::OnOff),
    ] {
        if text.eq_ignore_ascii_case(word) {
            return Some(Reading::switch(on, kind));
        }
    }
    // The longest start that is a number, then a unit: no digits, no spaces within.
    let numeric = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E')))
        .unwrap_or(text.len());
    let (number, end) = (1..=numeric)
        .rev()
        .find_map(|end| Some((text.get(..end)?.parse::<f64>().ok()?, end)))?;
    let unit = text.get(end..).unwrap_or_default().trim_start();
    let unit_ok = unit.len() <= MAX_UNIT_BYTES
        && !unit
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_whitespace() || c.is_control());
    unit_ok.then_some(())?;
    Reading::number(number)
}

/// The number a JSON value stands for: a number, a boolean, or a string [`read_text`] reads
/// (`"ON"`, `"21.5 °C"`).
#[must_use]
pub fn read_value(value: &Value) -> Option<Reading> {
    match value {
        Value::Number(n) => Reading::number(n.as_f64()?),
        Value::Bool(b) => Some(Reading::switch(*b, Kind::TrueFalse)),
        Value::String(text) => read_text(text),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The structured value of a payload in `format` (JSON, or decoded MessagePack, CBOR…), if it
/// is no larger than [`MAX_BYTES`] and reads as one.
#[must_use]
pub fn decoded(bytes: &[u8], format: Format) -> Option<Value> {
    if bytes.len() > MAX_BYTES {
        return None;
    }
    super::decode::value(bytes, format)
}

/// The value at `path` (object keys and array indexes joined by `.`) inside `root`; the empty
/// path is `root` itself. A key that itself holds dots (`"a.b"`) is found too.
#[must_use]
pub fn at_path<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(root);
    }
    // Each dot may end a key or be part of one: try the ways depth first, shortest key first.
    let mut ways = vec![(root, path)];
    let mut tries = 0;
    while let Some((value, rest)) = ways.pop() {
        tries += 1;
        if tries > 1000 {
            return None;
        }
        let ends = rest.match_indices('.').map(|(i, _)| i).chain([rest.len()]);
        let mut found = Vec::new();
        for end in ends {
            let key = rest.get(..end)?;
            let next = match value {
                Value::Object(map) => map.get(key),
                Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            if let Some(next) = next {
                match rest.get(end + 1..) {
                    Some(after) => found.push((next, after)),
                    None => return Some(next),
                }
            }
        }
        ways.extend(found.into_iter().rev());
    }
    None
}

/// Every number and boolean (and string that reads as one) inside `root`, by path, in
/// document order, at most [`MAX_FIELDS`].
#[must_use]
pub fn fields(root: &Value) -> Vec<(String, f64)> {
    let mut fields = Vec::new();
    walk_scalars(root, |path, value| {
        if let Some(reading) = read_value(value) {
            fields.push((path, reading.value));
        }
        fields.len() < MAX_FIELDS
    });
    fields
}

/// Every number and boolean in a JSON payload, by path (object keys and array indexes joined by
/// `.`), in document order, at most [`MAX_FIELDS`].
#[must_use]
pub fn json_fields(bytes: &[u8]) -> Vec<(String, f64)> {
    parse(bytes).map(|root| fields(&root)).unwrap_or_default()
}

/// Every scalar of a JSON payload (numbers, strings, booleans, null) as text, by path, in
/// document order, at most `limit`.
#[must_use]
pub fn json_scalars(bytes: &[u8], limit: usize) -> Vec<(String, String)> {
    parse(bytes).map(|root| scalars(&root, limit)).unwrap_or_default()
}

/// Whether a payload is one [`json_scalars`] looks into: no larger than [`MAX_BYTES`], and
/// starting (after whitespace) as a JSON object or array does.
#[must_use]
pub fn has_fields(bytes: &[u8]) -> bool {
    bytes.len() <= MAX_BYTES && matches!(bytes.trim_ascii_start().first(), Some(b'{' | b'['))
}

/// Every scalar inside `root` (numbers, strings, booleans, null) as text, by path, in document
/// order, at most `limit`.
#[must_use]
pub fn scalars(root: &Value, limit: usize) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    walk_scalars(root, |path, value| {
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        fields.push((path, text));
        fields.len() < limit
    });
    fields
}

/// Visit every scalar of a value with its path, in document order, while `visit` says to go on.
fn walk_scalars(root: &Value, mut visit: impl FnMut(String, &Value) -> bool) {
    let mut stack = vec![(String::new(), root)];
    while let Some((path, value)) = stack.pop() {
        let join = |key: &str| {
            if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            }
        };
        match value {
            Value::Object(map) => stack.extend(map.iter().rev().map(|(k, v)| (join(k), v))),
            Value::Array(items) => {
                stack.extend(items.iter().enumerate().rev().map(|(i, v)| (join(&i.to_string()), v)));
            }
            scalar => {
                if !visit(path, scalar) {
                    return;
                }
            }
        }
    }
}

/// The number at `path` in a JSON payload (see [`json_fields`]).
#[must_use]
pub fn json_field(bytes: &[u8], path: &str) -> Option<f64> {
    let root = parse(bytes)?;
    read_value(at_path(&root, path)?).map(|r| r.value)
}

/// A JSON object or array (not a bare number), no larger than [`MAX_BYTES`].
fn parse(bytes: &[u8]) -> Option<Value> {
    if !has_fields(bytes) {
        return None;
    }
    serde_json::from_slice(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_and_booleans() {
        assert_eq!(as_number(b" 21.5\n"), Some(21.5));
        assert_eq!(as_number(b"-3e2"), Some(-300.0));
        assert_eq!(as_number(b" 42 "), Some(42.0));
        assert_eq!(as_number(b"+.5"), Some(0.5));
        assert_eq!(as_number(b"true"), Some(1.0));
        assert_eq!(as_number(b"NaN"), None);
        assert_eq!(as_number(b"inf"), None);
        assert_eq!(as_number(b"1e999"), None, "too large to be finite");
        assert_eq!(as_number(b""), None);
        assert_eq!(as_number(b"-"), None);
        assert_eq!(as_number(&[b'1'; 80]), None, "too long for a plain number");
    }

    #[test]
    fn numbers_with_units() {
        assert_eq!(as_number("21.5 °C".as_bytes()), Some(21.5));
        assert_eq!(as_number(b"230V"), Some(230.0));
        assert_eq!(as_number(b"-3e2 W"), Some(-300.0));
        assert_eq!(as_number("12 m/s²".as_bytes()), Some(12.0));
        assert_eq!(as_number(b"e5"), None);
        assert_eq!(as_number(b"1.2.3"), None, "a version is not a number");
        assert_eq!(as_number(b"192.168.1.1"), None);
        assert_eq!(as_number(b"2024-05-01"), None, "a date is not a number");
        assert_eq!(as_number(b"12:30"), None);
        assert_eq!(as_number(b"21.5 deg C"), None, "a unit has no spaces");
        assert_eq!(as_number(b"5 averyveryverylongunit"), None);
        assert_eq!(as_number(b"kitchen"), None);
    }

    #[test]
    fn on_and_off_count_as_one_and_zero_and_say_so() {
        let on = read(b"ON").expect("ON");
        assert_eq!((on.value, on.kind), (1.0, Kind::OnOff));
        assert_eq!(read(b" off\n").map(|r| r.value), Some(0.0));
        assert_eq!(read(b"False").map(|r| (r.value, r.kind)), Some((0.0, Kind::TrueFalse)));
        assert_eq!(Kind::OnOff.note(), Some("ON = 1, OFF = 0"));
        assert_eq!(Kind::Number.note(), None);
        assert_eq!(read(b"onward"), None);
    }

    #[test]
    fn json_fields_in_document_order_with_paths() {
        let payload = br#"{"temperature": 21.5, "ok": true, "name": "x", "sensors": [{"v": 1}, {"v": 2}], "n": null}"#;
        let fields: Vec<(String, f64)> = json_fields(payload);
        assert_eq!(
            fields,
            [
                ("temperature".to_owned(), 21.5),
                ("ok".to_owned(), 1.0),
                ("sensors.0.v".to_owned(), 1.0),
                ("sensors.1.v".to_owned(), 2.0),
            ]
        );
        assert_eq!(json_field(payload, "sensors.1.v"), Some(2.0));
        assert_eq!(json_field(payload, "name"), None);
        assert_eq!(json_field(payload, "missing"), None);
        assert_eq!(json_field(payload, "sensors.x.v"), None);
        assert_eq!(json_field(payload, "temperature.x"), None);
        assert!(json_fields(b"not json").is_empty());
        assert!(json_fields(b"42").is_empty(), "a bare number is not a JSON object");
    }

    #[test]
    fn strings_that_read_as_numbers_are_fields_too() {
        let payload = r#"{"state": "ON", "temp": "21.5 °C", "version": "1.2.3", "id": "s1"}"#.as_bytes();
        assert_eq!(
            json_fields(payload),
            [("state".to_owned(), 1.0), ("temp".to_owned(), 21.5)]
        );
        let root: Value = serde_json::from_slice(payload).expect("json");
        let state = at_path(&root, "state").and_then(read_value);
        assert_eq!(state.map(|r| r.kind), Some(Kind::OnOff));
    }

    #[test]
    fn paths_find_keys_that_hold_dots() {
        let root = serde_json::json!({"a.b": {"c": 1}, "a": {"x": 2}, "list": [[0, 5]]});
        assert_eq!(at_path(&root, "a.b.c"), Some(&serde_json::json!(1)));
        assert_eq!(at_path(&root, "a.x"), Some(&serde_json::json!(2)));
        assert_eq!(at_path(&root, "list.0.1"), Some(&serde_json::json!(5)));
        assert_eq!(at_path(&root, "list.0.2"), None);
        assert_eq!(at_path(&root, "a."), None);
    }

    #[test]
    fn decoded_payloads_are_read_in_their_format() {
        let value = serde_json::json!({"ENERGY": {"Power": 12.5, "On": false}});
        let packed = rmp_serde::to_vec_named(&value).expect("msgpack");
        let root = decoded(&packed, Format::MSGPACK).expect("decodes");
        assert_eq!(
            at_path(&root, "ENERGY.Power").and_then(read_value).map(|r| r.value),
            Some(12.5)
        );
        assert_eq!(
            fields(&root),
            [("ENERGY.Power".to_owned(), 12.5), ("ENERGY.On".to_owned(), 0.0)]
        );
        assert!(decoded(&packed, Format::JSON).is_none());
        assert!(decoded(&vec![b' '; MAX_BYTES + 1], Format::JSON).is_none());
    }

    #[test]
    fn scalars_of_every_kind_as_text() {
        let payload = br#"{"state": "ON", "brightness": 254, "color": {"x": 0.3}, "note": null}"#;
        assert_eq!(
            json_scalars(payload, 10),
            [
                ("state".to_owned(), "ON".to_owned()),
                ("brightness".to_owned(), "254".to_owned()),
                ("color.x".to_owned(), "0.3".to_owned()),
                ("note".to_owned(), "null".to_owned()),
            ]
        );
        assert_eq!(json_scalars(payload, 2).len(), 2);
    }

    #[test]
    fn fields_are_capped() {
        let many: String = format!(
            "{{{}}}",
            (0..200).map(|i| format!("\"f{i}\": {i}")).collect::<Vec<_>>().join(",")
        );
        assert_eq!(json_fields(many.as_bytes()).len(), MAX_FIELDS);
    }
}
