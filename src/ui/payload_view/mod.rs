//! A decoded payload drawn a screenful at a time, so a payload of any size scrolls
//! smoothly: its rendering, whose objects and arrays fold and whose numbers can be clicked to
//! chart them, or, for a format that shows every byte, its hex dump, as wide as the panel
//! allows. A find bar marks every match; PageUp, PageDown, Home and End move through it.
//!
//! Its pieces: `rows` (the lines shown when some are folded), `lines` (a row of a rendering),
//! `hex` (a row of the dump), `find` (the find bar), `job` (a line's colors and marks) and
//! `keys` (the keyboard).

mod find;
mod hex;
pub(crate) mod job;
mod keys;
mod lines;
mod rows;

use std::collections::HashSet;

use eframe::egui::{self, TextStyle};

use crate::payload::folds::Folds;
use crate::payload::hex::Columns;
use crate::payload::paths::ValuePaths;
use crate::payload::{Decoded, Rendered};
use find::{Find, Haystack};
use lines::{GUTTER, Lines};
use rows::Rows;

/// Which document is shown, so the view knows when to start again at the top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The topic and the format it is viewed in: folds belong to them, and another opens at
    /// the top.
    pub topic: egui::Id,
    /// The message picked in the topic's history, `None` for the latest: another opens at the
    /// top.
    pub picked: Option<u64>,
    /// The message drawn: a newer latest one keeps the place and the folds.
    pub seq: u64,
}

/// A payload to draw.
pub struct Document<'a> {
    /// Which it is.
    pub shown: Shown,
    /// The payload decoded.
    pub decoded: &'a Decoded,
    /// Its rendering; `None` when its format shows every byte (hex).
    pub rendered: Option<&'a Rendered>,
    /// Where the rendering's numbers are, to chart them.
    pub paths: &'a ValuePaths,
    /// The rendering's objects and arrays that fold.
    pub folds: &'a Folds,
}

impl Document<'_> {
    /// The version of the document searched and laid out: a new message, another format.
    fn version(&self) -> egui::Id {
        egui::Id::unique((self.shown.topic, self.shown.seq, self.rendered.is_some()))
    }
}

/// The rows of the rendering shown, built when it or its folds change.
struct Layout {
    /// What they were built for: the document's version and the folds' version.
    key: (egui::Id, u64),
    rows: Rows,
    /// The longest line, in characters, so the width does not change while scrolling.
    widest_chars: usize,
}

/// What the payload view remembers between frames.
#[derive(Default)]
pub struct PayloadView {
    /// The document drawn last.
    shown: Option<Shown>,
    /// The paths of the objects and arrays folded in the topic shown.
    folded: HashSet<String>,
    /// Changes with every change of `folded`.
    folds_version: u64,
    layout: Option<Layout>,
    find: Find,
    scroll: keys::Scroll,
    /// The hex dump's width last drawn.
    columns: Option<Columns>,
    /// Whether the document drawn last had objects or arrays to fold.
    foldable: bool,
    /// Fold all (true) or unfold all (false), asked from the toolbar for the next frame.
    fold_all: Option<bool>,
}

fn row_height(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&TextStyle::Monospace)
}

/// The width of a character of the payload's font.
fn char_width(ui: &egui::Ui) -> f32 {
    let font = TextStyle::Monospace.resolve(ui.style());
    ui.ctx().fonts_mut(|f| f.glyph_width(&font, '0')).max(1.0)
}

impl PayloadView {
    /// Whether the find bar is open.
    pub fn finding(&self) -> bool {
        self.find.open
    }

    /// Open the find bar, or close it when open.
    pub fn toggle_find(&mut self) {
        if self.find.open {
            self.find.open = false;
        } else {
            self.find.open();
        }
    }

    /// Whether the payload drawn last has objects or arrays to fold.
    pub fn foldable(&self) -> bool {
        self.foldable
    }

    /// Fold every object and array below the top level (true), or unfold them all (false),
    /// on the next frame.
    pub fn fold_all(&mut self, fold: bool) {
        self.fold_all = Some(fold);
    }

    /// Draw `doc`; returns the path of a number to chart.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document<'_>) -> Option<String> {
        self.follow(doc);
        let keys = self.scroll.keys_ui(ui);
        if keys.find {
            self.find.open();
        }
        if self.find.open {
            let asked = self.find.bar_ui(ui, keys.ours);
            if asked.reveal {
                self.scroll.reveal = true;
            }
            ui.add_space(2.0);
        }
        let chart = match doc.rendered {
            Some(rendered) if !doc.decoded.format().every_byte() => self.rendered_ui(ui, doc, rendered),
            _ => {
                self.hex_ui(ui, doc);
                None
            }
        };
        let foldable = doc.rendered.is_some() && !doc.folds.is_empty();
        if std::mem::replace(&mut self.foldable, foldable) != foldable {
            // The toolbar shows the fold buttons from what was drawn.
            ui.ctx().request_repaint();
        }
        chart
    }

    /// Start at the top for another topic, format or picked message; forget the folds of
    /// another topic; carry out a fold asked from the toolbar.
    fn follow(&mut self, doc: &Document<'_>) {
        let before = self.shown.replace(doc.shown);
        let topic_changed = before.is_none_or(|b| b.topic != doc.shown.topic);
        if topic_changed || before.is_some_and(|b| b.picked != doc.shown.picked) {
            self.scroll.go_to_top();
        }
        if topic_changed && !self.folded.is_empty() {
            self.folded.clear();
            self.folds_version += 1;
        }
        if let Some(fold) = self.fold_all.take() {
            self.folded.clear();
            if fold {
                // The top level stays open, showing its keys or items folded.
                let below_top = doc.folds.iter().filter(|f| !f.path.is_empty());
                self.folded.extend(below_top.map(|f| f.path.clone()));
            }
            self.folds_version += 1;
        }
    }

    /// The rows of `rendered`, built again only when it or the folds changed.
    fn layout(&mut self, doc: &Document<'_>, rendered: &Rendered) -> &Layout {
        let key = (doc.version(), self.folds_version);
        match self.layout.take() {
            Some(layout) if layout.key == key => self.layout.insert(layout),
            before => {
                let widest_chars = match before {
                    Some(layout) if layout.key.0 == key.0 => layout.widest_chars,
                    _ => (0..rendered.line_count())
                        .map(|i| rendered.line_text(i).chars().count())
                        .max()
                        .unwrap_or(0),
                };
                let rows = Rows::new(rendered.line_count(), doc.folds, &self.folded);
                self.layout.insert(Layout {
                    key,
                    rows,
                    widest_chars,
                })
            }
        }
    }

    /// Fold or unfold the object or array at `path`.
    fn toggle(&mut self, path: String) {
        if !self.folded.remove(&path) {
            self.folded.insert(path);
        }
        self.folds_version += 1;
    }

    /// The rendering's visible rows, with its fold markers, links and matches.
    fn rendered_ui(&mut self, ui: &mut egui::Ui, doc: &Document<'_>, rendered: &Rendered) -> Option<String> {
        let height = row_height(ui);
        let char_width = char_width(ui);
        let gutter = if doc.folds.is_empty() { 0.0 } else { GUTTER };
        let top_row = self.scroll.top_row(height);
        let top = {
            let rows = &self.layout(doc, rendered).rows;
            let line = rows.line(top_row.min(rows.len().saturating_sub(1)));
            rendered.line_starts.get(line).map_or(0, |&s| s as usize)
        };
        if self.find.search(doc.version(), &Haystack::Text(&rendered.text), top) {
            self.scroll.reveal = true;
        }
        if std::mem::take(&mut self.scroll.reveal)
            && let Some(found) = self
                .find
                .current()
                .and_then(|i| self.find.matches().and_then(|m| m.get(i)))
        {
            // A match inside folded objects or arrays unfolds them.
            let hiding: Vec<String> = doc
                .folds
                .hiding(found.start)
                .filter(|f| self.folded.contains(&f.path))
                .map(|f| f.path.clone())
                .collect();
            if !hiding.is_empty() {
                hiding.iter().for_each(|path| {
                    self.folded.remove(path);
                });
                self.folds_version += 1;
            }
            let line = rendered
                .line_starts
                .partition_point(|&s| s as usize <= found.start)
                .saturating_sub(1);
            let row = self.layout(doc, rendered).rows.row_of(line);
            let line_start = rendered.line_starts.get(line).map_or(0, |&s| s as usize);
            let column = rendered
                .text
                .get(line_start..found.start)
                .map_or(0, |t| t.chars().count());
            let x = gutter + column as f32 * char_width;
            let width = (found.end - found.start) as f32 * char_width;
            self.scroll.bring_into_view(row, height, x..=x + width);
        }
        self.layout(doc, rendered);
        let Some(Layout { rows, widest_chars, .. }) = &self.layout else {
            return None;
        };
        let widest = *widest_chars;
        let lines = Lines {
            rendered,
            paths: doc.paths,
            folds: doc.folds,
            folded: &self.folded,
            found: self.find.matches().map(|m| (m, self.find.current())),
        };
        let mut clicked = lines::Clicked::default();
        ui.spacing_mut().item_spacing.y = 0.0;
        let area = self.scroll.area("payload-lines");
        let output = area.show_rows(ui, height, rows.len(), |ui, range| {
            ui.set_min_width(gutter + widest as f32 * char_width);
            for row in range {
                lines::row_ui(ui, &lines, rows.line(row), height, &mut clicked);
            }
        });
        self.scroll.drawn(ui, &output);
        if let Some(path) = clicked.toggle {
            self.toggle(path);
        }
        if let Some(fold) = clicked.all {
            self.fold_all(fold);
        }
        if clicked.find {
            self.find.open();
        }
        clicked.chart
    }

    /// Every byte as hex, as many a line as the panel's width shows with the ASCII column.
    fn hex_ui(&mut self, ui: &mut egui::Ui, doc: &Document<'_>) {
        let payload = doc.decoded.payload();
        let height = row_height(ui);
        let char_width = char_width(ui);
        let room = ui.available_width() - ui.spacing().scroll.bar_width - 4.0;
        let columns = Columns::fitting((room / char_width).max(0.0) as usize);
        let before = self.columns.replace(columns);
        let top = self.scroll.top_row(height) * columns.per_line();
        if self.find.search(doc.version(), &Haystack::Bytes(payload), top) {
            self.scroll.reveal = true;
        }
        if before.is_some_and(|b| b != columns) && !self.scroll.reveal {
            // The same bytes stay at the top when the width changes.
            let per_line = before.map_or(1, Columns::per_line);
            let first = self.scroll.top_row(height) * per_line;
            self.scroll.bring_row_to_top(first / columns.per_line(), height);
        }
        if std::mem::take(&mut self.scroll.reveal)
            && let Some(found) = self
                .find
                .current()
                .and_then(|i| self.find.matches().and_then(|m| m.get(i)))
        {
            self.scroll
                .bring_into_view(found.start / columns.per_line(), height, 0.0..=0.0);
        }
        let found = self.find.matches().map(|m| (m, self.find.current()));
        ui.spacing_mut().item_spacing.y = 0.0;
        let area = self.scroll.area("payload-hex");
        let output = area.show_rows(ui, height, columns.line_count(payload.len()), |ui, range| {
            for row in range {
                hex::row_ui(ui, payload, columns, row, found);
            }
        });
        self.scroll.drawn(ui, &output);
    }
}
