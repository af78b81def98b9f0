//! Exponential backoff between reconnection attempts.

use std::time::Duration;

/// Delays of 1 s, 2 s, 4 s … up to a cap, with a little jitter so many
/// clients do not reconnect in lockstep.
#[derive(Clone, Debug)]
pub struct Backoff {
    first: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    /// A backoff starting at `first` and never waiting longer than `cap`.
    pub fn new(first: Duration, cap: Duration) -> Self {
        Self {
            first,
            cap,
            failures: 0,
        }
    }

    /// The delay before the next attempt; each call doubles it, up to the cap.
    pub fn next_delay(&mut self) -> Duration {
        let exponent = self.failures.min(16);
        self.failures = self.failures.saturating_add(1);
        let base = self.first.saturating_mul(1 << exponent).min(self.cap);
        // Up to 10 % less, never more than the cap.
        let jitter = base.mul_f64(fastrand::f64() * 0.1);
        base.saturating_sub(jitter)
    }

    /// How many attempts failed in a row.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Start over after a connection that worked.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_secs(1), Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_and_resets() {
        let mut backoff = Backoff::default();
        let delays: Vec<u64> = (0..8).map(|_| backoff.next_delay().as_millis() as u64).collect();
        let expected = [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000];
        for (delay, base) in delays.iter().zip(expected) {
            assert!(*delay <= base && *delay >= base * 9 / 10, "{delay} vs {base}");
        }
        assert_eq!(backoff.failures(), 8);
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_secs(1));
    }
}
