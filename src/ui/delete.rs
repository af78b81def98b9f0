//! Clearing retained messages, one topic or a whole branch: confirm, send an
//! empty retained message to each topic a window at a time, then ask the
//! broker with a fresh subscription which are really gone, and only then take
//! them out of the tree.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use eframe::egui::{self, RichText};

use super::theme;
use super::tree::plural;
use crate::model::{NodeId, PublishOutcome, Qos, Session};
use crate::mqtt::{Connection, ConnectionSettings, PublishRequest, retained};
use crate::payload::text::group_digits;

/// Deletions in flight at most (the broker acknowledges each).
const WINDOW: usize = 100;
/// How long the check after a deletion may take at most.
const CHECK_LIMIT: Duration = Duration::from_secs(60);

enum Phase {
    Confirm,
    Sending,
    Checking(mpsc::Receiver<Result<Vec<String>, String>>),
    Done { text: String, ok: bool },
}

/// One clearing of retained messages, from confirmation to report.
pub struct DeleteJob {
    /// The topic or branch cleared.
    scope: String,
    recursive: bool,
    topics: Vec<(NodeId, String)>,
    phase: Phase,
    next: usize,
    outstanding: HashMap<u64, usize>,
    sent: Vec<usize>,
    failures: Vec<String>,
    cancelled: bool,
}

impl DeleteJob {
    /// A job for the retained message of `id` alone, or of every topic at and
    /// below it. With nothing retained there, it only says so.
    pub fn new(session: &Session, id: NodeId, recursive: bool) -> Self {
        let tree = &session.tree;
        let ids = if recursive {
            tree.retained_topics(id)
        } else {
            tree.get(id)
                .filter(|n| n.is_retained())
                .map(|_| vec![id])
                .unwrap_or_default()
        };
        let scope = tree.topic(id);
        let phase = if ids.is_empty() {
            Phase::Done {
                text: format!(
                    "No retained messages {} {scope}, as far as this connection has seen.",
                    if recursive { "under" } else { "on" }
                ),
                ok: true,
            }
        } else {
            Phase::Confirm
        };
        Self {
            scope,
            recursive,
            topics: ids.into_iter().map(|id| (id, tree.topic(id))).collect(),
            phase,
            next: 0,
            outstanding: HashMap::new(),
            sent: Vec::new(),
            failures: Vec::new(),
            cancelled: false,
        }
    }

    /// How many topics it clears.
    pub fn len(&self) -> usize {
        self.topics.len()
    }

    /// Whether it clears nothing.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }

    fn filter(&self) -> String {
        if self.recursive {
            // `a/#` also matches `a` itself.
            format!("{}/#", self.scope)
        } else {
            self.scope.clone()
        }
    }

    /// Move the job on: send, collect acknowledgements, check, apply. Call every frame.
    pub fn pump(
        &mut self,
        session: &mut Session,
        connection: Option<&Connection>,
        settings: &ConnectionSettings,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
    ) {
        match &self.phase {
            Phase::Confirm | Phase::Done { .. } => {}
            Phase::Sending => self.send(session, connection, settings, runtime, ctx),
            Phase::Checking(rx) => match rx.try_recv() {
                Ok(result) => self.finish(session, result),
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.finish(session, Err("the check stopped unexpectedly".to_owned()));
                }
            },
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
                let topic = topics.get(*index).map_or("?", |(_, t)| t.as_str());
                failures.push(format!("{topic}: {why}"));
                false
            }
            Some(_) => false,
        });
        let connected = session.state().is_connected();
        match connection {
            Some(connection) if connected => {
                while !self.cancelled && self.outstanding.len() < WINDOW && self.next < self.topics.len() {
                    let Some((_, topic)) = self.topics.get(self.next) else {
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
            }
            _ => {
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
            }
        }
        let all_sent = self.cancelled || self.next >= self.topics.len();
        if all_sent && self.outstanding.is_empty() {
            let (tx, rx) = mpsc::channel();
            let settings = settings.clone();
            let filters = vec![self.filter()];
            let ctx = ctx.clone();
            runtime.spawn(async move {
                let result = retained::retained_topics(&settings, &filters, CHECK_LIMIT).await;
                // The dialog may be gone; then nobody needs the answer.
                tx.send(result).ok();
                ctx.request_repaint();
            });
            self.phase = Phase::Checking(rx);
        }
    }

    fn finish(&mut self, session: &mut Session, result: Result<Vec<String>, String>) {
        let sent = self.sent.len();
        let (text, ok) = match result {
            Err(why) => (
                format!("Sent {sent} deletions, but could not check that the broker applied them: {why}"),
                false,
            ),
            Ok(still) => {
                let still: HashSet<&str> = still.iter().map(String::as_str).collect();
                let (gone, kept): (Vec<usize>, Vec<usize>) = self
                    .sent
                    .iter()
                    .partition(|&&i| self.topics.get(i).is_some_and(|(_, t)| !still.contains(t.as_str())));
                let gone_ids: Vec<NodeId> = gone
                    .iter()
                    .filter_map(|&i| self.topics.get(i).map(|(id, _)| *id))
                    .collect();
                session.remove_topics(&gone_ids);
                let mut text = format!(
                    "Cleared {} {} {}: the broker confirmed {} gone.",
                    plural(gone.len() as u64, "retained message", "retained messages"),
                    if self.recursive { "under" } else { "of" },
                    self.scope,
                    if gone.len() == 1 { "it is" } else { "they are" },
                );
                if self.cancelled {
                    text.push_str(&format!(" Cancelled: {} were not tried.", self.topics.len() - sent));
                }
                if !kept.is_empty() {
                    let names: Vec<&str> = kept
                        .iter()
                        .filter_map(|&i| self.topics.get(i).map(|(_, t)| t.as_str()))
                        .take(5)
                        .collect();
                    text.push_str(&format!(
                        " {} still hold a retained message ({}{}): the broker may not let this client clear them.",
                        kept.len(),
                        names.join(", "),
                        if kept.len() > names.len() { ", …" } else { "" }
                    ));
                }
                if !self.failures.is_empty() {
                    text.push_str(&format!(
                        " {} deletions failed: {}",
                        self.failures.len(),
                        self.failures[0]
                    ));
                }
                (text, kept.is_empty() && self.failures.is_empty())
            }
        };
        self.phase = Phase::Done { text, ok };
    }

    /// Draw the dialog. Returns false once the user closed it.
    pub fn ui(&mut self, ctx: &egui::Context) -> bool {
        let mut open = true;
        egui::Modal::new(egui::Id::unique("mqscope-clear-retained")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Clear retained messages");
            ui.add_space(6.0);
            match &self.phase {
                Phase::Confirm => {
                    let question = if self.recursive {
                        format!(
                            "Clear the retained messages of {} under {}?",
                            plural(self.topics.len() as u64, "topic", "topics"),
                            self.scope
                        )
                    } else {
                        format!("Clear the retained message of {}?", self.scope)
                    };
                    ui.add(egui::Label::new(question).wrap());
                    ui.weak(
                        "An empty retained message is published to each topic. Devices that publish \
                         retained messages will bring theirs back.",
                    );
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        let n = self.topics.len() as u64;
                        let label = format!("Clear {}", plural(n, "retained message", "retained messages"));
                        let clear = egui::Button::new(RichText::new(label).strong().color(egui::Color32::WHITE))
                            .fill(theme::error_color(ui));
                        if ui.add(clear).clicked() {
                            self.phase = Phase::Sending;
                            ctx.request_repaint();
                        }
                        if ui.button("Cancel").clicked() {
                            open = false;
                        }
                    });
                }
                Phase::Sending => {
                    let done = self.sent.len() - self.outstanding.len();
                    let total = self.topics.len();
                    ui.label(format!("Clearing retained messages under {}…", self.scope));
                    ui.add(egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(format!(
                        "{} of {}",
                        group_digits(done as u64),
                        group_digits(total as u64)
                    )));
                    if ui.add_enabled(!self.cancelled, egui::Button::new("Cancel")).clicked() {
                        self.cancelled = true;
                    }
                }
                Phase::Checking(_) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Checking with the broker which retained messages are gone…");
                    });
                }
                Phase::Done { text, ok } => {
                    let color = if *ok {
                        theme::ok_color(ui)
                    } else {
                        theme::warn_color(ui)
                    };
                    ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
                    ui.add_space(8.0);
                    if ui.button("Close").clicked() {
                        open = false;
                    }
                }
            }
        });
        open
    }
}
