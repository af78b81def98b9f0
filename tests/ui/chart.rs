//! The chart of a topic's numbers: series, pause and clear, export.

use eframe::egui::{self};
use egui_kittest::kittest::Queryable as _;

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
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(&live("lab/temp", &["20", "21 °C", "ON"]));
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
