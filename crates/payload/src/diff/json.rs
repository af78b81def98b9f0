//! A structural diff of two JSON values: every field added, removed or changed,
//! by path (object keys and array indexes joined by `.`, as the chart's fields
//! are named), with the old and new values as compact JSON.
//!
//! Objects are compared key by key whatever the keys' order, arrays index by
//! index. The work is one walk over both values: changes past [`MAX_CHANGES`]
//! are only counted, containers deeper than [`MAX_DEPTH`] are compared whole,
//! and no value is written out past [`MAX_VALUE_BYTES`].

use serde_json::Value;

/// Changes listed at most; the rest are counted.
pub const MAX_CHANGES: usize = 500;

/// Nesting level below which containers are compared whole, as one value.
pub const MAX_DEPTH: usize = 32;

/// Bytes of compact JSON kept of a value shown; longer ones are shortened.
pub const MAX_VALUE_BYTES: usize = 120;

/// The kind of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl ValueKind {
    fn of(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(_) => Self::Bool,
            Value::Number(_) => Self::Number,
            Value::String(_) => Self::String,
            Value::Array(_) => Self::Array,
            Value::Object(_) => Self::Object,
        }
    }

    /// Lowercase name: `"number"`, `"string"`, `"object"`, ….
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "boolean",
            Self::Number => "number",
            Self::String => "string",
            Self::Array => "array",
            Self::Object => "object",
        }
    }
}

/// A value as compact JSON, shortened when long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The compact JSON, at most [`MAX_VALUE_BYTES`] of it (cut on a char boundary).
    pub text: String,
    /// Length of the whole compact JSON, in bytes.
    pub len_bytes: usize,
    /// What kind of value it is.
    pub kind: ValueKind,
}

impl Shown {
    fn of(value: &Value) -> Self {
        let mut prefix = Prefix::default();
        // Writing into memory fails only on a map key that is not a string, which a
        // `serde_json::Value` cannot hold.
        serde_json::to_writer(&mut prefix, value).ok();
        let valid = match std::str::from_utf8(&prefix.kept) {
            Ok(text) => text,
            Err(error) => std::str::from_utf8(prefix.kept.get(..error.valid_up_to()).unwrap_or_default()).unwrap_or(""),
        };
        Shown {
            text: valid.to_owned(),
            len_bytes: prefix.total,
            kind: ValueKind::of(value),
        }
    }

    /// Whether only the start of the value is in [`Shown::text`].
    #[must_use]
    pub fn is_shortened(&self) -> bool {
        self.text.len() < self.len_bytes
    }
}

impl std::fmt::Display for Shown {
    /// The text, and when shortened `…` and the whole length: `[1,2,3,… (2,000 bytes)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_shortened() {
            write!(
                f,
                "{}… ({} bytes)",
                self.text,
                crate::text::group_digits(self.len_bytes as u64)
            )
        } else {
            f.write_str(&self.text)
        }
    }
}

/// Keeps the first [`MAX_VALUE_BYTES`] written to it and counts the rest.
#[derive(Default)]
struct Prefix {
    kept: Vec<u8>,
    total: usize,
}

impl std::io::Write for Prefix {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = MAX_VALUE_BYTES.saturating_sub(self.kept.len());
        self.kept
            .extend_from_slice(buf.get(..room.min(buf.len())).unwrap_or_default());
        self.total += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How a path differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only in the newer value.
    Added(Shown),
    /// Only in the older value.
    Removed(Shown),
    /// In both, with another value (or another kind of value).
    Changed {
        /// The older value.
        old: Shown,
        /// The newer value.
        new: Shown,
    },
    /// An array in both, with another number of items (the items themselves are
    /// listed as added or removed).
    Resized {
        /// Items in the older array.
        old_len: usize,
        /// Items in the newer array.
        new_len: usize,
    },
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Where: keys and indexes joined by `.` (`devices.3.name`); empty for the whole value.
    pub path: String,
    /// What changed there.
    pub kind: ChangeKind,
}

/// Every difference between two JSON values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonDiff {
    /// The differences in document order (the older value's keys first), at most [`MAX_CHANGES`].
    pub changes: Vec<Change>,
    /// Differences found past [`MAX_CHANGES`], not listed.
    pub more: usize,
    /// Fields only in the newer value.
    pub added: usize,
    /// Fields only in the older value.
    pub removed: usize,
    /// Fields with another value.
    pub changed: usize,
}

impl JsonDiff {
    /// Whether the two values are equal.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.more == 0
    }

    /// "3 fields changed, 1 added", or "No change".
    #[must_use]
    pub fn summary(&self) -> String {
        super::summary(
            "field",
            "fields",
            &[
                (self.changed, "changed"),
                (self.added, "added"),
                (self.removed, "removed"),
            ],
        )
    }
}

/// Every difference from `old` to `new`.
#[must_use]
pub fn diff(old: &Value, new: &Value) -> JsonDiff {
    let mut walk = Walk::default();
    walk.compare(old, new, 0);
    walk.diff
}

#[derive(Default)]
struct Walk {
    diff: JsonDiff,
    /// The path of the values being compared.
    path: String,
}

impl Walk {
    fn compare(&mut self, old: &Value, new: &Value, depth: usize) {
        match (old, new) {
            (Value::Object(old_map), Value::Object(new_map)) if depth < MAX_DEPTH => {
                for (key, old_item) in old_map {
                    self.inside(key, |walk| match new_map.get(key) {
                        Some(new_item) => walk.compare(old_item, new_item, depth + 1),
                        None => walk.removed(old_item),
                    });
                }
                for (key, new_item) in new_map.iter().filter(|(key, _)| !old_map.contains_key(*key)) {
                    self.inside(key, |walk| walk.added(new_item));
                }
            }
            (Value::Array(old_items), Value::Array(new_items)) if depth < MAX_DEPTH => {
                if old_items.len() != new_items.len() {
                    self.record(|| ChangeKind::Resized {
                        old_len: old_items.len(),
                        new_len: new_items.len(),
                    });
                }
                for i in 0..old_items.len().max(new_items.len()) {
                    self.inside(&i.to_string(), |walk| match (old_items.get(i), new_items.get(i)) {
                        (Some(old_item), Some(new_item)) => walk.compare(old_item, new_item, depth + 1),
                        (Some(old_item), None) => walk.removed(old_item),
                        (None, Some(new_item)) => walk.added(new_item),
                        (None, None) => {}
                    });
                }
            }
            _ if old == new => {}
            _ => {
                self.diff.changed += 1;
                self.record(|| ChangeKind::Changed {
                    old: Shown::of(old),
                    new: Shown::of(new),
                });
            }
        }
    }

    fn added(&mut self, value: &Value) {
        self.diff.added += 1;
        self.record(|| ChangeKind::Added(Shown::of(value)));
    }

    fn removed(&mut self, value: &Value) {
        self.diff.removed += 1;
        self.record(|| ChangeKind::Removed(Shown::of(value)));
    }

    /// List a change at the current path, or only count it past the cap.
    fn record(&mut self, kind: impl FnOnce() -> ChangeKind) {
        if self.diff.changes.len() < MAX_CHANGES {
            self.diff.changes.push(Change {
                path: self.path.clone(),
                kind: kind(),
            });
        } else {
            self.diff.more += 1;
        }
    }

    /// Run `f` with `segment` appended to the path.
    fn inside(&mut self, segment: &str, f: impl FnOnce(&mut Self)) {
        let len = self.path.len();
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(segment);
        f(self);
        self.path.truncate(len);
    }
}

#[cfg(test)]
mod tests;
