//! The comparison table drawn: a sticky header and Topic column, the other
//! columns scrolled under them both ways, and only the rows and columns in
//! view laid out, so 500 topics of 64 fields stay smooth. Times are shown as
//! ages, their text in the tooltip; a header's context menu hides its column.

use std::time::SystemTime;

use eframe::egui::{self, Align, Layout, Rect, RichText, UiBuilder, pos2, vec2};

use super::table::{Column, ColumnKey, Sort, Table};
use super::times::age_text;
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
    /// Hide this column.
    Hide(ColumnKey),
    /// Unpin this topic.
    Unpin(String),
    /// Unpin every topic.
    ClearPins,
    /// Export the table's topics' latest messages.
    Export,
}

/// Which part of a table is drawn, and how.
pub(super) struct View<'a> {
    /// The rows, in this order (indices into the table's rows).
    pub order: &'a [usize],
    /// The columns shown after Topic, in this order (indices into the table's columns).
    pub columns: &'a [usize],
    /// The sort shown in the headers.
    pub sort: Option<&'a Sort>,
    /// Ages are told as of this time.
    pub now: SystemTime,
}

/// Draw `table` as `view` says, at most `max_height` high; `pinned` adds a way to unpin each
/// row. Returns what the user clicked.
pub(super) fn ui(
    ui: &mut egui::Ui,
    table: &Table,
    view: &View<'_>,
    salt: &str,
    pinned: bool,
    max_height: f32,
) -> Option<Clicked> {
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.ctx().fonts_mut(|f| f.glyph_width(&mono, '0'));
    // The shown columns, each with its width.
    let columns: Vec<(usize, &Column, f32)> = view
        .columns
        .iter()
        .filter_map(|&c| table.columns.get(c).map(|column| (c, column)))
        .map(|(c, column)| (c, column, column.chars as f32 * char_width + CELL_PADDING))
        .collect();
    let unpin_width = if pinned { 24.0 } else { 0.0 };
    let topic_width = (table.topic_chars as f32 * char_width + CELL_PADDING + unpin_width)
        .clamp(90.0, (ui.available_width() * 0.45).max(90.0));
    let mut lefts = Vec::with_capacity(columns.len());
    let mut right = topic_width;
    for (_, _, width) in &columns {
        lefts.push(right);
        right += width;
    }
    let order = view.order;
    let size = vec2(right, ROW_HEIGHT * (order.len() + 1) as f32);
    let mut clicked = None;
    egui::ScrollArea::both()
        .id_salt(salt)
        .auto_shrink([false, true])
        .max_height(max_height)
        .show_viewport(ui, |ui, viewport| {
            ui.set_min_size(size);
            let origin = ui.max_rect().min;
            let view_rect = viewport.translate(origin.to_vec2()).intersect(ui.clip_rect());
            let header_bottom = view_rect.top() + ROW_HEIGHT;
            let body_clip = Rect::from_min_max(pos2(view_rect.left() + topic_width, header_bottom), view_rect.max);
            let topic_clip = Rect::from_min_max(
                pos2(view_rect.left(), header_bottom),
                pos2(view_rect.left() + topic_width, view_rect.bottom()),
            );
            let shown: Vec<usize> = (0..columns.len())
                .filter(|&i| lefts[i] + columns[i].2 > viewport.left() + topic_width && lefts[i] < viewport.right())
                .collect();
            let first = ((viewport.top() / ROW_HEIGHT).floor() as usize).saturating_sub(1);
            let last = ((viewport.bottom() / ROW_HEIGHT).ceil() as usize).min(order.len());
            let stripe = ui.visuals().faint_bg_color;
            let rows_clip = Rect::from_min_max(pos2(view_rect.left(), header_bottom), view_rect.max);
            for (r, &index) in order.iter().enumerate().take(last).skip(first) {
                let Some(row) = table.rows.get(index) else { continue };
                let top = origin.y + ROW_HEIGHT * (r + 1) as f32;
                if r % 2 == 1 {
                    let band = Rect::from_min_size(pos2(view_rect.left(), top), vec2(view_rect.width(), ROW_HEIGHT));
                    ui.painter().with_clip_rect(rows_clip).rect_filled(band, 0.0, stripe);
                }
                for &i in &shown {
                    let (c, column, width) = columns[i];
                    let rect = Rect::from_min_size(pos2(origin.x + lefts[i], top), vec2(width, ROW_HEIGHT));
                    let (Some(cell), Some(&differs)) = (row.cells.get(c), row.differs.get(c)) else {
                        continue;
                    };
                    let time = column.times.as_ref().and_then(|t| t.at.get(index).copied().flatten());
                    let cell = Cell {
                        text: cell.as_deref(),
                        time,
                        counted: row.counts_in(&column.key),
                        differs,
                    };
                    cell_ui(ui, rect, body_clip, column, &cell, view.now);
                }
                let rect = Rect::from_min_size(pos2(view_rect.left(), top), vec2(topic_width, ROW_HEIGHT));
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
            ui.painter().hline(view_rect.x_range(), header_bottom - 0.5, line);
            let header_clip = Rect::from_min_max(
                pos2(view_rect.left() + topic_width, view_rect.top()),
                pos2(view_rect.right(), header_bottom),
            );
            for &i in &shown {
                let (_, column, width) = columns[i];
                let rect = Rect::from_min_size(pos2(origin.x + lefts[i], view_rect.top()), vec2(width, ROW_HEIGHT));
                let key = Some(column.key.clone());
                match header_ui(ui, rect, header_clip, view.sort, &key, Some(column)) {
                    Some(Header::Sort) => clicked = Some(Clicked::Sort(key)),
                    Some(Header::Hide) => clicked = Some(Clicked::Hide(column.key.clone())),
                    None => {}
                }
            }
            let rect = Rect::from_min_size(view_rect.min, vec2(topic_width, ROW_HEIGHT));
            if header_ui(ui, rect, rect, view.sort, &None, None).is_some() {
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

/// One cell of a row.
struct Cell<'a> {
    /// Its text; `None` where the topic lacks the field.
    text: Option<&'a str>,
    /// The time it stands for, in a column of times.
    time: Option<SystemTime>,
    /// Whether the row has a say in the column (see `Row::counts_in`); a cell that has not is
    /// blank.
    counted: bool,
    /// Whether it differs from most of the column.
    differs: bool,
}

/// One cell: its value (a time as its age, the time itself in the tooltip), highlighted when
/// it differs from most of the column, dimmed when the whole column holds one value.
fn cell_ui(ui: &mut egui::Ui, rect: Rect, clip: Rect, column: &Column, cell: &Cell<'_>, now: SystemTime) {
    if cell.differs {
        ui.painter()
            .with_clip_rect(clip)
            .rect_filled(rect.shrink2(vec2(2.0, 1.0)), 3.0, theme::differs_fill(ui));
    }
    let age = cell.time.map(|time| age_text(time, now));
    let text = match (&age, cell.text) {
        (Some(age), _) => age.as_str(),
        (None, Some(text)) => text,
        (None, None) if cell.counted => "-",
        (None, None) => return,
    };
    let mut rich = RichText::new(text).monospace();
    if cell.text.is_none() || column.uniform {
        rich = rich.weak();
    } else if cell.differs {
        rich = rich.strong();
    }
    let mut cell_ui = child(ui, rect, clip);
    let response = cell_ui.add(egui::Label::new(rich).truncate());
    if cell.differs {
        // Say it in words too, for screen readers and for the hover.
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{text} (differs from most)")));
    }
    let why = cell.differs.then(|| odd_text(column, cell, now));
    let tooltip = match (cell.time.and(cell.text), why) {
        (Some(raw), Some(why)) => Some(format!("{raw}\n{why}")),
        (Some(raw), None) => Some(raw.to_owned()),
        (None, why) => why,
    };
    if let Some(tooltip) = tooltip {
        response.on_hover_text(tooltip);
    }
}

/// Why a cell stands out, in words.
fn odd_text(column: &Column, cell: &Cell<'_>, now: SystemTime) -> String {
    if let (Some(time), Some(median)) = (cell.time, column.times.as_ref().and_then(|t| t.median)) {
        let way = if time < median { "older" } else { "newer" };
        return format!(
            "Far {way} than the others: most are from about {}",
            age_text(median, now)
        );
    }
    let most = match &column.common {
        Some(Some(value)) => format!("most topics have {value}"),
        Some(None) => "most topics lack this field".to_owned(),
        None if column.times.is_some() => "most topics have a time here".to_owned(),
        None => "no value is most common".to_owned(),
    };
    let what = if cell.text.is_none() {
        "Missing here"
    } else {
        "Differs from most"
    };
    format!("{what}: {most}")
}

/// What a header was asked to do.
enum Header {
    Sort,
    Hide,
}

/// A column header (`column` is `None` for Topic): its name, and a triangle pointing up or down
/// when the table is sorted by it (drawn: the bundled fonts have no arrows); a click sorts by it,
/// and its context menu hides it (not Topic, always shown).
fn header_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    clip: Rect,
    sort: Option<&Sort>,
    key: &Option<ColumnKey>,
    column: Option<&Column>,
) -> Option<Header> {
    let name = column.map_or("Topic", |c| c.name.as_str());
    let direction = match sort {
        Some(sort) if &sort.column == key => Some(sort.descending),
        _ => None,
    };
    let mut text = RichText::new(name).strong();
    let ages = column.is_some_and(|c| c.times.is_some());
    let mut hover = if ages {
        format!("Sort by {name}, youngest first; click again for the other way")
    } else {
        format!("Sort by {name}; click again for the other way")
    };
    if let Some(column) = column.filter(|c| c.uniform) {
        text = text.color(ui.visuals().weak_text_color());
        if let Some(Some(value)) = &column.common {
            hover = format!("Every topic has {value}. {hover}");
        }
    }
    if column.is_some() {
        hover.push_str(". Right-click to hide it");
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
    let mut asked = response.clicked().then_some(Header::Sort);
    if column.is_some() {
        response.context_menu(|ui| {
            if ui.button("Hide column").clicked() {
                asked = Some(Header::Hide);
            }
        });
    }
    asked
}
