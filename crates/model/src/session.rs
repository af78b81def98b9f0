//! Everything one connection has seen: the topic tree, counters, the
//! connection's state and the outcome of its subscriptions.

use std::time::Instant;

use std::collections::VecDeque;

use super::event::{ConnectionState, Event, PublishOutcome, SubscriptionOutcome};
use super::history::History;
use super::log::Log;
use super::stats::RateMeter;
use super::tree::Tree;

/// The model of one connection. Pure data: fed [`Event`]s, read by the UI.
pub struct Session {
    /// All topics seen so far.
    pub tree: Tree,
    /// Every topic's recent messages, within their bounds.
    pub history: History,
    /// Every kept message in arrival order, across topics (references into the history).
    pub log: Log,
    state: ConnectionState,
    subscriptions: Vec<SubscriptionOutcome>,
    rate: RateMeter,
    /// Bumped whenever nodes are added, so views know to rebuild their rows.
    shape_version: u64,
    /// Messages that could not be stored (the tree is full), counted, never silently lost.
    dropped: u64,
    /// Outcomes of the latest publish requests, oldest first.
    published: VecDeque<(u64, PublishOutcome)>,
}

/// How many publish outcomes a session remembers (more than a deletion keeps outstanding).
const PUBLISH_OUTCOMES_KEPT: usize = 4096;

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A session that has seen nothing yet.
    pub fn new() -> Self {
        Self {
            tree: Tree::new(),
            history: History::default(),
            log: Log::default(),
            state: ConnectionState::Connecting { attempt: 1 },
            subscriptions: Vec::new(),
            rate: RateMeter::new(),
            shape_version: 0,
            dropped: 0,
            published: VecDeque::new(),
        }
    }

    /// Take in one event from the connection.
    pub fn apply(&mut self, event: Event, now: Instant) {
        match event {
            Event::Messages(batch) => {
                self.rate.record(now, batch.len() as u64);
                for received in batch {
                    let kept = received.message.clone();
                    match self.tree.insert(&received.topic, received.message) {
                        Some(inserted) => {
                            if inserted.created_nodes {
                                self.shape_version += 1;
                            }
                            let seq = self.history.push(inserted.id, kept);
                            self.log.push(inserted.id, seq);
                        }
                        None => self.dropped += 1,
                    }
                }
                self.log.tidy(&self.history);
            }
            Event::State(state) => self.state = state,
            Event::Published { id, outcome } => {
                if self.published.len() >= PUBLISH_OUTCOMES_KEPT {
                    self.published.pop_front();
                }
                self.published.push_back((id, outcome));
            }
            Event::Subscribed(outcomes) => {
                for outcome in outcomes {
                    match self.subscriptions.iter_mut().find(|s| s.filter == outcome.filter) {
                        Some(existing) => *existing = outcome,
                        None => self.subscriptions.push(outcome),
                    }
                }
            }
            Event::Unsubscribed(filters) => self.subscriptions.retain(|s| !filters.contains(&s.filter)),
        }
    }

    /// The connection's current state.
    pub fn state(&self) -> &ConnectionState {
        &self.state
    }

    /// The broker's answers to the subscriptions asked for so far.
    pub fn subscriptions(&self) -> &[SubscriptionOutcome] {
        &self.subscriptions
    }

    /// Messages per second over the last full second.
    pub fn messages_per_second(&mut self, now: Instant) -> u64 {
        self.rate.per_second(now)
    }

    /// Whether the rate shown will still change without new messages.
    pub fn rate_is_settling(&mut self, now: Instant) -> bool {
        self.rate.is_settling(now)
    }

    /// Changes whenever the tree gains nodes.
    pub fn shape_version(&self) -> u64 {
        self.shape_version
    }

    /// Forget topics whose retained messages the broker confirmed deleted.
    /// Taken last first: for topics in tree order (as [`crate::Tree::retained_topics`] lists
    /// them) each child is then the last of its parent's list, so clearing a branch of many
    /// children costs linear time.
    pub fn remove_topics(&mut self, ids: &[crate::NodeId]) {
        for &id in ids.iter().rev() {
            self.history.remove_topic(id);
            self.log.tidy(&self.history);
            if self.tree.remove_topic(id) {
                self.shape_version += 1;
            }
        }
    }

    /// The outcome of publish request `id`, once known.
    pub fn publish_outcome(&self, id: u64) -> Option<&PublishOutcome> {
        self.published
            .iter()
            .rev()
            .find(|(i, _)| *i == id)
            .map(|(_, outcome)| outcome)
    }

    /// Messages that could not be stored.
    pub fn dropped_messages(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Qos, Received};

    #[test]
    fn applies_messages_states_and_subscription_outcomes() {
        let mut session = Session::new();
        let now = Instant::now();
        session.apply(
            Event::Messages(vec![Received::example("a/b", "1"), Received::example("a/b", "2")]),
            now,
        );
        let version = session.shape_version();
        session.apply(Event::Messages(vec![Received::example("a/b", "3")]), now);
        assert_eq!(session.shape_version(), version, "no new nodes, same shape");
        assert_eq!(session.tree.topic_count(), 1);
        assert_eq!(session.tree.message_count(), 3);

        session.apply(
            Event::Subscribed(vec![SubscriptionOutcome {
                filter: "#".into(),
                granted: Ok(Qos::AtMostOnce),
            }]),
            now,
        );
        session.apply(
            Event::Subscribed(vec![SubscriptionOutcome {
                filter: "#".into(),
                granted: Err("refused".into()),
            }]),
            now,
        );
        assert_eq!(session.subscriptions().len(), 1);
        assert!(session.subscriptions()[0].granted.is_err());

        session.apply(Event::State(ConnectionState::Disconnected), now);
        assert!(session.state().is_ended());
    }

    #[test]
    fn clearing_a_branch_forgets_its_topics_and_keeps_its_neighbours() {
        let mut session = Session::new();
        let mut batch: Vec<Received> = (0..50)
            .map(|i| Received::example(&format!("tags/tag{i}"), "1"))
            .collect();
        batch.push(Received::example("other/topic", "2"));
        for received in &mut batch {
            received.message.retain = true;
        }
        session.apply(Event::Messages(batch), Instant::now());
        let tags = session.tree.find("tags").expect("branch exists");
        let ids = session.tree.retained_topics(tags);
        assert_eq!(ids.len(), 50);
        session.remove_topics(&ids);
        assert_eq!(session.tree.find("tags"), None, "the emptied branch goes too");
        assert_eq!(session.tree.topic_count(), 1);
        assert!(session.tree.latest_of("other/topic").is_some());
        assert_eq!(session.history.len(), 1);
    }
}
