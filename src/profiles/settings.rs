//! Application settings kept between runs, in `settings.json`.

use serde::{Deserialize, Serialize};

use crate::model::history::{DEFAULT_BUDGET_BYTES, DEFAULT_PER_TOPIC};

/// The store file name.
pub const FILE: &str = "settings";

/// Bounds of the per-topic history count the settings accept.
pub const PER_TOPIC_RANGE: std::ops::RangeInclusive<usize> = 1..=100_000;
/// Bounds of the history memory the settings accept, in MiB.
pub const BUDGET_MIB_RANGE: std::ops::RangeInclusive<usize> = 16..=65_536;

/// Bounds of the UI zoom the settings accept, in percent: the layout holds within them, down
/// to a 900 × 600 window.
pub const ZOOM_RANGE: std::ops::RangeInclusive<u32> = 80..=200;
/// How much one step of zoom (Ctrl + or Ctrl −) changes it, in percent.
pub const ZOOM_STEP: u32 = 10;

/// The colours the window is drawn in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Light or dark as the desktop is (dark where the desktop does not say).
    #[default]
    System,
    /// Dark text on light backgrounds.
    Light,
    /// Light text on dark backgrounds.
    Dark,
}

impl Theme {
    /// Every choice, in the order offered.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// Its name, as offered in the settings.
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "Follow the system",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

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
    /// Light, dark, or as the desktop is.
    pub theme: Theme,
    /// How large everything is drawn, in percent (100: the desktop's own scale).
    pub zoom_percent: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: 1,
            history_per_topic: DEFAULT_PER_TOPIC,
            history_budget_mib: DEFAULT_BUDGET_BYTES >> 20,
            theme: Theme::System,
            zoom_percent: 100,
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
        self.zoom_percent = self.zoom_percent.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        self
    }

    /// The zoom one step larger (`larger`) or smaller, within its bounds.
    pub fn zoom_step(&self, larger: bool) -> u32 {
        // A step lands on a multiple of the step, as the choices offered are.
        let zoom = if larger {
            (self.zoom_percent / ZOOM_STEP + 1) * ZOOM_STEP
        } else {
            self.zoom_percent.div_ceil(ZOOM_STEP).saturating_sub(1) * ZOOM_STEP
        };
        zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end())
    }

    /// The zoom as egui's factor (1.0 for 100 %).
    pub fn zoom_factor(&self) -> f32 {
        self.zoom_percent as f32 / 100.0
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

    #[test]
    fn an_older_file_without_theme_or_zoom_loads_with_their_defaults() {
        let old: Settings =
            serde_json::from_str(r#"{"version": 1, "history_per_topic": 50, "history_budget_mib": 64}"#)
                .expect("parses");
        assert_eq!(old.history_per_topic, 50);
        assert_eq!((old.theme, old.zoom_percent), (Theme::System, 100));
    }

    #[test]
    fn theme_and_zoom_are_written_and_read_back() {
        let settings = Settings {
            theme: Theme::Light,
            zoom_percent: 150,
            ..Settings::default()
        };
        let text = serde_json::to_string(&settings).expect("writes");
        assert!(text.contains(r#""theme":"light""#), "{text}");
        let back: Settings = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, settings);
        let wild: Settings = serde_json::from_str(r#"{"zoom_percent": 1000}"#).expect("parses");
        assert_eq!(wild.clamped().zoom_percent, 200);
    }

    #[test]
    fn zoom_steps_by_ten_within_bounds() {
        let at = |zoom_percent| Settings {
            zoom_percent,
            ..Settings::default()
        };
        assert_eq!(at(100).zoom_step(true), 110);
        assert_eq!(at(100).zoom_step(false), 90);
        assert_eq!(at(125).zoom_step(true), 130);
        assert_eq!(at(125).zoom_step(false), 120);
        assert_eq!(at(200).zoom_step(true), 200);
        assert_eq!(at(80).zoom_step(false), 80);
    }
}
