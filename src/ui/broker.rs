//! The broker's own statistics, from its `$SYS` topics, in words: version,
//! uptime, clients, message and byte rates, subscriptions, retained messages;
//! and the message and byte rates charted from the load topics' kept history.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use eframe::egui::{self, RichText};
use egui_plot::{HoverPosition, Line, Plot, PlotPoint, PlotPoints, Points};

use crate::model::{ConnectionState, Session};
use crate::payload::{numbers, text};
use crate::ui::theme;

/// The load topics charted: (chart, received topic, sent topic). Mosquitto publishes each
/// as a count per minute, averaged over the last minute.
const LOAD: [(Rate, &str, &str); 2] = [
    (
        Rate::Messages,
        "$SYS/broker/load/messages/received/1min",
        "$SYS/broker/load/messages/sent/1min",
    ),
    (
        Rate::Bytes,
        "$SYS/broker/load/bytes/received/1min",
        "$SYS/broker/load/bytes/sent/1min",
    ),
];

/// What a rate chart counts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rate {
    Messages,
    Bytes,
}

/// The `$SYS` topics shown, with their names in words (Mosquitto's; most brokers that publish
/// `$SYS` follow them).
const ROWS: [(&str, &str); 16] = [
    ("Version", "$SYS/broker/version"),
    ("Uptime", "$SYS/broker/uptime"),
    ("Clients connected", "$SYS/broker/clients/connected"),
    ("Clients known (incl. offline)", "$SYS/broker/clients/total"),
    ("Most clients at once", "$SYS/broker/clients/maximum"),
    ("Messages in / min", "$SYS/broker/load/messages/received/1min"),
    ("Messages out / min", "$SYS/broker/load/messages/sent/1min"),
    ("Bytes in / min", "$SYS/broker/load/bytes/received/1min"),
    ("Bytes out / min", "$SYS/broker/load/bytes/sent/1min"),
    ("Messages received", "$SYS/broker/messages/received"),
    ("Messages sent", "$SYS/broker/messages/sent"),
    ("Subscriptions", "$SYS/broker/subscriptions/count"),
    ("Retained messages", "$SYS/broker/retained messages/count"),
    ("Messages stored", "$SYS/broker/store/messages/count"),
    ("Heap in use", "$SYS/broker/heap/current"),
    ("Heap at most", "$SYS/broker/heap/maximum"),
];

/// How long a connection waits for a first `$SYS` message before saying the broker publishes
/// none: Mosquitto's default `sys_interval` (10 s) and a margin.
pub const SYS_GRACE: Duration = Duration::from_secs(15);

/// Draw the statistics the broker published; says so when it published none.
pub fn ui(ui: &mut egui::Ui, session: &Session) {
    let tree = &session.tree;
    let values: Vec<(&str, String)> = ROWS
        .iter()
        .filter_map(|(label, topic)| {
            let message = tree.latest_of(topic)?;
            Some((*label, describe(topic, &message.payload)))
        })
        .collect();
    if values.is_empty() {
        let now = SystemTime::now();
        ui.weak(absent(session, now));
        if let Some(left) = connected_since(session).and_then(|since| (since + SYS_GRACE).duration_since(now).ok()) {
            // Say "publishes none" when the wait is over, even if nothing else draws a frame.
            ui.ctx().request_repaint_after(left);
        }
        return;
    }
    egui::Grid::new("broker-stats")
        .num_columns(2)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for (label, value) in values {
                ui.label(label);
                ui.label(RichText::new(value).monospace());
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.weak("From the broker's $SYS topics; they update as the broker publishes them.");
    ui.separator();
    rates_ui(ui, session);
}

/// When the connection came up, while it is up.
fn connected_since(session: &Session) -> Option<SystemTime> {
    match session.state() {
        ConnectionState::Connected { since, .. } => Some(*since),
        _ => None,
    }
}

/// Why there are no statistics to show, as precisely as the subscriptions, the `$SYS` topics
/// seen and the time connected (at `now`) tell.
fn absent(session: &Session, now: SystemTime) -> String {
    let sys: Vec<_> = session
        .subscriptions()
        .iter()
        .filter(|s| s.filter.starts_with("$SYS"))
        .collect();
    if sys.is_empty() {
        return "No $SYS statistics: this connection does not subscribe to $SYS/# \
                (add it to the profile's subscriptions to see them)."
            .to_owned();
    }
    if let Some(refused) = sys.iter().find_map(|s| s.granted.as_ref().err()) {
        return format!("The broker refused the $SYS subscription: {refused}.");
    }
    if session.tree.find("$SYS").is_some() {
        return "This broker publishes $SYS topics, but none of the statistics shown here (they \
                are Mosquitto's names): see its own in the topic tree under $SYS."
            .to_owned();
    }
    let waited = connected_since(session).and_then(|since| now.duration_since(since).ok());
    if waited.is_some_and(|waited| waited >= SYS_GRACE) {
        return format!(
            "This broker publishes no $SYS statistics: none arrived in the {} s since connecting.",
            SYS_GRACE.as_secs()
        );
    }
    "No $SYS statistics yet. Mosquitto publishes them every sys_interval (10 s by default).".to_owned()
}

/// Seconds since 1970, as the time axis counts.
fn seconds(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// The kept values of a load topic, per second (the broker publishes them per minute).
fn per_second(session: &Session, topic: &str) -> Vec<PlotPoint> {
    let Some(history) = session.tree.find(topic).and_then(|id| session.history.topic(id)) else {
        return Vec::new();
    };
    history
        .entries()
        .iter()
        .filter_map(|entry| {
            let per_minute = numbers::as_number(&entry.message.payload)?;
            Some(PlotPoint::new(seconds(entry.message.received_at), per_minute / 60.0))
        })
        .collect()
}

/// Messages and bytes per second, in and out, over the time the load topics were kept.
fn rates_ui(ui: &mut egui::Ui, session: &Session) {
    let charts: Vec<(Rate, Vec<PlotPoint>, Vec<PlotPoint>)> = LOAD
        .iter()
        .map(|(rate, received, sent)| (*rate, per_second(session, received), per_second(session, sent)))
        .filter(|(_, received, sent)| !received.is_empty() || !sent.is_empty())
        .collect();
    if charts.is_empty() {
        ui.weak("The broker publishes no load figures ($SYS/broker/load/…), so there are no rates to chart.");
        return;
    }
    for (rate, received, sent) in charts {
        let title = match rate {
            Rate::Messages => "Messages per second",
            Rate::Bytes => "Bytes per second",
        };
        ui.horizontal(|ui| {
            ui.strong(title);
            ui.weak("1-minute average,");
            // The key of the lines, beside the title rather than over them.
            ui.label(RichText::new("in").color(theme::series_color(ui, 0)).strong());
            ui.weak("and");
            ui.label(RichText::new("out").color(theme::series_color(ui, 1)).strong());
        });
        let (in_color, out_color) = (theme::series_color(ui, 0), theme::series_color(ui, 1));
        Plot::new(("broker-rates", title))
            .height(110.0)
            .width(380.0)
            .allow_scroll(false)
            .include_y(0.0)
            .y_axis_min_width(52.0)
            .y_grid_spacer(super::chart::plot::nice_marks)
            .y_axis_formatter(move |mark, _range| match rate {
                Rate::Bytes => text::human_bytes(mark.value.max(0.0) as u64),
                Rate::Messages => {
                    let decimals = (-mark.step_size.log10().floor()).clamp(0.0, 3.0) as usize;
                    format!("{:.*}", decimals, mark.value)
                }
            })
            .x_axis_formatter(|mark, _range| {
                chrono::DateTime::from_timestamp_millis((mark.value * 1000.0).round() as i64)
                    .map(|t| t.with_timezone(&chrono::Local).format("%H:%M:%S").to_string())
                    .unwrap_or_default()
            })
            .label_formatter(move |hover| {
                let HoverPosition::NearDataPoint {
                    plot_name, position, ..
                } = hover
                else {
                    return None;
                };
                let time = chrono::DateTime::from_timestamp_millis((position.x * 1000.0) as i64)
                    .map(|t| t.with_timezone(&chrono::Local).format("%H:%M:%S").to_string())
                    .unwrap_or_default();
                let value = match rate {
                    Rate::Bytes => format!("{}/s", text::human_bytes(position.y.max(0.0) as u64)),
                    Rate::Messages => format!("{:.2}/s", position.y),
                };
                Some(format!("{plot_name} at {time}\n{value}"))
            })
            .show(ui, |plot| {
                for (name, points, color) in [("In", &received, in_color), ("Out", &sent, out_color)] {
                    plot.line(Line::new(name, PlotPoints::Borrowed(points)).color(color));
                    // Few points (the broker publishes every 10 s by default): mark each.
                    if points.len() <= 120 {
                        plot.points(Points::new(name, PlotPoints::Borrowed(points)).radius(2.0).color(color));
                    }
                }
            });
    }
}

/// A `$SYS` value in words: uptime in days and hours, byte counts in KiB/MiB, big numbers grouped.
fn describe(topic: &str, payload: &[u8]) -> String {
    let raw = String::from_utf8_lossy(payload).trim().to_owned();
    if topic.ends_with("/uptime") {
        let secs: Option<u64> = raw.split_whitespace().next().and_then(|n| n.parse().ok());
        return secs.map_or(raw, uptime);
    }
    let number: Option<f64> = raw.parse().ok();
    match number {
        Some(n) if topic.contains("/heap/") || (topic.contains("/bytes/") && !topic.contains("/load/")) => {
            text::human_bytes(n as u64)
        }
        Some(n) if topic.contains("/load/bytes/") => format!("{}/min", text::human_bytes(n as u64)),
        Some(n) if n.fract() == 0.0 && n >= 0.0 => text::group_digits(n as u64),
        Some(n) => format!("{n:.1}"),
        None => raw,
    }
}

/// Seconds as days, hours, minutes.
fn uptime(secs: u64) -> String {
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min {} s", secs % 60),
        (0, _) => format!("{hours} h {minutes} min"),
        _ => format!("{days} d {hours} h {minutes} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_words() {
        assert_eq!(describe("$SYS/broker/uptime", b"93784 seconds"), "1 d 2 h 3 min");
        assert_eq!(describe("$SYS/broker/uptime", b"75 seconds"), "1 min 15 s");
        assert_eq!(describe("$SYS/broker/heap/current", b"52264"), "51.0 KiB");
        assert_eq!(
            describe("$SYS/broker/load/bytes/received/1min", b"2048.5"),
            "2.0 KiB/min"
        );
        assert_eq!(describe("$SYS/broker/messages/received", b"1234567"), "1,234,567");
        assert_eq!(describe("$SYS/broker/load/messages/received/1min", b"12.34"), "12.3");
        assert_eq!(
            describe("$SYS/broker/version", b"mosquitto version 2.0.11"),
            "mosquitto version 2.0.11"
        );
    }
}
