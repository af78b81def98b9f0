//! The tree's visible rows: expanded nodes flattened into a list, rebuilt only
//! when the shape or the expansion changed, and drawn a screenful at a time.

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

/// Flatten the expanded part of `tree` into `rows` (cleared first), children
/// in natural name order, keeping what `filter` shows. Costs O(visible rows), not O(tree).
pub fn flatten(tree: &mut Tree, filter: RowFilter, rows: &mut Vec<Row>) {
    rows.clear();
    tree.sort_children(NodeId::ROOT);
    let mut stack: Vec<Row> = Vec::new();
    push_children(tree, filter, NodeId::ROOT, 0, &mut stack);
    while let Some(row) = stack.pop() {
        rows.push(row);
        let expanded = tree.get(row.id).is_some_and(|n| n.expanded && n.has_children());
        if expanded {
            tree.sort_children(row.id);
            push_children(tree, filter, row.id, row.depth.saturating_add(1), &mut stack);
        }
    }
}

fn push_children(tree: &Tree, filter: RowFilter, parent: NodeId, depth: u16, stack: &mut Vec<Row>) {
    if let Some(node) = tree.get(parent) {
        let shown = node.children().iter().rev().filter(|&&id| filter.shows(tree, id));
        stack.extend(shown.map(|&id| Row { id, depth }));
    }
}

/// Flatten what a search found: the matching topics and the branches above them (the open
/// ones), children in natural name order. Costs O(rows shown).
pub fn flatten_found(tree: &mut Tree, matches: &Matches, rows: &mut Vec<Row>) {
    rows.clear();
    let mut stack: Vec<Row> = Vec::new();
    let push = |tree: &mut Tree, parent: NodeId, depth: u16, stack: &mut Vec<Row>| {
        tree.sort_children(parent);
        if let Some(node) = tree.get(parent) {
            let shown = node.children().iter().rev().filter(|&&id| matches.shows(id));
            stack.extend(shown.map(|&id| Row { id, depth }));
        }
    };
    push(tree, NodeId::ROOT, 0, &mut stack);
    while let Some(row) = stack.pop() {
        rows.push(row);
        if tree.get(row.id).is_some_and(|n| n.expanded) {
            push(tree, row.id, row.depth.saturating_add(1), &mut stack);
        }
    }
}

/// The position of `id` in `rows`.
pub fn position(rows: &[Row], id: NodeId) -> Option<usize> {
    rows.iter().position(|row| row.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::message::Message;

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
        flatten(&mut tree, RowFilter::default(), &mut rows);
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
        if let Some(node) = tree.find("a").and_then(|id| tree.get_mut(id)) {
            node.expanded = true;
        }
        let mut rows = Vec::new();
        flatten(&mut tree, RowFilter { retained_only: true }, &mut rows);
        assert_eq!(names(&tree, &rows), ["a", "  kept"]);
        flatten(&mut tree, RowFilter::default(), &mut rows);
        assert_eq!(names(&tree, &rows), ["a", "  kept", "  live", "b"]);
    }

    #[test]
    fn expanded_nodes_show_their_children_indented() {
        let mut tree = Tree::new();
        for topic in ["a/b/c", "a/a", "b"] {
            tree.insert(topic, Message::new(&b"1"[..]));
        }
        let a = tree.find("a").expect("a exists");
        let ab = tree.find("a/b").expect("a/b exists");
        for id in [a, ab] {
            if let Some(node) = tree.get_mut(id) {
                node.expanded = true;
            }
        }
        let mut rows = Vec::new();
        flatten(&mut tree, RowFilter::default(), &mut rows);
        assert_eq!(names(&tree, &rows), ["a", "  a", "  b", "    c", "b"]);
        assert_eq!(position(&rows, ab), Some(2));
    }
}
