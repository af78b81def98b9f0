//! MessagePack: one value, shown as JSON and compared field by field.

use super::{Confidence, Content, Context, Decoded, Format, PayloadFormat, Probe};
use crate::Rendered;
use crate::diff::{self, Diff};

/// MessagePack.
struct MsgPack;

impl Format {
    /// MessagePack, shown as JSON.
    pub const MSGPACK: Format = Format::new(&MsgPack);
}

impl PayloadFormat for MsgPack {
    fn id(&self) -> &'static str {
        "msgpack"
    }

    fn label(&self) -> &'static str {
        "MessagePack"
    }

    /// Likely of a binary payload that reads whole as a map (with text keys) or array of at
    /// least one item, the shape devices send (see [`crate::decode::is_container`]).
    fn detect(&self, probe: &Probe<'_>) -> Confidence {
        let container = probe.beats(Confidence::Likely)
            && !probe.is_text()
            && crate::decode::detectable(probe.bytes)
            && crate::decode::msgpack_value(probe.bytes).is_ok_and(|v| crate::decode::is_container(&v));
        if container { Confidence::Likely } else { Confidence::No }
    }

    fn decode(&self, payload: &[u8], _: &Context<'_>) -> (Content, Option<String>) {
        (super::decode_value(payload, crate::decode::msgpack_value), None)
    }

    fn render(&self, decoded: &Decoded, limit_bytes: usize) -> Rendered {
        super::render_value(decoded, limit_bytes, "MessagePack")
    }

    /// Field by field; payloads that do not decode byte by byte, with the reason.
    fn diff(&self, older: &Decoded, newer: &Decoded) -> Diff {
        diff::structured(older, newer, "MessagePack").unwrap_or_else(|why| {
            diff::bytes_diff(older.payload(), newer.payload()).with_note(format!("{why}: compared byte by byte"))
        })
    }
}
