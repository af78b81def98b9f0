//! A recording read line by line, streamed (plain, or zstd when the name ends in `.zst`):
//! each line parsed into a [`Received`] with its time, or why not with the line's number.
//! Nothing is kept but the line being read, so a recording of any size is read in little
//! memory. How much of the file was read is counted for a progress bar. The other files an
//! export writes read the same way (`record::exported`): a JSON array of the same objects, or
//! a CSV table, each message numbered by its element or line.

use std::io::{BufRead as _, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::exported::{self, Detected, Exported};
use super::parse::parse_line;
use crate::model::Received;

/// How far a reading got: bytes of the file read, of how many.
#[derive(Debug, Default)]
pub struct Progress {
    read_bytes: AtomicU64,
    total_bytes: AtomicU64,
}

impl Progress {
    /// The share read, 0 to 1.
    pub fn fraction(&self) -> f32 {
        let total = self.total_bytes.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.read_bytes.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
    }

    /// Bytes of the file read so far (compressed bytes, for a `.zst` file).
    pub fn read_bytes(&self) -> u64 {
        self.read_bytes.load(Ordering::Relaxed)
    }
}

/// A reader that counts what was read from the file.
struct Counted<R> {
    inner: R,
    progress: Arc<Progress>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.read_bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// One line read.
#[derive(Debug)]
pub enum Line {
    /// A message, with its time.
    Message(Received),
    /// A line that could not be read: its number (from 1) and why.
    Bad {
        /// The line's number, from 1.
        number: u64,
        /// Why it could not be read.
        why: String,
    },
}

/// A recording's lines, read one at a time.
pub struct Lines {
    path: PathBuf,
    reader: BufReader<Box<dyn Read + Send>>,
    line: Vec<u8>,
    number: u64,
    /// Set when the file is an export's JSON array or CSV table rather than JSON lines.
    exported: Option<Exported>,
}

impl Lines {
    /// Open the recording at `path`, counting what is read in `progress`.
    pub fn open(path: &Path, progress: &Arc<Progress>) -> Result<Self, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(format!("cannot open {}: it is a folder", path.display()));
        }
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        progress.total_bytes.store(total, Ordering::Relaxed);
        progress.read_bytes.store(0, Ordering::Relaxed);
        let counted = Counted {
            inner: file,
            progress: Arc::clone(progress),
        };
        let compressed = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zst"));
        let reader: Box<dyn Read + Send> = if compressed {
            Box::new(
                zstd::stream::read::Decoder::new(counted)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            )
        } else {
            Box::new(counted)
        };
        let (reader, exported) = match exported::detect(path, BufReader::with_capacity(1 << 20, reader))? {
            Detected::Lines(reader) => (reader, None),
            Detected::Exported(exported) => (
                BufReader::new(Box::new(std::io::empty()) as Box<dyn Read + Send>),
                Some(exported),
            ),
        };
        Ok(Self {
            path: path.to_owned(),
            reader,
            line: Vec::new(),
            number: 0,
            exported,
        })
    }

    /// The number of the last line read (blank lines counted).
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The next line that is not blank, `None` at the end of the file, or why the file could
    /// not be read on.
    pub fn next_line(&mut self) -> Result<Option<Line>, String> {
        if let Some(exported) = &mut self.exported {
            let next = exported.next_message(&self.path)?;
            if let Some((number, _)) = &next {
                self.number = *number;
            }
            return Ok(next.map(|(number, read)| match read {
                Ok(received) => Line::Message(received),
                Err(why) => Line::Bad { number, why },
            }));
        }
        loop {
            self.line.clear();
            let read = self
                .reader
                .read_until(b'\n', &mut self.line)
                .map_err(|e| format!("cannot read {} after line {}: {e}", self.path.display(), self.number))?;
            if read == 0 {
                return Ok(None);
            }
            self.number += 1;
            let text = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some(match parse_line(text) {
                Ok(received) => Line::Message(received),
                Err(why) => Line::Bad {
                    number: self.number,
                    why,
                },
            }));
        }
    }
}
