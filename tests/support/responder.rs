//! A device that answers requests, for request and response tests: a plain rumqttc MQTT 5
//! client on its own thread.

use std::sync::mpsc;
use std::time::Duration;

use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
use rumqttc::v5::{Client, Event, MqttOptions};

use super::Broker;

const WAIT: Duration = Duration::from_secs(10);

/// A device answering requests on `lab/ping`: on the request's response topic with its
/// correlation data echoed (MQTT 5), or on `fixed_reply` when given.
pub struct Responder {
    client: Client,
}

impl Responder {
    /// Connect and subscribe to `lab/ping`; returns once the broker granted it.
    pub fn start(broker: &Broker, fixed_reply: Option<&'static str>) -> Self {
        let mut options = MqttOptions::new("responder", "127.0.0.1", broker.port());
        options.set_keep_alive(Duration::from_secs(5));
        // Replies leave at once (no Nagle): the round trips measured are mqscope's and the broker's.
        let mut network = rumqttc::NetworkOptions::new();
        network.set_tcp_nodelay(true);
        options.set_network_options(network);
        let (client, mut connection) = Client::new(options, 16);
        client.subscribe("lab/ping", QoS::AtLeastOnce).expect("subscribe");
        let (ready, subscribed) = mpsc::channel();
        let answering = client.clone();
        std::thread::Builder::new()
            .name("responder".into())
            .spawn(move || {
                for event in connection.iter() {
                    match event {
                        Ok(Event::Incoming(Packet::SubAck(_))) => {
                            ready.send(()).ok();
                        }
                        Ok(Event::Incoming(Packet::Publish(request))) => {
                            let properties = request.properties.unwrap_or_default();
                            let payload = format!(r#"{{"pong":"{}"}}"#, String::from_utf8_lossy(&request.payload));
                            let topic = fixed_reply.map(str::to_owned).or(properties.response_topic);
                            let Some(topic) = topic else { continue };
                            let reply = PublishProperties {
                                correlation_data: properties.correlation_data,
                                ..PublishProperties::default()
                            };
                            answering
                                .publish_with_properties(topic, QoS::AtLeastOnce, false, payload, reply)
                                .ok();
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            })
            .expect("responder thread");
        subscribed.recv_timeout(WAIT).expect("the responder subscribed");
        Self { client }
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.client.disconnect().ok();
    }
}
