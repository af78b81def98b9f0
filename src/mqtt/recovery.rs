//! After a failure: reconnect or stop. A pure decision over the failure's
//! kind and how the connection had gone, with the takeover detector's memory.

use std::time::{Duration, Instant};

use super::failure::{Failure, Retry};
use super::settings::MqttVersion;
use super::takeover::TakeoverDetector;

/// A connection that stayed up this long counts as healthy: backoff starts over.
pub const HEALTHY_AFTER: Duration = Duration::from_secs(10);

/// What is known of the connection that just failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ended {
    /// How long it had been up (CONNACK received); `None` when the attempt to connect failed.
    pub up_for: Option<Duration>,
    /// Whether the broker had answered its subscription.
    pub subscribed: bool,
}

/// What to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Stop reconnecting, for this reason.
    Stop(Failure),
    /// Reconnect after a backoff.
    Retry {
        /// What went wrong, to show while waiting.
        failure: Failure,
        /// Whether the backoff starts over (the connection had been healthy).
        fresh_backoff: bool,
    },
}

/// Whether a failed MQTT 5 attempt is tried again at once with MQTT 3.1.1: the broker refused
/// the version, or ended the attempt before answering as a broker speaking 5 would (some
/// brokers that speak only 3.1.1 close the connection, or answer with a 3.1.1 packet), or did
/// not answer at all (amqtt answers with a 3.1.1 CONNACK, which rumqttc's MQTT 5 client waits
/// on until the connect timeout; a host that is not there costs one more attempt). Only an
/// attempt counts, not a connection that was up.
pub fn try_older_version(failure: &Failure, ended: Ended) -> bool {
    ended.up_for.is_none()
        && matches!(
            failure,
            Failure::UnsupportedProtocol {
                version: MqttVersion::V5,
                ..
            } | Failure::ClosedByBroker { .. }
                | Failure::InvalidData { .. }
                | Failure::NotConnAck { .. }
                | Failure::Protocol { .. }
                | Failure::NoAnswer { .. }
        )
}

/// A failed attempt the broker closed before answering, when it carried a login: said as a
/// possible refusal of that login (some brokers close instead of refusing); other failures
/// as they are.
pub fn name_the_login(failure: Failure, ended: Ended, user: Option<&str>) -> Failure {
    match (failure, user) {
        (Failure::ClosedByBroker { broker }, Some(user)) if ended.up_for.is_none() => Failure::ClosedAtLogin {
            broker,
            user: user.to_owned(),
        },
        (failure, _) => failure,
    }
}

/// Decide what follows `failure` of the connection described by `ended`, at `now`.
/// `takeover` remembers recent drops of working connections; `client_id` names the id
/// in a takeover loop's message.
pub fn next_step(
    failure: Failure,
    ended: Ended,
    takeover: &mut TakeoverDetector,
    now: Instant,
    client_id: &str,
) -> Next {
    let healthy = ended.up_for.is_some_and(|up| up >= HEALTHY_AFTER);
    // A long-lived connection was no loop; a failed attempt means the broker really was away.
    if healthy || ended.up_for.is_none() {
        takeover.clear();
    }
    if failure.retry() == Retry::Never {
        return Next::Stop(failure);
    }
    // A takeover kicks a connection that was fully up (subscribed); a broker that closes
    // right after a denied SUBSCRIBE is something else.
    let kicked = ended.up_for.is_some() && ended.subscribed && failure.closed_by_broker();
    if !kicked {
        takeover.clear();
    }
    if kicked && takeover.closed_by_broker(now) {
        return Next::Stop(Failure::TakeoverLoop {
            client_id: client_id.to_owned(),
        });
    }
    Next::Retry {
        failure,
        fresh_backoff: healthy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed() -> Failure {
        Failure::ClosedByBroker {
            broker: "b:1883".into(),
        }
    }

    fn kicked_after(secs: u64) -> Ended {
        Ended {
            up_for: Some(Duration::from_secs(secs)),
            subscribed: true,
        }
    }

    fn retry(failure: Failure, fresh_backoff: bool) -> Next {
        Next::Retry { failure, fresh_backoff }
    }

    #[test]
    fn an_attempt_the_broker_ends_without_a_version_5_answer_is_tried_with_3_1_1() {
        let broker = || "b:1883".to_owned();
        let attempt = Ended {
            up_for: None,
            subscribed: false,
        };
        let refused_5 = Failure::UnsupportedProtocol {
            broker: broker(),
            version: crate::mqtt::MqttVersion::V5,
        };
        let refused_311 = Failure::UnsupportedProtocol {
            broker: broker(),
            version: crate::mqtt::MqttVersion::V311,
        };
        let closed = Failure::ClosedByBroker { broker: broker() };
        assert!(try_older_version(&refused_5, attempt));
        assert!(try_older_version(&closed, attempt));
        let silent = Failure::NoAnswer {
            broker: broker(),
            timeout_secs: 5,
        };
        assert!(try_older_version(&silent, attempt));
        assert!(!try_older_version(&refused_311, attempt));
        // A broker that answered (a refused login) speaks 5; nothing listening is no answer.
        let login = Failure::RefusedCredentials {
            broker: broker(),
            user: None,
            version: crate::mqtt::MqttVersion::V5,
        };
        assert!(!try_older_version(&login, attempt));
        assert!(!try_older_version(
            &Failure::ConnectionRefused { broker: broker() },
            attempt
        ));
        // A connection that was up spoke 5 already.
        assert!(!try_older_version(&closed, kicked_after(3)));
    }

    #[test]
    fn an_attempt_closed_before_the_connack_names_the_login_it_carried() {
        let closed = || Failure::ClosedByBroker {
            broker: "b:1883".to_owned(),
        };
        let attempt = Ended {
            up_for: None,
            subscribed: false,
        };
        let named = name_the_login(closed(), attempt, Some("alice")).to_string();
        assert!(named.contains("\"alice\"") && named.contains("password"), "{named}");
        assert!(name_the_login(closed(), attempt, Some("alice")).retry() == Retry::Later);
        // Without a login, or once the connection was up, a close is only a close.
        assert_eq!(name_the_login(closed(), attempt, None), closed());
        assert_eq!(name_the_login(closed(), kicked_after(3), Some("alice")), closed());
    }

    #[test]
    fn a_lasting_failure_stops() {
        let failure = Failure::RefusedClientId {
            broker: "b:1883".into(),
            client_id: "me".into(),
            version: crate::mqtt::MqttVersion::V311,
        };
        let ended = Ended {
            up_for: None,
            subscribed: false,
        };
        let next = next_step(
            failure.clone(),
            ended,
            &mut TakeoverDetector::new(),
            Instant::now(),
            "me",
        );
        assert_eq!(next, Next::Stop(failure));
    }

    #[test]
    fn a_passing_failure_is_retried_and_a_healthy_connection_starts_the_backoff_over() {
        let mut takeover = TakeoverDetector::new();
        let refused = Failure::ConnectionRefused {
            broker: "b:1883".into(),
        };
        let attempt = Ended {
            up_for: None,
            subscribed: false,
        };
        let now = Instant::now();
        assert_eq!(
            next_step(refused.clone(), attempt, &mut takeover, now, "me"),
            retry(refused, false)
        );
        assert_eq!(
            next_step(closed(), kicked_after(60), &mut takeover, now, "me"),
            retry(closed(), true)
        );
    }

    #[test]
    fn three_quick_kicks_of_a_working_connection_are_a_takeover_loop() {
        let mut takeover = TakeoverDetector::new();
        let t0 = Instant::now();
        for i in 0..2 {
            let at = t0 + Duration::from_secs(i);
            assert_eq!(
                next_step(closed(), kicked_after(1), &mut takeover, at, "me"),
                retry(closed(), false)
            );
        }
        let next = next_step(
            closed(),
            kicked_after(1),
            &mut takeover,
            t0 + Duration::from_secs(2),
            "me",
        );
        assert_eq!(next, Next::Stop(Failure::TakeoverLoop { client_id: "me".into() }));
        assert!(next_failure_text(next).contains("same client id \"me\""));
    }

    fn next_failure_text(next: Next) -> String {
        match next {
            Next::Stop(failure) | Next::Retry { failure, .. } => failure.to_string(),
        }
    }

    #[test]
    fn drops_that_are_no_takeover_start_the_count_afresh() {
        let mut takeover = TakeoverDetector::new();
        let now = Instant::now();
        next_step(closed(), kicked_after(1), &mut takeover, now, "me");
        next_step(closed(), kicked_after(1), &mut takeover, now, "me");
        // Not subscribed yet: a broker closing after a denied SUBSCRIBE, not a takeover.
        let unsubscribed = Ended {
            up_for: Some(Duration::from_secs(1)),
            subscribed: false,
        };
        next_step(closed(), unsubscribed, &mut takeover, now, "me");
        assert_eq!(
            next_step(closed(), kicked_after(1), &mut takeover, now, "me"),
            retry(closed(), false)
        );
        // A failed attempt in between (the broker really away) clears it too.
        next_step(closed(), kicked_after(1), &mut takeover, now, "me");
        let away = Ended {
            up_for: None,
            subscribed: false,
        };
        next_step(
            Failure::ConnectionRefused { broker: "b".into() },
            away,
            &mut takeover,
            now,
            "me",
        );
        assert_eq!(
            next_step(closed(), kicked_after(1), &mut takeover, now, "me"),
            retry(closed(), false)
        );
    }

    #[test]
    fn a_network_error_of_a_working_connection_is_no_kick() {
        let mut takeover = TakeoverDetector::new();
        let now = Instant::now();
        let reset = Failure::Network {
            broker: "b".into(),
            error: "x".into(),
        };
        for _ in 0..5 {
            assert_eq!(
                next_step(reset.clone(), kicked_after(1), &mut takeover, now, "me"),
                retry(reset.clone(), false)
            );
        }
    }
}
