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

#[test]
fn the_odd_device_stands_out_sorts_filters_and_pinned_topics_sit_side_by_side() {
    let device = |name: &str, battery: u32, quality: u32| {
        let topic = format!("zigbee2mqtt/{name}");
        let payload = format!(r#"{{"battery":{battery},"linkquality":{quality},"update":{{"state":"idle"}}}}"#);
        (topic, payload)
    };
    let retained = [
        device("kitchen_sensor", 90, 120),
        device("hall_sensor", 90, 87),
        device("door_sensor", 12, 54),
    ];
    let mut messages: Vec<Example<'_>> = retained
        .iter()
        .map(|(topic, payload)| (topic.as_str(), payload.as_bytes(), true))
        .collect();
    messages.push(("home/temp", b"21.5", true));
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&messages);
    step_until(&mut harness, "the branch", |h| has_label(h, "zigbee2mqtt"));
    // One device publishes without retain, while connected.
    let (topic, payload) = device("porch_sensor", 90, 33);
    arrive(&mut harness, &[(&topic, payload.as_bytes(), false)]);
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
    // Published with retain, it reaches a subscriber already there with the flag cleared.
    let (topic, payload) = device("hall_sensor", 91, 87);
    arrive(&mut harness, &[(&topic, payload.as_bytes(), false)]);
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

/// The label whose rectangle is furthest right (the message panel's, when the tree has one too).
fn rightmost<'a>(harness: &'a Harness<'_, App>, label: &'a str) -> egui_kittest::Node<'a> {
    harness
        .query_all_by_label(label)
        .max_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap_or_else(|| panic!("no {label}"))
}
