//! The formats there are, listed once. A new format is a file in this module implementing
//! [`PayloadFormat`](super::PayloadFormat) and one line in [`ALL`].

use super::{Confidence, Format, Probe};

/// Every format, in the order they are offered to the user; of formats equally sure of a
/// payload, the first is detected.
pub static ALL: &[Format] = &[
    Format::JSON,
    Format::TEXT,
    Format::HEX,
    Format::BASE64,
    Format::MSGPACK,
    Format::CBOR,
    Format::SPARKPLUG_B,
];

/// The format among `formats` most sure of the probed payload (the first of equally sure ones),
/// [`Format::HEX`] when none is.
#[must_use]
pub fn detect_among(formats: &[Format], probe: &Probe<'_>) -> Format {
    let mut best = (Confidence::No, Format::HEX);
    for &format in formats {
        let confidence = format.get().detect(probe);
        probe.found(confidence);
        if confidence > best.0 {
            best = (confidence, format);
            if confidence == Confidence::Certain {
                break;
            }
        }
    }
    best.1
}

/// The format of a payload on `topic`, among every registered one (see [`detect_among`]),
/// scanning no more than `limit_bytes` of it whole.
#[must_use]
pub fn detect(topic: &str, bytes: &[u8], limit_bytes: usize) -> Format {
    detect_among(ALL, &Probe::new(topic, bytes, limit_bytes))
}

/// The registered format with this [`PayloadFormat::id`](super::PayloadFormat::id).
#[must_use]
pub fn by_id(id: &str) -> Option<Format> {
    ALL.iter().copied().find(|f| f.get().id() == id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::Rendered;
    use crate::diff::Diff;
    use crate::formats::{Content, Context, Decoded, PayloadFormat};

    #[test]
    fn every_format_is_registered_once() {
        let ids: HashSet<&str> = ALL.iter().map(|f| f.get().id()).collect();
        assert_eq!(ids.len(), ALL.len(), "ids are unique");
        let labels: HashSet<&str> = ALL.iter().map(|f| f.label()).collect();
        assert_eq!(labels.len(), ALL.len(), "labels are unique");
        for format in ALL {
            assert_eq!(by_id(format.get().id()), Some(*format));
        }
        assert_eq!(
            ALL.iter().map(|f| f.label()).collect::<Vec<_>>(),
            ["JSON", "Text", "Hex", "Base64", "MessagePack", "CBOR", "Sparkplug B"]
        );
    }

    #[test]
    fn detection_takes_the_surest_format_and_the_first_of_equals() {
        let packed = rmp_serde::to_vec_named(&serde_json::json!({"t": 1})).expect("msgpack");
        let cases: [(&str, &[u8], Format); 7] = [
            ("a", br#"{"t": 1}"#, Format::JSON),
            ("a", b"21.5", Format::TEXT),
            ("a", b"", Format::TEXT),
            ("a", &[0xde, 0xad, 0xbe, 0xef], Format::HEX),
            ("a", b"eyJ0IjogMX0=", Format::BASE64),
            ("a", &packed, Format::MSGPACK),
            // The topic wins over the bytes.
            ("spBv1.0/g/DDATA/e", br#"{"t": 1}"#, Format::SPARKPLUG_B),
        ];
        for (topic, bytes, format) in cases {
            assert_eq!(detect(topic, bytes, 1 << 20), format, "{bytes:?}");
        }
        // Nothing sure of a payload: hex.
        assert_eq!(
            detect_among(&[Format::TEXT], &Probe::new("a", &[0xff], 10)),
            Format::HEX
        );
        // Of two formats as sure, the first listed.
        let (first, second) = (Format::new(&Magic("first")), Format::new(&Magic("second")));
        let probe = Probe::new("a", b"MAGIC", 10);
        assert_eq!(detect_among(&[first, second], &probe), first);
        assert_eq!(detect_among(&[second, first], &probe), second);
    }

    #[test]
    fn formats_that_cannot_win_skip_their_work() {
        let probe = Probe::new("a", br#"{"t": 1}"#, 1 << 20);
        assert_eq!(detect_among(ALL, &probe), Format::JSON);
        assert!(probe.text.get().is_none(), "JSON is sure: text was not scanned for");
        assert!(!probe.beats(Confidence::Sure) && probe.beats(Confidence::Certain));
    }

    /// A format of payloads starting with "MAGIC", named by its id, for the tests.
    struct Magic(&'static str);

    impl PayloadFormat for Magic {
        fn id(&self) -> &'static str {
            self.0
        }
        fn label(&self) -> &'static str {
            "Magic"
        }
        fn detect(&self, probe: &Probe<'_>) -> Confidence {
            if probe.bytes.starts_with(b"MAGIC") {
                Confidence::Certain
            } else {
                Confidence::No
            }
        }
        fn decode(&self, payload: &[u8], _: &Context<'_>) -> (Content, Option<String>) {
            (Content::Bytes(payload.get(5..).unwrap_or_default().to_vec()), None)
        }
        fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered {
            match decoded.content() {
                Content::Bytes(inner) => crate::text::render(inner, limit_bytes),
                _ => crate::hex::render(decoded.payload(), limit_bytes),
            }
        }
        fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff {
            Format::TEXT
                .decode_bytes(newer.payload())
                .diff_from(&Format::TEXT.decode_bytes(older.payload()))
        }
    }

    #[test]
    fn a_new_format_is_one_more_line_in_the_list() {
        const MAGIC: Format = Format::new(&Magic("magic"));
        let with_magic: Vec<Format> = ALL.iter().copied().chain([MAGIC]).collect();
        let probe = Probe::new("any/topic", b"MAGIC hello", 1 << 20);
        assert_eq!(detect_among(ALL, &probe), Format::TEXT);
        assert_eq!(detect_among(&with_magic, &probe), MAGIC);
        let decoded = MAGIC.decode_bytes(b"MAGIC hello");
        assert_eq!(decoded.render(100).text, " hello");
        assert_eq!(decoded.value(), None, "no value unless the format gives one");
        assert!(MAGIC.has_value() && !MAGIC.every_byte());
        assert_eq!(MAGIC.offered(), crate::formats::Offered::Decoder);
    }
}
