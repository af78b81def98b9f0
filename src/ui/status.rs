//! The status bar: where the connection stands, and how much has arrived.

use std::time::Instant;

use eframe::egui::{self, RichText};

use super::text::plural;
use super::theme;
use crate::model::{ConnectionState, MqttVersion, Session};

/// The status line for a connection's state, and its color.
pub fn state_text(ui: &egui::Ui, state: &ConnectionState, broker: &str, now: Instant) -> (String, egui::Color32) {
    match state {
        ConnectionState::Connecting { attempt: 1 } => (format!("Connecting to {broker}…"), theme::warn_color(ui)),
        ConnectionState::Connecting { attempt } => (
            format!("Connecting to {broker}… (attempt {attempt})"),
            theme::warn_color(ui),
        ),
        ConnectionState::Connected { version, fell_back, .. } => {
            let version = match (version, fell_back) {
                (MqttVersion::V311, true) => "MQTT 3.1.1: the broker does not speak MQTT 5".to_owned(),
                (version, _) => format!("MQTT {}", version.as_str()),
            };
            (format!("Connected to {broker} with {version}"), theme::ok_color(ui))
        }
        ConnectionState::Reconnecting { reason, retry_at, .. } => {
            let secs = retry_at.saturating_duration_since(now).as_secs_f32().ceil() as u64;
            (format!("Reconnecting in {secs} s: {reason}"), theme::warn_color(ui))
        }
        ConnectionState::Failed { reason } => (format!("Not connected: {reason}"), theme::error_color(ui)),
        ConnectionState::Disconnected => (format!("Disconnected from {broker}"), ui.visuals().weak_text_color()),
    }
}

/// Draw the status bar for `session`; `catching_up` while a backlog of events is applied.
pub fn ui(ui: &mut egui::Ui, session: &mut Session, broker: &str, catching_up: bool) {
    let now = Instant::now();
    ui.horizontal(|ui| {
        let (text, color) = state_text(ui, session.state(), broker, now);
        let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
        ui.painter().circle_filled(dot.center(), 4.5, color);
        let rate = session.messages_per_second(now);
        let refused: Vec<&str> = session
            .subscriptions()
            .iter()
            .filter(|s| s.granted.is_err())
            .map(|s| s.filter.as_str())
            .collect();
        // The counts first, from the right; the state takes what is left and is cut to fit, so
        // the two never overlap in a narrow (or zoomed) window.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let dropped = session.dropped_messages();
            let mut counts = format!(
                "{} msg/s   {}   {}",
                crate::payload::text::group_digits(rate),
                plural(u64::from(session.tree.topic_count()), "topic", "topics"),
                plural(session.tree.message_count(), "message", "messages")
            );
            if dropped > 0 {
                counts.push_str(&format!("   {dropped} not stored"));
            }
            ui.label(counts);
            if !refused.is_empty() {
                let text = format!("Refused: {}", refused.join(", "));
                let hover: Vec<String> = session
                    .subscriptions()
                    .iter()
                    .filter_map(|s| s.granted.as_ref().err().map(|why| format!("{}: {why}", s.filter)))
                    .collect();
                ui.label(RichText::new(text).color(theme::error_color(ui)))
                    .on_hover_text(hover.join("\n"));
            }
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.add(egui::Label::new(RichText::new(text).color(color)).truncate());
                if catching_up {
                    ui.spinner();
                    ui.weak("Catching up with the broker…");
                }
            });
        });
    });
}
