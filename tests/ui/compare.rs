//! Comparing the topics below a branch side by side, and pinned topics.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;

use crate::ui_support::{Example, Fixture, arrive, has_label, has_label_containing, step_until};

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
