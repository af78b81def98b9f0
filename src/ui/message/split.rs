//! The handle between a message's sections (metadata, history, chart) and its payload:
//! dragged, it sets how tall the sections are; double-clicked, they take their own height again.

use eframe::egui;

/// The handle's height, in points.
const HANDLE_HEIGHT: f32 = 7.0;

/// How tall the sections are, when the user chose.
#[derive(Default)]
pub struct SectionsSplit {
    height: Option<f32>,
}

impl SectionsSplit {
    /// A scroll area for the sections: as tall as the user chose within `range`, or as its
    /// content up to `untouched`.
    pub fn area(&self, area: egui::ScrollArea, (min, max): (f32, f32), untouched: f32) -> egui::ScrollArea {
        match self.height {
            Some(height) => {
                let height = height.clamp(min, max);
                area.auto_shrink([false, false])
                    .min_scrolled_height(height)
                    .max_height(height)
            }
            None => area.auto_shrink([false, true]).max_height(untouched),
        }
    }

    /// The handle under sections drawn `shown` tall; a drag makes them taller or shorter within
    /// `range`.
    pub fn handle_ui(&mut self, ui: &mut egui::Ui, shown: f32, (min, max): (f32, f32)) {
        let (rect, response) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), HANDLE_HEIGHT),
            egui::Sense::click_and_drag(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Splitter, true, "Resize the message sections"));
        let active = response.hovered() || response.dragged();
        let stroke = if active {
            ui.visuals().widgets.active.fg_stroke
        } else {
            ui.visuals().widgets.noninteractive.bg_stroke
        };
        ui.painter().hline(rect.x_range(), rect.center().y, stroke);
        let response = response
            .on_hover_cursor(egui::CursorIcon::ResizeRow)
            .on_hover_text("Drag to give the payload more or less room; double-click to reset");
        if response.double_clicked() {
            self.height = None;
        } else if response.dragged() {
            let from = self.height.unwrap_or(shown);
            self.height = Some((from + response.drag_delta().y).clamp(min, max.max(min)));
        }
    }
}
