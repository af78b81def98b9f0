//! Clearing retained messages, one topic or a whole branch. The broker is asked first which
//! topics it retains there (a fresh subscription on a connection of its own, so a message
//! retained while this connection was subscribed, whose retain flag MQTT 3.1.1 clears, is not
//! missed); after confirmation an empty retained message goes to exactly those topics, a
//! window at a time; then the broker is asked again, and only what it no longer holds is
//! taken out of the tree. "Confirmed" is said only when that check found nothing left.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use eframe::egui;

use crate::model::{PublishOutcome, Qos, Session};
use crate::mqtt::{Connection, ConnectionSettings, MqttVersion, PublishRequest, retained};
use crate::ui::text::plural;

/// Deletions in flight at most (the broker acknowledges each).
const WINDOW: usize = 100;
/// How long each question to the broker may take at most.
const CHECK_LIMIT: Duration = Duration::from_secs(60);

/// The broker's answer to "which topics do you retain under this filter?".
type Answer = mpsc::Receiver<Result<Vec<String>, String>>;

/// Where a clearing stands.
pub enum Phase {
    /// Asking the broker which topics it retains in scope (`None`: not asked yet).
    Asking(Option<Answer>),
    /// Waiting for the user to confirm.
    Confirm,
    /// Publishing empty retained messages.
    Sending,
    /// Asking the broker which are gone.
    Checking(Answer),
    /// Finished: what happened, and whether everything is gone.
    Done {
        /// The report.
        text: String,
        /// Whether the broker holds nothing of what was to be cleared.
        ok: bool,
    },
}

/// One clearing of retained messages, from the broker's first answer to the report.
pub struct ClearJob {
    /// The topic or branch cleared.
    scope: String,
    recursive: bool,
    /// The topics the broker retains in scope, as it said before the clearing.
    topics: Vec<String>,
    /// How many of them this connection had seen as retained.
    known: usize,
    phase: Phase,
    next: usize,
    /// Deletions awaiting their acknowledgement: publish id → index in `topics`.
    outstanding: HashMap<u64, usize>,
    /// Indices in `topics` of the deletions sent.
    sent: Vec<usize>,
    failures: Vec<String>,
    cancelled: bool,
    /// The MQTT version the broker is asked in: the one the connection settled on.
    version: MqttVersion,
}

impl ClearJob {
    /// Clear the retained message of the topic `id`, or (`recursive`) of every topic at and
    /// below it: the first [`Self::pump`] asks the broker what it retains there, in `version`.
    pub fn new(session: &Session, id: crate::model::NodeId, recursive: bool, version: MqttVersion) -> Self {
        let scope = session.tree.topic(id);
        Self {
            scope,
            recursive,
            topics: Vec::new(),
            known: 0,
            phase: Phase::Asking(None),
            next: 0,
            outstanding: HashMap::new(),
            sent: Vec::new(),
            failures: Vec::new(),
            cancelled: false,
            version,
        }
    }

    /// A clearing that cannot be made, its report saying `why`.
    pub fn not_possible(
        session: &Session,
        id: crate::model::NodeId,
        recursive: bool,
        version: MqttVersion,
        why: String,
    ) -> Self {
        let mut job = Self::new(session, id, recursive, version);
        job.phase = Phase::Done { text: why, ok: false };
        job
    }

    /// Where the job stands.
    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// The topic or branch cleared.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// Whether every topic below the scope is cleared too.
    pub fn recursive(&self) -> bool {
        self.recursive
    }

    /// The topics the broker said it retains in scope.
    pub fn topics(&self) -> &[String] {
        &self.topics
    }

    /// How many of [`Self::topics`] this connection had not seen as retained.
    pub fn unseen(&self) -> usize {
        self.topics.len().saturating_sub(self.known)
    }

    /// Deletions acknowledged (or failed) so far.
    pub fn done(&self) -> usize {
        self.sent.len() - self.outstanding.len()
    }

    /// Whether sending was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled
    }

    /// The user confirmed: start sending.
    pub fn confirm(&mut self) {
        if matches!(self.phase, Phase::Confirm) {
            self.phase = Phase::Sending;
        }
    }

    /// Stop sending; what was sent is still checked.
    pub fn cancel(&mut self) {
        self.cancelled = true;
    }

    /// Move the job on: the broker's answers, sending, acknowledgements. Call every frame.
    /// Returns the topics the broker confirmed gone, once, for the caller to take out of the
    /// tree.
    pub fn pump(
        &mut self,
        session: &Session,
        connection: Option<&Connection>,
        settings: &ConnectionSettings,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
    ) -> Vec<String> {
        match &self.phase {
            Phase::Confirm | Phase::Done { .. } => Vec::new(),
            Phase::Asking(None) => {
                self.phase = Phase::Asking(Some(ask(settings, self.version, self.filter(), runtime, ctx)));
                Vec::new()
            }
            Phase::Asking(Some(rx)) => {
                if let Some(answer) = receive(rx) {
                    self.asked(session, answer);
                }
                Vec::new()
            }
            Phase::Sending => {
                self.send(session, connection, settings, runtime, ctx);
                Vec::new()
            }
            Phase::Checking(rx) => match receive(rx) {
                Some(answer) => self.finish(answer),
                None => Vec::new(),
            },
        }
    }

    /// The broker said what it retains in scope.
    fn asked(&mut self, session: &Session, answer: Result<Vec<String>, String>) {
        let place = if self.recursive { "under" } else { "on" };
        match answer {
            Err(why) => {
                self.phase = Phase::Done {
                    text: format!(
                        "Could not ask the broker which retained messages it holds {place} {}; nothing was \
                         cleared: {why}",
                        self.scope
                    ),
                    ok: false,
                };
            }
            Ok(topics) if topics.is_empty() => {
                self.phase = Phase::Done {
                    text: format!("The broker holds no retained message {place} {}.", self.scope),
                    ok: true,
                };
            }
            Ok(topics) => {
                let tree = &session.tree;
                self.known = topics
                    .iter()
                    .filter(|t| {
                        tree.find(t)
                            .and_then(|id| tree.get(id))
                            .is_some_and(|n| n.is_retained())
                    })
                    .count();
                self.topics = topics;
                self.phase = Phase::Confirm;
            }
        }
    }

    fn send(
        &mut self,
        session: &Session,
        connection: Option<&Connection>,
        settings: &ConnectionSettings,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
    ) {
        let topics = &self.topics;
        let failures = &mut self.failures;
        self.outstanding.retain(|id, index| match session.publish_outcome(*id) {
            None => true,
            Some(PublishOutcome::Failed(why)) => {
                let topic = topics.get(*index).map_or("?", String::as_str);
                failures.push(format!("{topic}: {why}"));
                false
            }
            Some(_) => false,
        });
        let Some(connection) = connection.filter(|_| session.state().is_connected()) else {
            self.phase = Phase::Done {
                text: format!(
                    "The connection was lost after {} of {} deletions were sent; nothing was checked. \
                     Reconnect and try again.",
                    self.sent.len(),
                    self.topics.len()
                ),
                ok: false,
            };
            return;
        };
        while !self.cancelled && self.outstanding.len() < WINDOW && self.next < self.topics.len() {
            let Some(topic) = self.topics.get(self.next) else {
                break;
            };
            let id = connection.publish(PublishRequest {
                topic: topic.clone(),
                payload: Bytes::new(),
                qos: Qos::AtLeastOnce,
                retain: true,
                properties: None,
            });
            self.outstanding.insert(id.get(), self.next);
            self.sent.push(self.next);
            self.next += 1;
        }
        let all_sent = self.cancelled || self.next >= self.topics.len();
        if all_sent && self.outstanding.is_empty() {
            self.phase = Phase::Checking(ask(settings, self.version, self.filter(), runtime, ctx));
        }
    }

    /// The filter that matches the scope: the topic, or (`a/#` also matches `a` itself) the
    /// branch.
    fn filter(&self) -> String {
        if self.recursive {
            format!("{}/#", self.scope)
        } else {
            self.scope.clone()
        }
    }

    /// The broker said what it still retains: report, and return what is gone.
    fn finish(&mut self, answer: Result<Vec<String>, String>) -> Vec<String> {
        let sent = self.sent.len();
        let place = if self.recursive { "under" } else { "of" };
        let still = match answer {
            Err(why) => {
                self.phase = Phase::Done {
                    text: format!("Sent {sent} deletions, but could not check that the broker applied them: {why}"),
                    ok: false,
                };
                return Vec::new();
            }
            Ok(still) => still,
        };
        let still_set: HashSet<&str> = still.iter().map(String::as_str).collect();
        let gone: Vec<String> = self
            .sent
            .iter()
            .filter_map(|&i| self.topics.get(i))
            .filter(|t| !still_set.contains(t.as_str()))
            .cloned()
            .collect();
        let mut text = if still.is_empty() {
            format!(
                "Cleared {} {place} {}: the broker confirmed {} gone.",
                plural(gone.len() as u64, "retained message", "retained messages"),
                self.scope,
                if gone.len() == 1 { "it is" } else { "they are" },
            )
        } else {
            format!(
                "Cleared {} {place} {}, but the broker still holds {}",
                plural(gone.len() as u64, "retained message", "retained messages"),
                self.scope,
                plural(still.len() as u64, "retained message", "retained messages"),
            )
        };
        if !still.is_empty() {
            let names: Vec<&str> = still.iter().map(String::as_str).take(5).collect();
            text.push_str(&format!(
                " ({}{}): a device may have published it again, or the broker may not let this client \
                 clear it.",
                names.join(", "),
                if still.len() > names.len() { ", …" } else { "" }
            ));
        }
        if self.cancelled {
            text.push_str(&format!(" Cancelled: {} were not tried.", self.topics.len() - sent));
        }
        if let Some(first) = self.failures.first() {
            text.push_str(&format!(" {} deletions failed: {first}", self.failures.len()));
        }
        let ok = still.is_empty() && self.failures.is_empty() && !self.cancelled;
        self.phase = Phase::Done { text, ok };
        gone
    }
}

/// Ask the broker, on a connection of its own, which topics matching `filter` it retains.
fn ask(
    settings: &ConnectionSettings,
    version: MqttVersion,
    filter: String,
    runtime: &tokio::runtime::Handle,
    ctx: &egui::Context,
) -> Answer {
    let (tx, rx) = mpsc::channel();
    let mut settings = settings.clone();
    settings.version = version.into();
    let ctx = ctx.clone();
    runtime.spawn(async move {
        let result = retained::retained_topics(&settings, &[filter], CHECK_LIMIT).await;
        // The dialog may be gone; then nobody needs the answer.
        tx.send(result).ok();
        ctx.request_repaint();
    });
    rx
}

/// The broker's answer, once it came.
fn receive(rx: &Answer) -> Option<Result<Vec<String>, String>> {
    match rx.try_recv() {
        Ok(answer) => Some(answer),
        Err(mpsc::TryRecvError::Empty) => None,
        Err(mpsc::TryRecvError::Disconnected) => Some(Err("the check stopped unexpectedly".to_owned())),
    }
}
