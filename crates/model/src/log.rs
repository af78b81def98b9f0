//! Every message of a connection in arrival order, across topics: a ring of references into
//! the [`History`], never a copy of a message. A line is the topic and the history's sequence
//! number of the message; it is read through the history, and when the history lets that
//! message go (its per-topic count, or the global byte budget) the line goes too, counted.
//!
//! Costs: 16 bytes a line (inside the [`crate::history::ENTRY_OVERHEAD_BYTES`] the budget
//! already counts per message); a push O(1); resolving a line O(log n) in its topic's history;
//! lines whose message went are taken off the front at once, and from the middle (a busy
//! topic over its count) in one pass once they are an eighth of the log, O(1) amortized.

use std::collections::VecDeque;

use super::history::{Entry, History};
use super::tree::NodeId;

/// One line of the log: which topic, and which of its kept messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// The topic.
    pub topic: NodeId,
    /// The message's sequence number in the history (arrival order across all topics).
    pub seq: u64,
}

/// Lines gone from the middle that are tolerated before a pass takes them out: at least
/// this many, and at least an eighth of the log.
const COMPACT_AT_LEAST: usize = 1024;

/// The connection's messages in arrival order.
#[derive(Debug, Default)]
pub struct Log {
    lines: VecDeque<Line>,
    /// Lines taken out because their message was let go.
    let_go: u64,
    /// Bumped when lines are taken out of the middle, so views holding positions rebuild.
    compactions: u64,
}

impl Log {
    /// Add the line of a message the history just kept as `seq`.
    pub fn push(&mut self, topic: NodeId, seq: u64) {
        self.lines.push_back(Line { topic, seq });
    }

    /// Take out the lines whose message the history let go: all of them at the front, and
    /// those in the middle once there are many. Call after each batch.
    pub fn tidy(&mut self, history: &History) {
        while let Some(&front) = self.lines.front() {
            if is_kept(history, front) {
                break;
            }
            self.lines.pop_front();
            self.let_go += 1;
        }
        // Every line in the log was kept by the history once; those it no longer keeps are
        // the difference.
        let gone = self.lines.len().saturating_sub(history.len());
        if gone >= COMPACT_AT_LEAST && gone >= self.lines.len() / 8 {
            let before = self.lines.len();
            self.lines.retain(|&line| is_kept(history, line));
            self.let_go += (before - self.lines.len()) as u64;
            self.compactions += 1;
        }
    }

    /// Lines in the log (some of their messages may have gone since the last [`Log::tidy`]).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the log has no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The line at `index`, oldest first.
    pub fn get(&self, index: usize) -> Option<Line> {
        self.lines.get(index).copied()
    }

    /// The lines, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Line> + ExactSizeIterator + '_ {
        self.lines.iter().copied()
    }

    /// Lines from `index` on, oldest first.
    pub fn iter_from(&self, index: usize) -> impl Iterator<Item = Line> + '_ {
        self.lines.range(index.min(self.lines.len())..).copied()
    }

    /// The index of the first line with a sequence number of `seq` or more.
    pub fn position_from(&self, seq: u64) -> usize {
        self.lines.partition_point(|line| line.seq < seq)
    }

    /// Older lines taken out of the log because the history let their message go.
    pub fn let_go(&self) -> u64 {
        self.let_go
    }

    /// Changes whenever lines were taken out of the middle of the log.
    pub fn compactions(&self) -> u64 {
        self.compactions
    }

    /// The message of `line`, if the history still keeps it.
    pub fn resolve(history: &History, line: Line) -> Option<&Entry> {
        let entries = history.topic(line.topic)?.entries();
        let index = entries.binary_search_by_key(&line.seq, |e| e.seq).ok()?;
        entries.get(index)
    }
}

/// Whether the history still keeps the message of `line`: a topic lets its messages go oldest
/// first, so it keeps every one from its oldest kept on.
fn is_kept(history: &History, line: Line) -> bool {
    history
        .topic(line.topic)
        .and_then(|t| t.entries().front())
        .is_some_and(|oldest| oldest.seq <= line.seq)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::ENTRY_OVERHEAD_BYTES;
    use crate::message::Message;

    fn push(history: &mut History, log: &mut Log, topic: usize, payload: &[u8]) {
        let id = NodeId::from_index(topic);
        let seq = history.push(id, Message::new(payload.to_vec()));
        log.push(id, seq);
        log.tidy(history);
    }

    #[test]
    fn lines_read_the_history_in_arrival_order_across_topics() {
        let (mut history, mut log) = (History::default(), Log::default());
        push(&mut history, &mut log, 1, b"command");
        push(&mut history, &mut log, 2, b"reply");
        push(&mut history, &mut log, 3, b"state");
        let payloads: Vec<_> = log
            .iter()
            .map(|line| Log::resolve(&history, line).map(|e| e.message.payload.to_vec()))
            .collect();
        assert_eq!(
            payloads,
            [
                Some(b"command".to_vec()),
                Some(b"reply".to_vec()),
                Some(b"state".to_vec())
            ]
        );
    }

    #[test]
    fn the_payload_is_shared_with_the_history_not_copied() {
        let (mut history, mut log) = (History::default(), Log::default());
        push(&mut history, &mut log, 1, b"payload");
        let line = log.get(0).expect("a line");
        let kept = history
            .topic(line.topic)
            .and_then(|t| t.entries().front())
            .expect("kept");
        let read = Log::resolve(&history, line).expect("resolved");
        assert!(std::ptr::eq(
            read.message.payload.as_ptr(),
            kept.message.payload.as_ptr()
        ));
    }

    #[test]
    fn lines_go_with_the_budget_and_are_counted() {
        let per = 10 + ENTRY_OVERHEAD_BYTES;
        let mut history = History::new(1000, 3 * per);
        let mut log = Log::default();
        for topic in 1..=5 {
            push(&mut history, &mut log, topic, &[b'x'; 10]);
        }
        assert_eq!(log.len(), 3);
        assert_eq!(log.let_go(), 2);
        assert!(log.iter().all(|line| Log::resolve(&history, line).is_some()));
    }

    #[test]
    fn a_busy_topic_over_its_count_leaves_no_dead_lines_for_long() {
        let mut history = History::new(10, usize::MAX);
        let mut log = Log::default();
        push(&mut history, &mut log, 2, b"quiet");
        for _ in 0..50_000 {
            push(&mut history, &mut log, 1, b"busy");
        }
        // The quiet topic's line stays at the front, so the busy one's go from the middle.
        assert_eq!(log.get(0).map(|l| l.topic), Some(NodeId::from_index(2)));
        let dead = log.iter().filter(|&l| Log::resolve(&history, l).is_none()).count();
        assert!(dead <= COMPACT_AT_LEAST.max(log.len() / 8), "{dead} dead lines");
        assert_eq!(log.let_go() + log.len() as u64, 50_001);
        assert!(log.compactions() > 0);
    }

    #[test]
    fn positions_are_found_by_sequence_number() {
        let (mut history, mut log) = (History::default(), Log::default());
        for topic in 1..=4 {
            push(&mut history, &mut log, topic, b"m");
        }
        assert_eq!(log.position_from(0), 0);
        assert_eq!(log.position_from(2), 2);
        assert_eq!(log.position_from(99), 4);
    }
}
