//! What the publish pane says about its form: whether the payload is valid (JSON errors shown where they are), and how the last publish ended.

#[allow(clippy::wildcard_imports)]
use super::*;

impl PublishPane {
    /// Says whether the editor's text will make a valid payload.
    pub(super) fn check_ui(&mut self, ui: &mut egui::Ui) {
        if self.file.is_some() {
            return;
        }
        match self.encoding {
            Encoding::Text if looks_like_json(&self.payload) => match json::validate(self.payload.as_bytes()) {
                Ok(()) => {
                    if ui.button("Format JSON").clicked() {
                        let rendered = payload::render(self.payload.as_bytes(), Format::JSON, usize::MAX);
                        self.payload = rendered.text;
                    }
                    ui.label(RichText::new("Valid JSON").color(theme::ok_color(ui)));
                }
                Err(error) if template::has_placeholders(&self.payload) => {
                    // `{{counter}}` is not JSON until it is filled in: check the filled-in text.
                    let filled = template::fill(&self.payload, Values::now(1), template::random_between);
                    if json::validate(filled.as_bytes()).is_ok() {
                        ui.label(RichText::new("Valid JSON with placeholders").color(theme::ok_color(ui)));
                    } else {
                        self.json_error_ui(ui, &error);
                    }
                }
                Err(error) => self.json_error_ui(ui, &error),
            },
            Encoding::Text => {}
            Encoding::Hex | Encoding::Base64 => match self.payload_bytes(1) {
                Ok(bytes) => {
                    ui.weak(format!("{} bytes", bytes.len()));
                }
                Err(error) => {
                    ui.label(RichText::new(error).color(theme::warn_color(ui)));
                }
            },
        }
    }

    pub(super) fn json_error_ui(&self, ui: &mut egui::Ui, error: &json::JsonError) {
        ui.label(
            RichText::new(format!(
                "JSON error at line {}, column {}: {}",
                error.line, error.column, error.message
            ))
            .color(theme::warn_color(ui)),
        );
    }

    pub(super) fn outcome_ui(&self, ui: &mut egui::Ui, session: &Session) {
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(theme::error_color(ui)));
            return;
        }
        if let Some(notice) = &self.notice {
            ui.label(RichText::new(notice).color(theme::ok_color(ui)));
        }
        let Some((id, what)) = &self.last else { return };
        let (text, color) = match id.and_then(|id| session.publish_outcome(id.get())) {
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
