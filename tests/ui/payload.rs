//! The payload view: where it opens, finding text and bytes, folding JSON, the hex dump's
//! width, moving by pages, and clicking a value to chart it.

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;

use crate::ui_support::{Fixture, has_label, has_label_containing, live, open_topic, step_until};

/// A JSON list of `count` devices, named `{name}-0` and on, each with a reading: 7 lines each.
fn devices(name: &str, count: usize) -> String {
    let items: Vec<String> = (0..count)
        .map(|i| format!(r#"{{"name":"{name}-{i}","temperature":{},"ok":true}}"#, 20 + i % 10))
        .collect();
    format!(r#"{{"devices":[{}]}}"#, items.join(","))
}

/// Move the pointer over the payload's lines (a line showing `text`).
fn hover_payload(harness: &mut Harness<'_, App>, text: &str) {
    harness
        .query_all_by_label_contains(text)
        .next()
        .expect("a payload line")
        .hover();
    harness.run_steps(2);
}

/// Scroll the payload showing `text` down by mouse wheel steps, as a person would.
fn scroll_payload_down(harness: &mut Harness<'_, App>, text: &str, steps: usize) {
    for _ in 0..steps {
        harness
            .query_all_by_label_contains(text)
            .next()
            .expect("a payload line")
            .scroll_down();
        harness.step();
    }
    harness.run_steps(2);
}

/// The whole label of the first widget whose label contains `part`.
fn label_containing(harness: &Harness<'_, App>, part: &str) -> String {
    let found = std::cell::RefCell::new(None::<String>);
    let _ = harness
        .query_all_by(|n| {
            if let Some(label) = n.value().or_else(|| n.label()).filter(|l| l.contains(part)) {
                found.borrow_mut().get_or_insert_with(|| label.to_string());
            }
            false
        })
        .count();
    found.into_inner().unwrap_or_default()
}

/// A primary click at `pos`, as the pointer would.
fn click_at(harness: &mut Harness<'_, App>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::default(),
        });
    }
    harness.step();
}

#[test]
fn another_topic_or_another_message_opens_at_the_top() {
    let (a_old, a_new, b) = (devices("old", 60), devices("new", 60), devices("b", 60));
    let a = [a_old.as_str(), a_new.as_str()];
    let b = [b.as_str()];
    let mut messages = live("lab/a", &a);
    messages.extend(live("lab/b", &b));
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&messages);
    open_topic(&mut harness, "lab", "a");
    step_until(&mut harness, "the latest payload", |h| {
        has_label_containing(h, "\"name\": \"new-0\"")
    });
    scroll_payload_down(&mut harness, "\"name\": \"new-", 20);
    assert!(
        !has_label_containing(&harness, "\"name\": \"new-0\""),
        "scrolled away from the top"
    );

    harness.get_by_label("b").click();
    step_until(&mut harness, "the other topic", |h| has_label(h, "lab/b"));
    assert!(
        has_label_containing(&harness, "\"name\": \"b-0\""),
        "another topic opens at the top"
    );

    harness.get_by_label("a").click();
    step_until(&mut harness, "the first topic", |h| {
        has_label_containing(h, "\"name\": \"new-")
    });
    scroll_payload_down(&mut harness, "\"name\": \"new-", 20);
    assert!(!has_label_containing(&harness, "\"name\": \"new-0\""));
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    step_until(&mut harness, "the older message", |h| {
        has_label(h, "Back to the latest message")
    });
    assert!(
        has_label_containing(&harness, "\"name\": \"old-0\""),
        "another message of the history opens at the top"
    );
}

#[test]
fn ctrl_f_finds_every_match_steps_through_them_and_escape_closes() {
    let payload = devices("sensor", 40);
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/devices", &[payload.as_str()]));
    open_topic(&mut harness, "lab", "devices");
    step_until(&mut harness, "the payload", |h| {
        has_label_containing(h, "\"name\": \"sensor-0\"")
    });
    hover_payload(&mut harness, "\"name\": \"sensor-0\"");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    step_until(&mut harness, "the find bar", |h| has_label(h, "Find in payload"));
    assert!(
        harness.get_by_label("Find in payload").is_focused(),
        "typing goes to the field"
    );

    // Any case by default.
    harness.get_by_label("Find in payload").type_text("TEMPERATURE");
    step_until(&mut harness, "the count", |h| has_label(h, "1 of 40"));
    harness.key_press(Key::Enter);
    step_until(&mut harness, "the next match", |h| has_label(h, "2 of 40"));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    step_until(&mut harness, "the last match, around the start", |h| {
        has_label(h, "40 of 40")
    });
    assert!(
        has_label_containing(&harness, "\"name\": \"sensor-39\""),
        "the view scrolled to the current match"
    );
    assert!(!has_label_containing(&harness, "\"name\": \"sensor-0\""));
    harness.get_by_label("Next").click();
    step_until(&mut harness, "the first match again", |h| {
        has_label(h, "1 of 40") && has_label_containing(h, "\"name\": \"sensor-0\"")
    });
    harness.get_by_label("Previous").click();
    step_until(&mut harness, "back to the last", |h| has_label(h, "40 of 40"));

    harness.get_by_label("Match case").click();
    step_until(&mut harness, "no match in that case", |h| has_label(h, "No matches"));
    harness.get_by_label("Find in payload").click();
    harness.key_press(Key::Escape);
    step_until(&mut harness, "the bar closed", |h| !has_label(h, "Find in payload"));

    // The toolbar's button opens it again, with what was typed.
    harness.get_by_label("Find").click();
    step_until(&mut harness, "the find bar again", |h| has_label(h, "No matches"));
}

#[test]
fn the_hex_dump_finds_text_and_hex_bytes() {
    let payload: &[u8] = b"\x00\x01\xde\xad\xbe\xef Hello, HELLO \xde\xad\xff";
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/blob", payload, true)]);
    open_topic(&mut harness, "lab", "blob");
    step_until(&mut harness, "the hex dump", |h| has_label(h, "Auto (Hex)"));
    harness.get_by_label("Find").click();
    step_until(&mut harness, "the find bar", |h| has_label(h, "Find in payload"));
    harness.get_by_label("Find in payload").type_text("de ad");
    step_until(&mut harness, "the bytes found", |h| has_label(h, "1 of 2"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Find in payload").type_text("hello");
    step_until(&mut harness, "the text found in any case", |h| has_label(h, "1 of 2"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Find in payload").type_text("ef20");
    step_until(&mut harness, "hex across the text", |h| has_label(h, "1 of 1"));
}

#[test]
fn json_objects_and_arrays_fold_and_unfold() {
    let payload = r#"{"Time":"2026-01-01T00:00:00","ENERGY":{"Total":1.5,"Yesterday":1.2,"Today":0.3,"Power":12,"ApparentPower":20,"ReactivePower":16,"Factor":0.6,"Voltage":230,"Current":0.087,"Period":1},"Relays":[{"id":1,"on":true},{"id":2,"on":false}]}"#;
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("plug/SENSOR", &[payload]));
    open_topic(&mut harness, "plug", "SENSOR");
    step_until(&mut harness, "the payload", |h| has_label(h, "Fold ENERGY"));
    assert!(has_label_containing(&harness, "\"Voltage\": 230"));

    harness.get_by_label("Fold ENERGY").click();
    step_until(&mut harness, "the object folded", |h| {
        has_label_containing(h, "\"ENERGY\": {…} 10 keys,")
    });
    assert!(
        !has_label_containing(&harness, "\"Voltage\": 230"),
        "its lines are hidden"
    );
    assert!(has_label_containing(&harness, "\"Relays\": ["), "the rest follows");

    // A value on an unfolded line still charts.
    harness.get_by_label("Fold Relays").click();
    step_until(&mut harness, "the array folded", |h| {
        has_label_containing(h, "\"Relays\": […] 2 items")
    });
    harness.get_by_label("Unfold ENERGY").click();
    step_until(&mut harness, "the object again", |h| has_label(h, "12"));
    harness.get_by_label("12").click();
    step_until(&mut harness, "the power series", |h| {
        has_label(h, "Remove ENERGY.Power")
    });

    harness.get_by_label("Fold all").click();
    step_until(&mut harness, "everything below the top folded", |h| {
        has_label_containing(h, "\"ENERGY\": {…} 10 keys,") && has_label_containing(h, "\"Relays\": […] 2 items")
    });
    harness.get_by_label("Fold the payload").click();
    step_until(&mut harness, "the whole payload on a line", |h| {
        has_label_containing(h, "{…} 3 keys")
    });
    harness.get_by_label("Unfold all").click();
    // (The chart opened above the payload, so Relays may be below the fold of the view.)
    step_until(&mut harness, "everything open", |h| {
        has_label_containing(h, "\"Voltage\": 230")
            && !has_label_containing(h, "{…} 3 keys")
            && !has_label_containing(h, "{…} 10 keys")
            && !has_label_containing(h, "[…] 2 items")
    });
}

#[test]
fn a_long_payload_folds_whole_and_finds_inside_folds() {
    // About 20,000 lines.
    let payload = devices("unit", 4000);
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/fleet", &[payload.as_str()]));
    open_topic(&mut harness, "lab", "fleet");
    step_until(&mut harness, "the payload", |h| has_label(h, "Fold devices"));
    harness.get_by_label("Fold devices").click();
    step_until(&mut harness, "the list folded", |h| {
        has_label_containing(h, "\"devices\": […] 4,000 items")
    });
    // Finding a match inside unfolds what hides it.
    harness.get_by_label("Find").click();
    step_until(&mut harness, "the find bar", |h| has_label(h, "Find in payload"));
    harness.get_by_label("Find in payload").type_text("unit-3999\"");
    step_until(&mut harness, "the last unit shown", |h| {
        has_label(h, "1 of 1") && has_label_containing(h, "\"name\": \"unit-3999\"")
    });
    let line = harness.get_by_label_contains("\"name\": \"unit-3999\"").rect();
    click_at(&mut harness, line.right_center() + egui::vec2(40.0, 0.0));
    harness.key_press(Key::Home);
    step_until(&mut harness, "the top of the unfolded list", |h| {
        has_label(h, "Fold devices")
    });
}

#[test]
fn the_hex_dump_fits_its_width_to_the_panel() {
    let payload: Vec<u8> = (0..=255).collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&[("lab/bytes", payload.as_slice(), true)]);
    open_topic(&mut harness, "lab", "bytes");
    let first_line = "00000000  00 01 02";
    step_until(&mut harness, "the dump", |h| has_label_containing(h, first_line));
    let fits = |h: &Harness<'_, App>, width: f32| {
        let line = h.get_by_label_contains(first_line);
        let text = label_containing(h, first_line);
        assert!(
            text.ends_with('|') && text.matches('|').count() == 2,
            "an ASCII column: {text}"
        );
        assert!(
            line.rect().max.x <= width,
            "the whole line is in the window: {:?}",
            line.rect()
        );
    };
    // The message panel's default width at 1280 points: 16 bytes a line.
    fits(&harness, 1280.0);
    assert!(has_label_containing(&harness, "00000010  10 11"), "16 bytes a line");

    // Narrower, fewer bytes a line, the ASCII column still in view.
    harness.set_size(egui::vec2(900.0, 600.0));
    step_until(&mut harness, "a narrower dump", |h| {
        has_label_containing(h, "00000008  08 09")
    });
    fits(&harness, 900.0);

    // Wider, with the panel dragged wider: 32 a line.
    harness.set_size(egui::vec2(1920.0, 1080.0));
    harness.run_steps(3);
    let edge = harness.get_by_label("lab/bytes").rect().min.x - 8.0;
    let from = egui::pos2(edge, 700.0);
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for x in [edge - 200.0, edge - 400.0, edge - 600.0] {
        harness.hover_at(egui::pos2(x, 700.0));
        harness.step();
    }
    harness.drop_at(egui::pos2(edge - 600.0, 700.0));
    step_until(&mut harness, "a wider dump", |h| {
        has_label_containing(h, "00000020  20 21")
    });
    fits(&harness, 1920.0);
}

#[test]
fn page_keys_home_and_end_move_through_a_long_payload() {
    let payload = devices("unit", 4000);
    let fixture = Fixture::new();
    let payloads = [payload.as_str()];
    let mut messages = live("lab/fleet", &payloads);
    messages.push(("lab/other", b"1", false));
    let mut harness = fixture.harness_with_messages(&messages);
    open_topic(&mut harness, "lab", "fleet");
    step_until(&mut harness, "the payload", |h| {
        has_label_containing(h, "\"name\": \"unit-0\"")
    });
    hover_payload(&mut harness, "\"name\": \"unit-0\"");
    harness.key_press(Key::PageDown);
    harness.run_steps(2);
    assert!(
        has_label(&harness, "lab/fleet"),
        "the page went to the payload, not to the tree"
    );
    assert!(!has_label_containing(&harness, "\"name\": \"unit-0\""), "a page down");
    // By a page (the units shown first are a screenful on), not to the end.
    let units = std::cell::RefCell::new(Vec::new());
    let _ = harness.query_by(|n| {
        let unit = n.value().or_else(|| n.label()).and_then(|label| {
            let digits: String = label
                .split("\"name\": \"unit-")
                .nth(1)?
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<usize>().ok()
        });
        units.borrow_mut().extend(unit);
        false
    });
    let first_unit = units.into_inner().into_iter().min();
    assert!(
        first_unit.is_some_and(|unit| (1..40).contains(&unit)),
        "by a page, not to the end: {first_unit:?}"
    );
    harness.key_press(Key::End);
    step_until(&mut harness, "the end", |h| {
        has_label_containing(h, "\"name\": \"unit-3999\"")
    });
    harness.key_press(Key::Home);
    step_until(&mut harness, "the top", |h| {
        has_label_containing(h, "\"name\": \"unit-0\"")
    });

    // A click gives the payload the keyboard: the keys reach it with the pointer elsewhere.
    let line = harness.get_by_label_contains("\"name\": \"unit-1\"").rect();
    click_at(&mut harness, line.right_center() + egui::vec2(40.0, 0.0));
    harness.get_by_label("lab/fleet").hover();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::End);
    step_until(&mut harness, "the end again", |h| {
        has_label_containing(h, "\"name\": \"unit-3999\"")
    });
    harness.key_press(Key::PageUp);
    harness.run_steps(2);
    assert!(!has_label_containing(&harness, "\"name\": \"unit-3999\""), "a page up");
}

#[test]
fn clicking_just_beside_a_value_charts_it_and_says_its_path() {
    let payloads: Vec<String> = (1..=3)
        .map(|p| format!(r#"{{"ENERGY":{{"Total":1.{p},"Power":{p}2,"Voltage":230}}}}"#))
        .collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("plug/SENSOR", &payloads));
    open_topic(&mut harness, "plug", "SENSOR");
    step_until(&mut harness, "the power value", |h| has_label(h, "32"));
    harness.get_by_label("32").hover();
    step_until(&mut harness, "the hint", |h| has_label(h, "Chart ENERGY.Power"));
    assert!(!has_label(&harness, "Remove ENERGY.Power"));
    // Just past its last digit, on the comma after it, still charts it.
    let line_text = label_containing(&harness, "\"Power\": 32,");
    let line = harness.get_by_label_contains("\"Power\": 32,").rect();
    let char_width = line.width() / line_text.chars().count() as f32;
    let after_value = line_text.find(',').expect("a comma") as f32;
    click_at(
        &mut harness,
        egui::pos2(line.min.x + (after_value + 0.3) * char_width, line.center().y),
    );
    step_until(&mut harness, "the power series", |h| {
        has_label(h, "Remove ENERGY.Power")
    });
}
