//! A line diff of two texts (the `similar` crate's Myers diff), with unchanged
//! stretches folded to a few lines of context.

use similar::{ChangeTag, TextDiff};

/// Unchanged lines kept around each change.
pub const CONTEXT: usize = 3;

/// How long the line matching may take before it settles for a coarser diff.
const TIMEOUT_MILLIS: u64 = 200;

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

/// A line diff, and its totals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineDiff {
    /// The lines, with unchanged stretches folded.
    pub lines: Vec<Line>,
    /// Lines only in the newer payload.
    pub added: usize,
    /// Lines only in the older payload.
    pub removed: usize,
}

impl LineDiff {
    /// Whether the two texts are the same.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.added == 0 && self.removed == 0
    }

    /// "2 lines added, 1 removed", or "No change".
    #[must_use]
    pub fn summary(&self) -> String {
        super::summary("line", "lines", &[(self.added, "added"), (self.removed, "removed")])
    }
}

/// The lines changed from `old` to `new`.
#[must_use]
pub fn diff(old: &str, new: &str) -> LineDiff {
    let text_diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(TIMEOUT_MILLIS))
        .diff_lines(old, new);
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
                near.get_mut(from..to)
                    .unwrap_or_default()
                    .iter_mut()
                    .for_each(|n| *n = true);
            }
        }
        near
    };
    let mut result = LineDiff::default();
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
    fn changed_lines_are_removed_then_added_between_unchanged_ones() {
        let diff = diff("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(
            diff.lines,
            [
                Line::Same("a".into()),
                Line::Removed("b".into()),
                Line::Added("B".into()),
                Line::Same("c".into()),
                Line::Added("d".into()),
            ]
        );
        assert_eq!(diff.summary(), "2 lines added, 1 removed");
        assert_eq!(super::diff("x\ny\n", "x\n").summary(), "1 line removed");
    }

    #[test]
    fn long_unchanged_stretches_are_folded() {
        let lines: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        let older = lines.join("\n");
        let mut changed = lines.clone();
        changed[50] = "changed".into();
        let newer = changed.join("\n");
        let diff = diff(&older, &newer);
        assert_eq!((diff.added, diff.removed), (1, 1));
        assert_eq!(diff.lines.first(), Some(&Line::Folded(50 - CONTEXT)));
        assert_eq!(diff.lines.last(), Some(&Line::Folded(100 - 51 - CONTEXT)));
        assert_eq!(diff.lines.len(), 2 + 2 * CONTEXT + 2);
    }

    #[test]
    fn equal_texts_have_no_change() {
        let diff = diff("same\ntext", "same\ntext");
        assert!(diff.is_empty());
        assert_eq!(diff.summary(), "No change");
        assert_eq!(diff.lines, [Line::Folded(2)]);
    }
}
