//! Placeholders in a message to publish, filled in at each send:
//! `{{counter}}` (1, 2, 3 … for repeated sends), `{{timestamp}}` (milliseconds
//! since 1970, UTC), `{{random(MIN,MAX)}}` (a whole number from MIN to MAX).

use std::time::{SystemTime, UNIX_EPOCH};

/// What the placeholders of one send stand for.
#[derive(Clone, Copy, Debug)]
pub struct Values {
    /// `{{counter}}`.
    pub counter: u64,
    /// `{{timestamp}}`, in milliseconds since the Unix epoch.
    pub timestamp_ms: u128,
}

impl Values {
    /// Values for send number `counter`, now.
    pub fn now(counter: u64) -> Self {
        Self {
            counter,
            timestamp_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
        }
    }
}

/// Whether `text` holds a placeholder (so it is worth filling in).
pub fn has_placeholders(text: &str) -> bool {
    text.contains("{{")
}

/// `text` with its placeholders filled in. Anything between `{{` and `}}`
/// that is not a placeholder is left as it was, so JSON and other text pass
/// through untouched; a malformed `random` says so in place.
pub fn fill(text: &str, values: Values, mut random: impl FnMut(i64, i64) -> i64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        match name {
            "counter" => out.push_str(&values.counter.to_string()),
            "timestamp" => out.push_str(&values.timestamp_ms.to_string()),
            _ => match parse_random(name) {
                Some(Ok((min, max))) => out.push_str(&random(min, max).to_string()),
                Some(Err(())) => out.push_str(&format!("{{{{{name}: use random(MIN,MAX) with MIN ≤ MAX}}}}")),
                None => out.push_str(&rest[start..start + 2 + end + 2]),
            },
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// `random(MIN,MAX)`: `None` when it is not a random placeholder at all.
fn parse_random(name: &str) -> Option<Result<(i64, i64), ()>> {
    let args = name
        .strip_prefix("random")?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    let Some((min, max)) = args.split_once(',') else {
        return Some(Err(()));
    };
    match (min.trim().parse::<i64>(), max.trim().parse::<i64>()) {
        (Ok(min), Ok(max)) if min <= max => Some(Ok((min, max))),
        _ => Some(Err(())),
    }
}

/// A random whole number from `min` to `max`, both included.
pub fn random_between(min: i64, max: i64) -> i64 {
    fastrand::i64(min..=max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            counter: 7,
            timestamp_ms: 1_700_000_000_123,
        }
    }

    #[test]
    fn fills_counter_timestamp_and_random() {
        let filled = fill(
            r#"{"n": {{counter}}, "t": {{ timestamp }}, "v": {{random(1,100)}}}"#,
            values(),
            |min, max| {
                assert_eq!((min, max), (1, 100));
                42
            },
        );
        assert_eq!(filled, r#"{"n": 7, "t": 1700000000123, "v": 42}"#);
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(fill("{{name}} and {{", values(), |_, _| 0), "{{name}} and {{");
        assert_eq!(fill("no placeholders", values(), |_, _| 0), "no placeholders");
        assert!(fill("{{random(5,1)}}", values(), |_, _| 0).contains("MIN ≤ MAX"));
        assert!(!has_placeholders("{\"a\": {\"b\": 1}}"));
    }

    #[test]
    fn random_stays_in_range() {
        for _ in 0..1000 {
            let n = random_between(-3, 3);
            assert!((-3..=3).contains(&n));
        }
    }
}
