//! Messages as a CSV table: `time,topic,qos,retain,payload,payload_encoding`, then one column
//! per field of the JSON payloads (each leaf by its path, `ENERGY.Power`, `list.0`, as the
//! compare table names them), in the order first met. The payload is its UTF-8 text, or
//! base64 with `payload_encoding` saying so.

use std::collections::HashMap;
use std::io::Write;

use base64::Engine as _;

use crate::model::Received;
use crate::payload::numbers;

/// Fields read from one payload at most.
const MAX_FIELDS_PER_MESSAGE: usize = 256;
/// Field columns at most; fields beyond them are still in the payload column.
const MAX_FIELD_COLUMNS: usize = 1024;
/// The columns every row has, before the fields.
const FIXED: [&str; 6] = ["time", "topic", "qos", "retain", "payload", "payload_encoding"];

/// Write the table of `messages`.
pub fn write(out: &mut impl Write, messages: &[Received]) -> std::io::Result<()> {
    // Each payload's fields, read once; the columns are every path met.
    let fields: Vec<Vec<(String, String)>> = messages
        .iter()
        .map(|r| {
            if numbers::has_fields(&r.message.payload) {
                numbers::json_scalars(&r.message.payload, MAX_FIELDS_PER_MESSAGE)
            } else {
                Vec::new()
            }
        })
        .collect();
    let mut columns: HashMap<&str, usize> = HashMap::new();
    let mut paths: Vec<&str> = Vec::new();
    for (path, _) in fields.iter().flatten() {
        if paths.len() >= MAX_FIELD_COLUMNS {
            break;
        }
        if !columns.contains_key(path.as_str()) {
            columns.insert(path, paths.len());
            paths.push(path);
        }
    }
    let mut header: Vec<String> = FIXED.iter().map(|&c| c.to_owned()).collect();
    // A field named like a fixed column is told apart from it.
    header.extend(paths.iter().map(|&p| {
        if FIXED.contains(&p) {
            format!("payload.{p}")
        } else {
            p.to_owned()
        }
    }));
    write_row(out, header.iter().map(String::as_str))?;
    for (received, fields) in messages.iter().zip(&fields) {
        let message = &received.message;
        let time: chrono::DateTime<chrono::Utc> = message.received_at.into();
        let time = time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let qos = message.qos.level().to_string();
        let (payload, encoding) = match std::str::from_utf8(&message.payload) {
            Ok(text) => (std::borrow::Cow::Borrowed(text), "utf8"),
            Err(_) => (
                std::borrow::Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&message.payload)),
                "base64",
            ),
        };
        let mut cells: Vec<&str> = Vec::with_capacity(FIXED.len() + paths.len());
        cells.extend([
            time.as_str(),
            received.topic.as_str(),
            qos.as_str(),
            if message.retain { "true" } else { "false" },
            &payload,
            encoding,
        ]);
        cells.resize(FIXED.len() + paths.len(), "");
        for (path, value) in fields {
            if let Some(&column) = columns.get(path.as_str())
                && let Some(cell) = cells.get_mut(FIXED.len() + column)
            {
                *cell = value;
            }
        }
        write_row(out, cells.iter().copied())?;
    }
    Ok(())
}

/// One row, its cells quoted where needed, ended by a line feed.
fn write_row<'a>(out: &mut impl Write, cells: impl Iterator<Item = &'a str>) -> std::io::Result<()> {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_cell(out, cell)?;
    }
    out.write_all(b"\n")
}

/// A cell, in quotes (its quotes doubled) when it holds a comma, a quote, a line break, or
/// starts or ends with a space.
fn write_cell(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    let quoted = text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if !quoted {
        return out.write_all(text.as_bytes());
    }
    out.write_all(b"\"")?;
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(part.as_bytes())?;
    }
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::model::Qos;

    fn example(topic: &str, payload: &[u8]) -> Received {
        let mut received = Received::example(topic, "");
        received.message.payload = bytes::Bytes::copy_from_slice(payload);
        received.message.received_at = UNIX_EPOCH + Duration::from_micros(1_796_174_697_123_456);
        received
    }

    fn table(messages: &[Received]) -> String {
        let mut out = Vec::new();
        write(&mut out, messages).expect("written to memory");
        String::from_utf8(out).expect("text")
    }

    #[test]
    fn a_row_has_time_topic_qos_retain_and_payload() {
        let mut message = example("home/light", b"ON");
        message.message.qos = Qos::ExactlyOnce;
        message.message.retain = true;
        let text = table(&[message]);
        assert_eq!(
            text,
            "time,topic,qos,retain,payload,payload_encoding\n\
             2026-12-02T01:24:57.123456Z,home/light,2,true,ON,utf8\n"
        );
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        let text = table(&[example("a,b", b"say \"hi\"\nthen go"), example(" t", b"plain")]);
        let rows: Vec<&str> = text.splitn(2, '\n').collect();
        assert_eq!(
            rows[1],
            "2026-12-02T01:24:57.123456Z,\"a,b\",0,false,\"say \"\"hi\"\"\nthen go\",utf8\n\
             2026-12-02T01:24:57.123456Z,\" t\",0,false,plain,utf8\n"
        );
    }

    #[test]
    fn json_fields_get_a_column_each_by_path_in_the_order_met() {
        let text = table(&[
            example("m/1", br#"{"ENERGY":{"Power":12,"Voltage":230},"state":"ON"}"#),
            example("m/2", b"not json"),
            example("m/3", br#"{"state":"OFF","list":[1,"a,b"],"topic":"x"}"#),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "time,topic,qos,retain,payload,payload_encoding,ENERGY.Power,ENERGY.Voltage,state,list.0,list.1,payload.topic"
        );
        assert!(lines[1].ends_with(",utf8,12,230,ON,,,"), "{}", lines[1]);
        assert!(lines[2].ends_with(",not json,utf8,,,,,,"), "{}", lines[2]);
        assert!(lines[3].ends_with(",utf8,,,OFF,1,\"a,b\",x"), "{}", lines[3]);
    }

    #[test]
    fn a_payload_that_is_not_utf8_is_base64_and_says_so() {
        let text = table(&[example("bin", b"\xff\x00\x80")]);
        assert!(
            text.lines()
                .nth(1)
                .expect("a row")
                .ends_with(",bin,0,false,/wCA,base64"),
            "{text}"
        );
    }
}
