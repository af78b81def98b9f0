//! The topic tree: what arrives, expansion, the keyboard, order, pause, retained only and search.

use std::time::Duration;

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;

use crate::support::Broker;
use crate::ui_support::{
    Example, Fixture, HOME, arrive, connect_home, connect_to, has_label, has_label_containing, home_explorer,
    replace_text, retained_home, row_value_contains, step_until,
};

#[test]
fn topics_that_arrive_appear_in_the_tree() {
    let (broker, _fixture, mut harness) = home_explorer();
    step_until(&mut harness, "the top-level topics", |h| {
        has_label(h, "home") && has_label(h, "garden")
    });
    step_until(&mut harness, "the status bar", |h| {
        has_label_containing(h, "Connected to mqtt://127.0.0.1")
    });
    // Counts of the collapsed branch are shown.
    step_until(&mut harness, "the branch counts", |h| {
        row_value_contains(h, "3 topics · 3 msgs")
    });
    // Topics show their latest value inline.
    harness.get_by_label("Expand garden").click();
    step_until(&mut harness, "the inline value", |h| {
        row_value_contains(h, "= 0x 00 01 ff (3 bytes)")
    });

    broker.mosquitto_pub("garden/tap", b"open", false);
    step_until(&mut harness, "a live topic", |h| {
        has_label(h, "tap") && row_value_contains(h, "= open")
    });
}

#[test]
fn the_keyboard_moves_through_the_tree() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "both branches", |h| {
        has_label(h, "home") && has_label(h, "garden")
    });
    harness.key_press(Key::Home); // first row: garden
    harness.key_press(Key::ArrowRight); // expand it
    harness.key_press(Key::ArrowDown); // garden/pump
    step_until(&mut harness, "the pump topic selected", |h| has_label(h, "garden/pump"));
    // Binary payloads are shown as hex automatically.
    step_until(&mut harness, "the hex view", |h| has_label(h, "Auto (Hex)"));
    harness.key_press(Key::ArrowLeft); // to the parent
    harness.key_press(Key::ArrowLeft); // collapse it
    step_until(&mut harness, "garden collapsed", |h| {
        !has_label(h, "pump") && has_label(h, "Expand garden")
    });
    harness.key_press(Key::End);
    step_until(&mut harness, "the last row selected", |h| {
        has_label_containing(h, "Below it: 3 topics")
    });
}

#[test]
fn after_a_click_the_arrow_keys_move_through_the_tree() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the home branch", |h| has_label(h, "home"));
    harness.get_by_label("home").click();
    step_until(&mut harness, "home selected", |h| {
        has_label_containing(h, "Below it: 3 topics")
    });
    harness.key_press(Key::ArrowRight); // expand home
    step_until(&mut harness, "home expanded", |h| has_label(h, "Collapse home"));
    harness.key_press(Key::ArrowDown); // home/hall
    harness.key_press(Key::ArrowDown); // home/kitchen
    harness.key_press(Key::Enter); // expand kitchen
    harness.key_press(Key::ArrowDown); // home/kitchen/light
    step_until(&mut harness, "the light topic", |h| has_label(h, "home/kitchen/light"));
}

#[test]
fn retained_only_hides_branches_without_retained_messages() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "both branches", |h| {
        has_label(h, "home") && has_label(h, "garden")
    });
    arrive(&mut harness, &[("gate/live", b"open", false)]);
    step_until(&mut harness, "the live-only branch", |h| has_label(h, "gate"));
    harness.get_by_label("Retained only").click();
    step_until(&mut harness, "the live-only branch hidden", |h| {
        !has_label(h, "gate") && has_label(h, "home") && has_label(h, "garden")
    });
    harness.get_by_label("Retained only").click();
    step_until(&mut harness, "everything back", |h| has_label(h, "gate"));
}

/// Three topics under lab: alpha with one message, beta with three, gamma with two (the
/// latest payload of each is its count less one).
fn lab_counts() -> Vec<Example<'static>> {
    let mut messages: Vec<Example<'static>> = Vec::new();
    for (topic, count) in [("lab/alpha", 1), ("lab/beta", 3), ("lab/gamma", 2)] {
        for payload in [&b"0"[..], b"1", b"2"].into_iter().take(count) {
            messages.push((topic, payload, false));
        }
    }
    messages
}

#[test]
fn a_branch_sorts_by_message_count_from_its_menu() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&lab_counts());
    step_until(&mut harness, "the lab branch with every message", |h| {
        row_value_contains(h, "3 topics · 6 msgs")
    });
    harness.get_by_label("Expand lab").click();
    let names = ["alpha", "beta", "gamma"];
    step_until(&mut harness, "the topics by name", |h| {
        rows_in_order(h, &names) == ["alpha", "beta", "gamma"]
    });

    harness.get_by_label("lab").click_secondary();
    step_until(&mut harness, "the branch menu", |h| has_label(h, "Sort by"));
    harness.get_by_label("Sort by").click();
    step_until(&mut harness, "the orders", |h| has_label(h, "Latest activity"));
    harness.get_by_label("Messages").click();
    step_until(&mut harness, "the topics by message count", |h| {
        rows_in_order(h, &names) == ["beta", "gamma", "alpha"]
    });
}

#[test]
fn a_paused_tree_counts_new_messages_and_shows_them_when_resumed() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&lab_counts());
    step_until(&mut harness, "the lab branch with every message", |h| {
        row_value_contains(h, "3 topics · 6 msgs")
    });
    harness.get_by_label("Expand lab").click();
    step_until(&mut harness, "the lab topics", |h| has_label(h, "beta"));

    // Paused, a new topic is counted but not shown.
    harness.get_by_label("Pause").click();
    step_until(&mut harness, "the pause", |h| has_label(h, "Paused: 0 messages since"));
    arrive(
        &mut harness,
        &[("lab/delta", b"new", false), ("lab/beta", b"fresh-value", false)],
    );
    step_until(&mut harness, "the messages counted", |h| {
        has_label(h, "Paused: 2 messages since")
    });
    for _ in 0..5 {
        // Longer than the tree waits before it shows new topics.
        std::thread::sleep(Duration::from_millis(80));
        harness.step();
    }
    assert!(!has_label(&harness, "delta"), "the paused tree shows no new topic");
    assert!(row_value_contains(&harness, "3 topics · 6 msgs"), "nor new counts");
    assert!(row_value_contains(&harness, "= 2 (3 msgs)"), "nor new values");
    // The model is live: a topic picked while paused shows its latest message.
    harness.get_by_label("beta").click();
    step_until(&mut harness, "the latest message of beta", |h| {
        has_label_containing(h, "fresh-value")
    });
    assert!(
        row_value_contains(&harness, "= 2 (3 msgs)"),
        "the row still shows what it showed"
    );

    // Resumed, it shows the tree as it is.
    harness.get_by_label("Resume").click();
    step_until(&mut harness, "the new topic", |h| {
        has_label(h, "delta") && row_value_contains(h, "4 topics · 8 msgs")
    });
    harness.step();
    assert!(!has_label_containing(&harness, "Paused:"), "the pause notice is gone");

    // P pauses and resumes too, when the tree has the keyboard.
    harness.get_by_label("delta").click();
    harness.key_press(Key::P);
    step_until(&mut harness, "the pause by key", |h| {
        has_label(h, "Paused: 0 messages since")
    });
    harness.key_press(Key::P);
    step_until(&mut harness, "the resume by key", |h| {
        !has_label_containing(h, "Paused:")
    });
}

#[test]
fn the_order_chosen_for_the_tree_is_kept_for_the_next_connection() {
    let broker = Broker::start();
    retained_home(&broker);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_home(&mut harness, &broker);
    harness.get_by_label("Sort topics by Name").click();
    step_until(&mut harness, "the orders", |h| has_label(h, "Latest activity"));
    harness.get_by_label("Latest activity").click();
    step_until(&mut harness, "the new order", |h| {
        has_label(h, "Sort topics by Latest activity")
    });
    // Closed, and connected again: the tree starts in the order last chosen.
    harness.get_by_label("×").click();
    step_until(&mut harness, "the connection form", |h| has_label(h, "Connections"));
    connect_home(&mut harness, &broker);
    step_until(&mut harness, "the remembered order", |h| {
        has_label(h, "Sort topics by Latest activity")
    });
}

#[test]
fn searching_finds_topics_by_text_filter_and_payload() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "garden"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.step();
    harness.get_by_label("Search topics").type_text("LIGHT");
    step_until(&mut harness, "the lights", |h| has_label(h, "2 topics found"));
    // The matches and their branches are open; the rest is gone.
    assert!(has_label(&harness, "hall") && has_label(&harness, "kitchen"));
    assert!(!has_label(&harness, "garden"), "garden has no light");
    assert!(harness.query_all_by_label("light").count() == 2);

    replace_text(&mut harness, "Search topics", "home/+/sensor");
    step_until(&mut harness, "the filter's match", |h| has_label(h, "1 topic found"));
    assert!(has_label(&harness, "sensor") && !has_label(&harness, "hall"));

    // In payloads: only the hall light says OFF.
    replace_text(&mut harness, "Search topics", "off");
    step_until(&mut harness, "nothing in topics", |h| {
        has_label(h, "No topic matches the search.")
    });
    harness.get_by_label("Payloads").click();
    step_until(&mut harness, "the payload match", |h| {
        has_label(h, "1 topic found") && has_label(h, "hall")
    });
    assert!(!has_label(&harness, "kitchen"));

    // Escape clears the search and the whole tree is back.
    harness.get_by_label("Search topics").click();
    harness.step();
    harness.key_press(Key::Escape);
    step_until(&mut harness, "the whole tree", |h| {
        has_label(h, "garden") && has_label(h, "home")
    });
}

#[test]
fn typing_on_finds_a_topic_that_arrived_between_two_keystrokes() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "garden"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.step();
    harness.get_by_label("Search topics").type_text("lig");
    step_until(&mut harness, "the lights", |h| has_label(h, "2 topics found"));
    assert!(!has_label(&harness, "garden"));
    arrive(&mut harness, &[("garden/light", b"ON", false)]);
    // The next keystroke narrows the search before it, and still finds the new light.
    harness.get_by_label("Search topics").type_text("h");
    step_until(&mut harness, "the three lights", |h| {
        has_label(h, "3 topics found") && has_label(h, "garden")
    });
    replace_text(&mut harness, "Search topics", "lights");
    step_until(&mut harness, "no light of that name", |h| {
        has_label(h, "No topic matches the search.")
    });
}

/// The names of these rows, top to bottom, as drawn.
fn rows_in_order(harness: &Harness<'_, App>, names: &[&str]) -> Vec<String> {
    let mut shown: Vec<(f32, String)> = names
        .iter()
        .filter_map(|&name| {
            let row = harness.query_by(|n| n.role() == egui::Role::TreeItem && n.label().as_deref() == Some(name))?;
            Some((row.rect().min.y, name.to_owned()))
        })
        .collect();
    shown.sort_by(|a, b| a.0.total_cmp(&b.0));
    shown.into_iter().map(|(_, name)| name).collect()
}

#[test]
fn clearing_a_search_closes_the_branches_it_opened() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "Expand garden"));
    // The user had garden open before searching.
    harness.get_by_label("Expand garden").click();
    step_until(&mut harness, "garden open", |h| has_label(h, "pump"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.step();
    // Each keystroke opens the branches of its matches: "h" matches almost everything.
    harness.get_by_label("Search topics").type_text("h");
    step_until(&mut harness, "the first matches", |h| has_label_containing(h, "found"));
    replace_text(&mut harness, "Search topics", "hall");
    step_until(&mut harness, "the hall", |h| {
        has_label(h, "1 topic found") && has_label(h, "hall")
    });
    harness.get_by_label("Search topics").click();
    harness.step();
    harness.key_press(Key::Escape);
    step_until(&mut harness, "the tree as it was", |h| {
        has_label(h, "pump") && has_label(h, "Expand home")
    });
    assert!(
        !has_label(&harness, "kitchen"),
        "home, opened only by the search, is closed again"
    );
}

#[test]
fn escape_clears_the_search_from_the_tree_itself() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "garden"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.step();
    harness.get_by_label("Search topics").type_text("pump");
    step_until(&mut harness, "the pump", |h| has_label(h, "1 topic found"));
    // Focus moves to the tree with a click on a row; Escape there still clears the search.
    harness.get_by_label("pump").click();
    step_until(&mut harness, "the pump selected", |h| has_label(h, "garden/pump"));
    harness.key_press(Key::Escape);
    step_until(&mut harness, "the whole tree", |h| {
        has_label(h, "home") && !has_label_containing(h, "found")
    });
}

#[test]
fn expand_all_and_collapse_all_from_the_header_and_a_branch() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "Expand home"));
    harness.get_by_label("Expand").click();
    step_until(&mut harness, "the menu", |h| has_label(h, "Expand all"));
    harness.get_by_label("Expand all").click();
    step_until(&mut harness, "every branch open", |h| {
        has_label(h, "sensor") && has_label(h, "pump") && h.query_all_by_label("light").count() == 2
    });
    harness.get_by_label("Expand").click();
    step_until(&mut harness, "the menu", |h| has_label(h, "Collapse all"));
    harness.get_by_label("Collapse all").click();
    step_until(&mut harness, "every branch closed", |h| {
        !has_label(h, "sensor") && !has_label(h, "pump") && has_label(h, "Expand home")
    });
    // A branch's own menu opens everything below it, and only below it.
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the branch menu", |h| has_label(h, "Expand all below"));
    harness.get_by_label("Expand all below").click();
    step_until(&mut harness, "home open to its leaves", |h| {
        has_label(h, "sensor") && h.query_all_by_label("light").count() == 2
    });
    assert!(!has_label(&harness, "pump"), "garden stays closed");
    harness.get_by_label("Expand").click();
    step_until(&mut harness, "the menu", |h| has_label(h, "Expand to level 1"));
    harness.get_by_label("Expand to level 1").click();
    step_until(&mut harness, "one level open", |h| {
        has_label(h, "kitchen") && has_label(h, "pump") && !has_label(h, "sensor")
    });
}

#[test]
fn a_rows_menu_publishes_to_its_topic_and_clears_its_retained_message() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "Expand garden"));
    harness.get_by_label("Expand garden").click();
    step_until(&mut harness, "the pump", |h| has_label(h, "pump"));
    harness.get_by_label("pump").click_secondary();
    step_until(&mut harness, "the row menu", |h| has_label(h, "Publish to this topic…"));
    assert!(has_label(&harness, "Copy topic") && has_label(&harness, "Copy value"));
    assert!(has_label(&harness, "Pin to compare") && has_label(&harness, "Clear retained…"));
    harness.get_by_label("Publish to this topic…").click();
    step_until(&mut harness, "the publish pane on the pump", |h| {
        h.query_by(|n| n.value().is_some_and(|v| v == "garden/pump") && n.role() == egui::Role::TextInput)
            .is_some()
            && has_label(h, "Payload")
    });
    harness.get_by_label("pump").click_secondary();
    step_until(&mut harness, "the row menu", |h| has_label(h, "Clear retained…"));
    harness.get_by_label("Clear retained…").click();
    // Offline, the broker cannot be asked: the dialog says so, and nothing is cleared.
    step_until(&mut harness, "the dialog's answer", |h| {
        has_label_containing(
            h,
            "Could not ask the broker which retained messages it holds on garden/pump",
        )
    });
}

#[test]
fn a_branch_opens_to_a_chosen_depth_from_its_menu() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the tree", |h| has_label(h, "Expand home"));
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the branch menu", |h| has_label(h, "Expand to level"));
    harness.get_by_label("Expand to level").click();
    step_until(&mut harness, "the depths", |h| has_label(h, "2 levels"));
    harness.get_by_label("2 levels").click();
    step_until(&mut harness, "home open two levels deep", |h| {
        has_label(h, "sensor") && h.query_all_by_label("light").count() == 2
    });
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the branch menu", |h| has_label(h, "Expand to level"));
    harness.get_by_label("Expand to level").click();
    step_until(&mut harness, "the depths", |h| has_label(h, "1 level"));
    harness.get_by_label("1 level").click();
    step_until(&mut harness, "home open one level deep", |h| {
        has_label(h, "kitchen") && !has_label(h, "sensor")
    });
}

#[test]
fn a_rows_menu_subscribes_to_its_branch_and_unsubscribes_from_it() {
    let broker = Broker::start();
    retained_home(&broker);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["home/kitchen/#"]);
    step_until(&mut harness, "the kitchen", |h| has_label(h, "Expand home"));
    harness.get_by_label("Expand home").click();
    step_until(&mut harness, "the kitchen row", |h| has_label(h, "kitchen"));
    assert!(!has_label(&harness, "hall"), "hall is not subscribed yet");

    // A branch no subscription brings whole: subscribe to it from its row.
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the row menu", |h| has_label(h, "Subscribe to home/#"));
    harness.get_by_label("Subscribe to home/#").click();
    step_until(&mut harness, "the hall, retained", |h| has_label(h, "hall"));

    // The kitchen now comes through home/#: its own subscription can still go.
    harness.get_by_label("kitchen").click_secondary();
    step_until(&mut harness, "the row menu", |h| {
        has_label(h, "Received through home/#")
    });
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the row menu", |h| {
        has_label(h, "Unsubscribe from home/#")
    });
    harness.get_by_label("Unsubscribe from home/#").click();
    step_until(&mut harness, "the broker's answer", |h| {
        h.state().explorer().is_some_and(|e| {
            let filters: Vec<&str> = e.session.subscriptions().iter().map(|s| s.filter.as_str()).collect();
            filters == ["home/kitchen/#"]
        })
    });
    // Unsubscribed: a new message on the hall no longer arrives; the kitchen's still do.
    broker.mosquitto_pub("home/hall/light", b"ON", false);
    broker.mosquitto_pub("home/kitchen/light", b"OFF", false);
    let latest = |h: &Harness<'_, App>, topic: &str| {
        let session = &h.state().explorer().expect("a tab").session;
        let node = session.tree.find(topic).and_then(|id| session.tree.get(id));
        node.and_then(|n| n.latest()).map(|m| m.payload.to_vec())
    };
    step_until(&mut harness, "the kitchen's new value", |h| {
        latest(h, "home/kitchen/light").as_deref() == Some(b"OFF")
    });
    harness.run_steps(5);
    assert_eq!(
        latest(&harness, "home/hall/light").as_deref(),
        Some(&b"OFF"[..]),
        "the hall's message after unsubscribing did not arrive"
    );
}
