//! Text searches over the whole tree. They read the tree's compact links (parent, name number,
//! whether a topic: 8 bytes a node, see [`Tree::links`]) in arena order, where a parent always
//! comes before its children, and compare each distinct level name with the text once; only
//! payloads, when searched, are read from the nodes themselves.

use super::{Matches, PAYLOAD_SEARCH_BYTES};
use crate::tree::{Node, NodeId, Tree};

/// Levels of a text with `/` followed from node to node at most (one bit each); text with more
/// has its topics built whole instead.
const MAX_SPANNED_LEVELS: usize = 62;
/// In a node's state while following a text with `/`: a level at or above it completed the text.
const ON_PATH: u64 = 1 << 63;
/// In a name's bits: the name starts with the text's last part.
const STARTS_LAST: u64 = 1 << 63;
/// Names whose answer a search in names and payloads remembers at once.
const NAME_CACHE_SLOTS: usize = 4096;

/// Text without `/`: a topic matches when one of its levels contains the text (or, with
/// `in_payloads`, its latest payload does).
pub(super) fn in_names(tree: &Tree, needle: &[u8], in_payloads: bool, matches: &mut Matches) {
    if in_payloads {
        in_names_and_payloads(tree, needle, matches);
        return;
    }
    let mut hits = vec![false; tree.name_numbers()];
    for (number, name) in tree.names() {
        if let Some(hit) = hits.get_mut(number) {
            *hit = contains_ignore_case(name.as_bytes(), needle);
        }
    }
    let links = tree.links();
    // By node index: whether its topic contains the text (it or a level above it does).
    let mut on_path = vec![false; links.len()];
    for (index, link) in links.iter().enumerate().skip(1) {
        let here = on_path.get(link.parent().index()).copied().unwrap_or(false)
            || hits.get(link.name()).copied().unwrap_or(false);
        if let Some(slot) = on_path.get_mut(index) {
            *slot = here;
        }
        if here && link.is_topic() {
            matches.found(tree, NodeId::from_index(index));
        }
    }
}

/// Text without `/`, in names and payloads: every topic's node is read for its payload anyway,
/// so the names are compared from the nodes in the same pass, in arena order, one stream of
/// memory the processor fetches ahead (the links beside it would be a second). Names are
/// shared between nodes, so the answer for each is remembered by where it lives.
fn in_names_and_payloads(tree: &Tree, needle: &[u8], matches: &mut Matches) {
    let mut on_path = vec![false; tree.node_count()];
    let mut seen = vec![(0usize, false); NAME_CACHE_SLOTS];
    for (index, node) in tree.slots().iter().enumerate().skip(1) {
        // A removed node holds no message and no children: whatever it says here is unused,
        // so its `removed` flag, on another cache line, is not read.
        let here = on_path.get(node.parent().index()).copied().unwrap_or(false) || {
            let name = node.name();
            let address = name.as_ptr() as usize;
            let slot = (address >> 4) % NAME_CACHE_SLOTS;
            match seen.get(slot) {
                Some(&(cached, found)) if cached == address => found,
                _ => {
                    let found = contains_ignore_case(name.as_bytes(), needle);
                    if let Some(entry) = seen.get_mut(slot) {
                        *entry = (address, found);
                    }
                    found
                }
            }
        };
        if let Some(slot) = on_path.get_mut(index) {
            *slot = here;
        }
        if node.latest().is_some() && (here || payload_of(node, needle)) {
            matches.found(tree, NodeId::from_index(index));
        }
    }
}

/// Text with `/`, split at each `/` into parts `p0/p1/…/pk`: a topic contains it when one of
/// its levels ends with `p0`, the next levels are `p1` … `pk-1` exactly, and the level after
/// them starts with `pk` (letters in any case). Followed from parent to child as one bit per
/// part, so no topic is built.
pub(super) fn across_levels(tree: &Tree, needle: &[u8], in_payloads: bool, matches: &mut Matches) {
    let parts: Vec<&[u8]> = needle.split(|&b| b == b'/').collect();
    let Some((&last, spanned)) = parts.split_last() else {
        return;
    };
    if spanned.is_empty() || spanned.len() > MAX_SPANNED_LEVELS {
        whole_topics(tree, needle, in_payloads, matches);
        return;
    }
    // Bit 0: the level can start the text; bit s: it is part s; STARTS_LAST: it can end it.
    let mut name_bits = vec![0u64; tree.name_numbers()];
    for (number, name) in tree.names() {
        let name = name.as_bytes();
        let mut bits = 0;
        for (at, part) in spanned.iter().enumerate() {
            let fits = if at == 0 {
                ends_with_ignore_case(name, part)
            } else {
                name.eq_ignore_ascii_case(part)
            };
            bits |= u64::from(fits) << at;
        }
        if starts_with_ignore_case(name, last) {
            bits |= STARTS_LAST;
        }
        if let Some(slot) = name_bits.get_mut(number) {
            *slot = bits;
        }
    }
    let parts_mask = (1u64 << spanned.len()) - 1;
    let completes = 1u64 << (spanned.len() - 1);
    let links = tree.links();
    // By node index: the parts its topic ends with (bit s: `p0/…/ps` ends here), and ON_PATH.
    let mut states = vec![0u64; links.len()];
    for (index, link) in links.iter().enumerate().skip(1) {
        let above = states.get(link.parent().index()).copied().unwrap_or(0);
        let bits = name_bits.get(link.name()).copied().unwrap_or(0);
        let on_path = above & ON_PATH != 0 || (above & completes != 0 && bits & STARTS_LAST != 0);
        let state = (bits & 1) | ((above << 1) & bits & parts_mask & !1) | if on_path { ON_PATH } else { 0 };
        if let Some(slot) = states.get_mut(index) {
            *slot = state;
        }
        if link.is_topic()
            && (on_path
                || (in_payloads
                    && tree
                        .slot(NodeId::from_index(index))
                        .is_some_and(|node| payload_of(node, needle))))
        {
            matches.found(tree, NodeId::from_index(index));
        }
    }
}

/// Whether the latest payload of `node` holds `needle` (see [`payload_holds`]). Only the
/// node's message is read, not its `removed` flag on another cache line: the caller knows
/// it is a topic from its link.
fn payload_of(node: &Node, needle: &[u8]) -> bool {
    node.latest()
        .is_some_and(|message| payload_holds(&message.payload, needle))
}

/// Text with `/` over very many levels: whole topics are built, each from its parent's.
fn whole_topics(tree: &Tree, needle: &[u8], in_payloads: bool, matches: &mut Matches) {
    let mut topics: Vec<u8> = Vec::new();
    // Where each node's topic sits in `topics`.
    let mut spans: Vec<(u32, u32)> = vec![(0, 0); tree.node_count()];
    for index in 1..tree.node_count() {
        let id = NodeId::from_index(index);
        let Some(node) = tree.get(id) else { continue };
        let parent = node.parent();
        let start = topics.len();
        if parent != NodeId::ROOT {
            let (from, len) = spans.get(parent.index()).copied().unwrap_or_default();
            topics.extend_from_within(from as usize..(from + len) as usize);
            topics.push(b'/');
        }
        topics.extend_from_slice(node.name().as_bytes());
        let len = topics.len() - start;
        if let Some(span) = spans.get_mut(index) {
            *span = (start as u32, len as u32);
        }
        if node.latest().is_some()
            && (contains_ignore_case(&topics[start..], needle)
                || (in_payloads && node.latest().is_some_and(|m| payload_holds(&m.payload, needle))))
        {
            matches.found(tree, id);
        }
        if !node.has_children() {
            // A leaf's topic is never a prefix of another: give its bytes back.
            topics.truncate(start);
            if let Some(span) = spans.get_mut(index) {
                *span = (0, 0);
            }
        }
    }
}

/// Whether `payload` holds `needle` in its first [`PAYLOAD_SEARCH_BYTES`].
pub(super) fn payload_holds(payload: &[u8], needle: &[u8]) -> bool {
    contains_ignore_case(&payload[..payload.len().min(PAYLOAD_SEARCH_BYTES)], needle)
}

/// Whether `haystack` contains `needle`, ASCII letters compared without case.
pub(super) fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else { return true };
    if needle.len() > haystack.len() {
        return false;
    }
    let first = first.to_ascii_lowercase();
    haystack
        .windows(needle.len())
        .any(|window| window[0].to_ascii_lowercase() == first && window.eq_ignore_ascii_case(needle))
}

fn starts_with_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .get(..needle.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(needle))
}

fn ends_with_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .len()
        .checked_sub(needle.len())
        .and_then(|from| haystack.get(from..))
        .is_some_and(|end| end.eq_ignore_ascii_case(needle))
}

/// The full topic of node `id` into `out` (cleared first), from the links and `names` (by
/// number, see [`Tree::names_by_number`]); `levels` is room for the name numbers on the way.
pub(super) fn topic_of(tree: &Tree, names: &[Option<&str>], id: NodeId, levels: &mut Vec<usize>, out: &mut Vec<u8>) {
    out.clear();
    levels.clear();
    let links = tree.links();
    let mut at = id;
    while at != NodeId::ROOT {
        let Some(link) = links.get(at.index()) else { break };
        levels.push(link.name());
        at = link.parent();
    }
    for (n, &name) in levels.iter().rev().enumerate() {
        if n > 0 {
            out.push(b'/');
        }
        out.extend_from_slice(
            names
                .get(name)
                .and_then(Option::as_deref)
                .unwrap_or_default()
                .as_bytes(),
        );
    }
}
