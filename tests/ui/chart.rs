//! The chart of a topic's numbers: series of its own and of other topics, the legend,
//! normalising, pause and clear, export.

use eframe::egui::{self, accesskit};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use mqscope::App;

use crate::ui_support::{Fixture, arrive, has_label, has_label_containing, live, open_topic, step_until};

#[test]
fn numbers_in_a_topics_history_are_charted_and_json_fields_can_be_chosen() {
    let readings: Vec<String> = [(1, 40), (2, 41), (3, 39)]
        .iter()
        .map(|(t, h)| format!("{{\"t\": {t}, \"h\": {h}, \"id\": \"s1\"}}"))
        .collect();
    let mut messages = live("lab/temp", &["20", "20.5", "21", "19.5", "22"]);
    messages.extend(live("lab/sensor", &readings));
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&messages);
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
    arrive(&mut harness, &[("lab/name", b"kitchen", false)]);
    step_until(&mut harness, "the name topic", |h| has_label(h, "name"));
    harness.get_by_label("name").click();
    step_until(&mut harness, "no chart", |h| {
        has_label_containing(h, "lab/name") && !has_label_containing(h, "Chart:")
    });
}

#[test]
fn clicking_a_number_in_the_json_payload_charts_its_path() {
    let payloads: Vec<String> = [(1.5, 10), (1.6, 11), (1.7, 12)]
        .iter()
        .map(|(total, power)| {
            format!(r#"{{"Time":"2026-01-01T00:00:00","ENERGY":{{"Total":{total},"Power":{power},"Voltage":230}}}}"#)
        })
        .collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("plug/SENSOR", &payloads));
    open_topic(&mut harness, "plug", "SENSOR");
    step_until(&mut harness, "the chart of the first field", |h| {
        has_label(h, "Chart: 3 points") && has_label(h, "Remove ENERGY.Total")
    });
    assert!(!has_label(&harness, "Remove ENERGY.Power"));

    // The latest payload's Power (12) is a link in the JSON view.
    step_until(&mut harness, "the power value", |h| has_label(h, "12"));
    harness.get_by_label("12").hover();
    step_until(&mut harness, "the hint", |h| has_label(h, "Chart ENERGY.Power"));
    harness.get_by_label("12").click();
    step_until(&mut harness, "the power series", |h| {
        has_label(h, "Remove ENERGY.Power")
    });
    assert!(
        has_label(&harness, "Remove ENERGY.Total"),
        "series are added, not replaced"
    );
    // The legend above the plot names each series with its newest value.
    step_until(&mut harness, "the legend", |h| {
        legend_value(h, "ENERGY.Power").as_deref() == Some("12")
            && legend_value(h, "ENERGY.Total").as_deref() == Some("1.7")
    });

    // Removing a series takes it off the chart.
    harness.get_by_label("Remove ENERGY.Total").click();
    step_until(&mut harness, "only the power series", |h| {
        !has_label(h, "Remove ENERGY.Total") && has_label(h, "Remove ENERGY.Power")
    });
}

#[test]
fn a_paused_chart_waits_and_a_cleared_one_starts_again() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/temp", &["20", "21 °C", "ON"]));
    open_topic(&mut harness, "lab", "temp");
    step_until(&mut harness, "its chart", |h| has_label(h, "Chart: 3 points"));
    assert!(
        legend_value(&harness, "value (ON = 1, OFF = 0)").is_some(),
        "the legend says how ON counts"
    );

    harness.get_by_label("Pause chart").click();
    step_until(&mut harness, "paused", |h| {
        has_label(h, "Paused") && has_label(h, "Resume chart")
    });
    arrive(&mut harness, &[("lab/temp", b"22", false)]);
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
    arrive(&mut harness, &[("lab/temp", b"23", false)]);
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
    let payloads: Vec<String> = [(12, 230), (15, 231)]
        .iter()
        .map(|(power, voltage)| format!(r#"{{"ENERGY":{{"Power":{power},"Voltage":{voltage}}}}}"#))
        .collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/meter", &payloads));
    open_topic(&mut harness, "lab", "meter");
    step_until(&mut harness, "its chart", |h| has_label(h, "Chart: 2 points"));
    harness.get_by_label("231").click();
    step_until(&mut harness, "the voltage series", |h| {
        has_label(h, "Remove ENERGY.Voltage")
    });

    let text = export_csv(&mut harness, &fixture, "meter.csv", "Exported 2 rows to");
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

/// The plot's rectangle.
fn plot_rect(harness: &Harness<'_, App>) -> egui::Rect {
    harness.get_by_label("Chart plot").rect()
}

/// The value the legend shows for the series named `name`: the text right of its name in the
/// legend, which sits above the plot and never on it.
fn legend_value(harness: &Harness<'_, App>, name: &str) -> Option<String> {
    let plot = harness.query_all_by_label("Chart plot").next()?.rect();
    let entry = harness
        .query_all_by_label(name)
        .map(|n| n.rect())
        .find(|r| r.bottom() <= plot.top())?;
    harness
        .query_all_by(|n| n.role() == egui::Role::Label)
        .filter(|n| {
            let r = n.rect();
            r.left() >= entry.right() && (r.center().y - entry.center().y).abs() < 4.0
        })
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .and_then(|n| n.value().or_else(|| n.accesskit_node().label()))
}

/// Whether the checkbox labelled `label` is ticked.
fn is_ticked(harness: &Harness<'_, App>, label: &str) -> bool {
    harness
        .query_all_by_label(label)
        .any(|n| n.accesskit_node().toggled() == Some(accesskit::Toggled::True))
}

#[test]
fn series_of_different_scales_are_normalised_and_read_in_real_values() {
    let payloads: Vec<String> = [(12, 230), (15, 231), (13, 230)]
        .iter()
        .map(|(power, voltage)| format!(r#"{{"ENERGY":{{"Power":{power},"Voltage":{voltage}}}}}"#))
        .collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/meter", &payloads));
    open_topic(&mut harness, "lab", "meter");
    step_until(&mut harness, "its chart", |h| has_label(h, "Remove ENERGY.Power"));
    assert!(
        !has_label(&harness, "Normalise"),
        "one series has nothing to normalise against"
    );
    harness.get_by_label("Add series").click();
    step_until(&mut harness, "the field list", |h| {
        has_label(h, "ENERGY.Voltage  (230)")
    });
    harness.get_by_label("ENERGY.Voltage  (230)").click();
    // 12 to 15 next to 230 would be a flat line: each series gets its own range.
    step_until(&mut harness, "the normalised series", |h| {
        is_ticked(h, "Normalise") && has_label(h, "12 to 15") && has_label(h, "230 to 231")
    });
    assert_eq!(legend_value(&harness, "ENERGY.Voltage").as_deref(), Some("230"));

    // Over the plot, the legend reads each series' real value at that time.
    harness.get_by_label("Chart plot").hover();
    step_until(&mut harness, "the values under the pointer", |h| {
        has_label_containing(h, "at ") && legend_value(h, "ENERGY.Voltage").is_some_and(|v| v == "230" || v == "231")
    });
    let power = legend_value(&harness, "ENERGY.Power").unwrap_or_default();
    assert!(
        ["12", "13", "15"].contains(&power.as_str()),
        "a real power value, not {power}"
    );

    // Normalising can be turned off, and the ranges go.
    harness.get_by_label("Normalise").click();
    step_until(&mut harness, "one shared axis", |h| {
        !is_ticked(h, "Normalise") && !has_label(h, "12 to 15")
    });
    let plot = plot_rect(&harness);
    assert!(plot.height() >= 100.0, "{plot:?}");
}

/// Two rooms' readings, three each, as JSON, and the garage's one.
fn two_rooms() -> Vec<(&'static str, Vec<u8>)> {
    let mut messages = vec![("home/garage", br#"{"temperature": 9}"#.to_vec())];
    for (kitchen, bedroom) in [(20.5, 18.0), (21.0, 18.5), (21.5, 18.5)] {
        let reading = |t: f64| format!(r#"{{"temperature": {t}, "humidity": 40}}"#).into_bytes();
        messages.push(("home/kitchen", reading(kitchen)));
        messages.push(("home/bedroom", reading(bedroom)));
    }
    messages
}

fn rooms_harness(fixture: &Fixture) -> Harness<'static, App> {
    let messages = two_rooms();
    let examples: Vec<_> = messages.iter().map(|(t, p)| (*t, p.as_slice(), false)).collect();
    fixture.harness_with_messages(&examples)
}

#[test]
fn a_number_of_another_topic_is_added_from_a_search_over_the_topics() {
    let fixture = Fixture::new();
    let mut harness = rooms_harness(&fixture);
    open_topic(&mut harness, "home", "kitchen");
    step_until(&mut harness, "the kitchen's chart", |h| {
        has_label(h, "Chart: 3 points") && has_label(h, "Remove temperature")
    });
    let kitchens = harness.query_all_by_label("home/kitchen").count();
    harness.get_by_label("Add series").click();
    step_until(&mut harness, "the menu", |h| has_label(h, "From another topic…"));
    harness.get_by_label("From another topic…").click();
    step_until(&mut harness, "the topic search", |h| has_label(h, "Topic name"));
    // A dialog is placed once its size is known, a frame after it opens.
    harness.run_steps(2);
    assert_eq!(
        harness.query_all_by_label("home/kitchen").count(),
        kitchens,
        "the chart's own topic is not offered"
    );
    assert!(has_label(&harness, "home/bedroom") && has_label(&harness, "home/garage"));
    harness.get_by_label("Topic name").type_text("bed");
    step_until(&mut harness, "only the bedroom", |h| {
        has_label(h, "home/bedroom") && !has_label(h, "home/garage")
    });
    harness.get_by_label("home/bedroom").click();
    step_until(&mut harness, "its numbers", |h| has_label(h, "temperature  (18.5)"));
    harness.get_by_label("temperature  (18.5)").click();
    step_until(&mut harness, "both rooms on one chart", |h| {
        has_label(h, "Chart: 6 points") && legend_value(h, "home/bedroom · temperature").as_deref() == Some("18.5")
    });
    assert!(!has_label(&harness, "Topic name"), "the dialog closed");
    assert_eq!(legend_value(&harness, "temperature").as_deref(), Some("21.5"));
    assert!(!is_ticked(&harness, "Normalise"), "two temperatures share an axis");

    // New messages of the other topic are charted as they come.
    arrive(&mut harness, &[("home/bedroom", br#"{"temperature": 19}"#, false)]);
    step_until(&mut harness, "the new reading", |h| {
        has_label(h, "Chart: 7 points") && legend_value(h, "home/bedroom · temperature").as_deref() == Some("19")
    });
    harness.get_by_label("Remove home/bedroom · temperature").click();
    step_until(&mut harness, "the kitchen alone", |h| has_label(h, "Chart: 3 points"));
}

#[test]
fn the_trees_menu_adds_a_topics_number_to_the_chart_shown() {
    let fixture = Fixture::new();
    let mut harness = rooms_harness(&fixture);
    open_topic(&mut harness, "home", "kitchen");
    step_until(&mut harness, "the kitchen's chart", |h| {
        has_label(h, "Remove temperature")
    });
    harness.get_by_label("bedroom").click_secondary();
    step_until(&mut harness, "the row menu", |h| has_label(h, "Add to chart"));
    harness.get_by_label("Add to chart").click();
    step_until(&mut harness, "the bedroom's numbers", |h| {
        has_label(h, "temperature  (18.5)")
    });
    harness.get_by_label("temperature  (18.5)").click();
    step_until(&mut harness, "the bedroom on the kitchen's chart", |h| {
        legend_value(h, "home/bedroom · temperature").as_deref() == Some("18.5")
    });
    assert!(has_label(&harness, "home/kitchen"), "the kitchen stays shown");
}

#[test]
fn with_nothing_selected_the_trees_menu_charts_the_topic_itself() {
    let fixture = Fixture::new();
    let mut harness = rooms_harness(&fixture);
    step_until(&mut harness, "the tree", |h| has_label(h, "Expand home"));
    harness.get_by_label("Expand home").click();
    step_until(&mut harness, "the bedroom", |h| has_label(h, "bedroom"));
    harness.get_by_label("bedroom").click_secondary();
    step_until(&mut harness, "the row menu", |h| has_label(h, "Add to chart"));
    harness.get_by_label("Add to chart").click();
    step_until(&mut harness, "the bedroom's numbers", |h| {
        has_label(h, "humidity  (40)")
    });
    harness.get_by_label("humidity  (40)").click();
    step_until(&mut harness, "the bedroom's humidity charted", |h| {
        has_label(h, "home/bedroom") && legend_value(h, "humidity").as_deref() == Some("40")
    });
    assert!(!has_label(&harness, "Remove temperature"), "only what was asked for");
}

#[test]
fn a_chart_of_two_topics_exports_a_column_per_series() {
    let fixture = Fixture::new();
    let mut harness = rooms_harness(&fixture);
    open_topic(&mut harness, "home", "kitchen");
    step_until(&mut harness, "the kitchen's chart", |h| {
        has_label(h, "Remove temperature")
    });
    harness.get_by_label("bedroom").click_secondary();
    step_until(&mut harness, "the row menu", |h| has_label(h, "Add to chart"));
    harness.get_by_label("Add to chart").click();
    step_until(&mut harness, "the bedroom's numbers", |h| {
        has_label(h, "temperature  (18.5)")
    });
    harness.get_by_label("temperature  (18.5)").click();
    step_until(&mut harness, "both rooms", |h| has_label(h, "Chart: 6 points"));

    let text = export_csv(&mut harness, &fixture, "rooms.csv", "Exported 6 rows to");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"time_iso8601,epoch_ms,temperature,home/bedroom · temperature")
    );
    let values: Vec<Vec<&str>> = lines.iter().skip(1).map(|l| l.split(',').skip(2).collect()).collect();
    // A row per message, in the order they came: each fills its own topic's column.
    assert_eq!(
        values,
        [
            ["20.5", ""],
            ["", "18"],
            ["21", ""],
            ["", "18.5"],
            ["21.5", ""],
            ["", "18.5"]
        ]
    );
}

#[test]
fn legend_entries_move_to_the_next_row_whole_when_the_row_is_full() {
    let payloads: Vec<String> = [(1026.2, true, 20961), (17.7, false, 20962), (1499.8, true, 20963)]
        .iter()
        .map(|(watts, on, uptime)| format!(r#"{{"power": {{"watts": {watts}, "on": {on}}}, "uptime": {uptime}}}"#))
        .collect();
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("plugs/plug1", &payloads));
    open_topic(&mut harness, "plugs", "plug1");
    step_until(&mut harness, "its chart", |h| has_label(h, "Remove power.watts"));
    for field in ["power.on  (1)", "uptime  (20963)"] {
        harness.get_by_label("Add series").click();
        step_until(&mut harness, "the field list", |h| has_label(h, field));
        harness.get_by_label(field).click();
        step_until(&mut harness, "the menu to close", |h| !has_label(h, field));
    }
    step_until(&mut harness, "three series", |h| has_label(h, "Remove uptime"));
    harness.run_steps(2);
    // Each entry keeps its name, value and button on one line, the last on a row of its own.
    let rows: Vec<f32> = ["power.watts", "power.on (true = 1, false = 0)", "uptime"]
        .iter()
        .map(|name| {
            let label = harness.get_by_label(name).rect();
            let remove = harness
                .get_by_label(&format!("Remove {}", name.split(' ').next().unwrap_or(name)))
                .rect();
            assert!(label.height() < 20.0, "{name} is on one line: {label:?}");
            assert!(
                (remove.center().y - label.center().y).abs() < 4.0,
                "{name}'s button beside it"
            );
            label.center().y
        })
        .collect();
    assert!((rows[0] - rows[1]).abs() < 4.0 && rows[2] > rows[1] + 10.0, "{rows:?}");
    assert_eq!(legend_value(&harness, "uptime").as_deref(), Some("20963"));
}

/// Export the chart as CSV to `file` in the fixture's directory, through the typed path, and
/// read it back once the window says `said` ("Exported 2 rows to").
fn export_csv(harness: &mut Harness<'_, App>, fixture: &Fixture, file: &str, said: &str) -> String {
    harness.get_by_label("Export CSV…").click();
    step_until(harness, "the path prompt", |h| has_label(h, "File path"));
    let target = fixture.config.path().join(file);
    harness
        .get_by_label("File path")
        .type_text(&target.display().to_string());
    harness.step();
    harness.get_by_label("OK").click();
    step_until(harness, "the word that it was exported", |h| {
        has_label_containing(h, said)
    });
    std::fs::read_to_string(&target).expect("exported file")
}
