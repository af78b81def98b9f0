use super::*;

fn tree_with(topics: &[&str]) -> Tree {
    let mut tree = Tree::new();
    for topic in topics {
        tree.insert(topic, Message::new(&b"1"[..]));
    }
    tree
}

#[test]
fn counts_topics_and_messages_along_the_path() {
    let mut tree = tree_with(&["home/kitchen/temp", "home/kitchen/hum", "home/hall"]);
    tree.insert("home/kitchen/temp", Message::new(&b"2"[..]));
    let home = tree.find("home").expect("home exists");
    let kitchen = tree.find("home/kitchen").expect("kitchen exists");
    let temp = tree.find("home/kitchen/temp").expect("temp exists");
    assert_eq!(tree.get(home).map(Node::subtree_topics), Some(3));
    assert_eq!(tree.get(home).map(Node::subtree_messages), Some(4));
    assert_eq!(tree.get(kitchen).map(Node::subtree_messages), Some(3));
    assert_eq!(tree.get(kitchen).map(Node::own_messages), Some(0));
    assert_eq!(tree.get(temp).map(Node::own_messages), Some(2));
    assert_eq!(
        tree.get(temp).and_then(Node::latest).map(|m| m.payload.clone()),
        Some(bytes::Bytes::from_static(b"2"))
    );
    assert_eq!(tree.topic_count(), 3);
    assert_eq!(tree.message_count(), 4);
}

#[test]
fn a_topic_can_have_a_value_and_children() {
    let tree = tree_with(&["a", "a/b"]);
    let a = tree.find("a").expect("a exists");
    assert_eq!(tree.get(a).map(Node::subtree_topics), Some(2));
    assert!(tree.get(a).is_some_and(|n| n.latest().is_some()));
}

#[test]
fn keeps_empty_levels_leading_slash_dollar_and_unicode() {
    let tree = tree_with(&["a//b", "/leading", "trailing/", "$SYS/broker/uptime", "капуста/🌡"]);
    for topic in ["a//b", "/leading", "trailing/", "$SYS/broker/uptime", "капуста/🌡"] {
        let id = tree.find(topic).expect("topic exists");
        assert_eq!(tree.topic(id), topic);
    }
    let empty = tree.find("a/").expect("empty level exists");
    assert_eq!(tree.get(empty).map(Node::name), Some(""));
    assert_eq!(tree.topic_count(), 5);
}

#[test]
fn same_name_under_different_parents_are_different_nodes() {
    let tree = tree_with(&["a/x", "b/x"]);
    assert_ne!(tree.find("a/x"), tree.find("b/x"));
    assert_eq!(tree.node_count(), 5);
}

#[test]
fn reports_when_the_shape_changes() {
    let mut tree = Tree::new();
    let first = tree.insert("a/b", Message::new(&b""[..])).expect("inserted");
    let again = tree.insert("a/b", Message::new(&b""[..])).expect("inserted");
    assert!(first.created_nodes);
    assert!(!again.created_nodes);
    assert_eq!(first.id, again.id);
}

#[test]
fn tracks_which_topics_hold_a_retained_message() {
    let mut tree = Tree::new();
    let retained = |payload: &'static [u8]| Message {
        retain: true,
        ..Message::new(payload)
    };
    tree.insert("a/x", retained(b"1"));
    tree.insert("a/y", Message::new(&b"live"[..]));
    tree.insert("a/z/deep", retained(b"2"));
    let a = tree.find("a").expect("a exists");
    let topics: Vec<String> = tree.retained_topics(a).into_iter().map(|id| tree.topic(id)).collect();
    assert_eq!(topics, ["a/x", "a/z/deep"]);
    assert_eq!(tree.get(a).map(Node::subtree_retained), Some(2));
    // An empty payload deletes a retained message.
    tree.insert("a/x", Message::new(&b""[..]));
    assert_eq!(tree.retained_topics(a).len(), 1);
    assert_eq!(tree.get(a).map(Node::subtree_retained), Some(1));
    // A live message on a retained topic does not say the retained one is gone.
    tree.insert("a/z/deep", Message::new(&b"3"[..]));
    assert_eq!(tree.get(a).map(Node::subtree_retained), Some(1));
    let deep = tree.find("a/z/deep").expect("deep exists");
    tree.remove_topic(deep);
    assert_eq!(tree.get(a).map(Node::subtree_retained), Some(0));
}

#[test]
fn removing_a_topic_updates_counts_and_prunes_empty_branches() {
    let mut tree = tree_with(&["a/b/c", "a/d"]);
    tree.insert("a/b/c", Message::new(&b"2"[..]));
    let c = tree.find("a/b/c").expect("c exists");
    assert!(tree.remove_topic(c), "c and the empty b go away");
    assert_eq!(tree.find("a/b"), None);
    assert!(tree.get(c).is_none());
    let a = tree.find("a").expect("a stays: it has d");
    assert_eq!(
        tree.get(a).map(|n| (n.subtree_topics(), n.subtree_messages())),
        Some((1, 1))
    );
    assert_eq!((tree.topic_count(), tree.message_count()), (1, 1));
    // The same topic can come back.
    tree.insert("a/b/c", Message::new(&b"3"[..]));
    assert_eq!(tree.topic_count(), 2);
    let d = tree.find("a/d").expect("d exists");
    assert!(tree.remove_topic(d));
    assert_eq!(tree.get(a).map(|n| n.children().len()), Some(1));
}

#[test]
fn removing_a_topic_with_children_keeps_the_children() {
    let mut tree = tree_with(&["a", "a/b"]);
    let a = tree.find("a").expect("a exists");
    assert!(!tree.remove_topic(a), "a stays as a branch");
    assert!(tree.get(a).is_some_and(|n| n.latest().is_none()));
    assert_eq!(tree.topic_count(), 1);
}

#[test]
fn completes_a_topic_one_level_at_a_time() {
    let tree = tree_with(&[
        "zigbee2mqtt/Kitchen/set",
        "zigbee2mqtt/kettle",
        "zigbee2mqtt/hall",
        "tele/x",
    ]);
    assert_eq!(
        tree.complete("zigbee2mqtt/k", 10),
        [
            ("zigbee2mqtt/kettle".to_owned(), false),
            ("zigbee2mqtt/Kitchen".to_owned(), true)
        ]
    );
    assert_eq!(tree.complete("te", 10), [("tele".to_owned(), true)]);
    assert_eq!(tree.complete("zigbee2mqtt/", 1).len(), 1);
    assert!(tree.complete("nothing/here/x", 10).is_empty());
}

#[test]
fn received_counts_every_message_and_never_drops() {
    let mut tree = tree_with(&["a", "b", "a"]);
    assert_eq!(tree.received(), 3);
    let b = tree.find("b").expect("b exists");
    tree.remove_topic(b);
    assert_eq!((tree.received(), tree.message_count()), (3, 2));
}

#[test]
fn a_new_value_is_told_apart_from_a_repeated_one() {
    let mut tree = Tree::new();
    tree.insert("plug/power", Message::new(&b"12.5"[..]));
    let id = tree.find("plug/power").expect("topic exists");
    assert!(tree.get(id).is_some_and(Node::value_changed), "the first value is new");
    tree.insert("plug/power", Message::new(&b"12.5"[..]));
    assert!(!tree.get(id).is_some_and(Node::value_changed), "the same payload again");
    tree.insert("plug/power", Message::new(&b"13.0"[..]));
    assert!(tree.get(id).is_some_and(Node::value_changed));
}

#[test]
fn a_new_value_is_news_only_after_a_quiet_spell() {
    use std::time::{Duration, UNIX_EPOCH};
    let at = |secs: f64| {
        let mut message = Message::new(format!("{secs}").into_bytes());
        message.received_at = UNIX_EPOCH + Duration::from_secs_f64(1_000.0 + secs);
        message
    };
    let mut tree = Tree::new();
    tree.insert("room/temp", at(0.0));
    let id = tree.find("room/temp").expect("topic exists");
    let news = |tree: &Tree| tree.get(id).is_some_and(Node::is_news);
    assert!(news(&tree), "the first value is news");
    tree.insert("room/temp", at(0.4));
    assert!(
        !news(&tree) && tree.get(id).is_some_and(Node::value_changed),
        "changed, but busy"
    );
    tree.insert("room/temp", at(0.8));
    assert!(!news(&tree));
    tree.insert("room/temp", at(0.8 + BUSY_WITHIN.as_secs_f64()));
    assert!(news(&tree), "a new value after a quiet spell");
}

#[test]
fn topics_that_share_level_names_keep_their_own_topic_after_a_removal() {
    let mut tree = Tree::new();
    tree.insert("hall/lamp/state", Message::new(&b"on"[..]));
    tree.insert("porch/lamp/state", Message::new(&b"off"[..]));
    let hall = tree.find("hall/lamp/state").expect("topic exists");
    assert!(tree.remove_topic(hall));
    assert_eq!(tree.find("hall/lamp/state"), None);
    let porch = tree.find("porch/lamp/state").expect("the other lamp stays");
    assert_eq!(tree.topic(porch), "porch/lamp/state");
    tree.insert("hall/lamp/state", Message::new(&b"on"[..]));
    let again = tree.find("hall/lamp/state").expect("published again");
    assert_eq!(tree.topic(again), "hall/lamp/state");
    assert_eq!(tree.complete("hall/", 10), vec![("hall/lamp".to_owned(), true)]);
}

/// Whether every live node's link says what the node says: parent, name, topic, branch.
fn links_agree(tree: &Tree) -> bool {
    let names = tree.names_by_number();
    (1..tree.node_count()).map(NodeId::from_index).all(|id| {
        let Some(link) = tree.links().get(id.index()) else {
            return false;
        };
        match tree.get(id) {
            None => !link.is_topic() && !link.is_branch(),
            Some(node) => {
                let name = names.get(link.name()).copied().flatten();
                link.parent() == node.parent()
                    && name == Some(node.name())
                    && link.is_topic() == node.latest().is_some()
                    && link.is_branch() == node.has_children()
            }
        }
    })
}

#[test]
fn the_links_a_search_reads_follow_every_insert_and_removal() {
    let mut tree = tree_with(&["a/b/c", "a/d", "x/b", "a"]);
    assert!(links_agree(&tree));
    let c = tree.find("a/b/c").expect("c exists");
    tree.remove_topic(c);
    assert!(links_agree(&tree), "b went, a lost a child");
    let a = tree.find("a").expect("a exists");
    tree.remove_topic(a);
    assert!(links_agree(&tree), "a is a branch without a message");
    let d = tree.find("a/d").expect("d exists");
    tree.remove_topic(d);
    assert!(links_agree(&tree), "a went with its last child");
    let xb = tree.find("x/b").expect("x/b exists");
    tree.remove_topic(xb);
    assert!(tree.names().next().is_none(), "every name left the table");
    tree.insert("y/c", Message::new(&b"1"[..]));
    assert!(links_agree(&tree), "names given numbers again");
    assert_eq!(tree.names().count(), 2);
    assert_eq!(tree.name_numbers(), 5, "numbers given again before new ones");
}
