//! A topic's numbers over time: the series the user picked (the payload as a
//! number, fields of JSON or decoded payloads by path, and numbers of other
//! topics to compare with), each in its colour, on a local time axis; a
//! legend above the plot, normalising for series of different scales, zoom and
//! pan, pause, clear, and CSV export.
//!
//! Its pieces: `choice` (what is charted per topic), `fields` (the numbers a
//! message offers), `points` (one topic's points, read from its history),
//! `set` (every series of a chart, whatever its topic), `lines` (points made
//! ready to draw), `scale` (normalising), `legend` (the controls and the
//! legend), `picker` (another topic's number), `plot` (the drawing) and
//! `export` (CSV).

mod choice;
mod export;
mod fields;
mod legend;
mod lines;
mod picker;
pub(super) mod plot;
mod points;
mod scale;
mod set;

use std::collections::HashMap;

use eframe::egui;

use super::context::PanelContext;
use super::dialogs::{Dialogs, SaveFile};
use crate::model::history::TopicHistory;
use crate::model::{Message, NodeId, Session};
use crate::payload::{Decoded, Format};
use choice::{Choice, Other};
use fields::Numbers;
use set::{Charted, Wanted};

/// The newest message of the topic shown: what it holds to chart.
struct Latest {
    topic: NodeId,
    seq: u64,
    format: Format,
    numbers: Numbers,
}

impl Latest {
    /// What is charted until the user chooses: the payload as a number, or its first field.
    fn default_choice(&self) -> Choice {
        let mut choice = Choice::default();
        if self.numbers.plain.is_some() {
            choice.add(self.topic, None, None);
        } else if let Some((path, _)) = self.default_field() {
            choice.add(self.topic, None, Some(path.clone()));
        }
        choice
    }

    /// The field charted first: the first the format puts first (a Sparkplug B payload's first
    /// metric value, not its sequence number), else the first number.
    fn default_field(&self) -> Option<&(String, f64)> {
        let fields = &self.numbers.fields;
        fields
            .iter()
            .find(|(path, _)| self.format.charted_first(path))
            .or_else(|| fields.first())
    }
}

/// What the user did in the chart this frame.
enum Act {
    Add {
        topic: NodeId,
        other: Option<Other>,
        source: Option<String>,
    },
    /// Open the dialog that adds a number of another topic.
    PickOther,
    Remove(usize),
    Normalise(bool),
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
    /// The points of the chart shown, each topic's rebuilt only when its plan changes.
    charted: Charted,
    /// The time under the pointer in the plot last frame, whose values the legend shows.
    hovered_x: Option<f64>,
    /// Adding a number of another topic.
    picker: picker::Picker,
    /// Writing the points to a CSV file.
    export: SaveFile<export::Snapshot>,
}

impl ChartView {
    /// Chart `path` of `topic`'s payloads (from a click in the payload view); the empty path
    /// charts the payload as a number.
    pub fn add_series(&mut self, topic: NodeId, path: &str) {
        let source = (!path.is_empty()).then(|| path.to_owned());
        self.choice_mut(topic).add(topic, None, source);
    }

    /// Chart `path` of `topic`'s payloads (`None`: the payload as a number) on the chart of
    /// `chart_of`, which may be another topic: then the series is named after `topic` and read
    /// in the format its latest message is detected in.
    pub fn add_series_of(&mut self, session: &Session, chart_of: NodeId, topic: NodeId, path: Option<String>) {
        let other = (topic != chart_of).then(|| {
            let name = session.tree.topic(topic);
            let latest = session.tree.get(topic).and_then(|n| n.latest());
            let format = latest.map_or(Format::JSON, |m| fields::detected_format(&name, m));
            Other { name, format }
        });
        self.choice_mut(chart_of).add(topic, other, path);
    }

    /// The tab shows another state: the points are read again from its history.
    pub fn session_replaced(&mut self) {
        self.latest = None;
        self.charted = Charted::default();
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
            let decoded = (shown_seq == newest.seq && shown.format() == format)
                .then(|| shown.value().cloned())
                .flatten();
            self.latest = Some(Latest {
                topic,
                seq: newest.seq,
                format,
                numbers: Numbers::read(&newest.message.payload, format, decoded),
            });
        }
        let Some(latest) = &self.latest else { return };
        let numbers = latest.numbers.clone();
        let mut choice = match self.choices.get(&topic) {
            Some(choice) => choice.clone(),
            None if numbers.is_empty() => return,
            // One message makes no line: the chart shows once there are two, or on request.
            None if history.entries().len() < 2 => return,
            None => latest.default_choice(),
        };
        let wanted = Wanted {
            series: &choice.series,
            own: topic,
            own_format: format,
            after: choice.cleared_at,
            until: choice.paused_at,
        };
        self.charted.update(&wanted, |id| cx.session.history.topic(id));
        self.decide_normalising(topic, &mut choice);

        let mut title = format!(
            "Chart: {}",
            super::text::plural(self.charted.row_count() as u64, "point", "points")
        );
        if choice.paused_at.is_some() {
            title.push_str(", paused");
        }
        let mut acts = Vec::new();
        let offered = numbers.offered();
        let header = egui::CollapsingHeader::new(title)
            .id_salt("message-chart")
            .default_open(true)
            .show(ui, |ui| {
                let has_rows = self.charted.row_count() > 0;
                legend::controls_ui(ui, (topic, &offered), &choice, has_rows, &mut acts);
                self.export.ui(ui, cx.runtime);
                if choice.series.is_empty() {
                    ui.weak("Add a series, or click a number in the payload below to chart it");
                } else {
                    legend::legend_ui(ui, &choice, &self.charted, self.hovered_x, &mut acts);
                }
                let normalised = choice.is_normalised();
                plot::plot_ui(ui, topic, &choice.series, &self.charted, normalised)
            });
        let hovered = header.body_returned.flatten();
        if hovered != self.hovered_x {
            // The legend shows the values at the new time in the next frame.
            ui.ctx().request_repaint();
            self.hovered_x = hovered;
        }
        header.header_response.on_hover_text(
            "Drag or scroll to pan, Ctrl+scroll to zoom, drag with the right button to zoom into a box, \
             double-click to see everything",
        );
        if let Some(picked) = self.picker.ui(ui.ctx(), cx.session, topic) {
            acts.push(Act::Add {
                topic: picked.topic,
                other: Some(picked.other),
                source: picked.source,
            });
        }
        for act in acts {
            self.act(ui.ctx(), (cx.dialogs, cx.runtime, cx.session), topic, name, act);
        }
    }

    /// Normalise the series, unless the user said, when their ranges differ a lot: decided once
    /// two of them have points, again when the series change.
    fn decide_normalising(&mut self, topic: NodeId, choice: &mut Choice) {
        let Some(kept) = self.choices.get_mut(&topic) else {
            return;
        };
        if kept.auto_normalised.is_some() {
            return;
        }
        let ranges: Vec<(f64, f64)> = (0..choice.series.len()).filter_map(|i| self.charted.range(i)).collect();
        if ranges.len() >= 2 {
            kept.auto_normalised = Some(scale::cramped(&ranges));
            choice.auto_normalised = kept.auto_normalised;
        }
    }

    /// Move a CSV export along; called every frame, whatever topic is shown.
    pub fn poll_export(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        self.export.poll(ctx, runtime);
    }

    fn act(
        &mut self,
        ctx: &egui::Context,
        (dialogs, runtime, session): (&Dialogs, &tokio::runtime::Handle, &Session),
        topic: NodeId,
        name: &str,
        act: Act,
    ) {
        match act {
            Act::Add {
                topic: of,
                other,
                source,
            } => self.choice_mut(topic).add(of, other, source),
            Act::PickOther => self.picker.open(),
            Act::Remove(index) => self.choice_mut(topic).remove(index),
            Act::Normalise(normalised) => self.choice_mut(topic).normalised = Some(normalised),
            Act::Pause => {
                let newest = newest_seq(session, topic, self.choice_mut(topic));
                self.choice_mut(topic).paused_at = newest;
            }
            Act::Resume => self.choice_mut(topic).paused_at = None,
            Act::Clear => {
                let newest = newest_seq(session, topic, self.choice_mut(topic));
                self.choice_mut(topic).cleared_at = newest;
            }
            Act::Export => {
                let names = self
                    .choice_mut(topic)
                    .series
                    .iter()
                    .map(choice::Series::label)
                    .collect();
                let file_name = super::text::suggested_file_name(name, "csv");
                let snapshot = export::Snapshot {
                    names,
                    rows: self.charted.rows(),
                };
                self.export
                    .start(ctx, dialogs, runtime, "Export chart", &file_name, snapshot);
            }
        }
    }
}

/// The newest message of the chart's topic and of the topics its series read: where a pause or
/// a clear takes effect for all of them (message numbers are shared by every topic).
fn newest_seq(session: &Session, topic: NodeId, choice: &Choice) -> Option<u64> {
    std::iter::once(topic)
        .chain(choice.series.iter().map(|s| s.topic))
        .filter_map(|id| session.history.topic(id)?.entries().back().map(|e| e.seq))
        .max()
}

/// The tree's "Add to chart" submenu for a topic named `topic` whose latest message is `latest`:
/// its numbers, the payload itself or each field. Returns the one picked (`None` inside: the
/// payload itself); shows nothing when the message holds no number.
pub fn add_to_chart_menu_ui(ui: &mut egui::Ui, topic: &str, latest: &Message) -> Option<Option<String>> {
    let (_, numbers) = fields::of_message(topic, latest);
    if numbers.is_empty() {
        return None;
    }
    let mut picked = None;
    ui.menu_button("Add to chart", |ui| {
        for (source, value) in numbers.offered() {
            let text = format!("{}  ({})", points::name(source), scale::format_value(value));
            if ui.button(text).clicked() {
                picked = Some(source.map(str::to_owned));
                ui.close();
            }
        }
    })
    .response
    .on_hover_text("Chart one of its numbers with the selected topic's, to compare");
    picked
}
