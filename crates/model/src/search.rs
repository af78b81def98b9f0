//! Finding topics: by text anywhere in the topic (any case), by an MQTT
//! filter (`home/+/temperature`, `zigbee2mqtt/#`), and optionally by text in
//! the latest payload. One pass over the tree per search; the result says
//! which nodes to show (the matches and the branches above them).

use super::outline::Outline;
use super::tree::{NodeId, Tree};

mod narrow;
mod text;

use text::contains_ignore_case;

/// Payload bytes searched per topic at most (a search stays fast with big payloads).
pub const PAYLOAD_SEARCH_BYTES: usize = 64 * 1024;

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
    /// The matching topics, in arena order (where a search that narrows this one starts).
    found: Vec<NodeId>,
    /// [`Tree::received`] when the search ran: topics whose latest message came after it may
    /// match a narrower search too.
    received: u64,
}

impl Matches {
    /// Whether the node is shown.
    pub fn shows(&self, id: NodeId) -> bool {
        self.visible.get(id.index()).copied().unwrap_or(false)
    }

    /// Open every branch shown now that `before` did not show, so new matches are in view
    /// while branches the user closed since stay closed. Reads the tree's links, not its nodes.
    pub fn open_new_branches(&self, tree: &Tree, outline: &mut Outline, before: Option<&Matches>) {
        let links = tree.links();
        for (index, &shown) in self.visible.iter().enumerate() {
            let id = NodeId::from_index(index);
            if shown && links.get(index).is_some_and(|link| link.is_branch()) && !before.is_some_and(|b| b.shows(id)) {
                outline.open(id);
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
    /// the branches it can match; text reads every node's compact link once (8 bytes), and
    /// compares each distinct level name once: text without `/` cannot span levels, and text
    /// with `/` is followed from level to level (see `text.rs`). Payloads, when searched, are
    /// read for the topics whose name did not match.
    pub fn run(&self, tree: &Tree) -> Matches {
        let mut matches = Matches::empty(tree);
        match &self.query {
            Query::Filter(levels) => self.run_filter(tree, levels, &mut matches),
            Query::Text(needle) if !needle.contains(&b'/') => {
                text::in_names(tree, needle, self.in_payloads, &mut matches);
            }
            Query::Text(needle) => text::across_levels(tree, needle, self.in_payloads, &mut matches),
        }
        matches
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
    /// Nothing found yet in `tree`.
    fn empty(tree: &Tree) -> Self {
        Self {
            visible: vec![false; tree.node_count()],
            topics: 0,
            found: Vec::new(),
            received: tree.received(),
        }
    }

    /// Record the topic `id` as found: it and the branches above it are shown.
    fn found(&mut self, tree: &Tree, id: NodeId) {
        self.topics += 1;
        self.found.push(id);
        let mut at = id;
        let links = tree.links();
        while at != NodeId::ROOT
            && let Some(shown @ false) = self.visible.get_mut(at.index())
        {
            *shown = true;
            at = links.get(at.index()).map_or(NodeId::ROOT, |link| link.parent());
        }
    }
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
    fn text_with_slashes_is_found_across_levels_without_topics_being_built() {
        let t = tree(&[
            ("site1/floor3/device1/humidity", "1"),
            ("site1/floor3/device12/power", "2"),
            ("site1/floor13/device1", "3"),
            ("site1/Floor3", "4"),
            ("floor3/device1", "5"),
            ("a//b", "6"),
            ("/lead", "7"),
            ("trail/", "8"),
        ]);
        assert_eq!(
            found(&t, "floor3/device1", false),
            [
                "floor3/device1",
                "site1/floor3/device1/humidity",
                "site1/floor3/device12/power"
            ],
            "floor13 does not end with floor3"
        );
        assert_eq!(
            found(&t, "OR3/DEVICE1/hum", false),
            ["site1/floor3/device1/humidity"],
            "a whole level in the middle, any case"
        );
        assert_eq!(
            found(&t, "site1/floor3", false),
            [
                "site1/Floor3",
                "site1/floor3/device1/humidity",
                "site1/floor3/device12/power"
            ],
            "the last part starts a level, in any case"
        );
        assert_eq!(found(&t, "a//b", false), ["a//b"], "an empty level in the middle");
        assert_eq!(found(&t, "/lead", false), ["/lead"], "an empty first level");
        assert_eq!(found(&t, "trail/", false), ["trail/"], "an empty last level");
        assert_eq!(found(&t, "/", false).len(), 8, "every topic of more than one level");
        assert!(found(&t, "y/", false).is_empty(), "no level ending in y has a child");
    }

    #[test]
    fn text_spanning_very_many_levels_is_found_too() {
        let deep = vec!["x"; 80].join("/");
        let t = tree(&[(&deep, "1"), ("x/y", "2")]);
        let text = vec!["x"; 70].join("/");
        assert_eq!(found(&t, &text, false), [deep]);
        assert_eq!(found(&t, &format!("{text}/y"), false), Vec::<String>::new());
    }

    #[test]
    fn a_removed_topic_is_not_found_and_its_name_may_come_back() {
        let mut t = tree(&[("a/gone", "x"), ("b/kept", "y")]);
        let gone = t.find("a/gone").expect("a/gone exists");
        t.remove_topic(gone);
        assert!(found(&t, "gone", true).is_empty());
        assert!(found(&t, "a/", false).is_empty(), "a went with its last child");
        t.insert("c/other", Message::new(&b"z"[..]));
        t.insert("d/gone", Message::new(&b"w"[..]));
        assert_eq!(found(&t, "gone", false), ["d/gone"]);
        assert_eq!(found(&t, "other", false), ["c/other"]);
        assert_eq!(found(&t, "kept", false), ["b/kept"]);
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
