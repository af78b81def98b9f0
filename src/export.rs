//! Messages written to a file the person picks, and read back from one: no window here, only
//! bytes and files, so every format is tested without one.
//!
//! - `format`: which format a file is written in (JSON lines, CSV, JSON), from its name;
//! - `csv`: the CSV table (time, topic, QoS, retain, payload, one column per JSON field);
//! - `atomic`: the file written beside its place under a temporary name, then renamed, so an
//!   error (a full disk) leaves nothing half-written;
//! - `import`: a JSON lines file (a recording, or `mosquitto_sub -F %j`) read into saved
//!   messages.
//!
//! JSON lines are exactly the recording format (`record::line`), so an export opens with
//! *Open recording…*; JSON is an array of the same objects.

mod atomic;
mod csv;
mod format;
pub mod import;

use std::io::Write;
use std::path::Path;

pub use atomic::write_atomically;
pub use format::ExportFormat;

use crate::model::Received;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No file could be made in the folder (it does not exist, or may not be written).
    #[error("Could not write in {folder}: {source}")]
    Create {
        /// The folder.
        folder: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// Writing failed part way (a full disk); nothing was left behind.
    #[error("Could not write {path}: {source}; nothing was saved")]
    Write {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The finished file could not be put in its place.
    #[error("Could not save {path}: {source}")]
    Rename {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Write `messages`, in their order, as `format` to `out`.
pub fn write(out: &mut impl Write, format: ExportFormat, messages: &[Received]) -> std::io::Result<()> {
    match format {
        ExportFormat::JsonLines => {
            let mut line = Vec::with_capacity(256);
            for received in messages {
                line.clear();
                crate::record::line::write(&mut line, received);
                out.write_all(&line)?;
            }
            Ok(())
        }
        ExportFormat::Json => {
            if messages.is_empty() {
                return out.write_all(b"[]\n");
            }
            let mut line = Vec::with_capacity(256);
            out.write_all(b"[\n")?;
            for (i, received) in messages.iter().enumerate() {
                line.clear();
                crate::record::line::write(&mut line, received);
                if i > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(line.strip_suffix(b"\n").unwrap_or(&line))?;
            }
            out.write_all(b"\n]\n")
        }
        ExportFormat::Csv => csv::write(out, messages),
    }
}

/// Write `messages` to `path` in the format its name asks for, whole or not at all; returns
/// the format written.
pub fn save(path: &Path, messages: &[Received]) -> Result<ExportFormat, ExportError> {
    let format = ExportFormat::of_path(path);
    write_atomically(path, |out| write(out, format, messages))?;
    Ok(format)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::model::Qos;

    fn example(topic: &str, payload: &[u8], at_us: u64) -> Received {
        let mut received = Received::example(topic, "");
        received.message.payload = bytes::Bytes::copy_from_slice(payload);
        received.message.received_at = UNIX_EPOCH + Duration::from_micros(at_us);
        received
    }

    fn written(format: ExportFormat, messages: &[Received]) -> String {
        let mut out = Vec::new();
        write(&mut out, format, messages).expect("written to memory");
        String::from_utf8(out).expect("text")
    }

    #[test]
    fn json_lines_are_the_recording_format_line_for_line() {
        let messages = [example("a", b"1", 1), example("b", b"\xff", 2)];
        let mut expected = Vec::new();
        for m in &messages {
            crate::record::line::write(&mut expected, m);
        }
        assert_eq!(written(ExportFormat::JsonLines, &messages).as_bytes(), expected);
    }

    #[test]
    fn json_is_an_array_of_the_same_objects() {
        let mut retained = example("home/light", b"ON", 1_796_174_697_123_456);
        retained.message.retain = true;
        retained.message.qos = Qos::AtLeastOnce;
        let messages = [retained, example("bin", b"\x00\xff", 5)];
        let text = written(ExportFormat::Json, &messages);
        let array: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array");
        let lines: Vec<serde_json::Value> = written(ExportFormat::JsonLines, &messages)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert_eq!(array, lines);
        assert_eq!(array[0]["received"], "2026-12-02T01:24:57.123456Z");
        assert_eq!(array[1]["payload_encoding"], "base64");
        assert_eq!(written(ExportFormat::Json, &[]), "[]\n");
    }

    #[test]
    fn exported_json_lines_open_as_a_recording_with_the_same_bytes() {
        let payloads: [&[u8]; 5] = [
            b"",
            b"plain",
            "ünïcode ✓".as_bytes(),
            b"\xff\x00\x80\n\"",
            b"{\"t\":21.5}",
        ];
        let messages: Vec<Received> = payloads
            .iter()
            .enumerate()
            .map(|(i, p)| example(&format!("t/{i}"), p, 1_000 + i as u64))
            .collect();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("export.jsonl");
        assert_eq!(save(&path, &messages).expect("saved"), ExportFormat::JsonLines);
        let progress = std::sync::Arc::default();
        let opened = crate::record::open::open(&path, (1000, 1 << 20), &progress).expect("opened");
        assert_eq!((opened.messages, opened.skipped), (5, 0));
        for (i, payload) in payloads.iter().enumerate() {
            let id = opened.session.tree.find(&format!("t/{i}")).expect("the topic");
            let latest = opened.session.tree.get(id).and_then(|n| n.latest()).expect("a message");
            assert_eq!(&latest.payload[..], *payload, "topic t/{i}");
        }
    }
}
