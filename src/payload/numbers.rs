//! Numbers in payloads, for charts: a payload that is a number (`21.5`,
//! `true`), or the numeric fields of a JSON object (`temperature`,
//! `sensors.0.value`).

/// Payloads larger than this are not looked into for numbers.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Numeric fields listed from one JSON payload at most.
pub const MAX_FIELDS: usize = 64;

/// The number a payload stands for: number text (surrounding spaces allowed), or `true`/`false`
/// as 1 and 0.
pub fn as_number(bytes: &[u8]) -> Option<f64> {
    if bytes.len() > 64 {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?.trim();
    match text {
        "true" => Some(1.0),
        "false" => Some(0.0),
        _ => text.parse::<f64>().ok().filter(|n| n.is_finite()),
    }
}

/// Every number and boolean in a JSON payload, by path (object keys and array indexes joined by
/// `.`), in document order, at most [`MAX_FIELDS`].
pub fn json_fields(bytes: &[u8]) -> Vec<(String, f64)> {
    let mut fields = Vec::new();
    walk_scalars(bytes, |path, value| {
        let number = match value {
            serde_json::Value::Number(n) => n.as_f64(),
            serde_json::Value::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        };
        if let Some(number) = number {
            fields.push((path, number));
        }
        fields.len() < MAX_FIELDS
    });
    fields
}

/// Every scalar of a JSON payload (numbers, strings, booleans, null) as text, by path, in
/// document order, at most `limit`.
pub fn json_scalars(bytes: &[u8], limit: usize) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    walk_scalars(bytes, |path, value| {
        let text = match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        fields.push((path, text));
        fields.len() < limit
    });
    fields
}

/// Visit every scalar of a JSON payload with its path, in document order, while `visit` says
/// to go on.
fn walk_scalars(bytes: &[u8], mut visit: impl FnMut(String, &serde_json::Value) -> bool) {
    let Some(root) = parse(bytes) else { return };
    let mut stack = vec![(String::new(), &root)];
    while let Some((path, value)) = stack.pop() {
        let join = |key: &str| {
            if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            }
        };
        match value {
            serde_json::Value::Object(map) => stack.extend(map.iter().rev().map(|(k, v)| (join(k), v))),
            serde_json::Value::Array(items) => {
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
pub fn json_field(bytes: &[u8], path: &str) -> Option<f64> {
    let root = parse(bytes)?;
    let mut value = &root;
    for key in path.split('.') {
        value = match value {
            serde_json::Value::Object(map) => map.get(key)?,
            serde_json::Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn parse(bytes: &[u8]) -> Option<serde_json::Value> {
    if bytes.len() > MAX_BYTES || !matches!(bytes.trim_ascii_start().first(), Some(b'{' | b'[')) {
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
        assert_eq!(as_number(b"true"), Some(1.0));
        assert_eq!(as_number(b"ON"), None);
        assert_eq!(as_number(b"NaN"), None);
        assert_eq!(as_number(b""), None);
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
        assert!(json_fields(b"not json").is_empty());
        assert!(json_fields(b"42").is_empty(), "a bare number is not a JSON object");
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
