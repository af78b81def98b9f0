//! A decoded payload drawn a screenful at a time, so a payload of any size scrolls
//! smoothly: its rendering, whose numbers can be clicked to chart them, or, for a format that
//! shows every byte, its hex dump.

use eframe::egui::{self, TextStyle, text::CCursor};

use super::text::line_job;
use crate::payload::paths::{ValueAt, ValuePaths};
use crate::payload::{Decoded, Rendered, hex};

fn row_height(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&TextStyle::Monospace)
}

/// `decoded` as its format shows it: every byte as hex, or `rendered` (its rendering) with
/// the numbers and booleans `paths` knows as links. Returns the path of a number to chart.
pub fn decoded_ui(
    ui: &mut egui::Ui,
    decoded: &Decoded,
    rendered: Option<&Rendered>,
    paths: &ValuePaths,
) -> Option<String> {
    if decoded.format().every_byte() {
        hex_ui(ui, decoded.payload());
        None
    } else {
        rendered.and_then(|rendered| rendered_ui(ui, rendered, Some(paths)))
    }
}

/// Highlighted lines of a rendered payload. The numbers and booleans `paths` knows are links:
/// a click (or "Chart …" in their context menu) returns the path to chart.
fn rendered_ui(ui: &mut egui::Ui, rendered: &Rendered, paths: Option<&ValuePaths>) -> Option<String> {
    let height = row_height(ui);
    ui.spacing_mut().item_spacing.y = 0.0;
    let mut chart = None;
    egui::ScrollArea::both()
        .id_salt("payload-lines")
        .auto_shrink(false)
        .show_rows(ui, height, rendered.line_count(), |ui, range| {
            for i in range {
                let (text, spans) = rendered.line(i);
                let job = line_job(ui, text, &spans);
                let values = match (paths, rendered.line_starts.get(i)) {
                    (Some(paths), Some(&start)) => paths.within(start as usize, start as usize + text.len()),
                    _ => &[],
                };
                if values.is_empty() {
                    ui.add(egui::Label::new(job).extend());
                    continue;
                }
                let line = ui.add(egui::Label::new(job.clone()).extend());
                let galley = ui.painter().layout_job(job);
                let start = rendered.line_starts.get(i).map_or(0, |&s| s as usize);
                for value in values {
                    if let Some(path) = value_ui(ui, text, start, value, &galley, line.rect.min) {
                        chart = Some(path);
                    }
                }
            }
        });
    chart
}

/// A number or boolean of a line as a link over its text: hover says what a click charts.
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
    let rect = egui::Rect::from_min_max(left.min, right.max).translate(origin.to_vec2());
    let id = ui.scope_id().with(("chart-value", value.start));
    let response = ui.interact(rect, id, egui::Sense::click());
    let path = &value.path;
    let name = if path.is_empty() { "value" } else { path.as_str() };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, shown));
    if response.hovered() {
        let stroke = egui::Stroke::new(1.0, ui.visuals().hyperlink_color);
        ui.painter().hline(rect.x_range(), rect.bottom(), stroke);
    }
    let response = response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(format!("Click to chart {name}"));
    let mut chart = response.clicked().then(|| path.clone());
    response.context_menu(|ui| {
        if ui.button(format!("Chart {name}")).clicked() {
            chart = Some(path.clone());
            ui.close();
        }
    });
    chart
}

/// A hex dump of every byte: offset, hex, ASCII.
fn hex_ui(ui: &mut egui::Ui, payload: &[u8]) {
    let height = row_height(ui);
    ui.spacing_mut().item_spacing.y = 0.0;
    egui::ScrollArea::both()
        .id_salt("payload-hex")
        .auto_shrink(false)
        .show_rows(ui, height, hex::line_count(payload.len()), |ui, range| {
            for i in range {
                ui.add(egui::Label::new(egui::RichText::new(hex::line(payload, i)).monospace()).extend());
            }
        });
}
