//! Comparing the topics below a branch side by side, and pinned topics: odd values, times told
//! as ages, hidden columns.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::model::{Event, Message, Received, Session};
use mqscope::mqtt::{BrokerAddress, ConnectionSettings};

use crate::ui_support::{Example, Fixture, arrive, has_label, has_label_containing, run_frames_for, step_until};

#[test]
fn a_branch_compares_the_topics_below_it_side_by_side() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[
        ("z2m/lamp1", br#"{"state":"ON","brightness":200}"#, true),
        ("z2m/lamp2", br#"{"state":"OFF","brightness":0}"#, true),
        ("z2m/bridge/state", b"online", true),
    ]);
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

/// A zigbee2mqtt device's report: its topic, its payload, and whether it came retained.
fn device(name: &str, battery: u32, quality: u32, retain: bool) -> (String, String, bool) {
    let topic = format!("zigbee2mqtt/{name}");
    let payload = format!(r#"{{"battery":{battery},"linkquality":{quality},"update":{{"state":"idle"}}}}"#);
    (topic, payload, retain)
}

/// Three retained devices, the door sensor's battery low, a retained temperature in another
/// branch, and a porch sensor that published without retain while connected.
fn fleet() -> Vec<(String, String, bool)> {
    vec![
        device("kitchen_sensor", 90, 120, true),
        device("hall_sensor", 90, 87, true),
        device("door_sensor", 12, 54, true),
        ("home/temp".to_owned(), "21.5".to_owned(), true),
        device("porch_sensor", 90, 33, false),
    ]
}

/// A window that has seen `messages`, comparing the devices below zigbee2mqtt.
fn comparing(fixture: &Fixture, messages: &[(String, String, bool)]) -> Harness<'static, App> {
    let examples: Vec<Example<'_>> = messages
        .iter()
        .map(|(topic, payload, retain)| (topic.as_str(), payload.as_bytes(), *retain))
        .collect();
    let mut harness = fixture.harness_with_messages(&examples);
    step_until(&mut harness, "the branch", |h| has_label(h, "zigbee2mqtt"));
    harness.get_by_label("zigbee2mqtt").click();
    step_until(&mut harness, "the comparison of four devices", |h| {
        has_label(h, "Compare 4 topics below")
    });
    harness
}

#[test]
fn the_odd_value_of_a_column_stands_out_and_is_judged_again_as_values_arrive() {
    let fixture = Fixture::new();
    let mut harness = comparing(&fixture, &fleet());
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
    // Published with retain, it reaches a subscriber already there with the flag cleared.
    let (topic, payload, retain) = device("hall_sensor", 91, 87, false);
    arrive(&mut harness, &[(&topic, payload.as_bytes(), retain)]);
    step_until(&mut harness, "the new value", |h| has_label(h, "91"));
    assert!(has_label(&harness, "12 (differs from most)"));
    assert!(!has_label(&harness, "91 (differs from most)"));
}

#[test]
fn the_comparison_sorts_by_a_column_lowest_or_highest_first() {
    let mut messages = fleet();
    // The hall sensor's later report, delivered live: 91, just above the kitchen's 90.
    messages.push(device("hall_sensor", 91, 87, false));
    let fixture = Fixture::new();
    let mut harness = comparing(&fixture, &messages);

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
}

#[test]
fn retained_only_leaves_a_device_without_a_retained_message_out_of_the_comparison() {
    let fixture = Fixture::new();
    let mut harness = comparing(&fixture, &fleet());
    // The porch sensor's message was not retained.
    assert!(has_label(&harness, "porch_sensor"));
    rightmost(&harness, "Retained only").click();
    step_until(&mut harness, "the retained devices only", |h| {
        has_label(h, "Compare 3 topics below") && !has_label(h, "porch_sensor")
    });
}

#[test]
fn topics_pinned_from_the_message_view_and_the_tree_sit_side_by_side() {
    let fixture = Fixture::new();
    let mut harness = comparing(&fixture, &fleet());
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

/// The label whose rectangle is furthest right (the message panel's, when the tree has one too).
fn rightmost<'a>(harness: &'a Harness<'_, App>, label: &'a str) -> egui_kittest::Node<'a> {
    harness
        .query_all_by_label(label)
        .max_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap_or_else(|| panic!("no {label}"))
}

/// A window that has seen `messages` (topic, payload, how many seconds ago it arrived), all
/// retained, comparing the branch `branch`.
fn comparing_arrivals(fixture: &Fixture, branch: &str, messages: &[(&str, String, u64)]) -> Harness<'static, App> {
    let now = SystemTime::now();
    let received = messages
        .iter()
        .map(|(topic, payload, ago)| {
            let mut message = Message::new(payload.clone().into_bytes());
            message.retain = true;
            message.received_at = now - Duration::from_secs(*ago);
            Received {
                topic: (*topic).to_owned(),
                message,
            }
        })
        .collect();
    let mut session = Session::new();
    session.apply(Event::Messages(received), Instant::now());
    let address = format!("mqtt://127.0.0.1:{}", crate::support::free_port());
    let settings = ConnectionSettings::new(BrokerAddress::parse(&address).expect("a valid address"));
    let mut harness = fixture.harness();
    harness.state_mut().open_session(settings, session);
    step_until(&mut harness, "the branch", |h| has_label(h, branch));
    harness.get_by_label(branch).click();
    step_until(&mut harness, "the comparison", |h| {
        has_label_containing(h, "topics below")
    });
    harness
}

/// A device's report with the time it was last seen, `seen_ago` seconds ago, as an RFC 3339
/// string and as epoch milliseconds.
fn seen(name: &str, battery: u32, seen_ago: u64) -> (String, String, u64) {
    let at = SystemTime::now() - Duration::from_secs(seen_ago);
    let iso = chrono::DateTime::<chrono::Utc>::from(at).to_rfc3339();
    let millis = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let payload = format!(r#"{{"battery":{battery},"last_seen":"{iso}","timestamp":{millis}}}"#);
    (format!("zigbee2mqtt/{name}"), payload, 0)
}

/// Four devices seen minutes ago, the door sensor three days ago.
fn seen_fleet() -> Vec<(String, String, u64)> {
    vec![
        seen("kitchen_sensor", 90, 320),
        seen("hall_sensor", 91, 330),
        seen("door_sensor", 89, 3 * 86_400 + 100),
        seen("porch_sensor", 92, 130),
    ]
}

fn borrowed(messages: &[(String, String, u64)]) -> Vec<(&str, String, u64)> {
    messages.iter().map(|(t, p, a)| (t.as_str(), p.clone(), *a)).collect()
}

#[test]
fn a_column_of_times_shows_how_old_each_is_and_the_stale_one_stands_out() {
    let fixture = Fixture::new();
    let fleet = seen_fleet();
    let mut harness = comparing_arrivals(&fixture, "zigbee2mqtt", &borrowed(&fleet));
    // Both ways of writing a time, the string and the epoch milliseconds, are told as ages.
    assert_eq!(
        harness.query_all_by_label("5 min ago").count(),
        4,
        "two devices, two columns"
    );
    assert_eq!(harness.query_all_by_label("2 min ago").count(), 2);
    assert_eq!(harness.query_all_by_label("3 d ago (differs from most)").count(), 2);
    assert!(!has_label_containing(&harness, "5 min ago (differs"));
    // The time itself is in the tooltip.
    let raw = fleet[2]
        .1
        .split('"')
        .nth(5)
        .expect("the door sensor's last_seen")
        .to_owned();
    harness
        .query_all_by_label("3 d ago (differs from most)")
        .next()
        .expect("the stale time")
        .hover();
    step_until(&mut harness, "the tooltip", |h| has_label_containing(h, &raw));
    assert!(has_label_containing(&harness, "Far older than the others"));
}

#[test]
fn the_received_column_flags_a_topic_that_stopped_reporting() {
    let fixture = Fixture::new();
    let plug = |ago| (format!(r#"{{"power":{}}}"#, 5 + ago % 7), ago);
    let messages: Vec<(String, String, u64)> = [plug(2), plug(4), plug(2 * 3_600), plug(1)]
        .into_iter()
        .enumerate()
        .map(|(i, (payload, ago))| (format!("plugs/plug{i}"), payload, ago))
        .collect();
    let harness = comparing_arrivals(&fixture, "plugs", &borrowed(&messages));
    assert!(has_label(&harness, "Received"), "a Received column");
    assert!(has_label(&harness, "2 h ago (differs from most)"), "plug2 went quiet");
    assert!(has_label(&harness, "4 s ago") && has_label(&harness, "1 s ago"));
}

/// The ages in seconds shown ("3 s ago"), in no order.
fn ages_in_seconds(harness: &Harness<'_, App>) -> Vec<u64> {
    let ages = std::cell::RefCell::new(Vec::new());
    let _ = harness
        .query_all_by(|n| {
            let age = n
                .value()
                .or_else(|| n.label())
                .and_then(|l| l.strip_suffix(" s ago")?.parse::<u64>().ok());
            ages.borrow_mut().extend(age);
            false
        })
        .count();
    ages.into_inner()
}

#[test]
fn ages_are_brought_up_to_date_once_a_second() {
    let fixture = Fixture::new();
    let messages = [("plugs/a", "1".to_owned(), 0), ("plugs/b", "2".to_owned(), 0)];
    let mut harness = comparing_arrivals(&fixture, "plugs", &messages);
    // The window asks to be drawn again within a second, and no sooner.
    let delay = |h: &Harness<'_, App>| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map_or(Duration::MAX, |v| v.repaint_delay)
    };
    step_until(&mut harness, "a quiet window", |h| {
        delay(h) > Duration::from_millis(100)
    });
    let wait = delay(&harness);
    assert!(
        wait >= Duration::from_millis(900) && wait <= Duration::from_secs(1),
        "{wait:?}"
    );
    let before = ages_in_seconds(&harness);
    assert!(!before.is_empty(), "the topics' ages");
    run_frames_for(&mut harness, Duration::from_millis(1_100));
    let after = ages_in_seconds(&harness);
    assert!(
        after.len() == before.len() && after.iter().min() > before.iter().max(),
        "a second older: {before:?} then {after:?}"
    );
}

/// The header of the column `name` (a button that sorts by it).
fn header<'a>(harness: &'a Harness<'_, App>, name: &'a str) -> Option<egui_kittest::Node<'a>> {
    harness.query_by(move |n| n.role() == egui::Role::Button && n.label().is_some_and(|l| l == name))
}

/// The checkbox of the column `name` in the Columns… menu.
fn column_box<'a>(harness: &'a Harness<'_, App>, name: &'a str) -> Option<egui_kittest::Node<'a>> {
    harness.query_by(move |n| n.role() == egui::Role::CheckBox && n.label().is_some_and(|l| l == name))
}

#[test]
fn the_columns_menu_hides_and_shows_columns_but_never_the_topic() {
    let fixture = Fixture::new();
    let mut harness = comparing(&fixture, &fleet());
    assert!(!has_label_containing(&harness, "hidden"));
    harness.get_by_label("Columns…").click();
    step_until(&mut harness, "the menu", |h| column_box(h, "battery").is_some());
    // Every column is listed; Topic is always shown.
    for name in ["Received", "battery", "linkquality", "update.state"] {
        assert!(column_box(&harness, name).is_some(), "{name} is listed");
    }
    assert!(
        harness
            .query_by(|n| n.role() == egui::Role::CheckBox
                && n.label().is_some_and(|l| l == "Topic")
                && n.is_disabled())
            .is_some(),
        "Topic cannot be unticked"
    );

    column_box(&harness, "battery").expect("battery").click();
    step_until(&mut harness, "battery hidden", |h| {
        header(h, "battery").is_none() && has_label(h, "1 hidden")
    });
    // The menu stays open for the next one; its cells go with it.
    column_box(&harness, "linkquality").expect("linkquality").click();
    step_until(&mut harness, "two hidden", |h| {
        header(h, "linkquality").is_none() && has_label(h, "2 hidden") && !has_label(h, "120")
    });
    assert!(header(&harness, "update.state").is_some(), "the others stay");

    harness.get_by_label("Show all").click();
    step_until(&mut harness, "every column back", |h| {
        header(h, "battery").is_some() && header(h, "linkquality").is_some() && !has_label_containing(h, "hidden")
    });
}

#[test]
fn a_header_hides_its_column_and_the_branch_remembers_it() {
    let fixture = Fixture::new();
    let mut harness = comparing(&fixture, &fleet());
    header(&harness, "linkquality").expect("the header").click_secondary();
    step_until(&mut harness, "the header's menu", |h| has_label(h, "Hide column"));
    harness.get_by_label("Hide column").click();
    step_until(&mut harness, "linkquality hidden", |h| {
        header(h, "linkquality").is_none() && has_label(h, "1 hidden") && !has_label(h, "120")
    });
    // The Topic column has no such menu.
    header(&harness, "Topic").expect("the Topic header").click_secondary();
    harness.run_steps(5);
    assert!(!has_label(&harness, "Hide column"));

    // Another branch has its own columns; coming back, linkquality is still hidden.
    harness.key_press(egui::Key::Escape);
    harness.get_by_label("home").click();
    step_until(&mut harness, "the home branch", |h| {
        has_label(h, "Compare 1 topic below")
    });
    assert!(!has_label_containing(&harness, "hidden"));
    harness.get_by_label("zigbee2mqtt").click();
    step_until(&mut harness, "the devices again", |h| {
        has_label(h, "Compare 4 topics below")
    });
    assert!(header(&harness, "linkquality").is_none() && has_label(&harness, "1 hidden"));
    assert!(header(&harness, "battery").is_some());
}
