//! What changed between two messages, drawn a screenful of rows at a time: fields
//! by path (old struck out in red, new in green), lines, or runs of bytes.

use std::sync::Arc;

use eframe::egui::{self, Color32, RichText, TextStyle, text::LayoutJob};

use super::dialogs::Background;
use super::theme;
use crate::model::NodeId;
use crate::payload::diff::bytes::{self, ByteDiff};
use crate::payload::diff::json::{ChangeKind, JsonDiff, Shown};
use crate::payload::diff::lines::{Line, LineDiff};
use crate::payload::diff::{Body, Diff};
use crate::payload::text::group_digits;
use crate::payload::{Decoded, Format};

/// Payloads (both together) up to this size are compared at once; larger ones off the UI
/// thread, so a frame never waits for them.
pub const INLINE_BYTES: usize = 256 * 1024;

/// Which two messages are compared, and how: the topic, the older and newer messages'
/// history sequence numbers, and the format they are viewed in.
pub type Pair = (NodeId, u64, u64, Format);

/// The diff shown in the message panel: computed once per pair of messages and format.
#[derive(Default)]
pub struct DiffView {
    /// The pair the state is about.
    pair: Option<Pair>,
    state: State,
}

#[derive(Default)]
enum State {
    #[default]
    Empty,
    Computing(Background<Diff>),
    Done(Diff),
    Failed,
}

impl DiffView {
    /// Draw the diff from `older` to `newer` (the `pair`), both decoded in the pair's format,
    /// computing it when the pair is new; `since` is when the older message came.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        runtime: &tokio::runtime::Handle,
        pair: Pair,
        older: Arc<Decoded>,
        newer: Arc<Decoded>,
        since: &str,
    ) {
        if self.pair != Some(pair) {
            self.pair = Some(pair);
            self.state = if older.payload().len() + newer.payload().len() <= INLINE_BYTES {
                State::Done(newer.diff_from(&older))
            } else {
                State::Computing(Background::start(ui.ctx(), runtime, move || newer.diff_from(&older)))
            };
        }
        if let State::Computing(job) = &self.state {
            match job.poll() {
                None => {}
                Some(Ok(diff)) => self.state = State::Done(diff),
                Some(Err(())) => self.state = State::Failed,
            }
        }
        match &self.state {
            State::Done(diff) => diff_ui(ui, diff, since),
            State::Computing(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak(format!("Comparing with the message of {since}…"));
                });
            }
            State::Failed => {
                ui.label(RichText::new("Could not compare the two messages").color(theme::error_color(ui)));
            }
            State::Empty => {}
        }
    }
}

/// The diff of the message shown with the one received at `since`: a summary line, a note
/// when the payloads were not compared as their format says, then the changes.
fn diff_ui(ui: &mut egui::Ui, diff: &Diff, since: &str) {
    if diff.is_empty() {
        ui.weak(format!("No change since the message of {since}."));
    } else {
        ui.label(format!("Since the message of {since}: {}", diff.summary()));
    }
    if let Some(note) = &diff.note {
        ui.label(RichText::new(note).color(theme::warn_color(ui)));
    }
    if diff.is_empty() {
        return;
    }
    match &diff.body {
        Body::Json(json) => json_ui(ui, json),
        Body::Lines(lines) => lines_ui(ui, lines),
        Body::Bytes(bytes) => bytes_ui(ui, bytes),
    }
}

/// The colors of a diff.
struct Colors {
    added: Color32,
    removed: Color32,
    changed: Color32,
    weak: Color32,
}

impl Colors {
    fn of(ui: &egui::Ui) -> Self {
        Colors {
            added: theme::ok_color(ui),
            removed: theme::error_color(ui),
            changed: theme::warn_color(ui),
            weak: ui.visuals().weak_text_color(),
        }
    }
}

/// Fields added, removed or changed: kind, path, then old → new.
fn json_ui(ui: &mut egui::Ui, diff: &JsonDiff) {
    not_listed_ui(ui, diff.changes.len(), diff.more, "changes");
    let colors = Colors::of(ui);
    let kind_width = text_width(ui, "changed");
    // As wide as the longest path (monospace: by its length), within 40% of the row.
    let longest = diff.changes.iter().map(|c| c.path.chars().count()).max().unwrap_or(0);
    let path_width = (text_width(ui, "0") * longest.max(8) as f32)
        .min((ui.available_width() - kind_width) * 0.4)
        .max(64.0);
    rows_ui(ui, "message-diff-fields", diff.changes.len(), |ui, i| {
        let Some(change) = diff.changes.get(i) else { return };
        let (kind, kind_color) = match &change.kind {
            ChangeKind::Added(_) => ("added", colors.added),
            ChangeKind::Removed(_) => ("removed", colors.removed),
            ChangeKind::Changed { .. } => ("changed", colors.changed),
            ChangeKind::Resized { .. } => ("length", colors.weak),
        };
        cell_ui(ui, kind_width, |ui| {
            ui.label(RichText::new(kind).monospace().color(kind_color));
        });
        cell_ui(ui, path_width, |ui| {
            let path = if change.path.is_empty() {
                RichText::new("(whole message)").italics()
            } else {
                RichText::new(&change.path).monospace()
            };
            ui.add(egui::Label::new(path).truncate()).on_hover_text(&change.path);
        });
        let mut job = Job::new(ui);
        let mut hover = Vec::new();
        let mut copies: Vec<(&str, &Shown)> = Vec::new();
        match &change.kind {
            ChangeKind::Added(new) => {
                job.add(&new.to_string(), colors.added, false);
                hover.push(format!("+ {new}"));
                copies.push(("Copy the new value", new));
            }
            ChangeKind::Removed(old) => {
                job.add(&old.to_string(), colors.removed, true);
                hover.push(format!("- {old}"));
                copies.push(("Copy the old value", old));
            }
            ChangeKind::Changed { old, new } => {
                job.add(&old.to_string(), colors.removed, true);
                job.add(" → ", colors.weak, false);
                job.add(&new.to_string(), colors.added, false);
                if old.kind != new.kind {
                    job.add(
                        &format!("  ({} → {})", old.kind.name(), new.kind.name()),
                        colors.weak,
                        false,
                    );
                }
                hover.extend([format!("- {old}"), format!("+ {new}")]);
                copies.extend([("Copy the old value", old), ("Copy the new value", new)]);
            }
            ChangeKind::Resized { old_len, new_len } => {
                let text = format!(
                    "{} items → {}",
                    group_digits(*old_len as u64),
                    group_digits(*new_len as u64)
                );
                job.add(&text, colors.weak, false);
                hover.push(format!("The array had {old_len} items and has {new_len}"));
            }
        }
        let response = ui
            .add(egui::Label::new(job.job).truncate())
            .on_hover_text(hover.join("\n"));
        response.context_menu(|ui| {
            if ui.button("Copy the path").clicked() {
                ui.ctx().copy_text(change.path.clone());
                ui.close();
            }
            // A shortened value is not all there: only whole ones are offered.
            for (label, value) in copies.iter().filter(|(_, value)| !value.is_shortened()) {
                if ui.button(*label).clicked() {
                    ui.ctx().copy_text(value.text.clone());
                    ui.close();
                }
            }
        });
    });
}

/// Lines removed in red with `-`, added in green with `+`, folded stretches counted.
fn lines_ui(ui: &mut egui::Ui, diff: &LineDiff) {
    let colors = Colors::of(ui);
    let text_color = ui.visuals().text_color();
    let row_height = ui.text_style_height(&TextStyle::Monospace);
    egui::ScrollArea::both()
        .id_salt("message-diff")
        .auto_shrink(false)
        .show_rows(ui, row_height, diff.lines.len(), |ui, range| {
            for line in diff.lines.get(range).unwrap_or_default() {
                let (text, color) = match line {
                    Line::Same(text) => (format!("  {text}"), text_color),
                    Line::Removed(text) => (format!("- {text}"), colors.removed),
                    Line::Added(text) => (format!("+ {text}"), colors.added),
                    Line::Folded(count) => (
                        format!("  … {} unchanged", super::text::plural(*count as u64, "line", "lines")),
                        colors.weak,
                    ),
                };
                ui.add(egui::Label::new(RichText::new(text).monospace().color(color)).extend());
            }
        });
}

/// Runs of changed bytes: offsets, then old → new in hex; then the bytes appended or removed.
fn bytes_ui(ui: &mut egui::Ui, diff: &ByteDiff) {
    not_listed_ui(ui, diff.runs.len(), diff.more_runs, "runs of changed bytes");
    let colors = Colors::of(ui);
    let kind_width = text_width(ui, "appended");
    let offsets_width = text_width(ui, "00000000–00000000");
    let count = diff.runs.len() + usize::from(diff.tail.is_some());
    rows_ui(ui, "message-diff-bytes", count, |ui, i| {
        let mut job = Job::new(ui);
        let (kind, kind_color, offset, len) = if let Some(run) = diff.runs.get(i) {
            job.add(&bytes::hex(&run.old, run.len), colors.removed, true);
            job.add(" → ", colors.weak, false);
            job.add(&bytes::hex(&run.new, run.len), colors.added, false);
            ("changed", colors.changed, run.offset, run.len)
        } else if let Some(tail) = &diff.tail {
            let (kind, color) = if tail.appended {
                ("appended", colors.added)
            } else {
                ("removed", colors.removed)
            };
            job.add(&bytes::hex(&tail.bytes, tail.len), color, !tail.appended);
            (kind, color, tail.offset, tail.len)
        } else {
            return;
        };
        cell_ui(ui, kind_width, |ui| {
            ui.label(RichText::new(kind).monospace().color(kind_color));
        });
        let last = offset + len.saturating_sub(1);
        let offsets = if len > 1 {
            format!("{offset:08x}–{last:08x}")
        } else {
            format!("{offset:08x}")
        };
        cell_ui(ui, offsets_width, |ui| {
            ui.label(RichText::new(offsets).monospace()).on_hover_text(format!(
                "Offset {} to {} ({})",
                group_digits(offset as u64),
                group_digits(last as u64),
                super::text::plural(len as u64, "byte", "bytes")
            ));
        });
        ui.add(egui::Label::new(job.job).truncate());
    });
}

/// "Showing the first 500 changes; 1,234 more are not listed", when some are not.
fn not_listed_ui(ui: &mut egui::Ui, listed: usize, more: usize, what: &str) {
    if more > 0 {
        ui.weak(format!(
            "Showing the first {} {what}; {} more are not listed",
            group_digits(listed as u64),
            group_digits(more as u64)
        ));
    }
}

/// `count` rows of one line each, only the visible ones drawn.
fn rows_ui(ui: &mut egui::Ui, id_salt: &str, count: usize, mut row: impl FnMut(&mut egui::Ui, usize)) {
    let row_height = ui
        .text_style_height(&TextStyle::Monospace)
        .max(ui.spacing().interact_size.y);
    egui::ScrollArea::vertical()
        .id_salt(id_salt)
        .auto_shrink(false)
        .show_rows(ui, row_height, count, |ui, range| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            for i in range {
                ui.horizontal(|ui| row(ui, i));
            }
        });
}

/// A column of a row, `width` wide.
fn cell_ui(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    let size = egui::vec2(width, ui.available_height());
    ui.allocate_ui_with_layout(size, egui::Layout::left_to_right(egui::Align::Center), |ui| {
        ui.set_width(width);
        add(ui);
    });
}

/// Width of `text` in the monospace font.
fn text_width(ui: &egui::Ui, text: &str) -> f32 {
    let font = TextStyle::Monospace.resolve(ui.style());
    ui.painter()
        .layout_no_wrap(text.to_owned(), font, Color32::PLACEHOLDER)
        .size()
        .x
}

/// A line of monospace pieces in their colors.
struct Job {
    job: LayoutJob,
    font: egui::FontId,
}

impl Job {
    fn new(ui: &egui::Ui) -> Self {
        Job {
            job: LayoutJob::default(),
            font: TextStyle::Monospace.resolve(ui.style()),
        }
    }

    /// Append `text` in `color`, struck out when `struck`.
    fn add(&mut self, text: &str, color: Color32, struck: bool) {
        let mut format = egui::TextFormat::simple(self.font.clone(), color);
        if struck {
            format.strikethrough = egui::Stroke::new(1.0, color);
        }
        self.job.append(text, 0.0, format);
    }
}
