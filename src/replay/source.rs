//! The messages a replay sends, read from the file on a thread of their own (`replay-read`)
//! and handed over through a bounded queue, so a recording of any size streams in little
//! memory and the sending thread never waits on the disk; and their count, worked out by a
//! second reading (`replay-count`) for the progress bar while the first one is under way.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use super::options::{ReplayOptions, Selection};
use crate::model::Received;
use crate::record::lines::{Line, Lines, Progress};

/// Messages read ahead of the sending at most.
const READ_AHEAD: usize = 1024;

/// What the reading hands over.
#[derive(Debug)]
pub enum Item {
    /// The next message to send.
    Message(Received),
    /// A line that could not be read: its number and why.
    Bad(u64, String),
    /// The end of the file; with a loop, the messages that follow start again from the top.
    EndOfPass,
    /// The file could not be opened or read on.
    Failed(String),
}

/// Start reading `path` for `options` (again from the top after each end when they loop).
/// The reading stops when the receiver is dropped.
pub fn read(path: &Path, options: &ReplayOptions) -> Result<Receiver<Item>, String> {
    let (tx, rx) = sync_channel(READ_AHEAD);
    let (path, options) = (path.to_owned(), options.clone());
    std::thread::Builder::new()
        .name("replay-read".into())
        .spawn(move || reading(&path, &options, &tx))
        .map_err(|e| format!("cannot start reading: {e}"))?;
    Ok(rx)
}

fn reading(path: &Path, options: &ReplayOptions, tx: &SyncSender<Item>) {
    let progress = Arc::new(Progress::default());
    loop {
        let mut lines = match Lines::open(path, &progress) {
            Ok(lines) => lines,
            Err(why) => {
                tx.send(Item::Failed(why)).ok();
                return;
            }
        };
        let mut selection = Selection::new(options);
        let mut selected = 0u64;
        loop {
            let item = match lines.next_line() {
                Ok(Some(Line::Message(received))) => {
                    if !selection.accepts(&received) {
                        continue;
                    }
                    selected += 1;
                    Item::Message(received)
                }
                Ok(Some(Line::Bad { number, why })) => Item::Bad(number, why),
                Ok(None) => break,
                Err(why) => {
                    tx.send(Item::Failed(why)).ok();
                    return;
                }
            };
            if tx.send(item).is_err() {
                // The replay stopped.
                return;
            }
        }
        // A pass that sent nothing would loop without end.
        if tx.send(Item::EndOfPass).is_err() || !options.repeat || selected == 0 {
            return;
        }
    }
}

/// How many messages of the file a replay sends in one pass, once counted.
#[derive(Debug, Default)]
pub struct Count {
    counted: Mutex<Option<u64>>,
}

impl Count {
    /// Count on a thread of its own (an unreadable file is left uncounted: the reading says
    /// why).
    pub fn start(path: &Path, options: &ReplayOptions) -> Arc<Self> {
        let count = Arc::new(Self::default());
        let (path, options, result): (PathBuf, _, _) = (path.to_owned(), options.clone(), Arc::clone(&count));
        let spawned = std::thread::Builder::new().name("replay-count".into()).spawn(move || {
            let counted = counting(&path, &options, &result);
            if let Ok(mut slot) = result.counted.lock() {
                *slot = counted;
            }
        });
        if let Err(error) = spawned {
            tracing::warn!(%error, "cannot count the messages to replay");
        }
        count
    }

    /// The count, once known.
    pub fn get(&self) -> Option<u64> {
        self.counted.lock().ok().and_then(|c| *c)
    }
}

fn counting(path: &Path, options: &ReplayOptions, count: &Arc<Count>) -> Option<u64> {
    let mut lines = Lines::open(path, &Arc::default()).ok()?;
    let mut selection = Selection::new(options);
    let mut selected = 0;
    while let Some(line) = lines.next_line().ok()? {
        if let Line::Message(received) = line
            && selection.accepts(&received)
        {
            selected += 1;
        }
        // Nobody is waiting for it any more: the replay ended.
        if selected % 4096 == 0 && Arc::strong_count(count) == 1 {
            return None;
        }
    }
    Some(selected)
}
