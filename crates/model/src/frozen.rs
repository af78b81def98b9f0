//! A paused tree: the rows keep showing what they showed, while the model goes
//! on taking in and counting messages. Nothing is queued: each row drawn while
//! paused is copied once (its counts and its latest message, the payload shared),
//! so the pause holds at most one copy per row, however long it lasts.

use hashbrown::HashMap;

use super::message::Message;
use super::tree::{Node, NodeId, Tree};

/// What a tree row shows of its node.
#[derive(Clone, Copy, Debug)]
pub struct RowData<'a> {
    /// The level's name (may be empty).
    pub name: &'a str,
    /// Whether the node has children (and so an expander).
    pub has_children: bool,
    /// Messages received on exactly this topic.
    pub own_messages: u64,
    /// Messages received on this topic and below.
    pub subtree_messages: u64,
    /// Topics with a message at or below this node.
    pub subtree_topics: u32,
    /// Whether the broker holds a retained message for this topic.
    pub retained: bool,
    /// Whether the latest message brought a new value.
    pub value_changed: bool,
    /// Whether the latest message is news (a new value after a quiet spell).
    pub news: bool,
    /// The latest message on this topic.
    pub latest: Option<&'a Message>,
}

impl<'a> RowData<'a> {
    /// What the node shows now.
    pub fn live(node: &'a Node) -> Self {
        Self {
            name: node.name(),
            has_children: node.has_children(),
            own_messages: node.own_messages(),
            subtree_messages: node.subtree_messages(),
            subtree_topics: node.subtree_topics(),
            retained: node.is_retained(),
            value_changed: node.value_changed(),
            news: node.is_news(),
            latest: node.latest(),
        }
    }
}

/// A copy of what a row showed.
#[derive(Clone, Debug)]
struct Snapshot {
    name: Box<str>,
    has_children: bool,
    own_messages: u64,
    subtree_messages: u64,
    subtree_topics: u32,
    retained: bool,
    value_changed: bool,
    news: bool,
    latest: Option<Message>,
}

impl Snapshot {
    fn of(node: &Node) -> Self {
        Self {
            name: Box::from(node.name()),
            has_children: node.has_children(),
            own_messages: node.own_messages(),
            subtree_messages: node.subtree_messages(),
            subtree_topics: node.subtree_topics(),
            retained: node.is_retained(),
            value_changed: node.value_changed(),
            news: node.is_news(),
            latest: node.latest().cloned(),
        }
    }

    fn data(&self) -> RowData<'_> {
        RowData {
            name: &self.name,
            has_children: self.has_children,
            own_messages: self.own_messages,
            subtree_messages: self.subtree_messages,
            subtree_topics: self.subtree_topics,
            retained: self.retained,
            value_changed: self.value_changed,
            news: self.news,
            latest: self.latest.as_ref(),
        }
    }
}

/// The rows of a paused tree, as they were.
#[derive(Debug)]
pub struct Frozen {
    /// [`Tree::received`] when the tree was paused.
    received_at_pause: u64,
    /// What each row drawn since the pause showed the first time.
    shown: HashMap<NodeId, Snapshot>,
}

impl Frozen {
    /// Pause now: rows drawn from here on keep what they show the first time.
    pub fn new(tree: &Tree) -> Self {
        Self {
            received_at_pause: tree.received(),
            shown: HashMap::new(),
        }
    }

    /// Messages taken in since the pause.
    pub fn received_since(&self, tree: &Tree) -> u64 {
        tree.received().saturating_sub(self.received_at_pause)
    }

    /// What the row of `id` shows: what it showed when first asked for since the
    /// pause. `None` for a node that never existed or was gone before it was shown.
    pub fn row<'a>(&'a mut self, tree: &Tree, id: NodeId) -> Option<RowData<'a>> {
        if !self.shown.contains_key(&id) {
            let node = tree.get(id)?;
            self.shown.insert(id, Snapshot::of(node));
        }
        self.shown.get(&id).map(Snapshot::data)
    }

    /// How many rows are held.
    pub fn rows_held(&self) -> usize {
        self.shown.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_row_keeps_its_counts_and_value_while_the_model_counts_on() {
        let mut tree = Tree::new();
        tree.insert("home/temp", Message::new(&b"20"[..]));
        tree.insert("home/hum", Message::new(&b"40"[..]));
        let home = tree.find("home").expect("home exists");
        let temp = tree.find("home/temp").expect("temp exists");
        let mut frozen = Frozen::new(&tree);
        let before = frozen
            .row(&tree, temp)
            .map(|r| (r.own_messages, r.latest.map(|m| m.payload.clone())));
        assert!(frozen.row(&tree, home).is_some());

        for value in 0..10_000 {
            tree.insert("home/temp", Message::new(value.to_string()));
        }
        tree.insert("home/new", Message::new(&b"1"[..]));

        let after = frozen
            .row(&tree, temp)
            .map(|r| (r.own_messages, r.latest.map(|m| m.payload.clone())));
        assert_eq!(after, before);
        assert_eq!(after.map(|(count, _)| count), Some(1));
        let branch = frozen.row(&tree, home).map(|r| (r.subtree_topics, r.subtree_messages));
        assert_eq!(branch, Some((2, 2)), "the branch keeps its counts too");
        assert_eq!(frozen.received_since(&tree), 10_001);
        assert_eq!(frozen.rows_held(), 2, "one copy per row, not one per message");
        // The model itself is live.
        assert_eq!(tree.get(temp).map(Node::own_messages), Some(10_001));
    }

    #[test]
    fn a_row_first_shown_during_the_pause_is_copied_then_and_a_new_pause_starts_afresh() {
        let mut tree = Tree::new();
        tree.insert("a", Message::new(&b"1"[..]));
        let a = tree.find("a").expect("a exists");
        let mut frozen = Frozen::new(&tree);
        tree.insert("a", Message::new(&b"2"[..]));
        assert_eq!(frozen.row(&tree, a).map(|r| r.own_messages), Some(2));
        tree.insert("a", Message::new(&b"3"[..]));
        assert_eq!(frozen.row(&tree, a).map(|r| r.own_messages), Some(2));
        assert_eq!(frozen.row(&tree, NodeId::from_index(999)).map(|r| r.own_messages), None);

        let mut again = Frozen::new(&tree);
        assert_eq!(again.received_since(&tree), 0);
        assert_eq!(again.row(&tree, a).map(|r| r.own_messages), Some(3));
    }

    #[test]
    fn a_row_removed_during_the_pause_still_shows_what_it_showed() {
        let mut tree = Tree::new();
        tree.insert("a/b", Message::new(&b"1"[..]));
        tree.insert("c", Message::new(&b"1"[..]));
        let b = tree.find("a/b").expect("b exists");
        let mut frozen = Frozen::new(&tree);
        assert!(frozen.row(&tree, b).is_some());
        tree.remove_topic(b);
        assert_eq!(frozen.row(&tree, b).map(|r| r.name), Some("b"));
        assert_eq!(frozen.received_since(&tree), 0, "removals are not messages");
    }
}
