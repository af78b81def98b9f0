use super::*;
use crate::Message;

fn tree_with(topics: &[&str]) -> Tree {
    let mut tree = Tree::new();
    for topic in topics {
        tree.insert(topic, Message::new(&b"1"[..]));
    }
    tree
}

fn child_names(outline: &mut Outline, tree: &Tree, id: NodeId, resort: bool) -> Vec<String> {
    outline
        .children(tree, id, resort)
        .iter()
        .filter_map(|&c| tree.get(c))
        .map(|c| c.name().to_owned())
        .collect()
}

/// `s/a` ×1, `s/b` ×3, `s/c` ×3 (b's last), `s/d` ×2, `s/e/deep` ×1 (the latest of all).
fn busy_branch() -> (Tree, NodeId) {
    let tree = tree_with(&[
        "s/c", "s/a", "s/d", "s/c", "s/b", "s/b", "s/d", "s/c", "s/b", "s/e/deep",
    ]);
    let s = tree.find("s").expect("s exists");
    (tree, s)
}

#[test]
fn sorts_children_naturally() {
    let tree = tree_with(&["s/sensor10", "s/Sensor2", "s/sensor1", "s/alpha", "s/$x"]);
    let s = tree.find("s").expect("s exists");
    let mut outline = Outline::default();
    assert_eq!(
        child_names(&mut outline, &tree, s, false),
        ["$x", "alpha", "sensor1", "Sensor2", "sensor10"]
    );
}

#[test]
fn sorting_again_merges_new_children_in_order() {
    let mut tree = tree_with(&["s/b", "s/d"]);
    let s = tree.find("s").expect("s exists");
    let mut outline = Outline::default();
    child_names(&mut outline, &tree, s, false);
    for topic in ["s/c", "s/a", "s/e"] {
        tree.insert(topic, Message::new(&b"1"[..]));
    }
    assert_eq!(child_names(&mut outline, &tree, s, false), ["a", "b", "c", "d", "e"]);
}

#[test]
fn sorts_by_subtree_messages_most_first_ties_by_name() {
    let (tree, s) = busy_branch();
    let mut outline = Outline::default();
    outline.set_sort(s, Some(SortOrder::Messages));
    assert_eq!(child_names(&mut outline, &tree, s, false), ["b", "c", "d", "a", "e"]);
}

#[test]
fn sorts_by_latest_activity_in_the_subtree_most_recent_first() {
    let (tree, s) = busy_branch();
    let mut outline = Outline::default();
    outline.set_sort(s, Some(SortOrder::Activity));
    assert_eq!(child_names(&mut outline, &tree, s, false), ["e", "b", "c", "d", "a"]);
    let e = tree.find("s/e").expect("e exists");
    let deep = tree.find("s/e/deep").expect("deep exists");
    assert_eq!(tree.get(e).map(crate::Node::last_activity), Some(tree.received()));
    assert_eq!(tree.get(deep).map(crate::Node::last_activity), Some(tree.received()));
}

#[test]
fn a_traffic_order_moves_placed_children_only_when_asked_and_places_new_ones_right() {
    let (mut tree, s) = busy_branch();
    let mut outline = Outline::default();
    outline.set_sort(s, Some(SortOrder::Messages));
    child_names(&mut outline, &tree, s, false);
    for _ in 0..5 {
        tree.insert("s/a", Message::new(&b"1"[..]));
    }
    tree.insert("s/f", Message::new(&b"1"[..]));
    tree.insert("s/g", Message::new(&b"1"[..]));
    tree.insert("s/g", Message::new(&b"1"[..]));
    // a now has the most, but keeps its place; the new g (2) and f (1) go where their
    // counts put them among the placed ones: g after d (a tie, by name) and a, f last.
    assert_eq!(
        child_names(&mut outline, &tree, s, false),
        ["b", "c", "d", "a", "g", "e", "f"]
    );
    assert_eq!(
        child_names(&mut outline, &tree, s, true),
        ["a", "b", "c", "d", "g", "e", "f"]
    );
}

#[test]
fn switching_back_to_names_sorts_the_branch_whole_and_keeps_name_order_incremental() {
    let (mut tree, s) = busy_branch();
    let mut outline = Outline::default();
    outline.set_sort(s, Some(SortOrder::Activity));
    child_names(&mut outline, &tree, s, false);
    outline.set_sort(s, Some(SortOrder::Name));
    assert_eq!(child_names(&mut outline, &tree, s, false), ["a", "b", "c", "d", "e"]);
    // A re-sort request changes nothing for names, and new children merge in.
    tree.insert("s/0", Message::new(&b"1"[..]));
    assert_eq!(
        child_names(&mut outline, &tree, s, true),
        ["0", "a", "b", "c", "d", "e"]
    );
}

#[test]
fn branches_follow_the_default_order_unless_they_have_their_own() {
    let tree = tree_with(&["x/a", "x/b", "x/b", "y/a", "y/b", "y/b", "y/b"]);
    let (x, y) = (tree.find("x").expect("x"), tree.find("y").expect("y"));
    let mut outline = Outline::default();
    outline.set_sort(x, Some(SortOrder::Name));
    outline.set_sort(NodeId::ROOT, Some(SortOrder::Messages));
    assert_eq!(outline.default_sort(), SortOrder::Messages);
    assert_eq!(child_names(&mut outline, &tree, NodeId::ROOT, false), ["y", "x"]);
    assert_eq!(
        child_names(&mut outline, &tree, x, false),
        ["a", "b"],
        "x keeps its own order"
    );
    assert_eq!(child_names(&mut outline, &tree, y, false), ["b", "a"]);
    outline.set_sort(x, None);
    assert_eq!(outline.sort_of(x), SortOrder::Messages);
    outline.set_default_sort(SortOrder::Name);
    assert_eq!(child_names(&mut outline, &tree, y, false), ["a", "b"]);
}

#[test]
fn removed_topics_leave_the_placed_children() {
    let mut tree = tree_with(&["s/a", "s/b", "s/c"]);
    let s = tree.find("s").expect("s exists");
    let mut outline = Outline::default();
    assert_eq!(child_names(&mut outline, &tree, s, false), ["a", "b", "c"]);
    let b = tree.find("s/b").expect("b exists");
    tree.remove_topic(b);
    tree.insert("s/0", Message::new(&b"1"[..]));
    assert_eq!(child_names(&mut outline, &tree, s, false), ["0", "a", "c"]);
}

#[test]
fn reveal_expands_ancestors_only() {
    let tree = tree_with(&["a/b/c"]);
    let c = tree.find("a/b/c").expect("c exists");
    let mut outline = Outline::default();
    assert!(outline.reveal(&tree, c));
    assert!(outline.is_expanded(tree.find("a").expect("a")));
    assert!(outline.is_expanded(tree.find("a/b").expect("a/b")));
    assert!(!outline.is_expanded(c));
    assert!(!outline.reveal(&tree, c), "nothing left to open");
}

#[test]
fn a_leaf_never_opens() {
    let tree = tree_with(&["a/b"]);
    let b = tree.find("a/b").expect("b exists");
    let mut outline = Outline::default();
    assert!(!outline.set_expanded(&tree, b, true));
    assert!(!outline.is_expanded(b));
}

#[test]
fn expands_below_to_a_depth_collapses_all_and_gives_an_expansion_back() {
    let tree = tree_with(&["a/b/c/d", "a/x/y", "e/f"]);
    let id = |topic| tree.find(topic).expect("topic exists");
    let mut outline = Outline::default();
    outline.set_expanded(&tree, id("e"), true);
    let before = outline.expansion();
    outline.expand_below(&tree, id("a"), 2);
    assert!(outline.is_expanded(id("a")) && outline.is_expanded(id("a/b")) && outline.is_expanded(id("a/x")));
    assert!(!outline.is_expanded(id("a/b/c")), "two levels only");
    outline.expand_below(&tree, id("a"), usize::MAX);
    assert!(outline.is_expanded(id("a/b/c")));
    outline.collapse_below(&tree, id("a/b"));
    assert!(!outline.is_expanded(id("a/b")) && !outline.is_expanded(id("a/b/c")));
    assert!(outline.is_expanded(id("a")));
    outline.set_expansion(before);
    assert!(outline.is_expanded(id("e")) && !outline.is_expanded(id("a")));
    outline.expand_to_level(&tree, 1);
    assert!(outline.is_expanded(id("a")) && outline.is_expanded(id("e")) && !outline.is_expanded(id("a/b")));
    outline.collapse_all();
    assert!(!outline.is_expanded(id("a")) && !outline.is_expanded(id("e")));
}

#[test]
fn the_shown_children_of_a_branch_never_placed_come_in_the_order_placing_it_whole_gives() {
    let mut topics = Vec::new();
    for device in ["dev10", "Dev2", "dev1"] {
        for sensor in ["temp", "Hum2", "hum10", "power", "hum1", "state", "rssi"] {
            topics.push(format!("{device}/{sensor}"));
        }
    }
    let tree = tree_with(&topics.iter().map(String::as_str).collect::<Vec<_>>());
    let shows = |id: NodeId| {
        tree.get(id)
            .is_some_and(|n| n.name().to_lowercase().starts_with("hum") || n.has_children())
    };
    let mut fresh = Outline::default();
    let mut placed = Outline::default();
    for &device in tree.root().children() {
        child_names(&mut placed, &tree, device, false);
        let mut alone = Vec::new();
        fresh.shown_children(&tree, device, false, shows, &mut alone);
        assert!(
            !fresh.placed.contains_key(&device),
            "a branch showing few children is not placed"
        );
        let mut whole = Vec::new();
        placed.shown_children(&tree, device, false, shows, &mut whole);
        assert_eq!(alone, whole);
        let names: Vec<&str> = alone.iter().filter_map(|&id| tree.get(id)).map(|n| n.name()).collect();
        assert_eq!(names, ["hum1", "Hum2", "hum10"]);
    }
    let mut top = Vec::new();
    fresh.shown_children(&tree, NodeId::ROOT, false, shows, &mut top);
    let names: Vec<&str> = top.iter().filter_map(|&id| tree.get(id)).map(|n| n.name()).collect();
    assert_eq!(names, ["dev1", "Dev2", "dev10"], "the top level is placed whole");
}
