//! Which format an export is written in: the file name's extension says.

use std::path::Path;

/// The formats an export is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object a line: the recording format, opened again with *Open recording…*.
    JsonLines,
    /// A table: time, topic, QoS, retain, payload, and a column per JSON field.
    Csv,
    /// A JSON array of the objects JSON lines hold.
    Json,
}

impl ExportFormat {
    /// Every format, in the order offered.
    pub const ALL: [Self; 3] = [Self::JsonLines, Self::Csv, Self::Json];

    /// The format a file named so is written in: `.csv` is CSV, `.json` JSON, anything else
    /// (`.jsonl`, `.ndjson`, no extension) JSON lines.
    pub fn of_path(path: &Path) -> Self {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => Self::Csv,
            Some("json") => Self::Json,
            _ => Self::JsonLines,
        }
    }

    /// The extension a file of this format is given.
    pub fn extension(self) -> &'static str {
        match self {
            Self::JsonLines => "jsonl",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    /// The format's name, as the person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::JsonLines => "JSON lines",
            Self::Csv => "CSV",
            Self::Json => "JSON",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        let of = |name: &str| ExportFormat::of_path(Path::new(name));
        assert_eq!(of("/tmp/a.csv"), ExportFormat::Csv);
        assert_eq!(of("/tmp/a.CSV"), ExportFormat::Csv);
        assert_eq!(of("a.json"), ExportFormat::Json);
        assert_eq!(of("a.jsonl"), ExportFormat::JsonLines);
        assert_eq!(of("a.ndjson"), ExportFormat::JsonLines);
        assert_eq!(of("export"), ExportFormat::JsonLines);
        for format in ExportFormat::ALL {
            assert_eq!(of(&format!("x.{}", format.extension())), format);
        }
    }
}
