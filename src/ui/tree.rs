//! The live topic tree: a virtualized list of the expanded nodes, with counts,
//! an inline preview of each topic's latest value, and a fading highlight on
//! topics that just received a message. Branches are sorted by name, message
//! count or latest activity; the display can be paused while messages go on
//! being counted.

use std::time::{Duration, Instant, SystemTime};

use eframe::egui::{self, Align2, FontId, Key, Sense, TextStyle};

use super::context::{Commands, PanelContext, TabCommand};
use super::theme;
use crate::model::rows::{Resort, ResortClock};
use crate::model::{Expansion, Frozen, Matches, NodeId, Outline, Row, RowData, Search, Session, SortOrder, rows};
use crate::payload::text::preview;

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

    /// Select a node and bring it into view, expanding its ancestors.
    pub fn select(&mut self, session: &Session, id: NodeId) {
        self.outline.reveal(&session.tree, id);
        self.selected = Some(id);
        self.expansion_changed = true;
        self.scroll_to_selected = true;
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
            let matches = search.run(&session.tree);
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

    fn handle_keys(&mut self, ui: &egui::Ui, session: &Session) {
        // The tree takes the keys when it has keyboard focus, or when nothing has.
        let focus = focus_id();
        let ours = ui.memory_mut(|m| {
            m.interested_in_focus(focus, ui.layer_id());
            // Arrows move through the tree, not between widgets.
            m.set_focus_lock_filter(
                focus,
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    ..Default::default()
                },
            );
            m.has_focus(focus) || m.focused().is_none()
        });
        if !ours {
            return;
        }
        if ui.input_mut(|i| {
            i.consume_key(egui::Modifiers::NONE, Key::P) || i.consume_key(egui::Modifiers::NONE, Key::Pause)
        }) {
            self.set_paused(session, !self.is_paused());
        }
        if self.rows.is_empty() {
            return;
        }
        const KEYS: [Key; 10] = [
            Key::ArrowDown,
            Key::ArrowUp,
            Key::ArrowLeft,
            Key::ArrowRight,
            Key::Home,
            Key::End,
            Key::PageDown,
            Key::PageUp,
            Key::Enter,
            Key::Space,
        ];
        if !ui.input(|i| KEYS.iter().any(|&key| i.key_pressed(key))) {
            return;
        }
        let pressed = |key| ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key));
        let current = self.selected.and_then(|id| rows::position(&self.rows, id));
        let last = self.rows.len() - 1;
        let pitch = theme::TREE_ROW_HEIGHT + ui.spacing().item_spacing.y;
        // A page keeps one row of context.
        let page = ((self.view_height / pitch) as usize).saturating_sub(1).max(1);
        let mut target = None;
        if pressed(Key::ArrowDown) {
            target = Some(current.map_or(0, |i| (i + 1).min(last)));
        } else if pressed(Key::ArrowUp) {
            target = Some(current.map_or(0, |i| i.saturating_sub(1)));
        } else if pressed(Key::Home) {
            target = Some(0);
        } else if pressed(Key::End) {
            target = Some(last);
        } else if pressed(Key::PageDown) {
            target = Some(current.map_or(0, |i| (i + page).min(last)));
        } else if pressed(Key::PageUp) {
            target = Some(current.map_or(0, |i| i.saturating_sub(page)));
        } else if let Some(id) = self.selected {
            let node = session.tree.get(id);
            let expanded = self.outline.is_expanded(id) && node.is_some_and(|n| n.has_children());
            let has_children = node.is_some_and(|n| n.has_children());
            let parent = node.map(crate::model::Node::parent);
            if pressed(Key::ArrowRight) {
                if expanded {
                    target = current.map(|i| (i + 1).min(last));
                } else if has_children {
                    self.set_expanded(session, id, true);
                }
            } else if pressed(Key::ArrowLeft) {
                if expanded {
                    self.set_expanded(session, id, false);
                } else if let Some(parent) = parent.filter(|&p| p != NodeId::ROOT) {
                    self.selected = Some(parent);
                    self.scroll_to_selected = true;
                }
            } else if pressed(Key::Enter) || pressed(Key::Space) {
                self.toggle(session, id);
            }
        }
        if let Some(row) = target.and_then(|i| self.rows.get(i)) {
            self.selected = Some(row.id);
            self.scroll_to_selected = true;
        }
    }

    /// The search field: text or an MQTT filter, optionally in payloads; Escape clears it.
    fn search_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let width = (ui.available_width() - 100.0).max(120.0);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search_text)
                        .hint_text("Search topics (Ctrl+F), or a filter: home/+/temp")
                        .desired_width(width),
                )
                .on_hover_text("Text anywhere in the topic, in any case; with + or # as a level, an MQTT filter");
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Search topics"));
            if self.focus_search {
                field.request_focus();
                self.focus_search = false;
            }
            if (field.has_focus() || field.lost_focus()) && ui.input(|i| i.key_pressed(Key::Escape)) {
                self.search_text.clear();
            }
            ui.checkbox(&mut self.search_payloads, "Payloads")
                .on_hover_text("Also find topics whose latest payload contains the text");
        });
    }

    /// The order of the top level, and of every branch without its own.
    fn sort_ui(&mut self, ui: &mut egui::Ui) {
        let remembered = egui::Id::unique("mqscope-tree-sort");
        if !std::mem::replace(&mut self.sort_restored, true)
            && let Some(order) = ui.ctx().data_mut(|d| d.get_persisted::<SortOrder>(remembered))
            && order != self.outline.default_sort()
        {
            self.outline.set_default_sort(order);
            self.expansion_changed = true;
        }
        let mut order = self.outline.default_sort();
        let combo = egui::ComboBox::from_id_salt("tree-sort")
            .selected_text(sort_label(order))
            .width(120.0)
            .show_ui(ui, |ui| {
                for option in SortOrder::ALL {
                    ui.selectable_value(&mut order, option, sort_label(option));
                }
            });
        combo.response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::ComboBox,
                true,
                format!("Sort topics by {}", sort_label(order)),
            )
        });
        combo
            .response
            .on_hover_text("The order of the top level, and of every branch not given its own (right-click a branch)");
        if order != self.outline.default_sort() {
            self.outline.set_default_sort(order);
            ui.ctx().data_mut(|d| d.insert_persisted(remembered, order));
            self.expansion_changed = true;
        }
        ui.weak("Sort");
    }

    /// Draw the tree; a topic the user picked or pinned is asked for on `commands`.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, commands: &mut Commands) {
        let session = cx.session;
        let selected_before = self.selected;
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::F)) {
            self.focus_search = true;
        }
        self.search_ui(ui);
        ui.horizontal(|ui| {
            ui.strong("Topics");
            if let Some(found) = self.found_topics() {
                ui.weak(format!("{} found", plural(u64::from(found), "topic", "topics")));
            }
            if let Some(frozen) = &self.frozen {
                let since = frozen.received_since(&session.tree);
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("Paused: {} since", plural(since, "message", "messages")),
                )
                .on_hover_text("The tree shows what it showed when paused; messages are still received and counted");
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
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
                self.sort_ui(ui);
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
        let mut fading = false;
        let mut clicked = None;
        let mut toggled = None;
        let mut sorted = None;
        let tree = &session.tree;
        let output = area.show_rows(ui, row_height, self.rows.len(), |ui, range| {
            for row in self.rows.get(range).unwrap_or_default() {
                let shown = match &mut self.frozen {
                    Some(frozen) => frozen.row(tree, row.id),
                    None => tree.get(row.id).map(RowData::live),
                };
                let Some(data) = shown else { continue };
                // Sparkplug B payloads (protobuf) read as their metrics, not as hex. Text payloads,
                // most of them, are passed by before the topic is built.
                let preview = data
                    .latest
                    .filter(|m| row.depth >= 3 && m.payload.len() <= crate::payload::sparkplug::MAX_PREVIEW_BYTES)
                    .filter(|m| !crate::payload::text::is_plain_text(m.payload.get(..64).unwrap_or(&m.payload)))
                    .filter(|_| crate::payload::sparkplug::is_sparkplug_topic(&tree.topic(row.id)))
                    .and_then(|m| crate::payload::sparkplug::preview(&m.payload, PREVIEW_CHARS));
                let state = RowState {
                    selected: self.selected == Some(row.id),
                    expanded: self.outline.is_expanded(row.id),
                    own_sort: self.outline.own_sort(row.id),
                    default_sort: self.outline.default_sort(),
                };
                match row_ui(ui, &data, preview, *row, &state, now, &mut fading) {
                    RowAction::None => {}
                    RowAction::Select => clicked = Some(row.id),
                    RowAction::Toggle => toggled = Some(row.id),
                    RowAction::Pin => commands.push(TabCommand::Pin(row.id)),
                    RowAction::SelectAndToggle => {
                        clicked = Some(row.id);
                        toggled = Some(row.id);
                    }
                    RowAction::Sort(order) => sorted = Some((row.id, order)),
                }
            }
        });
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
        if fading {
            ui.ctx().request_repaint_after(Duration::from_millis(50));
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

enum RowAction {
    None,
    Select,
    Toggle,
    SelectAndToggle,
    Pin,
    /// Give the branch its own order, or let it follow the top level's.
    Sort(Option<SortOrder>),
}

/// How a row is drawn, besides what it shows.
struct RowState {
    selected: bool,
    expanded: bool,
    /// The branch's own order, if it has one.
    own_sort: Option<SortOrder>,
    /// The top level's order, which branches without their own follow.
    default_sort: SortOrder,
}

/// The words for an order, in the sort control and the branch menu.
fn sort_label(order: SortOrder) -> &'static str {
    match order {
        SortOrder::Name => "Name",
        SortOrder::Messages => "Messages",
        SortOrder::Activity => "Latest activity",
    }
}

/// A row's context menu. Returns what was picked.
fn row_menu_ui(ui: &mut egui::Ui, state: &RowState) -> Option<RowAction> {
    let mut picked = None;
    ui.menu_button("Sort by", |ui| {
        for order in SortOrder::ALL {
            if ui.radio(state.own_sort == Some(order), sort_label(order)).clicked() {
                picked = Some(RowAction::Sort(Some(order)));
            }
        }
        ui.separator();
        let follow = format!("As the top level ({})", sort_label(state.default_sort).to_lowercase());
        if ui.radio(state.own_sort.is_none(), follow).clicked() {
            picked = Some(RowAction::Sort(None));
        }
    });
    if picked.is_some() {
        ui.close();
    }
    picked
}

/// Longest node name drawn, in chars (a 64 KiB level name is cut at paint time).
const MAX_NAME_CHARS: usize = 200;
const PREVIEW_CHARS: usize = 160;

fn row_ui(
    ui: &mut egui::Ui,
    node: &RowData<'_>,
    preview_text: Option<String>,
    row: Row,
    state: &RowState,
    now: SystemTime,
    fading: &mut bool,
) -> RowAction {
    let selected = state.selected;
    let width = ui.available_width().max(200.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, theme::TREE_ROW_HEIGHT), Sense::hover());
    // An id tied to the node, not to the position, so hover and double-click survive scrolling and new rows.
    let response = ui.interact(rect, ui.scope_id().with(("topic-row", row.id)), Sense::click());
    let name = if node.name.is_empty() { "(empty)" } else { node.name };
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();

    if selected {
        painter.rect_filled(rect, 2.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 2.0, visuals.widgets.hovered.weak_bg_fill);
    }
    if let Some(latest) = node.latest {
        // A clock that stepped back makes the message look old, never forever new.
        let age = now
            .duration_since(latest.received_at)
            .map_or(f32::INFINITY, |age| age.as_secs_f32());
        if age < theme::HIGHLIGHT_SECS {
            painter.rect_filled(rect, 2.0, theme::highlight(ui, 1.0 - age / theme::HIGHLIGHT_SECS));
            *fading = true;
        }
    }

    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let weak = visuals.weak_text_color();
    let body = FontId::proportional(13.5);
    let mono = TextStyle::Monospace.resolve(ui.style());
    let mid_y = rect.center().y;
    let mut x = rect.left() + 4.0 + f32::from(row.depth) * theme::TREE_INDENT;

    let mut action = RowAction::None;
    if node.has_children {
        let arrow_rect = egui::Rect::from_center_size(egui::pos2(x + 7.0, mid_y), egui::vec2(16.0, 18.0));
        let arrow = ui.interact(arrow_rect, response.id.with("expander"), Sense::click());
        let verb = if state.expanded { "Collapse" } else { "Expand" };
        arrow.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{verb} {name}")));
        let color = if arrow.hovered() {
            visuals.strong_text_color()
        } else {
            weak
        };
        painter.add(expander_shape(arrow_rect.center(), state.expanded, color));
        if arrow.clicked() {
            action = RowAction::Toggle;
        }
    }
    x += 18.0;

    let shown_name = match name.char_indices().nth(MAX_NAME_CHARS) {
        Some((cut, _)) => name.get(..cut).unwrap_or(name),
        None => name,
    };
    let name_color = if node.name.is_empty() { weak } else { text_color };
    let name_rect = painter.text(
        egui::pos2(x, mid_y),
        Align2::LEFT_CENTER,
        shown_name,
        body.clone(),
        name_color,
    );
    x = name_rect.right() + 6.0;
    if node.retained {
        // A small "R": the broker holds a retained message for this topic.
        let badge = painter.text(
            egui::pos2(x + 3.0, mid_y),
            Align2::LEFT_CENTER,
            "R",
            FontId::proportional(10.0),
            weak,
        );
        painter.rect_stroke(
            badge.expand2(egui::vec2(3.0, 1.0)),
            3.0,
            egui::Stroke::new(1.0, weak),
            egui::StrokeKind::Outside,
        );
        x = badge.right() + 9.0;
    }

    // Counts on the right, then the value in the space between.
    let counts = if node.has_children {
        format!(
            "{} · {}",
            plural(u64::from(node.subtree_topics), "topic", "topics"),
            plural(node.subtree_messages, "msg", "msgs")
        )
    } else if node.own_messages > 1 {
        plural(node.own_messages, "msg", "msgs")
    } else {
        String::new()
    };
    let counts_rect = if counts.is_empty() {
        egui::Rect::from_min_max(egui::pos2(rect.right() - 6.0, rect.top()), rect.right_bottom())
    } else {
        painter.text(
            egui::pos2(rect.right() - 8.0, mid_y),
            Align2::RIGHT_CENTER,
            &counts,
            FontId::proportional(11.5),
            weak,
        )
    };

    if let Some(latest) = node.latest {
        let available = counts_rect.left() - 12.0 - x;
        if available > 30.0 {
            let mut value = String::with_capacity(PREVIEW_CHARS + 2);
            value.push_str("= ");
            if latest.payload.is_empty() {
                value.push_str("(empty)");
            } else if let Some(text) = &preview_text {
                value.push_str(text);
            } else {
                value.push_str(&preview(&latest.payload, PREVIEW_CHARS));
            }
            let color = if latest.payload.is_empty() {
                weak
            } else {
                theme::value_color(ui)
            };
            let galley = painter.layout(value, mono, color, f32::INFINITY);
            let clip = egui::Rect::from_min_max(egui::pos2(x, rect.top()), egui::pos2(x + available, rect.bottom()));
            let pos = egui::pos2(x, mid_y - galley.size().y / 2.0);
            painter.with_clip_rect(clip).galley(pos, galley, color);
        }
    }

    // What a screen reader (and a UI test) reads for this row: its name, then counts and value.
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::selected(egui::Role::TreeItem, true, selected, name);
        let value = node.latest.map(|m| {
            preview_text
                .clone()
                .unwrap_or_else(|| preview(&m.payload, PREVIEW_CHARS))
        });
        let retained = if node.retained { "retained " } else { "" };
        info.current_text_value = Some(match value {
            Some(value) if counts.is_empty() => format!("{retained}= {value}"),
            Some(value) => format!("{retained}= {value} ({counts})"),
            None => counts.clone(),
        });
        info
    });

    // The row's menu: pinning for topics with a message, the order for branches.
    if node.has_children || node.latest.is_some() {
        response.context_menu(|ui| {
            if node.latest.is_some() && ui.button("Pin to compare").clicked() {
                action = RowAction::Pin;
                ui.close();
            }
            if node.has_children
                && let Some(picked) = row_menu_ui(ui, state)
            {
                action = picked;
            }
        });
    }
    if matches!(action, RowAction::Sort(_) | RowAction::Pin) {
        return action;
    }
    if response.double_clicked() {
        return RowAction::SelectAndToggle;
    }
    if response.clicked() && !matches!(action, RowAction::Toggle) {
        return RowAction::Select;
    }
    action
}

/// A small filled triangle: pointing right when collapsed, down when expanded.
fn expander_shape(center: egui::Pos2, expanded: bool, color: egui::Color32) -> egui::Shape {
    let (w, h) = (4.0, 4.5);
    let points = if expanded {
        vec![
            center + egui::vec2(-h, -w * 0.6),
            center + egui::vec2(h, -w * 0.6),
            center + egui::vec2(0.0, w * 1.1),
        ]
    } else {
        vec![
            center + egui::vec2(-w * 0.6, -h),
            center + egui::vec2(w * 1.1, 0.0),
            center + egui::vec2(-w * 0.6, h),
        ]
    };
    egui::Shape::convex_polygon(points, color, egui::Stroke::NONE)
}

/// "1 topic", "2 topics", "12,345 topics".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", crate::payload::text::group_digits(n))
    }
}
