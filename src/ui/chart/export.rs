//! The chart's points written to a CSV file: `time_iso8601,epoch_ms,<series…>`,
//! through the file dialog, or a typed path where none can be shown; the file
//! is written off the UI thread.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::points::Row;
use crate::ui::dialogs::{Background, PathPrompt, Pending, Picked, Prompted};

/// The charted rows and their column names, to write as CSV.
struct Snapshot {
    names: Vec<String>,
    rows: Vec<Row>,
}

/// Exporting the chart to a CSV file, step by step.
enum Step {
    /// The dialog is open.
    Picking(Pending, Snapshot),
    /// No dialog could be shown: the path is typed.
    Typing(PathPrompt, Snapshot),
    /// Writing the file.
    Writing(Background<Result<String, String>>),
}

/// An export under way, and how the last one ended.
#[derive(Default)]
pub struct CsvExport {
    step: Option<Step>,
    outcome: Option<Result<String, String>>,
}

impl CsvExport {
    /// Ask where to write `rows` (a value per series, named `names`), suggesting `file_name`.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        runtime: &tokio::runtime::Handle,
        file_name: &str,
        names: Vec<String>,
        rows: Vec<Row>,
    ) {
        let dialog = Pending::save(ctx, runtime, "Export chart", file_name);
        self.step = Some(Step::Picking(dialog, Snapshot { names, rows }));
        self.outcome = None;
    }

    /// Move the export along: the dialog's answer, the file written.
    pub fn poll(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        let Some(step) = self.step.take() else { return };
        self.step = match step {
            Step::Picking(dialog, snapshot) => match dialog.poll() {
                Picked::Waiting => Some(Step::Picking(dialog, snapshot)),
                Picked::Cancelled => None,
                Picked::Unavailable => Some(Step::Typing(PathPrompt::default(), snapshot)),
                Picked::File(path) => Some(Step::Writing(write_csv(ctx, runtime, path, snapshot))),
            },
            typing @ Step::Typing(..) => Some(typing),
            Step::Writing(job) => match job.poll() {
                None => Some(Step::Writing(job)),
                Some(Ok(outcome)) => {
                    self.outcome = Some(outcome);
                    None
                }
                Some(Err(())) => {
                    self.outcome = Some(Err("Exporting failed".to_owned()));
                    None
                }
            },
        };
    }

    /// The path prompt (when no file dialog can be shown) and how the last export ended.
    pub fn ui(&mut self, ui: &mut egui::Ui, runtime: &tokio::runtime::Handle) {
        if let Some(Step::Typing(prompt, snapshot)) = &mut self.step {
            match prompt.ui(ui, "/path/to/chart.csv") {
                Prompted::Typing => {}
                Prompted::Path(path) => {
                    let snapshot = std::mem::replace(
                        snapshot,
                        Snapshot {
                            names: Vec::new(),
                            rows: Vec::new(),
                        },
                    );
                    self.step = Some(Step::Writing(write_csv(ui.ctx(), runtime, path, snapshot)));
                }
                Prompted::Cancelled => self.step = None,
            }
        }
        match &self.outcome {
            Some(Ok(text)) => {
                ui.label(RichText::new(text).color(crate::ui::theme::ok_color(ui)));
            }
            Some(Err(text)) => {
                ui.label(RichText::new(text).color(crate::ui::theme::error_color(ui)));
            }
            None => {}
        }
    }
}

/// Write the rows as CSV to `path` off the UI thread.
fn write_csv(
    ctx: &egui::Context,
    runtime: &tokio::runtime::Handle,
    path: PathBuf,
    snapshot: Snapshot,
) -> Background<Result<String, String>> {
    Background::start(ctx, runtime, move || {
        let text = csv(&snapshot.names, &snapshot.rows);
        match std::fs::write(&path, text) {
            Ok(()) => Ok(format!(
                "Exported {} to {}",
                crate::ui::tree::plural(snapshot.rows.len() as u64, "row", "rows"),
                path.display()
            )),
            Err(error) => Err(format!("Could not export to {}: {error}", path.display())),
        }
    })
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
