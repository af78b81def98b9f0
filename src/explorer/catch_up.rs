//! Noticing when a burst of messages (the retained messages that arrive on subscribing, a
//! flood) has been applied, to say so in the log: "caught up: N messages applied". The
//! window benchmark reads it; so can a user who wants to know how long a broker took.

use std::time::{Duration, Instant};

/// A burst is over when no message arrived for this long.
pub const QUIET: Duration = Duration::from_millis(200);
/// Bursts smaller than this are everyday traffic, not worth a line.
pub const MIN_MESSAGES: u64 = 1_000;

/// A burst being applied.
#[derive(Clone, Copy, Debug)]
struct Burst {
    first: Instant,
    last: Instant,
    messages: u64,
}

/// A burst that was applied in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaughtUp {
    /// Messages in the burst.
    pub messages: u64,
    /// From the first message applied to the last.
    pub took: Duration,
    /// How long ago the last one was applied.
    pub ago: Duration,
}

/// Watches the messages applied frame by frame.
#[derive(Debug, Default)]
pub struct CatchUp {
    burst: Option<Burst>,
}

impl CatchUp {
    /// `messages` were applied at `now` (0 when nothing came). Returns a burst that ended, once,
    /// when it was large enough to report.
    pub fn applied(&mut self, messages: u64, now: Instant) -> Option<CaughtUp> {
        if messages > 0 {
            let burst = self.burst.get_or_insert(Burst {
                first: now,
                last: now,
                messages: 0,
            });
            burst.messages += messages;
            burst.last = now;
            return None;
        }
        let burst = self.burst?;
        let ago = now.saturating_duration_since(burst.last);
        if ago < QUIET {
            return None;
        }
        self.burst = None;
        (burst.messages >= MIN_MESSAGES).then(|| CaughtUp {
            messages: burst.messages,
            took: burst.last.saturating_duration_since(burst.first),
            ago,
        })
    }

    /// How long until a quiet burst should be looked at again, while one is open.
    pub fn next_check(&self, now: Instant) -> Option<Duration> {
        self.burst
            .map(|b| QUIET.saturating_sub(now.saturating_duration_since(b.last)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_reported_once_after_a_quiet_spell() {
        let start = Instant::now();
        let mut catch_up = CatchUp::default();
        assert_eq!(catch_up.applied(600, start), None);
        assert_eq!(catch_up.applied(600, start + Duration::from_millis(50)), None);
        assert_eq!(
            catch_up.applied(0, start + Duration::from_millis(100)),
            None,
            "not quiet yet"
        );
        assert_eq!(
            catch_up.next_check(start + Duration::from_millis(100)),
            Some(Duration::from_millis(150))
        );
        let report = catch_up.applied(0, start + Duration::from_millis(260));
        assert_eq!(
            report,
            Some(CaughtUp {
                messages: 1200,
                took: Duration::from_millis(50),
                ago: Duration::from_millis(210),
            })
        );
        assert_eq!(catch_up.applied(0, start + Duration::from_secs(1)), None, "once");
        assert_eq!(catch_up.next_check(start + Duration::from_secs(1)), None);
    }

    #[test]
    fn everyday_traffic_is_not_reported() {
        let start = Instant::now();
        let mut catch_up = CatchUp::default();
        catch_up.applied(40, start);
        assert_eq!(catch_up.applied(0, start + Duration::from_secs(1)), None);
    }
}
