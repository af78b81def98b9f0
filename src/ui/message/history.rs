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
    /// While the pointer is over the list or a message is picked, the newest message the list
    /// shows (topic, sequence number): newer ones wait above it, so rows never move under the
    /// pointer.
    held: Option<(NodeId, u64)>,
    /// Where the list was drawn last frame.
    list_rect: Option<egui::Rect>,
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

    /// The topic's kept messages, newest first; clicking one shows it. Returns whether the
    /// person asked to export them.
    pub fn history_ui(&mut self, ui: &mut egui::Ui, id: NodeId, history: &TopicHistory, picked: Option<u64>) -> bool {
        let kept = history.entries().len();
        let mut title = format!("History: {}", plural(kept as u64, "message", "messages"));
        if history.dropped() > 0 {
            title.push_str(&format!(
                " ({} older not kept)",
                payload::text::group_digits(history.dropped())
            ));
        }
        let entries = history.entries();
        let pointer_over = self.list_rect.is_some_and(|rect| ui.rect_contains_pointer(rect));
        if pointer_over || picked.is_some() {
            if self.held.is_none_or(|(topic, _)| topic != id) {
                self.held = entries.back().map(|e| (id, e.seq));
            }
        } else {
            self.held = None;
        }
        // The rows shown: up to the held message, or all.
        let shown = match self.held {
            Some((_, top)) => entries.partition_point(|e| e.seq <= top),
            None => kept,
        };
        let newer = kept - shown;
        let mut export = false;
        let state_id = ui.make_persistent_id("message-history");
        egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), state_id, true)
            .show_header(ui, |ui| {
                ui.label(title)
                    .on_hover_text("Alt+Down shows the next older message, Alt+Up the next newer one");
                export = ui
                    .small_button("Export…")
                    .on_hover_text("Save the kept messages to a file: JSON lines (a recording), CSV or JSON")
                    .clicked();
            })
            .body(|ui| {
                // A selectable row is as tall as any interactive widget.
                let row_height = ui
                    .text_style_height(&egui::TextStyle::Monospace)
                    .max(ui.spacing().interact_size.y);
                let output = egui::ScrollArea::vertical()
                    .id_salt("message-history-rows")
                    .max_height(row_height * 4.0 + 12.0)
                    .auto_shrink([false, true])
                    .show_rows(ui, row_height, shown, |ui, range| {
                        // One line a row, cut at the panel's edge: the rows have a fixed height.
                        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                        for i in range {
                            // Newest first.
                            let Some(entry) = shown.checked_sub(i + 1).and_then(|k| entries.get(k)) else {
                                continue;
                            };
                            let latest = i == 0 && newer == 0;
                            self.row_ui(
                                ui,
                                id,
                                entry,
                                picked == Some(entry.seq) || (picked.is_none() && latest),
                                latest,
                            );
                        }
                    });
                self.list_rect = Some(output.inner_rect);
                // Over the list's top right, so showing it never moves a row: the way back to
                // the newest message, and how many wait.
                let back = if newer > 0 {
                    Some(format!("{newer} new"))
                } else {
                    picked.map(|_| "Back to the latest message".to_owned())
                };
                if let Some(text) = back {
                    let font = egui::TextStyle::Button.resolve(ui.style());
                    let galley = ui
                        .painter()
                        .layout_no_wrap(text.clone(), font, egui::Color32::PLACEHOLDER);
                    let size = galley.size() + 2.0 * ui.spacing().button_padding;
                    let rect =
                        egui::Rect::from_min_size(output.inner_rect.right_top() - egui::vec2(size.x + 14.0, 0.0), size);
                    if ui
                        .put(rect, egui::Button::new(text))
                        .on_hover_text(
                            "Show the newest message again; newer ones wait while the pointer is over the list",
                        )
                        .clicked()
                    {
                        self.viewing = None;
                        self.held = None;
                    }
                }
            });
        export
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
