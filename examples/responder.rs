//! A device that answers requests, to try mqscope's "Send and wait for reply" against:
//! subscribes to a filter and answers each message on its MQTT 5 response topic, with the
//! correlation data echoed and the request's payload inside a small JSON reply.
//!
//! `cargo run --example responder -- [PORT] [FILTER]` (defaults: 1883, `lab/#`).

use std::time::Duration;

use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
use rumqttc::v5::{Client, Event, MqttOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let port = args.next().and_then(|p| p.parse().ok()).unwrap_or(1883);
    let filter = args.next().unwrap_or_else(|| "lab/#".to_owned());
    let mut options = MqttOptions::new("mqscope-responder", "127.0.0.1", port);
    options.set_keep_alive(Duration::from_secs(10));
    // A reply leaves at once instead of waiting for the broker to acknowledge the PUBACK
    // written just before it (Nagle's algorithm and a delayed ACK: 40 ms on Linux).
    let mut network = rumqttc::NetworkOptions::new();
    network.set_tcp_nodelay(true);
    options.set_network_options(network);
    let (client, mut connection) = Client::new(options, 64);
    if let Err(error) = client.subscribe(filter.clone(), QoS::AtLeastOnce) {
        eprintln!("Could not subscribe to {filter}: {error}");
        return;
    }
    println!("Answering requests on {filter} at 127.0.0.1:{port}");
    let mut answered = 0_u64;
    for event in connection.iter() {
        match event {
            Ok(Event::Incoming(Packet::Publish(request))) => {
                let properties = request.properties.unwrap_or_default();
                let Some(topic) = properties.response_topic else {
                    continue;
                };
                answered += 1;
                let payload = format!(
                    r#"{{"ok":true,"answer":{answered},"request":"{}","topic":"{}"}}"#,
                    String::from_utf8_lossy(&request.payload).replace('"', "'"),
                    String::from_utf8_lossy(&request.topic)
                );
                let reply = PublishProperties {
                    correlation_data: properties.correlation_data,
                    ..PublishProperties::default()
                };
                if let Err(error) = client.publish_with_properties(topic, QoS::AtLeastOnce, false, payload, reply) {
                    eprintln!("Could not reply: {error}");
                }
            }
            Ok(_) => {}
            Err(error) => {
                eprintln!("Connection ended: {error}");
                break;
            }
        }
    }
}
