//! Simulations of devices, per profile or broker (like saved messages), kept across restarts
//! in `simulations.json`: versioned, fields missing from an older file taking their default, a
//! newer format used without being saved over.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::simulate::Simulation;

/// The store file name.
pub const FILE: &str = "simulations";
/// Format version of the file.
pub const VERSION: u32 = 1;

/// The whole file: the simulations of every profile (`profile:ID`) and of every broker
/// connected to without a profile (`host:port`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationsFile {
    /// Format version.
    pub version: u32,
    /// By `profile:ID`, or by broker address (`host:port`).
    #[serde(default)]
    pub brokers: BTreeMap<String, Vec<Simulation>>,
}

impl Default for SimulationsFile {
    fn default() -> Self {
        Self {
            version: VERSION,
            brokers: BTreeMap::new(),
        }
    }
}

impl SimulationsFile {
    /// Read a file of any version: the file, and (for a newer one) why it must not be saved over.
    pub fn from_json(value: serde_json::Value) -> Result<(Self, Option<String>), String> {
        let version = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0)
            .ok_or("it has no valid format version")?;
        // Format 1 is the first; a later format adds its upgrade from the one before here, one
        // version at a time, as `profile::migrate` does.
        let mut file: Self = serde_json::from_value(value).map_err(|e| e.to_string())?;
        if version > VERSION {
            let why = format!("written by a newer mqscope (format {version}; this one writes {VERSION})");
            return Ok((file, Some(why)));
        }
        file.version = VERSION;
        Ok((file, None))
    }

    /// Read from the store: a damaged file is set aside, a newer one used but not overwritten.
    pub fn load(store: &crate::profiles::Store) -> crate::profiles::Loaded<Self> {
        store.load_with(FILE, Self::from_json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::simulate::{Rate, examples};

    #[test]
    fn simulations_are_written_and_read_back() {
        let mut file = SimulationsFile::default();
        file.brokers.insert("pi:1883".into(), examples::all());
        let value = serde_json::to_value(&file).expect("serialises");
        assert_eq!(value["version"], 1);
        let (read, keep) = SimulationsFile::from_json(value).expect("reads");
        assert_eq!(read, file);
        assert!(keep.is_none());
    }

    #[test]
    fn reads_a_file_with_missing_fields() {
        let (file, _) = SimulationsFile::from_json(serde_json::json!({
            "version": 1,
            "brokers": {"pi:1883": [{"name": "bare", "devices": [{"name": "d", "topics": [{"topic": "t"}]}]}]}
        }))
        .expect("reads");
        let simulation = &file.brokers["pi:1883"][0];
        assert_eq!(simulation.rate, Rate::default());
        assert_eq!(simulation.devices[0].topics[0].payload, "");
    }

    #[test]
    fn a_newer_file_is_used_but_not_saved_over() {
        let (file, keep) = SimulationsFile::from_json(serde_json::json!({
            "version": 7,
            "brokers": {"pi:1883": [{"name": "later", "rate": {"interval_ms": 500}, "future": true}]}
        }))
        .expect("reads");
        assert_eq!(file.brokers["pi:1883"][0].rate, Rate::IntervalMs(500));
        assert!(keep.is_some_and(|why| why.contains("newer")));
    }

    #[test]
    fn a_file_without_a_version_is_refused() {
        assert!(SimulationsFile::from_json(serde_json::json!({"brokers": {}})).is_err());
    }
}
