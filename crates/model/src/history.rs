//! Every topic's recent messages, bounded twice: a count per topic, and one
//! byte budget for all topics together, the oldest messages of all topics
//! going first. Nothing goes silently: each topic counts what it lost.

use std::collections::VecDeque;

use super::message::Message;
use super::tree::NodeId;

/// Messages kept per topic unless set otherwise.
pub const DEFAULT_PER_TOPIC: usize = 1000;
/// Bytes kept for all topics together unless set otherwise (512 MiB).
pub const DEFAULT_BUDGET_BYTES: usize = 512 * 1024 * 1024;
/// What one kept message costs beyond its payload (entry, queue slots), for the budget.
pub const ENTRY_OVERHEAD_BYTES: usize = 128;

/// One kept message and its place in arrival order.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Arrival order across all topics.
    pub seq: u64,
    /// The message.
    pub message: Message,
}

/// The kept messages of one topic.
#[derive(Clone, Debug, Default)]
pub struct TopicHistory {
    entries: VecDeque<Entry>,
    /// Messages of this topic no longer kept (per-topic count or global budget).
    dropped: u64,
}

impl TopicHistory {
    /// Kept messages, oldest first.
    pub fn entries(&self) -> &VecDeque<Entry> {
        &self.entries
    }

    /// How many of this topic's messages were let go to stay within the bounds.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// The history of all topics of a session.
#[derive(Debug)]
pub struct History {
    topics: Vec<Option<Box<TopicHistory>>>,
    /// (topic, seq) in arrival order; entries already gone are skipped when reached.
    order: VecDeque<(NodeId, u64)>,
    next_seq: u64,
    live_entries: usize,
    bytes: usize,
    per_topic: usize,
    budget_bytes: usize,
}

impl Default for History {
    fn default() -> Self {
        Self::new(DEFAULT_PER_TOPIC, DEFAULT_BUDGET_BYTES)
    }
}

fn cost(message: &Message) -> usize {
    message.payload.len() + ENTRY_OVERHEAD_BYTES
}

impl History {
    /// A history keeping at most `per_topic` messages a topic and `budget_bytes` in all.
    pub fn new(per_topic: usize, budget_bytes: usize) -> Self {
        Self {
            topics: Vec::new(),
            order: VecDeque::new(),
            next_seq: 0,
            live_entries: 0,
            bytes: 0,
            per_topic: per_topic.max(1),
            budget_bytes,
        }
    }

    /// Change the bounds; what is over them goes at once.
    pub fn set_limits(&mut self, per_topic: usize, budget_bytes: usize) {
        self.per_topic = per_topic.max(1);
        self.budget_bytes = budget_bytes;
        for index in 0..self.topics.len() {
            let id = NodeId::from_index(index);
            while self.topic(id).is_some_and(|t| t.entries.len() > self.per_topic) {
                self.pop_oldest_of(id);
            }
        }
        self.enforce_budget();
    }

    /// The kept messages of a topic.
    pub fn topic(&self, id: NodeId) -> Option<&TopicHistory> {
        self.topics.get(id.index()).and_then(|t| t.as_deref())
    }

    /// The sequence number the next message kept will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Bytes kept, counted as the budget counts them.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Messages kept, all topics together.
    pub fn len(&self) -> usize {
        self.live_entries
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.live_entries == 0
    }

    /// Keep `message` of topic `id`, letting go of what the bounds require; returns its
    /// sequence number. O(1) amortized.
    pub fn push(&mut self, id: NodeId, message: Message) -> u64 {
        let index = id.index();
        if self.topics.len() <= index {
            self.topics.resize_with(index + 1, || None);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.bytes += cost(&message);
        self.live_entries += 1;
        self.order.push_back((id, seq));
        // Most topics keep few messages: start small and let busy ones grow.
        let topic = self.topics[index].get_or_insert_with(|| {
            Box::new(TopicHistory {
                entries: VecDeque::with_capacity(1),
                dropped: 0,
            })
        });
        topic.entries.push_back(Entry { seq, message });
        if topic.entries.len() > self.per_topic {
            self.pop_oldest_of(id);
        }
        self.enforce_budget();
        // Entries let go per topic stay in `order` until reached: keep it from growing past twice the live ones.
        if self.order.len() > 2 * self.live_entries + 1024 {
            self.compact_order();
        }
        seq
    }

    /// Forget a topic's messages (its topic was removed).
    pub fn remove_topic(&mut self, id: NodeId) {
        if let Some(topic) = self.topics.get_mut(id.index()).and_then(Option::take) {
            for entry in &topic.entries {
                self.bytes -= cost(&entry.message);
                self.live_entries -= 1;
            }
        }
    }

    fn pop_oldest_of(&mut self, id: NodeId) {
        let Some(topic) = self.topics.get_mut(id.index()).and_then(|t| t.as_deref_mut()) else {
            return;
        };
        if let Some(entry) = topic.entries.pop_front() {
            topic.dropped += 1;
            self.bytes -= cost(&entry.message);
            self.live_entries -= 1;
        }
    }

    fn enforce_budget(&mut self) {
        while self.bytes > self.budget_bytes {
            let Some((id, seq)) = self.order.pop_front() else { break };
            let oldest = self.topic(id).and_then(|t| t.entries.front()).map(|e| e.seq);
            if oldest == Some(seq) {
                self.pop_oldest_of(id);
            }
        }
    }

    fn compact_order(&mut self) {
        let topics = &self.topics;
        self.order.retain(|&(id, seq)| {
            topics
                .get(id.index())
                .and_then(|t| t.as_deref())
                .and_then(|t| t.entries.front())
                .is_some_and(|front| front.seq <= seq)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(size: usize) -> Message {
        Message::new(vec![b'x'; size])
    }

    #[test]
    fn keeps_at_most_the_count_per_topic_and_says_how_many_went() {
        let mut history = History::new(3, usize::MAX);
        let id = NodeId::from_index(1);
        for i in 0..5 {
            history.push(id, Message::new(vec![i]));
        }
        let topic = history.topic(id).expect("kept");
        let payloads: Vec<u8> = topic.entries().iter().map(|e| e.message.payload[0]).collect();
        assert_eq!(payloads, [2, 3, 4]);
        assert_eq!(topic.dropped(), 2);
        assert_eq!(history.len(), 3);
    }

    #[test]
    fn the_budget_lets_the_oldest_of_all_topics_go_first() {
        let per = 100 + ENTRY_OVERHEAD_BYTES;
        let mut history = History::new(1000, 3 * per);
        let (a, b) = (NodeId::from_index(1), NodeId::from_index(2));
        history.push(a, message(100));
        history.push(b, message(100));
        history.push(a, message(100));
        history.push(b, message(100)); // over budget: a's first goes
        assert_eq!(history.topic(a).map(|t| (t.entries().len(), t.dropped())), Some((1, 1)));
        assert_eq!(history.topic(b).map(|t| t.entries().len()), Some(2));
        assert!(history.bytes() <= 3 * per);
    }

    #[test]
    fn memory_stays_within_the_budget_under_a_flood() {
        let budget = 1024 * 1024;
        let mut history = History::new(1000, budget);
        for i in 0..200_000u32 {
            history.push(NodeId::from_index((i % 50) as usize + 1), message(1024));
            assert!(history.bytes() <= budget);
        }
        // The arrival-order queue does not grow without bound either.
        assert!(history.order.len() <= 2 * history.len() + 1024 + 1);
    }

    #[test]
    fn one_hot_topic_does_not_grow_the_order_queue() {
        let mut history = History::new(10, usize::MAX);
        for _ in 0..100_000 {
            history.push(NodeId::from_index(1), message(1));
        }
        assert_eq!(history.len(), 10);
        assert!(history.order.len() <= 2 * 10 + 1024 + 1);
    }

    #[test]
    fn removing_a_topic_frees_its_bytes() {
        let mut history = History::default();
        let id = NodeId::from_index(3);
        history.push(id, message(10));
        history.remove_topic(id);
        assert_eq!((history.len(), history.bytes()), (0, 0));
        assert!(history.topic(id).is_none());
    }
}
