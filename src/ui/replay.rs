//! Replaying from the window: the toolbar's Replay… button, and its dialog: first what to
//! replay (the file, typed or picked, topics, a time range, the speed, QoS and retain as
//! recorded or set, a topic prefix, a loop), then, while it runs, a progress bar with sent of
//! how many, the time running, Pause or Resume and Stop; how it ended until closed.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::dialogs::{Dialogs, Pending, Request};
use super::text::plural;
use super::theme;
use crate::model::Qos;
use crate::replay::{Bound, Ended, Replay, ReplayOptions, Speed, Status};

/// What the person asked for.
pub enum ReplayAction {
    /// Start replaying `path` as `options` say.
    Start {
        /// The recording.
        path: PathBuf,
        /// What to send, and how.
        options: ReplayOptions,
    },
    /// Hold the sending.
    Pause,
    /// Go on.
    Resume,
    /// Stop sending.
    Stop,
    /// Forget the replay that ended (the dialog offers a new one).
    Dismiss,
}

/// How fast, as picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pace {
    Recorded,
    Faster,
    Max,
}

/// The replay dialog's state.
pub struct ReplayPanel {
    /// Whether the dialog is open.
    pub open: bool,
    path: String,
    filters: String,
    from: String,
    to: String,
    pace: Pace,
    factor: String,
    qos: Option<Qos>,
    retain: Option<bool>,
    prefix: String,
    repeat: bool,
    browse: Option<Pending>,
}

impl Default for ReplayPanel {
    fn default() -> Self {
        Self {
            open: false,
            path: String::new(),
            filters: String::new(),
            from: String::new(),
            to: String::new(),
            pace: Pace::Recorded,
            factor: "10".to_owned(),
            qos: None,
            retain: None,
            prefix: String::new(),
            repeat: false,
            browse: None,
        }
    }
}

/// The kinds of file offered.
const FILTERS: &[(&str, &[&str])] = &[("Recordings and exports", &["jsonl", "zst", "json", "csv", "txt"])];

/// `h:mm:ss`.
fn clock(duration: std::time::Duration) -> String {
    let secs = duration.as_secs();
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// A text input with an accessible name.
fn field_ui(ui: &mut egui::Ui, text: &mut String, name: &'static str, hint: &str, width: f32) {
    let field = ui.add(egui::TextEdit::singleline(text).desired_width(width).hint_text(hint));
    field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name));
}

impl ReplayPanel {
    /// The toolbar's part: Replay…, shown as under way while a replay runs.
    pub fn toolbar_ui(&mut self, ui: &mut egui::Ui, replay: Option<&Replay>, connected: bool) {
        let running = replay.is_some_and(Replay::is_running);
        let text = if running { "Replaying…" } else { "Replay…" };
        let button = ui
            .add_enabled(connected || replay.is_some(), egui::Button::selectable(self.open, text))
            .on_hover_text("Publish a recording's messages again on this connection, at the recorded pace or faster")
            .on_disabled_hover_text("Connect first: a replay publishes through the connection");
        if button.clicked() {
            self.open = !self.open;
        }
    }

    /// What the form asks for, or what is wrong with it.
    fn options(&self) -> Result<ReplayOptions, String> {
        let bound = |text: &str, what: &str| -> Result<Option<Bound>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            Bound::parse(text).map(Some).map_err(|e| format!("{what}: {e}"))
        };
        let speed = match self.pace {
            Pace::Recorded => Speed::Times(1.0),
            Pace::Faster => Speed::parse(&self.factor).map_err(|e| format!("Speed: {e}"))?,
            Pace::Max => Speed::AsFastAsPossible,
        };
        let options = ReplayOptions {
            filters: self
                .filters
                .split([' ', ','])
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            from: bound(&self.from, "From")?,
            to: bound(&self.to, "To")?,
            speed,
            qos: self.qos,
            retain: self.retain,
            prefix: self.prefix.trim().to_owned(),
            repeat: self.repeat,
        };
        match options.problem() {
            Some(problem) => Err(problem),
            None => Ok(options),
        }
    }

    /// The dialog, when open: the form, or the replay under way (or ended).
    pub fn dialog_ui(
        &mut self,
        ctx: &egui::Context,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        replay: Option<&Replay>,
    ) -> Option<ReplayAction> {
        if !self.open {
            return None;
        }
        super::dialogs::fill_path_from(&mut self.browse, &mut self.path);
        let mut action = None;
        let mut open = self.open;
        egui::Window::new("Replay messages")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(480.0)
            .show(ctx, |ui| {
                action = match replay {
                    Some(replay) => progress_ui(ui, replay),
                    None => self.form_ui(ui, dialogs, runtime),
                };
            });
        self.open = open && self.open;
        action
    }

    fn form_ui(
        &mut self,
        ui: &mut egui::Ui,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
    ) -> Option<ReplayAction> {
        let mut action = None;
        ui.label("File");
        ui.horizontal(|ui| {
            field_ui(ui, &mut self.path, "Replay file", "/path/to/capture.jsonl", 360.0);
            if ui
                .add_enabled(self.browse.is_none(), egui::Button::new("Browse…"))
                .clicked()
            {
                let request = Request {
                    title: "Replay a recording",
                    filters: FILTERS,
                    file_name: "",
                };
                self.browse = Some(Pending::open(ui.ctx(), dialogs, runtime, &request));
            }
        });
        ui.add_space(4.0);
        ui.label("Only topics matching");
        field_ui(
            ui,
            &mut self.filters,
            "Replay filters",
            "everything; or MQTT filters such as home/#",
            f32::INFINITY,
        );
        ui.add_space(4.0);
        egui::Grid::new("replay options")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label("Time range");
                ui.horizontal(|ui| {
                    field_ui(ui, &mut self.from, "Replay from", "start", 130.0);
                    ui.label("to");
                    field_ui(ui, &mut self.to, "Replay to", "end", 130.0);
                });
                ui.end_row();
                ui.label("");
                ui.weak("Offsets from the first message (90s, 1:30) or times (2026-12-02T10:15:00Z)");
                ui.end_row();
                ui.label("Speed");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.pace, Pace::Recorded, "As recorded");
                    ui.radio_value(&mut self.pace, Pace::Faster, "Faster ×");
                    ui.add_enabled_ui(self.pace == Pace::Faster, |ui| {
                        field_ui(ui, &mut self.factor, "Replay speed factor", "10", 40.0);
                    });
                    ui.radio_value(&mut self.pace, Pace::Max, "As fast as possible");
                });
                ui.end_row();
                ui.label("QoS");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.qos, None, "As recorded");
                    for qos in [Qos::AtMostOnce, Qos::AtLeastOnce, Qos::ExactlyOnce] {
                        ui.radio_value(&mut self.qos, Some(qos), qos.level().to_string());
                    }
                });
                ui.end_row();
                ui.label("Retain");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.retain, None, "As recorded");
                    ui.radio_value(&mut self.retain, Some(true), "On");
                    ui.radio_value(&mut self.retain, Some(false), "Off");
                });
                ui.end_row();
                ui.label("Topic prefix");
                field_ui(ui, &mut self.prefix, "Replay prefix", "none, or replay/", 240.0);
                ui.end_row();
            });
        ui.checkbox(&mut self.repeat, "Loop: start again after the last message");
        let options = self.options();
        if let Err(problem) = &options {
            ui.colored_label(theme::error_color(ui), problem);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let path = self.path.trim();
            let ready = options.is_ok() && !path.is_empty();
            if ui.add_enabled(ready, egui::Button::new("Start replay")).clicked()
                && let Ok(options) = options
            {
                action = Some(ReplayAction::Start {
                    path: PathBuf::from(path),
                    options,
                });
            }
            if ui.button("Cancel").clicked() {
                self.open = false;
            }
        });
        action
    }
}

/// What the progress bar says: sent of how many.
fn counted(status: &Status) -> String {
    match status.total {
        Some(total) => format!("{} of {total} sent", status.sent_this_pass),
        None => format!("{} sent", status.sent_this_pass),
    }
}

/// How it ended, in words, and whether that is a problem.
fn ended_text(ended: &Ended, status: &Status) -> (String, bool) {
    let done = format!(
        "{} in {}",
        plural(status.sent, "message", "messages"),
        clock(status.elapsed)
    );
    let failed = (status.failed > 0).then(|| {
        format!(
            "; {} not delivered: {}",
            status.failed,
            status.first_failure.as_deref().unwrap_or("no reason given")
        )
    });
    match ended {
        Ended::Finished => (
            format!("Replayed {done}{}", failed.clone().unwrap_or_default()),
            failed.is_some(),
        ),
        Ended::Stopped => (format!("Stopped after {done}{}", failed.unwrap_or_default()), false),
        Ended::Failed(error) => (format!("Replay failed: {error}"), true),
    }
}

/// The replay under way: the file, the progress, Pause or Resume and Stop; or how it ended.
fn progress_ui(ui: &mut egui::Ui, replay: &Replay) -> Option<ReplayAction> {
    let status = replay.status();
    let mut action = None;
    let name = replay.path().file_name().map_or_else(
        || replay.path().display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    ui.label(RichText::new(name).strong())
        .on_hover_text(replay.path().display().to_string());
    let prefix = &replay.options().prefix;
    if !prefix.is_empty() {
        ui.weak(format!("Under the prefix {}", replay.options().topic("")));
    }
    let fraction = match (&status.ended, status.fraction()) {
        (Some(Ended::Finished), _) => 1.0,
        (_, Some(fraction)) => fraction,
        (_, None) => 0.0,
    };
    ui.add(
        egui::ProgressBar::new(fraction)
            .text(counted(&status))
            .desired_width(ui.available_width().max(320.0)),
    );
    let mut facts = vec![format!("Elapsed {}", clock(status.elapsed))];
    if status.passes > 0 {
        facts.push(format!("pass {}", status.passes + 1));
    }
    if status.skipped > 0 {
        facts.push(format!("{} skipped", plural(status.skipped, "line", "lines")));
    }
    if status.ended.is_none() && status.failed > 0 {
        facts.push(format!("{} not delivered", status.failed));
    }
    ui.label(facts.join(" · "));
    match &status.ended {
        None => {
            if status.waiting_for_link {
                ui.colored_label(theme::warn_color(ui), "Waiting for the connection to come back");
            }
            ui.horizontal(|ui| {
                if status.paused {
                    if ui.button("Resume replay").clicked() {
                        action = Some(ReplayAction::Resume);
                    }
                } else if ui.button("Pause replay").clicked() {
                    action = Some(ReplayAction::Pause);
                }
                if ui
                    .button("Stop replay")
                    .on_hover_text("Stop sending; what was sent stays sent")
                    .clicked()
                {
                    action = Some(ReplayAction::Stop);
                }
            });
        }
        Some(ended) => {
            let (text, problem) = ended_text(ended, &status);
            let text = if problem {
                RichText::new(text).color(theme::error_color(ui))
            } else {
                RichText::new(text)
            };
            ui.add(egui::Label::new(text).wrap());
            if ui.button("New replay…").clicked() {
                action = Some(ReplayAction::Dismiss);
            }
        }
    }
    action
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_options_or_says_what_is_wrong() {
        let mut panel = ReplayPanel {
            filters: "a/#, b/+".into(),
            from: "1:30".into(),
            pace: Pace::Faster,
            factor: "x4".into(),
            prefix: " replay ".into(),
            ..ReplayPanel::default()
        };
        let options = panel.options().expect("valid");
        assert_eq!(options.filters, ["a/#", "b/+"]);
        assert_eq!(options.from, Some(Bound::Offset(std::time::Duration::from_secs(90))));
        assert_eq!((options.speed, options.prefix.as_str()), (Speed::Times(4.0), "replay"));
        panel.to = "soon".into();
        assert!(panel.options().expect_err("a bad time").starts_with("To:"));
        panel.to.clear();
        panel.filters = "a/#/b".into();
        assert!(panel.options().is_err());
    }
}
