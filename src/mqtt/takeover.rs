//! Detects two clients fighting over one client id: the broker closes each
//! connection as soon as the other one reconnects, forever.

use std::time::{Duration, Instant};

/// How many quick drops within [`WINDOW`] mean a takeover loop.
const DROPS: usize = 3;
const WINDOW: Duration = Duration::from_secs(120);

/// Remembers recent connections that the broker closed although they were
/// working, each followed by an immediate successful reconnection.
#[derive(Clone, Debug, Default)]
pub struct TakeoverDetector {
    drops: Vec<Instant>,
}

impl TakeoverDetector {
    /// A detector that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The broker closed a working connection at `at`.
    /// Returns true when this makes a loop: the same happened [`DROPS`] times
    /// within two minutes.
    pub fn closed_by_broker(&mut self, at: Instant) -> bool {
        self.drops.retain(|&t| at.saturating_duration_since(t) <= WINDOW);
        self.drops.push(at);
        self.drops.len() >= DROPS
    }

    /// A drop that was not a takeover (the broker was really gone, or the
    /// connection stayed up a long time): start counting afresh.
    pub fn clear(&mut self) {
        self.drops.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_quick_drops_are_a_loop_and_old_ones_are_forgotten() {
        let t0 = Instant::now();
        let mut detector = TakeoverDetector::new();
        assert!(!detector.closed_by_broker(t0));
        assert!(!detector.closed_by_broker(t0 + Duration::from_secs(200)));
        assert!(!detector.closed_by_broker(t0 + Duration::from_secs(210)));
        assert!(detector.closed_by_broker(t0 + Duration::from_secs(220)));
        detector.clear();
        assert!(!detector.closed_by_broker(t0 + Duration::from_secs(230)));
    }
}
