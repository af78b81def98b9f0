//! Application settings kept between runs, in `settings.json`.

use serde::{Deserialize, Serialize};

use crate::model::history::{DEFAULT_BUDGET_BYTES, DEFAULT_PER_TOPIC};

/// The store file name.
pub const FILE: &str = "settings";

/// Bounds of the per-topic history count the settings accept.
pub const PER_TOPIC_RANGE: std::ops::RangeInclusive<usize> = 1..=100_000;
/// Bounds of the history memory the settings accept, in MiB.
pub const BUDGET_MIB_RANGE: std::ops::RangeInclusive<usize> = 16..=65_536;

/// What the user set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Format version.
    pub version: u32,
    /// Messages kept per topic.
    pub history_per_topic: usize,
    /// Memory for all kept messages of all open connections together, in MiB.
    pub history_budget_mib: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: 1,
            history_per_topic: DEFAULT_PER_TOPIC,
            history_budget_mib: DEFAULT_BUDGET_BYTES >> 20,
        }
    }
}

impl Settings {
    /// The settings with every value brought within its bounds (a hand-edited file may hold anything).
    pub fn clamped(mut self) -> Self {
        self.history_per_topic = self
            .history_per_topic
            .clamp(*PER_TOPIC_RANGE.start(), *PER_TOPIC_RANGE.end());
        self.history_budget_mib = self
            .history_budget_mib
            .clamp(*BUDGET_MIB_RANGE.start(), *BUDGET_MIB_RANGE.end());
        self
    }

    /// The history budget of each of `connections` open connections, in bytes: the total is shared.
    pub fn budget_per_connection(&self, connections: usize) -> usize {
        (self.history_budget_mib << 20) / connections.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_bounds_and_sharing() {
        let settings = Settings::default();
        assert_eq!((settings.history_per_topic, settings.history_budget_mib), (1000, 512));
        assert_eq!(settings.budget_per_connection(2), 256 << 20);
        let wild: Settings =
            serde_json::from_str(r#"{"history_per_topic": 0, "history_budget_mib": 999999999}"#).expect("parses");
        let wild = wild.clamped();
        assert_eq!((wild.history_per_topic, wild.history_budget_mib), (1, 65_536));
    }
}
