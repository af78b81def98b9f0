//! The broker's own statistics, from its `$SYS` topics, in words: version,
//! uptime, clients, message and byte rates, subscriptions, retained messages.

use eframe::egui::{self, RichText};

use crate::model::Session;
use crate::payload::text;

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
        ui.weak(
            "This broker has published no $SYS statistics: it may not publish them, \
             its rules may hide them, or $SYS/# is not among the subscriptions.",
        );
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
