//! The connect form: broker address, client id, login, and subscriptions.

use eframe::egui::{self, RichText};

use crate::model::topic::filter_error;
use crate::model::{Qos, Subscription};
use crate::mqtt::settings::{BrokerAddress, ConnectionSettings, random_client_id};

/// What the form holds while the user edits it.
#[derive(Clone, Debug)]
pub struct ConnectForm {
    /// Broker address as typed.
    pub broker: String,
    /// Client id as typed.
    pub client_id: String,
    /// User name as typed (empty: none).
    pub username: String,
    /// Password as typed (empty: none).
    pub password: String,
    /// Subscriptions: filter and QoS.
    pub subscriptions: Vec<Subscription>,
    error: Option<String>,
}

impl Default for ConnectForm {
    fn default() -> Self {
        Self {
            broker: "localhost:1883".to_owned(),
            client_id: random_client_id(),
            username: String::new(),
            password: String::new(),
            subscriptions: Subscription::defaults(),
            error: None,
        }
    }
}

impl ConnectForm {
    /// A form showing `settings`, to edit them.
    pub fn from_settings(settings: &ConnectionSettings) -> Self {
        Self {
            broker: settings.address.to_string(),
            client_id: settings.client_id.clone(),
            username: settings.username.clone().unwrap_or_default(),
            password: settings.password.clone().unwrap_or_default(),
            subscriptions: settings.subscriptions.clone(),
            error: None,
        }
    }

    /// The settings the form describes, or what is wrong with them.
    pub fn settings(&self) -> Result<ConnectionSettings, String> {
        let address = BrokerAddress::parse(&self.broker).map_err(|e| e.to_string())?;
        let mut settings = ConnectionSettings::new(address);
        let client_id = self.client_id.trim();
        if client_id.is_empty() {
            return Err("Enter a client id, or press New to make one".to_owned());
        }
        client_id.clone_into(&mut settings.client_id);
        settings.username = Some(self.username.clone()).filter(|u| !u.is_empty());
        settings.password = Some(self.password.clone()).filter(|p| !p.is_empty());
        if settings.password.is_some() && settings.username.is_none() {
            return Err("A password needs a user name (MQTT 3.1.1)".to_owned());
        }
        settings.subscriptions = self
            .subscriptions
            .iter()
            .filter(|s| !s.filter.trim().is_empty())
            .cloned()
            .collect();
        if let Some(bad) = settings.subscriptions.iter().find_map(|s| filter_error(&s.filter)) {
            return Err(bad);
        }
        if settings.subscriptions.is_empty() {
            return Err("Add at least one subscription, such as #".to_owned());
        }
        Ok(settings)
    }

    /// Draw the form. Returns settings when the user asks to connect and they are valid.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<ConnectionSettings> {
        let mut submit = false;
        ui.heading("Connect to a broker");
        ui.add_space(8.0);
        egui::Grid::new("connect-form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Broker");
                let broker = ui.add(
                    egui::TextEdit::singleline(&mut self.broker)
                        .hint_text("mqtt://host:1883")
                        .desired_width(320.0),
                );
                let broker = broker.labelled_by(label.id);
                submit |= broker.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.end_row();

                let label = ui.label("Client id");
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.client_id).desired_width(250.0))
                        .labelled_by(label.id);
                    if ui.button("New").on_hover_text("Make a new random client id").clicked() {
                        self.client_id = random_client_id();
                    }
                });
                ui.end_row();

                let label = ui.label("User name");
                ui.add(
                    egui::TextEdit::singleline(&mut self.username)
                        .hint_text("optional")
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Password");
                let password = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.password)
                            .password(true)
                            .hint_text("optional")
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id);
                submit |= password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.end_row();

                ui.label("Subscriptions");
                ui.vertical(|ui| self.subscriptions_ui(ui));
                ui.end_row();
            });
        ui.add_space(8.0);
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
        }
        let connect = egui::Button::new(RichText::new("Connect").strong().color(egui::Color32::WHITE))
            .fill(ui.visuals().selection.bg_fill)
            .min_size(egui::vec2(120.0, 28.0));
        if ui.add(connect).clicked() {
            submit = true;
        }
        if !submit {
            return None;
        }
        match self.settings() {
            Ok(settings) => {
                self.error = None;
                Some(settings)
            }
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }

    fn subscriptions_ui(&mut self, ui: &mut egui::Ui) {
        let mut remove = None;
        for (i, subscription) in self.subscriptions.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut subscription.filter)
                        .desired_width(220.0)
                        .hint_text("topic filter"),
                )
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Subscription {}", i + 1))
                });
                let combo = egui::ComboBox::from_id_salt(("subscription-qos", i))
                    .width(60.0)
                    .selected_text(format!("QoS {}", subscription.qos))
                    .show_ui(ui, |ui| {
                        for qos in Qos::ALL {
                            ui.selectable_value(&mut subscription.qos, qos, format!("QoS {qos}"));
                        }
                    });
                combo.response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("QoS of subscription {}", i + 1))
                });
                if ui.small_button("×").on_hover_text("Remove this subscription").clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.subscriptions.remove(i);
        }
        if ui.button("Add subscription").clicked() {
            self.subscriptions.push(Subscription::new(""));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_form_is_valid_and_subscribes_to_everything() {
        let settings = ConnectForm::default().settings().expect("valid");
        assert_eq!(settings.address.port, 1883);
        let filters: Vec<&str> = settings.subscriptions.iter().map(|s| s.filter.as_str()).collect();
        assert_eq!(filters, ["#", "$SYS/#"]);
    }

    #[test]
    fn explains_what_is_wrong() {
        let mut form = ConnectForm {
            broker: "host:70000".into(),
            ..ConnectForm::default()
        };
        assert!(form.settings().is_err());
        form.broker = "host".into();
        form.subscriptions = vec![Subscription::new("a/#/b")];
        assert!(form.settings().expect_err("a misplaced #").contains("last"));
        form.subscriptions = vec![Subscription::new("   ")];
        assert!(form.settings().is_err());
    }
}
