//! Recording from the window: the toolbar's Record… button and, while a recording runs, its
//! red indicator (messages, size, duration) and Stop; how it ended, until dismissed; and the
//! dialog that asks where to record to and which topics.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::dialogs::{Dialogs, Pending, Request};
use super::text::plural;
use super::theme;
use crate::model::topic;
use crate::payload::text::human_bytes;
use crate::record::{Ended, Recording};

/// What the person asked for.
pub enum RecordAction {
    /// Start recording to `path`, the messages of `filters` (none: all).
    Start {
        /// The file.
        path: PathBuf,
        /// MQTT filters.
        filters: Vec<String>,
    },
    /// Stop the recording.
    Stop,
    /// Forget how the last recording ended.
    Dismiss,
}

/// The record dialog's state.
#[derive(Default)]
pub struct RecordPanel {
    /// Whether the dialog is open.
    pub open: bool,
    path: String,
    filters: String,
    browse: Option<Pending>,
}

/// `h:mm:ss`.
fn clock(duration: std::time::Duration) -> String {
    let secs = duration.as_secs();
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The filters typed, split at spaces and commas.
fn split_filters(text: &str) -> Vec<String> {
    text.split([' ', ','])
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

impl RecordPanel {
    /// The toolbar's part: Record…, or the running recording with Stop, or how it ended.
    pub fn toolbar_ui(
        &mut self,
        ui: &mut egui::Ui,
        recording: Option<&mut Recording>,
        running: bool,
    ) -> Option<RecordAction> {
        let Some(recording) = recording else {
            let button = ui
                .add_enabled(running, egui::Button::selectable(self.open, "Record…"))
                .on_hover_text("Write every message of this connection (or some topics') to a JSON Lines file")
                .on_disabled_hover_text("Connect first: a recording writes what the connection receives");
            if button.clicked() {
                self.open = !self.open;
            }
            return None;
        };
        let name = recording.path().file_name().map_or_else(
            || recording.path().display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let counts = format!(
            "{} · {} · {}",
            plural(recording.messages(), "message", "messages"),
            human_bytes(recording.bytes()),
            clock(recording.duration())
        );
        let mut action = None;
        match recording.ended() {
            None => {
                let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                ui.painter().circle_filled(dot.center(), 5.0, theme::error_color(ui));
                ui.label(RichText::new(format!("REC {counts}")).color(theme::error_color(ui)))
                    .on_hover_text(format!("Recording to {}", recording.path().display()));
                if ui
                    .button("Stop")
                    .on_hover_text("Stop recording; the file keeps what was written")
                    .clicked()
                {
                    action = Some(RecordAction::Stop);
                }
            }
            Some(Ended::Stopped) => {
                ui.weak(format!("Recorded {counts} to {name}"))
                    .on_hover_text(recording.path().display().to_string());
                if ui.small_button("Dismiss").clicked() {
                    action = Some(RecordAction::Dismiss);
                }
            }
            Some(Ended::Failed(error)) => {
                let text = format!(
                    "Recording stopped: {error}. The {} before are in the file.",
                    plural(recording.messages(), "message", "messages")
                );
                ui.add(egui::Label::new(RichText::new(text).color(theme::error_color(ui))).truncate())
                    .on_hover_text(recording.path().display().to_string());
                if ui.small_button("Dismiss").clicked() {
                    action = Some(RecordAction::Dismiss);
                }
            }
        }
        action
    }

    /// The dialog, when open: the file (typed, or picked with Browse…) and the filters.
    /// `suggested` is the file name offered.
    pub fn dialog_ui(
        &mut self,
        ctx: &egui::Context,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        suggested: &str,
    ) -> Option<RecordAction> {
        if !self.open {
            return None;
        }
        if self.path.is_empty() {
            let home = directories::BaseDirs::new()
                .map(|d| d.home_dir().to_owned())
                .unwrap_or_default();
            self.path = home.join(suggested).display().to_string();
        }
        super::dialogs::fill_path_from(&mut self.browse, &mut self.path);
        let mut action = None;
        let mut open = self.open;
        egui::Window::new("Record messages")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.label("File");
                ui.horizontal(|ui| {
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.path)
                            .desired_width(340.0)
                            .hint_text("/path/to/capture.jsonl"),
                    );
                    field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Record to file"));
                    if ui
                        .add_enabled(self.browse.is_none(), egui::Button::new("Browse…"))
                        .clicked()
                    {
                        let request = Request {
                            title: "Record to",
                            filters: &[],
                            file_name: suggested,
                        };
                        self.browse = Some(Pending::save(ctx, dialogs, runtime, &request));
                    }
                });
                ui.weak("JSON Lines, one message a line; a name ending in .zst is compressed with zstd.");
                ui.add_space(6.0);
                ui.label("Only topics matching");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.filters)
                        .desired_width(f32::INFINITY)
                        .hint_text("everything; or MQTT filters such as home/# sensors/+/temp"),
                );
                field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Record filters"));
                let filters = split_filters(&self.filters);
                let error = filters
                    .iter()
                    .find_map(|f| topic::filter_error(f).map(|why| format!("{f}: {why}")));
                if let Some(error) = &error {
                    ui.colored_label(theme::error_color(ui), error);
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    let path = self.path.trim();
                    let ready = error.is_none() && !path.is_empty();
                    if ui.add_enabled(ready, egui::Button::new("Start recording")).clicked() {
                        action = Some(RecordAction::Start {
                            path: PathBuf::from(path),
                            filters: filters.clone(),
                        });
                    }
                    if ui.button("Cancel").clicked() {
                        self.open = false;
                    }
                });
            });
        if action.is_some() {
            // A new recording gets a new suggested name.
            self.path.clear();
            open = false;
        }
        self.open = open && self.open;
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_split_at_spaces_and_commas() {
        assert_eq!(
            split_filters(" home/#, sensors/+/temp  a"),
            ["home/#", "sensors/+/temp", "a"]
        );
        assert!(split_filters("  ").is_empty());
    }

    #[test]
    fn durations_read_as_a_clock() {
        assert_eq!(clock(std::time::Duration::from_secs(3 * 3600 + 62)), "3:01:02");
    }
}
