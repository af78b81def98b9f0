//! How the tree panel looks at a [`Tree`]: which branches are open, the order each branch's
//! children are shown in, and those children in that order. This is view state: the panel
//! owns one `Outline` per tree, indexed like the arena, and the tree itself is never written
//! by it (its only writer is [`crate::Session::apply`]).
//!
//! Children are kept in order only for branches that were shown open: a list of their ids,
//! sorted lazily when the rows are built. In natural name order only the children added since
//! the last time are sorted and merged in; orders that follow the traffic (message count,
//! latest activity) keep their placed children until a re-sort is asked for.

use std::cmp::Ordering;

use hashbrown::HashMap;

use crate::tree::{NodeId, SortOrder, Tree, natural_cmp};

/// The children of one open branch, in the order they are shown.
#[derive(Clone, Debug, Default)]
struct Placed {
    /// The first `seen` of the tree's children (arrival order), sorted by `by`.
    ids: Vec<NodeId>,
    /// How many of the tree's children `ids` holds.
    seen: usize,
    /// The order `ids` is in.
    by: SortOrder,
}

/// Which branches are open, as a snapshot (see [`Outline::expansion`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion(Vec<bool>);

/// The tree panel's view of a tree: expansion and order, per branch.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    /// By node index: whether the branch is open.
    expanded: Vec<bool>,
    /// Branches given their own order.
    sorts: HashMap<NodeId, SortOrder>,
    /// The order of the top level, and of every branch without its own.
    default_sort: SortOrder,
    /// The top level in order.
    root: Placed,
    /// The children of open branches in order.
    placed: HashMap<NodeId, Placed>,
    /// [`Tree::removals`] when `placed` was last valid.
    removals_seen: u64,
}

impl Outline {
    /// Whether the branch `id` is open.
    pub fn is_expanded(&self, id: NodeId) -> bool {
        self.expanded.get(id.index()).copied().unwrap_or(false)
    }

    /// Open or close the branch `id` (a node without children stays closed). Returns true
    /// when that changed anything.
    pub fn set_expanded(&mut self, tree: &Tree, id: NodeId, expanded: bool) -> bool {
        let has_children = tree.get(id).is_some_and(|n| n.has_children());
        if self.is_expanded(id) == expanded || (expanded && !has_children) {
            return false;
        }
        self.set_flag(id, expanded);
        true
    }

    /// Open the branch `id`, known to have children (see [`Outline::set_expanded`]).
    pub(crate) fn open(&mut self, id: NodeId) {
        if !self.is_expanded(id) {
            self.set_flag(id, true);
        }
    }

    fn set_flag(&mut self, id: NodeId, expanded: bool) {
        let index = id.index();
        if index >= self.expanded.len() {
            if !expanded {
                return;
            }
            self.expanded.resize(index + 1, false);
        }
        self.expanded[index] = expanded;
        if !expanded {
            // A closed branch's order is built again when it opens; until then it costs nothing.
            self.placed.remove(&id);
        }
    }

    /// Open every ancestor of `id`, so it is visible. Returns true when one was closed.
    pub fn reveal(&mut self, tree: &Tree, id: NodeId) -> bool {
        let path = tree.path(id);
        let mut changed = false;
        for &ancestor in path.iter().take(path.len().saturating_sub(1)) {
            changed |= self.set_expanded(tree, ancestor, true);
        }
        changed
    }

    /// Close every branch.
    pub fn collapse_all(&mut self) {
        self.expanded.clear();
        self.placed.clear();
    }

    /// Close `id` and every branch below it.
    pub fn collapse_below(&mut self, tree: &Tree, id: NodeId) {
        self.walk(tree, id, usize::MAX, |outline, node| outline.set_flag(node, false));
    }

    /// Open `id` and every branch below it, `levels` deep at most (1: `id` alone). Costs
    /// O(branch): for a user's action.
    pub fn expand_below(&mut self, tree: &Tree, id: NodeId, levels: usize) {
        self.walk(tree, id, levels, |outline, node| outline.set_flag(node, true));
    }

    /// Show the tree opened `levels` deep from the top: branches above that level open, the
    /// rest closed.
    pub fn expand_to_level(&mut self, tree: &Tree, levels: usize) {
        self.collapse_all();
        if let Some(root) = tree.get(NodeId::ROOT) {
            for &child in root.children() {
                self.expand_below(tree, child, levels);
            }
        }
    }

    /// Call `visit` for `id` and each branch below it down to `levels` levels, branches only.
    fn walk(&mut self, tree: &Tree, id: NodeId, levels: usize, mut visit: impl FnMut(&mut Self, NodeId)) {
        let mut stack = vec![(id, 1usize)];
        while let Some((current, depth)) = stack.pop() {
            let Some(node) = tree.get(current) else { continue };
            if !node.has_children() || depth > levels {
                continue;
            }
            visit(self, current);
            stack.extend(node.children().iter().map(|&c| (c, depth + 1)));
        }
    }

    /// Which branches are open now, to give back later with [`Outline::set_expansion`] (a
    /// search opens branches for its matches and gives the user's own back when cleared).
    pub fn expansion(&self) -> Expansion {
        Expansion(self.expanded.clone())
    }

    /// Open exactly the branches of `expansion`.
    pub fn set_expansion(&mut self, expansion: Expansion) {
        self.expanded = expansion.0;
        let expanded = &self.expanded;
        self.placed
            .retain(|&id, _| expanded.get(id.index()).copied().unwrap_or(false));
    }

    /// The order of the top level, and of every branch without its own.
    pub fn default_sort(&self) -> SortOrder {
        self.default_sort
    }

    /// Order the top level, and every branch without its own order, by `order`.
    pub fn set_default_sort(&mut self, order: SortOrder) {
        self.default_sort = order;
    }

    /// The order chosen for the branch `id`, if it has its own.
    pub fn own_sort(&self, id: NodeId) -> Option<SortOrder> {
        if id == NodeId::ROOT {
            return None;
        }
        self.sorts.get(&id).copied()
    }

    /// Give the branch `id` its own order, or (`None`) let it follow the default. For the
    /// root this sets the default.
    pub fn set_sort(&mut self, id: NodeId, order: Option<SortOrder>) {
        if id == NodeId::ROOT {
            self.default_sort = order.unwrap_or_default();
        } else if let Some(order) = order {
            self.sorts.insert(id, order);
        } else {
            self.sorts.remove(&id);
        }
    }

    /// The order the children of `id` are shown in: its own, or the default.
    pub fn sort_of(&self, id: NodeId) -> SortOrder {
        self.own_sort(id).unwrap_or(self.default_sort)
    }

    /// The children of `id` in the order chosen for it ([`Outline::sort_of`]). Only the
    /// children added since the last call are sorted, then merged into the rest; orders that
    /// follow the traffic keep the placed children where they are until `resort` asks to
    /// sort them all again (the caller decides how often). A branch whose order changed is
    /// sorted whole.
    pub fn children(&mut self, tree: &Tree, id: NodeId, resort: bool) -> &[NodeId] {
        self.forget_if_removed(tree);
        let order = self.sort_of(id);
        let children = tree.get(id).map_or(&[][..], |n| n.children());
        let placed = if id == NodeId::ROOT {
            &mut self.root
        } else {
            self.placed.entry(id).or_default()
        };
        if placed.seen > children.len() {
            placed.seen = 0;
            placed.ids.clear();
        }
        if placed.by != order || (resort && order.follows_traffic()) {
            // Sorted again where they stand: the sorts are adaptive, so a branch whose counts
            // moved a little since it was last sorted costs few comparisons.
            placed.by = order;
            sort_slice(tree, order, &mut placed.ids);
        }
        if placed.seen < children.len() {
            let mut new = children.get(placed.seen..).unwrap_or_default().to_vec();
            sort_slice(tree, order, &mut new);
            if placed.ids.is_empty() {
                placed.ids = new;
            } else {
                placed.ids = merge(tree, order, &placed.ids, &new);
            }
            placed.seen = children.len();
        }
        &placed.ids
    }
}

impl Outline {
    /// Removed topics shift the tree's children: place every branch again.
    fn forget_if_removed(&mut self, tree: &Tree) {
        if self.removals_seen != tree.removals() {
            self.placed.clear();
            self.root = Placed::default();
            self.removals_seen = tree.removals();
        }
    }

    /// The children of `id` that `shows` keeps, in the branch's order, into `out` (cleared
    /// first): [`Outline::children`] filtered. A branch in name order that was not put in
    /// order before and shows at most half its children (a search shows one sensor of each
    /// device) has only those sorted, and nothing is kept: the order is the one the whole
    /// branch would get, names being a total order, so nothing moves when it is placed whole.
    pub fn shown_children(
        &mut self,
        tree: &Tree,
        id: NodeId,
        resort: bool,
        shows: impl Fn(NodeId) -> bool,
        out: &mut Vec<NodeId>,
    ) {
        self.forget_if_removed(tree);
        out.clear();
        let placed = id == NodeId::ROOT || self.placed.contains_key(&id);
        if !placed && self.sort_of(id) == SortOrder::Name {
            let children = tree.get(id).map_or(&[][..], |n| n.children());
            out.extend(children.iter().copied().filter(|&child| shows(child)));
            if out.len() * 2 <= children.len() {
                sort_slice(tree, SortOrder::Name, out);
                return;
            }
            out.clear();
        }
        let children = self.children(tree, id, resort);
        out.extend(children.iter().copied().filter(|&child| shows(child)));
    }
}

/// `head` and `tail`, both in `order`, merged into one list in `order`.
fn merge(tree: &Tree, order: SortOrder, head: &[NodeId], tail: &[NodeId]) -> Vec<NodeId> {
    let mut merged = Vec::with_capacity(head.len() + tail.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(h), Some(t)) = (head.get(i), tail.get(j)) {
        if compare(tree, order, *t, *h) == Ordering::Less {
            merged.push(*t);
            j += 1;
        } else {
            merged.push(*h);
            i += 1;
        }
    }
    merged.extend_from_slice(head.get(i..).unwrap_or_default());
    merged.extend_from_slice(tail.get(j..).unwrap_or_default());
    merged
}

/// Sort siblings in `order`. For counts and activity: first by the number alone
/// (each node read once), then each run of equal numbers by name. Both sorts
/// are stable and adaptive, so a branch sorted a second ago, whose counts moved a
/// little since, costs few name comparisons (counts tie often, names are slow).
fn sort_slice(tree: &Tree, order: SortOrder, ids: &mut [NodeId]) {
    if ids.len() < 2 {
        return;
    }
    if order == SortOrder::Name {
        // Each node read once, for its name, not twice per comparison.
        let mut named: Vec<(&str, NodeId)> = ids
            .iter()
            .map(|&id| (tree.slot(id).map_or("", |n| n.name()), id))
            .collect();
        named.sort_by(|a, b| natural_cmp(a.0, b.0));
        for (slot, (_, id)) in ids.iter_mut().zip(named) {
            *slot = id;
        }
        return;
    }
    // Each node is read once, here: the sorts below touch only this list (and names on ties).
    let mut keyed: Vec<(u64, &str, NodeId)> = ids
        .iter()
        .map(|&id| {
            let node = tree.slot(id);
            let key = node.map_or(0, |n| sort_key(n, order));
            (key, node.map_or("", |n| n.name()), id)
        })
        .collect();
    keyed.sort_by_key(|&(key, ..)| std::cmp::Reverse(key));
    for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            run.sort_by(|a, b| natural_cmp(a.1, b.1));
        }
    }
    for (slot, (_, _, id)) in ids.iter_mut().zip(keyed) {
        *slot = id;
    }
}

fn sort_key(node: &crate::Node, order: SortOrder) -> u64 {
    match order {
        SortOrder::Name => 0,
        SortOrder::Messages => node.subtree_messages(),
        SortOrder::Activity => node.last_activity(),
    }
}

/// Two siblings in `order`; ties (equal counts or times) go by name.
fn compare(tree: &Tree, order: SortOrder, a: NodeId, b: NodeId) -> Ordering {
    let (Some(a), Some(b)) = (tree.slot(a), tree.slot(b)) else {
        return a.cmp(&b);
    };
    sort_key(b, order)
        .cmp(&sort_key(a, order))
        .then_with(|| natural_cmp(a.name(), b.name()))
}

#[cfg(test)]
mod tests;
