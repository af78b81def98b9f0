//! Reading a recording back: mqscope's own JSON lines (`.jsonl`, or `.jsonl.zst`), and the
//! lines `mosquitto_sub -F %j` prints, so a capture made where there is no display opens too.
//! A line that cannot be read is reported with its number and why, and skipped; the rest is
//! kept. Runs off the UI thread, saying how far it got.

use std::path::Path;
use std::sync::Arc;

pub use super::lines::Progress;
use super::lines::{Line, Lines};
use crate::model::{Event, Received, Session};

/// Lines skipped at most that are each reported; more are counted.
const PROBLEMS_LISTED: usize = 20;
/// Messages applied to the session at once.
const BATCH: usize = 4096;

/// A recording read back.
pub struct Opened {
    /// Everything in it, as a connection would have seen it.
    pub session: Session,
    /// Messages read.
    pub messages: u64,
    /// Lines that could not be read: their number and why (the first few).
    pub problems: Vec<(u64, String)>,
    /// Lines skipped in all.
    pub skipped: u64,
}

/// Read the recording at `path` into a session, the history bounded as given.
pub fn open(path: &Path, limits: (usize, usize), progress: &Arc<Progress>) -> Result<Opened, String> {
    let mut lines = Lines::open(path, progress)?;
    let mut session = Session::new();
    session.history.set_limits(limits.0, limits.1);
    let mut opened = Opened {
        session,
        messages: 0,
        problems: Vec::new(),
        skipped: 0,
    };
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(line) = lines.next_line()? {
        match line {
            Line::Message(received) => {
                batch.push(received);
                if batch.len() >= BATCH {
                    opened.apply(std::mem::take(&mut batch));
                }
            }
            Line::Bad { number, why } => {
                opened.skipped += 1;
                if opened.problems.len() < PROBLEMS_LISTED {
                    opened.problems.push((number, why));
                }
            }
        }
    }
    opened.apply(batch);
    Ok(opened)
}

impl Opened {
    fn apply(&mut self, batch: Vec<Received>) {
        self.messages += batch.len() as u64;
        self.session.apply(Event::Messages(batch), std::time::Instant::now());
    }
}
