//! Sparkplug B: the protobuf payloads of `spBv1.0/` topics, shown as JSON (metrics by name),
//! compared metric by metric. The schema and decoder are [`crate::sparkplug`].

use super::{Confidence, Content, Context, Decoded, Format, PayloadFormat, Probe};
use crate::Rendered;
use crate::diff::{self, Diff};
use crate::sparkplug;

/// Sparkplug B.
struct SparkplugB;

impl Format {
    /// Sparkplug B (protobuf), shown as JSON.
    pub const SPARKPLUG_B: Format = Format::new(&SparkplugB);
}

/// What the user reads it as.
const WHAT: &str = "Sparkplug B";

impl PayloadFormat for SparkplugB {
    fn id(&self) -> &'static str {
        "sparkplug_b"
    }

    fn label(&self) -> &'static str {
        WHAT
    }

    /// Certain of a non-empty payload on a Sparkplug B topic (`spBv1.0/...` but not
    /// `spBv1.0/STATE/...`, see [`sparkplug::is_sparkplug_topic`]), whatever its bytes.
    fn detect(&self, probe: &Probe<'_>) -> Confidence {
        if !probe.bytes.is_empty() && sparkplug::is_sparkplug_topic(probe.topic) {
            Confidence::Certain
        } else {
            Confidence::No
        }
    }

    /// The payload as JSON; a data message's alias-only metrics are named, as shown, from its
    /// node's or device's birth certificate, the latest payload of [`sparkplug::birth_topic`].
    fn decode(&self, payload: &[u8], context: &Context<'_>) -> (Content, Option<String>) {
        if payload.len() > super::MAX_DECODE_BYTES {
            return (Content::TooLarge, None);
        }
        let decoded = match sparkplug::decode(payload) {
            Ok(decoded) => decoded,
            Err(why) => return (Content::Invalid(why), None),
        };
        let value = sparkplug::payload_json(&decoded);
        let mut note = format!("Decoded from {WHAT}: {}", sparkplug::summary(&decoded));
        let birth = sparkplug::birth_topic(context.topic).and_then(|topic| Some(((context.latest_of)(&topic)?, topic)));
        let names = birth
            .as_ref()
            .map(|(bytes, _)| sparkplug::alias_names(bytes))
            .unwrap_or_default();
        let named = decoded
            .metrics
            .iter()
            .filter(|m| m.name.is_none() && m.alias.is_some_and(|a| names.contains_key(&a)))
            .count();
        let shown = match &birth {
            Some((_, topic)) if named > 0 => {
                note.push_str(&format!("; alias names from {topic}"));
                Some(sparkplug::payload_json_named(&decoded, &names))
            }
            _ => None,
        };
        (Content::Value { value, shown }, Some(note))
    }

    fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered {
        super::render_value(decoded, limit_bytes, WHAT)
    }

    /// Metric by metric; payloads that do not decode byte by byte, with the reason.
    fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff {
        diff::structured(older, newer, WHAT).unwrap_or_else(|why| {
            diff::bytes_diff(older.payload(), newer.payload()).with_note(format!("{why}: compared byte by byte"))
        })
    }

    /// A metric's value (`metrics.Temperature.value`).
    fn charted_first(&self, path: &str) -> bool {
        path.starts_with("metrics.") && path.ends_with(".value")
    }

    /// `seq 7 · Temperature 71.25 · Burner true` (see [`sparkplug::preview`]).
    fn preview(&self, payload: &[u8], max_chars: usize) -> Option<String> {
        sparkplug::preview(payload, max_chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metric_value_is_charted_before_the_sequence_number() {
        assert!(Format::SPARKPLUG_B.charted_first("metrics.Temperature.value"));
        assert!(!Format::SPARKPLUG_B.charted_first("seq"));
        assert!(!Format::JSON.charted_first("metrics.Temperature.value"));
    }

    #[test]
    fn one_decoding_gives_the_note_the_value_and_the_preview() {
        let data = crate::sparkplug::tests::ddata();
        let plain = Format::SPARKPLUG_B.decode_bytes(&data);
        assert_eq!(plain.note(), Some("Decoded from Sparkplug B: 12 metrics, seq 3"));
        assert!(plain.value().is_some_and(|v| v["metrics"]["Offset"]["value"] == -42));
        assert!(plain.preview(200).is_some_and(|p| p.starts_with("seq 3")));
    }
}
