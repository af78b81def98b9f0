//! Reading a recording back: mqscope's own JSON lines (`.jsonl`, or `.jsonl.zst`), and the
//! lines `mosquitto_sub -F %j` prints, so a capture made where there is no display opens too.
//! A line that cannot be read is reported with its number and why, and skipped; the rest is
//! kept. Runs off the UI thread, saying how far it got.

use std::path::Path;
use std::sync::Arc;

pub use super::lines::Progress;
use super::lines::{Line, Lines};
pub use super::parse::parse_line;
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
    /// Its messages in time order, for the time slider (when opened with [`open_keeping`]).
    pub timeline: Option<super::timeline::Timeline>,
}

/// Read the recording at `path` into a session, the history bounded as given.
pub fn open(path: &Path, limits: (usize, usize), progress: &Arc<Progress>) -> Result<Opened, String> {
    read(path, limits, progress, None)
}

/// As [`open`], and keep the messages in time order too ([`Opened::timeline`]); the session is
/// the state at the last of them (built again in time order if the lines were not in it).
pub fn open_keeping(path: &Path, limits: (usize, usize), progress: &Arc<Progress>) -> Result<Opened, String> {
    read(path, limits, progress, Some(super::timeline::Builder::default()))
}

fn read(
    path: &Path,
    limits: (usize, usize),
    progress: &Arc<Progress>,
    mut keep: Option<super::timeline::Builder>,
) -> Result<Opened, String> {
    let mut lines = Lines::open(path, progress)?;
    let mut session = Session::new();
    session.history.set_limits(limits.0, limits.1);
    let mut opened = Opened {
        session,
        messages: 0,
        problems: Vec::new(),
        skipped: 0,
        timeline: None,
    };
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(line) = lines.next_line()? {
        match line {
            Line::Message(received) => {
                if let Some(keep) = &mut keep {
                    keep.push(&received);
                }
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
    if let Some(keep) = keep {
        let (timeline, reordered) = keep.finish();
        if reordered {
            // Built again in time order, so it agrees with every moment of the slider.
            opened.session = timeline.state_at(timeline.len(), limits);
        }
        opened.timeline = Some(timeline);
    }
    Ok(opened)
}

impl Opened {
    fn apply(&mut self, batch: Vec<Received>) {
        self.messages += batch.len() as u64;
        self.session.apply(Event::Messages(batch), std::time::Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_for_the_time_slider_lines_out_of_time_order_open_in_time_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("shuffled.jsonl");
        let line =
            |payload: &str, us: u64| format!(r#"{{"received_us":{us},"topic":"a/b","qos":0,"payload":"{payload}"}}"#);
        std::fs::write(&path, [line("later", 2_000_000), line("earlier", 1_000_000)].join("\n")).expect("written");
        let opened = open_keeping(&path, (1000, 1 << 30), &Arc::default()).expect("opens");
        let latest = opened.session.tree.latest_of("a/b").map(|m| m.payload.clone());
        assert_eq!(latest.as_deref(), Some(&b"later"[..]));
        assert_eq!(opened.timeline.map(|t| t.len()), Some(2));
    }
}
