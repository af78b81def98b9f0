//! The publish pane's saved messages and recent publishes.

use eframe::egui;

use super::PublishPane;

impl PublishPane {
    /// Saved messages and recent publishes: load one, save the form, manage the list.
    pub(super) fn library_ui(&mut self, ui: &mut egui::Ui) {
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
        });
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
