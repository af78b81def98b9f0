//! Saved messages and the publish history, per broker, kept across restarts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The store file name.
pub const FILE: &str = "messages";
/// Format version of the file.
pub const VERSION: u32 = 1;
/// Publishes remembered per broker.
pub const HISTORY_KEPT: usize = 50;

/// How a payload's text becomes bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// UTF-8 text; placeholders are filled in.
    #[default]
    Text,
    /// Hex digits, two a byte.
    Hex,
    /// Base64.
    Base64,
}

/// A message as typed in the publish pane.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    /// The name it was saved under (empty in the history).
    #[serde(default)]
    pub name: String,
    /// Topic.
    pub topic: String,
    /// Payload as typed.
    #[serde(default)]
    pub payload: String,
    /// How the payload text is read.
    #[serde(default)]
    pub encoding: Encoding,
    /// QoS 0, 1 or 2.
    #[serde(default)]
    pub qos: u8,
    /// Retain flag.
    #[serde(default)]
    pub retain: bool,
    /// MQTT 5 properties sent with it, if any (files written before they were kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<StoredProperties>,
}

impl StoredMessage {
    fn same_content(&self, other: &Self) -> bool {
        (
            &self.topic,
            &self.payload,
            self.encoding,
            self.qos,
            self.retain,
            &self.properties,
        ) == (
            &other.topic,
            &other.payload,
            other.encoding,
            other.qos,
            other.retain,
            &other.properties,
        )
    }
}

/// A message's MQTT 5 properties, as the publish pane sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredProperties {
    /// Content type (a MIME type, by convention).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Payload format indicator 1: the payload is UTF-8 text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub utf8: bool,
    /// Where a reply should go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_topic: Option<String>,
    /// Correlation data, as text (bytes that are not UTF-8 are kept lossily).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_data: Option<String>,
    /// Message expiry, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_secs: Option<u32>,
    /// User properties, in their order (a name may repeat).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_properties: Vec<(String, String)>,
}

impl StoredProperties {
    /// The properties of a received message worth sending again (not those the broker sets:
    /// subscription identifiers, topic alias); `None` when none is set.
    pub fn of(properties: &crate::model::Properties) -> Option<Self> {
        let stored = Self {
            content_type: properties.content_type.clone(),
            utf8: properties.payload_format_indicator == Some(1),
            response_topic: properties.response_topic.clone(),
            correlation_data: properties
                .correlation_data
                .as_ref()
                .map(|d| String::from_utf8_lossy(d).into_owned()),
            expiry_secs: properties.message_expiry_secs,
            user_properties: properties.user_properties.clone(),
        };
        (stored != Self::default()).then_some(stored)
    }
}

/// Saved messages and history of one broker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerMessages {
    /// Named messages, in the user's order.
    #[serde(default)]
    pub saved: Vec<StoredMessage>,
    /// What was published, newest first.
    #[serde(default)]
    pub history: Vec<StoredMessage>,
}

impl BrokerMessages {
    /// Remember a publish: newest first, no repeats of the same message, bounded.
    pub fn record(&mut self, message: StoredMessage) {
        self.history.retain(|m| !m.same_content(&message));
        self.history.insert(
            0,
            StoredMessage {
                name: String::new(),
                ..message
            },
        );
        self.history.truncate(HISTORY_KEPT);
    }

    /// Save `message` under its name, replacing one of the same name.
    pub fn save(&mut self, message: StoredMessage) {
        match self.saved.iter_mut().find(|m| m.name == message.name) {
            Some(existing) => *existing = message,
            None => self.saved.push(message),
        }
    }

    /// Add `messages` to the end of the saved ones, in their order: one whose content is
    /// already saved is not added again, and a name already taken gets a number (`a/b (2)`).
    /// Returns how many were added.
    pub fn import(&mut self, messages: Vec<StoredMessage>) -> usize {
        let mut names: std::collections::HashSet<String> = self.saved.iter().map(|m| m.name.clone()).collect();
        let before = self.saved.len();
        for mut message in messages {
            if self.saved.iter().any(|m| m.same_content(&message)) {
                continue;
            }
            let base = std::mem::take(&mut message.name);
            let mut name = base.clone();
            let mut n = 1;
            while names.contains(&name) {
                n += 1;
                name = format!("{base} ({n})");
            }
            names.insert(name.clone());
            message.name = name;
            self.saved.push(message);
        }
        self.saved.len() - before
    }

    /// Move saved message `index` one place up (towards the start) or down.
    pub fn move_saved(&mut self, index: usize, up: bool) {
        let other = if up { index.checked_sub(1) } else { Some(index + 1) };
        if let Some(other) = other.filter(|&o| o < self.saved.len() && index < self.saved.len()) {
            self.saved.swap(index, other);
        }
    }
}

/// The whole file: the messages of every profile (`profile:ID`) and of every broker connected
/// to without a profile (`host:port`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagesFile {
    /// Format version.
    pub version: u32,
    /// By `profile:ID`, or by broker address (`host:port`).
    #[serde(default)]
    pub brokers: BTreeMap<String, BrokerMessages>,
}

impl Default for MessagesFile {
    fn default() -> Self {
        Self {
            version: VERSION,
            brokers: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(topic: &str, payload: &str) -> StoredMessage {
        StoredMessage {
            topic: topic.into(),
            payload: payload.into(),
            ..StoredMessage::default()
        }
    }

    #[test]
    fn history_is_newest_first_without_repeats_and_bounded() {
        let mut messages = BrokerMessages::default();
        messages.record(message("a", "1"));
        messages.record(message("b", "2"));
        messages.record(message("a", "1"));
        let topics: Vec<&str> = messages.history.iter().map(|m| m.topic.as_str()).collect();
        assert_eq!(topics, ["a", "b"]);
        for i in 0..100 {
            messages.record(message("x", &i.to_string()));
        }
        assert_eq!(messages.history.len(), HISTORY_KEPT);
    }

    #[test]
    fn saved_messages_replace_by_name_and_reorder() {
        let mut messages = BrokerMessages::default();
        for name in ["on", "off", "toggle"] {
            messages.save(StoredMessage {
                name: name.into(),
                ..message("lamp/set", name)
            });
        }
        messages.save(StoredMessage {
            name: "off".into(),
            ..message("lamp/set", "OFF")
        });
        messages.move_saved(2, true);
        messages.move_saved(0, true); // already first: nothing happens
        let names: Vec<&str> = messages.saved.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["on", "toggle", "off"]);
        assert_eq!(messages.saved[2].payload, "OFF");
    }

    #[test]
    fn imported_messages_get_free_names_and_repeats_are_not_added() {
        let mut messages = BrokerMessages::default();
        messages.save(StoredMessage {
            name: "lamp/set".into(),
            ..message("lamp/set", "ON")
        });
        let named = |topic: &str, payload: &str| StoredMessage {
            name: topic.into(),
            ..message(topic, payload)
        };
        let added = messages.import(vec![
            named("lamp/set", "ON"),
            named("lamp/set", "OFF"),
            named("lamp/set", "TOGGLE"),
            named("fan", "1"),
        ]);
        assert_eq!(added, 3);
        let names: Vec<&str> = messages.saved.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["lamp/set", "lamp/set (2)", "lamp/set (3)", "fan"]);
        assert_eq!(messages.saved[2].payload, "TOGGLE");
    }

    #[test]
    fn reads_a_file_with_missing_fields() {
        let file: MessagesFile =
            serde_json::from_str(r#"{"version":1,"brokers":{"pi:1883":{"saved":[{"name":"x","topic":"t"}]}}}"#)
                .expect("parses");
        let broker = &file.brokers["pi:1883"];
        assert_eq!(broker.saved[0].encoding, Encoding::Text);
        assert!(broker.history.is_empty());
    }

    #[test]
    fn properties_are_kept_and_a_message_without_them_reads_as_before() {
        let with = StoredMessage {
            properties: Some(StoredProperties {
                response_topic: Some("lab/reply".into()),
                user_properties: vec![("a".into(), "1".into())],
                ..StoredProperties::default()
            }),
            ..message("lab/ping", "x")
        };
        let text = serde_json::to_string(&with).expect("written");
        assert!(
            text.contains(r#""properties":{"response_topic":"lab/reply","user_properties":[["a","1"]]}"#),
            "{text}"
        );
        let back: StoredMessage = serde_json::from_str(&text).expect("read back");
        assert_eq!(back, with);
        let without = serde_json::to_string(&message("lab/ping", "x")).expect("written");
        assert!(!without.contains("properties"), "{without}");
        // The same message with other properties is another message in the history.
        let mut history = BrokerMessages::default();
        history.record(with.clone());
        history.record(message("lab/ping", "x"));
        assert_eq!(history.history.len(), 2);
    }
}
