//! A log file bounded in size: when the next line would take it past its bound, it becomes
//! `NAME.1` (replacing the one before) and a new file starts, so the two together hold at most
//! twice the bound.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The bound of each of the two files, in bytes: the log takes 4 MiB at most.
pub const MAX_BYTES: u64 = 2 << 20;

/// A log file that rotates by size. Write to `&RotatingFile` (tracing's writer does, a whole
/// event at a time, from any thread).
pub struct RotatingFile {
    path: PathBuf,
    max_bytes: u64,
    open: Mutex<Open>,
}

/// The file being written and how much it holds.
struct Open {
    file: File,
    size_bytes: u64,
}

impl RotatingFile {
    /// Append to the file at `path` (its folder made if missing), rotating past `max_bytes`.
    pub fn open(path: &Path, max_bytes: u64) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let size_bytes = file.metadata()?.len();
        Ok(Self {
            path: path.to_owned(),
            max_bytes,
            open: Mutex::new(Open { file, size_bytes }),
        })
    }

    /// Where it writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The previous file's path: `NAME.1`.
    pub fn previous_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_owned();
        name.push(".1");
        self.path.with_file_name(name)
    }

    /// Move the full file aside and start a new one. If it cannot be moved, it is emptied
    /// instead: the bound holds either way.
    fn rotate(&self, open: &mut Open) -> io::Result<()> {
        open.file.flush()?;
        match std::fs::rename(&self.path, self.previous_path()) {
            Ok(()) => {
                open.file = OpenOptions::new().create(true).append(true).open(&self.path)?;
            }
            Err(_) => open.file.set_len(0)?,
        }
        open.size_bytes = 0;
        Ok(())
    }
}

impl io::Write for &RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    /// Write `buf` whole, to the new file if it would not fit in this one.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| io::Error::other("the log file's lock was poisoned"))?;
        if open.size_bytes > 0 && open.size_bytes + buf.len() as u64 > self.max_bytes {
            self.rotate(&mut open)?;
        }
        open.file.write_all(buf)?;
        open.size_bytes += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| io::Error::other("the log file's lock was poisoned"))?;
        open.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    #[test]
    fn rotates_past_the_bound_and_keeps_one_previous_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("logs").join("mqscope.log");
        let log = RotatingFile::open(&path, 100).expect("opens");
        let line = [b'a'; 39];
        for i in 0..10u8 {
            let mut line = line.to_vec();
            line.push(b'0' + i);
            (&log).write_all(&line).expect("writes");
        }
        let current = std::fs::read(&path).expect("current file");
        let previous = std::fs::read(log.previous_path()).expect("previous file");
        assert!(
            current.len() <= 100 && previous.len() <= 100,
            "{} {}",
            current.len(),
            previous.len()
        );
        // Lines are never split: the newest two in the current file, the two before in the previous.
        assert_eq!(current.len(), 80);
        assert!(current.ends_with(b"9") && previous.ends_with(b"7"));
        assert_eq!(
            log.previous_path().file_name().and_then(|n| n.to_str()),
            Some("mqscope.log.1")
        );
    }

    #[test]
    fn appends_to_what_an_earlier_run_wrote_within_the_bound() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mqscope.log");
        std::fs::write(&path, [b'x'; 90]).expect("earlier run");
        let log = RotatingFile::open(&path, 100).expect("opens");
        (&log).write_all(b"0123456789").expect("writes");
        assert_eq!(std::fs::read(&path).expect("read").len(), 100);
        (&log).write_all(b"!").expect("writes");
        assert_eq!(std::fs::read(&path).expect("read"), b"!");
        assert_eq!(std::fs::read(log.previous_path()).expect("read").len(), 100);
    }
}
