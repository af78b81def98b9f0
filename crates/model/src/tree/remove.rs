//! Taking a topic out of the tree once the broker confirmed its retained message gone.

use std::sync::Arc;

use super::{Link, NodeId, Tree};

impl Tree {
    /// Forget the message of topic `id` (its retained message was deleted):
    /// the counters on its path drop by what it held, and the node goes away
    /// with any ancestors left without a message or children.
    /// Returns true when nodes were removed (the tree's shape changed).
    pub fn remove_topic(&mut self, id: NodeId) -> bool {
        if id == NodeId::ROOT || self.get(id).is_none() {
            return false;
        }
        let node = &mut self.nodes[id.index()];
        let had_value = node.latest.take().is_some();
        if let Some(link) = self.links.get_mut(id.index()) {
            link.set_topic(false);
        }
        let messages = std::mem::take(&mut node.own_messages);
        let was_retained = std::mem::take(&mut node.retained);
        let mut current = id;
        loop {
            let node = &mut self.nodes[current.index()];
            node.subtree_messages = node.subtree_messages.saturating_sub(messages);
            if was_retained {
                node.subtree_retained = node.subtree_retained.saturating_sub(1);
            }
            if had_value {
                node.subtree_topics = node.subtree_topics.saturating_sub(1);
            }
            if current == NodeId::ROOT {
                break;
            }
            current = node.parent;
        }
        self.removals += 1;
        let mut removed_any = false;
        let mut current = id;
        while current != NodeId::ROOT {
            let node = &self.nodes[current.index()];
            if node.latest.is_some() || !node.children.is_empty() {
                break;
            }
            let parent = node.parent;
            self.detach(current);
            removed_any = true;
            current = parent;
        }
        removed_any
    }

    /// Take a childless node out of its parent and the index, leaving a tombstone.
    fn detach(&mut self, id: NodeId) {
        let Self {
            nodes,
            index,
            names,
            links,
            hasher,
            ..
        } = self;
        let node = &nodes[id.index()];
        let (parent, hash) = (node.parent, Self::hash(hasher, node.parent, &node.name));
        if let Ok(entry) = index.find_entry(hash, |&candidate| candidate == id) {
            entry.remove();
        }
        let siblings = &mut nodes[parent.index()];
        // Searched from the end: removing a whole branch last child first (as
        // `Session::remove_topics` does) then costs O(1) per child, not a shift of the list.
        if let Some(position) = siblings.children.iter().rposition(|&c| c == id) {
            siblings.children.remove(position);
        }
        if siblings.children.is_empty()
            && let Some(link) = links.get_mut(parent.index())
        {
            link.set_branch(false);
        }
        let unnamed = Arc::clone(&nodes[NodeId::ROOT.index()].name);
        let node = &mut nodes[id.index()];
        node.removed = true;
        let name = std::mem::replace(&mut node.name, unnamed);
        node.children = Vec::new();
        let link = links
            .get_mut(id.index())
            .map(|link| std::mem::replace(link, Link::NONE));
        // The last node of this name gone: forget the name too.
        if let Some(link) = link {
            names.release(hasher, &name, link.name());
        }
    }
}
