//! Text: UTF-8 with visible escapes, compared line by line.

use super::{Confidence, Content, Context, Decoded, Format, Offered, PayloadFormat, Probe};
use crate::Rendered;
use crate::diff::{self, Diff};

/// Plain text.
struct Text;

impl Format {
    /// UTF-8 text with visible escapes for control chars and invalid bytes.
    pub const TEXT: Format = Format::new(&Text);
}

impl PayloadFormat for Text {
    fn id(&self) -> &'static str {
        "text"
    }

    fn label(&self) -> &'static str {
        "Text"
    }

    fn offered(&self) -> Offered {
        Offered::View
    }

    /// Likely when the payload is valid UTF-8 without control characters other than `\t`,
    /// `\n` and `\r` (see [`crate::text::is_plain_text`]); an empty payload is text.
    fn detect(&self, probe: &Probe<'_>) -> Confidence {
        if probe.beats(Confidence::Likely) && probe.is_text() {
            Confidence::Likely
        } else {
            Confidence::No
        }
    }

    fn decode(&self, _: &[u8], _: &Context<'_>) -> (Content, Option<String>) {
        (Content::Raw, None)
    }

    fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered {
        crate::text::render(decoded.payload(), limit_bytes)
    }

    fn has_value(&self) -> bool {
        false
    }

    fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff {
        diff::lines(older.payload(), newer.payload())
    }
}
