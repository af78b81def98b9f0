//! Topics side by side: the topics below a branch, or the topics a user
//! pinned, in one table. A row per topic, a column per JSON field (the union
//! of every topic's fields, nested ones by path) or the raw value; cells
//! that differ from most of their column highlighted; sortable by any
//! column; retained topics only if asked; rebuilt as messages arrive.

mod table;

use std::time::{Duration, Instant};

use eframe::egui::{self, Align, Layout, Rect, RichText, UiBuilder, pos2, vec2};

use table::{Column, ColumnKey, Input, Sort, Table};
pub use table::{MAX_COLUMNS, MAX_TOPICS};

use super::theme;
use super::tree::plural;
use crate::model::{NodeId, Session};

/// Topics pinned at most.
pub const MAX_PINS: usize = 200;
/// The table is rebuilt at most this often while messages arrive.
const REBUILD_INTERVAL: Duration = Duration::from_millis(500);
/// Height of a table row, in points.
const ROW_HEIGHT: f32 = 22.0;
/// Space beside a cell's text, in points.
const CELL_PADDING: f32 = 14.0;

/// The topics a user pinned to compare, by full name, so a topic cleared and published again
/// stays pinned. One list per connection.
#[derive(Default)]
pub struct Pins {
    topics: Vec<String>,
}

impl Pins {
    /// Pin `topic`; false when it already was, or the list is full.
    pub fn pin(&mut self, topic: String) -> bool {
        if self.topics.len() >= MAX_PINS || self.is_pinned(&topic) {
            return false;
        }
        self.topics.push(topic);
        true
    }

    /// Take `topic` off the list.
    pub fn unpin(&mut self, topic: &str) {
        self.topics.retain(|t| t != topic);
    }

    /// Whether `topic` is pinned.
    pub fn is_pinned(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t == topic)
    }

    /// The pinned topics, in the order pinned.
    pub fn topics(&self) -> &[String] {
        &self.topics
    }

    /// Whether nothing is pinned.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }
}

/// Where a table's topics come from.
#[derive(Clone, PartialEq)]
enum Source {
    Branch(NodeId),
    Pinned(Vec<String>),
}

/// A table as last built, and the row order of its sort.
struct Built {
    source: Source,
    /// Changes when a compared topic receives a message.
    signature: u64,
    retained_only: bool,
    at: Instant,
    table: Table,
    /// Topics left out: beyond [`MAX_TOPICS`], or pinned topics without a message.
    left_out: usize,
    sort: Option<Sort>,
    order: Vec<usize>,
}

/// What the user did in the table.
enum Clicked {
    Select(NodeId),
    Sort(Option<ColumnKey>),
    Unpin(String),
    ClearPins,
}

/// One comparison table, with its sort and filter.
#[derive(Default)]
pub struct CompareView {
    built: Option<Built>,
    sort: Option<Sort>,
    retained_only: bool,
}

impl CompareView {
    /// Draw the table of the topics below `branch`. Returns a topic the user clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, branch: NodeId) -> Option<NodeId> {
        let signature = session.tree.get(branch).map_or(0, |n| n.subtree_messages());
        let retained_only = self.retained_only;
        self.refresh(ui.ctx(), Source::Branch(branch), signature, || {
            table::below(&session.tree, branch, retained_only)
        });
        let built = self.built.as_ref()?;
        if built.table.rows.is_empty() && !self.retained_only {
            return None;
        }
        let count = (built.table.rows.len() + built.left_out) as u64;
        let title = format!("Compare {} below", plural(count, "topic", "topics"));
        let clicked = egui::CollapsingHeader::new(title)
            .id_salt("compare-branch")
            .default_open(true)
            .show(ui, |ui| {
                let height = ui.available_height().max(160.0);
                self.table_ui(ui, "compare-branch-table", false, height)
            })
            .body_returned
            .flatten();
        match clicked {
            Some(Clicked::Select(id)) => Some(id),
            _ => None,
        }
    }

    /// Draw the table of the pinned topics, with a way to unpin each and all. Returns a topic
    /// the user clicked.
    pub fn pinned_ui(&mut self, ui: &mut egui::Ui, session: &Session, pins: &mut Pins) -> Option<NodeId> {
        if pins.is_empty() {
            return None;
        }
        let tree = &session.tree;
        let found: Vec<(&String, NodeId)> = pins
            .topics()
            .iter()
            .filter_map(|topic| tree.find(topic).map(|id| (topic, id)))
            .collect();
        let signature = found.iter().fold(found.len() as u64, |sum, (_, id)| {
            sum.wrapping_mul(31)
                .wrapping_add(tree.get(*id).map_or(0, |n| n.own_messages()))
        });
        let retained_only = self.retained_only;
        self.refresh(ui.ctx(), Source::Pinned(pins.topics().to_vec()), signature, || {
            let inputs: Vec<Input> = found
                .iter()
                .filter_map(|(topic, id)| {
                    let node = tree.get(*id)?;
                    let latest = node.latest()?;
                    (node.is_retained() || !retained_only).then(|| Input {
                        id: *id,
                        name: (*topic).clone(),
                        retained: node.is_retained(),
                        payload: latest.payload.clone(),
                    })
                })
                .collect();
            let left_out = pins.topics().len() - inputs.len();
            (inputs, left_out)
        });
        let title = format!("Pinned topics ({})", pins.topics().len());
        let clicked = egui::CollapsingHeader::new(title)
            .id_salt("compare-pinned")
            .default_open(true)
            .show(ui, |ui| {
                let height = (ui.available_height() * 0.4).clamp(120.0, 320.0);
                self.table_ui(ui, "compare-pinned-table", true, height)
            })
            .body_returned
            .flatten();
        match clicked {
            Some(Clicked::Select(id)) => return Some(id),
            Some(Clicked::Unpin(topic)) => pins.unpin(&topic),
            Some(Clicked::ClearPins) => pins.topics.clear(),
            _ => {}
        }
        None
    }

    /// Rebuild the table when its topics changed (at most every [`REBUILD_INTERVAL`] while
    /// messages arrive), and sort it again when the sort changed.
    fn refresh(
        &mut self,
        ctx: &egui::Context,
        source: Source,
        signature: u64,
        inputs: impl FnOnce() -> (Vec<Input>, usize),
    ) {
        let stale = match &self.built {
            Some(b) if b.source == source && b.retained_only == self.retained_only => {
                let age = b.at.elapsed();
                if b.signature == signature {
                    false
                } else if age < REBUILD_INTERVAL {
                    ctx.request_repaint_after(REBUILD_INTERVAL - age);
                    false
                } else {
                    true
                }
            }
            _ => true,
        };
        if stale {
            let (inputs, left_out) = inputs();
            let table = Table::new(inputs);
            self.built = Some(Built {
                source,
                signature,
                retained_only: self.retained_only,
                at: Instant::now(),
                order: table.order(self.sort.as_ref()),
                table,
                left_out,
                sort: self.sort.clone(),
            });
        }
        if let Some(built) = &mut self.built
            && built.sort != self.sort
        {
            built.order = built.table.order(self.sort.as_ref());
            built.sort.clone_from(&self.sort);
        }
    }

    /// The controls above the table, then the table.
    fn table_ui(&mut self, ui: &mut egui::Ui, salt: &str, pinned: bool, height: f32) -> Option<Clicked> {
        let mut clicked = None;
        let mut retained_only = self.retained_only;
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut retained_only, "Retained only")
                .on_hover_text("Hide topics whose latest message was not retained");
            if pinned
                && ui
                    .button("Clear pins")
                    .on_hover_text("Unpin every topic of this table")
                    .clicked()
            {
                clicked = Some(Clicked::ClearPins);
            }
            let Some(built) = &self.built else { return };
            if built.left_out > 0 && !pinned {
                ui.weak(format!("The first {MAX_TOPICS} are shown."));
            } else if built.left_out > 0 {
                ui.weak(format!(
                    "{} not shown (no message, or not retained).",
                    plural(built.left_out as u64, "pinned topic", "pinned topics")
                ));
            }
            if built.table.more_columns > 0 {
                ui.weak(format!(
                    "{} more not shown (at most {MAX_COLUMNS}).",
                    plural(built.table.more_columns as u64, "field", "fields")
                ));
            }
        });
        self.retained_only = retained_only;
        let built = self.built.as_ref()?;
        if built.table.rows.is_empty() {
            ui.weak(if self.retained_only {
                "None of these topics holds a retained message."
            } else {
                "None of these topics has a message yet."
            });
            return clicked;
        }
        let grid = grid_ui(ui, built, salt, pinned, height);
        if let Some(Clicked::Sort(column)) = &grid {
            self.sort = match self.sort.take() {
                Some(sort) if &sort.column == column => Some(Sort {
                    column: sort.column,
                    descending: !sort.descending,
                }),
                _ => Some(Sort {
                    column: column.clone(),
                    descending: false,
                }),
            };
            return clicked;
        }
        grid.or(clicked)
    }
}

/// The table itself: a sticky header and Topic column, the other columns scrolled under them,
/// only the rows and columns in view laid out.
fn grid_ui(ui: &mut egui::Ui, built: &Built, salt: &str, pinned: bool, max_height: f32) -> Option<Clicked> {
    let table = &built.table;
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.ctx().fonts_mut(|f| f.glyph_width(&mono, '0'));
    let widths: Vec<f32> = table
        .columns
        .iter()
        .map(|c| c.chars as f32 * char_width + CELL_PADDING)
        .collect();
    let unpin_width = if pinned { 24.0 } else { 0.0 };
    let topic_width = (table.topic_chars as f32 * char_width + CELL_PADDING + unpin_width)
        .clamp(90.0, (ui.available_width() * 0.45).max(90.0));
    let mut lefts = Vec::with_capacity(widths.len());
    let mut right = topic_width;
    for width in &widths {
        lefts.push(right);
        right += width;
    }
    let size = vec2(right, ROW_HEIGHT * (built.order.len() + 1) as f32);
    let sort = built.sort.as_ref();
    let mut clicked = None;
    egui::ScrollArea::both()
        .id_salt(salt)
        .auto_shrink([false, true])
        .max_height(max_height)
        .show_viewport(ui, |ui, viewport| {
            ui.set_min_size(size);
            let origin = ui.max_rect().min;
            let view = viewport.translate(origin.to_vec2()).intersect(ui.clip_rect());
            let header_bottom = view.top() + ROW_HEIGHT;
            let body_clip = Rect::from_min_max(pos2(view.left() + topic_width, header_bottom), view.max);
            let topic_clip = Rect::from_min_max(
                pos2(view.left(), header_bottom),
                pos2(view.left() + topic_width, view.bottom()),
            );
            let shown: Vec<usize> = (0..widths.len())
                .filter(|&c| lefts[c] + widths[c] > viewport.left() + topic_width && lefts[c] < viewport.right())
                .collect();
            let first = ((viewport.top() / ROW_HEIGHT).floor() as usize).saturating_sub(1);
            let last = ((viewport.bottom() / ROW_HEIGHT).ceil() as usize).min(built.order.len());
            let stripe = ui.visuals().faint_bg_color;
            let rows_clip = Rect::from_min_max(pos2(view.left(), header_bottom), view.max);
            for (r, &index) in built.order.iter().enumerate().take(last).skip(first) {
                let Some(row) = table.rows.get(index) else { continue };
                let top = origin.y + ROW_HEIGHT * (r + 1) as f32;
                if r % 2 == 1 {
                    let band = Rect::from_min_size(pos2(view.left(), top), vec2(view.width(), ROW_HEIGHT));
                    ui.painter().with_clip_rect(rows_clip).rect_filled(band, 0.0, stripe);
                }
                for &c in &shown {
                    let rect = Rect::from_min_size(pos2(origin.x + lefts[c], top), vec2(widths[c], ROW_HEIGHT));
                    let (Some(column), Some(cell), Some(&differs)) =
                        (table.columns.get(c), row.cells.get(c), row.differs.get(c))
                    else {
                        continue;
                    };
                    let counted = row.raw == (column.key == ColumnKey::Value);
                    cell_ui(ui, rect, body_clip, column, cell.as_deref(), counted, differs);
                }
                let rect = Rect::from_min_size(pos2(view.left(), top), vec2(topic_width, ROW_HEIGHT));
                let mut cell = child(ui, rect, topic_clip);
                if pinned {
                    let unpin = cell.small_button("×").on_hover_text("Unpin this topic");
                    unpin.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Unpin {}", row.name))
                    });
                    if unpin.clicked() {
                        clicked = Some(Clicked::Unpin(row.name.clone()));
                    }
                }
                let name = if row.retained {
                    format!("{} (R)", row.name)
                } else {
                    row.name.clone()
                };
                if cell
                    .add(
                        egui::Label::new(RichText::new(name).monospace())
                            .truncate()
                            .sense(egui::Sense::click()),
                    )
                    .on_hover_text("Show this topic")
                    .clicked()
                {
                    clicked = Some(Clicked::Select(row.id));
                }
            }
            // The header over the rows, the Topic header over the scrolled ones.
            let line = ui.visuals().widgets.noninteractive.bg_stroke;
            ui.painter().hline(view.x_range(), header_bottom - 0.5, line);
            let header_clip = Rect::from_min_max(
                pos2(view.left() + topic_width, view.top()),
                pos2(view.right(), header_bottom),
            );
            for &c in &shown {
                let Some(column) = table.columns.get(c) else { continue };
                let rect = Rect::from_min_size(pos2(origin.x + lefts[c], view.top()), vec2(widths[c], ROW_HEIGHT));
                let key = Some(column.key.clone());
                if header_ui(ui, rect, header_clip, &column.name, sort, &key, column) {
                    clicked = Some(Clicked::Sort(key));
                }
            }
            let rect = Rect::from_min_size(view.min, vec2(topic_width, ROW_HEIGHT));
            let topic = Column {
                key: ColumnKey::Value,
                name: "Topic".to_owned(),
                common: None,
                uniform: false,
                chars: 0,
            };
            if header_ui(ui, rect, rect, "Topic", sort, &None, &topic) {
                clicked = Some(Clicked::Sort(None));
            }
        });
    clicked
}

/// A child Ui laid out left to right in `rect`, drawn only within `clip`.
fn child(ui: &mut egui::Ui, rect: Rect, clip: Rect) -> egui::Ui {
    let mut child = ui.new_child(
        UiBuilder::new()
            .max_rect(rect.shrink2(vec2(CELL_PADDING / 2.0, 0.0)))
            .layout(Layout::left_to_right(Align::Center)),
    );
    child.set_clip_rect(clip.intersect(rect).intersect(ui.clip_rect()));
    child
}

/// One cell: its value, highlighted when it differs from most of the column, dimmed when the
/// whole column holds one value.
/// A cell not `counted` (a JSON topic's raw value, or the fields of a topic shown whole) is blank.
fn cell_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    clip: Rect,
    column: &Column,
    cell: Option<&str>,
    counted: bool,
    differs: bool,
) {
    if differs {
        ui.painter()
            .with_clip_rect(clip)
            .rect_filled(rect.shrink2(vec2(2.0, 1.0)), 3.0, theme::differs_fill(ui));
    }
    let text = match cell {
        Some(text) => text,
        None if counted => "-",
        None => return,
    };
    let mut rich = RichText::new(text).monospace();
    if cell.is_none() || column.uniform {
        rich = rich.weak();
    } else if differs {
        rich = rich.strong();
    }
    let mut cell_ui = child(ui, rect, clip);
    let response = cell_ui.add(egui::Label::new(rich).truncate());
    if differs {
        // Say it in words too, for screen readers and for the hover.
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{text} (differs from most)")));
        let most = match &column.common {
            Some(Some(value)) => format!("most topics have {value}"),
            Some(None) => "most topics lack this field".to_owned(),
            None => "no value is most common".to_owned(),
        };
        let what = if cell.is_none() {
            "Missing here"
        } else {
            "Differs from most"
        };
        response.on_hover_text(format!("{what}: {most}"));
    }
}

/// A column header: its name, and a triangle pointing up or down when the table is sorted by it
/// (drawn: the bundled fonts have no arrows); a click sorts by it.
fn header_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    clip: Rect,
    name: &str,
    sort: Option<&Sort>,
    key: &Option<ColumnKey>,
    column: &Column,
) -> bool {
    let direction = match sort {
        Some(sort) if &sort.column == key => Some(sort.descending),
        _ => None,
    };
    let mut text = RichText::new(name).strong();
    let mut hover = format!("Sort by {name}; click again for the other way");
    if column.uniform {
        text = text.color(ui.visuals().weak_text_color());
        if let Some(Some(value)) = &column.common {
            hover = format!("Every topic has {value}. {hover}");
        }
    }
    let mut header = child(ui, rect, clip);
    let response = header
        .add(egui::Button::new(text).frame(false).truncate())
        .on_hover_text(hover);
    if let Some(descending) = direction {
        let center = pos2(response.rect.right() + 7.0, response.rect.center().y);
        let (w, h) = (4.0, 3.5);
        let points = if descending {
            vec![center + vec2(-w, -h), center + vec2(w, -h), center + vec2(0.0, h)]
        } else {
            vec![center + vec2(-w, h), center + vec2(w, h), center + vec2(0.0, -h)]
        };
        let color = header.visuals().strong_text_color();
        header
            .painter()
            .add(egui::Shape::convex_polygon(points, color, egui::Stroke::NONE));
        let way = if descending { "descending" } else { "ascending" };
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{name}, sorted {way}")));
    }
    response.clicked()
}
