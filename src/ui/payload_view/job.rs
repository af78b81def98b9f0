//! A line of the payload as a layout job: its highlight colors, with the find bar's matches
//! on it as backgrounds.

use std::ops::Range;

use eframe::egui::{self, Color32, FontId, TextStyle, text::LayoutJob};

use crate::payload::Span;
use crate::ui::theme;

/// A background over part of a line: a byte range of the line's text, and its fill.
pub type Mark = (Range<usize>, Color32);

/// A monospace layout job built piece by piece; touching pieces of one look become one section.
pub struct Job {
    job: LayoutJob,
    font: FontId,
}

impl Job {
    /// An empty line in the payload's font.
    pub fn new(ui: &egui::Ui) -> Self {
        Self {
            job: LayoutJob::default(),
            font: TextStyle::Monospace.resolve(ui.style()),
        }
    }

    /// Appends `text` in `color` over `fill`.
    pub fn push(&mut self, text: &str, color: Color32, fill: Color32) {
        if text.is_empty() {
            return;
        }
        let mut format = egui::TextFormat::simple(self.font.clone(), color);
        format.background = fill;
        if let Some(last) = self.job.sections.last_mut()
            && last.format == format
            && last.byte_range.end == egui::text::ByteIndex(self.job.text.len())
        {
            self.job.text.push_str(text);
            last.byte_range.end = egui::text::ByteIndex(self.job.text.len());
            return;
        }
        self.job.append(text, 0.0, format);
    }

    /// Appends `text`, which starts at byte `at` of its line, in `color`, with the `marks` of
    /// the line (sorted, not overlapping) as backgrounds.
    pub fn push_marked(&mut self, text: &str, at: usize, color: Color32, marks: &[Mark]) {
        let end = at + text.len();
        let mut done = at;
        for (range, fill) in marks {
            let (start, stop) = (range.start.max(done), range.end.min(end));
            if start >= stop {
                continue;
            }
            if let Some(plain) = text.get(done - at..start - at) {
                self.push(plain, color, Color32::TRANSPARENT);
            }
            if let Some(marked) = text.get(start - at..stop - at) {
                self.push(marked, color, *fill);
            }
            done = stop;
        }
        if let Some(rest) = text.get(done - at..) {
            self.push(rest, color, Color32::TRANSPARENT);
        }
    }

    /// The job.
    pub fn finish(self) -> LayoutJob {
        self.job
    }
}

/// The first `upto` bytes of a highlighted line (`text` and its `spans`, relative to it) as a
/// job, with `marks` as backgrounds.
pub fn line_job(ui: &egui::Ui, text: &str, spans: &[Span], marks: &[Mark], upto: usize) -> Job {
    let mut job = Job::new(ui);
    let plain = ui.visuals().text_color();
    let upto = upto.min(text.len());
    let mut at = 0usize;
    for span in spans {
        let (start, end) = ((span.start as usize).min(upto), (span.end as usize).min(upto));
        if start > at
            && let Some(gap) = text.get(at..start)
        {
            job.push_marked(gap, at, plain, marks);
        }
        if let Some(piece) = text.get(start.max(at)..end) {
            job.push_marked(piece, start.max(at), theme::token_color(ui, span.kind), marks);
        }
        at = at.max(end);
    }
    if let Some(rest) = text.get(at..upto) {
        job.push_marked(rest, at, plain, marks);
    }
    job
}
