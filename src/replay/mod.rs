//! Replaying a recording into a connection: the messages of a file (or those matching topic
//! filters within a time range) published again at the recorded pace, N times faster, or as
//! fast as the broker takes them, with their QoS and retain flag or others, under a topic
//! prefix if asked, once or in a loop. `source` reads the file on a thread of its own and
//! counts it on another; `pacer` sends on a third, publishing through the connection's
//! [`crate::mqtt::Publisher`] with at most [`MAX_OUTSTANDING`] publishes without an outcome,
//! so "as fast as possible" never piles messages up in memory. Whoever drains the
//! connection's events (the tab, or the headless `mqscope replay`) hands the outcomes of the
//! replay's publishes to [`Replay::outcome`].

pub mod headless;
pub mod options;
pub mod pacer;
pub mod source;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub use options::{Bound, ReplayOptions, Speed};

use crate::model::{MqttVersion, PublishOutcome};
use crate::mqtt::PublishRequest;

/// Publishes sent and without an outcome at most: the sending waits for outcomes beyond it.
pub const MAX_OUTSTANDING: usize = 64;

/// How often a held replay (paused, link down, no room) looks again, besides being woken.
const HOLD_CHECK: Duration = Duration::from_millis(100);

/// Why a replay could not go on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The file could not be opened or read (the reason names it).
    #[error("{0}")]
    File(String),
    /// No line of the file is a message.
    #[error("no message could be read from the file ({first_problem})")]
    NoMessages {
        /// The first line that could not be read, with its number.
        first_problem: String,
    },
    /// The file holds no message that the filters and the time range let through.
    #[error("no message in the file matches the topics and times asked for")]
    NothingSelected,
    /// A thread could not be started.
    #[error("cannot start the replay: {0}")]
    Thread(String),
}

/// How a replay ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every message was sent and its outcome came back.
    Finished,
    /// Stopped as asked.
    Stopped,
    /// Stopped by a problem with the file.
    Failed(ReplayError),
}

/// Where a replay sends its messages: a connection's publisher (or a test's stand-in).
pub trait Publish: Send + 'static {
    /// Publish `request`; returns the id its outcome is reported under.
    fn publish(&self, request: PublishRequest) -> u64;
}

impl Publish for crate::mqtt::Publisher {
    fn publish(&self, request: PublishRequest) -> u64 {
        crate::mqtt::Publisher::publish(self, request).get()
    }
}

/// What the sending thread and the replay's owner share.
#[derive(Debug)]
struct Control {
    paused: bool,
    stop: bool,
    link_up: bool,
    outstanding: HashSet<u64>,
    sent: u64,
    /// `sent` when the pass under way started.
    sent_before_pass: u64,
    delivered: u64,
    failed: u64,
    first_failure: Option<String>,
    skipped: u64,
    problems: Vec<(u64, String)>,
    passes: u64,
    started: Instant,
    /// Time spent paused or with the link down, not counting the present hold.
    held: Duration,
    held_since: Option<Instant>,
    ran_for: Option<Duration>,
    ended: Option<Ended>,
}

#[derive(Debug)]
struct Shared {
    control: Mutex<Control>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait_timeout<'a>(&self, guard: MutexGuard<'a, Control>, timeout: Duration) -> MutexGuard<'a, Control> {
        match self.changed.wait_timeout(guard, timeout) {
            Ok((guard, _)) => guard,
            Err(poisoned) => poisoned.into_inner().0,
        }
    }
}

/// Where a replay stands, for a progress bar or a summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// Messages published so far (over every pass of a loop).
    pub sent: u64,
    /// Messages published in the pass under way.
    pub sent_this_pass: u64,
    /// Messages one pass sends, once counted.
    pub total: Option<u64>,
    /// Messages the broker took (acknowledged, or written for QoS 0).
    pub delivered: u64,
    /// Messages not delivered, and the first reason.
    pub failed: u64,
    /// Why the first failed message was not delivered.
    pub first_failure: Option<String>,
    /// Lines of the file that could not be read, and the first few with their numbers.
    pub skipped: u64,
    /// The first lines that could not be read: their number and why.
    pub problems: Vec<(u64, String)>,
    /// Passes finished (a loop starts another after each).
    pub passes: u64,
    /// Time running, pauses and time without a connection left out.
    pub elapsed: Duration,
    /// Whether it is paused.
    pub paused: bool,
    /// Whether it waits for the connection to come back.
    pub waiting_for_link: bool,
    /// How it ended, once it has.
    pub ended: Option<Ended>,
}

impl Status {
    /// The share of the pass sent, 0 to 1, once the count is known.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total?;
        if total == 0 {
            return Some(1.0);
        }
        Some((self.sent_this_pass as f64 / total as f64).min(1.0) as f32)
    }
}

/// A replay under way (or ended): the owner's handle.
#[derive(Debug)]
pub struct Replay {
    path: PathBuf,
    options: ReplayOptions,
    shared: Arc<Shared>,
    count: Arc<source::Count>,
}

impl Replay {
    /// Start replaying `path` as `options` say into `publisher`, a connection speaking
    /// `version`. A file that cannot be read ends the replay with [`Ended::Failed`].
    pub fn start(path: PathBuf, options: ReplayOptions, publisher: impl Publish, version: MqttVersion) -> Self {
        let shared = Arc::new(Shared {
            control: Mutex::new(Control {
                paused: false,
                stop: false,
                link_up: true,
                outstanding: HashSet::new(),
                sent: 0,
                sent_before_pass: 0,
                delivered: 0,
                failed: 0,
                first_failure: None,
                skipped: 0,
                problems: Vec::new(),
                passes: 0,
                started: Instant::now(),
                held: Duration::ZERO,
                held_since: None,
                ran_for: None,
                ended: None,
            }),
            changed: Condvar::new(),
        });
        let count = source::Count::start(&path, &options);
        let replay = Self {
            path: path.clone(),
            options: options.clone(),
            shared: Arc::clone(&shared),
            count,
        };
        let started = source::read(&path, &options).and_then(|items| {
            std::thread::Builder::new()
                .name("replay".into())
                .spawn(move || pacer::run(&items, &shared, &publisher, &options, version))
                .map_err(|e| e.to_string())
        });
        if let Err(error) = started {
            let mut control = replay.shared.lock();
            control.ended = Some(Ended::Failed(ReplayError::Thread(error)));
            control.ran_for = Some(Duration::ZERO);
        }
        replay
    }

    /// The file replayed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What was asked.
    pub fn options(&self) -> &ReplayOptions {
        &self.options
    }

    /// Where it stands.
    pub fn status(&self) -> Status {
        let control = self.shared.lock();
        let held = control.held + control.held_since.map_or(Duration::ZERO, |since| since.elapsed());
        Status {
            sent: control.sent,
            sent_this_pass: control.sent - control.sent_before_pass,
            total: self.count.get(),
            delivered: control.delivered,
            failed: control.failed,
            first_failure: control.first_failure.clone(),
            skipped: control.skipped,
            problems: control.problems.clone(),
            passes: control.passes,
            elapsed: control
                .ran_for
                .unwrap_or_else(|| control.started.elapsed().saturating_sub(held)),
            paused: control.paused,
            waiting_for_link: !control.link_up,
            ended: control.ended.clone(),
        }
    }

    /// Whether it has ended.
    pub fn is_running(&self) -> bool {
        self.shared.lock().ended.is_none()
    }

    /// Hold the sending (the schedule resumes where it was).
    pub fn pause(&self) {
        self.set(|control| control.paused = true);
    }

    /// Go on after [`Replay::pause`].
    pub fn resume(&self) {
        self.set(|control| control.paused = false);
    }

    /// Stop: nothing more is sent.
    pub fn stop(&self) {
        self.set(|control| control.stop = true);
    }

    /// The connection is up (or down: the sending waits, the schedule moved on by as long).
    pub fn set_link(&self, up: bool) {
        self.set(|control| control.link_up = up);
    }

    fn set(&self, change: impl FnOnce(&mut Control)) {
        let mut control = self.shared.lock();
        change(&mut control);
        self.shared.changed.notify_all();
    }

    /// The outcome of publish `id`: taken (true) when it was one of the replay's.
    pub fn outcome(&self, id: u64, outcome: &PublishOutcome) -> bool {
        let mut control = self.shared.lock();
        if !control.outstanding.remove(&id) {
            return false;
        }
        match outcome {
            PublishOutcome::Failed(why) => {
                control.failed += 1;
                control.first_failure.get_or_insert_with(|| why.clone());
            }
            PublishOutcome::Sent | PublishOutcome::Acknowledged { .. } => control.delivered += 1,
        }
        self.shared.changed.notify_all();
        true
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests;
