//! Simulated devices: what a simulation publishes (devices, their topics, each topic's
//! payload template), how fast, and the pure parts of running one: its templates read
//! once ([`Run`]) and the pacing by time ([`Pace`]). The app runs it on a background timer.

pub mod examples;
pub mod generator;
pub mod pace;
pub mod template;

use serde::{Deserialize, Serialize};

use crate::message::Qos;
pub use generator::{Generator, Now, TimeFormat};
pub use pace::Pace;
pub use template::{FIELDS_HELP, Template, TemplateError};

/// How often a simulation publishes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rate {
    /// Messages a second, all its topics together.
    PerSecond(f64),
    /// Milliseconds between two messages.
    IntervalMs(u64),
}

impl Rate {
    /// The fastest a simulation may publish (the connection's backlog stays bounded anyway).
    pub const MAX_PER_SECOND: f64 = 100_000.0;

    /// Messages a second, within 0.01 and [`Rate::MAX_PER_SECOND`].
    pub fn per_second(self) -> f64 {
        let rate = match self {
            Self::PerSecond(rate) => rate,
            Self::IntervalMs(ms) => 1000.0 / ms.max(1) as f64,
        };
        if rate.is_finite() {
            rate.clamp(0.01, Self::MAX_PER_SECOND)
        } else {
            1.0
        }
    }
}

impl Default for Rate {
    fn default() -> Self {
        Self::PerSecond(1.0)
    }
}

/// One topic a device publishes on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimTopic {
    /// The topic name; `{{device}}` stands for the device's name.
    pub topic: String,
    /// The payload template.
    #[serde(default)]
    pub payload: String,
    /// Delivery QoS.
    #[serde(default)]
    pub qos: Qos,
    /// Whether the broker keeps it as the topic's retained message.
    #[serde(default)]
    pub retain: bool,
}

/// One simulated device: a name and the topics it publishes on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Its name (`{{device}}` in its topics and payloads).
    pub name: String,
    /// What it publishes, in turn.
    #[serde(default)]
    pub topics: Vec<SimTopic>,
}

/// A simulation: devices publishing at one rate, their topics in turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    /// Its name, as the list shows it.
    pub name: String,
    /// How often it publishes.
    #[serde(default)]
    pub rate: Rate,
    /// The devices.
    #[serde(default)]
    pub devices: Vec<Device>,
}

/// Why a simulation cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimulationError {
    /// The device at fault.
    pub device: String,
    /// Its topic (as typed) at fault.
    pub topic: String,
    /// Whether the payload template is at fault (else the topic's).
    pub in_payload: bool,
    /// What is wrong, and where.
    pub error: Option<TemplateError>,
}

impl std::fmt::Display for SimulationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.in_payload { "payload" } else { "topic" };
        match &self.error {
            Some(error) => write!(f, "{}, {} {what}: {error}", self.device, self.topic),
            None => write!(f, "{} has no topics to publish on", self.device),
        }
    }
}

impl std::error::Error for SimulationError {}

/// One message a simulation publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The topic.
    pub topic: String,
    /// The payload.
    pub payload: String,
    /// Delivery QoS.
    pub qos: Qos,
    /// Retain flag.
    pub retain: bool,
}

/// A simulation ready to run: every template read once, with its generators' state.
#[derive(Clone, Debug)]
pub struct Run {
    topics: Vec<(String, Template, Template, Qos, bool)>,
    next: usize,
}

impl Run {
    /// Read every template of `simulation`; the first one that is wrong is the error.
    pub fn new(simulation: &Simulation) -> Result<Self, SimulationError> {
        let mut topics = Vec::new();
        for device in &simulation.devices {
            if device.topics.is_empty() {
                return Err(SimulationError {
                    device: device.name.clone(),
                    topic: String::new(),
                    in_payload: false,
                    error: None,
                });
            }
            for topic in &device.topics {
                let fault = |in_payload, error| SimulationError {
                    device: device.name.clone(),
                    topic: topic.topic.clone(),
                    in_payload,
                    error: Some(error),
                };
                let name = Template::parse(&topic.topic).map_err(|e| fault(false, e))?;
                let payload = Template::parse(&topic.payload).map_err(|e| fault(true, e))?;
                topics.push((device.name.clone(), name, payload, topic.qos, topic.retain));
            }
        }
        if topics.is_empty() {
            return Err(SimulationError {
                device: simulation.name.clone(),
                topic: String::new(),
                in_payload: false,
                error: None,
            });
        }
        Ok(Self { topics, next: 0 })
    }

    /// The next message: the topics of every device in turn.
    pub fn next_message(&mut self, now: &mut Now<'_>) -> Outgoing {
        let index = self.next % self.topics.len().max(1);
        self.next = index + 1;
        let mut topic = String::new();
        let mut payload = String::new();
        let qos;
        let retain;
        match self.topics.get_mut(index) {
            Some((device, name, template, q, r)) => {
                name.render_into(&mut topic, device, now);
                template.render_into(&mut payload, device, now);
                (qos, retain) = (*q, *r);
            }
            None => (qos, retain) = (Qos::AtMostOnce, false),
        }
        Outgoing {
            topic,
            payload,
            qos,
            retain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_publishes_every_topic_of_every_device_in_turn() {
        let simulation = examples::zigbee_sensor();
        let mut twice = simulation.clone();
        twice.devices.push(Device {
            name: "hall".into(),
            ..simulation.devices[0].clone()
        });
        let mut run = Run::new(&twice).expect("as written");
        let mut rng = fastrand::Rng::with_seed(1);
        let mut now = Now {
            elapsed_secs: 0.0,
            epoch_ms: 0,
            rng: &mut rng,
        };
        let topics: Vec<_> = (0..4).map(|_| run.next_message(&mut now).topic).collect();
        assert_eq!(
            topics,
            [
                "zigbee2mqtt/living_room_sensor",
                "zigbee2mqtt/hall",
                "zigbee2mqtt/living_room_sensor",
                "zigbee2mqtt/hall"
            ]
        );
    }

    #[test]
    fn a_run_names_the_template_at_fault() {
        let mut simulation = examples::tasmota_plug();
        simulation.devices[0].topics[1].payload = "{{walk(1)}}".into();
        let error = Run::new(&simulation).expect_err("refused");
        assert!(error.in_payload);
        assert_eq!(error.topic, "tele/{{device}}/STATE");
        assert!(error.to_string().contains("column 1"), "{error}");
    }

    #[test]
    fn rates_are_kept_within_bounds() {
        assert_eq!(Rate::IntervalMs(250).per_second(), 4.0);
        assert_eq!(Rate::PerSecond(1e9).per_second(), Rate::MAX_PER_SECOND);
        assert_eq!(Rate::PerSecond(0.0).per_second(), 0.01);
        assert_eq!(Rate::PerSecond(f64::NAN).per_second(), 1.0);
    }
}
