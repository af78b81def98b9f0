//! The live log: every message in arrival order, following the newest, paused, filtered, and
//! a click showing the message.

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use mqscope::App;

use crate::ui_support::{
    Example, Fixture, HOME, arrive, has_label, has_label_containing, replace_text, step_until, type_into,
};

/// The log's lines on screen, top to bottom: (topic, the rest of the line).
fn lines(harness: &Harness<'_, App>) -> Vec<(String, String)> {
    let mut lines: Vec<_> = harness
        .query_all_by(|n| n.role() == egui::Role::ListItem)
        .map(|n| {
            let node = n.accesskit_node();
            let label = node.label().unwrap_or_default().to_string();
            let value = node.value().unwrap_or_default().to_string();
            (n.rect().top(), label, value)
        })
        .collect();
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines.into_iter().map(|(_, label, value)| (label, value)).collect()
}

fn shows_line(harness: &Harness<'_, App>, topic: &str) -> bool {
    lines(harness).iter().any(|(t, _)| t == topic)
}

/// Open the log with Ctrl+L and wait for its first line.
fn open_log(harness: &mut Harness<'_, App>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::L);
    step_until(harness, "the log", |h| {
        has_label(h, "Filter the log") && !lines(h).is_empty()
    });
}

/// Messages on `count` topics `dev/0`, `dev/1`, …, one each, starting at `from`.
fn numbered(from: usize, count: usize) -> Vec<(String, Vec<u8>)> {
    (from..from + count)
        .map(|i| (format!("dev/{i}"), format!("reading {i}").into_bytes()))
        .collect()
}

fn examples(messages: &[(String, Vec<u8>)]) -> Vec<Example<'_>> {
    messages
        .iter()
        .map(|(t, p)| (t.as_str(), p.as_slice(), false))
        .collect()
}

/// The centre of the log's lines, for the wheel and keys.
fn over_the_lines(harness: &Harness<'_, App>) -> egui::Pos2 {
    let first = harness
        .query_all_by(|n| n.role() == egui::Role::ListItem)
        .map(|n| n.rect())
        .reduce(|a, b| a.union(b))
        .expect("lines on screen");
    first.center()
}

#[test]
fn the_log_lists_every_message_in_arrival_order_across_topics() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    open_log(&mut harness);
    arrive(&mut harness, &[("home/kitchen/light", b"OFF", false)]);
    step_until(&mut harness, "the fifth line", |h| lines(h).len() == 5);
    let shown = lines(&harness);
    let topics: Vec<&str> = shown.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        topics,
        [
            "home/kitchen/sensor",
            "home/kitchen/light",
            "home/hall/light",
            "garden/pump",
            "home/kitchen/light"
        ]
    );
    // QoS, the retained flag, size and a preview on each line.
    assert!(shown[1].1.contains("QoS 0 · R · 2 B · ON"), "{:?}", shown[1]);
    assert!(shown[4].1.contains("QoS 0 · - · 3 B · OFF"), "{:?}", shown[4]);
    assert!(
        shown[3].1.contains("0x 00 01 ff"),
        "binary payloads are previewed as hex: {:?}",
        shown[3]
    );
    assert!(has_label_containing(&harness, "5 lines"));
}

#[test]
fn the_log_follows_the_newest_line_until_scrolled_up_and_end_follows_again() {
    let fixture = Fixture::new();
    let first = numbered(0, 300);
    let mut harness = fixture.harness_with_messages(&examples(&first));
    open_log(&mut harness);
    step_until(&mut harness, "the newest line", |h| shows_line(h, "dev/299"));
    assert!(!shows_line(&harness, "dev/0"), "only the lines on screen are drawn");

    // Scrolled up, new lines do not move the view.
    let at = over_the_lines(&harness);
    harness.hover_at(at);
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, 5.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    // The wheel scrolls smoothly, over many frames.
    harness.run_steps(300);
    step_until(&mut harness, "the follow button", |h| has_label(h, "Follow newest"));
    let more = numbered(300, 50);
    arrive(&mut harness, &examples(&more));
    harness.run_steps(5);
    assert!(
        !shows_line(&harness, "dev/349"),
        "the view stayed where it was scrolled to"
    );
    assert!(!shows_line(&harness, "dev/299"));

    // End follows again. While the pointer is over the lines they hold still (so a click
    // hits the line seen); once it leaves, the log follows the newest again.
    harness.hover_at(at);
    harness.key_press(Key::End);
    step_until(&mut harness, "the newest line again", |h| shows_line(h, "dev/349"));
    let newer = numbered(350, 50);
    arrive(&mut harness, &examples(&newer));
    harness.run_steps(5);
    assert!(
        shows_line(&harness, "dev/349") && !shows_line(&harness, "dev/399"),
        "held under the pointer"
    );
    harness.hover_at(egui::pos2(640.0, 100.0));
    step_until(&mut harness, "the newest line followed", |h| shows_line(h, "dev/399"));
    assert!(!has_label(&harness, "Follow newest"));
}

#[test]
fn pausing_holds_new_lines_back_until_resumed() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    open_log(&mut harness);
    harness.get_by_label("Pause log").click();
    harness.run_steps(2);
    arrive(
        &mut harness,
        &[("home/door", b"open", false), ("home/door", b"closed", false)],
    );
    step_until(&mut harness, "the waiting count", |h| {
        has_label_containing(h, "4 lines · paused, 2 waiting")
    });
    assert!(!shows_line(&harness, "home/door"));
    harness.get_by_label("Resume log").click();
    step_until(&mut harness, "the lines that waited", |h| {
        lines(h).iter().filter(|(t, _)| t == "home/door").count() == 2
    });
}

#[test]
fn the_filter_keeps_the_lines_of_an_mqtt_filter_topic_text_or_payload_text() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    open_log(&mut harness);
    type_into(&mut harness, "Filter the log", "home/+/light");
    step_until(&mut harness, "the lights only", |h| lines(h).len() == 2);
    assert!(has_label_containing(&harness, "2 of 4 lines"));
    let topics: Vec<String> = lines(&harness).into_iter().map(|(t, _)| t).collect();
    assert_eq!(topics, ["home/kitchen/light", "home/hall/light"]);
    // New messages are filtered as they come.
    arrive(
        &mut harness,
        &[
            ("home/cellar/light", b"ON", false),
            ("home/cellar/door", b"shut", false),
        ],
    );
    step_until(&mut harness, "the new light", |h| shows_line(h, "home/cellar/light"));
    assert!(!shows_line(&harness, "home/cellar/door"));

    // A filter that breaks MQTT's rules says so.
    replace_text(&mut harness, "Filter the log", "home/#/light");
    step_until(&mut harness, "the filter's error", |h| has_label_containing(h, "#"));
    assert!(lines(&harness).len() == 6, "an unusable filter hides nothing");

    // Payload text, in any case.
    harness.get_by_label("Log filter kind").click();
    harness.run_steps(2);
    harness.get_by_label("Payload text").click();
    replace_text(&mut harness, "Filter the log", "on");
    step_until(&mut harness, "the payloads holding on", |h| lines(h).len() == 2);
    assert!(lines(&harness).iter().all(|(_, rest)| rest.ends_with("ON")));
}

#[test]
fn clicking_a_line_shows_that_message_of_the_topics_history() {
    let fixture = Fixture::new();
    let messages: &[Example<'_>] = &[
        ("plant/valve", b"opening", false),
        ("plant/flow", b"12.5", false),
        ("plant/valve", b"open", false),
        ("plant/valve", b"closing", false),
    ];
    let mut harness = fixture.harness_with_messages(messages);
    open_log(&mut harness);
    step_until(&mut harness, "every line", |h| lines(h).len() == 4);
    // The second message of plant/valve, not its latest.
    harness
        .query_all_by(|n| n.role() == egui::Role::ListItem && n.value().is_some_and(|v| v.ends_with("· open")))
        .next()
        .expect("the line")
        .click();
    step_until(&mut harness, "the topic and its earlier message", |h| {
        has_label(h, "plant/valve") && has_label(h, "Back to the latest message") && has_label(h, "open")
    });
    assert!(has_label_containing(&harness, "History: 3 messages"));
}

#[test]
fn the_trees_menu_logs_only_a_branch() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    step_until(&mut harness, "the home branch", |h| has_label(h, "home"));
    harness.get_by_label("home").click_secondary();
    step_until(&mut harness, "the row's menu", |h| has_label(h, "Log only this branch"));
    harness.get_by_label("Log only this branch").click();
    step_until(&mut harness, "the log of home/#", |h| {
        h.query_by_label("Filter the log")
            .and_then(|n| n.value())
            .is_some_and(|v| v == "home/#")
            && lines(h).len() == 3
    });
    assert!(!shows_line(&harness, "garden/pump"));
}
