//! A topic's numbers over time: the series the user picked (the payload as a
//! number, fields of JSON or decoded payloads by path), each in its colour,
//! on a local time axis; zoom and pan, pause, clear, and CSV export.

mod export;
pub(super) mod plot;
mod points;

use std::collections::HashMap;

use eframe::egui::{self, Color32, RichText};

use super::context::PanelContext;
use super::dialogs::{Dialogs, SaveFile};
use crate::model::NodeId;
use crate::model::history::TopicHistory;
use crate::payload::{Decoded, Format, numbers};
use points::{Plan, Points};

/// Series colours, in the order series are added; readable on dark and light backgrounds.
const PALETTE: [Color32; 8] = [
    Color32::from_rgb(0x4e, 0x9a, 0xe6),
    Color32::from_rgb(0xf2, 0x8e, 0x2b),
    Color32::from_rgb(0x59, 0xa1, 0x4f),
    Color32::from_rgb(0xe1, 0x57, 0x59),
    Color32::from_rgb(0xb0, 0x7a, 0xa1),
    Color32::from_rgb(0x76, 0xb7, 0xb2),
    Color32::from_rgb(0xed, 0xc9, 0x48),
    Color32::from_rgb(0x9c, 0x75, 0x5f),
];

/// One charted series: a path inside the payload (`None`: the payload as a number).
#[derive(Clone, Debug)]
struct Series {
    source: Option<String>,
    /// Index into [`PALETTE`], kept when other series come and go.
    color: usize,
}

/// What the user chose for one topic's chart, kept for the session.
#[derive(Clone, Debug, Default)]
struct Choice {
    series: Vec<Series>,
    /// Paused after this message: later ones are not charted until resumed.
    paused_at: Option<u64>,
    /// Cleared after this message: only later ones are charted.
    cleared_at: Option<u64>,
}

impl Choice {
    fn add(&mut self, source: Option<String>) {
        if self.series.iter().any(|s| s.source == source) {
            return;
        }
        let color = (0..PALETTE.len())
            .find(|c| !self.series.iter().any(|s| s.color == *c))
            .unwrap_or(self.series.len() % PALETTE.len());
        self.series.push(Series { source, color });
    }
}

/// The newest message of the topic shown: the number it is, or its fields.
struct Latest {
    topic: NodeId,
    seq: u64,
    format: Format,
    plain: Option<f64>,
    fields: Vec<(String, f64)>,
}

impl Latest {
    /// What is charted until the user chooses: the payload as a number, or its first field.
    fn default_choice(&self) -> Choice {
        let mut choice = Choice::default();
        if self.plain.is_some() {
            choice.add(None);
        } else if let Some((path, _)) = self.default_field() {
            choice.add(Some(path.clone()));
        }
        choice
    }

    /// The field charted first: the first the format puts first (a Sparkplug B payload's first
    /// metric value, not its sequence number), else the first number.
    fn default_field(&self) -> Option<&(String, f64)> {
        self.fields
            .iter()
            .find(|(path, _)| self.format.charted_first(path))
            .or_else(|| self.fields.first())
    }
}

/// What the user did in the chart this frame.
enum Act {
    Add(Option<String>),
    Remove(usize),
    Pause,
    Resume,
    Clear,
    Export,
}

/// The chart of the topic shown.
#[derive(Default)]
pub struct ChartView {
    /// The user's choices per topic (only topics where the user chose something).
    choices: HashMap<NodeId, Choice>,
    latest: Option<Latest>,
    /// The points of the topic shown, rebuilt only when the plan changes.
    points: Option<Points>,
    /// Writing the points to a CSV file.
    export: SaveFile<export::Snapshot>,
}

impl ChartView {
    /// Chart `path` of `topic`'s payloads (from a click in the payload view); the empty path
    /// charts the payload as a number.
    pub fn add_series(&mut self, topic: NodeId, path: &str) {
        let source = (!path.is_empty()).then(|| path.to_owned());
        self.choice_mut(topic).add(source);
    }

    /// The user's choice for `topic`, made from the default when there is none yet.
    fn choice_mut(&mut self, topic: NodeId) -> &mut Choice {
        let latest = self.latest.as_ref().filter(|l| l.topic == topic);
        self.choices
            .entry(topic)
            .or_insert_with(|| latest.map(Latest::default_choice).unwrap_or_default())
    }

    /// Draw the chart of `topic` (named `name`), if its payloads hold numbers or the user
    /// charted some; nothing otherwise. `shown` is the message shown (its sequence number) as
    /// decoded in the format it is viewed in, whose numbers are charted; it is the newest
    /// message's decoding too, unless an older one is shown.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &PanelContext<'_>,
        topic: NodeId,
        name: &str,
        history: &TopicHistory,
        (shown_seq, shown): (u64, &Decoded),
    ) {
        let Some(newest) = history.entries().back() else { return };
        let format = points::read_format(shown.format());
        // What the newest message holds is read once per new message, not every frame.
        if !self
            .latest
            .as_ref()
            .is_some_and(|l| l.topic == topic && l.seq == newest.seq && l.format == format)
        {
            let payload = &newest.message.payload;
            let plain = numbers::read(payload).map(|r| r.value);
            let root = if plain.is_some() || payload.len() > numbers::MAX_BYTES {
                None
            } else if shown_seq == newest.seq && shown.format() == format {
                shown.value().cloned()
            } else {
                points::decode(payload, format)
            };
            let plain = plain.or_else(|| root.as_ref().and_then(numbers::read_value).map(|r| r.value));
            let mut fields = root.as_ref().map(numbers::fields).unwrap_or_default();
            fields.retain(|(path, _)| !path.is_empty());
            self.latest = Some(Latest {
                topic,
                seq: newest.seq,
                format,
                plain,
                fields,
            });
        }
        let Some(latest) = &self.latest else { return };
        let choice = match self.choices.get(&topic) {
            Some(choice) => choice.clone(),
            None if latest.plain.is_none() && latest.fields.is_empty() => return,
            // One message makes no line: the chart shows once there are two, or on request.
            None if history.entries().len() < 2 => return,
            None => latest.default_choice(),
        };
        let plan = Plan {
            topic,
            format,
            series: choice.series.iter().map(|s| s.source.clone()).collect(),
            after: choice.cleared_at,
            until: choice.paused_at,
        };
        match &mut self.points {
            Some(points) if points.is_of(&plan) => {
                points.update(history);
            }
            _ => self.points = Some(Points::build(plan, history)),
        }
        let Some(points) = &self.points else { return };

        let paused = choice.paused_at.is_some();
        let mut title = format!(
            "Chart: {}",
            super::text::plural(points.rows.len() as u64, "point", "points")
        );
        if paused {
            title.push_str(", paused");
        }
        let mut acts = Vec::new();
        let header = egui::CollapsingHeader::new(title)
            .id_salt("message-chart")
            .default_open(true)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    series_chips_ui(ui, &choice, &mut acts);
                    add_menu_ui(ui, latest, &choice, &mut acts);
                    ui.separator();
                    toolbar_ui(ui, paused, !points.rows.is_empty(), &mut acts);
                });
                self.export.ui(ui, cx.runtime);
                if choice.series.is_empty() {
                    ui.weak("Add a series, or click a number in the payload below to chart it");
                }
                plot::plot_ui(ui, topic, &choice.series, points);
            });
        header.header_response.on_hover_text(
            "Drag or scroll to pan, Ctrl+scroll to zoom, drag with the right button to zoom into a box, \
             double-click to see everything",
        );
        for act in acts {
            self.act(ui.ctx(), (cx.dialogs, cx.runtime), topic, name, act);
        }
    }

    /// Move a CSV export along; called every frame, whatever topic is shown.
    pub fn poll_export(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        self.export.poll(ctx, runtime);
    }

    fn act(
        &mut self,
        ctx: &egui::Context,
        files: (&Dialogs, &tokio::runtime::Handle),
        topic: NodeId,
        name: &str,
        act: Act,
    ) {
        let (dialogs, runtime) = files;
        let newest = self.latest.as_ref().filter(|l| l.topic == topic).map(|l| l.seq);
        match act {
            Act::Add(source) => self.choice_mut(topic).add(source),
            Act::Remove(index) => {
                let choice = self.choice_mut(topic);
                if index < choice.series.len() {
                    choice.series.remove(index);
                }
            }
            Act::Pause => self.choice_mut(topic).paused_at = newest,
            Act::Resume => self.choice_mut(topic).paused_at = None,
            Act::Clear => self.choice_mut(topic).cleared_at = newest,
            Act::Export => {
                let Some(points) = &self.points else { return };
                let names = self
                    .choices
                    .get(&topic)
                    .cloned()
                    .or_else(|| self.latest.as_ref().map(Latest::default_choice))
                    .unwrap_or_default()
                    .series
                    .iter()
                    .map(|s| points::name(s.source.as_deref()).to_owned())
                    .collect();
                let file_name = super::text::suggested_file_name(name, "csv");
                let snapshot = export::Snapshot {
                    names,
                    rows: points.rows.clone(),
                };
                self.export
                    .start(ctx, dialogs, runtime, "Export chart", &file_name, snapshot);
            }
        }
    }
}

/// Each series as a chip in its colour, with a button that removes it.
fn series_chips_ui(ui: &mut egui::Ui, choice: &Choice, acts: &mut Vec<Act>) {
    for (index, series) in choice.series.iter().enumerate() {
        let name = points::name(series.source.as_deref());
        let color = PALETTE.get(series.color).copied().unwrap_or(Color32::GRAY);
        egui::Frame::new()
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .corner_radius(8.0)
            .inner_margin(egui::Margin::symmetric(6, 1))
            .show(ui, |ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                let size = ui.text_style_height(&egui::TextStyle::Body);
                let (dot, _) = ui.allocate_exact_size(egui::vec2(size * 0.6, size), egui::Sense::hover());
                ui.painter().circle_filled(dot.center(), size * 0.3, color);
                ui.label(RichText::new(name).monospace());
                let remove = ui
                    .small_button("×")
                    .on_hover_text(format!("Remove {name} from the chart"));
                remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove {name}")));
                if remove.clicked() {
                    acts.push(Act::Remove(index));
                }
            });
    }
}

/// A menu of the newest message's numbers not charted yet.
fn add_menu_ui(ui: &mut egui::Ui, latest: &Latest, choice: &Choice, acts: &mut Vec<Act>) {
    let charted = |source: Option<&str>| choice.series.iter().any(|s| s.source.as_deref() == source);
    let mut offered: Vec<(Option<&str>, f64)> = Vec::new();
    if let Some(value) = latest.plain.filter(|_| !charted(None)) {
        offered.push((None, value));
    }
    for (path, value) in &latest.fields {
        if !charted(Some(path)) {
            offered.push((Some(path), *value));
        }
    }
    let menu = ui.menu_button("Add series", |ui| {
        if offered.is_empty() {
            ui.weak("Every number of the latest message is charted");
        }
        for (source, value) in &offered {
            if ui.button(format!("{}  ({value})", points::name(*source))).clicked() {
                acts.push(Act::Add(source.map(str::to_owned)));
                ui.close();
            }
        }
    });
    menu.response
        .on_hover_text("Chart another number of the latest message; or click a number in the payload below");
}

/// Pause or resume, clear, export.
fn toolbar_ui(ui: &mut egui::Ui, paused: bool, has_rows: bool, acts: &mut Vec<Act>) {
    if paused {
        if ui
            .button("Resume chart")
            .on_hover_text("Chart the messages that came while paused, and the next ones")
            .clicked()
        {
            acts.push(Act::Resume);
        }
    } else if ui
        .button("Pause chart")
        .on_hover_text("Stop charting new messages for now")
        .clicked()
    {
        acts.push(Act::Pause);
    }
    if ui
        .button("Clear chart")
        .on_hover_text("Forget the points shown; only messages from now on are charted (the history stays)")
        .clicked()
    {
        acts.push(Act::Clear);
    }
    if ui
        .add_enabled(has_rows, egui::Button::new("Export CSV…"))
        .on_hover_text("Write the charted points to a CSV file: time, epoch milliseconds, a column per series")
        .clicked()
    {
        acts.push(Act::Export);
    }
    if paused {
        ui.label(RichText::new("Paused").strong().color(super::theme::warn_color(ui)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_keep_their_colours_and_are_not_added_twice() {
        let mut choice = Choice::default();
        choice.add(None);
        choice.add(Some("a".to_owned()));
        choice.add(Some("a".to_owned()));
        choice.add(Some("b".to_owned()));
        choice.series.remove(1);
        choice.add(Some("c".to_owned()));
        let colours: Vec<(Option<&str>, usize)> =
            choice.series.iter().map(|s| (s.source.as_deref(), s.color)).collect();
        assert_eq!(colours, [(None, 0), (Some("b"), 2), (Some("c"), 1)]);
    }
}
