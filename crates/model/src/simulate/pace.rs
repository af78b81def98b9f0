//! How many messages are due, by the clock: a simulation sends what its rate asks for since
//! it started, several at once when its timer ticks slower than its rate, so its pace does
//! not depend on how often it is woken. After a stall (a full backlog, a busy machine) it
//! catches up at most a quarter second's worth and lets the rest go, instead of a burst.

/// The pace of one simulation.
#[derive(Clone, Debug)]
pub struct Pace {
    per_second: f64,
    /// Messages counted as sent since the start (those let go after a stall included).
    sent: u64,
}

/// The share of a second's worth of messages caught up after a stall, at most.
const CATCH_UP_SECS: f64 = 0.25;

impl Pace {
    /// A pace of `per_second` messages a second (above 0), starting now.
    pub fn new(per_second: f64) -> Self {
        Self {
            per_second: per_second.max(f64::MIN_POSITIVE),
            sent: 0,
        }
    }

    /// How many messages are due `elapsed_secs` after the start (the first one at once).
    pub fn due(&mut self, elapsed_secs: f64) -> u64 {
        let since = elapsed_secs.max(0.0);
        let owed = (since * self.per_second).floor() as u64 + 1;
        let due = owed.saturating_sub(self.sent);
        let most = ((self.per_second * CATCH_UP_SECS).ceil() as u64).max(1);
        if due > most {
            // Let the surplus go, as if it had been sent.
            self.sent += due - most;
        }
        due.min(most)
    }

    /// Count `count` messages as sent.
    pub fn sent(&mut self, count: u64) {
        self.sent += count;
    }

    /// Seconds from `elapsed_secs` until the next message is due (0 when one is due now).
    pub fn wait_secs(&self, elapsed_secs: f64) -> f64 {
        let next_at = self.sent as f64 / self.per_second;
        (next_at - elapsed_secs).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_the_rate_whatever_the_tick() {
        for tick_secs in [0.001, 0.01, 0.1, 0.2] {
            let mut pace = Pace::new(1000.0);
            let mut sent = 0;
            let mut t = 0.0;
            while t < 10.0 {
                let due = pace.due(t);
                pace.sent(due);
                sent += due;
                t += tick_secs;
            }
            assert!((9_900..=10_100).contains(&sent), "tick {tick_secs}: {sent}");
        }
    }

    #[test]
    fn a_slow_rate_waits_between_messages() {
        let mut pace = Pace::new(2.0);
        assert_eq!(pace.due(0.0), 1);
        pace.sent(1);
        assert_eq!(pace.due(0.4), 0);
        assert!((pace.wait_secs(0.4) - 0.1).abs() < 1e-9);
        assert_eq!(pace.due(0.5), 1);
    }

    #[test]
    fn after_a_stall_only_a_quarter_second_is_caught_up() {
        let mut pace = Pace::new(100.0);
        let first = pace.due(0.0);
        pace.sent(first);
        assert_eq!(pace.due(60.0), 25);
        pace.sent(25);
        assert_eq!(pace.due(60.0), 0, "the rest was let go");
        assert_eq!(pace.due(60.01), 1);
    }
}
