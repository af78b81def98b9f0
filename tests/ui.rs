//! The window, driven as a person would: egui_kittest clicks and types on the
//! real widgets while a real Mosquitto feeds the tree.

mod support;
#[path = "support/ui.rs"]
mod ui_support;

use std::time::{Duration, Instant};

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::model::Subscription;
use support::Broker;
use ui_support::{Fixture, has_label, has_label_containing, profiles_file_once, replace_text, step_until, type_into};

/// Whether a tree row's text after its name (value, counts) contains `text`.
fn row_value_contains(harness: &Harness<'_, App>, text: &str) -> bool {
    harness
        .query_by(|node| node.role() == egui::Role::TreeItem && node.value().is_some_and(|v| v.contains(text)))
        .is_some()
}

fn retained_home(broker: &Broker) {
    broker.mosquitto_pub(
        "home/kitchen/sensor",
        br#"{"temperature":21.5,"humidity":40,"ok":true}"#,
        true,
    );
    broker.mosquitto_pub("home/kitchen/light", b"ON", true);
    broker.mosquitto_pub("home/hall/light", b"OFF", true);
    broker.mosquitto_pub("garden/pump", b"\x00\x01\xff", true);
}

/// Connect the window to `broker` with these subscriptions, and wait for the connection.
fn connect_to(harness: &mut Harness<'_, App>, broker: &Broker, filters: &[&str]) {
    let mut settings = broker.settings();
    settings.subscriptions = filters.iter().map(|f| Subscription::new(*f)).collect();
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, settings);
    step_until(harness, "the connection", |h| has_label_containing(h, "Connected to"));
}

/// Open the publish pane with Ctrl+P and let its form lay itself out (a grid's first frame sizes it).
fn open_publish_pane(harness: &mut Harness<'_, App>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::P);
    step_until(harness, "the publish pane", |h| has_label(h, "Payload"));
    harness.run_steps(2);
}

/// A broker with the home topics retained, and a window connected to it.
fn home_explorer() -> (Broker, Fixture, Harness<'static, App>) {
    let broker = Broker::start();
    retained_home(&broker);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect(&mut harness, &broker);
    (broker, fixture, harness)
}

fn connect(harness: &mut Harness<'_, App>, broker: &Broker) {
    connect_to(harness, broker, &["home/#", "garden/#"]);
}

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
fn expanding_and_selecting_a_topic_shows_its_payload_pretty_printed() {
    let (_broker, _fixture, mut harness) = home_explorer();
    step_until(&mut harness, "the home branch", |h| has_label(h, "Expand home"));
    harness.get_by_label("Expand home").click();
    open_topic(&mut harness, "kitchen", "sensor");
    step_until(&mut harness, "the payload", |h| {
        has_label_containing(h, "\"temperature\": 21.5")
    });
    assert!(has_label(&harness, "home/kitchen/sensor"), "the full topic is shown");
    assert!(has_label_containing(&harness, "\"humidity\": 40"), "one key per line");
    assert!(has_label(&harness, "Auto (JSON)"), "the view was chosen automatically");

    // Switch to the hex view: every byte, with offsets.
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the hex dump", |h| {
        has_label_containing(h, "00000000  7b 22 74 65")
    });
}

#[test]
fn the_keyboard_moves_through_the_tree() {
    let (_broker, _fixture, mut harness) = home_explorer();
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
fn the_connect_form_connects() {
    let broker = Broker::start();
    broker.mosquitto_pub("form/check", b"hello", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    let field = harness.get_by_label("Broker");
    field.click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Broker").type_text(&broker.url());
    harness.step();
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
    step_until(&mut harness, "the retained topic", |h| has_label(h, "form"));
}

#[test]
fn a_bad_address_in_the_form_is_explained() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    harness.get_by_label("Broker").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Broker").type_text("localhost:99999");
    harness.step();
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the explanation", |h| {
        has_label_containing(h, "is not a port number")
    });
    assert!(harness.state().explorer().is_none(), "nothing was started");
}

#[test]
fn after_a_click_the_arrow_keys_move_through_the_tree() {
    let (_broker, _fixture, mut harness) = home_explorer();
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
fn publish_pane_sends_with_ctrl_enter_and_the_message_appears_in_the_tree() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::P);
    step_until(&mut harness, "the publish pane", |h| {
        has_label(h, "Topic") && has_label(h, "Payload")
    });

    type_into(&mut harness, "Topic", "lab/lamp/set");
    harness.step();
    type_into(&mut harness, "Payload", "{\"state\": \"ON\"}");
    harness.step();
    step_until(&mut harness, "the JSON check", |h| has_label(h, "Valid JSON"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    harness.run_steps(3);
    step_until(&mut harness, "the outcome", |h| {
        has_label_containing(h, "Sent 15 bytes to lab/lamp/set")
    });
    step_until(&mut harness, "the message in the tree", |h| has_label(h, "lab"));
    let explorer = harness.state().explorer().expect("connected");
    let payload = explorer
        .session
        .tree
        .latest_of("lab/lamp/set")
        .map(|m| m.payload.clone());
    assert_eq!(payload.as_deref(), Some(&b"{\"state\": \"ON\"}"[..]));
}

#[test]
fn publish_to_a_wildcard_topic_is_refused_with_a_reason() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect(&mut harness, &broker);
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    harness.get_by_label("Publish").click();
    step_until(&mut harness, "the publish pane", |h| has_label(h, "Payload"));
    harness.run_steps(2); // the form's grid lays itself out on its first frame
    type_into(&mut harness, "Topic", "lab/+/set");
    harness.step();
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the reason", |h| {
        has_label_containing(h, "cannot contain the wildcards")
    });
}

#[test]
fn clearing_a_retained_branch_of_1000_topics_is_checked_with_the_broker() {
    let broker = Broker::start();
    let mut messages: Vec<(String, Vec<u8>, bool)> = (0..1000)
        .map(|i| {
            (
                format!("stale/device{}/state", i),
                format!("{{\"n\":{i}}}").into_bytes(),
                true,
            )
        })
        .collect();
    messages.push(("keep/me".to_owned(), b"1".to_vec(), true));
    broker.publish_all(&messages);

    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    step_until(&mut harness, "the stale branch", |h| {
        h.state()
            .explorer()
            .is_some_and(|e| e.session.tree.topic_count() == 1001)
            && has_label(h, "stale")
    });
    harness.get_by_label("stale").click();
    step_until(&mut harness, "the branch selected", |h| {
        has_label(h, "Clear retained below…")
    });
    harness.get_by_label("Clear retained below…").click();
    step_until(&mut harness, "the confirmation", |h| {
        has_label_containing(h, "Clear the retained messages of 1,000 topics under stale?")
    });
    harness.get_by_label("Clear 1,000 retained messages").click();
    step_until(&mut harness, "the broker's confirmation", |h| {
        has_label_containing(
            h,
            "Cleared 1,000 retained messages under stale: the broker confirmed they are gone.",
        )
    });
    harness.get_by_label("Close").click();
    step_until(&mut harness, "the branch gone from the tree", |h| {
        !has_label(h, "stale") && has_label(h, "keep")
    });

    // A fresh subscriber sees nothing retained under the branch, and the rest untouched.
    let seen = broker.retained_now("#");
    assert_eq!(seen.trim(), "keep/me 1");
}

#[test]
fn retained_only_hides_branches_without_retained_messages() {
    let broker = Broker::start();
    retained_home(&broker);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    step_until(&mut harness, "both branches", |h| {
        has_label(h, "home") && has_label(h, "garden")
    });
    broker.mosquitto_pub("gate/live", b"open", false);
    step_until(&mut harness, "the live-only branch", |h| has_label(h, "gate"));
    harness.get_by_label("Retained only").click();
    step_until(&mut harness, "the live-only branch hidden", |h| {
        !has_label(h, "gate") && has_label(h, "home") && has_label(h, "garden")
    });
    harness.get_by_label("Retained only").click();
    step_until(&mut harness, "everything back", |h| has_label(h, "gate"));
}

#[test]
fn edit_and_resend_puts_the_message_in_the_publish_pane() {
    let (_broker, _fixture, mut harness) = home_explorer();
    open_topic(&mut harness, "garden", "pump");
    step_until(&mut harness, "the pump message", |h| has_label(h, "Edit and resend"));
    harness.get_by_label("Edit and resend").click();
    harness.run_steps(3);
    // The binary payload is loaded as hex, the topic pinned.
    step_until(&mut harness, "the loaded message", |h| {
        h.query_by_label("Topic").and_then(|n| n.value()).as_deref() == Some("garden/pump")
            && h.query_by_label("Payload").and_then(|n| n.value()).as_deref() == Some("00 01 ff")
    });
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the resent message", |h| {
        h.state()
            .explorer()
            .and_then(|e| e.session.tree.find("garden/pump").and_then(|id| e.session.tree.get(id)))
            .is_some_and(|n| n.own_messages() == 2 && n.latest().is_some_and(|m| m.payload.as_ref() == [0, 1, 0xff]))
    });
}

#[test]
fn publish_repeat_sends_until_stopped_with_the_counter_filled_in() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["lab/#"]);
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/tick");
    type_into(&mut harness, "Payload", "n={{counter}}");
    harness.get_by_label("Repeat every").click();
    harness.step();
    harness.get_by_label("Send").click();
    let count = |h: &Harness<'_, App>| {
        h.state()
            .explorer()
            .and_then(|e| e.session.tree.find("lab/tick").and_then(|id| e.session.tree.get(id)))
            .map_or(0, |n| n.own_messages())
    };
    step_until(&mut harness, "two repeated sends", |h| count(h) >= 2);
    harness.get_by_label("Stop").click();
    harness.run_steps(2);
    let stopped_at = count(&harness);
    let explorer = harness.state().explorer().expect("connected");
    let latest = explorer.session.tree.latest_of("lab/tick").expect("message");
    assert_eq!(latest.payload.as_ref(), format!("n={stopped_at}").as_bytes());
    std::thread::sleep(Duration::from_millis(1500));
    harness.run_steps(3);
    assert!(count(&harness) <= stopped_at + 1, "the repeat stopped");
}

#[test]
fn publish_history_and_saved_messages_survive_a_restart() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    {
        let mut harness = fixture.harness();
        connect_to(&mut harness, &broker, &["lab/#"]);
        open_publish_pane(&mut harness);
        type_into(&mut harness, "Topic", "lab/lamp/set");
        type_into(&mut harness, "Payload", "ON");
        harness.get_by_label("Send").click();
        step_until(&mut harness, "the publish", |h| {
            has_label_containing(h, "Sent 2 bytes to lab/lamp/set")
        });
        type_into(&mut harness, "Save as", "lamp on");
        harness.step();
        harness.get_by_label("Save").click();
        step_until(&mut harness, "the saved message", |h| {
            h.state().explorer().is_some_and(|e| {
                let messages = e.publish.messages();
                messages.saved.len() == 1 && messages.history.len() == 1
            })
        });
    }
    // The file is written off the UI thread: wait for it.
    let file = fixture.config.path().join("messages.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&file).is_ok_and(|t| t.contains("lamp on")) {
        assert!(Instant::now() < deadline, "messages.json was not written");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A new app with the same config directory, on the same broker.
    let mut harness = fixture.harness();
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, broker.settings());
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    let messages = harness
        .state()
        .explorer()
        .expect("connected")
        .publish
        .messages()
        .clone();
    assert_eq!(messages.saved.len(), 1);
    assert_eq!(
        (messages.saved[0].name.as_str(), messages.saved[0].topic.as_str()),
        ("lamp on", "lab/lamp/set")
    );
    assert_eq!(messages.history.len(), 1);
    assert_eq!(messages.history[0].payload, "ON");
}

#[test]
fn a_damaged_messages_file_is_reported_and_kept() {
    let fixture = Fixture::new();
    std::fs::write(fixture.config.path().join("messages.json"), b"{ damaged").expect("write");
    let mut harness = fixture.harness();
    harness.step();
    assert!(has_label_containing(&harness, "is damaged"), "the problem is shown");
    assert!(
        std::fs::read_dir(fixture.config.path())
            .expect("dir")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("messages.bad-")),
        "the damaged file is kept as a backup"
    );
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(!has_label_containing(&harness, "is damaged"));
}

#[test]
fn publish_topic_completes_from_the_tree() {
    let (_broker, _fixture, mut harness) = home_explorer();
    step_until(&mut harness, "the tree", |h| has_label(h, "home"));
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "home/ki");
    step_until(&mut harness, "the completion", |h| has_label(h, "kitchen/"));
    harness.get_by_label("kitchen/").click();
    step_until(&mut harness, "the next level", |h| {
        has_label(h, "sensor") && has_label(h, "light")
    });
    harness.get_by_label("light").click();
    step_until(&mut harness, "the completed topic", |h| {
        h.query_by_label("Topic").and_then(|n| n.value()).as_deref() == Some("home/kitchen/light")
    });
}

#[test]
fn history_lists_earlier_messages_and_any_can_be_viewed_and_resent() {
    let (broker, _fixture, mut harness) = home_explorer();
    // Live messages: publish them once the subscription stands (the retained ones are in).
    step_until(&mut harness, "the home branch", |h| has_label(h, "Expand home"));
    for value in ["20.5", "21.0", "21.5"] {
        broker.mosquitto_pub("home/hall/temp", value.as_bytes(), false);
    }
    harness.get_by_label("Expand home").click();
    open_topic(&mut harness, "hall", "temp");
    step_until(&mut harness, "the history", |h| {
        has_label_containing(h, "History: 3 messages")
    });
    // Newest first: the oldest is the last row.
    step_until(&mut harness, "the oldest row", |h| has_label_containing(h, "20.5"));
    harness.get_by_label_contains("  20.5").click();
    step_until(&mut harness, "the oldest message shown", |h| {
        has_label(h, "Back to the latest message")
    });
    assert!(has_label(&harness, "20.5"), "the payload view shows the picked message");
    harness.get_by_label("Edit and resend").click();
    step_until(&mut harness, "the old message in the pane", |h| {
        h.query_by_label("Payload").and_then(|n| n.value()).as_deref() == Some("20.5")
    });
    harness.get_by_label("Back to the latest message").click();
    step_until(&mut harness, "the latest shown again", |h| {
        !has_label(h, "Back to the latest message")
    });
}

/// Open `branch` in the tree and click its child `leaf`, waiting for each to show.
fn open_topic(harness: &mut Harness<'_, App>, branch: &str, leaf: &str) {
    let expand = format!("Expand {branch}");
    step_until(harness, &format!("the {branch} branch"), |h| has_label(h, &expand));
    harness.get_by_label(&expand).click();
    step_until(harness, &format!("the topic {branch}/{leaf}"), |h| has_label(h, leaf));
    harness.get_by_label(leaf).click();
}

#[test]
fn a_profile_made_in_the_manager_is_saved_connects_and_is_there_after_a_restart() {
    let broker = Broker::start_with(support::BrokerConfig {
        users: vec![("ada".into(), "lovelace".into())],
        ..support::BrokerConfig::default()
    });
    broker.mosquitto_pub_as("profile/check", b"hi", true, ("ada", "lovelace"));
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Lab broker");
    replace_text(&mut harness, "Broker", &broker.url());
    type_into(&mut harness, "User name", "ada");
    type_into(&mut harness, "Password", "lovelace");
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
    step_until(&mut harness, "the retained topic", |h| has_label(h, "profile"));

    // Saved, as the last used, without the password (it was not asked to be kept).
    let file = profiles_file_once(&fixture, |v| {
        v["profiles"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["name"] == "Lab broker"))
            && v["last_used"].is_string()
    });
    let text = file.to_string();
    assert!(!text.contains("lovelace"), "the password is not written: {text}");
    let lab = file["profiles"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "Lab broker"))
        .expect("the profile");
    assert_eq!(lab["broker"], broker.url());
    assert_eq!(lab["username"], "ada");
    assert_eq!(file["last_used"], lab["id"]);

    // A new window over the same config: the profile is there and selected.
    drop(harness);
    let mut harness = fixture.harness();
    harness.run_steps(2);
    assert!(has_label(&harness, "Lab broker"), "the profile is listed");
    let selected = harness.state().manager.selected().map(|p| p.name.clone());
    assert_eq!(selected.as_deref(), Some("Lab broker"));
    // Its password was not kept: connecting without it is refused by the broker, in words.
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the refusal", |h| has_label_containing(h, "ada"));
}

#[test]
fn deleting_a_profile_asks_first() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Doomed");
    harness.get_by_label("Delete…").click();
    step_until(&mut harness, "the question", |h| has_label(h, "Delete this profile?"));
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(has_label(&harness, "Doomed"), "cancel keeps it");
    harness.get_by_label("Delete…").click();
    step_until(&mut harness, "the question", |h| has_label(h, "Delete this profile?"));
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    assert!(!has_label(&harness, "Doomed"), "gone from the list");
    profiles_file_once(&fixture, |v| {
        v["profiles"]
            .as_array()
            .is_some_and(|p| !p.is_empty() && p.iter().all(|p| p["name"] != "Doomed"))
    });
}

#[test]
fn several_connections_each_in_its_own_tab() {
    let first = Broker::start();
    first.mosquitto_pub("first/only", b"1", true);
    let second = Broker::start();
    second.mosquitto_pub("second/only", b"2", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &first, &["#"]);
    step_until(&mut harness, "the first tree", |h| has_label(h, "first"));
    // A second connection opens beside the first, not instead of it.
    connect_to(&mut harness, &second, &["#"]);
    step_until(&mut harness, "the second tree", |h| has_label(h, "second"));
    assert!(!has_label(&harness, "first"), "one tree shown at a time");
    assert_eq!(harness.state().explorers().len(), 2);

    // Clicking the first tab shows its own tree, still connected.
    let first_tab = format!("127.0.0.1:{}", first.port());
    harness.get_by_label(&first_tab).click();
    step_until(&mut harness, "the first tree again", |h| has_label(h, "first"));
    assert!(
        harness
            .state()
            .explorers()
            .iter()
            .all(|e| e.session.state().is_connected())
    );

    // Messages keep arriving in the tab not shown.
    second.mosquitto_pub("second/later", b"3", false);
    step_until(&mut harness, "the hidden tab's message", |h| {
        h.state().explorers()[1].session.tree.find("second/later").is_some()
    });

    // Closing a tab (its ×, the first of the two) disconnects it and shows the other.
    harness.query_all_by_label("×").next().expect("a close button").click();
    step_until(&mut harness, "the second tree", |h| has_label(h, "second"));
    assert_eq!(harness.state().explorers().len(), 1);
}

#[test]
fn the_publish_pane_sends_mqtt_5_properties() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    let mut settings = broker.settings();
    settings.version = mqscope::mqtt::MqttVersion::V5;
    settings.subscriptions = vec![Subscription::new("#")];
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, settings);
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    open_publish_pane(&mut harness);
    harness.get_by_label("MQTT 5 properties").click();
    step_until(&mut harness, "the properties form", |h| has_label(h, "Content type"));
    harness.run_steps(2);
    type_into(&mut harness, "Topic", "lab/props");
    type_into(&mut harness, "Payload", "21.5");
    type_into(&mut harness, "Content type", "text/plain");
    type_into(&mut harness, "User properties", "unit=celsius");
    step_until(&mut harness, "the count", |h| has_label(h, "MQTT 5 properties (2 set)"));
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the message with its properties", |h| {
        let tree = &h.state().explorer().expect("connected").session.tree;
        let properties = tree.latest_of("lab/props").and_then(|m| m.properties.clone());
        properties.is_some_and(|p| {
            p.content_type.as_deref() == Some("text/plain")
                && p.user_properties == [("unit".to_owned(), "celsius".to_owned())]
        })
    });
}

#[test]
fn save_message_keeps_a_received_message_and_writes_it_to_disk() {
    let (broker, fixture, mut harness) = home_explorer();
    open_topic(&mut harness, "garden", "pump");
    step_until(&mut harness, "the pump message", |h| has_label(h, "Save message"));
    harness.get_by_label("Save message").click();
    step_until(&mut harness, "the word that it was saved", |h| {
        has_label_containing(h, "Saved the message of garden/pump")
    });
    let saved = harness
        .state()
        .explorer()
        .expect("connected")
        .publish
        .messages()
        .saved
        .clone();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (saved[0].name.as_str(), saved[0].topic.as_str()),
        ("garden/pump", "garden/pump")
    );
    // The binary payload is kept exactly (as base64) in messages.json.
    let path = fixture.config.path().join("messages.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&path).is_ok_and(|t| t.contains("AAH/")) {
        assert!(Instant::now() < deadline, "messages.json never held the saved message");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(broker);
}

#[test]
fn a_payload_file_is_sent_byte_for_byte_even_without_a_file_dialog() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let file = fixture.config.path().join("frame.bin");
    let bytes: Vec<u8> = (0..=255u8).rev().collect();
    std::fs::write(&file, &bytes).expect("write the payload file");
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/frame");
    harness.get_by_label("From file…").click();
    // This machine has no desktop portal (nor zenity): the path is asked for instead.
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness.get_by_label("File path").type_text(&file.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the file chosen", |h| has_label_containing(h, "(256 B)"));
    harness.get_by_label("Send").click();
    step_until(&mut harness, "the bytes in the tree", |h| {
        let tree = &h.state().explorer().expect("connected").session.tree;
        tree.latest_of("lab/frame")
            .is_some_and(|m| m.payload.as_ref() == bytes.as_slice())
    });
}

#[test]
fn save_payload_writes_every_byte_even_without_a_file_dialog() {
    let (_broker, fixture, mut harness) = home_explorer();
    open_topic(&mut harness, "garden", "pump");
    step_until(&mut harness, "the pump message", |h| has_label(h, "Save payload…"));
    harness.get_by_label("Save payload…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    let target = fixture.config.path().join("pump.bin");
    harness
        .get_by_label("File path")
        .type_text(&target.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the word that it was saved", |h| {
        has_label_containing(h, "Saved to")
    });
    assert_eq!(std::fs::read(&target).expect("saved file"), [0u8, 1, 0xff]);
}

#[test]
fn profiles_are_exported_without_passwords_and_imported_under_free_names() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    replace_text(&mut harness, "Name", "Office");
    replace_text(&mut harness, "Broker", "mqtts://office.lan");
    type_into(&mut harness, "User name", "eve");
    harness.get_by_label("Profile file").click();
    harness.step();
    type_into(&mut harness, "Password", "s3cret-token");

    let export = fixture.config.path().join("exported.json");
    harness.get_by_label("Export…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness
        .get_by_label("File path")
        .type_text(&export.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the export", |h| {
        has_label_containing(h, "Exported 1 profile")
    });
    let text = std::fs::read_to_string(&export).expect("exported file");
    assert!(text.contains("office.lan") && text.contains("eve"), "{text}");
    assert!(!text.contains("s3cret-token"), "no password unless asked: {text}");

    harness.get_by_label("Import…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness
        .get_by_label("File path")
        .type_text(&export.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the import", |h| {
        has_label_containing(h, "Imported 1 profile")
    });
    let names: Vec<String> = harness
        .state()
        .manager
        .profiles
        .profiles
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["Office", "Office (2)"]);
    // A file that is not a profiles file is refused in words, and nothing is added.
    let junk = fixture.config.path().join("junk.json");
    std::fs::write(&junk, "[1, 2, 3]").expect("write");
    harness.get_by_label("Import…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    harness.get_by_label("File path").type_text(&junk.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the refusal", |h| {
        has_label_containing(h, "not a profiles file")
    });
    assert_eq!(harness.state().manager.profiles.profiles.len(), 2);
}

#[test]
fn searching_finds_topics_by_text_filter_and_payload() {
    let (_broker, _fixture, mut harness) = home_explorer();
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
fn numbers_in_a_topics_history_are_charted_and_json_fields_can_be_chosen() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    for value in ["20", "20.5", "21", "19.5", "22"] {
        broker.mosquitto_pub("lab/temp", value.as_bytes(), false);
    }
    for (t, h) in [(1, 40), (2, 41), (3, 39)] {
        broker.mosquitto_pub(
            "lab/sensor",
            format!("{{\"t\": {t}, \"h\": {h}, \"id\": \"s1\"}}").as_bytes(),
            false,
        );
    }
    open_topic(&mut harness, "lab", "temp");
    step_until(&mut harness, "its chart", |h| has_label(h, "Chart: 5 points"));

    harness.get_by_label("sensor").click();
    step_until(&mut harness, "the JSON chart", |h| has_label(h, "Chart: 3 points"));
    // The first numeric field is charted; the other can be added.
    assert!(has_label(&harness, "Remove t") && !has_label(&harness, "Remove h"));
    harness.get_by_label("Add series").click();
    step_until(&mut harness, "the field list", |h| has_label(h, "h  (39)"));
    harness.get_by_label("h  (39)").click();
    step_until(&mut harness, "the humidity series", |h| {
        has_label(h, "Remove h") && has_label(h, "Remove t") && has_label(h, "Chart: 3 points")
    });

    // A topic without numbers has no chart.
    broker.mosquitto_pub("lab/name", b"kitchen", false);
    step_until(&mut harness, "the name topic", |h| has_label(h, "name"));
    harness.get_by_label("name").click();
    step_until(&mut harness, "no chart", |h| {
        has_label_containing(h, "lab/name") && !has_label_containing(h, "Chart:")
    });
}

#[test]
fn saved_messages_and_publish_history_belong_to_their_profile() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    replace_text(&mut harness, "Name", "Lamp tests");
    replace_text(&mut harness, "Broker", &broker.url());
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/lamp/set");
    type_into(&mut harness, "Payload", "ON");
    type_into(&mut harness, "Save as", "lamp on");
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the saved message", |h| {
        h.state()
            .explorer()
            .is_some_and(|e| e.publish.messages().saved.len() == 1)
    });
    let lamp_id = harness
        .state()
        .manager
        .selected()
        .map(|p| p.id.clone())
        .expect("a profile");

    // Another profile for the same broker, in a second tab: its own, empty, list.
    harness.get_by_label("+").click();
    step_until(&mut harness, "the manager", |h| has_label(h, "Connections"));
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Other tests");
    replace_text(&mut harness, "Broker", &broker.url());
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the second tab", |h| h.state().explorers().len() == 2);
    step_until(&mut harness, "its connection", |h| {
        has_label_containing(h, "Connected to")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::P);
    step_until(&mut harness, "its publish pane", |h| has_label(h, "Publish a message"));
    let other = harness.state().explorer().expect("the second tab");
    assert_eq!(other.title, "Other tests");
    assert!(
        other.publish.messages().saved.is_empty(),
        "the other profile has its own list"
    );

    // messages.json keeps the first profile's message under that profile.
    let file = fixture.config.path().join("messages.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let kept = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|v| v["brokers"][format!("profile:{lamp_id}")]["saved"][0]["name"] == "lamp on");
        if kept {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "messages.json never kept the message under the profile"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn diff_shows_what_changed_since_the_previous_or_any_chosen_message() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    for payload in [r#"{"t":1,"h":39}"#, r#"{"t":2,"h":40}"#, r#"{"t":3,"h":40}"#] {
        broker.mosquitto_pub("lab/sensor", payload.as_bytes(), false);
    }
    open_topic(&mut harness, "lab", "sensor");
    step_until(&mut harness, "three messages", |h| has_label(h, "History: 3 messages"));
    harness.get_by_label("Diff").click();
    // JSON: the field that changed, by path, old → new.
    step_until(&mut harness, "the diff with the previous message", |h| {
        has_label_containing(h, "1 field changed")
    });
    assert!(has_label(&harness, "t") && has_label(&harness, "2 → 3"));
    assert!(!has_label(&harness, "h"), "an unchanged field is not listed");

    // Compare with the oldest instead (right-click it in the history).
    let oldest = harness
        .query_all_by_label_contains(r#"{"t":1,"h":39}"#)
        .next()
        .expect("the oldest message in the history");
    oldest.click_secondary();
    step_until(&mut harness, "the menu", |h| has_label(h, "Compare with this message"));
    harness.get_by_label("Compare with this message").click();
    step_until(&mut harness, "the diff with the oldest", |h| {
        has_label_containing(h, "2 fields changed")
    });
    assert!(has_label(&harness, "1 → 3") && has_label(&harness, "39 → 40"));
    assert!(has_label_containing(&harness, "(compared with)"));

    // Viewed as text: the lines.
    harness.get_by_label("Text").click();
    step_until(&mut harness, "the line diff", |h| {
        has_label_containing(h, "1 line added, 1 removed")
    });
    assert!(has_label(&harness, r#"- {"t":1,"h":39}"#) && has_label(&harness, r#"+ {"t":3,"h":40}"#));

    // Viewed as hex: the bytes, by offset.
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the byte diff", |h| {
        has_label_containing(h, "3 bytes changed")
    });
    assert!(has_label(&harness, "00000005") && has_label(&harness, "31 → 33"));
    assert!(has_label(&harness, "0000000b–0000000c") && has_label(&harness, "33 39 → 34 30"));
}

#[test]
fn binary_payloads_can_be_decoded_as_messagepack_or_cbor() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    // {"temperature": 21.5, "ok": true} in MessagePack.
    let packed: &[u8] = b"\x82\xabtemperature\xcb\x40\x35\x80\x00\x00\x00\x00\x00\xa2ok\xc3";
    broker.mosquitto_pub("lab/packed", packed, true);
    // Binary that does not read whole as MessagePack or CBOR stays hex.
    broker.mosquitto_pub("lab/raw", b"\x81\x01\x02\x03", true);
    // A map is recognised without asking.
    open_topic(&mut harness, "lab", "packed");
    step_until(&mut harness, "the decoded payload", |h| {
        has_label(h, "Auto (MessagePack)")
            && has_label_containing(h, "Decoded from MessagePack")
            && has_label_containing(h, "\"temperature\": 21.5")
    });
    // The same bytes are not CBOR: said so, and shown as hex.
    harness.get_by_label("Decode").click();
    step_until(&mut harness, "the decoders", |h| has_label(h, "CBOR"));
    harness.get_by_label("CBOR").click();
    step_until(&mut harness, "the refusal", |h| {
        has_label_containing(h, "Not valid CBOR")
    });

    // The choice belongs to the topic: another topic is shown automatically, and coming back
    // finds CBOR still chosen.
    harness.get_by_label("raw").click();
    step_until(&mut harness, "the other topic in hex", |h| {
        has_label(h, "Auto (Hex)") && has_label_containing(h, "81 01 02 03")
    });
    harness.get_by_label("packed").click();
    step_until(&mut harness, "the first topic as chosen", |h| {
        has_label_containing(h, "Not valid CBOR")
    });
    assert_eq!(harness.get_by_label("Decode").value().as_deref(), Some("CBOR"));
}

#[test]
fn the_history_bounds_are_set_in_settings_applied_at_once_and_kept() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    for i in 0..5 {
        broker.mosquitto_pub("lab/counter", i.to_string().as_bytes(), false);
    }
    open_topic(&mut harness, "lab", "counter");
    step_until(&mut harness, "five kept", |h| has_label(h, "History: 5 messages"));

    harness.get_by_label("Settings…").click();
    step_until(&mut harness, "the settings", |h| {
        has_label(h, "Messages kept per topic")
    });
    harness.run_steps(2);
    harness.get_by_label("Messages kept per topic").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Messages kept per topic").type_text("2");
    harness.key_press(Key::Enter);
    step_until(&mut harness, "two kept", |h| {
        has_label(h, "History: 2 messages (3 older not kept)")
    });
    let file = fixture.config.path().join("settings.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&file).is_ok_and(|t| t.contains("\"history_per_topic\": 2")) {
        assert!(Instant::now() < deadline, "settings.json was not written");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn alt_arrows_step_through_a_topics_history() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    for value in ["first", "second", "third"] {
        broker.mosquitto_pub("lab/steps", value.as_bytes(), false);
    }
    open_topic(&mut harness, "lab", "steps");
    step_until(&mut harness, "three kept", |h| has_label(h, "History: 3 messages"));
    let shows = |h: &Harness<'_, App>, text: &str| h.query_all_by_value(text).next().is_some() || has_label(h, text);
    assert!(shows(&harness, "third"));
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowDown);
    step_until(&mut harness, "the second message", |h| {
        has_label(h, "Back to the latest message") && shows(h, "second")
    });
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowDown);
    step_until(&mut harness, "the first message", |h| shows(h, "first"));
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowDown);
    harness.run_steps(2);
    assert!(shows(&harness, "first"), "the oldest stays");
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowUp);
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowUp);
    step_until(&mut harness, "the latest again", |h| {
        !has_label(h, "Back to the latest message")
    });
}

#[test]
fn a_branch_compares_the_topics_below_it_side_by_side() {
    let broker = Broker::start();
    broker.mosquitto_pub("z2m/lamp1", br#"{"state":"ON","brightness":200}"#, true);
    broker.mosquitto_pub("z2m/lamp2", br#"{"state":"OFF","brightness":0}"#, true);
    broker.mosquitto_pub("z2m/bridge/state", b"online", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["z2m/#"]);
    step_until(&mut harness, "the branch", |h| has_label(h, "z2m"));
    harness.get_by_label("z2m").click();
    step_until(&mut harness, "the comparison", |h| {
        has_label(h, "Compare 3 topics below")
    });
    for header in ["Topic", "Value", "state", "brightness"] {
        assert!(has_label(&harness, header), "a {header} column");
    }
    for cell in [
        "lamp1 (R)",
        "lamp2 (R)",
        "bridge/state (R)",
        "ON",
        "OFF",
        "200",
        "online",
    ] {
        assert!(has_label(&harness, cell), "the cell {cell}");
    }
    harness.get_by_label("lamp2 (R)").click();
    step_until(&mut harness, "the topic picked", |h| has_label(h, "z2m/lamp2"));
}

#[test]
fn the_brokers_statistics_are_shown_in_words() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, broker.settings());
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    harness.get_by_label("Broker status").click();
    step_until(&mut harness, "the statistics", |h| {
        has_label_containing(h, "mosquitto version") && has_label(h, "Clients connected") && has_label(h, "Uptime")
    });
    // The load topics (published every second by the test broker) are charted per second.
    step_until(&mut harness, "the rate charts", |h| {
        has_label(h, "Messages per second") && has_label(h, "Bytes per second")
    });
}

/// The label whose rectangle is furthest right (the message panel's, when the tree has one too).
fn rightmost<'a>(harness: &'a Harness<'_, App>, label: &'a str) -> egui_kittest::Node<'a> {
    harness
        .query_all_by_label(label)
        .max_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap_or_else(|| panic!("no {label}"))
}

#[test]
fn the_odd_device_stands_out_sorts_filters_and_pinned_topics_sit_side_by_side() {
    let broker = Broker::start();
    let device = |name: &str, battery: u32, quality: u32, retain: bool| {
        let payload = format!(r#"{{"battery":{battery},"linkquality":{quality},"update":{{"state":"idle"}}}}"#);
        broker.mosquitto_pub(&format!("zigbee2mqtt/{name}"), payload.as_bytes(), retain);
    };
    device("kitchen_sensor", 90, 120, true);
    device("hall_sensor", 90, 87, true);
    device("door_sensor", 12, 54, true);
    broker.mosquitto_pub("home/temp", b"21.5", true);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["zigbee2mqtt/#", "home/#"]);
    step_until(&mut harness, "the branch", |h| has_label(h, "zigbee2mqtt"));
    // One device publishes without retain, while connected.
    device("porch_sensor", 90, 33, false);
    harness.get_by_label("zigbee2mqtt").click();
    step_until(&mut harness, "the comparison of four devices", |h| {
        has_label(h, "Compare 4 topics below")
    });
    for header in ["Topic", "battery", "linkquality", "update.state"] {
        assert!(has_label(&harness, header), "a {header} column");
    }
    // The door sensor's battery is the odd one; the usual 90 is not marked.
    assert!(has_label(&harness, "12 (differs from most)"));
    assert!(has_label(&harness, "90") && !has_label(&harness, "90 (differs from most)"));
    // No value of linkquality is most common: none stands out.
    assert!(!has_label_containing(&harness, "120 (differs"));

    // Live: new values show as messages arrive. With no value held by most, numbers are judged
    // by their distance from the rest: 91 beside 90 is not odd, 12 still is.
    device("hall_sensor", 91, 87, true);
    step_until(&mut harness, "the new value", |h| has_label(h, "91"));
    assert!(has_label(&harness, "12 (differs from most)"));
    assert!(!has_label(&harness, "91 (differs from most)"));

    // Sort by battery: lowest first, then highest first.
    let top = |h: &Harness<'_, App>, label: &str| h.get_by_label(label).rect().top();
    harness.get_by_label("battery").click();
    step_until(&mut harness, "the ascending sort", |h| {
        has_label(h, "battery, sorted ascending")
    });
    assert!(top(&harness, "door_sensor (R)") < top(&harness, "kitchen_sensor (R)"));
    assert!(top(&harness, "kitchen_sensor (R)") < top(&harness, "hall_sensor (R)"));
    harness.get_by_label("battery, sorted ascending").click();
    step_until(&mut harness, "the descending sort", |h| {
        has_label(h, "battery, sorted descending")
    });
    assert!(top(&harness, "hall_sensor (R)") < top(&harness, "kitchen_sensor (R)"));
    assert!(top(&harness, "kitchen_sensor (R)") < top(&harness, "door_sensor (R)"));

    // Retained only: the porch sensor's message was not retained.
    assert!(has_label(&harness, "porch_sensor"));
    rightmost(&harness, "Retained only").click();
    step_until(&mut harness, "the retained devices only", |h| {
        has_label(h, "Compare 3 topics below") && !has_label(h, "porch_sensor")
    });

    // Pin a device from the message view, and a topic of another branch from the tree.
    harness.get_by_label("door_sensor (R)").click();
    step_until(&mut harness, "the door sensor", |h| {
        has_label(h, "zigbee2mqtt/door_sensor")
    });
    harness.get_by_label("Pin to compare").click();
    step_until(&mut harness, "the first pin", |h| has_label(h, "Pinned topics (1)"));
    harness.get_by_label("Expand home").click();
    step_until(&mut harness, "the home topic", |h| has_label(h, "temp"));
    harness.get_by_label("temp").click_secondary();
    step_until(&mut harness, "the context menu", |h| has_label(h, "Pin to compare"));
    harness.get_by_label("Pin to compare").click();
    step_until(&mut harness, "both pinned topics", |h| {
        has_label(h, "Pinned topics (2)")
            && has_label(h, "zigbee2mqtt/door_sensor (R)")
            && has_label(h, "home/temp (R)")
    });
    // Side by side: the device's fields, and the plain value of the other.
    assert!(has_label(&harness, "battery") && has_label(&harness, "21.5"));

    harness.get_by_label("Unpin home/temp").click();
    step_until(&mut harness, "one pin left", |h| {
        has_label(h, "Pinned topics (1)") && !has_label(h, "home/temp (R)")
    });
    harness.get_by_label("Clear pins").click();
    step_until(&mut harness, "no pins", |h| !has_label_containing(h, "Pinned topics"));
}

#[test]
fn broker_status_says_why_it_is_empty_without_a_sys_subscription() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    harness.get_by_label("Broker status").click();
    step_until(&mut harness, "the explanation", |h| {
        has_label_containing(h, "does not subscribe to $SYS/#")
    });
    assert!(!has_label(&harness, "Messages per second"));
}

#[test]
fn sparkplug_b_payloads_are_decoded_on_their_topics() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    // Encoded by Google's protobuf runtime for Python from Eclipse Tahu's sparkplug_b.proto:
    //   p = Payload(timestamp=1700000000123, seq=7)
    //   p.metrics.add(name="Boiler/Temperature", alias=1, datatype=9, float_value=71.25)
    //   p.metrics.add(name="Boiler/Burner", alias=2, datatype=11, boolean_value=True)
    let hex = "08fbd095ffbc31121d0a12426f696c65722f54656d7065726174757265100120096500808e4212150a0d426f\
               696c65722f4275726e65721002200b70011807";
    let ddata: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    broker.mosquitto_pub("spBv1.0/plant/DDATA/edge1/boiler", &ddata, true);
    broker.mosquitto_pub(
        "spBv1.0/STATE/scada",
        br#"{"online": true, "timestamp": 1700000000000}"#,
        true,
    );
    for branch in ["spBv1.0", "plant", "DDATA", "edge1"] {
        let expand = format!("Expand {branch}");
        step_until(&mut harness, &format!("the {branch} branch"), |h| has_label(h, &expand));
        harness.get_by_label(&expand).click();
    }
    step_until(&mut harness, "the device", |h| has_label(h, "boiler"));
    harness.get_by_label("boiler").click();
    step_until(&mut harness, "the decoded payload", |h| {
        has_label_containing(h, "Decoded from Sparkplug B: 2 metrics, seq 7")
            && has_label_containing(h, "\"Boiler/Temperature\": {")
            && has_label_containing(h, "\"value\": 71.25")
            && has_label_containing(h, "\"timestamp\": \"2023-11-14T22:13:20.123Z\"")
    });
    assert!(has_label(&harness, "Auto (Sparkplug B)"));
    assert_eq!(harness.get_by_label("Decode").value().as_deref(), Some("Sparkplug B"));
    // The tree's line reads the metrics, not hex.
    assert!(
        row_value_contains(&harness, "seq 7 · Boiler/Temperature 71.25 · Boiler/Burner true"),
        "the tree row shows the metrics"
    );

    // Shown as hex on request, then decoded again from the combo.
    harness.get_by_label("Hex").click();
    step_until(&mut harness, "the hex dump", |h| has_label_containing(h, "08 fb d0 95"));
    assert_eq!(harness.get_by_label("Decode").value().as_deref(), Some("Decode…"));
    harness.get_by_label("Decode").click();
    step_until(&mut harness, "the decoders", |h| has_label(h, "Sparkplug B"));
    harness.get_by_label("Sparkplug B").click();
    step_until(&mut harness, "decoded again", |h| {
        has_label_containing(h, "\"Boiler/Burner\": {")
    });

    // A host application's state in the same namespace is JSON, not protobuf.
    step_until(&mut harness, "the STATE branch", |h| has_label(h, "Expand STATE"));
    harness.get_by_label("Expand STATE").click();
    step_until(&mut harness, "the host", |h| has_label(h, "scada"));
    harness.get_by_label("scada").click();
    step_until(&mut harness, "the state as JSON", |h| {
        has_label(h, "Auto (JSON)") && has_label_containing(h, "\"online\": true")
    });

    // A second reading of the device: its metric values are charted over time (not the seq).
    let mut payload = mqscope::payload::sparkplug::decode(&ddata).expect("decodes");
    payload.seq = Some(8);
    payload.metrics[0].value = Some(mqscope::payload::sparkplug::MetricValue::FloatValue(72.5));
    broker.mosquitto_pub(
        "spBv1.0/plant/DDATA/edge1/boiler",
        &prost::Message::encode_to_vec(&payload),
        false,
    );
    harness.get_by_label("boiler").click();
    step_until(&mut harness, "the chart of the temperature", |h| {
        has_label(h, "Chart: 2 points") && has_label(h, "Remove metrics.Boiler/Temperature.value")
    });

    // A device that reports by alias only: the names come from its birth certificate.
    use mqscope::payload::sparkplug::{Metric, MetricValue, Payload};
    let speed = |name: Option<&str>, value: f64| Metric {
        name: name.map(str::to_owned),
        alias: Some(5),
        datatype: Some(10),
        value: Some(MetricValue::DoubleValue(value)),
        ..Metric::default()
    };
    let birth = Payload {
        seq: Some(0),
        metrics: vec![speed(Some("Pump/Speed"), 0.0)],
        ..Payload::default()
    };
    let data = Payload {
        seq: Some(1),
        metrics: vec![speed(None, 1450.0)],
        ..Payload::default()
    };
    broker.mosquitto_pub(
        "spBv1.0/plant/DBIRTH/edge1/pump",
        &prost::Message::encode_to_vec(&birth),
        true,
    );
    broker.mosquitto_pub(
        "spBv1.0/plant/DDATA/edge1/pump",
        &prost::Message::encode_to_vec(&data),
        true,
    );
    step_until(&mut harness, "the pump", |h| has_label(h, "pump"));
    harness.get_by_label("pump").click();
    step_until(&mut harness, "the alias named", |h| {
        has_label_containing(h, "alias names from spBv1.0/plant/DBIRTH/edge1/pump")
            && has_label_containing(h, "\"name\": \"Pump/Speed\"")
            && has_label_containing(h, "\"value\": 1450")
    });
}

#[test]
fn clicking_a_number_in_the_json_payload_charts_its_path() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    for (total, power) in [(1.5, 10), (1.6, 11), (1.7, 12)] {
        let payload =
            format!(r#"{{"Time":"2026-01-01T00:00:00","ENERGY":{{"Total":{total},"Power":{power},"Voltage":230}}}}"#);
        broker.mosquitto_pub("plug/SENSOR", payload.as_bytes(), false);
    }
    open_topic(&mut harness, "plug", "SENSOR");
    step_until(&mut harness, "the chart of the first field", |h| {
        has_label(h, "Chart: 3 points") && has_label(h, "Remove ENERGY.Total")
    });
    assert!(!has_label(&harness, "Remove ENERGY.Power"));

    // The latest payload's Power (12) is a link in the JSON view.
    step_until(&mut harness, "the power value", |h| has_label(h, "12"));
    harness.get_by_label("12").hover();
    step_until(&mut harness, "the hint", |h| {
        has_label(h, "Click to chart ENERGY.Power")
    });
    harness.get_by_label("12").click();
    step_until(&mut harness, "the power series", |h| {
        has_label(h, "Remove ENERGY.Power")
    });
    assert!(
        has_label(&harness, "Remove ENERGY.Total"),
        "series are added, not replaced"
    );
    let legend =
        harness.query_by(|n| n.role() == egui::Role::CheckBox && n.label().is_some_and(|l| l == "ENERGY.Power"));
    assert!(legend.is_some(), "a legend entry for the series");

    // Removing a series takes it off the chart.
    harness.get_by_label("Remove ENERGY.Total").click();
    step_until(&mut harness, "only the power series", |h| {
        !has_label(h, "Remove ENERGY.Total") && has_label(h, "Remove ENERGY.Power")
    });
}

#[test]
fn a_paused_chart_waits_and_a_cleared_one_starts_again() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    for value in ["20", "21 °C", "ON"] {
        broker.mosquitto_pub("lab/temp", value.as_bytes(), false);
    }
    open_topic(&mut harness, "lab", "temp");
    step_until(&mut harness, "its chart", |h| has_label(h, "Chart: 3 points"));
    assert!(
        has_label(&harness, "value (ON = 1, OFF = 0)"),
        "the legend says how ON counts"
    );

    harness.get_by_label("Pause chart").click();
    step_until(&mut harness, "paused", |h| {
        has_label(h, "Paused") && has_label(h, "Resume chart")
    });
    broker.mosquitto_pub("lab/temp", b"22", false);
    step_until(&mut harness, "the new message in the history", |h| {
        has_label_containing(h, "History: 4 messages")
    });
    harness.run_steps(3);
    assert!(
        has_label(&harness, "Chart: 3 points, paused"),
        "no new point while paused"
    );
    harness.get_by_label("Resume chart").click();
    step_until(&mut harness, "the point caught up", |h| has_label(h, "Chart: 4 points"));

    harness.get_by_label("Clear chart").click();
    step_until(&mut harness, "an empty chart", |h| has_label(h, "Chart: 0 points"));
    broker.mosquitto_pub("lab/temp", b"23", false);
    step_until(&mut harness, "only the message after the clear", |h| {
        has_label(h, "Chart: 1 point")
    });
    assert!(
        has_label_containing(&harness, "History: 5 messages"),
        "the history is kept"
    );
}

#[test]
fn the_chart_is_exported_to_csv_even_without_a_file_dialog() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    for (power, voltage) in [(12, 230), (15, 231)] {
        let payload = format!(r#"{{"ENERGY":{{"Power":{power},"Voltage":{voltage}}}}}"#);
        broker.mosquitto_pub("lab/meter", payload.as_bytes(), false);
    }
    open_topic(&mut harness, "lab", "meter");
    step_until(&mut harness, "its chart", |h| has_label(h, "Chart: 2 points"));
    harness.get_by_label("231").click();
    step_until(&mut harness, "the voltage series", |h| {
        has_label(h, "Remove ENERGY.Voltage")
    });

    harness.get_by_label("Export CSV…").click();
    step_until(&mut harness, "the path prompt", |h| has_label(h, "File path"));
    let target = fixture.config.path().join("meter.csv");
    harness
        .get_by_label("File path")
        .type_text(&target.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the word that it was exported", |h| {
        has_label_containing(h, "Exported 2 rows to")
    });
    let text = std::fs::read_to_string(&target).expect("exported file");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"time_iso8601,epoch_ms,ENERGY.Power,ENERGY.Voltage")
    );
    let cells: Vec<Vec<&str>> = lines.iter().skip(1).map(|l| l.split(',').collect()).collect();
    let values: Vec<&[&str]> = cells.iter().map(|c| &c[2..]).collect();
    assert_eq!(values, [&["12", "230"][..], &["15", "231"][..]]);
    for row in &cells {
        let time = chrono::DateTime::parse_from_rfc3339(row[0]).expect("an ISO 8601 time");
        assert_eq!(time.timestamp_millis().to_string(), row[1]);
    }
}

#[test]
fn a_large_json_diff_is_worked_out_in_the_background_and_names_the_changed_field() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["#"]);
    // Two payloads of about 600 KiB, one field apart deep in an array.
    let items = |changed: i64| {
        let items: Vec<String> = (0..24_000i64)
            .map(|i| format!(r#"{{"id":{i},"value":{}}}"#, if i == 12_345 { changed } else { i }))
            .collect();
        format!(r#"{{"items":[{}]}}"#, items.join(","))
    };
    broker.mosquitto_pub("lab/big", items(12_345).as_bytes(), false);
    broker.mosquitto_pub("lab/big", items(-1).as_bytes(), false);
    open_topic(&mut harness, "lab", "big");
    step_until(&mut harness, "two messages", |h| has_label(h, "History: 2 messages"));
    harness.get_by_label("Diff").click();
    step_until(&mut harness, "the structural diff", |h| {
        has_label_containing(h, "1 field changed")
    });
    assert!(has_label(&harness, "items.12345.value") && has_label(&harness, "12345 → -1"));
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
fn a_branch_sorts_by_message_count_and_the_tree_pauses_and_resumes() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["lab/#"]);
    for (topic, count) in [("lab/alpha", 1), ("lab/beta", 3), ("lab/gamma", 2)] {
        for i in 0..count {
            broker.mosquitto_pub(topic, format!("{i}").as_bytes(), false);
        }
    }
    step_until(&mut harness, "the lab branch with every message", |h| {
        row_value_contains(h, "3 topics · 6 msgs")
    });
    harness.get_by_label("Expand lab").click();
    let names = ["alpha", "beta", "gamma"];
    step_until(&mut harness, "the topics by name", |h| {
        rows_in_order(h, &names) == ["alpha", "beta", "gamma"]
    });

    // Sort the branch by message count, from its context menu.
    harness.get_by_label("lab").click_secondary();
    step_until(&mut harness, "the branch menu", |h| has_label(h, "Sort by"));
    harness.get_by_label("Sort by").click();
    step_until(&mut harness, "the orders", |h| has_label(h, "Latest activity"));
    harness.get_by_label("Messages").click();
    step_until(&mut harness, "the topics by message count", |h| {
        rows_in_order(h, &names) == ["beta", "gamma", "alpha"]
    });

    // Paused, a new topic is counted but not shown.
    harness.get_by_label("Pause").click();
    step_until(&mut harness, "the pause", |h| has_label(h, "Paused: 0 messages since"));
    broker.mosquitto_pub("lab/delta", b"new", false);
    broker.mosquitto_pub("lab/beta", b"fresh-value", false);
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
fn a_keyring_password_that_cannot_be_read_is_asked_for_in_words() {
    let broker = Broker::start_with(support::BrokerConfig {
        users: vec![("ada".into(), "lovelace".into())],
        ..support::BrokerConfig::default()
    });
    let fixture = Fixture::new();
    let profiles = serde_json::json!({
        "version": 2,
        "profiles": [{"name": "Vault", "broker": broker.url(), "username": "ada", "password_storage": "keyring"}]
    });
    std::fs::write(fixture.config.path().join("profiles.json"), profiles.to_string()).expect("profiles");
    // This window has no keyring to read from.
    let mut harness = fixture.harness();
    harness.run_steps(2);
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the reason", |h| {
        has_label_containing(h, "kept in the OS keyring, which could not be read")
    });
    // Typed, it connects.
    type_into(&mut harness, "Password", "lovelace");
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, &format!("Connected to mqtt://127.0.0.1:{}", broker.port()))
    });
}

#[test]
fn the_order_chosen_for_the_tree_is_kept_for_the_next_connection() {
    let broker = Broker::start();
    retained_home(&broker);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect(&mut harness, &broker);
    harness.get_by_label("Sort topics by Name").click();
    step_until(&mut harness, "the orders", |h| has_label(h, "Latest activity"));
    harness.get_by_label("Latest activity").click();
    step_until(&mut harness, "the new order", |h| {
        has_label(h, "Sort topics by Latest activity")
    });
    // Closed, and connected again: the tree starts in the order last chosen.
    harness.get_by_label("×").click();
    step_until(&mut harness, "the connection form", |h| has_label(h, "Connections"));
    connect(&mut harness, &broker);
    step_until(&mut harness, "the remembered order", |h| {
        has_label(h, "Sort topics by Latest activity")
    });
}
