//! A search over the whole tree, and one that narrows the search before it, find exactly the
//! topics that [`Search::matches`] accepts when given each topic's full name and latest payload,
//! whatever the topics, the payloads, the messages and removals between keystrokes and the text
//! typed on, typed anew or taken back (levels followed one by one, names held once and
//! numbered, numbers given again after a name's last topic went). The case count is proptest's
//! (256 per property); a long run sets `PROPTEST_CASES`.

use mqscope_model::search::Search;
use mqscope_model::{Matches, Message, NodeId, Tree};
use proptest::prelude::*;

/// Level names from a small alphabet, so texts and names meet often; empty levels included.
fn level() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[abABé]{0,3}", "[ab]{1,2}[0-9]"]
}

fn topic() -> impl Strategy<Value = String> {
    proptest::collection::vec(level(), 1..5).prop_map(|levels| levels.join("/"))
}

/// One change to the tree: a message on a topic, or the removal of a topic.
#[derive(Clone, Debug)]
enum Step {
    Publish(String, String),
    Remove(String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (topic(), "[abAB/x]{0,4}").prop_map(|(t, p)| Step::Publish(t, p)),
        1 => topic().prop_map(Step::Remove),
    ]
}

/// Text a user might type: pieces of names, `/`, letters in either case, spaces around.
fn text() -> impl Strategy<Value = String> {
    "[ ]?[abAB0-9/é]{1,6}[ ]?"
}

/// Whether the search shows exactly the topics that [`Search::matches`] accepts one by one,
/// and the branches above them, and counts those topics; the first node that differs if not.
fn agrees(tree: &Tree, search: &Search, matches: &Matches) -> Result<(), String> {
    let mut expected = vec![false; tree.node_count()];
    let mut topics = 0;
    for index in 1..tree.node_count() {
        let id = NodeId::from_index(index);
        let Some(message) = tree.get(id).and_then(|node| node.latest()) else {
            continue;
        };
        if search.matches(&tree.topic(id), Some(&message.payload)) {
            topics += 1;
            for above in tree.path(id) {
                expected[above.index()] = true;
            }
        }
    }
    for (index, &shown) in expected.iter().enumerate().skip(1) {
        let id = NodeId::from_index(index);
        if tree.get(id).is_some() && matches.shows(id) != shown {
            return Err(format!(
                "{:?} shown: {}, expected {shown}",
                tree.topic(id),
                matches.shows(id)
            ));
        }
    }
    if matches.topics != topics {
        return Err(format!("{} topics counted, {topics} match", matches.topics));
    }
    Ok(())
}

/// How a round's text comes from the one before: as typed anew, typed on after it or before
/// it, or with its last character taken back.
#[derive(Clone, Copy, Debug)]
enum Typing {
    Anew,
    After,
    Before,
    Back,
}

fn typing() -> impl Strategy<Value = Typing> {
    prop_oneof![
        Just(Typing::Anew),
        Just(Typing::After),
        Just(Typing::Before),
        Just(Typing::Back)
    ]
}

proptest! {
    #[test]
    fn a_search_shows_what_each_topic_alone_would_match_and_the_branches_above(
        rounds in proptest::collection::vec(
            (proptest::collection::vec(step(), 0..12), text(), typing(), any::<bool>()),
            1..8,
        )
    ) {
        let mut tree = Tree::new();
        let mut typed = String::new();
        let mut before: Option<(Search, Matches)> = None;
        for (steps, piece, typing, in_payloads) in rounds {
            for step in steps {
                match step {
                    Step::Publish(topic, payload) => {
                        tree.insert(&topic, Message::new(payload.into_bytes()));
                    }
                    Step::Remove(topic) => {
                        if let Some(id) = tree.find(&topic) {
                            tree.remove_topic(id);
                        }
                    }
                }
            }
            typed = match typing {
                Typing::Anew => piece,
                Typing::After => format!("{typed}{piece}"),
                Typing::Before => format!("{piece}{typed}"),
                Typing::Back => typed.chars().take(typed.chars().count().saturating_sub(1)).collect(),
            };
            let Some(search) = Search::new(&typed, in_payloads) else { continue };
            let matches = search.run(&tree);
            let agreed = agrees(&tree, &search, &matches);
            prop_assert!(agreed.is_ok(), "text {:?}, payloads {}: {:?}", typed, in_payloads, agreed);
            let after = search.run_after(&tree, before.as_ref().map(|(s, m)| (s, m)));
            let agreed = agrees(&tree, &search, &after);
            prop_assert!(agreed.is_ok(), "after {:?}: text {:?}, payloads {}: {:?}",
                before.as_ref().map(|(s, _)| s), typed, in_payloads, agreed);
            prop_assert_eq!(after.topics, matches.topics);
            before = Some((search, after));
        }
    }
}
