//! The publish pane's saved messages and recent publishes, and saved messages imported from a
//! JSON lines file (a recording, or `mosquitto_sub -F %j`).

use eframe::egui;

use super::PublishPane;
use crate::export::import::{self, Imported};
use crate::ui::context::PanelContext;
use crate::ui::dialogs::{OpenFile, Opened};
use crate::ui::text::plural;

impl Opened for Imported {
    const EXAMPLE_PATH: &'static str = "/path/to/messages.jsonl";

    fn read(path: &std::path::Path) -> Result<Self, String> {
        import::read(path).map_err(|e| e.to_string())
    }
}

/// An import of saved messages: the file picked and read off the UI thread, then how it went.
#[derive(Debug, Default)]
pub(super) struct Importing {
    file: OpenFile<Imported>,
    /// What the last import did, or why it could not.
    outcome: Option<Result<String, String>>,
}

/// Problems listed by line in the words after an import, at most.
const PROBLEMS_SAID: usize = 3;

/// What an import did, in words: how many were added, and which lines were skipped and why.
fn import_words(imported: &Imported, read: usize, added: usize) -> String {
    let mut words = format!(
        "Imported {} into the saved messages",
        plural(added as u64, "message", "messages")
    );
    if added < read {
        words.push_str(&format!(" ({} already saved)", read - added));
    }
    if imported.left_out > 0 {
        words.push_str(&format!(
            "; {} more left out (at most {} at once)",
            plural(imported.left_out, "message", "messages"),
            import::MAX_IMPORTED
        ));
    }
    if imported.skipped > 0 {
        let listed: Vec<String> = imported
            .problems
            .iter()
            .take(PROBLEMS_SAID)
            .map(|(line, why)| format!("line {line}: {why}"))
            .collect();
        words.push_str(&format!(
            "; {} skipped ({}{})",
            plural(imported.skipped, "line", "lines"),
            listed.join("; "),
            if imported.skipped as usize > listed.len() {
                "; …"
            } else {
                ""
            }
        ));
    }
    words
}

impl PublishPane {
    /// Saved messages and recent publishes: load one, save the form, import, manage the list.
    pub(super) fn library_ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>) {
        match self.importing.file.poll(ui.ctx(), cx.runtime) {
            Some(Ok(mut imported)) => {
                let read = std::mem::take(&mut imported.messages);
                let read_count = read.len();
                let added = self.messages.import(read);
                if added > 0 {
                    self.changed = true;
                }
                self.importing.outcome = Some(Ok(import_words(&imported, read_count, added)));
            }
            Some(Err(error)) => self.importing.outcome = Some(Err(error)),
            None => {}
        }
        let mut load = None;
        // Wraps in a narrow pane rather than cutting the Save button off.
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::from_id_salt("publish-saved")
                .width(120.0)
                .selected_text(format!("Saved ({})", self.messages.saved.len()))
                .show_ui(ui, |ui| {
                    if self.messages.saved.is_empty() {
                        ui.weak("No saved messages yet");
                    }
                    for message in &self.messages.saved {
                        if ui.selectable_label(false, &message.name).clicked() {
                            load = Some(message.clone());
                        }
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Saved messages"));
            egui::ComboBox::from_id_salt("publish-recent")
                .width(120.0)
                .selected_text(format!("Recent ({})", self.messages.history.len()))
                .show_ui(ui, |ui| {
                    if self.messages.history.is_empty() {
                        ui.weak("Nothing published yet");
                    }
                    for message in &self.messages.history {
                        let payload: String = message.payload.chars().take(40).collect();
                        let label = format!("{}  {}", message.topic, payload.replace('\n', " "));
                        if ui.selectable_label(false, label).clicked() {
                            load = Some(message.clone());
                        }
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Recent publishes"));
            ui.add(
                egui::TextEdit::singleline(&mut self.save_name)
                    .hint_text("name")
                    .desired_width(110.0),
            )
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Save as"));
            let can_save = !self.save_name.trim().is_empty() && !self.topic.is_empty();
            if ui
                .add_enabled(can_save, egui::Button::new("Save"))
                .on_hover_text("Save this message under the name")
                .clicked()
            {
                let name = self.save_name.trim().to_owned();
                match self.stored(name) {
                    Some(message) => {
                        self.messages.save(message);
                        self.save_name.clear();
                        self.changed = true;
                    }
                    None => {
                        self.error = Some("A payload file over 64 KiB cannot be saved with the message".to_owned());
                    }
                }
            }
            if self.importing.file.is_waiting() {
                ui.spinner();
            } else if ui
                .button("Import…")
                .on_hover_text(
                    "Add the messages of a JSON lines file (a recording, or mosquitto_sub -F %j) to the saved messages",
                )
                .clicked()
            {
                let filters: &[(&str, &[&str])] = &[("JSON lines", &["jsonl", "ndjson", "json", "zst"])];
                self.importing
                    .file
                    .start(ui.ctx(), cx.dialogs, cx.runtime, "Import saved messages", filters);
                self.importing.outcome = None;
            }
        });
        self.importing.file.ui(ui, cx.runtime);
        let mut dismiss = false;
        if let Some(outcome) = &self.importing.outcome {
            ui.horizontal_wrapped(|ui| {
                let (text, color) = match outcome {
                    Ok(text) => (text, crate::ui::theme::ok_color(ui)),
                    Err(text) => (text, crate::ui::theme::error_color(ui)),
                };
                ui.label(egui::RichText::new(text).color(color));
                dismiss = ui.small_button("×").on_hover_text("Dismiss").clicked();
            });
        }
        if dismiss {
            self.importing.outcome = None;
        }
        if let Some(message) = load {
            self.restore(&message);
        }
        if !self.messages.saved.is_empty() {
            egui::CollapsingHeader::new("Manage saved messages")
                .id_salt("publish-manage-saved")
                .show(ui, |ui| self.manage_ui(ui));
        }
    }

    fn manage_ui(&mut self, ui: &mut egui::Ui) {
        let mut action = None;
        let count = self.messages.saved.len();
        for (i, message) in self.messages.saved.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.add_enabled_ui(i > 0, |ui| {
                    if ui.small_button("Up").on_hover_text("Move up").clicked() {
                        action = Some((i, "up"));
                    }
                });
                ui.add_enabled_ui(i + 1 < count, |ui| {
                    if ui.small_button("Down").on_hover_text("Move down").clicked() {
                        action = Some((i, "down"));
                    }
                });
                if ui.small_button("Delete").clicked() {
                    action = Some((i, "delete"));
                }
                ui.label(&message.name);
                ui.weak(&message.topic);
            });
        }
        match action {
            Some((i, "up")) => self.messages.move_saved(i, true),
            Some((i, "down")) => self.messages.move_saved(i, false),
            Some((i, _)) if i < self.messages.saved.len() => {
                self.messages.saved.remove(i);
            }
            _ => return,
        }
        self.changed = true;
    }
}
