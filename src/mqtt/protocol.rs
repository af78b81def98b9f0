//! MQTT 3.1.1 and MQTT 5 behind one face. rumqttc has a client, an event
//! loop, packets and errors of its own for each version; the connection task
//! sees only what is here.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use rumqttc::v5;
use rumqttc::{Outgoing, TlsConfiguration, Transport};

use super::reasons;
use super::request::{MAX_INFLIGHT, MAX_PACKET_BYTES, PublishRequest};
use super::settings::{ConnectionSettings, MqttVersion, Scheme};
use super::tls::{SetupError, client_config};
use crate::model::{Properties, Qos, Subscription};

/// Sends requests to the event loop; never blocks.
pub enum Client {
    /// MQTT 3.1.1.
    V4(rumqttc::AsyncClient),
    /// MQTT 5.
    V5(v5::AsyncClient),
}

/// rumqttc's event loop for one connection.
pub enum EventLoop {
    /// MQTT 3.1.1.
    V4(Box<rumqttc::EventLoop>),
    /// MQTT 5.
    V5(Box<v5::EventLoop>),
}

/// Why a connection failed, as rumqttc said it.
#[derive(Debug)]
pub enum ConnectionError {
    /// MQTT 3.1.1.
    V4(rumqttc::ConnectionError),
    /// MQTT 5.
    V5(v5::ConnectionError),
}

impl std::fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::V4(error) => error.fmt(f),
            Self::V5(error) => error.fmt(f),
        }
    }
}

/// A request rumqttc did not take.
pub enum SendError {
    /// Its request queue is full: try again after the event loop took some.
    Full,
    /// Anything else, in words.
    Other(String),
}

/// What one poll of the event loop came to, for either version.
pub enum Polled {
    /// A message.
    Publish {
        topic: String,
        payload: Bytes,
        qos: Qos,
        retain: bool,
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
    /// A SUBSCRIBE went out with this packet id.
    SentSubscribe(u16),
    /// A PUBLISH went out with this packet id.
    SentPublish(u16),
    /// DISCONNECT went out.
    SentDisconnect,
    /// Anything else (pings, acks this client sends).
    Other,
}

/// A client and event loop for `settings`, unconnected; fails when the TLS files cannot be used.
pub fn open(settings: &ConnectionSettings, request_queue: usize) -> Result<(Client, EventLoop), SetupError> {
    let address = &settings.address;
    // For WebSockets rumqttc takes the whole URL as the host (and ignores the port).
    let host = if address.scheme.is_websocket() {
        address.to_string()
    } else {
        address.host.clone()
    };
    let tls = || client_config(&settings.tls).map(TlsConfiguration::Rustls);
    let transport = match address.scheme {
        Scheme::Mqtt => Transport::Tcp,
        Scheme::Mqtts => Transport::Tls(tls()?),
        Scheme::Ws => Transport::Ws,
        Scheme::Wss => Transport::Wss(tls()?),
    };
    let keep_alive = Duration::from_secs(u64::from(settings.keep_alive_secs.max(5)));
    let timeout = u64::from(settings.connect_timeout_secs.max(1));
    let password = settings.password.clone().unwrap_or_default();
    Ok(match settings.version {
        MqttVersion::V311 => {
            let mut options = rumqttc::MqttOptions::new(settings.client_id.clone(), host, address.port);
            options.set_transport(transport);
            options.set_keep_alive(keep_alive);
            options.set_max_packet_size(MAX_PACKET_BYTES, MAX_PACKET_BYTES);
            options.set_clean_session(settings.clean_session);
            if let Some(will) = &settings.last_will {
                options.set_last_will(rumqttc::LastWill::new(
                    will.topic.clone(),
                    will.payload.clone(),
                    to_v4_qos(will.qos),
                    will.retain,
                ));
            }
            // MQTT 3.1.1 has no receive maximum to negotiate; Mosquitto allows 20 QoS 1 and 2
            // messages in flight from a client by default and drops a client that sends more
            // (PUBREC "quota exceeded", then the socket). Stay within it.
            options.set_inflight(MAX_INFLIGHT);
            if let Some(username) = &settings.username {
                options.set_credentials(username.clone(), password);
            }
            let (client, mut eventloop) = rumqttc::AsyncClient::new(options, request_queue);
            eventloop.network_options.set_connection_timeout(timeout);
            (Client::V4(client), EventLoop::V4(Box::new(eventloop)))
        }
        MqttVersion::V5 => {
            let v5 = &settings.v5;
            let mut options = v5::MqttOptions::new(settings.client_id.clone(), host, address.port);
            options.set_transport(transport);
            options.set_keep_alive(keep_alive);
            options.set_clean_start(settings.clean_session);
            if let Some(will) = &settings.last_will {
                options.set_last_will(v5::mqttbytes::v5::LastWill::new(
                    will.topic.clone(),
                    will.payload.clone(),
                    to_v5_qos(will.qos),
                    will.retain,
                    None,
                ));
            }
            options.set_connection_timeout(timeout);
            let max_packet = v5.maximum_packet_size.unwrap_or(MAX_PACKET_BYTES as u32);
            options.set_max_packet_size(Some(max_packet));
            options.set_session_expiry_interval(v5.session_expiry_secs);
            options.set_receive_maximum(v5.receive_maximum);
            options.set_user_properties(v5.user_properties.clone());
            // The broker's receive maximum (from CONNACK) limits QoS 1 and 2 in flight.
            options.set_outgoing_inflight_upper_limit(u16::MAX);
            if let Some(username) = &settings.username {
                options.set_credentials(username.clone(), password);
            }
            let (client, eventloop) = v5::AsyncClient::new(options, request_queue);
            (Client::V5(client), EventLoop::V5(Box::new(eventloop)))
        }
    })
}

fn to_v4_qos(qos: Qos) -> rumqttc::QoS {
    match qos {
        Qos::AtMostOnce => rumqttc::QoS::AtMostOnce,
        Qos::AtLeastOnce => rumqttc::QoS::AtLeastOnce,
        Qos::ExactlyOnce => rumqttc::QoS::ExactlyOnce,
    }
}

fn from_v4_qos(qos: rumqttc::QoS) -> Qos {
    match qos {
        rumqttc::QoS::AtMostOnce => Qos::AtMostOnce,
        rumqttc::QoS::AtLeastOnce => Qos::AtLeastOnce,
        rumqttc::QoS::ExactlyOnce => Qos::ExactlyOnce,
    }
}

fn to_v5_qos(qos: Qos) -> v5::mqttbytes::QoS {
    match qos {
        Qos::AtMostOnce => v5::mqttbytes::QoS::AtMostOnce,
        Qos::AtLeastOnce => v5::mqttbytes::QoS::AtLeastOnce,
        Qos::ExactlyOnce => v5::mqttbytes::QoS::ExactlyOnce,
    }
}

fn from_v5_qos(qos: v5::mqttbytes::QoS) -> Qos {
    match qos {
        v5::mqttbytes::QoS::AtMostOnce => Qos::AtMostOnce,
        v5::mqttbytes::QoS::AtLeastOnce => Qos::AtLeastOnce,
        v5::mqttbytes::QoS::ExactlyOnce => Qos::ExactlyOnce,
    }
}

impl Client {
    /// Subscribe to `subscriptions` in one SUBSCRIBE.
    pub fn subscribe(&self, subscriptions: &[Subscription]) -> Result<(), String> {
        match self {
            Self::V4(client) => client
                .try_subscribe_many(
                    subscriptions
                        .iter()
                        .map(|s| rumqttc::SubscribeFilter::new(s.filter.clone(), to_v4_qos(s.qos))),
                )
                .map_err(|e| e.to_string()),
            Self::V5(client) => client
                .try_subscribe_many(
                    subscriptions
                        .iter()
                        .map(|s| v5::mqttbytes::v5::Filter::new(s.filter.clone(), to_v5_qos(s.qos))),
                )
                .map_err(|e| e.to_string()),
        }
    }

    /// Hand a publish to rumqttc.
    pub fn publish(&self, request: &PublishRequest) -> Result<(), SendError> {
        let topic = request.topic.clone();
        let payload = request.payload.clone();
        match self {
            Self::V4(_) if request.properties.is_some() => Err(SendError::Other(
                "MQTT 5 properties need an MQTT 5 connection (choose MQTT 5 in the profile)".to_owned(),
            )),
            Self::V5(client) if request.properties.is_some() => {
                let p = request.properties.as_deref().cloned().unwrap_or_default();
                let properties = v5::mqttbytes::v5::PublishProperties {
                    payload_format_indicator: p.payload_format_indicator,
                    message_expiry_interval: p.message_expiry_secs,
                    topic_alias: None,
                    response_topic: p.response_topic,
                    correlation_data: p.correlation_data,
                    user_properties: p.user_properties,
                    subscription_identifiers: Vec::new(),
                    content_type: p.content_type,
                };
                client
                    .try_publish_with_properties(topic, to_v5_qos(request.qos), request.retain, payload, properties)
                    .map_err(|e| match e {
                        v5::ClientError::TryRequest(_) => SendError::Full,
                        other => SendError::Other(other.to_string()),
                    })
            }
            Self::V4(client) => client
                .try_publish(topic, to_v4_qos(request.qos), request.retain, payload)
                .map_err(|e| match e {
                    rumqttc::ClientError::TryRequest(_) => SendError::Full,
                    other => SendError::Other(other.to_string()),
                }),
            Self::V5(client) => client
                .try_publish(topic, to_v5_qos(request.qos), request.retain, payload)
                .map_err(|e| match e {
                    v5::ClientError::TryRequest(_) => SendError::Full,
                    other => SendError::Other(other.to_string()),
                }),
        }
    }

    /// Ask for a clean DISCONNECT; false if it could not be queued.
    pub fn disconnect(&self) -> bool {
        match self {
            Self::V4(client) => client.try_disconnect().is_ok(),
            Self::V5(client) => client.try_disconnect().is_ok(),
        }
    }
}

impl EventLoop {
    /// The next event, for either version.
    pub async fn poll(&mut self) -> Result<Polled, ConnectionError> {
        match self {
            Self::V4(eventloop) => eventloop.poll().await.map(polled_v4).map_err(ConnectionError::V4),
            Self::V5(eventloop) => eventloop.poll().await.map(polled_v5).map_err(ConnectionError::V5),
        }
    }

    /// Whether the packets rumqttc read in its last burst have all been handed out.
    pub fn burst_used_up(&self) -> bool {
        match self {
            Self::V4(eventloop) => eventloop.state.events.is_empty(),
            Self::V5(eventloop) => eventloop.state.events.is_empty(),
        }
    }

    /// After a failure: drop what rumqttc kept of the old connection that would stall the
    /// next one (a stuck collision, stale acks). Messages already read are kept.
    pub fn forget_old_connection(&mut self) {
        match self {
            Self::V4(eventloop) => {
                eventloop.state.collision = None;
                eventloop
                    .state
                    .events
                    .retain(|event| matches!(event, rumqttc::Event::Incoming(rumqttc::Packet::Publish(_))));
            }
            Self::V5(eventloop) => {
                eventloop.state.collision = None;
                eventloop
                    .state
                    .events
                    .retain(|event| matches!(event, v5::Event::Incoming(v5::mqttbytes::v5::Packet::Publish(_))));
            }
        }
    }
}

fn polled_outgoing(outgoing: Outgoing) -> Polled {
    match outgoing {
        Outgoing::Subscribe(pkid) => Polled::SentSubscribe(pkid),
        Outgoing::Publish(pkid) => Polled::SentPublish(pkid),
        Outgoing::Disconnect => Polled::SentDisconnect,
        _ => Polled::Other,
    }
}

fn polled_v4(event: rumqttc::Event) -> Polled {
    use rumqttc::{Event, Packet, SubscribeReasonCode};
    match event {
        Event::Incoming(Packet::Publish(publish)) => Polled::Publish {
            topic: publish.topic,
            payload: publish.payload,
            qos: from_v4_qos(publish.qos),
            retain: publish.retain,
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
        Event::Incoming(_) => Polled::Other,
        Event::Outgoing(outgoing) => polled_outgoing(outgoing),
    }
}

fn polled_v5(event: v5::Event) -> Polled {
    use v5::mqttbytes::v5::{Packet, SubscribeReasonCode as Code};
    match event {
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
                properties: properties.filter(|p| !p.is_empty()).map(Arc::new),
            }
        }
        v5::Event::Incoming(Packet::ConnAck(ack)) => {
            let properties = ack.properties.as_ref();
            Polled::ConnAck {
                max_packet_size: properties.and_then(|p| p.max_packet_size),
                // Without a receive maximum the broker takes 65,535 (MQTT 5, 3.2.2.3.3).
                inflight_limit: properties.and_then(|p| p.receive_max).unwrap_or(u16::MAX),
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
        v5::Event::Incoming(_) => Polled::Other,
        v5::Event::Outgoing(outgoing) => polled_outgoing(outgoing),
    }
}
