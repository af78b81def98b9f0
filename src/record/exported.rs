//! The files an export writes besides JSON lines, read back as messages, so that any export
//! opens with *Open recording…* and replays: a JSON array of the recording's objects
//! (`crate::export`'s `.json`), and a CSV table whose columns `time`, `topic`, `qos`, `retain`,
//! `payload` and `payload_encoding` come first (`crate::export::csv`; the field columns after
//! them are derived from the payload and are not read). A file is taken for one of them by what
//! it begins with, whatever its name: `[` for an array, a header naming `topic` and `payload`
//! for a table. Each message is numbered by its element or its line, for the problems shown.

use std::io::{BufRead, Read};
use std::path::Path;
use std::time::SystemTime;

use base64::Engine as _;

use super::parse::parse_value;
use crate::model::{Message, Qos, Received};

/// A message read, or why not, with its number (the element's, from 1, or the CSV line's).
pub type Numbered = (u64, Result<Received, String>);

/// An export's messages, read one at a time.
pub enum Exported {
    /// The elements of a JSON array, read whole (an export is as large as what a window held).
    Array(std::iter::Enumerate<std::vec::IntoIter<serde_json::Value>>),
    /// The rows of a CSV table, streamed.
    Table(Box<Table>),
}

/// A CSV table and where its columns are.
pub struct Table {
    reader: csv::Reader<Box<dyn BufRead + Send>>,
    columns: Columns,
    row: csv::StringRecord,
}

/// The index of each column read.
struct Columns {
    time: Option<usize>,
    topic: usize,
    qos: Option<usize>,
    retain: Option<usize>,
    payload: usize,
    encoding: Option<usize>,
}

/// What a file holds, from its first bytes.
pub enum Detected {
    /// JSON lines, read as they are; nothing was consumed.
    Lines(std::io::BufReader<Box<dyn Read + Send>>),
    /// An export's JSON array or CSV table.
    Exported(Exported),
}

/// What `reader` holds, from its first bytes: an export's JSON array (`[`) or CSV table (a
/// header naming `topic` and `payload`), or else JSON lines.
pub fn detect(path: &Path, mut reader: std::io::BufReader<Box<dyn Read + Send>>) -> Result<Detected, String> {
    let head = reader
        .fill_buf()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'[') {
        let values: Vec<serde_json::Value> = serde_json::from_reader(reader).map_err(|e| {
            format!(
                "{} begins as a JSON array but cannot be read as one ({e})",
                path.display()
            )
        })?;
        return Ok(Detected::Exported(Exported::Array(values.into_iter().enumerate())));
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let looks_like_table = first != Some(b'{')
        && std::str::from_utf8(first_line).is_ok_and(|line| {
            let names: Vec<&str> = line.trim_end().split(',').map(|n| n.trim().trim_matches('"')).collect();
            names.contains(&"topic") && names.contains(&"payload")
        });
    if !looks_like_table {
        return Ok(Detected::Lines(reader));
    }
    let table = Table::new(path, Box::new(reader))?;
    Ok(Detected::Exported(Exported::Table(Box::new(table))))
}

impl Exported {
    /// The next message, `None` at the end, or why the file cannot be read on.
    pub fn next_message(&mut self, path: &Path) -> Result<Option<Numbered>, String> {
        match self {
            Self::Array(values) => Ok(values.next().map(|(index, value)| {
                let number = index as u64 + 1;
                (
                    number,
                    parse_value(&value).map_err(|why| format!("element {number}: {why}")),
                )
            })),
            Self::Table(table) => table.next_row(path),
        }
    }
}

impl Table {
    fn new(path: &Path, reader: Box<dyn BufRead + Send>) -> Result<Self, String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let header = reader
            .headers()
            .map_err(|e| format!("cannot read the header of {}: {e}", path.display()))?
            .clone();
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let (Some(topic), Some(payload)) = (find("topic"), find("payload")) else {
            return Err(format!("{} has no topic or no payload column", path.display()));
        };
        Ok(Self {
            reader,
            columns: Columns {
                time: find("time"),
                topic,
                qos: find("qos"),
                retain: find("retain"),
                payload,
                encoding: find("payload_encoding"),
            },
            row: csv::StringRecord::new(),
        })
    }

    fn next_row(&mut self, path: &Path) -> Result<Option<Numbered>, String> {
        match self.reader.read_record(&mut self.row) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let number = self.row.position().map_or(0, csv::Position::line);
                Ok(Some((number, self.message())))
            }
            // A row that is not CSV (an unclosed quote, bytes that are not UTF-8) is reported
            // with its line and skipped; an error reading the file ends the reading.
            Err(error) => match error.kind() {
                csv::ErrorKind::Io(io) => Err(format!("cannot read {}: {io}", path.display())),
                _ => {
                    let number = error.position().map_or(0, csv::Position::line);
                    Ok(Some((number, Err(format!("not a CSV row ({error})")))))
                }
            },
        }
    }

    /// The message of the row just read.
    fn message(&self) -> Result<Received, String> {
        let cell = |index: Option<usize>| index.and_then(|i| self.row.get(i)).unwrap_or_default();
        let topic = cell(Some(self.columns.topic));
        if topic.is_empty() {
            return Err("no topic".to_owned());
        }
        let received_at = match cell(self.columns.time) {
            "" => SystemTime::now(),
            text => chrono::DateTime::parse_from_rfc3339(text)
                .map(SystemTime::from)
                .map_err(|e| format!("the time \"{text}\" is not an RFC 3339 time ({e})"))?,
        };
        let qos = match cell(self.columns.qos) {
            "" => Qos::AtMostOnce,
            text => text
                .parse::<u8>()
                .ok()
                .and_then(Qos::from_level)
                .ok_or_else(|| format!("QoS \"{text}\" does not exist"))?,
        };
        let retain = match cell(self.columns.retain) {
            "" | "false" | "0" => false,
            "true" | "1" => true,
            other => return Err(format!("retain \"{other}\" is not true or false")),
        };
        let payload = cell(Some(self.columns.payload));
        let payload = match cell(self.columns.encoding) {
            "" | "utf8" => payload.as_bytes().to_vec(),
            "base64" => base64::engine::general_purpose::STANDARD
                .decode(payload)
                .map_err(|e| format!("the payload is not base64 ({e})"))?,
            other => return Err(format!("unknown payload encoding \"{other}\"")),
        };
        Ok(Received {
            topic: topic.to_owned(),
            message: Message {
                payload: payload.into(),
                qos,
                retain,
                dup: false,
                received_at,
                properties: None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::export::{ExportFormat, save};
    use crate::record::open::{Opened, open};

    fn message(topic: &str, payload: &[u8], qos: Qos, retain: bool, us: u64) -> Received {
        Received {
            topic: topic.to_owned(),
            message: Message {
                payload: payload.to_vec().into(),
                qos,
                retain,
                dup: false,
                received_at: UNIX_EPOCH + Duration::from_micros(us),
                properties: None,
            },
        }
    }

    fn mixed() -> Vec<Received> {
        vec![
            message(
                "plug/1/state",
                br#"{"power":{"watts":12.5},"on":true}"#,
                Qos::AtLeastOnce,
                true,
                1_700_000_000_000_001,
            ),
            message("plug/1/empty", b"", Qos::AtMostOnce, false, 1_700_000_000_250_000),
            message(
                "text/comma",
                b"a, \"quoted\"\nsecond line",
                Qos::ExactlyOnce,
                false,
                1_700_000_001_000_000,
            ),
            message(
                "bin/raw",
                b"\xff\x00\x80\n\"",
                Qos::AtMostOnce,
                true,
                1_700_000_002_000_000,
            ),
            message(
                "caf\u{e9}/\u{2713}",
                "\u{fc}n\u{ef}code".as_bytes(),
                Qos::AtMostOnce,
                false,
                1_700_000_003_000_000,
            ),
        ]
    }

    fn opened(path: &Path) -> Opened {
        open(path, (1000, 1 << 20), &Arc::default()).expect("opens")
    }

    fn same_messages(opened: &Opened, sent: &[Received]) {
        assert_eq!(
            (opened.messages, opened.skipped),
            (sent.len() as u64, 0),
            "{:?}",
            opened.problems
        );
        for received in sent {
            let id = opened.session.tree.find(&received.topic).expect("the topic");
            let latest = opened.session.tree.get(id).and_then(|n| n.latest()).expect("a message");
            let want = &received.message;
            assert_eq!(latest.payload, want.payload, "{}", received.topic);
            assert_eq!(
                (latest.qos, latest.received_at),
                (want.qos, want.received_at),
                "{}",
                received.topic
            );
        }
    }

    #[test]
    fn an_exported_json_array_opens_with_every_message_byte_for_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("branch.json");
        assert_eq!(save(&path, &mixed()).expect("saved"), ExportFormat::Json);
        same_messages(&opened(&path), &mixed());
    }

    #[test]
    fn an_exported_csv_table_opens_with_every_message_byte_for_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.csv");
        assert_eq!(save(&path, &mixed()).expect("saved"), ExportFormat::Csv);
        let opened = opened(&path);
        same_messages(&opened, &mixed());
        let id = opened.session.tree.find("plug/1/state").expect("the topic");
        let latest = opened.session.tree.get(id).and_then(|n| n.latest()).expect("a message");
        assert!(latest.retain, "the retain column is read");
    }

    #[test]
    fn a_bad_csv_row_is_reported_by_its_line_and_the_rest_opens() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("edited.csv");
        let table = "time,topic,qos,retain,payload,payload_encoding\n\
                     2026-12-07T10:00:00.000001Z,a/b,1,false,one,utf8\n\
                     2026-12-07T10:00:01Z,a/c,7,false,two,utf8\n\
                     yesterday,a/d,0,false,three,utf8\n\
                     2026-12-07T10:00:03Z,a/e,0,true,Zm91cg==,base64\n";
        std::fs::write(&path, table).expect("written");
        let opened = opened(&path);
        assert_eq!((opened.messages, opened.skipped), (2, 2));
        assert_eq!(opened.problems[0].0, 3);
        assert!(opened.problems[0].1.contains("QoS \"7\""), "{:?}", opened.problems);
        assert_eq!(opened.problems[1].0, 4);
        assert!(opened.problems[1].1.contains("RFC 3339"), "{:?}", opened.problems);
        let id = opened.session.tree.find("a/e").expect("the last row");
        let latest = opened.session.tree.get(id).and_then(|n| n.latest()).expect("a message");
        assert_eq!(&latest.payload[..], b"four");
    }

    #[test]
    fn an_array_element_that_is_not_a_message_is_reported_by_its_number() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mixed.json");
        std::fs::write(
            &path,
            r#"[{"received_us":1,"topic":"a","qos":0,"payload":"x"}, 42, {"topic":"b"}]"#,
        )
        .expect("written");
        let opened = opened(&path);
        assert_eq!((opened.messages, opened.skipped), (1, 2));
        assert_eq!(opened.problems[0].0, 2);
        assert!(
            opened.problems[0].1.contains("element 2: not a JSON object"),
            "{:?}",
            opened.problems
        );
    }

    #[test]
    fn a_truncated_json_array_says_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cut.json");
        std::fs::write(&path, r#"[{"received_us":1,"topic":"a","qos":0,"payload":"x"}, {"rec"#).expect("written");
        let error = open(&path, (1000, 1 << 20), &Arc::default()).err().expect("an error");
        assert!(error.contains("cannot be read as one"), "{error}");
    }
}
