//! A million topics as a large broker holds them: a deep hierarchy
//! (`site/building/floor/device/sensor`, 900,000 topics) beside a flat branch of
//! 100,000 children (`tags/tag…`), with names that repeat as real ones do (sensor kinds) and names that never
//! repeat (device serial numbers).

/// Sensor names: the last level repeats under every device.
const SENSORS: [&str; 10] = [
    "temperature",
    "humidity",
    "power",
    "state",
    "battery",
    "rssi",
    "voltage",
    "energy",
    "uptime",
    "status",
];

/// Children of the flat branch `tags`.
pub const FLAT_CHILDREN: usize = 100_000;

/// The 1,000,000 topics, deep ones first.
pub fn million_topics() -> Vec<String> {
    let mut topics = Vec::with_capacity(1_000_000);
    for site in 0..10 {
        for building in 0..10 {
            for floor in 0..9 {
                for device in 0..100 {
                    // Device names are unique across the whole fleet, as serial numbers are.
                    let device = ((site * 10 + building) * 9 + floor) * 100 + device;
                    for sensor in SENSORS {
                        topics.push(format!(
                            "site{site}/building{building}/floor{floor}/device{device}/{sensor}"
                        ));
                    }
                }
            }
        }
    }
    topics.extend((0..FLAT_CHILDREN).map(|i| format!("tags/tag{i}")));
    topics
}
