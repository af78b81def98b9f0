//! Keeping one file of the config directory up to date, off the UI thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::profiles::Store;

/// Writes one file (profiles, saved messages or settings) on the runtime's blocking pool.
/// Saves may start out of order; only the newest one writes.
pub struct Saver {
    /// Where the file lives; `None` when it must not be written (no config directory, or a
    /// file that could not be read and must be kept as it is).
    store: Option<Store>,
    /// The file's name in the store.
    file: &'static str,
    /// Saves started so far (the newest one's number).
    started: Arc<AtomicU64>,
}

impl Saver {
    /// A saver of `file` in `store`, or one that writes nothing.
    pub fn new(store: Option<Store>, file: &'static str) -> Self {
        Self {
            store,
            file,
            started: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Write `value` in the background, unless a newer save starts before it runs.
    pub fn save<T: serde::Serialize + Send + 'static>(&self, runtime: &tokio::runtime::Handle, value: T) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let generation = self.started.fetch_add(1, Ordering::AcqRel) + 1;
        let newest = Arc::clone(&self.started);
        let file = self.file;
        runtime.spawn_blocking(move || {
            if generation < newest.load(Ordering::Acquire) {
                return;
            }
            if let Err(error) = store.save(file, &value) {
                tracing::warn!(%error, file, "not saved");
            }
        });
    }
}
