//! Hex: every byte, with offsets and an ASCII column; compared byte by byte.

use super::{Confidence, Content, Context, Decoded, Format, Offered, PayloadFormat, Probe};
use crate::Rendered;
use crate::diff::{self, Diff};

/// A hex dump.
struct Hex;

impl Format {
    /// Hex dump with offsets and an ASCII column.
    pub const HEX: Format = Format::new(&Hex);
}

impl PayloadFormat for Hex {
    fn id(&self) -> &'static str {
        "hex"
    }

    fn label(&self) -> &'static str {
        "Hex"
    }

    fn offered(&self) -> Offered {
        Offered::View
    }

    /// Any payload, when nothing else fits.
    fn detect(&self, _: &Probe<'_>) -> Confidence {
        Confidence::Fallback
    }

    fn decode(&self, _: &[u8], _: &Context<'_>) -> (Content, Option<String>) {
        (Content::Raw, None)
    }

    /// The hex dump lines of the shown bytes, exactly as [`crate::hex::line`] formats them,
    /// joined by `'\n'` (see [`crate::hex::render`]). A UI showing a large payload should
    /// rather virtualize [`crate::hex::line`] itself (see [`PayloadFormat::every_byte`]).
    fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered {
        crate::hex::render(decoded.payload(), limit_bytes)
    }

    fn has_value(&self) -> bool {
        false
    }

    fn every_byte(&self) -> bool {
        true
    }

    fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff {
        diff::bytes_diff(older.payload(), newer.payload())
    }
}
