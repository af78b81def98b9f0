//! The selected topic: its full name, the shown message's metadata, its history, and the
//! payload in a view chosen automatically and switchable among the registered formats.
//!
//! The panel's pieces: `header` (name, buttons, metadata), `history` (which message is
//! shown and which compared with), `cache` (each message decoded once per format, the shown
//! one rendered once), `choice` (the format each topic is viewed in) and `payload` (the
//! payload area).

mod cache;
mod choice;
mod header;
pub(crate) use header::properties_rows;
mod history;
mod payload;
mod split;

use eframe::egui;

use super::context::{Commands, PanelContext, TabCommand};
use super::dialogs::SaveFile;
use super::export::Export;
use super::text::{plural, suggested_file_name};
use crate::model::NodeId;

/// The height the payload keeps at least below the metadata, history and chart, in points.
const PAYLOAD_MIN_HEIGHT: f32 = 160.0;
/// The share of the height below the header the metadata, history and chart keep at least
/// until the handle below them is dragged, however long the payload.
const SECTIONS_SHARE: f32 = 0.55;
/// The height of the payload's toolbar, notes and frame, in points.
const PAYLOAD_CHROME_HEIGHT: f32 = 90.0;
/// The least height the metadata, history and chart get, in points, however short the panel
/// (with the publish pane open in a short window the payload comes first).
const MIN_SECTIONS_HEIGHT: f32 = 56.0;

/// Input bytes pretty-printed as JSON or text at most; the rest is one click away.
pub const RENDER_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// What the message panel remembers between frames.
#[derive(Default)]
pub struct MessageView {
    /// The format each topic is viewed in.
    choice: choice::Choice,
    /// Messages decoded and rendered.
    cache: cache::DecodeCache,
    save: SaveFile<payload::Payload>,
    /// The message picked in the history, the one compared with, and whether a diff is shown.
    picks: history::Picks,
    /// The chart of the topic's numbers.
    chart: super::chart::ChartView,
    /// The topics below a branch, side by side.
    compare: super::compare::CompareView,
    /// The pinned topics, side by side.
    pinned: super::compare::CompareView,
    /// The diff shown, kept for its pair of messages.
    diff_view: super::diff::DiffView,
    /// How tall the metadata, history and chart are above the payload.
    split: split::SectionsSplit,
    /// Where the payload is scrolled, what is folded in it and what is found.
    payload_view: super::payload_view::PayloadView,
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
        let viewing = self.picks.viewing_seq(id);
        header::header_ui(ui, id, node, &topic, viewing, pins, commands);
        ui.add_space(4.0);
        if let Some(picked) = self.message_ui(ui, cx, id, &topic, commands) {
            commands.push(TabCommand::Select(picked));
        }
    }

    /// The tab shows another state of the same recording (the time slider moved): the chart's
    /// points are read again (what was picked and decoded stays, kept by topic and message).
    pub fn session_replaced(&mut self) {
        self.chart.session_replaced();
    }

    /// Show message `seq` of topic `id`'s history, as if picked in its history list.
    pub fn show_message(&mut self, id: NodeId, seq: u64) {
        self.picks.viewing = Some((id, seq));
    }

    /// Chart a number of `topic`'s payloads (`path`, or `None` for the payload itself) on the
    /// chart of `chart_of`.
    pub fn add_chart_series(
        &mut self,
        session: &crate::model::Session,
        chart_of: NodeId,
        topic: NodeId,
        path: Option<String>,
    ) {
        self.chart.add_series_of(session, chart_of, topic, path);
    }

    /// The shown message of topic `id` (named `topic`), or the topics below it when it has
    /// none; returns a topic clicked in that comparison.
    fn message_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &PanelContext<'_>,
        id: NodeId,
        topic: &str,
        commands: &mut Commands,
    ) -> Option<NodeId> {
        let (session, runtime) = (cx.session, cx.runtime);
        let node = session.tree.get(id)?;
        let Some(latest) = node.latest() else {
            ui.weak(format!(
                "No message on this topic itself. Below it: {}, {}.",
                plural(u64::from(node.subtree_topics()), "topic", "topics"),
                plural(node.subtree_messages(), "message", "messages")
            ));
            // A branch: the topics below it, side by side; a click shows one.
            return self.compare.ui(ui, session, id, commands);
        };
        let mut chosen = self.choice.of(id);
        let history = session.history.topic(id);
        if let Some(history) = history {
            self.picks.step_through_history(ui, id, history);
        }
        let shown = self.picks.shown(id, history, latest, node.own_messages());
        let key = (id, shown.seq);
        let detected = self.cache.detected(key, topic, shown.message);
        let format = chosen.unwrap_or(detected);
        let decoded = self.cache.decoded(key, format, topic, shown.message, &session.tree);
        // The metadata, history and chart scroll when the panel is short, so the payload below
        // always keeps room; the handle below them gives either more.
        let available = ui.available_height();
        let range = (
            MIN_SECTIONS_HEIGHT,
            (available - PAYLOAD_MIN_HEIGHT).max(MIN_SECTIONS_HEIGHT),
        );
        // Until the handle is dragged the payload gets what it needs, up to 45 % of the height:
        // a short one leaves the rest to the history and chart.
        let lines = if decoded.format().every_byte() {
            crate::payload::hex::line_count(shown.message.payload.len())
        } else {
            self.cache
                .rendering(key, &decoded)
                .rendered
                .as_ref()
                .map_or(1, |r| r.line_count())
        };
        let row = ui.text_style_height(&egui::TextStyle::Monospace);
        let payload_needs = (lines as f32 * row + PAYLOAD_CHROME_HEIGHT)
            .min(available * (1.0 - SECTIONS_SHARE))
            .max(PAYLOAD_MIN_HEIGHT);
        let untouched = (available - payload_needs).min(range.1).max(MIN_SECTIONS_HEIGHT);
        let area = egui::ScrollArea::vertical().id_salt("message-sections");
        let top = ui.cursor().top();
        self.split.area(area, range, untouched).show(ui, |ui| {
            header::metadata_ui(ui, shown.message, node.own_messages(), cx.link.is_v5());
            if let Some(history) = history {
                if self.picks.history_ui(ui, id, history, shown.picked) {
                    commands.push(TabCommand::Export(Export::history(session, id)));
                }
                // Numbers are read as the payload is shown, chosen or detected.
                self.chart.ui(ui, cx, id, topic, history, (shown.seq, &decoded));
            }
        });
        let drawn = ui.cursor().top() - top - ui.spacing().item_spacing.y;
        self.split.handle_ui(ui, drawn, range);

        let save_clicked = ui
            .horizontal_wrapped(|ui| {
                choice::view_ui(ui, &mut chosen, detected);
                ui.separator();
                payload::actions_ui(
                    ui,
                    &mut self.picks.diff,
                    &mut self.payload_view,
                    shown.base,
                    shown.message,
                )
            })
            .inner;
        if save_clicked {
            let file_name = suggested_file_name(topic, "bin");
            let saved = payload::Payload(shown.message.payload.clone());
            self.save
                .start(ui.ctx(), cx.dialogs, runtime, "Save payload", &file_name, saved);
        }
        self.save.ui(ui, runtime);
        payload::notes_ui(ui, self.cache.rendering(key, &decoded));
        ui.add_space(2.0);
        match shown.base.filter(|_| self.picks.diff) {
            Some(base) => {
                let older = self
                    .cache
                    .decoded((id, base.seq), format, topic, &base.message, &session.tree);
                let pair = (id, base.seq, shown.seq, format);
                payload::diff_ui(ui, &mut self.diff_view, runtime, pair, base, (older, decoded));
            }
            None => {
                let rendering = self.cache.rendering(key, &decoded);
                let which = (id, shown.picked, shown.seq);
                if let Some(path) = payload::payload_ui(ui, &mut self.payload_view, which, &decoded, rendering) {
                    self.chart.add_series(id, &path);
                }
            }
        }
        self.choice.choose(id, chosen);
        None
    }
}
