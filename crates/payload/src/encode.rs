//! Payloads typed by a person in an encoding: hex and base64 to bytes, and back.

use base64::Engine as _;

/// The bytes a hex string stands for. Whitespace, `:` and `-` between bytes
/// are allowed, and so is a leading `0x`.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let body = text.trim();
    let body = body
        .strip_prefix("0x")
        .or_else(|| body.strip_prefix("0X"))
        .unwrap_or(body);
    let digits: Vec<(usize, char)> = body
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace() && *c != ':' && *c != '-')
        .collect();
    if let Some((at, c)) = digits.iter().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(format!("\"{c}\" at position {} is not a hex digit", at + 1));
    }
    if !digits.len().is_multiple_of(2) {
        return Err(format!(
            "{} hex digits: an even number is needed (two per byte)",
            digits.len()
        ));
    }
    Ok(digits
        .chunks(2)
        .map(|pair| {
            let high = pair.first().and_then(|(_, c)| c.to_digit(16)).unwrap_or(0);
            let low = pair.get(1).and_then(|(_, c)| c.to_digit(16)).unwrap_or(0);
            (high * 16 + low) as u8
        })
        .collect())
}

/// Bytes as hex, two digits a byte, a space between bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// The bytes a base64 string stands for (standard alphabet, padding optional,
/// whitespace ignored; the URL-safe alphabet is accepted too).
pub fn parse_base64(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let trimmed = compact.trim_end_matches('=');
    let engine = if trimmed.contains(['-', '_']) {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        base64::engine::general_purpose::STANDARD_NO_PAD
    };
    engine.decode(trimmed).map_err(|e| format!("Not valid base64: {e}"))
}

/// Bytes as standard base64 with padding.
pub fn to_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_explains_mistakes() {
        assert_eq!(parse_hex("0x01 ff:7F-80"), Ok(vec![1, 0xff, 0x7f, 0x80]));
        assert_eq!(parse_hex(""), Ok(vec![]));
        assert_eq!(to_hex(&[0, 0xab, 0x10]), "00 ab 10");
        assert_eq!(parse_hex(&to_hex(&[9, 8, 7])), Ok(vec![9, 8, 7]));
        assert!(parse_hex("abc").expect_err("odd").contains("even"));
        assert!(parse_hex("zz").expect_err("not hex").contains("\"z\" at position 1"));
    }

    #[test]
    fn base64_round_trips_and_explains_mistakes() {
        assert_eq!(parse_base64("aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(parse_base64("aGVs\nbG8"), Ok(b"hello".to_vec()));
        assert_eq!(parse_base64("-_8"), Ok(vec![0xfb, 0xff]));
        assert_eq!(to_base64(b"hello"), "aGVsbG8=");
        assert!(parse_base64("a$b").is_err());
    }
}
