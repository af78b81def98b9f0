//! What changed between two payloads: both rendered the same way (pretty
//! JSON, text or hex dump), then compared line by line (the `similar` crate's
//! Myers diff), with unchanged stretches folded to a few lines of context.

use similar::{ChangeTag, TextDiff};

use super::{Format, render};

/// Bytes of each payload compared at most (the rendering's limit).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Unchanged lines kept around each change.
pub const CONTEXT: usize = 3;

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// In both.
    Same(String),
    /// Only in the older payload.
    Removed(String),
    /// Only in the newer payload.
    Added(String),
    /// This many unchanged lines, not shown.
    Folded(usize),
}

/// A diff, and its totals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// The lines, with unchanged stretches folded.
    pub lines: Vec<Line>,
    /// Lines only in the newer payload.
    pub added: usize,
    /// Lines only in the older payload.
    pub removed: usize,
}

impl Diff {
    /// Whether the two payloads render the same.
    pub fn is_empty(&self) -> bool {
        self.added == 0 && self.removed == 0
    }
}

/// The difference from `older` to `newer`, both shown as `format`.
pub fn diff(older: &[u8], newer: &[u8], format: Format) -> Diff {
    let old = render(older, format, MAX_BYTES).text;
    let new = render(newer, format, MAX_BYTES).text;
    let text_diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(&old, &new);
    let mut result = Diff::default();
    let changes: Vec<(ChangeTag, String)> = text_diff
        .iter_all_changes()
        .map(|change| {
            let text = change.value().trim_end_matches('\n').to_owned();
            (change.tag(), text)
        })
        .collect();
    // An unchanged line is kept when a change is within CONTEXT lines of it.
    let near_change: Vec<bool> = {
        let mut near = vec![false; changes.len()];
        for (i, (tag, _)) in changes.iter().enumerate() {
            if *tag != ChangeTag::Equal {
                let from = i.saturating_sub(CONTEXT);
                let to = (i + CONTEXT + 1).min(changes.len());
                near[from..to].iter_mut().for_each(|n| *n = true);
            }
        }
        near
    };
    let mut folded = 0;
    for ((tag, text), near) in changes.into_iter().zip(near_change) {
        if tag == ChangeTag::Equal && !near {
            folded += 1;
            continue;
        }
        if folded > 0 {
            result.lines.push(Line::Folded(folded));
            folded = 0;
        }
        result.lines.push(match tag {
            ChangeTag::Equal => Line::Same(text),
            ChangeTag::Delete => {
                result.removed += 1;
                Line::Removed(text)
            }
            ChangeTag::Insert => {
                result.added += 1;
                Line::Added(text)
            }
        });
    }
    if folded > 0 {
        result.lines.push(Line::Folded(folded));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_compared_field_by_field_after_pretty_printing() {
        let older = br#"{"temperature":21.5,"humidity":40,"mode":"heat"}"#;
        let newer = br#"{"temperature":22.0,"humidity":40,"mode":"heat"}"#;
        let diff = diff(older, newer, Format::Json);
        assert_eq!((diff.added, diff.removed), (1, 1));
        assert!(
            diff.lines.contains(&Line::Removed("  \"temperature\": 21.5,".into())),
            "{:?}",
            diff.lines
        );
        assert!(diff.lines.contains(&Line::Added("  \"temperature\": 22.0,".into())));
        assert!(diff.lines.contains(&Line::Same("  \"humidity\": 40,".into())));
    }

    #[test]
    fn long_unchanged_stretches_are_folded() {
        let lines: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        let older = lines.join("\n");
        let mut changed = lines.clone();
        changed[50] = "changed".into();
        let newer = changed.join("\n");
        let diff = diff(older.as_bytes(), newer.as_bytes(), Format::Text);
        assert_eq!((diff.added, diff.removed), (1, 1));
        assert_eq!(diff.lines.first(), Some(&Line::Folded(50 - CONTEXT)));
        assert_eq!(diff.lines.last(), Some(&Line::Folded(100 - 51 - CONTEXT)));
        assert_eq!(diff.lines.len(), 2 + 2 * CONTEXT + 2);
    }

    #[test]
    fn binary_payloads_are_compared_as_hex_and_equal_ones_are_empty() {
        let diff_hex = diff(&[0, 1, 2, 3], &[0, 1, 9, 3], Format::Hex);
        assert_eq!((diff_hex.added, diff_hex.removed), (1, 1));
        assert!(diff(b"same", b"same", Format::Text).is_empty());
    }
}
