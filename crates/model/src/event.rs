//! What a connection reports to the model: messages, state changes, and the
//! outcome of subscriptions. Plain data, so the model needs no network code.

use std::time::{Instant, SystemTime};

use super::message::{Qos, Received};

/// One report from a connection.
#[derive(Clone, Debug)]
pub enum Event {
    /// Messages received, in arrival order.
    Messages(Vec<Received>),
    /// The connection's state changed.
    State(ConnectionState),
    /// The broker answered a subscription request.
    Subscribed(Vec<SubscriptionOutcome>),
    /// The broker confirmed these filters are no longer subscribed (or, offline, they will not
    /// be on the next connection).
    Unsubscribed(Vec<String>),
    /// What became of a message this client published.
    Published {
        /// The id the publish request was given.
        id: u64,
        /// Its outcome.
        outcome: PublishOutcome,
    },
}

/// What became of a published message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishOutcome {
    /// Written to the connection (QoS 0: the broker sends no acknowledgement).
    Sent,
    /// The broker acknowledged it: PUBACK (QoS 1) or PUBCOMP (QoS 2).
    Acknowledged {
        /// The acknowledging packet's name.
        packet: &'static str,
    },
    /// It was not delivered to the broker, and why.
    Failed(String),
}

/// The broker's answer to one filter of a subscription request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionOutcome {
    /// The filter asked for.
    pub filter: String,
    /// The QoS granted, or why the broker refused it.
    pub granted: Result<Qos, String>,
}

/// Where a connection stands.
/// The MQTT protocol version a connection speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum MqttVersion {
    /// MQTT 3.1.1, which every broker speaks.
    #[default]
    #[serde(rename = "3.1.1")]
    V311,
    /// MQTT 5: properties, reason codes, session expiry.
    #[serde(rename = "5")]
    V5,
}

impl MqttVersion {
    /// As people write it: "3.1.1" or "5".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V311 => "3.1.1",
            Self::V5 => "5",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// Opening the connection.
    Connecting {
        /// 1 for the first try.
        attempt: u32,
    },
    /// Connected and subscribed (or subscribing).
    Connected {
        /// When the connection was made.
        since: SystemTime,
        /// The protocol version spoken.
        version: MqttVersion,
        /// Whether that is 3.1.1 because the broker did not speak MQTT 5.
        fell_back: bool,
    },
    /// The connection was lost or could not be made; another try is scheduled.
    Reconnecting {
        /// Why the last try failed, in words.
        reason: String,
        /// When the next try starts.
        retry_at: Instant,
        /// How many tries failed in a row.
        failures: u32,
    },
    /// Gave up: trying again would not help until something changes.
    Failed {
        /// Why, in words, with what to do about it.
        reason: String,
    },
    /// Closed on request.
    Disconnected,
}

impl ConnectionState {
    /// Whether the connection is up.
    pub fn is_connected(&self) -> bool {
        matches!(self, Self::Connected { .. })
    }

    /// Whether the connection task has ended (nothing more will happen without a new connection).
    pub fn is_ended(&self) -> bool {
        matches!(self, Self::Failed { .. } | Self::Disconnected)
    }
}
