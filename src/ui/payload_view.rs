//! Payload text drawn a screenful at a time, so a payload of any size scrolls smoothly.

use eframe::egui::{self, TextStyle};

use super::message::line_job;
use crate::payload::{Rendered, hex};

fn row_height(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&TextStyle::Monospace)
}

/// Highlighted lines of a rendered payload.
pub fn rendered_ui(ui: &mut egui::Ui, rendered: &Rendered) {
    let height = row_height(ui);
    ui.spacing_mut().item_spacing.y = 0.0;
    egui::ScrollArea::both()
        .id_salt("payload-lines")
        .auto_shrink(false)
        .show_rows(ui, height, rendered.line_count(), |ui, range| {
            for i in range {
                let (text, spans) = rendered.line(i);
                let job = line_job(ui, text, &spans);
                ui.add(egui::Label::new(job).extend());
            }
        });
}

/// A hex dump of every byte: offset, hex, ASCII.
pub fn hex_ui(ui: &mut egui::Ui, payload: &[u8]) {
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
