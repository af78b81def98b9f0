//! The numbers a message offers to chart: the payload itself as a number, or
//! the fields of its decoded value by path, read in the format the chart reads
//! that topic in.

use serde_json::Value;

use super::points;
use crate::model::Message;
use crate::payload::{self, Format, numbers};

/// What one message holds to chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Numbers {
    /// The payload as a number (`21.5`, `21.5 °C`, `ON`), if it is one.
    pub plain: Option<f64>,
    /// The fields of its decoded value that hold numbers, by path, in document order.
    pub fields: Vec<(String, f64)>,
}

impl Numbers {
    /// The numbers of `payload`: `root` is its value decoded in the chart's format when the
    /// caller has it already; else it is decoded in `format` (when it is no number itself).
    pub fn read(payload: &bytes::Bytes, format: Format, root: Option<Value>) -> Self {
        let plain = numbers::read(payload).map(|r| r.value);
        let root = match root {
            _ if plain.is_some() || payload.len() > numbers::MAX_BYTES => None,
            Some(root) => Some(root),
            None => points::decode(payload, format),
        };
        let plain = plain.or_else(|| root.as_ref().and_then(numbers::read_value).map(|r| r.value));
        let mut fields = root.as_ref().map(numbers::fields).unwrap_or_default();
        fields.retain(|(path, _)| !path.is_empty());
        Numbers { plain, fields }
    }

    /// Whether there is any number to chart.
    pub fn is_empty(&self) -> bool {
        self.plain.is_none() && self.fields.is_empty()
    }

    /// What may be charted, as the menus offer it: `None` for the payload as a number, then each
    /// field's path; with the current value.
    pub fn offered(&self) -> Vec<(Option<&str>, f64)> {
        let plain = self.plain.map(|value| (None, value));
        plain
            .into_iter()
            .chain(self.fields.iter().map(|(path, value)| (Some(path.as_str()), *value)))
            .collect()
    }
}

/// The format a topic's numbers are read in when it is not the one viewed: detected from its
/// `message` (JSON for the plain formats, the decoder itself for MessagePack, CBOR, Sparkplug B).
pub fn detected_format(topic: &str, message: &Message) -> Format {
    points::read_format(payload::detect_for_topic(topic, &message.payload, numbers::MAX_BYTES))
}

/// The numbers of another topic's `message`, read in its detected format.
pub fn of_message(topic: &str, message: &Message) -> (Format, Numbers) {
    let format = detected_format(topic, message);
    (format, Numbers::read(&message.payload, format, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_number_and_json_fields_are_offered() {
        let (format, plain) = of_message("room/temp", &Message::new(b"21.5 \xc2\xb0C".to_vec()));
        assert_eq!(format, Format::JSON);
        assert_eq!(plain.offered(), [(None, 21.5)]);
        let (_, json) = of_message("room/sensor", &Message::new(br#"{"t":20,"id":"a","ok":true}"#.to_vec()));
        assert_eq!(json.offered(), [(Some("t"), 20.0), (Some("ok"), 1.0)]);
        let (_, text) = of_message("room/name", &Message::new(b"kitchen".to_vec()));
        assert!(text.is_empty());
    }

    #[test]
    fn decoded_payloads_offer_their_fields() {
        let packed = rmp_serde::to_vec_named(&serde_json::json!({"t": 21.5})).expect("msgpack");
        let (format, numbers) = of_message("room/packed", &Message::new(packed));
        assert_eq!(format, Format::MSGPACK);
        assert_eq!(numbers.offered(), [(Some("t"), 21.5)]);
    }
}
