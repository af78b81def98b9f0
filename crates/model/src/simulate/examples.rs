//! Ready simulations that look like the devices of a home broker, to start from.

use super::{Device, Rate, SimTopic, Simulation};
use crate::message::Qos;

/// Every example, in the order offered.
pub fn all() -> Vec<Simulation> {
    vec![zigbee_sensor(), tasmota_plug(), energy_meter(), home_assistant_sensor()]
}

fn topic(topic: &str, payload: &str) -> SimTopic {
    SimTopic {
        topic: topic.into(),
        payload: payload.into(),
        qos: Qos::AtMostOnce,
        retain: false,
    }
}

/// A zigbee2mqtt temperature and humidity sensor.
pub fn zigbee_sensor() -> Simulation {
    Simulation {
        name: "Zigbee2MQTT sensor".into(),
        rate: Rate::IntervalMs(2000),
        devices: vec![Device {
            name: "living_room_sensor".into(),
            topics: vec![topic(
                "zigbee2mqtt/{{device}}",
                r#"{"temperature":{{walk(21.5,0.1,15.0,30.0)}},"humidity":{{walk(45.0,0.5,20.0,80.0)}},"battery":{{walk(97,0.2,0,100)}},"linkquality":{{random(60,255)}},"voltage":{{random(2900,3100)}}}"#,
            )],
        }],
    }
}

/// A Tasmota smart plug: its energy readings and its state.
pub fn tasmota_plug() -> Simulation {
    Simulation {
        name: "Tasmota plug".into(),
        rate: Rate::PerSecond(2.0),
        devices: vec![Device {
            name: "tasmota_plug".into(),
            topics: vec![
                topic(
                    "tele/{{device}}/SENSOR",
                    r#"{"Time":"{{timestamp(rfc3339)}}","ENERGY":{"TotalStartTime":"2024-01-01T00:00:00","Total":{{walk(12.345,0.001,0,100000.000)}},"Yesterday":1.234,"Today":{{walk(0.5,0.001,0,50.000)}},"Power":{{walk(60,5,0,2300)}},"ApparentPower":{{walk(70,5,0,2300)}},"ReactivePower":{{random(5,30)}},"Factor":{{random(0.80,0.99)}},"Voltage":{{random(228,236)}},"Current":{{walk(0.260,0.010,0,10.000)}}},"Count":{{counter}}}"#,
                ),
                topic(
                    "tele/{{device}}/STATE",
                    r#"{"Time":"{{timestamp(rfc3339)}}","UptimeSec":{{counter(10,10)}},"Heap":{{random(20,30)}},"LoadAvg":{{random(19,21)}},"POWER":"{{choice(ON,OFF)}}","Wifi":{"AP":1,"SSId":"home","RSSI":{{walk(70,2,0,100)}},"Signal":{{walk(-65,1,-90,-30)}}}}"#,
                ),
            ],
        }],
    }
}

/// A household energy meter (a P1 or SML reader): power with a daily wave, and totals.
pub fn energy_meter() -> Simulation {
    Simulation {
        name: "Energy meter".into(),
        rate: Rate::PerSecond(1.0),
        devices: vec![Device {
            name: "meter".into(),
            topics: vec![topic(
                "energy/{{device}}/state",
                r#"{"timestamp":{{timestamp}},"power_w":{{sine(120,800,1200)}},"phases":{"l1_v":{{random(229.0,232.0)}},"l2_v":{{random(229.0,232.0)}},"l3_v":{{random(229.0,232.0)}}},"import_kwh":{{walk(5321.250,0.002,5321.000,99999.000)}},"export_kwh":{{walk(812.125,0.001,812.000,99999.000)}},"tariff":{{choice(1,2)}}}"#,
            )],
        }],
    }
}

/// A sensor announced to Home Assistant by MQTT discovery (its config retained), and its state.
pub fn home_assistant_sensor() -> Simulation {
    let mut config = topic(
        "homeassistant/sensor/{{device}}/config",
        r#"{"name":"Garage temperature","unique_id":"{{device}}","state_topic":"homeassistant/sensor/{{device}}/state","unit_of_measurement":"°C","device_class":"temperature","value_template":"\{{ value_json.temperature }}"}"#,
    );
    config.retain = true;
    Simulation {
        name: "Home Assistant discovery".into(),
        rate: Rate::PerSecond(1.0),
        devices: vec![Device {
            name: "garage_temperature".into(),
            topics: vec![
                config,
                topic(
                    "homeassistant/sensor/{{device}}/state",
                    r#"{"temperature":{{walk(12.0,0.2,-10.0,35.0)}}}"#,
                ),
            ],
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{Now, Run};

    #[test]
    fn every_example_renders_json_payloads() {
        let mut rng = fastrand::Rng::with_seed(5);
        for simulation in all() {
            let mut run = Run::new(&simulation).unwrap_or_else(|e| panic!("{}: {e}", simulation.name));
            for _ in 0..20 {
                let mut now = Now {
                    elapsed_secs: 1.0,
                    epoch_ms: 1_700_000_000_000,
                    rng: &mut rng,
                };
                let message = run.next_message(&mut now);
                assert!(!message.topic.contains('{'), "{}", message.topic);
                let parsed = serde_json::from_str::<serde_json::Value>(&message.payload);
                assert!(parsed.is_ok(), "{}: {}", message.topic, message.payload);
            }
        }
    }
}
