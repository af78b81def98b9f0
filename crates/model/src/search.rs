//! Finding topics: by text anywhere in the topic (any case), by an MQTT
//! filter (`home/+/temperature`, `zigbee2mqtt/#`), and optionally by text in
//! the latest payload. One pass over the tree per search; the result says
//! which nodes to show (the matches and the branches above them).

use super::outline::Outline;
use super::tree::{NodeId, Tree};

/// Payload bytes searched per topic at most (a search stays fast with big payloads).
pub const PAYLOAD_SEARCH_BYTES: usize = 64 * 1024;

/// Names whose answer a text search remembers at once (see `Search::run_names`).
const NAME_CACHE_SLOTS: usize = 4096;

/// What to look for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Search {
    query: Query,
    in_payloads: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Query {
    /// Text, compared without regard to ASCII case.
    Text(Vec<u8>),
    /// An MQTT topic filter, level by level.
    Filter(Vec<String>),
}

/// Which nodes a search shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    /// By node index: true for a matching topic and every branch above one.
    visible: Vec<bool>,
    /// How many topics match.
    pub topics: u32,
}

impl Matches {
    /// Whether the node is shown.
    pub fn shows(&self, id: NodeId) -> bool {
        self.visible.get(id.index()).copied().unwrap_or(false)
    }

    /// Open every branch shown now that `before` did not show, so new matches are in view
    /// while branches the user closed since stay closed.
    pub fn open_new_branches(&self, tree: &Tree, outline: &mut Outline, before: Option<&Matches>) {
        for (index, &shown) in self.visible.iter().enumerate() {
            let id = NodeId::from_index(index);
            if shown && !before.is_some_and(|b| b.shows(id)) {
                outline.set_expanded(tree, id, true);
            }
        }
    }
}

impl Search {
    /// A search for `text` (trimmed); `None` when there is nothing to look for. Text with `+`
    /// or `#` as a whole level is an MQTT filter; anything else is a substring.
    pub fn new(text: &str, in_payloads: bool) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let is_filter =
            text.split('/').any(|level| level == "+" || level == "#") && super::topic::filter_error(text).is_none();
        let query = if is_filter {
            Query::Filter(text.split('/').map(str::to_owned).collect())
        } else {
            Query::Text(text.as_bytes().to_vec())
        };
        Some(Self { query, in_payloads })
    }

    /// Whether this search is an MQTT filter (payloads are then not searched).
    pub fn is_filter(&self) -> bool {
        matches!(self.query, Query::Filter(_))
    }

    /// Whether `topic`, with its latest `payload`, matches.
    pub fn matches(&self, topic: &str, payload: Option<&[u8]>) -> bool {
        match &self.query {
            Query::Filter(levels) => filter_matches(levels, topic),
            Query::Text(needle) => {
                contains_ignore_case(topic.as_bytes(), needle)
                    || (self.in_payloads
                        && payload
                            .is_some_and(|p| contains_ignore_case(&p[..p.len().min(PAYLOAD_SEARCH_BYTES)], needle)))
            }
        }
    }

    /// Every topic of `tree` that matches, and the branches above them. A filter visits only
    /// the branches it can match; text visits every node once, comparing level names (text
    /// without `/` cannot span levels) or, for text with `/`, whole topics.
    pub fn run(&self, tree: &Tree) -> Matches {
        let mut matches = Matches {
            visible: vec![false; tree.node_count()],
            topics: 0,
        };
        match &self.query {
            Query::Filter(levels) => self.run_filter(tree, levels, &mut matches),
            Query::Text(needle) if !needle.contains(&b'/') => self.run_names(tree, needle, &mut matches),
            Query::Text(needle) => self.run_topics(tree, needle, &mut matches),
        }
        matches
    }

    /// Text without `/`: a topic matches when one of its levels contains the text. The arena
    /// is read in order (a parent always comes before its children), not walked.
    fn run_names(&self, tree: &Tree, needle: &[u8], matches: &mut Matches) {
        let mut matched = vec![false; tree.node_count()];
        // Level names are shared between nodes (the tree holds each once), so most names
        // were seen a moment ago: remember the answer by where the name lives.
        let mut seen = vec![(0usize, false); NAME_CACHE_SLOTS];
        for index in 1..tree.node_count() {
            let id = NodeId::from_index(index);
            let Some(node) = tree.get(id) else { continue };
            let here = matched[node.parent().index()] || {
                let name = node.name();
                let address = name.as_ptr() as usize;
                let slot = (address >> 4) % NAME_CACHE_SLOTS;
                match seen[slot] {
                    (cached, found) if cached == address => found,
                    _ => {
                        let found = contains_ignore_case(name.as_bytes(), needle);
                        seen[slot] = (address, found);
                        found
                    }
                }
            };
            matched[index] = here;
            if let Some(message) = node.latest()
                && (here
                    || (self.in_payloads
                        && contains_ignore_case(
                            &message.payload[..message.payload.len().min(PAYLOAD_SEARCH_BYTES)],
                            needle,
                        )))
            {
                matches.found(tree, id);
            }
        }
    }

    /// Text with `/`: whole topics are built, each from its parent's, in arena order.
    fn run_topics(&self, tree: &Tree, needle: &[u8], matches: &mut Matches) {
        let mut topics: Vec<u8> = Vec::new();
        // Where each node's topic sits in `topics`.
        let mut spans: Vec<(u32, u32)> = vec![(0, 0); tree.node_count()];
        for index in 1..tree.node_count() {
            let id = NodeId::from_index(index);
            let Some(node) = tree.get(id) else { continue };
            let parent = node.parent();
            let start = topics.len();
            if parent != NodeId::ROOT {
                let (from, len) = spans[parent.index()];
                topics.extend_from_within(from as usize..(from + len) as usize);
                topics.push(b'/');
            }
            topics.extend_from_slice(node.name().as_bytes());
            let len = topics.len() - start;
            spans[index] = (start as u32, len as u32);
            if let Some(message) = node.latest() {
                let topic = &topics[start..];
                let payload = &message.payload[..message.payload.len().min(PAYLOAD_SEARCH_BYTES)];
                if contains_ignore_case(topic, needle) || (self.in_payloads && contains_ignore_case(payload, needle)) {
                    matches.found(tree, id);
                }
            }
            if !node.has_children() {
                // A leaf's topic is never a prefix of another: give its bytes back.
                topics.truncate(start);
                spans[index] = (0, 0);
            }
        }
    }

    /// A filter: only branches that can still match are visited.
    fn run_filter(&self, tree: &Tree, levels: &[String], matches: &mut Matches) {
        // (node, index of the filter level it is compared with)
        let mut stack: Vec<(NodeId, usize)> = tree.root().children().iter().map(|&id| (id, 0)).collect();
        while let Some((id, at)) = stack.pop() {
            let Some(node) = tree.get(id) else { continue };
            let Some(level) = levels.get(at) else { continue };
            // Wildcards in the first level never match `$` topics.
            let system = at == 0 && node.name().starts_with('$');
            match level.as_str() {
                "#" if system => {}
                "#" => self.everything_below(tree, id, matches),
                "+" if system => {}
                level if level != "+" && level != node.name() => {}
                _ => {
                    let last = at + 1 == levels.len();
                    // "a/#" also matches "a" itself.
                    let parent_of_hash = at + 2 == levels.len() && levels[at + 1] == "#";
                    if (last || parent_of_hash) && node.latest().is_some() {
                        matches.found(tree, id);
                    }
                    if !last {
                        stack.extend(node.children().iter().map(|&child| (child, at + 1)));
                    }
                }
            }
        }
    }

    fn everything_below(&self, tree: &Tree, id: NodeId, matches: &mut Matches) {
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            let Some(node) = tree.get(id) else { continue };
            if node.latest().is_some() {
                matches.found(tree, id);
            }
            stack.extend_from_slice(node.children());
        }
    }
}

impl Matches {
    /// Record the topic `id` as found: it and the branches above it are shown.
    fn found(&mut self, tree: &Tree, id: NodeId) {
        self.topics += 1;
        let mut at = id;
        while at != NodeId::ROOT && !self.visible[at.index()] {
            self.visible[at.index()] = true;
            at = tree.get(at).map_or(NodeId::ROOT, |n| n.parent());
        }
    }
}

/// Whether `haystack` contains `needle`, ASCII letters compared without case.
fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.len() > haystack.len() {
        return false;
    }
    let first = needle[0].to_ascii_lowercase();
    haystack
        .windows(needle.len())
        .any(|window| window[0].to_ascii_lowercase() == first && window.eq_ignore_ascii_case(needle))
}

use crate::topic::levels_match as filter_matches;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;

    fn tree(topics: &[(&str, &str)]) -> Tree {
        let mut tree = Tree::new();
        for (topic, payload) in topics {
            tree.insert(topic, Message::new(payload.as_bytes().to_vec()));
        }
        tree
    }

    fn found(tree: &Tree, text: &str, in_payloads: bool) -> Vec<String> {
        let search = Search::new(text, in_payloads).expect("a search");
        let matches = search.run(tree);
        let mut topics: Vec<String> = (0..tree.node_count())
            .map(NodeId::from_index)
            .filter(|&id| matches.shows(id) && tree.get(id).is_some_and(|n| n.latest().is_some()))
            .map(|id| tree.topic(id))
            .collect();
        topics.sort();
        assert_eq!(topics.len(), matches.topics as usize);
        topics
    }

    #[test]
    fn a_level_name_many_topics_share_is_found_under_every_parent() {
        let t = tree(&[
            ("room1/temperature", "20"),
            ("room1/humidity", "40"),
            ("room2/temperature", "21"),
            ("room2/humidity", "41"),
            ("hall/temperature", "19"),
        ]);
        assert_eq!(
            found(&t, "temp", false),
            ["hall/temperature", "room1/temperature", "room2/temperature"]
        );
        assert_eq!(found(&t, "humid", false), ["room1/humidity", "room2/humidity"]);
    }

    #[test]
    fn text_matches_anywhere_in_the_topic_in_any_case() {
        let t = tree(&[
            ("home/Kitchen/light", "ON"),
            ("home/hall/light", "OFF"),
            ("garden/pump", "kitchen tap"),
        ]);
        assert_eq!(found(&t, "kitchen", false), ["home/Kitchen/light"]);
        assert_eq!(
            found(&t, "N/LIG", false),
            ["home/Kitchen/light"],
            "across a level boundary"
        );
        assert_eq!(found(&t, "kitchen", true), ["garden/pump", "home/Kitchen/light"]);
        assert!(found(&t, "nowhere", true).is_empty());
        assert_eq!(Search::new("   ", false), None);
    }

    #[test]
    fn filters_follow_mqtt_rules() {
        let t = tree(&[
            ("home/kitchen/temperature", "21"),
            ("home/hall/temperature", "19"),
            ("home/hall/humidity", "40"),
            ("home/temperature", "x"),
            ("$SYS/broker/uptime", "1"),
        ]);
        assert_eq!(
            found(&t, "home/+/temperature", false),
            ["home/hall/temperature", "home/kitchen/temperature"]
        );
        assert_eq!(
            found(&t, "home/hall/#", false),
            ["home/hall/humidity", "home/hall/temperature"]
        );
        assert_eq!(found(&t, "#", false).len(), 4, "# does not match $SYS");
        assert_eq!(found(&t, "$SYS/#", false), ["$SYS/broker/uptime"]);
        assert!(Search::new("a/+/b", false).expect("search").is_filter());
        assert!(
            !Search::new("a+b", false).expect("search").is_filter(),
            "+ inside a level is text"
        );
    }

    #[test]
    fn branches_above_a_match_are_shown_and_nothing_else() {
        let t = tree(&[("a/b/c", "1"), ("a/x", "2"), ("z", "3")]);
        let matches = Search::new("c", false).expect("search").run(&t);
        let shown: Vec<String> = (0..t.node_count())
            .map(NodeId::from_index)
            .filter(|&id| id != NodeId::ROOT && matches.shows(id))
            .map(|id| t.topic(id))
            .collect();
        assert_eq!(shown, ["a", "a/b", "a/b/c"]);
    }

    #[test]
    fn a_huge_payload_is_searched_only_at_its_start() {
        let mut big = vec![b'x'; PAYLOAD_SEARCH_BYTES + 10];
        big.extend_from_slice(b"needle");
        let mut t = Tree::new();
        t.insert("big", Message::new(big));
        assert!(found(&t, "needle", true).is_empty());
    }
}
