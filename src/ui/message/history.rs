//! The topic's kept messages: which one is shown (the latest, or one picked in the list or
//! stepped to with Alt+Up and Alt+Down) and which one a diff compares it with.

use eframe::egui;

use crate::model::history::{Entry, TopicHistory};
use crate::model::{Message, NodeId};
use crate::payload::{self, text::human_bytes};
use crate::ui::text::plural;

/// What the user picked in a topic's history.
#[derive(Default)]
pub struct Picks {
    /// A message picked from the history (topic, sequence number); `None` shows the latest.
    pub viewing: Option<(NodeId, u64)>,
    /// The message to compare with, picked in the history (topic, sequence number); `None`
    /// compares with the message before the one shown.
    pub base: Option<(NodeId, u64)>,
    /// Show what changed instead of the payload.
    pub diff: bool,
}

/// The message shown, and the one a diff compares it with.
pub struct Shown<'a> {
    /// The message.
    pub message: &'a Message,
    /// Its history sequence number (the topic's message count when it has no history).
    pub seq: u64,
    /// Its sequence number when picked from the history rather than the latest.
    pub picked: Option<u64>,
    /// The message to compare with: the one picked as base, or the one before.
    pub base: Option<&'a Entry>,
}

impl Picks {
    /// The message picked from topic `id`'s history to show, if one is.
    pub fn viewing_seq(&self, id: NodeId) -> Option<u64> {
        self.viewing.filter(|(topic, _)| *topic == id).map(|(_, seq)| seq)
    }

    /// The message of topic `id` to show: the one picked in `history`, or `latest` (the
    /// topic's `messages`-th); and the one to compare it with.
    pub fn shown<'a>(
        &mut self,
        id: NodeId,
        history: Option<&'a TopicHistory>,
        latest: &'a Message,
        messages: u64,
    ) -> Shown<'a> {
        let picked = self
            .viewing_seq(id)
            .and_then(|seq| history.and_then(|h| h.entries().iter().find(|e| e.seq == seq)));
        if picked.is_none() {
            self.viewing = None;
        }
        let (message, seq) = match picked {
            Some(entry) => (&entry.message, entry.seq),
            None => (
                latest,
                history.and_then(|h| h.entries().back()).map_or(messages, |e| e.seq),
            ),
        };
        let base = history.and_then(|h| {
            let entries = h.entries();
            let picked_base = self
                .base
                .filter(|(topic, base)| *topic == id && *base != seq)
                .and_then(|(_, base)| entries.iter().find(|e| e.seq == base));
            picked_base.or_else(|| {
                let shown = entries.iter().position(|e| e.seq == seq)?;
                shown.checked_sub(1).and_then(|i| entries.get(i))
            })
        });
        Shown {
            message,
            seq,
            picked: picked.map(|e| e.seq),
            base,
        }
    }

    /// Alt+Down shows the next older message of the history, Alt+Up the next newer one.
    pub fn step_through_history(&mut self, ui: &egui::Ui, id: NodeId, history: &TopicHistory) {
        let older = ui.input_mut(|i| i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowDown));
        let newer = ui.input_mut(|i| i.consume_key(egui::Modifiers::ALT, egui::Key::ArrowUp));
        if !older && !newer {
            return;
        }
        let entries = history.entries();
        let Some(last) = entries.len().checked_sub(1) else {
            return;
        };
        let shown = self
            .viewing_seq(id)
            .and_then(|seq| entries.iter().position(|e| e.seq == seq))
            .unwrap_or(last);
        let target = if older {
            shown.saturating_sub(1)
        } else {
            (shown + 1).min(last)
        };
        self.viewing = (target != last)
            .then(|| entries.get(target).map(|e| (id, e.seq)))
            .flatten();
    }

    /// The topic's kept messages, newest first; clicking one shows it.
    pub fn history_ui(&mut self, ui: &mut egui::Ui, id: NodeId, history: &TopicHistory, picked: Option<u64>) {
        let kept = history.entries().len();
        let mut title = format!("History: {}", plural(kept as u64, "message", "messages"));
        if history.dropped() > 0 {
            title.push_str(&format!(
                " ({} older not kept)",
                payload::text::group_digits(history.dropped())
            ));
        }
        let header = egui::CollapsingHeader::new(title)
            .id_salt("message-history")
            .default_open(true)
            .show(ui, |ui| {
                if picked.is_some() && ui.button("Back to the latest message").clicked() {
                    self.viewing = None;
                }
                // A selectable row is as tall as any interactive widget.
                let row_height = ui
                    .text_style_height(&egui::TextStyle::Monospace)
                    .max(ui.spacing().interact_size.y);
                egui::ScrollArea::vertical()
                    .id_salt("message-history-rows")
                    .max_height(row_height * 4.0 + 12.0)
                    .auto_shrink([false, true])
                    .show_rows(ui, row_height, kept, |ui, range| {
                        // One line a row, cut at the panel's edge: the rows have a fixed height.
                        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                        for i in range {
                            // Newest first.
                            let Some(entry) = kept.checked_sub(i + 1).and_then(|k| history.entries().get(k)) else {
                                continue;
                            };
                            self.row_ui(
                                ui,
                                id,
                                entry,
                                picked == Some(entry.seq) || (picked.is_none() && i == 0),
                                i == 0,
                            );
                        }
                    });
            });
        header
            .header_response
            .on_hover_text("Alt+Down shows the next older message, Alt+Up the next newer one");
    }

    /// One kept message: time, QoS, retained, size and the start of the payload.
    fn row_ui(&mut self, ui: &mut egui::Ui, id: NodeId, entry: &Entry, shown: bool, newest: bool) {
        let message = &entry.message;
        let local: chrono::DateTime<chrono::Local> = message.received_at.into();
        let line = format!(
            "{}  QoS {}  {}  {:>9}  {}",
            local.format("%H:%M:%S%.3f"),
            message.qos,
            if message.retain { "R" } else { " " },
            human_bytes(message.payload.len() as u64),
            payload::text::preview(&message.payload, 60)
        );
        let is_base = self.base == Some((id, entry.seq));
        let text = if is_base {
            format!("{line}  (compared with)")
        } else {
            line
        };
        let label = egui::RichText::new(text).monospace();
        let response = ui.selectable_label(shown, label);
        if response.clicked() {
            self.viewing = (!newest).then_some((id, entry.seq));
        }
        response.context_menu(|ui| {
            if ui.button("Compare with this message").clicked() {
                self.base = Some((id, entry.seq));
                self.diff = true;
                ui.close();
            }
            if self.base.is_some() && ui.button("Compare with the previous message").clicked() {
                self.base = None;
                ui.close();
            }
        });
    }
}
