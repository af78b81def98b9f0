//! The objects and arrays of a pretty-printed JSON payload that span several lines, so a
//! view can fold them: the line each opens and closes on, how many keys or items it holds,
//! and its path (`ENERGY`, `sensors.3`), by which a fold is remembered from one message of a
//! topic to the next.
//!
//! Read from the highlight spans of a [`Rendered`] in one pass, once per shown message, as
//! [`crate::paths`] reads its values: punctuation drives a stack of the open objects and
//! arrays. A rendering without JSON punctuation (text, a hex dump) has no folds.

use super::paths::{MAX_DEPTH, Open, path_of};
use super::{Rendered, TokenKind};
use crate::text::group_digits;

/// At most this many objects and arrays of one payload can be folded (the first ones).
pub const MAX_FOLDS: usize = 200_000;

/// Which bracket a fold opens with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bracket {
    /// `{ … }`: its count is of keys.
    Object,
    /// `[ … ]`: its count is of items.
    Array,
}

/// An object or array that spans several lines of the rendered text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    /// The display line its opening bracket is on.
    pub line: u32,
    /// The display line its closing bracket is on (after [`Fold::line`]).
    pub end_line: u32,
    /// The byte offset of its opening bracket in [`Rendered::text`].
    pub open_at: u32,
    /// The byte offset of its closing bracket.
    pub close_at: u32,
    /// Object or array.
    pub bracket: Bracket,
    /// How many keys (an object) or items (an array) it holds directly.
    pub count: u32,
    /// Its path: object keys and array indexes joined by `.`; empty for the whole payload.
    pub path: String,
}

impl Fold {
    /// What a folded line shows in place of the lines it hides: `{…} 12 keys`, `[…] 1 item`.
    #[must_use]
    pub fn summary(&self) -> String {
        let count = group_digits(u64::from(self.count));
        match (self.bracket, self.count) {
            (Bracket::Object, 1) => "{…} 1 key".to_owned(),
            (Bracket::Object, _) => format!("{{…}} {count} keys"),
            (Bracket::Array, 1) => "[…] 1 item".to_owned(),
            (Bracket::Array, _) => format!("[…] {count} items"),
        }
    }

    /// Whether byte `offset` of the text is inside it, past its opening bracket (hidden when
    /// it is folded, its closing bracket included).
    #[must_use]
    pub fn hides(&self, offset: usize) -> bool {
        (self.open_at as usize) < offset && offset <= self.close_at as usize
    }
}

/// The foldable objects and arrays of a rendering, in the order they open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folds {
    folds: Vec<Fold>,
}

/// An open object or array, as the one pass reads it.
struct Level {
    bracket: Bracket,
    line: u32,
    open_at: u32,
    /// Keys of an object; commas of an array.
    keys_or_commas: u32,
    /// Whether anything was read inside it yet.
    filled: bool,
    /// Its path, when it may become a fold.
    path: Option<String>,
}

impl Level {
    fn count(&self) -> u32 {
        match self.bracket {
            Bracket::Object => self.keys_or_commas,
            Bracket::Array if self.filled => self.keys_or_commas + 1,
            Bracket::Array => 0,
        }
    }
}

impl Folds {
    /// The objects and arrays of `rendered` that span several lines. Those deeper than
    /// [`MAX_DEPTH`], and any after the first [`MAX_FOLDS`], cannot be folded; a cut payload
    /// has folds for what it shows whole.
    #[must_use]
    pub fn of(rendered: &Rendered) -> Self {
        let mut folds = Vec::new();
        if rendered.note.as_deref().is_some_and(|n| n.starts_with("Not valid")) {
            return Self { folds };
        }
        let line_of = |offset: usize| {
            let after = rendered.line_starts.partition_point(|&s| s as usize <= offset);
            u32::try_from(after.saturating_sub(1)).unwrap_or(u32::MAX)
        };
        let mut opens: Vec<Open> = Vec::new();
        let mut levels: Vec<Level> = Vec::new();
        let mut pending = 0usize;
        for span in &rendered.spans {
            let Some(text) = rendered.text.get(span.start as usize..span.end as usize) else {
                continue;
            };
            if span.kind != TokenKind::Punct {
                if let Some(level) = levels.last_mut() {
                    level.filled = true;
                    if span.kind == TokenKind::Key && level.bracket == Bracket::Object {
                        level.keys_or_commas += 1;
                    }
                }
                if span.kind == TokenKind::Key
                    && let Some(Open::Object(last)) = opens.last_mut()
                {
                    *last = Some(
                        serde_json::from_str::<String>(text).unwrap_or_else(|_| text.trim_matches('"').to_owned()),
                    );
                }
                continue;
            }
            for (i, c) in text.char_indices() {
                let at = span.start as usize + i;
                match c {
                    '{' | '[' => {
                        if let Some(parent) = levels.last_mut() {
                            parent.filled = true;
                        }
                        let wanted = opens.len() < MAX_DEPTH && folds.len() + pending < MAX_FOLDS;
                        pending += usize::from(wanted);
                        let (bracket, open) = if c == '{' {
                            (Bracket::Object, Open::Object(None))
                        } else {
                            (Bracket::Array, Open::Array(0))
                        };
                        levels.push(Level {
                            bracket,
                            line: line_of(at),
                            open_at: u32::try_from(at).unwrap_or(u32::MAX),
                            keys_or_commas: 0,
                            filled: false,
                            path: wanted.then(|| path_of(&opens)),
                        });
                        opens.push(open);
                    }
                    '}' | ']' => {
                        opens.pop();
                        let Some(level) = levels.pop() else { continue };
                        let Some(path) = level.path.clone() else { continue };
                        pending -= 1;
                        let end_line = line_of(at);
                        if end_line > level.line {
                            folds.push(Fold {
                                line: level.line,
                                end_line,
                                open_at: level.open_at,
                                close_at: u32::try_from(at).unwrap_or(u32::MAX),
                                bracket: level.bracket,
                                count: level.count(),
                                path,
                            });
                        }
                    }
                    ',' => {
                        if let Some(level) = levels.last_mut()
                            && level.bracket == Bracket::Array
                        {
                            level.keys_or_commas += 1;
                        }
                        if let Some(Open::Array(index)) = opens.last_mut() {
                            *index += 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        // Read as they close; shown by the line they open on.
        folds.sort_unstable_by_key(|f| f.open_at);
        Self { folds }
    }

    /// Whether nothing can be folded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.folds.is_empty()
    }

    /// How many objects and arrays can be folded.
    #[must_use]
    pub fn len(&self) -> usize {
        self.folds.len()
    }

    /// Every fold, in the order they open.
    pub fn iter(&self) -> impl Iterator<Item = &Fold> {
        self.folds.iter()
    }

    /// The fold that opens on display line `line`, if one does (the outermost, should two).
    #[must_use]
    pub fn at_line(&self, line: usize) -> Option<&Fold> {
        let first = self.folds.partition_point(|f| (f.line as usize) < line);
        self.folds.get(first).filter(|f| f.line as usize == line)
    }

    /// The folds that would hide byte `offset` of the text, outermost first.
    pub fn hiding(&self, offset: usize) -> impl Iterator<Item = &Fold> {
        // Only folds that open before the offset can hide it.
        let before = self.folds.partition_point(|f| (f.open_at as usize) < offset);
        self.folds
            .get(..before)
            .unwrap_or_default()
            .iter()
            .filter(move |f| f.hides(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, render};

    fn folds(json: &str) -> (Rendered, Folds) {
        let rendered = render(json.as_bytes(), Format::JSON, usize::MAX);
        let folds = Folds::of(&rendered);
        (rendered, folds)
    }

    #[test]
    fn objects_and_arrays_over_several_lines_fold_with_their_counts_and_paths() {
        let (r, f) =
            folds(r#"{"ENERGY":{"Power":12,"Voltage":230,"Today":[1.5,{"x":true}]},"e":{},"l":[],"on":false}"#);
        let all: Vec<(&str, u32, String)> = f.iter().map(|f| (f.path.as_str(), f.count, f.summary())).collect();
        assert_eq!(
            all,
            [
                ("", 4, "{…} 4 keys".to_owned()),
                ("ENERGY", 3, "{…} 3 keys".to_owned()),
                ("ENERGY.Today", 2, "[…] 2 items".to_owned()),
                ("ENERGY.Today.1", 1, "{…} 1 key".to_owned()),
            ],
            "empty ones stay on one line and do not fold"
        );
        let energy = f.iter().nth(1).expect("a fold");
        assert_eq!(r.line_text(energy.line as usize).trim(), r#""ENERGY": {"#);
        assert_eq!(r.line_text(energy.end_line as usize).trim(), "},");
        assert_eq!(f.at_line(energy.line as usize).map(|f| f.path.as_str()), Some("ENERGY"));
        assert_eq!(f.at_line(energy.line as usize + 1), None);
        assert_eq!(r.text.as_bytes()[energy.open_at as usize], b'{');
        assert_eq!(r.text.as_bytes()[energy.close_at as usize], b'}');
    }

    #[test]
    fn finds_the_folds_that_hide_an_offset() {
        let (r, f) = folds(r#"{"a":{"b":[1,2,3]},"c":4}"#);
        let two = r.text.find('2').expect("shown");
        let hiding: Vec<&str> = f.hiding(two).map(|f| f.path.as_str()).collect();
        assert_eq!(hiding, ["", "a", "a.b"]);
        let c = r.text.find("\"c\"").expect("shown");
        let hiding: Vec<&str> = f.hiding(c).map(|f| f.path.as_str()).collect();
        assert_eq!(hiding, [""]);
        assert_eq!(f.hiding(0).count(), 0, "the opening bracket itself stays shown");
    }

    #[test]
    fn strings_with_brackets_and_big_arrays_count_right() {
        let items: Vec<String> = (0..1500).map(|i| format!(r#"{{"v":"]{i}["}}"#)).collect();
        let (_, f) = folds(&format!("[{}]", items.join(",")));
        let root = f.iter().next().expect("the array folds");
        assert_eq!((root.count, root.summary()), (1500, "[…] 1,500 items".to_owned()));
        assert_eq!(f.iter().nth(1500).map(|f| f.path.as_str()), Some("1499"));
        assert_eq!(f.len(), 1501);
    }

    #[test]
    fn text_hex_invalid_and_deep_payloads_fold_as_far_as_they_can() {
        assert!(Folds::of(&render(b"{\n\"a\": 1\n}", Format::TEXT, usize::MAX)).is_empty());
        assert!(Folds::of(&render(b"{\"a\": 1}", Format::HEX, usize::MAX)).is_empty());
        assert!(Folds::of(&render(b"{\"a\": [1,}", Format::JSON, usize::MAX)).is_empty());
        let deep = format!("{}1{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        assert_eq!(folds(&deep).1.len(), MAX_DEPTH);
        // A cut payload folds what it shows whole.
        let cut = render(br#"{"a": [1, 2], "b": [3, 4, 5, 6, 7]}"#, Format::JSON, 20);
        assert!(cut.is_cut());
        let paths: Vec<String> = Folds::of(&cut).iter().map(|f| f.path.clone()).collect();
        assert_eq!(paths, ["a"]);
    }
}
