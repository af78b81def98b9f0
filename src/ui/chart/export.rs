//! The chart's points written to a CSV file: `time_iso8601,epoch_ms,<series…>`,
//! through the file dialog, or a typed path where none can be shown; the file
//! is written off the UI thread.

use super::points::Row;
use crate::ui::dialogs::Saved;

/// The charted rows and their column names, to write as CSV.
pub struct Snapshot {
    /// A name per series.
    pub names: Vec<String>,
    /// The rows charted.
    pub rows: Vec<Row>,
}

impl Saved for Snapshot {
    const EXAMPLE_PATH: &'static str = "/path/to/chart.csv";

    fn write(self, path: &std::path::Path) -> Result<String, String> {
        let text = csv(&self.names, &self.rows);
        match std::fs::write(path, text) {
            Ok(()) => Ok(format!(
                "Exported {} to {}",
                crate::ui::text::plural(self.rows.len() as u64, "row", "rows"),
                path.display()
            )),
            Err(error) => Err(format!("Could not export to {}: {error}", path.display())),
        }
    }
}

/// The rows as CSV: `time_iso8601,epoch_ms,<series…>`, local time with its offset, an empty
/// cell where a message had no value for a series.
fn csv(names: &[String], rows: &[Row]) -> String {
    let mut out = String::from("time_iso8601,epoch_ms");
    for name in names {
        out.push(',');
        out.push_str(&csv_cell(name));
    }
    out.push('\n');
    for row in rows {
        let time = chrono::DateTime::from_timestamp_millis(row.epoch_ms)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
            })
            .unwrap_or_default();
        out.push_str(&time);
        out.push(',');
        out.push_str(&row.epoch_ms.to_string());
        for value in &row.values {
            out.push(',');
            if let Some(value) = value {
                out.push_str(&value.to_string());
            }
        }
        out.push('\n');
    }
    out
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_header_and_a_row_per_message() {
        let rows = [
            Row {
                seq: 1,
                epoch_ms: 1_700_000_000_123,
                values: vec![Some(12.5), None],
            },
            Row {
                seq: 2,
                epoch_ms: 1_700_000_001_000,
                values: vec![Some(-3.0), Some(1.0)],
            },
        ];
        let text = csv(&["ENERGY.Power".to_owned(), "a,\"b\"".to_owned()], &rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "time_iso8601,epoch_ms,ENERGY.Power,\"a,\"\"b\"\"\"");
        let first: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(&first[1..], ["1700000000123", "12.5", ""]);
        let when = chrono::DateTime::parse_from_rfc3339(first[0]).expect("ISO 8601");
        assert_eq!(when.timestamp_millis(), 1_700_000_000_123);
        assert!(lines[2].ends_with(",1700000001000,-3,1"), "{}", lines[2]);
        assert_eq!(lines.len(), 3);
    }
}
