//! Any topic, filter or template text through the model: nothing panics, and the tree keeps
//! what it was given. The case count is proptest's (256 per property); a long run sets
//! `PROPTEST_CASES` (see the README).

use std::time::Instant;

use bytes::Bytes;
use mqscope_model::search::Search;
use mqscope_model::template::{self, Values};
use mqscope_model::topic;
use mqscope_model::{Event, Message, Received, Session};
use proptest::prelude::*;

/// Topic-like text: levels of odd characters, empty levels, wildcards, `$`, long runs of `/`.
fn topicish() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,64}",
        proptest::collection::vec(
            prop_oneof![
                Just(String::new()),
                Just("+".to_owned()),
                Just("#".to_owned()),
                Just("$SYS".to_owned()),
                "[a-z\u{0}-\u{7f}\u{e9}\u{1F600}]{0,6}"
            ],
            0..12
        )
        .prop_map(|levels| levels.join("/")),
    ]
}

proptest! {
    #[test]
    fn filters_and_topics_of_any_text(filter in topicish(), name in topicish()) {
        let _ = topic::name_error(&name);
        let valid_filter = topic::filter_error(&filter).is_none();
        let matched = topic::filter_matches(&filter, &name);
        let _ = topic::filter_covers_branch(&filter, &name);
        if filter == "#" && !name.starts_with('$') {
            prop_assert!(matched, "# matches every topic not starting with $");
        }
        if valid_filter && !filter.contains(['+', '#']) {
            prop_assert_eq!(matched, filter == name, "a filter without wildcards matches itself only");
        }
    }

    #[test]
    fn templates_of_any_text(text in ".{0,200}", counter in any::<u64>()) {
        let values = Values { counter, timestamp_ms: 1_700_000_000_000 };
        let filled = template::fill(&text, values, |min, max| min.max(max.min(0)));
        if !template::has_placeholders(&text) {
            prop_assert_eq!(filled, text);
        }
    }

    #[test]
    fn the_tree_keeps_any_topic_it_is_given(topics in proptest::collection::vec(topicish(), 1..40)) {
        let mut session = Session::new();
        let batch: Vec<Received> = topics
            .iter()
            .map(|t| Received { topic: t.clone(), message: Message::new(Bytes::from(t.clone().into_bytes())) })
            .collect();
        session.apply(Event::Messages(batch), Instant::now());
        for name in &topics {
            let id = session.tree.find(name).expect("every topic given is in the tree");
            prop_assert_eq!(&session.tree.topic(id), name);
            // Each message's payload is its topic: the latest one is that topic's.
            prop_assert_eq!(session.tree.latest_of(name).map(|m| m.payload.clone()), Some(Bytes::from(name.clone().into_bytes())));
        }
        for text in topics.iter().take(4) {
            if let Some(search) = Search::new(text, true) {
                let _ = search.run(&session.tree);
            }
        }
    }
}

#[test]
fn a_topic_of_ten_thousand_levels_and_a_64_kib_level() {
    let mut session = Session::new();
    let deep = vec!["x"; 10_000].join("/");
    let wide = "w".repeat(64 * 1024);
    session.apply(
        Event::Messages(vec![
            Received {
                topic: deep.clone(),
                message: Message::new(Bytes::from_static(b"deep")),
            },
            Received {
                topic: wide.clone(),
                message: Message::new(Bytes::from_static(b"wide")),
            },
        ]),
        Instant::now(),
    );
    assert_eq!(
        session.tree.latest_of(&deep).map(|m| m.payload.clone()),
        Some(Bytes::from_static(b"deep"))
    );
    assert_eq!(
        session.tree.latest_of(&wide).map(|m| m.payload.clone()),
        Some(Bytes::from_static(b"wide"))
    );
    let search = Search::new("x/x/x", false).expect("a search");
    let _ = search.run(&session.tree);
}
