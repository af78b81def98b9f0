//! The recorder's thread: takes batches off the queue, writes their lines in chunks of whole
//! lines (each chunk one zstd frame for `.zst` files, so a file cut after any chunk still
//! decompresses), and after a failed write cuts the file back to the end of the last chunk
//! written whole.

use std::fs::File;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::Ordering;

use super::{Ended, RecordError, Status, line};
use crate::model::{Received, topic};

/// Lines gathered before they are written, at most (more are written at once when the queue
/// has nothing more waiting).
const CHUNK_BYTES: usize = 1024 * 1024;

/// zstd's level: fast enough for a local flood, about 10:1 on JSON lines.
const ZSTD_LEVEL: i32 = 3;

struct Out {
    file: File,
    /// Bytes of the file known written whole.
    written: u64,
    compress: bool,
    lines: Vec<u8>,
    /// Messages in `lines`.
    pending: u64,
}

impl Out {
    /// Write the lines gathered; on failure the file is cut back to what was whole before.
    fn write_out(&mut self, status: &Status) -> std::io::Result<()> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let compressed;
        let data: &[u8] = if self.compress {
            compressed = zstd::bulk::compress(&self.lines, ZSTD_LEVEL)?;
            &compressed
        } else {
            &self.lines
        };
        if let Err(error) = self.file.write_all(data) {
            // A partial line (or frame) is worse than none: cut it off.
            if let Err(cut) = self.file.set_len(self.written) {
                tracing::warn!(%cut, "could not cut the recording back to its last whole line");
            }
            return Err(error);
        }
        self.written += data.len() as u64;
        status.messages.fetch_add(self.pending, Ordering::Relaxed);
        status.bytes.store(self.written, Ordering::Relaxed);
        self.lines.clear();
        self.pending = 0;
        Ok(())
    }

    fn add(&mut self, batch: &[Received], filters: &[String]) {
        for received in batch {
            if filters.is_empty() || filters.iter().any(|f| topic::filter_matches(f, &received.topic)) {
                line::write(&mut self.lines, received);
                self.pending += 1;
            }
        }
    }
}

/// Write what arrives on `rx` to `path` until the queue closes or a write fails.
pub(super) fn run(
    path: &Path,
    filters: &[String],
    mut rx: tokio::sync::mpsc::Receiver<Vec<Received>>,
    status: &Status,
) {
    let file = match File::create(path) {
        Ok(file) => file,
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "cannot create the recording");
            status.end(Ended::Failed(RecordError::Create {
                path: path.to_owned(),
                reason: error.to_string(),
            }));
            return;
        }
    };
    let compress = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zst"));
    let mut out = Out {
        file,
        written: 0,
        compress,
        lines: Vec::with_capacity(CHUNK_BYTES + 64 * 1024),
        pending: 0,
    };
    tracing::info!(path = %path.display(), "recording");
    while let Some(batch) = rx.blocking_recv() {
        out.add(&batch, filters);
        // Gather what else waits, up to a chunk; write as soon as nothing more waits, so a
        // quiet connection's messages reach the file at once.
        while out.lines.len() < CHUNK_BYTES {
            match rx.try_recv() {
                Ok(batch) => out.add(&batch, filters),
                Err(_) => break,
            }
        }
        if let Err(error) = out.write_out(status) {
            tracing::warn!(path = %path.display(), %error, "recording stopped");
            status.end(Ended::Failed(RecordError::Write {
                path: path.to_owned(),
                reason: error.to_string(),
            }));
            return;
        }
    }
    tracing::info!(path = %path.display(), messages = status.messages.load(Ordering::Relaxed), "recording ended");
    status.end(Ended::Stopped);
}
