//! Recording a connection to a file: every message it receives (or those matching filters),
//! in arrival order, one JSON line each (`line`), written on a thread of its own (`writer`)
//! that the connection task hands batches to through a bounded queue. The queue never drops:
//! when it is full the task waits before reading more from the socket, so a disk that cannot
//! keep up slows the connection, as a window that cannot keep up does. A write error stops
//! the recording with its reason, the file cut back to its last whole line.

mod exported;
pub mod line;
pub mod lines;
pub mod open;
pub mod parse;
pub mod rebuild;
pub mod timeline;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::model::Received;

/// Batches waiting for the writer at most (each up to 4096 messages or 1 MiB of payloads).
pub const QUEUE_BATCHES: usize = 64;

/// Why a recording stopped before it was asked to.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RecordError {
    /// The file could not be made.
    #[error("cannot create {path}: {reason}")]
    Create {
        /// The file.
        path: PathBuf,
        /// The system's words.
        reason: String,
    },
    /// Writing failed (a full disk, a file size limit, a removed drive).
    #[error("cannot write to {path}: {reason}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's words.
        reason: String,
    },
    /// The writing thread could not be started.
    #[error("cannot start writing: {0}")]
    Thread(String),
}

/// How a recording ended.
#[derive(Debug, Clone)]
pub enum Ended {
    /// Stopped as asked (or the connection closed): everything received was written.
    Stopped,
    /// Stopped by an error; what was written before it is in the file, whole lines only.
    Failed(RecordError),
}

/// What the writer reports, read by the window.
#[derive(Debug, Default)]
struct Status {
    /// Messages written to the file.
    messages: AtomicU64,
    /// Bytes in the file.
    bytes: AtomicU64,
    ended: Mutex<Option<Ended>>,
}

impl Status {
    fn end(&self, ended: Ended) {
        if let Ok(mut slot) = self.ended.lock() {
            slot.get_or_insert(ended);
        }
    }
}

/// The connection task's end of a recording: where it hands every batch it receives.
#[derive(Clone, Debug)]
pub struct RecordSink {
    tx: tokio::sync::mpsc::Sender<Vec<Received>>,
}

impl PartialEq for RecordSink {
    /// The same recording.
    fn eq(&self, other: &Self) -> bool {
        self.tx.same_channel(&other.tx)
    }
}

impl Eq for RecordSink {}

/// Why a batch was not taken.
pub enum NotTaken {
    /// The queue is full: wait with [`RecordSink::send`].
    Full(Vec<Received>),
    /// The recording ended.
    Ended,
}

impl RecordSink {
    /// Hand a batch over if the queue has room.
    pub fn try_send(&self, batch: Vec<Received>) -> Result<(), NotTaken> {
        use tokio::sync::mpsc::error::TrySendError;
        self.tx.try_send(batch).map_err(|error| match error {
            TrySendError::Full(batch) => NotTaken::Full(batch),
            TrySendError::Closed(_) => NotTaken::Ended,
        })
    }

    /// Hand a batch over, waiting for room; false when the recording ended.
    pub async fn send(&self, batch: Vec<Received>) -> bool {
        self.tx.send(batch).await.is_ok()
    }
}

/// The window's end of a recording: what it writes to, and how far it got.
#[derive(Debug)]
pub struct Recording {
    path: PathBuf,
    filters: Vec<String>,
    status: Arc<Status>,
    started: Instant,
    /// How long it ran, once it ended.
    ran_for: Option<Duration>,
}

impl Recording {
    /// Start recording to `path` (compressed with zstd when it ends in `.zst`), the messages
    /// of `filters` only, or all when there are none. The file is made on the writer's thread;
    /// a failure shows as [`Ended::Failed`].
    pub fn start(path: PathBuf, filters: Vec<String>) -> (Self, RecordSink) {
        let (tx, rx) = tokio::sync::mpsc::channel(QUEUE_BATCHES);
        let status = Arc::new(Status::default());
        let recording = Self {
            path: path.clone(),
            filters: filters.clone(),
            status: Arc::clone(&status),
            started: Instant::now(),
            ran_for: None,
        };
        let spawned = std::thread::Builder::new().name("recorder".into()).spawn({
            let status = Arc::clone(&status);
            move || writer::run(&path, &filters, rx, &status)
        });
        if let Err(error) = spawned {
            status.end(Ended::Failed(RecordError::Thread(error.to_string())));
        }
        (recording, RecordSink { tx })
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The filters recorded (none: everything).
    pub fn filters(&self) -> &[String] {
        &self.filters
    }

    /// Messages written so far.
    pub fn messages(&self) -> u64 {
        self.status.messages.load(Ordering::Relaxed)
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.status.bytes.load(Ordering::Relaxed)
    }

    /// How it ended, once it has (everything written by then).
    pub fn ended(&mut self) -> Option<Ended> {
        let ended = self.status.ended.lock().ok().and_then(|e| e.clone());
        if ended.is_some() && self.ran_for.is_none() {
            self.ran_for = Some(self.started.elapsed());
        }
        ended
    }

    /// How long it has run (or ran).
    pub fn duration(&self) -> Duration {
        self.ran_for.unwrap_or_else(|| self.started.elapsed())
    }
}
