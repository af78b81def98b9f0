//! The comparison table drawn: a sticky header and Topic column, the other
//! columns scrolled under them both ways, and only the rows and columns in
//! view laid out, so 500 topics of 64 fields stay smooth.

use eframe::egui::{self, Align, Layout, Rect, RichText, UiBuilder, pos2, vec2};

use super::table::{Column, ColumnKey, Sort, Table};
use crate::model::NodeId;
use crate::ui::theme;

/// Height of a table row, in points.
const ROW_HEIGHT: f32 = 22.0;
/// Space beside a cell's text, in points.
const CELL_PADDING: f32 = 14.0;

/// What the user did in the table.
pub(super) enum Clicked {
    /// Show this topic.
    Select(NodeId),
    /// Sort by this column (`None`: Topic).
    Sort(Option<ColumnKey>),
    /// Unpin this topic.
    Unpin(String),
    /// Unpin every topic.
    ClearPins,
}

/// Draw `table`'s rows in `order`, at most `max_height` high; `pinned` adds a way to unpin
/// each row. Returns what the user clicked.
pub(super) fn ui(
    ui: &mut egui::Ui,
    table: &Table,
    order: &[usize],
    sort: Option<&Sort>,
    salt: &str,
    pinned: bool,
    max_height: f32,
) -> Option<Clicked> {
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
    let size = vec2(right, ROW_HEIGHT * (order.len() + 1) as f32);
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
            let last = ((viewport.bottom() / ROW_HEIGHT).ceil() as usize).min(order.len());
            let stripe = ui.visuals().faint_bg_color;
            let rows_clip = Rect::from_min_max(pos2(view.left(), header_bottom), view.max);
            for (r, &index) in order.iter().enumerate().take(last).skip(first) {
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
