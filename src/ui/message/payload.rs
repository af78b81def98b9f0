//! The payload area: what can be done with the payload (diff, copy, save), notes on how it is
//! shown, and the payload itself, or what changed since the message compared with.

use std::sync::Arc;

use bytes::Bytes;
use eframe::egui::{self, RichText};

use super::cache::Rendering;
use crate::model::history::Entry;
use crate::model::{Message, NodeId};
use crate::payload::Decoded;
use crate::payload::text::human_bytes;
use crate::ui::dialogs::Saved;
use crate::ui::diff::{DiffView, Pair};
use crate::ui::payload_view::{Document, PayloadView, Shown};
use crate::ui::theme;

/// A payload to save, every byte.
pub struct Payload(pub Bytes);

impl Saved for Payload {
    const EXAMPLE_PATH: &'static str = "/path/to/payload.bin";

    fn write(self, path: &std::path::Path) -> Result<String, String> {
        match std::fs::write(path, &self.0) {
            Ok(()) => Ok(format!("Saved to {}", path.display())),
            Err(error) => Err(format!("Could not save to {}: {error}", path.display())),
        }
    }
}

/// The time of a message, as the diff names it: `14:03:07.250`.
fn since(entry: &Entry) -> String {
    let local: chrono::DateTime<chrono::Local> = entry.message.received_at.into();
    local.format("%H:%M:%S%.3f").to_string()
}

/// "Diff" (when there is a message to compare with), "Copy payload", "Save payload…", and
/// for the payload shown (not a diff) "Find", and "Fold all" and "Unfold all" when it has
/// objects or arrays that fold; returns whether saving was asked for.
pub fn actions_ui(
    ui: &mut egui::Ui,
    diff: &mut bool,
    view: &mut PayloadView,
    base: Option<&Entry>,
    message: &Message,
) -> bool {
    if let Some(base) = base {
        let response = ui.selectable_label(*diff, "Diff").on_hover_text(format!(
            "Show what changed since the message of {} (right-click a message in the history to compare with it)",
            since(base)
        ));
        if response.clicked() {
            *diff = !*diff;
        }
    }
    if ui
        .button("Copy payload")
        .on_hover_text("Copy the payload as text")
        .clicked()
    {
        ui.ctx()
            .copy_text(String::from_utf8_lossy(&message.payload).into_owned());
    }
    let save = ui
        .button("Save payload…")
        .on_hover_text("Save every byte to a file")
        .clicked();
    if *diff && base.is_some() {
        return save;
    }
    if ui
        .add(
            egui::Button::new("Find")
                .selected(view.finding())
                .frame_when_inactive(true),
        )
        .on_hover_text("Find text in the payload, or bytes in hex (Ctrl+F)")
        .clicked()
    {
        view.toggle_find();
    }
    if view.foldable() {
        if ui
            .button("Fold all")
            .on_hover_text("Fold every object and array below the top level")
            .clicked()
        {
            view.fold_all(true);
        }
        if ui
            .button("Unfold all")
            .on_hover_text("Unfold every object and array")
            .clicked()
        {
            view.fold_all(false);
        }
    }
    save
}

/// Why the payload is not shown as asked, and how much of it is shown when not all.
pub fn notes_ui(ui: &mut egui::Ui, rendering: &Rendering) {
    let Some(rendered) = &rendering.rendered else { return };
    if let Some(note) = &rendered.note {
        ui.label(RichText::new(note).color(theme::warn_color(ui)));
    }
    if rendered.is_cut() {
        ui.label(
            RichText::new(format!(
                "Showing {} of {}: save the payload to see all of it, or switch to Hex, which shows every byte",
                human_bytes(rendered.shown_bytes as u64),
                human_bytes(rendered.total_bytes as u64)
            ))
            .color(theme::warn_color(ui)),
        );
    }
}

/// The payload of topic `id`'s message `seq` (`picked` in its history, or the latest): every
/// byte as hex, or its rendering, whose objects and arrays fold and whose numbers can be
/// clicked; returns the path of a number to chart.
pub fn payload_ui(
    ui: &mut egui::Ui,
    view: &mut PayloadView,
    (id, picked, seq): (NodeId, Option<u64>, u64),
    decoded: &Decoded,
    rendering: &Rendering,
) -> Option<String> {
    let doc = Document {
        shown: Shown {
            topic: egui::Id::unique((id, decoded.format())),
            picked,
            seq,
        },
        decoded,
        rendered: rendering.rendered.as_ref(),
        paths: &rendering.paths,
        folds: &rendering.folds,
    };
    egui::Frame::group(ui.style())
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            view.ui(ui, &doc)
        })
        .inner
}

/// What changed from `base` (decoded as `older`) to the message shown (`newer`).
pub fn diff_ui(
    ui: &mut egui::Ui,
    view: &mut DiffView,
    runtime: &tokio::runtime::Handle,
    pair: Pair,
    base: &Entry,
    (older, newer): (Arc<Decoded>, Arc<Decoded>),
) {
    let since = since(base);
    egui::Frame::group(ui.style()).inner_margin(6.0).show(ui, |ui| {
        ui.set_min_size(ui.available_size());
        view.ui(ui, runtime, pair, older, newer, &since);
    });
}
