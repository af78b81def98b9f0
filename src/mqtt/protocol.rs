//! MQTT 3.1.1 and MQTT 5 behind one face. rumqttc has a client, an event
//! loop, packets and errors of its own for each version; the connection task
//! sees only what is here.

use std::time::Duration;

use rumqttc::v5;
use rumqttc::{TlsConfiguration, Transport};
use tungstenite::http::{HeaderValue, Request};

use super::request::{MAX_INFLIGHT, MAX_INFLIGHT_V5, MAX_PACKET_BYTES, PublishRequest};
use super::settings::{ConnectionSettings, MqttVersion, Scheme};
use super::tls::{SetupError, client_config};
use super::tunnel::Tunnel;
use crate::model::{Qos, RetainHandling, Subscription};

mod polled;

pub use polled::Polled;

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
    /// The broker broke the protocol in a way rumqttc answers by giving up without an error
    /// (a topic alias it never defined): what it did, in words.
    BrokerBrokeProtocol(&'static str),
}

impl std::fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::V4(error) => error.fmt(f),
            Self::V5(error) => error.fmt(f),
            Self::BrokerBrokeProtocol(what) => f.write_str(what),
        }
    }
}

/// What an MQTT 5 DISCONNECT this client did not ask for means: rumqttc sends one only when
/// the broker used a topic alias it never defined.
pub const UNDEFINED_TOPIC_ALIAS: &str = "it sent a message under a topic alias it never defined";

/// A request rumqttc did not take.
pub enum SendError {
    /// Its request queue is full: try again after the event loop took some.
    Full,
    /// Anything else, in words.
    Other(String),
}

/// The error rumqttc gives when a ping went unanswered, for a connection speaking `version`.
pub fn no_ping_answer(version: MqttVersion) -> ConnectionError {
    match version {
        MqttVersion::V311 => {
            ConnectionError::V4(rumqttc::ConnectionError::MqttState(rumqttc::StateError::AwaitPingResp))
        }
        MqttVersion::V5 => ConnectionError::V5(v5::ConnectionError::MqttState(v5::StateError::AwaitPingResp)),
    }
}

/// The keep-alive the connection runs with: as set, and at least 5 s (rumqttc's floor).
pub fn keep_alive(settings: &ConnectionSettings) -> Duration {
    Duration::from_secs(u64::from(settings.keep_alive_secs.max(5)))
}

/// A client and event loop for `settings` speaking `version`, unconnected; fails when the TLS
/// files cannot be used. With a `tunnel`, rumqttc connects to its entrance over plain TCP or
/// plain WebSockets, and the tunnel does the rest (proxy, TLS).
pub fn open(
    settings: &ConnectionSettings,
    version: MqttVersion,
    request_queue: usize,
    tunnel: Option<&Tunnel>,
) -> Result<(Client, EventLoop), SetupError> {
    let address = &settings.address;
    let tls = || client_config(&settings.tls).map(TlsConfiguration::Rustls);
    let (host, port, transport) = match tunnel {
        None => {
            // For WebSockets rumqttc takes the whole URL as the host (and ignores the port).
            let host = if address.scheme.is_websocket() {
                address.to_string()
            } else {
                address.host.clone()
            };
            let transport = match address.scheme {
                Scheme::Mqtt => Transport::Tcp,
                Scheme::Mqtts => Transport::Tls(tls()?),
                Scheme::Ws => Transport::Ws,
                Scheme::Wss => Transport::Wss(tls()?),
            };
            (host, address.port, transport)
        }
        Some(tunnel) => {
            let entrance = tunnel.entrance();
            if address.scheme.is_websocket() {
                (
                    format!("ws://{entrance}{}", address.path),
                    entrance.port(),
                    Transport::Ws,
                )
            } else {
                (entrance.ip().to_string(), entrance.port(), Transport::Tcp)
            }
        }
    };
    // The HTTP Host header of a tunnelled WebSocket names the broker, not the tunnel.
    let host_header = (tunnel.is_some() && address.scheme.is_websocket()).then(|| websocket_host(settings));
    let keep_alive = keep_alive(settings);
    // Through a tunnel rumqttc waits a second longer than the tunnel does to reach the broker,
    // so a proxy's or TLS failure, not rumqttc's timeout, is what the user reads.
    let timeout = u64::from(settings.connect_timeout_secs.max(1)) + u64::from(tunnel.is_some());
    let password = settings.password.clone().unwrap_or_default();
    Ok(match version {
        MqttVersion::V311 => {
            let mut options = rumqttc::MqttOptions::new(settings.client_id.clone(), host, port);
            options.set_transport(transport);
            if let Some(host_header) = host_header.clone() {
                options.set_request_modifier(move |request| with_host(request, host_header.clone()));
            }
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
            // Small packets leave at once: Nagle's algorithm would hold a publish written just
            // after another until the broker's delayed ACK (40 ms on Linux).
            eventloop.network_options.set_tcp_nodelay(true);
            (Client::V4(client), EventLoop::V4(Box::new(eventloop)))
        }
        MqttVersion::V5 => {
            let v5 = &settings.v5;
            let mut options = v5::MqttOptions::new(settings.client_id.clone(), host, port);
            options.set_transport(transport);
            if let Some(host_header) = host_header.clone() {
                options.set_request_modifier(move |request| with_host(request, host_header.clone()));
            }
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
            let mut network = options.network_options();
            network.set_tcp_nodelay(true);
            options.set_network_options(network);
            let max_packet = v5.maximum_packet_size.unwrap_or(MAX_PACKET_BYTES as u32);
            options.set_max_packet_size(Some(max_packet));
            options.set_session_expiry_interval(v5.session_expiry_secs);
            options.set_receive_maximum(v5.receive_maximum);
            options.set_user_properties(v5.user_properties.clone());
            // The broker's receive maximum (from CONNACK) limits QoS 1 and 2 in flight, up to
            // a bound of our own.
            options.set_outgoing_inflight_upper_limit(MAX_INFLIGHT_V5);
            if let Some(username) = &settings.username {
                options.set_credentials(username.clone(), password);
            }
            let (client, eventloop) = v5::AsyncClient::new(options, request_queue);
            (Client::V5(client), EventLoop::V5(Box::new(eventloop)))
        }
    })
}

/// The broker's `Host` header: its host, and its port unless it is the scheme's usual one.
fn websocket_host(settings: &ConnectionSettings) -> HeaderValue {
    let address = &settings.address;
    let text = if address.port == address.scheme.default_port() {
        if address.host.contains(':') {
            format!("[{}]", address.host)
        } else {
            address.host.clone()
        }
    } else {
        address.authority()
    };
    // A host that cannot be a header was refused when the address was read; the entrance's
    // own header stays then.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("localhost"))
}

/// `request` with its `Host` header set to `host`.
async fn with_host(mut request: Request<()>, host: HeaderValue) -> Request<()> {
    request.headers_mut().insert(tungstenite::http::header::HOST, host);
    request
}

fn to_v4_qos(qos: Qos) -> rumqttc::QoS {
    match qos {
        Qos::AtMostOnce => rumqttc::QoS::AtMostOnce,
        Qos::AtLeastOnce => rumqttc::QoS::AtLeastOnce,
        Qos::ExactlyOnce => rumqttc::QoS::ExactlyOnce,
    }
}

fn to_v5_qos(qos: Qos) -> v5::mqttbytes::QoS {
    match qos {
        Qos::AtMostOnce => v5::mqttbytes::QoS::AtMostOnce,
        Qos::AtLeastOnce => v5::mqttbytes::QoS::AtLeastOnce,
        Qos::ExactlyOnce => v5::mqttbytes::QoS::ExactlyOnce,
    }
}

impl Client {
    /// The protocol version this client speaks.
    pub fn version(&self) -> MqttVersion {
        match self {
            Self::V4(_) => MqttVersion::V311,
            Self::V5(_) => MqttVersion::V5,
        }
    }

    /// Subscribe to `subscriptions` in one SUBSCRIBE. MQTT 3.1.1 carries each filter's QoS
    /// only; MQTT 5 also its no local, retain as published and retain handling, and the
    /// request's one subscription identifier (`subscriptions` share it: the caller groups them).
    pub fn subscribe(&self, subscriptions: &[Subscription]) -> Result<(), String> {
        match self {
            Self::V4(client) => client
                .try_subscribe_many(
                    subscriptions
                        .iter()
                        .map(|s| rumqttc::SubscribeFilter::new(s.filter.clone(), to_v4_qos(s.qos))),
                )
                .map_err(|e| e.to_string()),
            Self::V5(client) => {
                let filters = subscriptions.iter().map(|s| {
                    let mut filter = v5::mqttbytes::v5::Filter::new(s.filter.clone(), to_v5_qos(s.qos));
                    filter.nolocal = s.no_local;
                    filter.preserve_retain = s.retain_as_published;
                    filter.retain_forward_rule = match s.retain_handling {
                        RetainHandling::OnEverySubscribe => v5::mqttbytes::v5::RetainForwardRule::OnEverySubscribe,
                        RetainHandling::OnNewSubscribe => v5::mqttbytes::v5::RetainForwardRule::OnNewSubscribe,
                        RetainHandling::Never => v5::mqttbytes::v5::RetainForwardRule::Never,
                    };
                    filter
                });
                match subscriptions.first().and_then(|s| s.identifier) {
                    Some(id) => {
                        let properties = v5::mqttbytes::v5::SubscribeProperties {
                            id: Some(id as usize),
                            user_properties: Vec::new(),
                        };
                        client.try_subscribe_many_with_properties(filters, properties)
                    }
                    None => client.try_subscribe_many(filters),
                }
                .map_err(|e| e.to_string())
            }
        }
    }

    /// Unsubscribe from `filter`.
    pub fn unsubscribe(&self, filter: &str) -> Result<(), String> {
        match self {
            Self::V4(client) => client.try_unsubscribe(filter).map_err(|e| e.to_string()),
            Self::V5(client) => client.try_unsubscribe(filter).map_err(|e| e.to_string()),
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
            Self::V4(eventloop) => eventloop.poll().await.map(polled::v4).map_err(ConnectionError::V4),
            Self::V5(eventloop) => eventloop.poll().await.map(polled::v5).map_err(ConnectionError::V5),
        }
    }

    /// Whether the packets rumqttc read in its last burst have all been handed out.
    pub fn burst_used_up(&self) -> bool {
        match self {
            Self::V4(eventloop) => eventloop.state.events.is_empty(),
            Self::V5(eventloop) => eventloop.state.events.is_empty(),
        }
    }

    /// Drop the connection as rumqttc does after a failure (publishes in flight wait to be
    /// sent again): for a connection given up on by this side, the next poll reconnects.
    pub fn drop_connection(&mut self) {
        match self {
            Self::V4(eventloop) => eventloop.clean(),
            Self::V5(eventloop) => eventloop.clean(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::settings::BrokerAddress;

    fn host_header(url: &str) -> HeaderValue {
        websocket_host(&ConnectionSettings::new(BrokerAddress::parse(url).expect("valid")))
    }

    #[test]
    fn a_tunnelled_websocket_names_the_broker_in_its_host_header() {
        assert_eq!(host_header("ws://broker.lan:80/mqtt"), "broker.lan");
        assert_eq!(host_header("wss://broker.lan/mqtt"), "broker.lan");
        assert_eq!(host_header("ws://broker.lan:9001/mqtt"), "broker.lan:9001");
        assert_eq!(host_header("wss://[::1]:8084/mqtt"), "[::1]:8084");
        assert_eq!(host_header("wss://[::1]:443/mqtt"), "[::1]");
    }
}
