//! The format a topic is viewed in: automatic (detected), or picked by the user among the
//! registered formats, kept per topic while mqscope runs.

use std::collections::HashMap;

use eframe::egui;

use crate::model::NodeId;
use crate::payload::Format;
use crate::payload::formats::{self, Offered};

/// The formats picked, per topic.
#[derive(Default)]
pub struct Choice {
    /// Format picked by the user for the topic shown; `None` means automatic.
    chosen: Option<Format>,
    /// The topic `chosen` is of.
    chosen_for: Option<NodeId>,
    /// Formats picked per topic (a topic left on automatic has none).
    choices: HashMap<NodeId, Format>,
}

impl Choice {
    /// The format picked for topic `id`, `None` for automatic: each topic is shown as the user
    /// last picked for it.
    pub fn of(&mut self, id: NodeId) -> Option<Format> {
        if self.chosen_for != Some(id) {
            self.chosen = self.choices.get(&id).copied();
            self.chosen_for = Some(id);
        }
        self.chosen
    }

    /// Show topic `id` as `chosen` (automatically when `None`), now and when it is shown again.
    pub fn choose(&mut self, id: NodeId, chosen: Option<Format>) {
        self.chosen = chosen;
        match chosen {
            Some(format) => self.choices.insert(id, format),
            None => self.choices.remove(&id),
        };
    }
}

/// "View": Auto (with the detected format), a button per view, and a menu of the decoders;
/// what the user picks goes into `chosen`.
pub fn view_ui(ui: &mut egui::Ui, chosen: &mut Option<Format>, detected: Format) {
    ui.label("View");
    let auto_label = format!("Auto ({})", detected.label());
    if ui.selectable_label(chosen.is_none(), auto_label).clicked() {
        *chosen = None;
    }
    let offered = |kind: Offered| formats::ALL.iter().copied().filter(move |f| f.offered() == kind);
    for option in offered(Offered::View) {
        if ui.selectable_label(*chosen == Some(option), option.label()).clicked() {
            *chosen = Some(option);
        }
    }
    // The decoder in use, picked or detected (Sparkplug B on its topics).
    let decoding = Some(chosen.unwrap_or(detected)).filter(|f| f.offered() == Offered::Decoder);
    let decode_text = decoding.map_or("Decode…", Format::label);
    let combo = egui::ComboBox::from_id_salt("message-decode")
        .selected_text(decode_text)
        .show_ui(ui, |ui| {
            for option in offered(Offered::Decoder) {
                if ui.selectable_label(*chosen == Some(option), option.label()).clicked() {
                    *chosen = Some(option);
                }
            }
        });
    combo
        .response
        .on_hover_text("Show the payload decoded from base64, MessagePack, CBOR or Sparkplug B")
        .widget_info(|| {
            let mut info = egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Decode");
            info.current_text_value = Some(decode_text.to_owned());
            info
        });
}
