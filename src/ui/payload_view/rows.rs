//! Which lines of a rendering are on screen when some of its objects and arrays are folded:
//! the lines in order, a folded one standing for the lines it hides. Built once when the
//! rendering or the folds change, never per frame; with nothing folded it holds nothing.

use std::collections::HashSet;

use crate::payload::folds::Folds;

/// The lines shown, one a row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// The line of each row, in order; `None` when every line is shown.
    lines: Option<Vec<u32>>,
    /// The rendering's line count.
    line_count: usize,
}

impl Rows {
    /// Every one of `line_count` lines, one a row.
    pub fn all(line_count: usize) -> Self {
        Self {
            lines: None,
            line_count,
        }
    }

    /// The rows of a rendering of `line_count` lines whose `folds` named in `folded` (by
    /// path) are folded: each stands on its first line, its other lines hidden. O(lines).
    pub fn new(line_count: usize, folds: &Folds, folded: &HashSet<String>) -> Self {
        if folded.is_empty() || folds.is_empty() {
            return Self::all(line_count);
        }
        let mut lines = Vec::new();
        let mut next = 0usize;
        for fold in folds.iter() {
            let (first, end) = (fold.line as usize, fold.end_line as usize);
            // Inside a fold already folded.
            if first < next || !folded.contains(&fold.path) {
                continue;
            }
            lines.extend((next..=first.min(line_count.saturating_sub(1))).filter_map(|l| u32::try_from(l).ok()));
            next = (end + 1).max(first + 1);
        }
        lines.extend((next..line_count).filter_map(|l| u32::try_from(l).ok()));
        Self {
            lines: Some(lines),
            line_count,
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.lines.as_ref().map_or(self.line_count, Vec::len)
    }

    /// The line row `row` shows.
    pub fn line(&self, row: usize) -> usize {
        match &self.lines {
            Some(lines) => lines.get(row).map_or(row, |&l| l as usize),
            None => row,
        }
    }

    /// The row that shows `line`, or the folded row that hides it.
    pub fn row_of(&self, line: usize) -> usize {
        match &self.lines {
            Some(lines) => lines.partition_point(|&l| l as usize <= line).saturating_sub(1),
            None => line.min(self.line_count.saturating_sub(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::{Format, render};

    fn rows_of(json: &str, folded: &[&str]) -> (crate::payload::Rendered, Rows) {
        let rendered = render(json.as_bytes(), Format::JSON, usize::MAX);
        let folds = Folds::of(&rendered);
        let folded = folded.iter().map(|&p| p.to_owned()).collect();
        let rows = Rows::new(rendered.line_count(), &folds, &folded);
        (rendered, rows)
    }

    fn shown(rendered: &crate::payload::Rendered, rows: &Rows) -> Vec<String> {
        (0..rows.len())
            .map(|r| rendered.line_text(rows.line(r)).trim().to_owned())
            .collect()
    }

    #[test]
    fn a_folded_object_stands_on_its_first_line() {
        let json = r#"{"a": {"x": 1, "y": 2}, "b": [1, 2], "c": 3}"#;
        let (r, rows) = rows_of(json, &[]);
        assert_eq!(rows.len(), r.line_count());
        let (r, rows) = rows_of(json, &["a"]);
        assert_eq!(
            shown(&r, &rows),
            ["{", "\"a\": {", "\"b\": [", "1,", "2", "],", "\"c\": 3", "}"]
        );
        // A line hidden in the fold is found at the fold's row.
        let y = (0..r.line_count())
            .find(|&l| r.line_text(l).contains("\"y\""))
            .expect("a line");
        assert_eq!(rows.row_of(y), 1);
        assert_eq!(rows.row_of(r.line_count() - 1), rows.len() - 1);
    }

    #[test]
    fn folds_inside_folded_ones_and_unknown_paths_change_nothing_more() {
        let json = r#"{"a": {"b": {"x": 1}, "z": 2}, "c": [1, 2]}"#;
        let (r, outer) = rows_of(json, &["a"]);
        let (_, both) = rows_of(json, &["a", "a.b", "gone"]);
        assert_eq!(outer, both);
        let (_, all) = rows_of(json, &["", "a", "c"]);
        assert_eq!((all.len(), shown(&r, &all)), (1, vec!["{".to_owned()]));
        let (r, c) = rows_of(json, &["c"]);
        assert_eq!(shown(&r, &c).last().map(String::as_str), Some("}"));
        assert_eq!(c.len(), r.line_count() - 3);
    }
}
