//! What the rest of the program asks of a connection, and the limits both the
//! connection task and the protocol layer keep to.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::{Properties, Qos, Subscription};

/// The largest packet MQTT allows (256 MiB): payloads of any size arrive whole.
pub const MAX_PACKET_BYTES: usize = 268_435_455;

/// QoS 1 and 2 publishes in flight at most with MQTT 3.1.1 (Mosquitto's default
/// `max_inflight_messages`); MQTT 5 takes the broker's receive maximum from CONNACK.
pub const MAX_INFLIGHT: u16 = 20;

/// QoS 1 and 2 publishes in flight at most with MQTT 5, whatever receive maximum the broker
/// allows (up to 65,535): rumqttc sets a slot aside for each when a connection opens, and
/// 65,536 of them took tens of milliseconds to make before a connection could start.
pub const MAX_INFLIGHT_V5: u16 = 1024;

/// The id a publish is known by until its outcome is reported
/// ([`crate::model::Event::Published`] carries it as [`PublishId::get`]).
/// Handed out by [`crate::mqtt::Connection::publish`], never twice in one process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublishId(u64);

impl PublishId {
    /// A fresh id, different from every id handed out before in this process.
    pub(crate) fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// The id as the model keeps it.
    pub fn get(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
impl PublishId {
    /// An id for tests of the pure parts.
    pub(crate) fn example(id: u64) -> Self {
        Self(id)
    }
}

/// A message to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishRequest {
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

impl PublishRequest {
    /// The size of the PUBLISH packet for this request, a little over rather than under.
    pub fn packet_size(&self) -> usize {
        let properties = self.properties.as_ref().map_or(0, |p| {
            let text = |s: &Option<String>| s.as_ref().map_or(0, |s| s.len() + 3);
            text(&p.content_type)
                + text(&p.response_topic)
                + p.correlation_data.as_ref().map_or(0, |d| d.len() + 3)
                + p.user_properties
                    .iter()
                    .map(|(k, v)| k.len() + v.len() + 5)
                    .sum::<usize>()
                + 16
        });
        // Fixed header (at most 5), topic length and name, packet id, properties length.
        5 + 2 + self.topic.len() + 2 + 4 + properties + self.payload.len()
    }
}

/// Requests from the UI to a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Publish a message; an [`crate::model::Event::Published`] with `id` reports the outcome.
    Publish {
        /// The id its outcome is reported under.
        id: PublishId,
        /// What to publish.
        request: PublishRequest,
    },
    /// Subscribe to one more filter, now and on every reconnection.
    Subscribe(Subscription),
    /// Unsubscribe from a filter, and no longer subscribe to it on reconnection.
    Unsubscribe(String),
    /// Hand every message received from now on to a recording (`None`: stop recording, after
    /// handing over what was received before).
    Record(Option<crate::record::RecordSink>),
    /// Send DISCONNECT and stop.
    Disconnect,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_never_handed_out_twice() {
        let first = PublishId::next();
        let second = PublishId::next();
        assert!(second > first);
        assert_ne!(first.get(), second.get());
    }

    #[test]
    fn the_packet_size_counts_topic_payload_and_properties() {
        let mut request = PublishRequest {
            topic: "a/b".into(),
            payload: bytes::Bytes::from_static(b"12345"),
            qos: Qos::AtLeastOnce,
            retain: false,
            properties: None,
        };
        assert_eq!(request.packet_size(), 5 + 2 + 3 + 2 + 4 + 5);
        request.properties = Some(Box::new(Properties {
            content_type: Some("json".into()),
            ..Properties::default()
        }));
        assert_eq!(request.packet_size(), 5 + 2 + 3 + 2 + 4 + (4 + 3 + 16) + 5);
    }
}
