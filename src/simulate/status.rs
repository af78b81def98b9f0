//! What the window knows of a running simulation, shared with its thread: whether it runs,
//! how many messages it handed over, how many were sent or failed (and the latest reason),
//! and the publishes still waiting for an outcome.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::Outstanding;
use crate::model::PublishOutcome;
use crate::mqtt::PublishRequest;

/// The shared state of one simulation.
#[derive(Debug, Default)]
pub struct Status {
    running: AtomicBool,
    stopping: AtomicBool,
    issued: AtomicU64,
    sent: AtomicU64,
    failed: AtomicU64,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    outstanding: Outstanding,
    last_failure: Option<String>,
    ended: Option<String>,
}

/// A simulation's state at one moment, to draw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Whether its thread runs.
    pub running: bool,
    /// Messages handed to the connection.
    pub issued: u64,
    /// Messages the connection sent (QoS 0) or the broker acknowledged.
    pub sent: u64,
    /// Messages that failed.
    pub failed: u64,
    /// Why the latest one failed.
    pub last_failure: Option<String>,
    /// Why it ended on its own (a wrong template, the connection closed), if it did.
    pub ended: Option<String>,
}

impl Status {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        // The data stays whole whatever panicked while holding the lock: counts and a text.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The simulation starts: counts from zero.
    pub(super) fn begin(&self) {
        let mut inner = self.inner();
        inner.outstanding.clear();
        inner.last_failure = None;
        inner.ended = None;
        for count in [&self.issued, &self.sent, &self.failed] {
            count.store(0, Ordering::Relaxed);
        }
        self.stopping.store(false, Ordering::Relaxed);
        self.running.store(true, Ordering::Release);
    }

    /// Ask the simulation to stop.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
    }

    pub(super) fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// It ended on its own, and why.
    pub(super) fn end(&self, why: String) {
        self.inner().ended = Some(why);
        self.running.store(false, Ordering::Release);
    }

    /// It stopped when asked.
    pub(super) fn end_stopped(&self) {
        self.running.store(false, Ordering::Release);
    }

    /// Hand `requests` over with `publish`, each counted outstanding as it goes, under the
    /// lock [`Status::settle`] takes: an outcome cannot be looked for before its id is known
    /// (a QoS 0 publish's outcome can come back before `publish` returns to a loaded thread).
    /// Whether all were handed over (not when the connection ended).
    pub(super) fn hand_over(
        &self,
        requests: impl IntoIterator<Item = PublishRequest>,
        publish: impl Fn(PublishRequest) -> Option<u64>,
    ) -> bool {
        let mut inner = self.inner();
        for request in requests {
            let Some(id) = publish(request) else {
                return false;
            };
            inner.outstanding.insert(id);
            self.issued.fetch_add(1, Ordering::Relaxed);
        }
        true
    }

    /// Publishes without an outcome yet.
    pub(super) fn outstanding(&self) -> usize {
        self.inner().outstanding.len()
    }

    /// Count the outcomes of this simulation's publishes among `outcomes`.
    pub(super) fn settle(&self, outcomes: &[(u64, PublishOutcome)]) {
        let mut inner = self.inner();
        for (id, outcome) in outcomes {
            if !inner.outstanding.remove(id) {
                continue;
            }
            match outcome {
                PublishOutcome::Sent | PublishOutcome::Acknowledged { .. } => {
                    self.sent.fetch_add(1, Ordering::Relaxed);
                }
                PublishOutcome::Failed(why) => {
                    self.failed.fetch_add(1, Ordering::Relaxed);
                    if inner.last_failure.as_ref() != Some(why) {
                        inner.last_failure = Some(why.clone());
                    }
                }
            }
        }
    }

    /// The state now.
    pub fn snapshot(&self) -> Snapshot {
        let inner = self.inner();
        Snapshot {
            running: self.running.load(Ordering::Acquire),
            issued: self.issued.load(Ordering::Relaxed),
            sent: self.sent.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            last_failure: inner.last_failure.clone(),
            ended: inner.ended.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_its_own_outcomes() {
        let status = Status::default();
        status.begin();
        let ids = std::cell::Cell::new(0);
        let request = |n: u8| PublishRequest {
            topic: format!("t/{n}"),
            payload: bytes::Bytes::new(),
            qos: crate::model::Qos::AtMostOnce,
            retain: false,
            properties: None,
        };
        let next = |_| {
            ids.set(ids.get() + 1);
            Some(ids.get())
        };
        assert!(status.hand_over((0..3).map(request), next));
        status.settle(&[
            (1, PublishOutcome::Sent),
            (9, PublishOutcome::Sent),
            (2, PublishOutcome::Failed("Not connected".into())),
        ]);
        let snapshot = status.snapshot();
        assert_eq!((snapshot.issued, snapshot.sent, snapshot.failed), (3, 1, 1));
        assert_eq!(snapshot.last_failure.as_deref(), Some("Not connected"));
        assert_eq!(status.outstanding(), 1);
    }

    #[test]
    fn an_outcome_waits_for_the_hand_over_that_knows_its_id() {
        let status = std::sync::Arc::new(Status::default());
        status.begin();
        let (told, settled) = std::sync::mpsc::channel();
        let settling = std::sync::Arc::clone(&status);
        let publish = |_| {
            // The outcome comes back before the publisher has returned the id.
            let settling = std::sync::Arc::clone(&settling);
            let told = told.clone();
            std::thread::spawn(move || {
                settling.settle(&[(7, PublishOutcome::Sent)]);
                told.send(()).ok();
            });
            std::thread::sleep(std::time::Duration::from_millis(50));
            Some(7)
        };
        let request = PublishRequest {
            topic: "t".into(),
            payload: bytes::Bytes::new(),
            qos: crate::model::Qos::AtMostOnce,
            retain: false,
            properties: None,
        };
        assert!(status.hand_over([request], publish));
        settled.recv().expect("settled");
        assert_eq!(status.snapshot().sent, 1);
        assert_eq!(status.outstanding(), 0);
    }
}
