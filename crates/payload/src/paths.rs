//! Where each number and boolean of a pretty-printed JSON payload is in its
//! rendered text, and its path (`ENERGY.Power`, `sensors.0.v`), so a click on
//! it can chart it.
//!
//! Read from the highlight spans of a [`Rendered`] JSON payload in one pass,
//! once per shown message: keys are decoded, punctuation drives a stack of the
//! open objects and arrays. Text, hex and cut payloads have no paths.

use super::{Rendered, TokenKind};

/// Values deeper than this get no path (paths stay short, the work linear).
pub const MAX_DEPTH: usize = 64;

/// At most this many values of one payload get a path.
pub const MAX_VALUES: usize = 100_000;

/// A number or boolean in the rendered text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueAt {
    /// First byte of the value in [`Rendered::text`].
    pub start: u32,
    /// One past its last byte.
    pub end: u32,
    /// Its path: object keys and array indexes joined by `.`.
    pub path: String,
}

/// The numbers and booleans of a rendered JSON payload, in text order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValuePaths {
    values: Vec<ValueAt>,
}

/// An open object (with the key read last) or array (with the index of the current item).
pub(crate) enum Open {
    Object(Option<String>),
    Array(usize),
}

impl ValuePaths {
    /// The values of `rendered`, if it is a whole JSON rendering; empty otherwise.
    #[must_use]
    pub fn of(rendered: &Rendered) -> Self {
        let mut values = Vec::new();
        if rendered.is_cut() || rendered.note.as_deref().is_some_and(|n| n.starts_with("Not valid")) {
            return Self { values };
        }
        let mut stack: Vec<Open> = Vec::new();
        for span in &rendered.spans {
            let Some(text) = rendered.text.get(span.start as usize..span.end as usize) else {
                continue;
            };
            match span.kind {
                TokenKind::Punct => {
                    for c in text.chars() {
                        match c {
                            '{' => stack.push(Open::Object(None)),
                            '[' => stack.push(Open::Array(0)),
                            '}' | ']' => {
                                stack.pop();
                            }
                            ',' => {
                                if let Some(Open::Array(index)) = stack.last_mut() {
                                    *index += 1;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                TokenKind::Key => {
                    let key =
                        serde_json::from_str::<String>(text).unwrap_or_else(|_| text.trim_matches('"').to_owned());
                    if let Some(Open::Object(last)) = stack.last_mut() {
                        *last = Some(key);
                    }
                }
                TokenKind::Number | TokenKind::Bool if stack.len() <= MAX_DEPTH => {
                    if values.len() >= MAX_VALUES {
                        break;
                    }
                    values.push(ValueAt {
                        start: span.start,
                        end: span.end,
                        path: path_of(&stack),
                    });
                }
                _ => {}
            }
        }
        Self { values }
    }

    /// Whether no value has a path.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values that overlap the text range `start..end`, in order.
    #[must_use]
    pub fn within(&self, start: usize, end: usize) -> &[ValueAt] {
        let first = self.values.partition_point(|v| (v.end as usize) <= start);
        let rest = self.values.get(first..).unwrap_or_default();
        let count = rest.partition_point(|v| (v.start as usize) < end);
        rest.get(..count).unwrap_or_default()
    }

    /// The path of the value at byte `offset` of the text, if a value is there.
    #[must_use]
    pub fn at(&self, offset: usize) -> Option<&str> {
        self.within(offset, offset + 1).first().map(|v| v.path.as_str())
    }
}

/// The path of what the innermost of `stack` holds now: keys and indexes joined by `.`.
pub(crate) fn path_of(stack: &[Open]) -> String {
    let mut path = String::new();
    for open in stack {
        if !path.is_empty() {
            path.push('.');
        }
        match open {
            Open::Object(key) => path.push_str(key.as_deref().unwrap_or_default()),
            Open::Array(index) => path.push_str(&index.to_string()),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, render};

    fn paths(json: &str) -> (Rendered, ValuePaths) {
        let rendered = render(json.as_bytes(), Format::JSON, usize::MAX);
        let paths = ValuePaths::of(&rendered);
        (rendered, paths)
    }

    /// The path of the value whose text `needle` first appears at in the rendered text.
    fn path_at(rendered: &Rendered, paths: &ValuePaths, needle: &str) -> Option<String> {
        let at = rendered.text.find(needle)?;
        paths.at(at).map(str::to_owned)
    }

    #[test]
    fn nested_objects_and_arrays() {
        let (r, p) = paths(r#"{"ENERGY":{"Power":12,"Voltage":230,"Today":[1.5,{"x":true}]},"n":null,"on":false}"#);
        let all: Vec<(&str, &str)> = p
            .within(0, r.text.len())
            .iter()
            .map(|v| (&r.text[v.start as usize..v.end as usize], v.path.as_str()))
            .collect();
        assert_eq!(
            all,
            [
                ("12", "ENERGY.Power"),
                ("230", "ENERGY.Voltage"),
                ("1.5", "ENERGY.Today.0"),
                ("true", "ENERGY.Today.1.x"),
                ("false", "on"),
            ]
        );
        // Any byte of the value finds it; a key or punctuation does not.
        let at = r.text.find("230").expect("shown");
        assert_eq!(p.at(at + 2), Some("ENERGY.Voltage"));
        assert_eq!(p.at(at + 3), None);
        assert_eq!(path_at(&r, &p, "\"Power\""), None);
        assert_eq!(path_at(&r, &p, "null"), None);
    }

    #[test]
    fn strings_with_braces_and_quotes_do_not_confuse_it() {
        let (r, p) = paths(r#"{"a{[,\"": "}],\"{", "list": [0, "x,y", [7, 8], 9], "k\u0041\"y": {"v": -1e3}}"#);
        assert_eq!(path_at(&r, &p, "0,").as_deref(), Some("list.0"));
        assert_eq!(path_at(&r, &p, "7").as_deref(), Some("list.2.0"));
        assert_eq!(path_at(&r, &p, "8").as_deref(), Some("list.2.1"));
        assert_eq!(path_at(&r, &p, "9").as_deref(), Some("list.3"));
        assert_eq!(path_at(&r, &p, "-1e3").as_deref(), Some("kA\"y.v"), "keys are decoded");
    }

    #[test]
    fn top_level_arrays_and_bare_values() {
        let (r, p) = paths("[[1, 2], [3]]");
        assert_eq!(path_at(&r, &p, "3").as_deref(), Some("1.0"));
        let (r, p) = paths("42");
        assert_eq!(path_at(&r, &p, "42").as_deref(), Some(""));
    }

    #[test]
    fn lines_find_their_values() {
        let (r, p) = paths(r#"{"a": 1, "b": [2, 3]}"#);
        let line = (0..r.line_count())
            .find(|&i| r.line_text(i).trim() == "3")
            .expect("a line of its own");
        let start = r.line_starts[line] as usize;
        let found: Vec<&str> = p
            .within(start, start + r.line_text(line).len())
            .iter()
            .map(|v| v.path.as_str())
            .collect();
        assert_eq!(found, ["b.1"]);
    }

    #[test]
    fn text_hex_cut_and_deep_payloads_have_no_paths() {
        let text = render(b"21.5 true", Format::TEXT, usize::MAX);
        assert!(ValuePaths::of(&text).is_empty());
        let invalid = render(b"{\"a\": 1,}", Format::JSON, usize::MAX);
        assert!(ValuePaths::of(&invalid).is_empty());
        let cut = render(br#"{"a": 1, "b": 2}"#, Format::JSON, 10);
        assert!(cut.is_cut());
        assert!(ValuePaths::of(&cut).is_empty());
        let hex = render(b"{\"a\": 1}", Format::HEX, usize::MAX);
        assert!(ValuePaths::of(&hex).is_empty());
        let deep = format!("{}1{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(paths(&deep).1.is_empty());
        let shallow = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(!paths(&shallow).1.is_empty());
    }
}
