//! The editor of the selected profile: broker, login, TLS, MQTT version and options, last will, subscriptions, and Connect.

#[allow(clippy::wildcard_imports)]
use super::*;
use fields::{last_will_rows, path_row, proxy_rows, subscriptions_ui, v5_rows};

impl ConnectionManager {
    pub(super) fn editor_ui(
        &mut self,
        ui: &mut egui::Ui,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        height: f32,
    ) -> Option<ConnectionSettings> {
        let Some(id) = self.selected.clone() else {
            ui.weak("No profile: press New to add one.");
            return None;
        };
        let index = self.profiles.profiles.iter().position(|p| p.id == id)?;
        let before = self.profiles.profiles[index].clone();
        let mut submit = false;
        let mut browse = None;
        let passwords = &mut self.passwords;
        let profile = &mut self.profiles.profiles[index];
        let scheme = BrokerAddress::parse(&profile.broker).ok().map(|a| a.scheme);

        ui.heading(if profile.name.trim().is_empty() {
            "Connection"
        } else {
            &profile.name
        });
        ui.add_space(6.0);
        // The whole form, Connect at its end, scrolls as one in the height the card has below
        // the heading; a short form leaves the card no taller than itself.
        let used = ui.min_rect().height();
        let mut connect_clicked = false;
        egui::ScrollArea::vertical()
            .id_salt("profile-editor")
            .max_height((height - used).max(200.0))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("connect-form")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        let label = ui.label("Name");
                        ui.add(egui::TextEdit::singleline(&mut profile.name).desired_width(FIELD_WIDTH))
                            .labelled_by(label.id);
                        ui.end_row();

                        let label = ui.label("Broker");
                        let broker = ui
                            .add(
                                egui::TextEdit::singleline(&mut profile.broker)
                                    .hint_text("mqtt://host:1883")
                                    .desired_width(FIELD_WIDTH),
                            )
                            .labelled_by(label.id)
                            .on_hover_text(
                                "mqtt://host:1883 (TCP), mqtts://host:8883 (TLS),\n\
                                 ws://host:9001/mqtt (WebSockets), wss://host/mqtt (WebSockets over TLS)",
                            );
                        submit |= broker.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        ui.end_row();

                        let label = ui.label("Client id");
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(&mut profile.client_id).desired_width(FIELD_WIDTH - 72.0),
                            )
                            .labelled_by(label.id);
                            if ui
                                .button("New id")
                                .on_hover_text("Make a new random client id")
                                .clicked()
                            {
                                profile.client_id = random_client_id();
                            }
                        });
                        ui.end_row();

                        let label = ui.label("User name");
                        ui.add(
                            egui::TextEdit::singleline(&mut profile.username)
                                .hint_text("optional")
                                .desired_width(FIELD_WIDTH),
                        )
                        .labelled_by(label.id);
                        ui.end_row();

                        let label = ui.label("Password");
                        ui.vertical(|ui| {
                            let password = passwords.ui(ui, profile, FIELD_WIDTH, label.id);
                            submit |= password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        });
                        ui.end_row();

                        ui.label("Subscriptions");
                        let v5 = profile.version != VersionChoice::V311;
                        ui.vertical(|ui| subscriptions_ui(ui, &mut profile.subscriptions, v5));
                        ui.end_row();

                        submit |= proxy_rows(ui, profile, passwords);

                        if scheme.is_some_and(|s| s.is_tls()) {
                            ui.label(RichText::new("TLS").strong());
                            ui.weak("Trusts the system's CAs unless a CA file is set");
                            ui.end_row();
                            let tls = &mut profile.tls;
                            browse = browse.or(path_row(
                                ui,
                                "CA file",
                                &mut tls.ca_file,
                                PathField::Ca,
                                "system trust store",
                            ));
                            browse = browse.or(path_row(
                                ui,
                                "Client certificate",
                                &mut tls.client_cert_file,
                                PathField::ClientCert,
                                "none",
                            ));
                            browse = browse.or(path_row(
                                ui,
                                "Client key",
                                &mut tls.client_key_file,
                                PathField::ClientKey,
                                "in the certificate file",
                            ));

                            let label = ui.label("Server name");
                            let mut name = tls.server_name.clone().unwrap_or_default();
                            if ui
                                .add(
                                    egui::TextEdit::singleline(&mut name)
                                        .hint_text("the broker's host")
                                        .desired_width(FIELD_WIDTH),
                                )
                                .labelled_by(label.id)
                                .on_hover_text(
                                    "Send this name to the broker (SNI) and check its certificate for it, \
                                     instead of the host connected to",
                                )
                                .changed()
                            {
                                tls.server_name = Some(name).filter(|n| !n.trim().is_empty());
                            }
                            ui.end_row();

                            let label = ui.label("ALPN");
                            let mut alpn = tls.alpn.join(", ");
                            if ui
                                .add(
                                    egui::TextEdit::singleline(&mut alpn)
                                        .hint_text("none (for example: mqtt)")
                                        .desired_width(FIELD_WIDTH),
                                )
                                .labelled_by(label.id)
                                .changed()
                            {
                                tls.alpn = alpn
                                    .split(',')
                                    .map(|p| p.trim().to_owned())
                                    .filter(|p| !p.is_empty())
                                    .collect();
                            }
                            ui.end_row();

                            ui.label("");
                            let danger = crate::ui::theme::error_color(ui);
                            ui.checkbox(
                                &mut tls.insecure,
                                RichText::new("Don't verify the server's certificate (insecure)").color(danger),
                            )
                            .on_hover_text(
                                "Anyone between this computer and the broker could read and change everything. \
                                 For testing only.",
                            );
                            ui.end_row();
                        }

                        ui.label(RichText::new("Options").strong());
                        ui.label("");
                        ui.end_row();
                        ui.label("MQTT version");
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut profile.version, VersionChoice::Auto, "Auto")
                                .on_hover_text("MQTT 5, or 3.1.1 where the broker does not speak 5");
                            ui.radio_value(&mut profile.version, VersionChoice::V5, "5");
                            ui.radio_value(&mut profile.version, VersionChoice::V311, "3.1.1");
                        });
                        ui.end_row();
                        if profile.version != VersionChoice::V311 {
                            // Folded until asked for (or set), so Connect stays near.
                            let id = ui.scope_id().with("mqtt-5-options");
                            let set = profile.v5 != V5Options::default();
                            let mut open = ui.data(|d| d.get_temp(id)).unwrap_or(set);
                            ui.label("");
                            let text = if open {
                                "Fewer MQTT 5 options"
                            } else {
                                "More MQTT 5 options…"
                            };
                            if ui
                                .button(text)
                                .on_hover_text("Session expiry, receive maximum, packet size, user properties")
                                .clicked()
                            {
                                open = !open;
                            }
                            ui.end_row();
                            ui.data_mut(|d| d.insert_temp(id, open));
                            if open {
                                v5_rows(ui, &mut profile.v5);
                            }
                        }
                        let label = ui.label("Keep-alive");
                        ui.add(
                            egui::DragValue::new(&mut profile.keep_alive_secs)
                                .range(5..=65535)
                                .suffix(" s"),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Connect timeout");
                        ui.add(
                            egui::DragValue::new(&mut profile.connect_timeout_secs)
                                .range(1..=300)
                                .suffix(" s"),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        ui.label("");
                        ui.checkbox(&mut profile.clean_session, "Clean session").on_hover_text(
                            "Start afresh each time: the broker forgets this client id's earlier \
                                 subscriptions and queued messages",
                        );
                        ui.end_row();
                        ui.label("");
                        ui.checkbox(&mut profile.connect_on_start, "Connect when mqscope starts");
                        ui.end_row();
                        last_will_rows(ui, &mut profile.last_will);
                    });
                ui.add_space(8.0);
                let reading = self.connect_when_read.as_deref() == Some(id.as_str());
                connect_clicked = connect_row_ui(ui, self.error.as_deref(), &mut self.revealed_error, reading);
            });
        submit |= connect_clicked;
        if *profile != before {
            self.changed = true;
            if profile.connect_on_start && !before.connect_on_start {
                // One profile connects at start.
                let keep = profile.id.clone();
                for other in &mut self.profiles.profiles {
                    other.connect_on_start = other.id == keep;
                }
            }
        }
        if let Some(field) = browse {
            let (title, filters): (&str, &[(&str, &[&str])]) = match field {
                PathField::Ca => ("Choose the CA certificate", &[("Certificates", &["pem", "crt", "cer"])]),
                PathField::ClientCert => (
                    "Choose the client certificate",
                    &[("Certificates", &["pem", "crt", "cer"])],
                ),
                PathField::ClientKey => ("Choose the client key", &[("Keys", &["pem", "key"])]),
            };
            let request = Request {
                title,
                filters,
                file_name: "",
            };
            self.browsing = Some((field, Pending::open(ui.ctx(), dialogs, runtime, &request)));
        }

        if !submit {
            return None;
        }
        if self.wait_for_keyring(&id) {
            return None;
        }
        match self.settings_for(&id, None) {
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
}

/// The end of the form: Connect, a wait for the keyring while `reading` the password, and why
/// the last attempt failed, scrolled into view when it is new. Returns whether Connect was
/// clicked.
fn connect_row_ui(ui: &mut egui::Ui, error: Option<&str>, revealed: &mut Option<String>, reading: bool) -> bool {
    let clicked = ui
        .horizontal(|ui| {
            let connect = egui::Button::new(RichText::new("Connect").strong().color(egui::Color32::WHITE))
                .fill(crate::ui::theme::primary_fill(ui))
                .min_size(egui::vec2(120.0, 28.0));
            let clicked = ui.add(connect).clicked();
            ui.weak("Changes are saved as you type");
            clicked
        })
        .inner;
    if reading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Reading the password from the OS keyring…");
        });
    }
    if let Some(error) = error {
        let label = ui.label(RichText::new(error).color(crate::ui::theme::error_color(ui)));
        if revealed.as_deref() != Some(error) {
            label.scroll_to_me(Some(egui::Align::Max));
            *revealed = Some(error.to_owned());
        }
    }
    clicked
}
