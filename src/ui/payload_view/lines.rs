//! One row of a rendered payload: its fold marker, its highlighted text (a folded object or
//! array as `"ENERGY": {…} 10 keys`), the find bar's matches on it, and its numbers and
//! booleans as links that chart them.

use std::collections::HashSet;

use eframe::egui::{self, Color32, text::CCursor};

use super::job::{Job, Mark, line_job};
use crate::payload::Rendered;
use crate::payload::find::Matches;
use crate::payload::folds::{Fold, Folds};
use crate::payload::paths::{ValueAt, ValuePaths};
use crate::ui::theme;

/// The width of the fold markers' column, in points.
pub const GUTTER: f32 = 16.0;

/// How far around a value's text a click still charts it, in points.
const LINK_PADDING: egui::Vec2 = egui::vec2(4.0, 1.0);

/// What a row is drawn from.
pub struct Lines<'a> {
    /// The text.
    pub rendered: &'a Rendered,
    /// Its numbers and booleans, to chart.
    pub paths: &'a ValuePaths,
    /// Its objects and arrays that fold.
    pub folds: &'a Folds,
    /// The paths of those folded.
    pub folded: &'a HashSet<String>,
    /// The find bar's matches, and the current one, when it is open.
    pub found: Option<(&'a Matches, Option<usize>)>,
}

/// What the user did on the rows.
#[derive(Default)]
pub struct Clicked {
    /// The path of a value to chart.
    pub chart: Option<String>,
    /// The path of an object or array to fold or unfold.
    pub toggle: Option<String>,
    /// Fold every object and array (true) or unfold them all (false).
    pub all: Option<bool>,
    /// Open the find bar.
    pub find: bool,
}

/// How a fold is named to the user: its path, or "the payload" for the whole of it.
pub fn fold_name(path: &str) -> &str {
    if path.is_empty() { "the payload" } else { path }
}

/// Display line `line` as one row, with the fold marker column when the rendering folds.
pub fn row_ui(ui: &mut egui::Ui, lines: &Lines<'_>, line: usize, height: f32, clicked: &mut Clicked) {
    let rendered = lines.rendered;
    let (text, spans) = rendered.line(line);
    let start = rendered.line_starts.get(line).map_or(0, |&s| s as usize);
    let fold = lines.folds.at_line(line);
    let folded = fold.filter(|f| lines.folded.contains(&f.path));
    // A folded line shows its text up to the opening bracket, then what it hides in short.
    let upto = folded.map_or(text.len(), |f| {
        (f.open_at as usize + 1).saturating_sub(start).min(text.len())
    });
    let marks = lines
        .found
        .map(|(matches, current)| marks(ui, matches, current, start, start + upto))
        .unwrap_or_default();
    let mut job = line_job(ui, text, &spans, &marks, upto);
    if let Some(fold) = folded {
        summary(ui, &mut job, fold, rendered);
    }
    // A row of exactly one line's height, its pieces left to right.
    let row = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(ui.available_width(), height));
    let builder = egui::UiBuilder::new()
        .max_rect(row)
        .layout(egui::Layout::left_to_right(egui::Align::Min));
    ui.scope_builder(builder, |ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        if !lines.folds.is_empty() && marker_ui(ui, fold, folded.is_some(), height) {
            clicked.toggle = fold.map(|f| f.path.clone());
        }
        let galley = ui.painter().layout_job(job.finish());
        let response = ui.add(egui::Label::new(galley.clone()).extend());
        response.context_menu(|ui| menu_ui(ui, fold, folded.is_some(), clicked));
        for value in lines.paths.within(start, start + upto) {
            if let Some(path) = value_ui(ui, text, start, value, &galley, response.rect.min) {
                clicked.chart = Some(path);
            }
        }
    });
}

/// The find bar's matches over the text range `start..end` of a line, relative to `start`.
fn marks(ui: &egui::Ui, matches: &Matches, current: Option<usize>, start: usize, end: usize) -> Vec<Mark> {
    matches
        .within(start, end)
        .filter_map(|i| {
            let range = matches.get(i)?;
            let fill = if Some(i) == current {
                theme::find_current_fill(ui)
            } else {
                theme::find_match_fill(ui)
            };
            Some((range.start.max(start) - start..range.end.min(end) - start, fill))
        })
        .collect()
}

/// After a folded line's opening bracket: `…}`, how many keys or items it holds, and the
/// comma of its closing line, if any.
fn summary(ui: &egui::Ui, job: &mut Job, fold: &Fold, rendered: &Rendered) {
    let punct = theme::token_color(ui, crate::payload::TokenKind::Punct);
    let summary = fold.summary();
    // "{…} 10 keys" without the bracket the line already shows.
    let rest = summary.get(1..).unwrap_or_default();
    let (brackets, count) = rest.split_at(rest.find([']', '}']).map_or(0, |i| i + 1));
    job.push(brackets, punct, Color32::TRANSPARENT);
    job.push(count, ui.visuals().weak_text_color(), Color32::TRANSPARENT);
    if rendered.line_text(fold.end_line as usize).trim_end().ends_with(',') {
        job.push(",", punct, Color32::TRANSPARENT);
    }
}

/// The marker before a line that opens a fold: a triangle pointing down (open) or right
/// (folded). Returns whether it was clicked.
fn marker_ui(ui: &mut egui::Ui, fold: Option<&Fold>, folded: bool, height: f32) -> bool {
    let sense = if fold.is_some() {
        egui::Sense::click()
    } else {
        egui::Sense::hover()
    };
    let (rect, response) = ui.allocate_exact_size(egui::vec2(GUTTER, height), sense);
    let Some(fold) = fold else { return false };
    let name = fold_name(&fold.path);
    let label = if folded {
        format!("Unfold {name}")
    } else {
        format!("Fold {name}")
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let color = if response.hovered() {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().weak_text_color()
    };
    // Nearer the left, so the line's text keeps a gap after it.
    let icon = egui::Rect::from_center_size(rect.left_center() + egui::vec2(6.5, 0.0), egui::vec2(8.0, 8.0));
    let rotation = if folded { -std::f32::consts::FRAC_PI_2 } else { 0.0 };
    ui.painter()
        .add(egui::epaint::Shape::rotated_triangle(icon, rotation, color));
    let lines = fold.end_line - fold.line + 1;
    response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(format!("{label} ({lines} lines)"))
        .clicked()
}

/// A line's context menu: fold or unfold its object or array, fold or unfold all, find.
fn menu_ui(ui: &mut egui::Ui, fold: Option<&Fold>, folded: bool, clicked: &mut Clicked) {
    if let Some(fold) = fold {
        let name = fold_name(&fold.path);
        let label = if folded {
            format!("Unfold {name}")
        } else {
            format!("Fold {name}")
        };
        if ui.button(label).clicked() {
            clicked.toggle = Some(fold.path.clone());
            ui.close();
        }
    }
    if ui.button("Fold all").clicked() {
        clicked.all = Some(true);
        ui.close();
    }
    if ui.button("Unfold all").clicked() {
        clicked.all = Some(false);
        ui.close();
    }
    ui.separator();
    if ui.button("Find in payload").clicked() {
        clicked.find = true;
        ui.close();
    }
}

/// A number or boolean of a line as a link over its text and a little around it: hover
/// underlines it and names what a click (or its context menu) charts.
fn value_ui(
    ui: &mut egui::Ui,
    text: &str,
    line_start: usize,
    value: &ValueAt,
    galley: &egui::Galley,
    origin: egui::Pos2,
) -> Option<String> {
    // The part of the value on this line (a value may be wrapped onto the next).
    let from = (value.start as usize).saturating_sub(line_start).min(text.len());
    let to = (value.end as usize).saturating_sub(line_start).min(text.len());
    let shown = text.get(from..to).filter(|s| !s.is_empty())?;
    let chars_before = text.get(..from)?.chars().count();
    let left = galley.pos_from_cursor(CCursor::new(chars_before));
    let right = galley.pos_from_cursor(CCursor::new(chars_before + shown.chars().count()));
    let token = egui::Rect::from_min_max(left.min, right.max).translate(origin.to_vec2());
    let id = ui.scope_id().with(("chart-value", value.start));
    let response = ui.interact(token.expand2(LINK_PADDING), id, egui::Sense::click());
    let path = &value.path;
    let name = if path.is_empty() { "the value" } else { path.as_str() };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, shown));
    if response.hovered() {
        let stroke = egui::Stroke::new(1.0, ui.visuals().hyperlink_color);
        ui.painter().hline(token.x_range(), token.bottom(), stroke);
    }
    let response = response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(format!("Chart {name}"));
    let mut chart = response.clicked().then(|| path.clone());
    response.context_menu(|ui| {
        if ui.button(format!("Chart {name}")).clicked() {
            chart = Some(path.clone());
            ui.close();
        }
    });
    chart
}
