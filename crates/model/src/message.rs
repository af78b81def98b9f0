//! One received MQTT message, as the model keeps it.

use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;

/// MQTT quality of service level (0, 1 or 2 in files).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Qos {
    /// At most once (0).
    #[default]
    AtMostOnce,
    /// At least once (1).
    AtLeastOnce,
    /// Exactly once (2).
    ExactlyOnce,
}

impl Qos {
    /// All levels, lowest first.
    pub const ALL: [Self; 3] = [Self::AtMostOnce, Self::AtLeastOnce, Self::ExactlyOnce];

    /// The level as its number, 0 to 2.
    pub fn level(self) -> u8 {
        match self {
            Self::AtMostOnce => 0,
            Self::AtLeastOnce => 1,
            Self::ExactlyOnce => 2,
        }
    }

    /// The level for a number, if it is one.
    pub fn from_level(level: u8) -> Option<Self> {
        match level {
            0 => Some(Self::AtMostOnce),
            1 => Some(Self::AtLeastOnce),
            2 => Some(Self::ExactlyOnce),
            _ => None,
        }
    }
}

impl From<Qos> for u8 {
    fn from(qos: Qos) -> Self {
        qos.level()
    }
}

impl TryFrom<u8> for Qos {
    type Error = String;

    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Self::from_level(level).ok_or_else(|| format!("QoS {level} does not exist (0, 1 or 2)"))
    }
}

impl std::fmt::Display for Qos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.level())
    }
}

/// A message as stored under its topic: the payload is shared, never copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The payload bytes, exactly as received.
    pub payload: Bytes,
    /// QoS the message was delivered with.
    pub qos: Qos,
    /// Whether the broker delivered it as a retained message.
    pub retain: bool,
    /// Whether the broker marked it as a redelivery (DUP; QoS 1 and 2 only).
    pub dup: bool,
    /// Wall-clock time it arrived.
    pub received_at: SystemTime,
    /// MQTT 5 properties, when it came with any.
    pub properties: Option<Arc<Properties>>,
}

/// The MQTT 5 properties of a received message (topic aliases already resolved).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Properties {
    /// Content type (a MIME type, by convention).
    pub content_type: Option<String>,
    /// Payload format indicator: 0 unspecified bytes, 1 UTF-8 text.
    pub payload_format_indicator: Option<u8>,
    /// Where a reply is expected.
    pub response_topic: Option<String>,
    /// Correlation data for the reply.
    pub correlation_data: Option<Bytes>,
    /// User properties, in the order sent (a name may repeat).
    pub user_properties: Vec<(String, String)>,
    /// Seconds the message had left before expiring when the broker sent it.
    pub message_expiry_secs: Option<u32>,
    /// Identifiers of the subscriptions it matched.
    pub subscription_identifiers: Vec<usize>,
    /// The topic alias the broker used for it, if any.
    pub topic_alias: Option<u16>,
}

impl Properties {
    /// Whether no property is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Message {
    /// A message with the given payload, QoS 0, not retained, received now.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Self {
            payload: payload.into(),
            qos: Qos::AtMostOnce,
            retain: false,
            dup: false,
            received_at: SystemTime::now(),
            properties: None,
        }
    }

    /// Payload size in bytes.
    pub fn size_bytes(&self) -> usize {
        self.payload.len()
    }
}

/// A message together with the topic it was published on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The full topic name.
    pub topic: String,
    /// The message.
    pub message: Message,
}

impl Received {
    /// An example for tests and benchmarks.
    pub fn example(topic: &str, payload: &str) -> Self {
        Self {
            topic: topic.to_owned(),
            message: Message::new(payload.as_bytes().to_vec()),
        }
    }
}
