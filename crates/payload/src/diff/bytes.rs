//! The bytes changed between two binary payloads: runs of differing offsets
//! over the length both share, and the bytes appended or removed at the end.

/// Runs listed at most; the rest are counted.
pub const MAX_RUNS: usize = 500;

/// Bytes kept of each side of a run (and of the end appended or removed).
pub const MAX_RUN_BYTES: usize = 8;

/// Bytes compared at once where the payloads are equal.
const BLOCK: usize = 64;

/// Consecutive offsets where the two payloads differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// First differing offset.
    pub offset: usize,
    /// Number of differing bytes in a row.
    pub len: usize,
    /// The older bytes, at most [`MAX_RUN_BYTES`].
    pub old: Vec<u8>,
    /// The newer bytes, at most [`MAX_RUN_BYTES`].
    pub new: Vec<u8>,
}

/// Bytes past the end of the shorter payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tail {
    /// Where they start (the shorter payload's length).
    pub offset: usize,
    /// How many there are.
    pub len: usize,
    /// Whether they were appended (the newer payload is longer) or removed.
    pub appended: bool,
    /// The bytes, at most [`MAX_RUN_BYTES`].
    pub bytes: Vec<u8>,
}

/// What changed between two byte strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ByteDiff {
    /// The runs of changed bytes, in order, at most [`MAX_RUNS`].
    pub runs: Vec<Run>,
    /// Runs found past [`MAX_RUNS`], not listed.
    pub more_runs: usize,
    /// Offsets (within the shorter length) where the bytes differ.
    pub changed_bytes: usize,
    /// The bytes appended or removed at the end, when the lengths differ.
    pub tail: Option<Tail>,
}

impl ByteDiff {
    /// Whether the two byte strings are equal.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changed_bytes == 0 && self.tail.is_none()
    }

    /// "4 bytes changed, 2 appended at the end", or "No change".
    #[must_use]
    pub fn summary(&self) -> String {
        let (appended, removed) = match &self.tail {
            Some(tail) if tail.appended => (tail.len, 0),
            Some(tail) => (0, tail.len),
            None => (0, 0),
        };
        super::summary(
            "byte",
            "bytes",
            &[
                (self.changed_bytes, "changed"),
                (appended, "appended at the end"),
                (removed, "removed from the end"),
            ],
        )
    }
}

/// Bytes as hex pairs, `…` and the whole length after them when only the first
/// [`MAX_RUN_BYTES`] of `len` are in `bytes`: `de ad be ef`.
#[must_use]
pub fn hex(bytes: &[u8], len: usize) -> String {
    let mut text = crate::encode::to_hex(bytes);
    if len > bytes.len() {
        text.push_str(&format!(" … ({} bytes)", crate::text::group_digits(len as u64)));
    }
    text
}

/// The bytes changed from `old` to `new`: one pass over both.
#[must_use]
pub fn diff(old: &[u8], new: &[u8]) -> ByteDiff {
    let mut result = ByteDiff::default();
    let shared = old.len().min(new.len());
    let mut run: Option<Run> = None;
    let mut offset = 0;
    while offset < shared {
        // Equal stretches are skipped a block at a time.
        if run.is_none()
            && let (Some(a), Some(b)) = (old.get(offset..offset + BLOCK), new.get(offset..offset + BLOCK))
            && a == b
        {
            offset += BLOCK;
            continue;
        }
        let (Some(&a), Some(&b)) = (old.get(offset), new.get(offset)) else {
            break;
        };
        let at = offset;
        offset += 1;
        if a == b {
            if let Some(done) = run.take() {
                result.runs.push(done);
            }
            continue;
        }
        result.changed_bytes += 1;
        if result.runs.len() >= MAX_RUNS {
            // Past the cap only count: a new run starts where the byte before was equal.
            if at == 0 || old.get(at - 1) == new.get(at - 1) {
                result.more_runs += 1;
            }
            continue;
        }
        let current = run.get_or_insert_with(|| Run {
            offset: at,
            len: 0,
            old: Vec::new(),
            new: Vec::new(),
        });
        current.len += 1;
        if current.old.len() < MAX_RUN_BYTES {
            current.old.push(a);
            current.new.push(b);
        }
    }
    if let Some(done) = run {
        result.runs.push(done);
    }
    if old.len() != new.len() {
        let (longer, appended) = if new.len() > old.len() {
            (new, true)
        } else {
            (old, false)
        };
        let rest = longer.get(shared..).unwrap_or_default();
        result.tail = Some(Tail {
            offset: shared,
            len: rest.len(),
            appended,
            bytes: rest.iter().take(MAX_RUN_BYTES).copied().collect(),
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_bytes_are_grouped_in_runs() {
        let old = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05];
        let new = [0x00, 0xff, 0xfe, 0x03, 0x04, 0x06];
        let diff = diff(&old, &new);
        assert_eq!(
            diff.runs,
            [
                Run {
                    offset: 1,
                    len: 2,
                    old: vec![0x01, 0x02],
                    new: vec![0xff, 0xfe],
                },
                Run {
                    offset: 5,
                    len: 1,
                    old: vec![0x05],
                    new: vec![0x06],
                },
            ]
        );
        assert_eq!(diff.changed_bytes, 3);
        assert_eq!(diff.tail, None);
        assert_eq!(diff.summary(), "3 bytes changed");
    }

    #[test]
    fn a_new_length_is_told_as_bytes_appended_or_removed_at_the_end() {
        let longer = diff(b"abc", b"abXdef");
        assert_eq!(longer.runs.len(), 1);
        assert_eq!(
            longer.tail,
            Some(Tail {
                offset: 3,
                len: 3,
                appended: true,
                bytes: b"def".to_vec(),
            })
        );
        assert_eq!(longer.summary(), "1 byte changed, 3 appended at the end");
        let shorter = diff(b"abcd", b"ab");
        assert!(shorter.runs.is_empty());
        assert_eq!(shorter.summary(), "2 bytes removed from the end");
        assert_eq!(shorter.tail.map(|t| (t.offset, t.appended)), Some((2, false)));
        assert_eq!(diff(b"", b"\x01").summary(), "1 byte appended at the end");
    }

    #[test]
    fn changes_between_long_equal_stretches_are_found_at_their_offset() {
        let old = vec![7u8; 1000];
        let mut new = old.clone();
        new[130] = 0;
        new[131] = 1;
        new[999] = 2;
        let diff = diff(&old, &new);
        let runs: Vec<(usize, usize)> = diff.runs.iter().map(|r| (r.offset, r.len)).collect();
        assert_eq!(runs, [(130, 2), (999, 1)]);
    }

    #[test]
    fn equal_bytes_have_no_change() {
        let diff = diff(&[1, 2, 3], &[1, 2, 3]);
        assert!(diff.is_empty());
        assert_eq!(diff.summary(), "No change");
    }

    #[test]
    fn long_runs_keep_their_first_bytes_and_their_length() {
        let diff = diff(&[0u8; 100], &[1u8; 100]);
        assert_eq!(diff.runs.len(), 1);
        let run = &diff.runs[0];
        assert_eq!((run.offset, run.len, run.old.len()), (0, 100, MAX_RUN_BYTES));
        assert_eq!(
            hex(&run.new, run.len),
            format!("{} … (100 bytes)", ["01"; MAX_RUN_BYTES].join(" "))
        );
        assert_eq!(hex(&[0xde, 0xad], 2), "de ad");
    }

    #[test]
    fn runs_past_the_cap_are_counted_not_listed() {
        // Every other byte differs: one run each.
        let old = vec![0u8; 4 * MAX_RUNS];
        let new: Vec<u8> = (0..old.len()).map(|i| u8::from(i % 2 == 1)).collect();
        let diff = diff(&old, &new);
        assert_eq!(diff.runs.len(), MAX_RUNS);
        assert_eq!(diff.more_runs, MAX_RUNS);
        assert_eq!(diff.changed_bytes, 2 * MAX_RUNS);
    }
}
