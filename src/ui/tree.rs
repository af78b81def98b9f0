//! The live topic tree: a virtualized list of the expanded nodes, with counts,
//! an inline preview of each topic's latest value, and a fading highlight on
//! topics that just received a message. Branches are sorted by name, message
//! count or latest activity; the display can be paused while messages go on
//! being counted.

use std::time::{Duration, Instant, SystemTime};

use eframe::egui::{self, Align2, FontId, Key, Sense, TextStyle};

mod header;
mod keys;
mod preview;
mod row;
mod subscribe;

use super::context::{Commands, PanelContext, TabCommand};
use super::text::plural;
use super::theme;
use crate::model::rows::{Resort, ResortClock};
use crate::model::{Expansion, Frozen, Matches, NodeId, Outline, Row, RowData, Search, Session, SortOrder, rows};
use crate::payload::text::preview;
use row::{PREVIEW_CHARS, RowAction, RowState, row_ui};

/// Rows are rebuilt at most this often while only new topics arrive.
const REFLATTEN_INTERVAL: Duration = Duration::from_millis(150);

/// State of the tree panel.
#[derive(Default)]
pub struct TreeView {
    /// Whether the order last chosen for the top level (kept in egui's memory, and so between
    /// runs) was applied to this tree.
    sort_restored: bool,
    /// Which branches are open and how each is ordered.
    outline: Outline,
    /// The branches the user had open before the search, given back when it is cleared.
    before_search: Option<Expansion>,
    rows: Vec<Row>,
    shape_seen: Option<u64>,
    expansion_changed: bool,
    last_flatten: Option<Instant>,
    /// The selected topic.
    pub selected: Option<NodeId>,
    scroll_to_selected: bool,
    scroll_offset: f32,
    view_height: f32,
    /// Show only branches that hold retained messages.
    pub retained_only: bool,
    /// One-line previews of binary payloads, made once per message.
    previews: preview::Previews,
    /// The tree's retained count when the rows were built (retained-only rows follow it).
    retained_seen: u32,
    /// The search as typed.
    pub search_text: String,
    /// Whether the search looks into payloads too.
    pub search_payloads: bool,
    /// The search and what it found, with the tree's shape version and message count then.
    found: Option<(Search, Matches, u64, u64)>,
    /// The search field should take the keyboard focus (Ctrl+F).
    focus_search: bool,
    /// When branches sorted by message count or activity are put in order again.
    resort_clock: ResortClock,
    /// Whether a shown branch (or the top level) was in an order that follows the traffic.
    follows_traffic: bool,
    /// While paused: what the rows showed.
    frozen: Option<Frozen>,
}

/// Below this width the tree's header takes two lines: its texts, then its controls.
const HEADER_ONE_LINE_WIDTH: f32 = 520.0;

/// A search is run again at most this often while messages arrive.
const RESEARCH_INTERVAL: Duration = Duration::from_millis(300);

impl TreeView {
    /// The rows shown, as of the last frame.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Which branches are open and how each is ordered.
    pub fn outline(&self) -> &Outline {
        &self.outline
    }

    /// Open or close the branch `id`.
    pub fn set_expanded(&mut self, session: &Session, id: NodeId, expanded: bool) {
        self.expansion_changed |= self.outline.set_expanded(&session.tree, id, expanded);
    }

    /// Open `id` and every branch below it, `levels` deep at most.
    pub fn expand_below(&mut self, session: &Session, id: NodeId, levels: usize) {
        self.outline.expand_below(&session.tree, id, levels);
        self.expansion_changed = true;
    }

    /// Close `id` and every branch below it (the whole tree for the root).
    pub fn collapse_below(&mut self, session: &Session, id: NodeId) {
        if id == NodeId::ROOT {
            self.outline.collapse_all();
        } else {
            self.outline.collapse_below(&session.tree, id);
        }
        self.expansion_changed = true;
    }

    /// Show the tree opened `levels` deep from the top.
    pub fn expand_to_level(&mut self, session: &Session, levels: usize) {
        self.outline.expand_to_level(&session.tree, levels);
        self.expansion_changed = true;
    }

    /// Select a node and bring it into view, expanding its ancestors.
    pub fn select(&mut self, session: &Session, id: NodeId) {
        self.outline.reveal(&session.tree, id);
        self.selected = Some(id);
        self.expansion_changed = true;
        self.scroll_to_selected = true;
    }

    /// The tab shows another state of the same recording (the time slider moved): the
    /// selection and the open branches stay (ids agree across its states), the rows, the search
    /// and the order are made again, and a paused tree shows the new state, paused.
    pub fn session_replaced(&mut self, session: &Session) {
        self.shape_seen = None;
        self.found = None;
        self.last_flatten = None;
        self.resort_clock = ResortClock::default();
        self.expansion_changed = true;
        if self.frozen.is_some() {
            self.frozen = Some(Frozen::new(&session.tree));
        }
    }

    /// Whether the display is paused.
    pub fn is_paused(&self) -> bool {
        self.frozen.is_some()
    }

    /// Pause the display (rows, counts and values stay as they are while the
    /// model goes on counting), or resume it, showing the current state.
    pub fn set_paused(&mut self, session: &Session, paused: bool) {
        if paused == self.is_paused() {
            return;
        }
        self.frozen = paused.then(|| Frozen::new(&session.tree));
        // Resuming shows the tree as it is now; pausing changes no row.
        self.expansion_changed |= !paused;
    }

    /// How many topics the search found, if there is a search.
    pub fn found_topics(&self) -> Option<u32> {
        self.found.as_ref().map(|(_, matches, ..)| matches.topics)
    }

    /// Run the search again when it changed, or (throttled) when topics or messages arrived.
    fn refresh_search(&mut self, ui: &egui::Ui, session: &Session, paused: bool) {
        let Some(search) = Search::new(&self.search_text, self.search_payloads) else {
            if self.found.take().is_some() {
                // The branches opened for the matches close again; the selection stays in view.
                if let Some(before) = self.before_search.take() {
                    self.outline.set_expansion(before);
                }
                if let Some(id) = self.selected {
                    self.outline.reveal(&session.tree, id);
                    self.scroll_to_selected = true;
                }
                self.expansion_changed = true;
            }
            return;
        };
        if self.found.is_none() && self.before_search.is_none() {
            self.before_search = Some(self.outline.expansion());
        }
        let shape = session.shape_version();
        let messages = session.tree.message_count();
        let stale = match &self.found {
            None => true,
            Some((old, _, _, _)) if *old != search => true,
            // Paused: only a new search runs, not new data.
            Some(_) if paused => false,
            Some((_, _, seen_shape, seen_messages)) => {
                // New topics may match; new payloads only matter when payloads are searched.
                let data_changed = *seen_shape != shape || (self.search_payloads && *seen_messages != messages);
                let recently = self.last_flatten.is_some_and(|t| t.elapsed() < RESEARCH_INTERVAL);
                if data_changed && recently {
                    ui.ctx().request_repaint_after(RESEARCH_INTERVAL);
                }
                data_changed && !recently
            }
        };
        if stale {
            // Typing on narrows the search before: only what it found, and what changed since.
            let before = self.found.as_ref().map(|(old, m, _, _)| (old, m));
            let matches = search.run_after(&session.tree, before);
            let before = self.found.as_ref().map(|(_, m, _, _)| m);
            matches.open_new_branches(&session.tree, &mut self.outline, before);
            self.found = Some((search, matches, shape, messages));
            self.expansion_changed = true;
        }
    }

    fn refresh_rows(&mut self, ui: &egui::Ui, session: &Session) {
        let paused = self.is_paused();
        self.refresh_search(ui, session, paused);
        let now = Instant::now();
        // Branches in an order that follows the traffic are put in order again once a
        // second at most; never while paused, nor while a button is held (a click
        // must land on the row it started on).
        let held = ui.input(|i| i.pointer.any_down());
        let due = if paused || held {
            Resort::Idle
        } else {
            self.resort_clock.check(now, session.tree.received())
        };
        let resort = due == Resort::Now;
        let resort_shown = resort && self.follows_traffic;
        if let Resort::After(wait) = due
            && self.follows_traffic
        {
            ui.ctx().request_repaint_after(wait);
        }
        if let Some((_, matches, _, _)) = &self.found {
            if self.expansion_changed || resort_shown {
                self.follows_traffic =
                    rows::flatten_found(&session.tree, &mut self.outline, matches, resort, &mut self.rows);
                self.flattened(now, resort, session);
            }
            return;
        }
        let shape = session.shape_version();
        let retained = session.tree.root().subtree_retained();
        let shape_changed = self.shape_seen != Some(shape) || (self.retained_only && retained != self.retained_seen);
        // Paused: new topics wait; only the user's own changes rebuild the rows.
        let shape_changed = shape_changed && !paused;
        if !shape_changed && !self.expansion_changed && !resort_shown {
            return;
        }
        let recently = self
            .last_flatten
            .is_some_and(|t| now.duration_since(t) < REFLATTEN_INTERVAL);
        if !self.expansion_changed && !resort_shown && recently {
            // Only new topics: pick them up a moment later, in one go.
            ui.ctx().request_repaint_after(REFLATTEN_INTERVAL);
            return;
        }
        let filter = rows::RowFilter {
            retained_only: self.retained_only,
        };
        self.follows_traffic = rows::flatten(&session.tree, &mut self.outline, filter, resort, &mut self.rows);
        self.shape_seen = Some(shape);
        self.retained_seen = retained;
        self.flattened(now, resort, session);
    }

    /// Note that the rows were just built (and sorted again, if `resort`).
    fn flattened(&mut self, now: Instant, resort: bool, session: &Session) {
        self.expansion_changed = false;
        self.last_flatten = Some(now);
        if resort {
            self.resort_clock.sorted(now, session.tree.received());
        }
    }

    fn toggle(&mut self, session: &Session, id: NodeId) {
        let expanded = self.outline.is_expanded(id);
        self.set_expanded(session, id, !expanded);
    }

    /// Draw the tree; a topic the user picked or pinned is asked for on `commands`.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, commands: &mut Commands) {
        let session = cx.session;
        let selected_before = self.selected;
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::F)) {
            self.focus_search = true;
        }
        self.search_ui(ui);
        // The controls take their room first, from the right; what is left says what the tree
        // shows, cut short with an ellipsis. A panel too narrow for both puts them on two lines.
        let narrow = ui.available_width() < HEADER_ONE_LINE_WIDTH;
        if narrow {
            ui.horizontal(|ui| self.header_texts_ui(ui, session));
        }
        ui.horizontal(|ui| {
            // Narrow, the controls wrap onto another line rather than run off the panel's left.
            let layout = egui::Layout::right_to_left(egui::Align::Center).with_main_wrap(narrow);
            ui.with_layout(layout, |ui| {
                if ui
                    .checkbox(&mut self.retained_only, "Retained only")
                    .on_hover_text("Show only topics that hold a retained message, and their branches")
                    .changed()
                {
                    self.expansion_changed = true;
                }
                let paused = self.is_paused();
                let (text, hint) = if paused {
                    ("Resume", "Show the tree as it is now (P)")
                } else {
                    (
                        "Pause",
                        "Freeze the tree as it is (P); messages are still received and counted",
                    )
                };
                if ui.selectable_label(paused, text).on_hover_text(hint).clicked() {
                    self.set_paused(session, !paused);
                }
                // The order and its label wrap together: a line without room for both starts another.
                if narrow && ui.available_size_before_wrap().x < self.sort_width(ui) {
                    ui.end_row();
                }
                self.sort_ui(ui);
                self.expand_menu_ui(ui, session);
                if !narrow {
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        self.header_texts_ui(ui, session);
                    });
                }
            });
        });
        self.handle_keys(ui, session);
        self.refresh_rows(ui, session);

        if self.rows.is_empty() {
            ui.add_space(8.0);
            ui.weak(if self.found.is_some() {
                "No topic matches the search."
            } else if session.state().is_connected() {
                "No messages yet. Topics appear here as they arrive."
            } else {
                "Topics appear here once connected."
            });
            return;
        }

        let row_height = theme::TREE_ROW_HEIGHT;
        let spacing = ui.spacing().item_spacing.y;
        let mut area = egui::ScrollArea::vertical().auto_shrink(false);
        if self.scroll_to_selected {
            if let Some(index) = self.selected.and_then(|id| rows::position(&self.rows, id)) {
                let top = index as f32 * (row_height + spacing);
                let bottom = top + row_height;
                if top < self.scroll_offset {
                    area = area.vertical_scroll_offset(top);
                } else if bottom > self.scroll_offset + self.view_height {
                    area = area.vertical_scroll_offset(bottom - self.view_height);
                }
            }
            self.scroll_to_selected = false;
        }
        let now = SystemTime::now();
        let mut wake = None;
        let mut clicked = None;
        let mut toggled = None;
        let mut sorted = None;
        let mut expand = None;
        let mut expand_levels = None;
        let tree = &session.tree;
        let output = area.show_rows(ui, row_height, self.rows.len(), |ui, range| {
            for row in self.rows.get(range).unwrap_or_default() {
                let shown = match &mut self.frozen {
                    Some(frozen) => frozen.row(tree, row.id),
                    None => tree.get(row.id).map(RowData::live),
                };
                let Some(data) = shown else { continue };
                // Sparkplug B payloads (protobuf) read as their metrics, not as hex: made once per
                // new message of the topic.
                let preview = self
                    .previews
                    .get(tree, row.id, data.own_messages, data.latest, PREVIEW_CHARS);
                let state = RowState {
                    selected: self.selected == Some(row.id),
                    expanded: self.outline.is_expanded(row.id),
                    own_sort: self.outline.own_sort(row.id),
                    default_sort: self.outline.default_sort(),
                    subscriptions: session.subscriptions(),
                    marks: crate::ui::subscriptions::marks::Marks::new(cx.subscriptions),
                    tree,
                };
                match row_ui(ui, &data, preview, *row, &state, now, &mut wake) {
                    RowAction::None => {}
                    RowAction::Select => clicked = Some(row.id),
                    RowAction::Toggle => toggled = Some(row.id),
                    RowAction::Pin => commands.push(TabCommand::Pin(row.id)),
                    RowAction::CopyTopic => ui.ctx().copy_text(tree.topic(row.id)),
                    RowAction::CopyValue => {
                        if let Some(latest) = data.latest {
                            ui.ctx()
                                .copy_text(String::from_utf8_lossy(&latest.payload).into_owned());
                        }
                    }
                    RowAction::PublishTo => commands.push(TabCommand::PublishTo(row.id)),
                    RowAction::Subscribe(filter) => {
                        commands.push(TabCommand::Subscribe(crate::model::Subscription::new(filter)));
                    }
                    RowAction::SubscribeWithOptions(filter) => commands.push(TabCommand::AskSubscribe(filter)),
                    RowAction::Unsubscribe(filter) => commands.push(TabCommand::Unsubscribe(filter)),
                    RowAction::ClearRetained(recursive) => {
                        commands.push(TabCommand::ClearRetained { id: row.id, recursive });
                    }
                    RowAction::SelectAndToggle => {
                        clicked = Some(row.id);
                        toggled = Some(row.id);
                    }
                    RowAction::Sort(order) => sorted = Some((row.id, order)),
                    RowAction::ExpandBelow => expand = Some((row.id, true)),
                    RowAction::CollapseBelow => expand = Some((row.id, false)),
                    RowAction::ExpandLevels(levels) => expand_levels = Some((row.id, levels)),
                    RowAction::LogOnly(filter) => commands.push(TabCommand::LogOnly(filter)),
                    RowAction::ExportBranch => {
                        commands.push(TabCommand::Export(crate::ui::export::Export::branch(session, row.id)));
                    }
                    RowAction::AddToChart(path) => commands.push(TabCommand::AddChartSeries { topic: row.id, path }),
                }
            }
        });
        if let Some((id, levels)) = expand_levels {
            // The branch shows its children `levels` deep: what lies deeper closes.
            self.collapse_below(session, id);
            self.expand_below(session, id, levels);
        }
        match expand {
            Some((id, true)) => self.expand_below(session, id, usize::MAX),
            Some((id, false)) => self.collapse_below(session, id),
            None => {}
        }
        if let Some((id, order)) = sorted {
            self.outline.set_sort(id, order);
            self.expansion_changed = true;
        }
        self.scroll_offset = output.state.clamped_offset().y;
        self.view_height = output.inner_rect.height();
        if let Some(id) = toggled {
            self.toggle(session, id);
        }
        if let Some(id) = clicked {
            self.selected = Some(id);
        }
        if clicked.is_some() || toggled.is_some() {
            ui.memory_mut(|m| m.request_focus(focus_id()));
        }
        if let Some(wake) = wake {
            // Fades move in steps of a live frame; a dot goes when it is due, give or take.
            ui.ctx().request_repaint_after(wake.max(theme::LIVE_FRAME));
        }
        if self.expansion_changed {
            ui.ctx().request_repaint();
        }
        if self.selected != selected_before
            && let Some(id) = self.selected
        {
            commands.push(TabCommand::Select(id));
        }
    }
}

/// The keyboard focus of the tree as a whole (rows themselves never keep it).
fn focus_id() -> egui::Id {
    egui::Id::unique("mqscope-topic-tree")
}
