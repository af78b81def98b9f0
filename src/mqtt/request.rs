//! What the rest of the program asks of a connection, and the limits both the
//! connection task and the protocol layer keep to.

use crate::model::{Properties, Qos};

/// The largest packet MQTT allows (256 MiB): payloads of any size arrive whole.
pub const MAX_PACKET_BYTES: usize = 268_435_455;

/// QoS 1 and 2 publishes in flight at most with MQTT 3.1.1 (Mosquitto's default
/// `max_inflight_messages`); MQTT 5 takes the broker's receive maximum from CONNACK.
pub const MAX_INFLIGHT: u16 = 20;

/// A message to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishRequest {
    /// Chosen by the caller; the [`crate::model::Event::Published`] outcome carries it back.
    pub id: u64,
    /// Topic name (no wildcards).
    pub topic: String,
    /// Payload bytes.
    pub payload: bytes::Bytes,
    /// Delivery QoS.
    pub qos: Qos,
    /// Whether the broker should retain it.
    pub retain: bool,
    /// MQTT 5 properties to send with it (content type, response topic, correlation data,
    /// user properties, message expiry, payload format); refused on an MQTT 3.1.1 connection.
    pub properties: Option<Box<Properties>>,
}

/// Requests from the UI to a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Publish a message; an [`crate::model::Event::Published`] reports the outcome.
    Publish(PublishRequest),
    /// Send DISCONNECT and stop.
    Disconnect,
}
