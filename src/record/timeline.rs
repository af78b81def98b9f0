//! An opened recording's messages, kept in time order once read, so the state at any moment of
//! it can be built again: every message received by then, applied to a fresh session.
//!
//! Payloads are the `Bytes` the session holds too (shared, not copied); each topic's name is
//! kept once. Built in the same order, the sessions of any two moments agree on their topics'
//! ids and their messages' sequence numbers (the earlier one's tree is the start of the
//! later one's arena), so what a view keeps by id (the selection, the open branches) holds
//! across moments.

use std::ops::Range;
use std::time::{Instant, SystemTime};

use std::collections::HashMap;

use crate::model::{Event, Message, Received, Session};

/// Messages applied to a session at once.
pub const BATCH: usize = 4096;

/// The messages of a recording in time order.
#[derive(Default)]
pub struct Timeline {
    /// Every topic's name, once.
    topics: Vec<Box<str>>,
    /// (index into `topics`, message), by receive time; equal times in file order.
    messages: Vec<(u32, Message)>,
}

/// Gathers a recording's messages as they are read (see [`Builder::finish`]).
#[derive(Default)]
pub struct Builder {
    timeline: Timeline,
    index: HashMap<Box<str>, u32>,
}

impl Builder {
    /// Keep `received` (its payload shared, not copied).
    pub fn push(&mut self, received: &Received) {
        let topic = match self.index.get(received.topic.as_str()) {
            Some(&topic) => topic,
            None => {
                let Ok(topic) = u32::try_from(self.timeline.topics.len()) else {
                    return;
                };
                let name: Box<str> = received.topic.as_str().into();
                self.timeline.topics.push(name.clone());
                self.index.insert(name, topic);
                topic
            }
        };
        self.timeline.messages.push((topic, received.message.clone()));
    }

    /// The messages in time order, and whether they had to be put in it (a file whose lines
    /// are not in time order).
    pub fn finish(self) -> (Timeline, bool) {
        let mut timeline = self.timeline;
        let in_order = timeline
            .messages
            .windows(2)
            .all(|pair| pair[0].1.received_at <= pair[1].1.received_at);
        if !in_order {
            // Stable: messages of the same moment stay in the order they were read.
            timeline.messages.sort_by_key(|(_, m)| m.received_at);
        }
        (timeline, !in_order)
    }
}

impl Timeline {
    /// Messages in all.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether it holds no message.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// When message `index` (0: the first in time) was received.
    pub fn time_of(&self, index: usize) -> Option<SystemTime> {
        self.messages.get(index).map(|(_, m)| m.received_at)
    }

    /// When the first message was received.
    pub fn first_time(&self) -> Option<SystemTime> {
        self.time_of(0)
    }

    /// When the last message was received.
    pub fn last_time(&self) -> Option<SystemTime> {
        self.time_of(self.len().checked_sub(1)?)
    }

    /// How many messages were received at `moment` or before. O(log n).
    pub fn count_until(&self, moment: SystemTime) -> usize {
        self.messages.partition_point(|(_, m)| m.received_at <= moment)
    }

    /// The latest time a message was received strictly before `moment`.
    pub fn time_before(&self, moment: SystemTime) -> Option<SystemTime> {
        let before = self.messages.partition_point(|(_, m)| m.received_at < moment);
        self.time_of(before.checked_sub(1)?)
    }

    /// The earliest time a message was received strictly after `moment`.
    pub fn time_after(&self, moment: SystemTime) -> Option<SystemTime> {
        self.time_of(self.count_until(moment))
    }

    /// Apply messages `range` (in time order) to `session`, as a connection would have
    /// delivered them.
    pub fn apply(&self, session: &mut Session, range: Range<usize>) {
        let Some(messages) = self.messages.get(range) else {
            return;
        };
        let now = Instant::now();
        for chunk in messages.chunks(BATCH) {
            let batch = chunk
                .iter()
                .map(|(topic, message)| Received {
                    topic: self
                        .topics
                        .get(*topic as usize)
                        .map_or_else(String::new, |t| t.to_string()),
                    message: message.clone(),
                })
                .collect();
            session.apply(Event::Messages(batch), now);
        }
    }

    /// The state after the first `count` messages: a fresh session, its history bounded by
    /// `limits` (per topic, bytes in all), given them.
    pub fn state_at(&self, count: usize, limits: (usize, usize)) -> Session {
        let mut session = fresh(limits);
        self.apply(&mut session, 0..count.min(self.len()));
        session
    }
}

/// A session that has seen nothing, its history bounded by `limits`.
pub fn fresh(limits: (usize, usize)) -> Session {
    let mut session = Session::new();
    session.history.set_limits(limits.0, limits.1);
    session
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    fn at(topic: &str, payload: &str, secs: u64) -> Received {
        let mut received = Received::example(topic, payload);
        received.message.received_at = UNIX_EPOCH + Duration::from_secs(secs);
        received.message.retain = true;
        received
    }

    fn timeline(messages: &[Received]) -> Timeline {
        let mut builder = Builder::default();
        messages.iter().for_each(|m| builder.push(m));
        builder.finish().0
    }

    fn example() -> Timeline {
        timeline(&[
            at("home/kitchen/temp", "20", 100),
            at("home/hall/door", "closed", 110),
            at("home/kitchen/temp", "21", 120),
            at("garden/rain", "0", 130),
            at("home/kitchen/temp", "22", 140),
        ])
    }

    fn topics(session: &Session) -> Vec<String> {
        let tree = &session.tree;
        let mut topics: Vec<String> = (1..tree.node_count())
            .map(crate::model::NodeId::from_index)
            .filter(|&id| tree.get(id).is_some_and(|n| n.latest().is_some()))
            .map(|id| tree.topic(id))
            .collect();
        topics.sort();
        topics
    }

    fn latest(session: &Session, topic: &str) -> Option<String> {
        let message = session.tree.latest_of(topic)?;
        Some(String::from_utf8_lossy(&message.payload).into_owned())
    }

    #[test]
    fn the_state_at_a_moment_has_exactly_the_topics_that_existed_by_then() {
        let timeline = example();
        let limits = (1000, 1 << 30);
        let at_115 = timeline.state_at(timeline.count_until(UNIX_EPOCH + Duration::from_secs(115)), limits);
        assert_eq!(topics(&at_115), ["home/hall/door", "home/kitchen/temp"]);
        let at_130 = timeline.state_at(timeline.count_until(UNIX_EPOCH + Duration::from_secs(130)), limits);
        assert_eq!(topics(&at_130), ["garden/rain", "home/hall/door", "home/kitchen/temp"]);
        let before = timeline.state_at(timeline.count_until(UNIX_EPOCH + Duration::from_secs(99)), limits);
        assert!(topics(&before).is_empty());
    }

    #[test]
    fn the_state_at_a_moment_holds_the_values_and_counts_of_then() {
        let timeline = example();
        let session = timeline.state_at(
            timeline.count_until(UNIX_EPOCH + Duration::from_secs(125)),
            (1000, 1 << 30),
        );
        assert_eq!(latest(&session, "home/kitchen/temp").as_deref(), Some("21"));
        let id = session.tree.find("home/kitchen/temp").expect("the topic");
        assert_eq!(session.tree.get(id).map(|n| n.own_messages()), Some(2));
        assert_eq!(session.history.topic(id).map(|h| h.entries().len()), Some(2));
        assert!(session.tree.get(id).is_some_and(|n| n.is_retained()));
        let end = timeline.state_at(timeline.len(), (1000, 1 << 30));
        assert_eq!(latest(&end, "home/kitchen/temp").as_deref(), Some("22"));
        assert_eq!(end.tree.message_count(), 5);
    }

    #[test]
    fn the_history_keeps_its_bounds() {
        let timeline = example();
        let session = timeline.state_at(timeline.len(), (1, 1 << 30));
        let id = session.tree.find("home/kitchen/temp").expect("the topic");
        assert_eq!(session.history.topic(id).map(|h| h.entries().len()), Some(1));
    }

    #[test]
    fn an_earlier_moment_keeps_the_ids_and_sequence_numbers_of_a_later_one() {
        let timeline = example();
        let early = timeline.state_at(3, (1000, 1 << 30));
        let late = timeline.state_at(5, (1000, 1 << 30));
        for topic in topics(&early) {
            let (a, b) = (early.tree.find(&topic), late.tree.find(&topic));
            assert_eq!(a, b, "{topic}");
            let seqs = |s: &Session| {
                let id = s.tree.find(&topic).expect("the topic");
                s.history
                    .topic(id)
                    .map(|h| h.entries().iter().map(|e| e.seq).collect::<Vec<_>>())
            };
            let (early_seqs, late_seqs) = (seqs(&early).unwrap_or_default(), seqs(&late).unwrap_or_default());
            assert!(late_seqs.starts_with(&early_seqs), "{topic}");
        }
    }

    #[test]
    fn lines_out_of_time_order_are_put_in_it() {
        let mut builder = Builder::default();
        for m in [at("a", "2", 20), at("b", "1", 10), at("a", "3", 20)] {
            builder.push(&m);
        }
        let (timeline, reordered) = builder.finish();
        assert!(reordered);
        assert_eq!(timeline.first_time(), Some(UNIX_EPOCH + Duration::from_secs(10)));
        let end = timeline.state_at(timeline.len(), (1000, 1 << 30));
        assert_eq!(
            latest(&end, "a").as_deref(),
            Some("3"),
            "equal times stay in file order"
        );
    }

    #[test]
    fn steps_go_to_the_neighbouring_moments() {
        let timeline = example();
        let secs = |s| UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(timeline.time_after(secs(110)), Some(secs(120)));
        assert_eq!(timeline.time_after(secs(115)), Some(secs(120)));
        assert_eq!(timeline.time_before(secs(120)), Some(secs(110)));
        assert_eq!(timeline.time_before(secs(100)), None);
        assert_eq!(timeline.time_after(secs(140)), None);
        assert_eq!(timeline.last_time(), Some(secs(140)));
    }
}
