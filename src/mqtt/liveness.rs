//! Whether the broker still answers. rumqttc pings once per keep-alive and gives up only when
//! the next ping is due with the last one unanswered: a link that stalls (a Wi-Fi drop, a VPN
//! that stops forwarding, a broker host that froze) would show as connected for up to two
//! keep-alive periods. This gives a ping half a keep-alive for an answer, so a stall is seen
//! within one and a half: anything heard from the broker after the ping counts as an answer
//! (while the window is behind, the broker's reply may wait behind messages not read yet, and
//! time the task spends not reading at all does not count).

use std::time::{Duration, Instant};

use crate::mqtt::protocol::Polled;

/// The ping last sent and not answered yet.
#[derive(Debug)]
pub struct Liveness {
    /// How long an answer may take: half the keep-alive.
    grace: Duration,
    /// When the ping waiting for an answer went out.
    ping_sent: Option<Instant>,
}

impl Liveness {
    /// A watch for a connection with this keep-alive.
    pub fn new(keep_alive: Duration) -> Self {
        Self {
            grace: keep_alive / 2,
            ping_sent: None,
        }
    }

    /// Take note of what a poll brought at `now`.
    pub fn polled(&mut self, polled: &Polled, now: Instant) {
        if matches!(polled, Polled::SentPing) {
            self.ping_sent.get_or_insert(now);
        } else if polled.is_from_broker() {
            self.ping_sent = None;
        }
    }

    /// The task read nothing for `held` (the window or a recording was behind): a ping's
    /// answer may have waited unread all that time, so its deadline moves on as much.
    pub fn defer(&mut self, held: Duration) {
        if let Some(sent) = &mut self.ping_sent {
            *sent += held;
        }
    }

    /// A new connection: nothing is awaited.
    pub fn reset(&mut self) {
        self.ping_sent = None;
    }

    /// Whether the broker has not answered in time, at `now`.
    pub fn is_overdue(&self, now: Instant) -> bool {
        self.deadline().is_some_and(|deadline| now >= deadline)
    }

    /// When the broker counts as not answering, if a ping is awaited.
    pub fn deadline(&self) -> Option<Instant> {
        self.ping_sent.map(|sent| sent + self.grace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ping_unanswered_for_half_a_keep_alive_is_due() {
        let start = Instant::now();
        let mut liveness = Liveness::new(Duration::from_secs(10));
        assert_eq!(liveness.deadline(), None);
        liveness.polled(&Polled::SentPing, start);
        assert_eq!(liveness.deadline(), Some(start + Duration::from_secs(5)));
        // Our own packets going out are no answer.
        liveness.polled(&Polled::SentPublish(1), start + Duration::from_secs(1));
        liveness.polled(&Polled::Other, start + Duration::from_secs(1));
        assert_eq!(liveness.deadline(), Some(start + Duration::from_secs(5)));
        // A second ping before an answer keeps the first one's deadline.
        liveness.polled(&Polled::SentPing, start + Duration::from_secs(2));
        assert_eq!(liveness.deadline(), Some(start + Duration::from_secs(5)));
        assert!(!liveness.is_overdue(start + Duration::from_millis(4_999)));
        assert!(liveness.is_overdue(start + Duration::from_secs(5)));
    }

    #[test]
    fn anything_heard_from_the_broker_answers() {
        let start = Instant::now();
        let mut liveness = Liveness::new(Duration::from_secs(10));
        liveness.polled(&Polled::SentPing, start);
        liveness.polled(&Polled::Heard, start);
        assert_eq!(liveness.deadline(), None);
        liveness.polled(&Polled::SentPing, start);
        liveness.polled(&Polled::PubAck { pkid: 1, refused: None }, start);
        assert_eq!(liveness.deadline(), None);
        liveness.polled(&Polled::SentPing, start);
        liveness.defer(Duration::from_secs(3));
        assert_eq!(liveness.deadline(), Some(start + Duration::from_secs(8)));
        liveness.reset();
        assert_eq!(liveness.deadline(), None);
    }
}
