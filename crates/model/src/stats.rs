//! Message rate over time, cheap enough to update per batch.

use std::time::{Duration, Instant};

/// Counts messages in one-second windows and reports the last full one.
#[derive(Clone, Debug)]
pub struct RateMeter {
    window_start: Option<Instant>,
    in_window: u64,
    last_rate: u64,
}

impl Default for RateMeter {
    fn default() -> Self {
        Self::new()
    }
}

const WINDOW: Duration = Duration::from_secs(1);

impl RateMeter {
    /// A meter that has seen nothing.
    pub fn new() -> Self {
        Self {
            window_start: None,
            in_window: 0,
            last_rate: 0,
        }
    }

    /// Count `n` messages that arrived at `now`.
    pub fn record(&mut self, now: Instant, n: u64) {
        self.roll(now);
        if self.window_start.is_none() {
            self.window_start = Some(now);
        }
        self.in_window += n;
    }

    fn roll(&mut self, now: Instant) {
        let Some(start) = self.window_start else {
            return;
        };
        let elapsed = now.saturating_duration_since(start);
        if elapsed < WINDOW {
            return;
        }
        // A window that ended more than one window ago saw nothing since.
        self.last_rate = if elapsed < WINDOW * 2 { self.in_window } else { 0 };
        self.in_window = 0;
        // Keep ticking only while messages arrive; an empty window stops the meter.
        self.window_start = if elapsed < WINDOW * 2 && self.last_rate > 0 {
            Some(start + WINDOW)
        } else {
            None
        };
    }

    /// Messages per second over the last full second before `now`.
    pub fn per_second(&mut self, now: Instant) -> u64 {
        self.roll(now);
        self.last_rate
    }

    /// Whether the rate shown may still change without new messages (so the
    /// UI needs one more repaint to show it fall to zero). Rolls the window first.
    pub fn is_settling(&mut self, now: Instant) -> bool {
        self.roll(now);
        self.window_start.is_some() || self.last_rate > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_last_full_second_and_falls_to_zero() {
        let t0 = Instant::now();
        let mut meter = RateMeter::new();
        meter.record(t0, 10);
        meter.record(t0 + Duration::from_millis(500), 5);
        assert_eq!(meter.per_second(t0 + Duration::from_millis(900)), 0);
        assert_eq!(meter.per_second(t0 + Duration::from_millis(1100)), 15);
        assert_eq!(meter.per_second(t0 + Duration::from_millis(2500)), 0);
        assert_eq!(meter.per_second(t0 + Duration::from_secs(10)), 0);
        assert!(!meter.is_settling(t0 + Duration::from_secs(10)));
    }
}
