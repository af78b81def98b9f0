//! The selected topic: its full name, the latest message's metadata, and the
//! payload in a view chosen automatically and switchable (JSON, text, hex).

use bytes::Bytes;
use eframe::egui::{self, RichText};

use super::context::{Commands, PanelContext, TabCommand};
use super::dialogs::{SaveFile, Saved};
use super::payload_view;
use super::text::{format_time, suggested_file_name};
use crate::model::history::TopicHistory;
use crate::model::{Message, NodeId};
use crate::payload::formats::Offered;
use crate::payload::paths::ValuePaths;
use crate::payload::{self, Format, Rendered, text::human_bytes};

/// Input bytes pretty-printed as JSON or text at most; the rest is one click away.
pub const RENDER_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// What the message panel remembers between frames.
#[derive(Default)]
pub struct MessageView {
    /// Format picked by the user for the topic shown; `None` means automatic.
    chosen: Option<Format>,
    /// The topic `chosen` is of.
    chosen_for: Option<NodeId>,
    /// Formats picked per topic, kept while mqscope runs (a topic left on automatic has none).
    choices: std::collections::HashMap<NodeId, Format>,
    cache: Option<Cached>,
    save: SaveFile<Payload>,
    /// A message picked from the history (topic, sequence number); `None` shows the latest.
    viewing: Option<(NodeId, u64)>,
    /// The chart of the topic's numbers.
    chart: super::chart::ChartView,
    /// The topics below a branch, side by side.
    compare: super::compare::CompareView,
    /// The pinned topics, side by side.
    pinned: super::compare::CompareView,
    /// Show what changed instead of the payload.
    diff: bool,
    /// The message to compare with, picked in the history (topic, sequence number); `None`
    /// compares with the message before the one shown.
    base: Option<(NodeId, u64)>,
    /// The diff shown, kept for its pair of messages.
    diff_view: super::diff::DiffView,
}

struct Cached {
    node: NodeId,
    messages: u64,
    format: Format,
    detected: Format,
    rendered: Option<Rendered>,
    /// Where the numbers of a JSON rendering are, and their paths, to chart one on a click.
    paths: ValuePaths,
}

impl MessageView {
    /// Draw the panel for the selected topic, under the table of the pinned topics; what the
    /// user asks for goes on `commands`.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, commands: &mut Commands) {
        let (session, pins, runtime) = (cx.session, cx.pins, cx.runtime);
        self.save.poll(ui.ctx(), runtime);
        self.chart.poll_export(ui.ctx(), runtime);
        if !pins.is_empty() {
            self.pinned.pinned_ui(ui, session, pins, commands);
            ui.separator();
        }
        let Some((id, node)) = cx.selected.and_then(|id| session.tree.get(id).map(|n| (id, n))) else {
            ui.add_space(8.0);
            ui.weak("Select a topic to see its latest message.");
            return;
        };
        let topic = session.tree.topic(id);
        ui.add(egui::Label::new(RichText::new(&topic).monospace().strong().size(14.0)).wrap());
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Copy topic")
                .on_hover_text("Copy the full topic name")
                .clicked()
            {
                ui.ctx().copy_text(topic.clone());
            }
            if node.latest().is_some()
                && ui
                    .button("Edit and resend")
                    .on_hover_text("Put this message in the publish pane, to change it and send it again")
                    .clicked()
            {
                let seq = self.viewing.filter(|(topic, _)| *topic == id).map(|(_, seq)| seq);
                commands.push(TabCommand::LoadIntoPublish { id, seq });
            }
            if node.latest().is_some()
                && ui
                    .button("Save message")
                    .on_hover_text("Keep this message, under its topic's name, with the publish pane's saved messages")
                    .clicked()
            {
                let seq = self.viewing.filter(|(topic, _)| *topic == id).map(|(_, seq)| seq);
                commands.push(TabCommand::SaveToLibrary { id, seq });
            }
            if node.latest().is_some() {
                let pinned = pins.is_pinned(&topic);
                let (text, hover) = if pinned {
                    ("Unpin", "Take this topic out of the pinned topics' table")
                } else {
                    (
                        "Pin to compare",
                        "Show this topic in the pinned topics' table, beside others",
                    )
                };
                if ui.button(text).on_hover_text(hover).clicked() {
                    commands.push(if pinned {
                        TabCommand::Unpin(topic.clone())
                    } else {
                        TabCommand::Pin(id)
                    });
                }
            }
            if node.is_retained()
                && ui
                    .button("Clear retained…")
                    .on_hover_text("Delete this topic's retained message from the broker")
                    .clicked()
            {
                commands.push(TabCommand::ClearRetained { id, recursive: false });
            }
            if node.has_children()
                && ui
                    .button("Clear retained below…")
                    .on_hover_text("Delete the retained messages of this topic and every topic below it")
                    .clicked()
            {
                commands.push(TabCommand::ClearRetained { id, recursive: true });
            }
        });
        ui.add_space(4.0);
        if let Some(picked) = self.message_ui(ui, cx, id, &topic) {
            commands.push(TabCommand::Select(picked));
        }
    }

    fn message_ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, id: NodeId, topic: &str) -> Option<NodeId> {
        let (session, runtime) = (cx.session, cx.runtime);
        let node = session.tree.get(id)?;
        let Some(latest) = node.latest() else {
            ui.weak(format!(
                "No message on this topic itself. Below it: {}, {}.",
                super::text::plural(u64::from(node.subtree_topics()), "topic", "topics"),
                super::text::plural(node.subtree_messages(), "message", "messages")
            ));
            // A branch: the topics below it, side by side; a click shows one.
            return self.compare.ui(ui, session, id);
        };
        // Each topic is shown as the user last picked for it, or automatically.
        if self.chosen_for != Some(id) {
            self.chosen = self.choices.get(&id).copied();
            self.chosen_for = Some(id);
        }
        // The message shown: one picked from the history, or the latest.
        let history = session.history.topic(id);
        if let Some(history) = history {
            self.step_through_history(ui, id, history);
        }
        let picked = self
            .viewing
            .filter(|(topic, _)| *topic == id)
            .and_then(|(_, seq)| history.and_then(|h| h.entries().iter().find(|e| e.seq == seq)));
        if picked.is_none() {
            self.viewing = None;
        }
        let (message, key) = match picked {
            Some(entry) => (&entry.message, entry.seq),
            None => (
                latest,
                history
                    .and_then(|h| h.entries().back())
                    .map_or(node.own_messages(), |e| e.seq),
            ),
        };
        // The message a diff compares with: the one picked as base, or the one before.
        let base = history.and_then(|h| {
            let entries = h.entries();
            let picked_base = self
                .base
                .filter(|(topic, seq)| *topic == id && *seq != key)
                .and_then(|(_, seq)| entries.iter().find(|e| e.seq == seq));
            picked_base.or_else(|| {
                let shown = entries.iter().position(|e| e.seq == key)?;
                shown.checked_sub(1).and_then(|i| entries.get(i))
            })
        });
        let cache = self.render(id, topic, key, message, &session.tree);
        let (format, detected) = (cache.format, cache.detected);
        metadata_ui(ui, message, node.own_messages());
        if let Some(history) = history {
            self.history_ui(ui, id, history, picked.map(|e| e.seq));
            // Numbers are read as the payload is shown, chosen or detected.
            self.chart.ui(ui, cx, id, topic, history, format);
        }
        ui.separator();

        let mut chosen = self.chosen;
        let mut save_clicked = false;
        ui.horizontal_wrapped(|ui| {
            ui.label("View");
            let auto_label = format!("Auto ({})", detected.label());
            if ui.selectable_label(chosen.is_none(), auto_label).clicked() {
                chosen = None;
            }
            let offered = |kind: Offered| payload::formats::ALL.iter().copied().filter(move |f| f.offered() == kind);
            for option in offered(Offered::View) {
                if ui.selectable_label(chosen == Some(option), option.label()).clicked() {
                    chosen = Some(option);
                }
            }
            // The decoder in use, picked or detected (Sparkplug B on its topics).
            let decoding = Some(chosen.unwrap_or(detected)).filter(|f| f.offered() == Offered::Decoder);
            let decode_text = decoding.map_or("Decode…", Format::label);
            let combo = egui::ComboBox::from_id_salt("message-decode")
                .selected_text(decode_text)
                .show_ui(ui, |ui| {
                    for option in offered(Offered::Decoder) {
                        if ui.selectable_label(chosen == Some(option), option.label()).clicked() {
                            chosen = Some(option);
                        }
                    }
                });
            combo
                .response
                .on_hover_text("Show the payload decoded from base64, MessagePack, CBOR or Sparkplug B")
                .widget_info(|| {
                    let mut info = egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Decode");
                    info.current_text_value = Some(decode_text.to_owned());
                    info
                });
            ui.separator();
            if let Some(base) = base {
                let local: chrono::DateTime<chrono::Local> = base.message.received_at.into();
                let response = ui
                    .selectable_label(self.diff, "Diff")
                    .on_hover_text(format!(
                        "Show what changed since the message of {} (right-click a message in the history to compare with it)",
                        local.format("%H:%M:%S%.3f")
                    ));
                if response.clicked() {
                    self.diff = !self.diff;
                }
            }
            if ui
                .button("Copy payload")
                .on_hover_text("Copy the payload as text")
                .clicked()
            {
                ui.ctx()
                    .copy_text(String::from_utf8_lossy(&message.payload).into_owned());
            }
            save_clicked = ui
                .button("Save payload…")
                .on_hover_text("Save every byte to a file")
                .clicked();
        });
        if save_clicked {
            let file_name = suggested_file_name(topic, "bin");
            let payload = Payload(message.payload.clone());
            self.save
                .start(ui.ctx(), cx.dialogs, runtime, "Save payload", &file_name, payload);
        }
        self.save.ui(ui, runtime);
        let rendered = self.cache.as_ref().and_then(|c| c.rendered.as_ref());
        let paths = self.cache.as_ref().map(|c| &c.paths);
        if let Some(rendered) = rendered {
            if let Some(note) = &rendered.note {
                ui.label(RichText::new(note).color(super::theme::warn_color(ui)));
            }
            if rendered.is_cut() {
                ui.label(
                    RichText::new(format!(
                        "Showing {} of {}: save the payload to see all of it, or switch to Hex, which shows every byte",
                        human_bytes(rendered.shown_bytes as u64),
                        human_bytes(rendered.total_bytes as u64)
                    ))
                    .color(super::theme::warn_color(ui)),
                );
            }
        }
        ui.add_space(2.0);
        if self.diff
            && let Some(base) = base
        {
            let local: chrono::DateTime<chrono::Local> = base.message.received_at.into();
            let since = local.format("%H:%M:%S%.3f").to_string();
            egui::Frame::group(ui.style()).inner_margin(6.0).show(ui, |ui| {
                ui.set_min_size(ui.available_size());
                let pair = (id, base.seq, key, format);
                let (older, newer) = (&base.message.payload, &message.payload);
                self.diff_view.ui(ui, runtime, pair, older, newer, &since);
            });
            self.choose(id, chosen);
            return None;
        }
        egui::Frame::group(ui.style()).inner_margin(6.0).show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            match (format, rendered) {
                (format, _) if format.every_byte() => payload_view::hex_ui(ui, &message.payload),
                (_, Some(rendered)) => {
                    if let Some(path) = payload_view::rendered_ui(ui, rendered, paths) {
                        self.chart.add_series(id, &path);
                    }
                }
                (_, None) => {}
            }
        });
        self.choose(id, chosen);
        None
    }

    /// Show topic `id` as `chosen` (automatically when `None`), now and when it is shown again.
    fn choose(&mut self, id: NodeId, chosen: Option<Format>) {
        self.chosen = chosen;
        match chosen {
            Some(format) => self.choices.insert(id, format),
            None => self.choices.remove(&id),
        };
    }

    /// Render the message for `node` unless the cached rendering is still right.
    fn render(
        &mut self,
        node: NodeId,
        topic: &str,
        messages: u64,
        message: &Message,
        tree: &crate::model::Tree,
    ) -> &Cached {
        let chosen = self.chosen;
        let cache = match self.cache.take() {
            Some(c) if c.node == node && c.messages == messages && chosen.unwrap_or(c.detected) == c.format => c,
            old => {
                let detected = match old {
                    Some(c) if c.node == node && c.messages == messages => c.detected,
                    _ => payload::detect_for_topic(topic, &message.payload, RENDER_LIMIT_BYTES),
                };
                let format = chosen.unwrap_or(detected);
                // A data message's aliases are named by its node's or device's birth.
                let latest_of = |topic: &str| tree.latest_of(topic).map(|m| m.payload.clone());
                let context = payload::formats::Context {
                    topic,
                    latest_of: &latest_of,
                };
                let rendered = (!format.every_byte()).then(|| {
                    format
                        .decode(message.payload.clone(), &context)
                        .render(RENDER_LIMIT_BYTES)
                });
                let paths = rendered.as_ref().map(ValuePaths::of).unwrap_or_default();
                Cached {
                    node,
                    messages,
                    format,
                    detected,
                    rendered,
                    paths,
                }
            }
        };
        self.cache.insert(cache)
    }

    /// Alt+Down shows the next older message of the history, Alt+Up the next newer one.
    fn step_through_history(&mut self, ui: &egui::Ui, id: NodeId, history: &TopicHistory) {
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
            .viewing
            .filter(|(topic, _)| *topic == id)
            .and_then(|(_, seq)| entries.iter().position(|e| e.seq == seq))
            .unwrap_or(last);
        let target = if older {
            shown.saturating_sub(1)
        } else {
            (shown + 1).min(last)
        };
        self.viewing = (target != last).then(|| (id, entries[target].seq));
    }

    /// The topic's kept messages, newest first; clicking one shows it.
    fn history_ui(&mut self, ui: &mut egui::Ui, id: NodeId, history: &TopicHistory, picked: Option<u64>) {
        let kept = history.entries().len();
        let mut title = format!("History: {}", super::text::plural(kept as u64, "message", "messages"));
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
                            let shown = picked == Some(entry.seq) || (picked.is_none() && i == 0);
                            let is_base = self.base == Some((id, entry.seq));
                            let text = if is_base {
                                format!("{line}  (compared with)")
                            } else {
                                line
                            };
                            let label = egui::RichText::new(text).monospace();
                            let response = ui.selectable_label(shown, label);
                            if response.clicked() {
                                self.viewing = (i != 0).then_some((id, entry.seq));
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
                    });
            });
        header
            .header_response
            .on_hover_text("Alt+Down shows the next older message, Alt+Up the next newer one");
    }
}

/// A payload to save, every byte.
struct Payload(Bytes);

impl Saved for Payload {
    const EXAMPLE_PATH: &'static str = "/path/to/payload.bin";

    fn write(self, path: &std::path::Path) -> Result<String, String> {
        match std::fs::write(path, &self.0) {
            Ok(()) => Ok(format!("Saved to {}", path.display())),
            Err(error) => Err(format!("Could not save to {}: {error}", path.display())),
        }
    }
}

fn metadata_ui(ui: &mut egui::Ui, message: &Message, messages: u64) {
    egui::Grid::new("message-metadata")
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.weak("QoS");
            ui.label(message.qos.to_string());
            ui.end_row();
            ui.weak("Retained");
            ui.label(if message.retain { "yes" } else { "no" });
            ui.end_row();
            ui.weak("Received");
            ui.label(format_time(message.received_at));
            ui.end_row();
            ui.weak("Size");
            let size = message.size_bytes();
            ui.label(if size < 1024 {
                format!("{size} bytes")
            } else {
                format!("{} ({size} bytes)", human_bytes(size as u64))
            });
            ui.end_row();
            ui.weak("Messages");
            ui.label(payload::text::group_digits(messages));
            ui.end_row();
            if let Some(properties) = &message.properties {
                properties_rows(ui, properties);
            }
        });
}

/// The MQTT 5 properties of a message, one row each (user properties in the order sent).
fn properties_rows(ui: &mut egui::Ui, p: &crate::model::Properties) {
    let mut row = |name: &str, value: String| {
        ui.weak(name);
        ui.add(egui::Label::new(RichText::new(value).monospace()).truncate());
        ui.end_row();
    };
    if let Some(content_type) = &p.content_type {
        row("Content type", content_type.clone());
    }
    if let Some(format) = p.payload_format_indicator {
        row(
            "Payload format",
            match format {
                0 => "0 (bytes)".to_owned(),
                1 => "1 (UTF-8 text)".to_owned(),
                other => format!("{other} (not defined)"),
            },
        );
    }
    if let Some(topic) = &p.response_topic {
        row("Response topic", topic.clone());
    }
    if let Some(data) = &p.correlation_data {
        let shown = if payload::text::is_plain_text(data) {
            format!("\"{}\"", String::from_utf8_lossy(data))
        } else {
            payload::encode::to_hex(data)
        };
        row("Correlation data", shown);
    }
    if let Some(secs) = p.message_expiry_secs {
        row("Expires in", format!("{secs} s (when sent)"));
    }
    if !p.subscription_identifiers.is_empty() {
        let ids: Vec<String> = p.subscription_identifiers.iter().map(usize::to_string).collect();
        row("Subscription ids", ids.join(", "));
    }
    if let Some(alias) = p.topic_alias {
        row("Topic alias", alias.to_string());
    }
    for (name, value) in &p.user_properties {
        row(&format!("User: {name}"), value.clone());
    }
}
