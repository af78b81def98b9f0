//! The tree's visible rows: expanded nodes flattened into a list, rebuilt only
//! when the shape or the expansion changed (or, at most once a second, when a
//! branch sorted by message count or activity needs putting in order again),
//! and drawn a screenful at a time.

use std::time::{Duration, Instant};

use super::outline::Outline;
use super::search::Matches;
use super::tree::{NodeId, Tree};

/// One visible line of the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The node shown on this line.
    pub id: NodeId,
    /// Indentation level: 0 for a top-level node.
    pub depth: u16,
}

/// Which nodes the rows show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowFilter {
    /// Only branches that hold retained messages.
    pub retained_only: bool,
}

impl RowFilter {
    fn shows(self, tree: &Tree, id: NodeId) -> bool {
        !self.retained_only || tree.get(id).is_some_and(|n| n.subtree_retained() > 0)
    }
}

/// Flatten the open part of `tree`, as `outline` shows it, into `rows` (cleared first), each
/// branch's children in its order ([`Outline::children`], which `resort` asks to put in order
/// again when it follows the traffic), keeping what `filter` shows. Costs O(visible rows), not
/// O(tree). Returns whether a shown branch (or the top level) is in an order that follows the
/// traffic.
pub fn flatten(tree: &Tree, outline: &mut Outline, filter: RowFilter, resort: bool, rows: &mut Vec<Row>) -> bool {
    flatten_shown(tree, outline, resort, rows, |id| filter.shows(tree, id), false)
}

/// Flatten what a search found: the matching topics and the branches above them (the open
/// ones), each branch's children in its order, as [`flatten`] does. Costs O(children of the
/// open branches shown); a branch in name order showing few of its children has only those
/// sorted ([`Outline::shown_children`]). Returns whether a shown branch is in an order that
/// follows the traffic.
pub fn flatten_found(tree: &Tree, outline: &mut Outline, matches: &Matches, resort: bool, rows: &mut Vec<Row>) -> bool {
    flatten_shown(tree, outline, resort, rows, |id| matches.shows(id), true)
}

fn flatten_shown(
    tree: &Tree,
    outline: &mut Outline,
    resort: bool,
    rows: &mut Vec<Row>,
    shows: impl Fn(NodeId) -> bool,
    few_sorted_alone: bool,
) -> bool {
    rows.clear();
    let mut stack: Vec<Row> = Vec::new();
    let mut follows_traffic = false;
    let mut shown = Vec::new();
    let mut push = |outline: &mut Outline, parent: NodeId, depth: u16, stack: &mut Vec<Row>| {
        follows_traffic |= outline.sort_of(parent).follows_traffic();
        if few_sorted_alone {
            outline.shown_children(tree, parent, resort, &shows, &mut shown);
            stack.extend(shown.iter().rev().map(|&id| Row { id, depth }));
            return;
        }
        let children = outline.children(tree, parent, resort);
        stack.extend(
            children
                .iter()
                .rev()
                .filter(|&&id| shows(id))
                .map(|&id| Row { id, depth }),
        );
    };
    push(outline, NodeId::ROOT, 0, &mut stack);
    while let Some(row) = stack.pop() {
        rows.push(row);
        if outline.is_expanded(row.id) {
            push(outline, row.id, row.depth.saturating_add(1), &mut stack);
        }
    }
    follows_traffic
}

/// How often, at most, branches sorted by message count or activity are put in
/// order again: often enough to follow a busy broker, seldom enough to read
/// and click the rows between two moves.
pub const RESORT_INTERVAL: Duration = Duration::from_secs(1);

/// What the [`ResortClock`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resort {
    /// Sort again now.
    Now,
    /// Messages arrived, but the last sort is too recent: ask again after this long.
    After(Duration),
    /// Nothing arrived since the last sort: the order is still right.
    Idle,
}

/// Decides when branches in an order that follows the traffic are sorted again:
/// only when messages arrived since the last time, at most once per [`RESORT_INTERVAL`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ResortClock {
    last: Option<Instant>,
    /// [`Tree::received`] at the last sort.
    received_seen: u64,
}

impl ResortClock {
    /// Whether to sort again at `now`, with the tree's [`Tree::received`] count.
    pub fn check(&self, now: Instant, received: u64) -> Resort {
        if received == self.received_seen {
            return Resort::Idle;
        }
        match self.last {
            Some(last) => {
                let since = now.saturating_duration_since(last);
                if since < RESORT_INTERVAL {
                    Resort::After(RESORT_INTERVAL - since)
                } else {
                    Resort::Now
                }
            }
            None => Resort::Now,
        }
    }

    /// Note that the branches were sorted at `now`, with `received` messages in the tree.
    pub fn sorted(&mut self, now: Instant, received: u64) {
        self.last = Some(now);
        self.received_seen = received;
    }
}

/// The position of `id` in `rows`.
pub fn position(rows: &[Row], id: NodeId) -> Option<usize> {
    rows.iter().position(|row| row.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;

    fn names(tree: &Tree, rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                format!(
                    "{}{}",
                    "  ".repeat(r.depth.into()),
                    tree.get(r.id).map_or("?", |n| n.name())
                )
            })
            .collect()
    }

    #[test]
    fn shows_top_level_sorted_and_collapsed() {
        let mut tree = Tree::new();
        for topic in ["zigbee2mqtt/lamp", "$SYS/broker/uptime", "home/temp", "Home2/x"] {
            tree.insert(topic, Message::new(&b"1"[..]));
        }
        let mut rows = Vec::new();
        flatten(&tree, &mut Outline::default(), RowFilter::default(), false, &mut rows);
        assert_eq!(names(&tree, &rows), ["$SYS", "home", "Home2", "zigbee2mqtt"]);
    }

    #[test]
    fn retained_only_hides_branches_without_retained_messages() {
        let mut tree = Tree::new();
        tree.insert(
            "a/kept",
            Message {
                retain: true,
                ..Message::new(&b"1"[..])
            },
        );
        tree.insert("a/live", Message::new(&b"1"[..]));
        tree.insert("b/live", Message::new(&b"1"[..]));
        let mut outline = Outline::default();
        outline.set_expanded(&tree, tree.find("a").expect("a exists"), true);
        let mut rows = Vec::new();
        flatten(&tree, &mut outline, RowFilter { retained_only: true }, false, &mut rows);
        assert_eq!(names(&tree, &rows), ["a", "  kept"]);
        flatten(&tree, &mut outline, RowFilter::default(), false, &mut rows);
        assert_eq!(names(&tree, &rows), ["a", "  kept", "  live", "b"]);
    }

    #[test]
    fn resorts_at_most_once_a_second_and_only_after_new_messages() {
        let start = Instant::now();
        let mut clock = ResortClock::default();
        assert_eq!(clock.check(start, 0), Resort::Idle, "nothing arrived yet");
        assert_eq!(clock.check(start, 5), Resort::Now, "the first time at once");
        clock.sorted(start, 5);
        assert_eq!(clock.check(start + Duration::from_secs(5), 5), Resort::Idle);
        let soon = start + Duration::from_millis(300);
        assert_eq!(clock.check(soon, 9), Resort::After(Duration::from_millis(700)));
        assert_eq!(clock.check(start + RESORT_INTERVAL, 9), Resort::Now);
        clock.sorted(start + RESORT_INTERVAL, 9);
        assert_eq!(
            clock.check(start + Duration::from_millis(1100), 10),
            Resort::After(Duration::from_millis(900))
        );
        // A clock read out of order never asks for a wait longer than the interval.
        assert_eq!(clock.check(start, 10), Resort::After(RESORT_INTERVAL));
    }

    #[test]
    fn flatten_sorts_open_branches_in_their_order_and_says_when_it_follows_traffic() {
        let mut tree = Tree::new();
        for topic in ["a/x", "b/x", "b/y", "b/y", "c"] {
            tree.insert(topic, Message::new(&b"1"[..]));
        }
        let b = tree.find("b").expect("b exists");
        let mut outline = Outline::default();
        outline.set_expanded(&tree, b, true);
        let mut rows = Vec::new();
        let all = RowFilter::default();
        assert!(!flatten(&tree, &mut outline, all, false, &mut rows));
        assert_eq!(names(&tree, &rows), ["a", "b", "  x", "  y", "c"]);
        outline.set_sort(b, Some(crate::SortOrder::Messages));
        assert!(flatten(&tree, &mut outline, all, false, &mut rows));
        assert_eq!(names(&tree, &rows), ["a", "b", "  y", "  x", "c"]);
        outline.set_sort(NodeId::ROOT, Some(crate::SortOrder::Messages));
        assert!(flatten(&tree, &mut outline, all, false, &mut rows));
        assert_eq!(names(&tree, &rows), ["b", "  y", "  x", "a", "c"]);
        for _ in 0..3 {
            tree.insert("a/x", Message::new(&b"1"[..]));
        }
        // a has the most now, but the placed rows stay until a re-sort is asked for.
        flatten(&tree, &mut outline, all, false, &mut rows);
        assert_eq!(names(&tree, &rows), ["b", "  y", "  x", "a", "c"]);
        flatten(&tree, &mut outline, all, true, &mut rows);
        assert_eq!(names(&tree, &rows), ["a", "b", "  y", "  x", "c"]);
    }

    #[test]
    fn expanded_nodes_show_their_children_indented() {
        let mut tree = Tree::new();
        for topic in ["a/b/c", "a/a", "b"] {
            tree.insert(topic, Message::new(&b"1"[..]));
        }
        let a = tree.find("a").expect("a exists");
        let ab = tree.find("a/b").expect("a/b exists");
        let mut outline = Outline::default();
        for id in [a, ab] {
            outline.set_expanded(&tree, id, true);
        }
        let mut rows = Vec::new();
        flatten(&tree, &mut outline, RowFilter::default(), false, &mut rows);
        assert_eq!(names(&tree, &rows), ["a", "  a", "  b", "    c", "b"]);
        assert_eq!(position(&rows, ab), Some(2));
    }
}
