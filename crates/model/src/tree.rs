//! The topic tree: an arena of nodes, one per topic level, with counters kept
//! up to date along the path of each message, so an update costs O(depth).

use std::hash::BuildHasher as _;
use std::sync::Arc;

use hashbrown::{DefaultHashBuilder, HashTable};

mod names;
mod remove;

pub(crate) use names::Link;
use names::Names;

use super::message::Message;
pub use crate::natural::natural_cmp;

/// A topic whose messages come closer together than this is busy: its new values are not news.
pub const BUSY_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Index of a node in its [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// The invisible root; the first topic level hangs below it.
    pub const ROOT: Self = Self(0);

    /// The arena slot of this node.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The node in arena slot `index` (saturating past `u32::MAX`; for tests and side tables).
    pub fn from_index(index: usize) -> Self {
        Self(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// How the children of a branch are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortOrder {
    /// Natural name order (`sensor2` before `sensor10`).
    #[default]
    Name,
    /// Most messages in the subtree first.
    Messages,
    /// Most recent message in the subtree first.
    Activity,
}

impl SortOrder {
    /// Every order, as offered to the user.
    pub const ALL: [Self; 3] = [Self::Name, Self::Messages, Self::Activity];

    /// Whether the order changes as messages arrive, so the children must be
    /// put in order again from time to time.
    pub fn follows_traffic(self) -> bool {
        self != Self::Name
    }
}

/// One topic level.
#[derive(Debug)]
pub struct Node {
    /// Shared with every other node of the same name (the tree's table of names).
    name: Arc<str>,
    parent: NodeId,
    children: Vec<NodeId>,
    /// [`Tree::received`] just after the latest message at or below this node (0: none yet).
    last_activity: u64,
    own_messages: u64,
    subtree_messages: u64,
    subtree_topics: u32,
    /// Topics at or below this node that hold a retained message.
    subtree_retained: u32,
    latest: Option<Message>,
    /// Whether the broker holds a retained message for this topic, as far as seen:
    /// set by a retained delivery, cleared by an empty payload (which deletes it).
    retained: bool,
    /// Whether the latest message's payload differs from the one before it (or is the first).
    changed: bool,
    /// Whether the latest message is news: a new value after a quiet spell (see [`Node::is_news`]).
    news: bool,
    /// A node whose topic was removed: unreachable, its slot unused.
    removed: bool,
}

impl Node {
    fn new(name: Arc<str>, parent: NodeId) -> Self {
        Self {
            name,
            parent,
            children: Vec::new(),
            last_activity: 0,
            own_messages: 0,
            subtree_messages: 0,
            subtree_topics: 0,
            subtree_retained: 0,
            latest: None,
            retained: false,
            changed: false,
            news: false,
            removed: false,
        }
    }

    /// This level's name (may be empty, as in `a//b`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parent node (the root is its own parent).
    pub fn parent(&self) -> NodeId {
        self.parent
    }

    /// The children, in arrival order (a removed child leaves the list; see
    /// [`crate::Outline::children`] for them in a chosen order).
    pub fn children(&self) -> &[NodeId] {
        &self.children
    }

    /// Whether this node has children.
    pub fn has_children(&self) -> bool {
        !self.children.is_empty()
    }

    /// Messages received on exactly this topic.
    pub fn own_messages(&self) -> u64 {
        self.own_messages
    }

    /// Messages received on this topic and every topic below it.
    pub fn subtree_messages(&self) -> u64 {
        self.subtree_messages
    }

    /// Topics with a message, this one included, at or below this node.
    pub fn subtree_topics(&self) -> u32 {
        self.subtree_topics
    }

    /// Topics at or below this node that hold a retained message, as far as seen.
    pub fn subtree_retained(&self) -> u32 {
        self.subtree_retained
    }

    /// When the latest message at or below this node arrived, as a count of the
    /// messages the tree had received by then (see [`Tree::received`]); 0 when none did.
    pub fn last_activity(&self) -> u64 {
        self.last_activity
    }

    /// The latest message on this topic, if any arrived.
    pub fn latest(&self) -> Option<&Message> {
        self.latest.as_ref()
    }

    /// Whether the latest message brought a new value: its payload differs from the one before
    /// (the first message always does). A repeated payload does not.
    pub fn value_changed(&self) -> bool {
        self.changed
    }

    /// Whether the latest message is news: a new value that came after [`BUSY_WITHIN`] or more
    /// without a message (or the first). The changes of a topic that keeps publishing are not;
    /// marking each of them would mark it all the time.
    pub fn is_news(&self) -> bool {
        self.news
    }

    /// Whether the broker holds a retained message for this topic, as far as seen.
    pub fn is_retained(&self) -> bool {
        self.retained
    }
}

/// What [`Tree::insert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inserted {
    /// The topic's node.
    pub id: NodeId,
    /// Whether new nodes were created (the tree's shape changed).
    pub created_nodes: bool,
}

/// All topics seen on a connection, as a hierarchy split on `/`.
pub struct Tree {
    nodes: Vec<Node>,
    /// Finds a child by (parent, name) without a map per node.
    index: HashTable<NodeId>,
    /// Every level name in use, held once and numbered.
    names: Names,
    /// By node index: its parent, name number and whether it holds a message (what a text
    /// search reads; kept with `nodes`).
    links: Vec<Link>,
    hasher: DefaultHashBuilder,
    /// Messages taken in since the tree was made; never decreases.
    received: u64,
    /// Topics removed since the tree was made (see [`Tree::removals`]).
    removals: u64,
}

impl Default for Tree {
    fn default() -> Self {
        Self::new()
    }
}

impl Tree {
    /// An empty tree.
    pub fn new() -> Self {
        Self {
            nodes: vec![Node::new(Arc::from(""), NodeId::ROOT)],
            index: HashTable::new(),
            names: Names::default(),
            links: vec![Link::NONE],
            hasher: DefaultHashBuilder::default(),
            received: 0,
            removals: 0,
        }
    }

    /// Number of nodes, the root included.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of topics that received a message.
    pub fn topic_count(&self) -> u32 {
        self.root().subtree_topics
    }

    /// Number of messages received on all topics.
    pub fn message_count(&self) -> u64 {
        self.root().subtree_messages
    }

    /// Messages taken in since the tree was made. Unlike [`Tree::message_count`]
    /// it never decreases, so it tells whether anything arrived since it was last read.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// How many times a topic was removed since the tree was made: when it changes, children
    /// lists may have lost entries (lists of them kept elsewhere must be built again).
    pub fn removals(&self) -> u64 {
        self.removals
    }

    /// The invisible root node.
    pub fn root(&self) -> &Node {
        &self.nodes[NodeId::ROOT.index()]
    }

    /// A node, if the id belongs to this tree and its topic was not removed.
    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index()).filter(|n| !n.removed)
    }

    /// A node's slot, removed or not: for sorting ids known to be live, where reading the
    /// `removed` flag too would cost a cache miss per node.
    pub(crate) fn slot(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// A node, mutably, if the id belongs to this tree and its topic was not removed.
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        self.nodes.get_mut(id.index()).filter(|n| !n.removed)
    }

    /// Every node's parent, name number and whether it holds a message, by node index.
    pub(crate) fn links(&self) -> &[Link] {
        &self.links
    }

    /// The level names in use, each with its number (see [`Tree::links`]), in no order.
    pub(crate) fn names(&self) -> impl Iterator<Item = (usize, &str)> {
        self.names.iter()
    }

    /// How many name numbers were given: every name's number is below.
    pub(crate) fn name_numbers(&self) -> usize {
        self.names.numbers()
    }

    /// The level names in use, by number (`None`: a number not in use).
    pub(crate) fn names_by_number(&self) -> Vec<Option<&str>> {
        let mut by_number = vec![None; self.name_numbers()];
        for (number, name) in self.names() {
            if let Some(slot) = by_number.get_mut(number) {
                *slot = Some(name);
            }
        }
        by_number
    }

    /// Every node, removed ones included, by index (see [`Tree::slot`]).
    pub(crate) fn slots(&self) -> &[Node] {
        &self.nodes
    }

    fn hash(hasher: &DefaultHashBuilder, parent: NodeId, name: &str) -> u64 {
        hasher.hash_one((parent.0, name))
    }

    /// The child of `parent` called `name`.
    pub fn find_child(&self, parent: NodeId, name: &str) -> Option<NodeId> {
        let hash = Self::hash(&self.hasher, parent, name);
        self.index
            .find(hash, |&id| {
                let node = &self.nodes[id.index()];
                node.parent == parent && *node.name == *name
            })
            .copied()
    }

    /// The node of a full topic name, if it exists.
    pub fn find(&self, topic: &str) -> Option<NodeId> {
        topic
            .split('/')
            .try_fold(NodeId::ROOT, |id, level| self.find_child(id, level))
    }

    /// The latest message of a full topic name, if the topic exists and has one.
    pub fn latest_of(&self, topic: &str) -> Option<&Message> {
        self.find(topic).and_then(|id| self.get(id)).and_then(Node::latest)
    }

    fn child_or_insert(&mut self, parent: NodeId, name: &str, created: &mut bool) -> Option<NodeId> {
        let Self {
            nodes,
            index,
            names,
            links,
            hasher,
            ..
        } = self;
        let hash = Self::hash(hasher, parent, name);
        let found = index.find(hash, |&id| {
            let node = &nodes[id.index()];
            node.parent == parent && *node.name == *name
        });
        if let Some(&id) = found {
            return Some(id);
        }
        let id = NodeId(u32::try_from(nodes.len()).ok()?);
        let (shared, number) = names.intern(hasher, name)?;
        nodes.push(Node::new(shared, parent));
        links.push(Link::new(parent, number));
        nodes[parent.index()].children.push(id);
        if let Some(link) = links.get_mut(parent.index()) {
            link.set_branch(true);
        }
        index.insert_unique(hash, id, |&id| {
            let node = &nodes[id.index()];
            Self::hash(hasher, node.parent, &node.name)
        });
        *created = true;
        Some(id)
    }

    /// Store `message` as the latest on `topic`, creating the levels it needs
    /// and updating the counters of every node on its path.
    /// Returns `None` only when the tree holds 4 billion nodes (or a billion distinct names).
    pub fn insert(&mut self, topic: &str, message: Message) -> Option<Inserted> {
        let mut created_nodes = false;
        let mut id = NodeId::ROOT;
        for level in topic.split('/') {
            id = self.child_or_insert(id, level, &mut created_nodes)?;
        }
        self.received += 1;
        let activity = self.received;
        let node = &mut self.nodes[id.index()];
        let new_topic = node.latest.is_none();
        node.own_messages += 1;
        let was_retained = node.retained;
        if message.payload.is_empty() {
            node.retained = false;
        } else if message.retain {
            node.retained = true;
        }
        let retained_delta = i64::from(node.retained) - i64::from(was_retained);
        node.changed = node.latest.as_ref().is_none_or(|old| old.payload != message.payload);
        let after_quiet = node.latest.as_ref().is_none_or(|old| {
            message
                .received_at
                .duration_since(old.received_at)
                .is_ok_and(|gap| gap >= BUSY_WITHIN)
        });
        node.news = node.changed && after_quiet;
        node.latest = Some(message);
        if new_topic && let Some(link) = self.links.get_mut(id.index()) {
            link.set_topic(true);
        }
        let mut current = id;
        loop {
            let node = &mut self.nodes[current.index()];
            node.subtree_messages += 1;
            node.last_activity = activity;
            if new_topic {
                node.subtree_topics += 1;
            }
            node.subtree_retained = node.subtree_retained.saturating_add_signed(retained_delta as i32);
            if current == NodeId::ROOT {
                break;
            }
            current = node.parent;
        }
        Some(Inserted { id, created_nodes })
    }

    /// The topics at or below `id` that hold a retained message, as far as seen,
    /// in tree order. Walks the branch: for user actions, not per message.
    pub fn retained_topics(&self, id: NodeId) -> Vec<NodeId> {
        let mut found = Vec::new();
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            let Some(node) = self.get(current) else { continue };
            if node.retained {
                found.push(current);
            }
            stack.extend(node.children.iter().rev());
        }
        found
    }

    /// Completions for a topic being typed: the known topics that continue
    /// `typed` by one level (its last level a case-insensitive prefix of theirs),
    /// in natural order, at most `limit`, each with whether it has children.
    /// Costs O(children of one node).
    pub fn complete(&self, typed: &str, limit: usize) -> Vec<(String, bool)> {
        let (parent, partial) = match typed.rsplit_once('/') {
            Some((parent, partial)) => (self.find(parent), partial),
            None => (Some(NodeId::ROOT), typed),
        };
        let Some(parent) = parent.and_then(|id| self.get(id)) else {
            return Vec::new();
        };
        let partial = partial.to_lowercase();
        let mut matches: Vec<&Node> = parent
            .children
            .iter()
            .filter_map(|&id| self.get(id))
            .filter(|n| n.name.to_lowercase().starts_with(&partial))
            .collect();
        matches.sort_by(|a, b| natural_cmp(&a.name, &b.name));
        let base = typed
            .rsplit_once('/')
            .map_or(String::new(), |(parent, _)| format!("{parent}/"));
        matches
            .into_iter()
            .take(limit)
            .map(|n| (format!("{base}{}", n.name), n.has_children()))
            .collect()
    }

    /// The full topic name of a node.
    pub fn topic(&self, id: NodeId) -> String {
        let mut levels = Vec::new();
        let mut current = id;
        while current != NodeId::ROOT {
            let Some(node) = self.get(current) else { break };
            levels.push(&*node.name);
            current = node.parent;
        }
        levels.reverse();
        levels.join("/")
    }

    /// The nodes from the top level down to `id` (the root excluded).
    pub fn path(&self, id: NodeId) -> Vec<NodeId> {
        let mut path = Vec::new();
        let mut current = id;
        while current != NodeId::ROOT {
            let Some(node) = self.get(current) else { break };
            path.push(current);
            current = node.parent;
        }
        path.reverse();
        path
    }

    /// Depth of a node: 0 for a top-level node.
    pub fn depth(&self, id: NodeId) -> usize {
        self.path(id).len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests;
