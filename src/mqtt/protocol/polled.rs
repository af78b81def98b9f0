//! rumqttc's events of either protocol version, as one [`Polled`].

use std::sync::Arc;

use bytes::Bytes;
use rumqttc::Outgoing;
use rumqttc::v5;

use crate::model::{Properties, Qos};
use crate::mqtt::reasons;
use crate::mqtt::request::{MAX_INFLIGHT, MAX_INFLIGHT_V5};

/// What one poll of the event loop came to, for either version.
pub enum Polled {
    /// A message.
    Publish {
        topic: String,
        payload: Bytes,
        qos: Qos,
        retain: bool,
        dup: bool,
        properties: Option<Arc<Properties>>,
    },
    /// The broker accepted the connection; with MQTT 5 it may say the largest packet it takes.
    /// QoS 1 and 2 publishes in flight are limited to `inflight_limit` from now on.
    ConnAck {
        max_packet_size: Option<u32>,
        inflight_limit: u16,
    },
    /// The broker answered a SUBSCRIBE: the QoS granted, or why not, per filter.
    SubAck {
        pkid: u16,
        granted: Vec<Result<Qos, String>>,
    },
    /// A QoS 1 publish was acknowledged (refused, with an MQTT 5 reason code of 0x80 or more).
    PubAck { pkid: u16, refused: Option<String> },
    /// A QoS 2 publish was received by the broker, or refused (MQTT 5).
    PubRec { pkid: u16, refused: Option<String> },
    /// A QoS 2 publish is complete.
    PubComp { pkid: u16 },
    /// The broker answered an UNSUBSCRIBE.
    UnsubAck { pkid: u16 },
    /// A SUBSCRIBE went out with this packet id.
    SentSubscribe(u16),
    /// An UNSUBSCRIBE went out with this packet id.
    SentUnsubscribe(u16),
    /// A PUBLISH went out with this packet id.
    SentPublish(u16),
    /// DISCONNECT went out.
    SentDisconnect,
    /// A keep-alive ping went out.
    SentPing,
    /// Another packet from the broker (a ping's answer, a PUBREL).
    Heard,
    /// Anything else this client sent (acks).
    Other,
}

impl Polled {
    /// Whether this came from the broker (rather than telling what this client sent).
    pub fn is_from_broker(&self) -> bool {
        match self {
            Self::Publish { .. }
            | Self::ConnAck { .. }
            | Self::SubAck { .. }
            | Self::PubAck { .. }
            | Self::PubRec { .. }
            | Self::PubComp { .. }
            | Self::UnsubAck { .. }
            | Self::Heard => true,
            Self::SentSubscribe(_)
            | Self::SentUnsubscribe(_)
            | Self::SentPublish(_)
            | Self::SentDisconnect
            | Self::SentPing
            | Self::Other => false,
        }
    }
}

fn from_v4_qos(qos: rumqttc::QoS) -> Qos {
    match qos {
        rumqttc::QoS::AtMostOnce => Qos::AtMostOnce,
        rumqttc::QoS::AtLeastOnce => Qos::AtLeastOnce,
        rumqttc::QoS::ExactlyOnce => Qos::ExactlyOnce,
    }
}

fn from_v5_qos(qos: v5::mqttbytes::QoS) -> Qos {
    match qos {
        v5::mqttbytes::QoS::AtMostOnce => Qos::AtMostOnce,
        v5::mqttbytes::QoS::AtLeastOnce => Qos::AtLeastOnce,
        v5::mqttbytes::QoS::ExactlyOnce => Qos::ExactlyOnce,
    }
}

fn outgoing(outgoing: Outgoing) -> Polled {
    match outgoing {
        Outgoing::Subscribe(pkid) => Polled::SentSubscribe(pkid),
        Outgoing::Unsubscribe(pkid) => Polled::SentUnsubscribe(pkid),
        Outgoing::Publish(pkid) => Polled::SentPublish(pkid),
        Outgoing::Disconnect => Polled::SentDisconnect,
        Outgoing::PingReq => Polled::SentPing,
        _ => Polled::Other,
    }
}

/// What an MQTT 3.1.1 event comes to.
pub(super) fn v4(event: rumqttc::Event) -> Polled {
    use rumqttc::{Event, Packet, SubscribeReasonCode};
    match event {
        Event::Incoming(Packet::Publish(publish)) => Polled::Publish {
            topic: publish.topic,
            payload: publish.payload,
            qos: from_v4_qos(publish.qos),
            retain: publish.retain,
            dup: publish.dup,
            properties: None,
        },
        Event::Incoming(Packet::ConnAck(_)) => Polled::ConnAck {
            max_packet_size: None,
            inflight_limit: MAX_INFLIGHT,
        },
        Event::Incoming(Packet::SubAck(ack)) => Polled::SubAck {
            pkid: ack.pkid,
            granted: ack
                .return_codes
                .iter()
                .map(|code| match code {
                    SubscribeReasonCode::Success(qos) => Ok(from_v4_qos(*qos)),
                    SubscribeReasonCode::Failure => Err(reasons::SUBACK_V4_REFUSED.to_owned()),
                })
                .collect(),
        },
        Event::Incoming(Packet::PubAck(ack)) => Polled::PubAck {
            pkid: ack.pkid,
            refused: None,
        },
        Event::Incoming(Packet::PubRec(ack)) => Polled::PubRec {
            pkid: ack.pkid,
            refused: None,
        },
        Event::Incoming(Packet::PubComp(ack)) => Polled::PubComp { pkid: ack.pkid },
        Event::Incoming(Packet::UnsubAck(ack)) => Polled::UnsubAck { pkid: ack.pkid },
        Event::Incoming(_) => Polled::Heard,
        Event::Outgoing(outgoing) => self::outgoing(outgoing),
    }
}

/// What an MQTT 5 event comes to.
pub(super) fn v5(event: v5::Event) -> Polled {
    use v5::mqttbytes::v5::{Packet, SubscribeReasonCode as Code};
    match event {
        // An empty topic is only left by a topic alias the broker never defined: rumqttc hands
        // the message on and gives up on the connection, which the task reports.
        v5::Event::Incoming(Packet::Publish(publish)) if publish.topic.is_empty() => {
            tracing::warn!("a message under an undefined topic alias, not shown");
            Polled::Heard
        }
        v5::Event::Incoming(Packet::Publish(publish)) => {
            let properties = publish.properties.map(|p| Properties {
                content_type: p.content_type,
                payload_format_indicator: p.payload_format_indicator,
                response_topic: p.response_topic,
                correlation_data: p.correlation_data,
                user_properties: p.user_properties,
                message_expiry_secs: p.message_expiry_interval,
                subscription_identifiers: p.subscription_identifiers,
                topic_alias: p.topic_alias,
            });
            Polled::Publish {
                // MQTT 5 topics are UTF-8; a broker that sends otherwise gets its bytes shown, not dropped.
                topic: String::from_utf8(publish.topic.to_vec())
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                payload: publish.payload,
                qos: from_v5_qos(publish.qos),
                retain: publish.retain,
                dup: publish.dup,
                properties: properties.filter(|p| !p.is_empty()).map(Arc::new),
            }
        }
        v5::Event::Incoming(Packet::ConnAck(ack)) => {
            let properties = ack.properties.as_ref();
            Polled::ConnAck {
                max_packet_size: properties.and_then(|p| p.max_packet_size),
                // Without a receive maximum the broker takes 65,535 (MQTT 5, 3.2.2.3.3); more
                // than our own bound are never sent at once.
                inflight_limit: properties
                    .and_then(|p| p.receive_max)
                    .unwrap_or(u16::MAX)
                    .min(MAX_INFLIGHT_V5),
            }
        }
        v5::Event::Incoming(Packet::SubAck(ack)) => {
            let reason = ack.properties.and_then(|p| p.reason_string);
            Polled::SubAck {
                pkid: ack.pkid,
                granted: ack
                    .return_codes
                    .iter()
                    .map(|code| match (code, reasons::suback_v5(code)) {
                        (Code::Success(qos), _) => Ok(from_v5_qos(*qos)),
                        (_, words) => Err(reasons::with_reason_string(
                            words.unwrap_or_default(),
                            reason.as_deref(),
                        )),
                    })
                    .collect(),
            }
        }
        v5::Event::Incoming(Packet::PubAck(ack)) => {
            let reason = ack.properties.and_then(|p| p.reason_string);
            Polled::PubAck {
                pkid: ack.pkid,
                refused: reasons::puback_v5(ack.reason)
                    .map(|words| reasons::with_reason_string(words, reason.as_deref())),
            }
        }
        v5::Event::Incoming(Packet::PubRec(ack)) => Polled::PubRec {
            pkid: ack.pkid,
            refused: reasons::pubrec_v5(ack.reason),
        },
        v5::Event::Incoming(Packet::PubComp(ack)) => Polled::PubComp { pkid: ack.pkid },
        v5::Event::Incoming(Packet::UnsubAck(ack)) => Polled::UnsubAck { pkid: ack.pkid },
        v5::Event::Incoming(_) => Polled::Heard,
        v5::Event::Outgoing(outgoing) => self::outgoing(outgoing),
    }
}
