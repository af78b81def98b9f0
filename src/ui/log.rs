//! The live log: every message of the connection in arrival order, across topics, one line
//! each (time, QoS, flags, size, topic, payload preview), read from the session's
//! [`crate::model::Log`], which references the history's messages. It follows the newest line
//! until the user scrolls up (End or the button follows again), can be paused, filtered
//! (`filter`), and a click on a line shows that message in the message panel. Only the lines
//! on screen are drawn (`line`).

mod filter;
mod line;

use eframe::egui::{self, RichText};

use super::context::{Commands, PanelContext, TabCommand};
use super::export::Export;
use super::text::plural;
use crate::model::{Line, Session};
use crate::payload::text::group_digits;
pub use filter::FilterKind;
use filter::{Filter, Matching};

/// The height of a line, in points.
pub const LINE_HEIGHT: f32 = 18.0;

/// What the log panel remembers between frames.
#[derive(Default)]
pub struct LogView {
    /// Whether the panel is shown.
    pub open: bool,
    kind: FilterKind,
    text: String,
    /// The lines the filter lets through, when one is typed and valid.
    matching: Option<Matching>,
    /// While paused, the sequence number from which lines wait.
    paused_at: Option<u64>,
    /// Whether the view stays on the newest line.
    follow: bool,
    /// Scroll to the newest line on the next frame.
    jump_to_end: bool,
    /// The line clicked last.
    selected: Option<Line>,
    /// The scroll offset that showed the last line, last frame.
    last_end_offset: f32,
    /// The scroll offset last frame.
    last_offset: f32,
    /// Where the lines were drawn last frame.
    lines_rect: Option<egui::Rect>,
    /// Whether the pointer was over the lines last frame.
    held: bool,
}

impl LogView {
    /// A closed log, following the newest line once opened.
    pub fn new() -> Self {
        Self {
            follow: true,
            ..Self::default()
        }
    }

    /// Show only the messages of `filter` (an MQTT filter), opening the log.
    pub fn show_only(&mut self, filter: String) {
        self.kind = FilterKind::Topic;
        self.text = filter;
        self.open = true;
        self.jump_to_end = true;
    }

    /// The tab shows another state of the same recording (the time slider moved): the filter's
    /// lines are found again.
    pub fn session_replaced(&mut self) {
        self.matching = None;
        self.jump_to_end = self.follow;
    }

    /// Whether new lines are held back.
    pub fn is_paused(&self) -> bool {
        self.paused_at.is_some()
    }

    /// Hold new lines back, or show them again.
    pub fn set_paused(&mut self, session: &Session, paused: bool) {
        self.paused_at = paused.then(|| session.history.next_seq());
    }

    /// Keep the filter in step with what is typed, and its lines with the log.
    fn refresh(&mut self, session: &Session) -> Option<String> {
        let text = self.text.trim();
        if text.is_empty() {
            self.matching = None;
            return None;
        }
        let wanted = Filter {
            kind: self.kind,
            text: text.to_owned(),
        };
        if let Some(error) = wanted.error() {
            self.matching = None;
            return Some(error);
        }
        if self.matching.as_ref().is_none_or(|m| *m.filter() != wanted) {
            self.matching = Some(Matching::new(wanted));
        }
        if let Some(matching) = &mut self.matching {
            matching.update(session);
        }
        None
    }

    /// Lines shown: all the filter lets through, up to the pause.
    fn shown_count(&self, session: &Session) -> usize {
        match (&self.matching, self.paused_at) {
            (Some(m), Some(at)) => m.position_from(at),
            (Some(m), None) => m.len(),
            (None, Some(at)) => session.log.position_from(at),
            (None, None) => session.log.len(),
        }
    }

    fn line_at(&self, session: &Session, index: usize) -> Option<Line> {
        match &self.matching {
            Some(m) => m.get(index),
            None => session.log.get(index),
        }
    }

    /// Draw the panel; a clicked line asks the tab to show its message.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, commands: &mut Commands) {
        let session = cx.session;
        let error = self.refresh(session);
        let count = self.shown_count(session);
        if self.toolbar_ui(ui, session, count, error) {
            commands.push(TabCommand::Export(self.export(session, count)));
        }
        ui.separator();
        line::header_ui(ui);
        // End follows the newest line again, while the pointer is over the log.
        if ui.ui_contains_pointer() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::End)) {
            self.jump_to_end = true;
        }
        // While the pointer is over the lines they hold still, so the line clicked is the one
        // seen; new ones wait below, and following goes on once the pointer leaves.
        let held = self.lines_rect.is_some_and(|rect| ui.rect_contains_pointer(rect));
        if self.held && !held && self.follow {
            self.jump_to_end = true;
        }
        self.held = held;
        let mut area = egui::ScrollArea::vertical()
            .id_salt("log-lines")
            .auto_shrink(false)
            .stick_to_bottom(self.follow && !held);
        if std::mem::take(&mut self.jump_to_end) {
            // To the end as drawn last frame (further would spring back), from where the area
            // sticks to the end as lines come.
            area = area.vertical_scroll_offset(self.last_end_offset);
            self.follow = true;
        }
        let mut clicked = None;
        // Lines touch: the rows' pitch is their height.
        ui.spacing_mut().item_spacing.y = 0.0;
        let marks = crate::ui::subscriptions::marks::Marks::new(cx.subscriptions);
        let shown = area.show_rows(ui, LINE_HEIGHT, count, |ui, range| {
            for index in range {
                let Some(line) = self.line_at(session, index) else {
                    continue;
                };
                if line::line_ui(ui, session, marks, line, self.selected == Some(line)).clicked() {
                    clicked = Some(line);
                }
            }
        });
        self.last_end_offset = (shown.content_size.y - shown.inner_rect.height()).max(0.0);
        self.lines_rect = Some(shown.inner_rect);
        let offset = shown.state.clamped_offset().y;
        // Held, the view leaves the end only because lines came: following is ended by the
        // user's own scrolling.
        let scrolled = (offset - std::mem::replace(&mut self.last_offset, offset)).abs() > 0.5;
        if !held || scrolled {
            self.follow = offset + shown.inner_rect.height() >= shown.content_size.y - 1.0;
        }
        if let Some(line) = clicked {
            self.selected = Some(line);
            // Reading a line: new ones do not push it away.
            self.follow = false;
            commands.push(TabCommand::ShowMessage {
                id: line.topic,
                seq: line.seq,
            });
        }
    }

    /// The messages of the lines shown (the filter's, up to the pause), oldest first.
    fn export(&self, session: &Session, count: usize) -> Export {
        let what = match &self.matching {
            Some(m) => format!("the log's lines matching {}", m.filter().text),
            None => "the log".to_owned(),
        };
        let lines = (0..count).filter_map(|index| self.line_at(session, index));
        Export::lines(session, lines, what)
    }

    /// The filter, pause, follow and export controls, and the counts; returns whether the
    /// person asked to export the lines shown.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, session: &Session, count: usize, error: Option<String>) -> bool {
        let mut export = false;
        ui.horizontal(|ui| {
            ui.label(RichText::new("Log").strong());
            let kind = &mut self.kind;
            egui::ComboBox::from_id_salt("log-filter-kind")
                .selected_text(kind.label())
                .show_ui(ui, |ui| {
                    for option in FilterKind::ALL {
                        ui.selectable_value(kind, option, option.label());
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Log filter kind"));
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .hint_text(self.kind.hint())
                    .desired_width(220.0),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Filter the log"));
            if !self.text.is_empty() && ui.small_button("×").on_hover_text("Show every line").clicked() {
                self.text.clear();
            }
            let paused = self.is_paused();
            let pause = if paused { "Resume log" } else { "Pause log" };
            let hover = if paused {
                "Show the lines that arrived while paused, and new ones"
            } else {
                "Hold new lines back (they are kept, and shown on resume)"
            };
            if ui.selectable_label(paused, pause).on_hover_text(hover).clicked() {
                self.set_paused(session, !paused);
            }
            if !self.follow
                && ui
                    .button("Follow newest")
                    .on_hover_text("Scroll to the newest line and stay there (End)")
                    .clicked()
            {
                self.jump_to_end = true;
            }
            export = ui
                .add_enabled(count > 0, egui::Button::new("Export…"))
                .on_hover_text("Save the lines shown to a file: JSON lines (a recording), CSV or JSON")
                .clicked();
            ui.separator();
            self.counts_ui(ui, session, count, error);
        });
        export
    }

    fn counts_ui(&self, ui: &mut egui::Ui, session: &Session, count: usize, error: Option<String>) {
        if let Some(error) = error {
            ui.colored_label(super::theme::error_color(ui), error);
            return;
        }
        let log = &session.log;
        let mut words = match &self.matching {
            Some(m) if m.is_empty() => format!("no line matches, of {}", plural(log.len() as u64, "line", "lines")),
            Some(_) => format!(
                "{} of {}",
                group_digits(count as u64),
                plural(log.len() as u64, "line", "lines")
            ),
            None => plural(count as u64, "line", "lines"),
        };
        if let Some(at) = self.paused_at {
            let waiting = log.len() - log.position_from(at);
            words.push_str(&format!(" · paused, {} waiting", group_digits(waiting as u64)));
        }
        ui.weak(words);
        if log.let_go() > 0 {
            ui.weak(format!("· {} older let go", group_digits(log.let_go())))
                .on_hover_text(
                    "Their messages went to keep the history within its bounds (messages per topic, \
                     memory for all topics; see Settings…)",
                );
        }
    }
}
