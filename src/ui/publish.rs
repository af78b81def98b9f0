//! The publish pane: inject a message as if a device had sent it.

use bytes::Bytes;
use eframe::egui::{self, Key, Modifiers, RichText};

use super::theme;
use crate::model::{NodeId, PublishOutcome, Qos, Session, topic};
use crate::mqtt::PublishRequest;
use crate::payload::{self, Format, json};

/// What the publish pane holds between frames.
#[derive(Debug)]
pub struct PublishPane {
    /// Whether the pane is shown.
    pub open: bool,
    topic: String,
    /// When pinned, the topic no longer follows the selected topic.
    pinned: bool,
    followed: Option<NodeId>,
    payload: String,
    qos: Qos,
    retain: bool,
    next_id: u64,
    /// The last request sent: its id and a short description.
    last: Option<(u64, String)>,
    error: Option<String>,
}

impl Default for PublishPane {
    fn default() -> Self {
        Self {
            open: false,
            topic: String::new(),
            pinned: false,
            followed: None,
            payload: String::new(),
            qos: Qos::AtMostOnce,
            retain: false,
            next_id: 1,
            last: None,
            error: None,
        }
    }
}

/// Whether the text looks meant as JSON (so it is checked as JSON).
fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{' | '['))
}

impl PublishPane {
    /// The request the form describes, or what is wrong with it.
    fn request(&mut self) -> Result<PublishRequest, String> {
        if let Some(error) = topic::name_error(&self.topic) {
            return Err(error);
        }
        let id = self.next_id;
        self.next_id += 1;
        Ok(PublishRequest {
            id,
            topic: self.topic.clone(),
            payload: Bytes::from(self.payload.clone().into_bytes()),
            qos: self.qos,
            retain: self.retain,
        })
    }

    /// Draw the pane. Returns a request when the user publishes (button or Ctrl+Enter)
    /// and the form is valid; `connected` says whether it can be sent now.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        selected: Option<NodeId>,
        connected: bool,
    ) -> Option<PublishRequest> {
        // Ctrl+Enter publishes from anywhere in the pane, before the editor can take the Enter.
        let mut submit = ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter));
        if !self.pinned && selected != self.followed {
            self.followed = selected;
            if let Some(id) = selected {
                self.topic = session.tree.topic(id);
            }
        }

        ui.horizontal(|ui| {
            ui.heading("Publish a message");
            ui.weak("Ctrl+Enter sends");
        });
        egui::Grid::new("publish-form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Topic");
                ui.horizontal(|ui| {
                    let width = (ui.available_width() - 70.0).max(120.0);
                    ui.add(
                        egui::TextEdit::singleline(&mut self.topic)
                            .hint_text("home/kitchen/light/set")
                            .font(egui::TextStyle::Monospace)
                            .desired_width(width),
                    )
                    .labelled_by(label.id);
                    ui.checkbox(&mut self.pinned, "Pin")
                        .on_hover_text("Keep this topic when another topic is selected");
                });
                ui.end_row();

                ui.label("Options");
                ui.horizontal(|ui| {
                    for qos in Qos::ALL {
                        ui.radio_value(&mut self.qos, qos, format!("QoS {qos}"));
                    }
                    ui.checkbox(&mut self.retain, "Retain");
                });
                ui.end_row();
            });

        let label = ui.label("Payload");
        let rows = ((ui.available_height() - 70.0) / 16.0).clamp(2.0, 20.0) as usize;
        ui.add(
            egui::TextEdit::multiline(&mut self.payload)
                .code_editor()
                .hint_text("{\"state\": \"ON\"}")
                .desired_rows(rows)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);

        ui.horizontal(|ui| {
            let send = egui::Button::new(RichText::new("Send").strong().color(egui::Color32::WHITE))
                .fill(ui.visuals().selection.bg_fill);
            if ui.add(send).clicked() {
                submit = true;
            }
            if looks_like_json(&self.payload) {
                match json::validate(self.payload.as_bytes()) {
                    Ok(()) => {
                        if ui.button("Format JSON").clicked() {
                            let rendered = payload::render(self.payload.as_bytes(), Format::Json, usize::MAX);
                            self.payload = rendered.text;
                        }
                        ui.label(RichText::new("Valid JSON").color(theme::ok_color(ui)));
                    }
                    Err(error) => {
                        ui.label(
                            RichText::new(format!(
                                "JSON error at line {}, column {}: {}",
                                error.line, error.column, error.message
                            ))
                            .color(theme::warn_color(ui)),
                        );
                    }
                }
            }
        });

        self.outcome_ui(ui, session);

        if !submit {
            return None;
        }
        if !connected {
            self.error = Some("Not connected: connect to a broker to publish".to_owned());
            return None;
        }
        match self.request() {
            Ok(request) => {
                self.error = None;
                let what = format!(
                    "{} bytes to {} at QoS {}{}",
                    request.payload.len(),
                    request.topic,
                    request.qos,
                    if request.retain { ", retained" } else { "" }
                );
                self.last = Some((request.id, what));
                Some(request)
            }
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }

    fn outcome_ui(&self, ui: &mut egui::Ui, session: &Session) {
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(theme::error_color(ui)));
            return;
        }
        let Some((id, what)) = &self.last else { return };
        let (text, color) = match session.publish_outcome(*id) {
            None => (format!("Sending {what}…"), ui.visuals().weak_text_color()),
            Some(PublishOutcome::Sent) => (format!("Sent {what}"), theme::ok_color(ui)),
            Some(PublishOutcome::Acknowledged { packet }) => (
                format!("Sent {what}: the broker acknowledged it ({packet})"),
                theme::ok_color(ui),
            ),
            Some(PublishOutcome::Failed(why)) => (format!("Not sent: {why}"), theme::error_color(ui)),
        };
        ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_topic_is_refused_with_a_reason() {
        let mut pane = PublishPane {
            topic: "home/+/set".into(),
            ..PublishPane::default()
        };
        assert!(pane.request().expect_err("wildcard").contains("wildcards"));
        pane.topic = "home/lamp/set".into();
        pane.payload = "ON".into();
        let request = pane.request().expect("valid");
        assert_eq!(request.payload, Bytes::from_static(b"ON"));
        assert_ne!(
            pane.request().expect("valid").id,
            request.id,
            "each request has its own id"
        );
    }
}
