//! The sending thread (`replay`): takes each message the reading hands over, waits for its
//! time and for room among the publishes outstanding, and publishes it. Times are kept
//! against the start of the pass (message i is due at start + (t_i − t_0) / speed), never by
//! sleeping each gap, so lateness does not add up; time paused or with the link down moves
//! the start on by as much. A broker may forward a QoS 2 message only at the end of its
//! exchange (Mosquitto does, at PUBREL) while QoS 0 and 1 messages go on at once, so after a
//! QoS 2 message one of another QoS waits for the outcomes outstanding: the order holds
//! across QoS.

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, SystemTime};

use super::options::{ReplayOptions, Speed};
use super::source::Item;
use super::{Ended, Publish, ReplayError, Shared};
use crate::model::{MqttVersion, Qos};

/// Lines that could not be read, listed at most (more are counted).
const PROBLEMS_LISTED: usize = 20;

/// Where a pass started: the instant its first message was due, and that message's time.
struct Pass {
    start: Instant,
    first: SystemTime,
}

/// When a message recorded at `at` is due in a pass that started at `start` with a message
/// recorded at `first`, `factor` times faster than recorded. A time before `first` (a clock
/// that went back while recording) is due at once.
pub fn due(start: Instant, first: SystemTime, at: SystemTime, factor: f64) -> Instant {
    let offset = at.duration_since(first).unwrap_or_default();
    start + Duration::try_from_secs_f64(offset.as_secs_f64() / factor).unwrap_or(Duration::MAX / 4)
}

/// Send what `items` brings until it ends or the replay is stopped, then say how it ended.
pub(super) fn run(
    items: &Receiver<Item>,
    shared: &Shared,
    publisher: &dyn Publish,
    options: &ReplayOptions,
    version: MqttVersion,
) {
    let mut pass: Option<Pass> = None;
    let mut failure = None;
    let mut last_qos = None;
    for item in items {
        match item {
            Item::Message(received) => {
                let at = received.message.received_at;
                let pass = pass.get_or_insert_with(|| Pass {
                    start: Instant::now(),
                    first: at,
                });
                let due_at = match options.speed {
                    Speed::Times(factor) => Some((pass.first, at, factor)),
                    Speed::AsFastAsPossible => None,
                };
                let request = options.request(&received, version);
                // A broker may forward a QoS 2 message only once its exchange is over (Mosquitto
                // does, at PUBREL), after QoS 0 and 1 messages sent later: after a QoS 2
                // message, one of another QoS waits for the outcomes outstanding.
                let barrier = last_qos == Some(Qos::ExactlyOnce) && request.qos != Qos::ExactlyOnce;
                last_qos = Some(request.qos);
                if !shared.wait(&mut pass.start, due_at, barrier) {
                    break;
                }
                shared.send(publisher, request);
            }
            Item::Bad(number, why) => {
                let mut control = shared.lock();
                control.skipped += 1;
                if control.problems.len() < PROBLEMS_LISTED {
                    control.problems.push((number, why));
                }
            }
            // Without a loop, the end of the file is the end of the replay.
            Item::EndOfPass if options.repeat => {
                pass = None;
                let mut control = shared.lock();
                control.passes += 1;
                control.sent_before_pass = control.sent;
            }
            Item::EndOfPass => {}
            Item::Failed(why) => {
                failure = Some(why);
                break;
            }
        }
    }
    let ended = shared.finish(failure);
    tracing::info!(?ended, "replay ended");
}

impl Shared {
    /// Wait until the message is due (`due_at`: the pass's first time, the message's time and
    /// the speed; `None`: at once) and there is room among the outstanding publishes (with
    /// `barrier`, none is left); false when the replay was stopped meanwhile.
    fn wait(&self, start: &mut Instant, due_at: Option<(SystemTime, SystemTime, f64)>, barrier: bool) -> bool {
        let mut control = self.lock();
        loop {
            if control.stop {
                return false;
            }
            let now = Instant::now();
            if control.paused || !control.link_up {
                control.held_since.get_or_insert(now);
                control = self.wait_timeout(control, super::HOLD_CHECK);
                continue;
            }
            if let Some(since) = control.held_since.take() {
                let held = now.saturating_duration_since(since);
                control.held += held;
                *start += held;
            }
            let room = if barrier { 1 } else { super::MAX_OUTSTANDING };
            if control.outstanding.len() >= room {
                control = self.wait_timeout(control, super::HOLD_CHECK);
                continue;
            }
            if let Some((first, at, factor)) = due_at {
                let due_at = due(*start, first, at, factor);
                if now < due_at {
                    control = self.wait_timeout(control, due_at - now);
                    continue;
                }
            }
            return true;
        }
    }

    /// Publish one request, counting it outstanding until its outcome comes back.
    fn send(&self, publisher: &dyn Publish, request: crate::mqtt::PublishRequest) {
        // Under the lock: the outcome cannot be looked for before the id is known.
        let mut control = self.lock();
        let id = publisher.publish(request);
        control.outstanding.insert(id);
        control.sent += 1;
    }

    /// Wait for the outcomes still outstanding (unless stopped), then say how it ended.
    fn finish(&self, failure: Option<String>) -> Ended {
        let mut control = self.lock();
        while !control.stop && !control.outstanding.is_empty() {
            control = self.wait_timeout(control, super::HOLD_CHECK);
        }
        let ended = if control.stop {
            Ended::Stopped
        } else if let Some(why) = failure {
            Ended::Failed(ReplayError::File(why))
        } else if control.sent == 0 {
            Ended::Failed(match control.problems.first() {
                Some((number, why)) => ReplayError::NoMessages {
                    first_problem: format!("line {number}: {why}"),
                },
                None => ReplayError::NothingSelected,
            })
        } else {
            Ended::Finished
        };
        let held = control.held + control.held_since.map_or(Duration::ZERO, |since| since.elapsed());
        control.ran_for = Some(control.started.elapsed().saturating_sub(held));
        control.ended = Some(ended.clone());
        self.changed.notify_all();
        ended
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    #[test]
    fn messages_are_due_from_the_start_of_the_pass_not_the_last_one() {
        let start = Instant::now();
        let first = UNIX_EPOCH + Duration::from_secs(100);
        let at = first + Duration::from_millis(2500);
        assert_eq!(due(start, first, at, 1.0), start + Duration::from_millis(2500));
        assert_eq!(due(start, first, at, 10.0), start + Duration::from_millis(250));
        // A recorded time earlier than the first is due at once.
        assert_eq!(due(start, first, first - Duration::from_secs(1), 1.0), start);
    }
}
