//! A JSON lines file read into saved messages: each line (a recording's, or one of
//! `mosquitto_sub -F %j`) becomes a saved message with its topic, payload, QoS and retain
//! flag, named after its topic. A line that cannot be read is reported with its number and
//! skipped. Runs off the UI thread.

use std::io::{BufRead as _, BufReader, Read};
use std::path::Path;

use crate::model::Received;
use crate::payload;
use crate::profiles::messages::{Encoding, StoredMessage, StoredProperties};
use crate::record::open::parse_line;

/// Messages taken from one file at most: the saved messages are a list to pick from.
pub const MAX_IMPORTED: usize = 1000;
/// Lines skipped at most that are each reported; more are counted.
const PROBLEMS_LISTED: usize = 20;

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened.
    #[error("Could not open {path}: {source}")]
    Open {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// Reading stopped part way.
    #[error("Could not read {path} after line {line}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The last line read whole.
        line: u64,
        /// What the system said.
        source: std::io::Error,
    },
}

/// What a file gave.
#[derive(Debug, Default)]
pub struct Imported {
    /// The messages read, in the file's order, at most [`MAX_IMPORTED`].
    pub messages: Vec<StoredMessage>,
    /// Lines that could not be read: their number and why (the first few).
    pub problems: Vec<(u64, String)>,
    /// Lines skipped in all.
    pub skipped: u64,
    /// Messages read beyond [`MAX_IMPORTED`], left out.
    pub left_out: u64,
}

/// A received message as a saved one named after its topic: the payload as text when it is
/// plain text, else as base64.
pub fn stored(received: &Received) -> StoredMessage {
    let bytes = &received.message.payload;
    let (payload, encoding) = match std::str::from_utf8(bytes) {
        Ok(text) if payload::text::is_plain_text(bytes) => (text.to_owned(), Encoding::Text),
        _ => (payload::encode::to_base64(bytes), Encoding::Base64),
    };
    StoredMessage {
        name: received.topic.clone(),
        topic: received.topic.clone(),
        payload,
        encoding,
        qos: received.message.qos.level(),
        retain: received.message.retain,
        properties: received.message.properties.as_deref().and_then(StoredProperties::of),
    }
}

/// Read the JSON lines file at `path` (zstd-compressed when it ends in `.zst`).
pub fn read(path: &Path) -> Result<Imported, ImportError> {
    let file = std::fs::File::open(path).map_err(|source| ImportError::Open {
        path: path.display().to_string(),
        source,
    })?;
    let compressed = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zst"));
    let reader: Box<dyn Read> = if compressed {
        Box::new(
            zstd::stream::read::Decoder::new(file).map_err(|source| ImportError::Open {
                path: path.display().to_string(),
                source,
            })?,
        )
    } else {
        Box::new(file)
    };
    from_reader(reader).map_err(|(line, source)| ImportError::Read {
        path: path.display().to_string(),
        line,
        source,
    })
}

/// Read JSON lines from `reader`; an error with the last line read whole.
fn from_reader(reader: impl Read) -> Result<Imported, (u64, std::io::Error)> {
    let mut reader = BufReader::new(reader);
    let mut imported = Imported::default();
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(|e| (number, e))? == 0 {
            return Ok(imported);
        }
        number += 1;
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(text) {
            Ok(_) if imported.messages.len() >= MAX_IMPORTED => imported.left_out += 1,
            Ok(received) => imported.messages.push(stored(&received)),
            Err(why) => {
                imported.skipped += 1;
                if imported.problems.len() < PROBLEMS_LISTED {
                    imported.problems.push((number, why));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &[u8]) -> Imported {
        from_reader(text).expect("read from memory")
    }

    #[test]
    fn recording_lines_become_saved_messages() {
        let mut on = Received::example("lamp/set", "ON");
        on.message.qos = crate::model::Qos::AtLeastOnce;
        on.message.retain = true;
        let binary = Received {
            topic: "raw".into(),
            message: crate::model::Message::new(vec![0xff, 0x00]),
        };
        let mut text = Vec::new();
        crate::record::line::write(&mut text, &on);
        crate::record::line::write(&mut text, &binary);
        let imported = import(&text);
        assert_eq!(imported.skipped, 0);
        let first = &imported.messages[0];
        assert_eq!(
            (first.name.as_str(), first.topic.as_str(), first.payload.as_str()),
            ("lamp/set", "lamp/set", "ON")
        );
        assert_eq!((first.encoding, first.qos, first.retain), (Encoding::Text, 1, true));
        let second = &imported.messages[1];
        assert_eq!((second.payload.as_str(), second.encoding), ("/wA=", Encoding::Base64));
    }

    #[test]
    fn mosquitto_sub_lines_are_imported() {
        let text = br#"{"tst":"2026-12-02T02:11:28.130630Z+0000","topic":"j/b","qos":2,"retain":0,"payloadlen":2,"payload":"hi"}"#;
        let imported = import(text);
        assert_eq!(imported.messages.len(), 1);
        assert_eq!(
            (imported.messages[0].topic.as_str(), imported.messages[0].qos),
            ("j/b", 2)
        );
    }

    #[test]
    fn a_bad_line_is_reported_by_number_and_skipped() {
        let mut text = Vec::new();
        crate::record::line::write(&mut text, &Received::example("a", "1"));
        text.extend_from_slice(b"\n{broken\n");
        crate::record::line::write(&mut text, &Received::example("b", "2"));
        let imported = import(&text);
        let topics: Vec<&str> = imported.messages.iter().map(|m| m.topic.as_str()).collect();
        assert_eq!(topics, ["a", "b"]);
        assert_eq!(imported.skipped, 1);
        assert_eq!(imported.problems.len(), 1);
        assert_eq!(imported.problems[0].0, 3, "the blank line 2 is counted, not reported");
        assert!(imported.problems[0].1.starts_with("not JSON"));
    }

    #[test]
    fn more_than_the_limit_are_counted_and_left_out() {
        let mut text = Vec::new();
        for i in 0..MAX_IMPORTED + 5 {
            crate::record::line::write(&mut text, &Received::example(&format!("t/{i}"), "x"));
        }
        let imported = import(&text);
        assert_eq!((imported.messages.len(), imported.left_out), (MAX_IMPORTED, 5));
    }

    #[test]
    fn a_missing_file_says_which() {
        let error = read(Path::new("/nonexistent/in.jsonl")).expect_err("fails");
        assert!(error.to_string().starts_with("Could not open /nonexistent/in.jsonl"));
    }
}
