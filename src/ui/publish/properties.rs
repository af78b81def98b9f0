//! The publish pane's MQTT 5 properties: content type, payload format,
//! response topic, correlation data, message expiry and user properties.

use bytes::Bytes;
use eframe::egui;

use crate::model::Properties;
use crate::model::topic::name_error;
use crate::profiles::messages::StoredProperties;
use crate::ui::connection::parse_user_properties;

/// The properties as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PropertiesForm {
    content_type: String,
    utf8: bool,
    response_topic: String,
    correlation_data: String,
    expiry_secs: u32,
    user_properties: String,
    /// Whether the section was unfolded last frame.
    pub unfolded: bool,
}

impl PropertiesForm {
    /// The properties to send, `None` when none is set, or what is wrong with them.
    pub fn properties(&self) -> Result<Option<Properties>, String> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let response_topic = text(&self.response_topic);
        if let Some(topic) = &response_topic
            && let Some(error) = name_error(topic)
        {
            return Err(format!("Response topic: {error}"));
        }
        let properties = Properties {
            content_type: text(&self.content_type),
            payload_format_indicator: self.utf8.then_some(1),
            response_topic,
            correlation_data: Some(self.correlation_data.as_str())
                .filter(|d| !d.is_empty())
                .map(|d| Bytes::copy_from_slice(d.as_bytes())),
            user_properties: parse_user_properties(&self.user_properties),
            message_expiry_secs: Some(self.expiry_secs).filter(|&s| s > 0),
            subscription_identifiers: Vec::new(),
            topic_alias: None,
        };
        Ok((!properties.is_empty()).then_some(properties))
    }

    /// The form filled from kept properties (empty without), folded as it was.
    pub fn restored(stored: Option<&StoredProperties>, unfolded: bool) -> Self {
        let Some(p) = stored else {
            return Self {
                unfolded,
                ..Self::default()
            };
        };
        Self {
            content_type: p.content_type.clone().unwrap_or_default(),
            utf8: p.utf8,
            response_topic: p.response_topic.clone().unwrap_or_default(),
            correlation_data: p.correlation_data.clone().unwrap_or_default(),
            expiry_secs: p.expiry_secs.unwrap_or(0),
            user_properties: p
                .user_properties
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("\n"),
            unfolded,
        }
    }

    /// The properties typed, to keep with a saved message; `None` when none is set or they
    /// are not valid.
    pub fn stored(&self) -> Option<StoredProperties> {
        self.properties().ok().flatten().and_then(|p| StoredProperties::of(&p))
    }

    /// How many properties are set, for the section's title.
    fn count(&self) -> usize {
        self.properties().ok().flatten().map_or(0, |p| {
            usize::from(p.content_type.is_some())
                + usize::from(p.payload_format_indicator.is_some())
                + usize::from(p.response_topic.is_some())
                + usize::from(p.correlation_data.is_some())
                + usize::from(p.message_expiry_secs.is_some())
                + p.user_properties.len()
        })
    }

    /// The form, folded under a header that says how many are set.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let count = self.count();
        let title = if count == 0 {
            "MQTT 5 properties".to_owned()
        } else {
            format!("MQTT 5 properties ({count} set)")
        };
        let response = egui::CollapsingHeader::new(title)
            .id_salt("publish-properties")
            .show(ui, |ui| {
                egui::Grid::new("publish-properties-grid")
                    .num_columns(2)
                    .spacing([10.0, 4.0])
                    .show(ui, |ui| {
                        let width = 340.0;
                        let field = |ui: &mut egui::Ui, name: &str, value: &mut String, hint: &str| {
                            let label = ui.label(name);
                            ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(width))
                                .labelled_by(label.id);
                            ui.end_row();
                        };
                        field(ui, "Content type", &mut self.content_type, "application/json");
                        field(
                            ui,
                            "Response topic",
                            &mut self.response_topic,
                            "where a reply should go",
                        );
                        field(
                            ui,
                            "Correlation data",
                            &mut self.correlation_data,
                            "text, sent as bytes",
                        );
                        let label = ui.label("Message expiry");
                        ui.horizontal(|ui| {
                            ui.add(egui::DragValue::new(&mut self.expiry_secs).suffix(" s"))
                                .labelled_by(label.id);
                            if self.expiry_secs == 0 {
                                ui.weak("0: never expires");
                            }
                        });
                        ui.end_row();
                        ui.label("");
                        ui.checkbox(&mut self.utf8, "Payload is UTF-8 text (format indicator 1)");
                        ui.end_row();
                        let label = ui.label("User properties");
                        ui.add(
                            egui::TextEdit::multiline(&mut self.user_properties)
                                .desired_rows(2)
                                .hint_text("name=value, one a line")
                                .font(egui::TextStyle::Monospace)
                                .desired_width(width),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
            });
        self.unfolded = response.openness > 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_form_sends_no_properties() {
        assert_eq!(PropertiesForm::default().properties(), Ok(None));
    }

    #[test]
    fn the_form_becomes_properties() {
        let form = PropertiesForm {
            content_type: " application/json ".into(),
            utf8: true,
            response_topic: "lab/reply".into(),
            correlation_data: "req-1".into(),
            expiry_secs: 60,
            user_properties: "a=1\nb=2".into(),
            unfolded: false,
        };
        let p = form.properties().expect("valid").expect("some");
        assert_eq!(p.content_type.as_deref(), Some("application/json"));
        assert_eq!(p.payload_format_indicator, Some(1));
        assert_eq!(p.correlation_data.as_deref(), Some(&b"req-1"[..]));
        assert_eq!(p.message_expiry_secs, Some(60));
        assert_eq!(p.user_properties.len(), 2);
        assert_eq!(form.count(), 7, "five fields and two user properties");
        let bad = PropertiesForm {
            response_topic: "lab/+".into(),
            ..PropertiesForm::default()
        };
        assert!(bad.properties().expect_err("a wildcard").contains("Response topic"));
    }

    #[test]
    fn kept_properties_fill_the_form_again() {
        let form = PropertiesForm {
            content_type: "application/json".into(),
            utf8: true,
            response_topic: "lab/reply".into(),
            correlation_data: "req-1".into(),
            expiry_secs: 60,
            user_properties: "a=1\na=2".into(),
            unfolded: true,
        };
        let stored = form.stored().expect("some");
        assert_eq!(
            stored.user_properties,
            [("a".into(), "1".into()), ("a".into(), "2".into())]
        );
        assert_eq!(PropertiesForm::restored(Some(&stored), true), form);
        assert_eq!(PropertiesForm::default().stored(), None);
        assert_eq!(PropertiesForm::restored(None, false), PropertiesForm::default());
    }
}
