//! One row of a hex dump: the offset, the bytes in hex and the same bytes as ASCII, with the
//! find bar's matches marked in both columns.

use eframe::egui::{self, Color32};

use super::job::Job;
use crate::payload::find::Matches;
use crate::payload::hex::Columns;
use crate::ui::theme;

/// Row `row` of the dump of `payload` in lines of `columns`, with `found` (the matches and the
/// current one) marked.
pub fn row_ui(
    ui: &mut egui::Ui,
    payload: &[u8],
    columns: Columns,
    row: usize,
    found: Option<(&Matches, Option<usize>)>,
) {
    let n = columns.per_line();
    let start = row.saturating_mul(n);
    let chunk = payload.get(start..).unwrap_or_default();
    let chunk = chunk.get(..n).unwrap_or(chunk);
    let fills = fills(ui, found, start, chunk.len());
    let fill = |j: usize| fills.get(j).copied().unwrap_or(Color32::TRANSPARENT);
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let ascii = theme::token_color(ui, crate::payload::TokenKind::String);
    let mut job = Job::new(ui);
    job.push(&format!("{start:08x}"), weak, Color32::TRANSPARENT);
    job.push("  ", text, Color32::TRANSPARENT);
    for j in 0..n {
        match chunk.get(j) {
            Some(b) => job.push(&format!("{b:02x}"), text, fill(j)),
            None => job.push("  ", text, Color32::TRANSPARENT),
        }
        // The space after a byte is marked when the next byte is in the same match.
        let between = if j + 1 < chunk.len() && fill(j) == fill(j + 1) {
            fill(j)
        } else {
            Color32::TRANSPARENT
        };
        job.push(" ", text, between);
        if j % 8 == 7 && j + 1 < n {
            job.push(" ", text, between);
        }
    }
    job.push(" |", weak, Color32::TRANSPARENT);
    for (j, &b) in chunk.iter().enumerate() {
        let c = if b == b' ' || b.is_ascii_graphic() {
            char::from(b)
        } else {
            '.'
        };
        job.push(c.encode_utf8(&mut [0; 4]), ascii, fill(j));
    }
    job.push("|", weak, Color32::TRANSPARENT);
    ui.add(egui::Label::new(job.finish()).extend());
}

/// The background of each of `len` bytes from `start`: the current match's, another match's,
/// or none.
fn fills(ui: &egui::Ui, found: Option<(&Matches, Option<usize>)>, start: usize, len: usize) -> Vec<Color32> {
    let mut fills = vec![Color32::TRANSPARENT; len];
    let Some((matches, current)) = found else { return fills };
    for i in matches.within(start, start + len) {
        let Some(range) = matches.get(i) else { continue };
        let fill = if Some(i) == current {
            theme::find_current_fill(ui)
        } else {
            theme::find_match_fill(ui)
        };
        for j in range.start.max(start)..range.end.min(start + len) {
            if let Some(slot) = fills.get_mut(j - start) {
                *slot = fill;
            }
        }
    }
    fills
}
