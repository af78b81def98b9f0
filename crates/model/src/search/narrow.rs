//! A search that narrows the one before it. When the new text holds the old one (the user typed
//! on, in any case), a topic that did not match before can match now only if its latest message
//! came since: its name did not change. So only what the old search found is checked again,
//! with the topics that received a message since it ran, found by following the tree's activity
//! stamps down from the root. Anything else (other text, a filter, payloads searched now and not
//! before) runs over the whole tree.

use super::text::{contains_ignore_case, payload_holds, topic_of};
use super::{Matches, Query, Search};
use crate::tree::{NodeId, Tree};

/// Searches that found at most this many topics are always narrowed.
const NARROWED_AT_LEAST: usize = 1024;

impl Search {
    /// What this search finds in `tree`, exactly as [`Search::run`] does, given the search that
    /// ran before it on the same tree and what that found: when this one narrows it, only those
    /// topics and the ones that received a message since are checked.
    pub fn run_after(&self, tree: &Tree, before: Option<(&Search, &Matches)>) -> Matches {
        match (&self.query, before) {
            (Query::Text(needle), Some((old, found)))
                if self.narrows(old)
                    && found.received <= tree.received()
                    && found.visible.len() <= tree.node_count()
                    && !self.cheaper_whole(tree, found) =>
            {
                self.run_narrowed(tree, needle, found)
            }
            _ => self.run(tree),
        }
    }

    /// Whether running over the whole tree costs less than checking what `before` found: a
    /// topic checked again costs its full name built, some 30 times a node's link read in
    /// the whole tree's pass; a payload, read by both, costs the same either way.
    fn cheaper_whole(&self, tree: &Tree, before: &Matches) -> bool {
        let per_topic_checked = if self.in_payloads { 4 } else { 32 };
        before.found.len() > NARROWED_AT_LEAST && before.found.len() * per_topic_checked > tree.node_count()
    }

    /// Whether everything this search finds, `old` found too, topics unchanged.
    fn narrows(&self, old: &Search) -> bool {
        match (&self.query, &old.query) {
            (Query::Text(new), Query::Text(old_text)) => {
                (old.in_payloads || !self.in_payloads) && contains_ignore_case(new, old_text)
            }
            _ => false,
        }
    }

    fn run_narrowed(&self, tree: &Tree, needle: &[u8], before: &Matches) -> Matches {
        let mut candidates = before.found.clone();
        messages_since(tree, before.received, &mut candidates);
        candidates.sort_unstable();
        candidates.dedup();
        let mut matches = Matches::empty(tree);
        let links = tree.links();
        let (mut topic, mut levels) = (Vec::new(), Vec::new());
        let names = tree.names_by_number();
        for id in candidates {
            if !links.get(id.index()).is_some_and(|link| link.is_topic()) {
                continue;
            }
            topic_of(tree, &names, id, &mut levels, &mut topic);
            let found = contains_ignore_case(&topic, needle)
                || (self.in_payloads
                    && tree
                        .slot(id)
                        .and_then(crate::Node::latest)
                        .is_some_and(|message| payload_holds(&message.payload, needle)));
            if found {
                matches.found(tree, id);
            }
        }
        matches
    }
}

/// Every node whose subtree received a message after the tree had received `received` (the
/// topics among them included), added to `out`: each node's latest activity covers its
/// subtree, so only branches that changed are entered.
fn messages_since(tree: &Tree, received: u64, out: &mut Vec<NodeId>) {
    let mut stack = vec![NodeId::ROOT];
    while let Some(id) = stack.pop() {
        let Some(node) = tree.get(id) else { continue };
        for &child in node.children() {
            if tree.get(child).is_some_and(|c| c.last_activity() > received) {
                out.push(child);
                stack.push(child);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;

    fn topics(tree: &Tree, matches: &Matches) -> Vec<String> {
        let mut found: Vec<String> = matches.found.iter().map(|&id| tree.topic(id)).collect();
        found.sort();
        found
    }

    /// What `text` finds after `before` ran, checked against a search over the whole tree.
    fn typed_on(tree: &Tree, before: &(Search, Matches), text: &str, in_payloads: bool) -> (Search, Matches) {
        let search = Search::new(text, in_payloads).expect("a search");
        let narrowed = search.run_after(tree, Some((&before.0, &before.1)));
        assert_eq!(topics(tree, &narrowed), topics(tree, &search.run(tree)), "{text}");
        (search, narrowed)
    }

    fn first(tree: &Tree, text: &str, in_payloads: bool) -> (Search, Matches) {
        let search = Search::new(text, in_payloads).expect("a search");
        let matches = search.run(tree);
        (search, matches)
    }

    #[test]
    fn typing_on_finds_topics_and_payloads_that_arrived_between_keystrokes() {
        let mut tree = Tree::new();
        tree.insert("hall/lamp", Message::new(&b"on"[..]));
        tree.insert("garden/pump", Message::new(&b"idle"[..]));
        let before = first(&tree, "la", true);
        tree.insert("kitchen/lamp", Message::new(&b"off"[..]));
        tree.insert("garden/pump", Message::new(&b"lamp is on"[..]));
        let after = typed_on(&tree, &before, "lam", true);
        assert_eq!(topics(&tree, &after.1), ["garden/pump", "hall/lamp", "kitchen/lamp"]);
        tree.insert("garden/pump", Message::new(&b"idle"[..]));
        let after = typed_on(&tree, &after, "LAMP", true);
        assert_eq!(
            topics(&tree, &after.1),
            ["hall/lamp", "kitchen/lamp"],
            "a payload that changed away"
        );
    }

    #[test]
    fn typing_on_forgets_removed_topics_and_finds_them_when_they_come_back() {
        let mut tree = Tree::new();
        tree.insert("a/lamp", Message::new(&b"1"[..]));
        tree.insert("b/lamp", Message::new(&b"1"[..]));
        let before = first(&tree, "lam", false);
        let a = tree.find("a/lamp").expect("a/lamp exists");
        tree.remove_topic(a);
        let after = typed_on(&tree, &before, "lamp", false);
        assert_eq!(topics(&tree, &after.1), ["b/lamp"]);
        tree.insert("a/lamp", Message::new(&b"1"[..]));
        let after = typed_on(&tree, &after, "lamp", false);
        assert_eq!(topics(&tree, &after.1), ["a/lamp", "b/lamp"]);
    }

    #[test]
    fn a_search_that_found_a_large_share_of_the_tree_is_not_narrowed_but_run_whole() {
        let mut tree = Tree::new();
        for i in 0..2000 {
            tree.insert(&format!("room{i}/lamp"), Message::new(&b"1"[..]));
        }
        tree.insert("hall/lamppost", Message::new(&b"1"[..]));
        let before = first(&tree, "lam", false);
        let after = typed_on(&tree, &before, "lampp", false);
        assert!(after.0.cheaper_whole(&tree, &before.1), "2,001 of 4,003 nodes found");
        assert_eq!(topics(&tree, &after.1), ["hall/lamppost"]);
        let few = first(&tree, "lampp", false);
        assert!(!after.0.cheaper_whole(&tree, &few.1));
    }

    #[test]
    fn only_text_holding_the_old_text_with_no_more_to_search_narrows() {
        let mut tree = Tree::new();
        tree.insert("garden/pump", Message::new(&b"kitchen tap"[..]));
        tree.insert("home/kitchen", Message::new(&b"1"[..]));
        let before = first(&tree, "kit", false);
        // Payloads searched now and not before: the pump's payload must be read.
        let after = typed_on(&tree, &before, "kitc", true);
        assert_eq!(topics(&tree, &after.1), ["garden/pump", "home/kitchen"]);
        // Taken back and typed before the old text: the search runs whole, or narrows rightly.
        typed_on(&tree, &after, "ki", true);
        typed_on(&tree, &after, "e/kitc", true);
        let filter = first(&tree, "home/+", false);
        typed_on(&tree, &filter, "home/+x", false);
        assert!(Search::new("kitchen", false).expect("search").narrows(&before.0));
        assert!(!Search::new("kitchen", true).expect("search").narrows(&before.0));
        assert!(Search::new("KITCHEN", false).expect("search").narrows(&after.0));
        assert!(!Search::new("ki", false).expect("search").narrows(&before.0));
    }
}
