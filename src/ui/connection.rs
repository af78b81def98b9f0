//! The connection manager: saved profiles on the left (new, duplicate,
//! delete, import, export), the selected one's settings on the right, edited
//! in place and saved as they change, and Connect.

mod passwords;
mod transfer;

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::dialogs::{Dialogs, Pending, Picked, Request};
use crate::model::{Qos, Subscription};
use crate::mqtt::settings::{BrokerAddress, ConnectionSettings, LastWill, MqttVersion, V5Options, random_client_id};
use crate::profiles::profile::{PasswordStorage, Profile, ProfilesFile};
use crate::profiles::secrets::Keyring;
use passwords::{Event, Passwords};
use transfer::{ToExport, Transfer};

/// Width of the profile list, in points.
const LIST_WIDTH: f32 = 190.0;
/// Width of the editor's fields, in points.
const FIELD_WIDTH: f32 = 330.0;

/// Which path field a file dialog fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PathField {
    Ca,
    ClientCert,
    ClientKey,
}

/// The saved profiles and the editor for one of them.
pub struct ConnectionManager {
    /// Every profile, as kept in `profiles.json`.
    pub profiles: ProfilesFile,
    selected: Option<String>,
    /// Passwords typed for this run, or kept in the OS keyring.
    passwords: Passwords,
    /// A profile to connect with once its password is read from the keyring.
    connect_when_read: Option<String>,
    changed: bool,
    error: Option<String>,
    confirm_delete: Option<String>,
    browsing: Option<(PathField, Pending)>,
    transfer: Transfer,
}

impl ConnectionManager {
    /// A manager over `profiles`, with the last used one selected (a first profile is made
    /// when there is none); passwords are kept in `keyring` where profiles ask for it.
    pub fn new(mut profiles: ProfilesFile, keyring: Keyring) -> Self {
        if profiles.profiles.is_empty() {
            profiles.profiles.push(Profile::default());
        }
        let selected = profiles
            .last_used
            .clone()
            .filter(|id| profiles.get(id).is_some())
            .or_else(|| profiles.profiles.first().map(|p| p.id.clone()));
        Self {
            profiles,
            selected,
            passwords: Passwords::new(keyring),
            connect_when_read: None,
            changed: false,
            error: None,
            confirm_delete: None,
            browsing: None,
            transfer: Transfer::default(),
        }
    }

    /// Whether the profiles changed since the last call (and should be saved).
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// The selected profile.
    pub fn selected(&self) -> Option<&Profile> {
        self.selected.as_deref().and_then(|id| self.profiles.get(id))
    }

    /// Select the profile with `id`.
    pub fn select(&mut self, id: &str) {
        if self.profiles.get(id).is_some() {
            self.selected = Some(id.to_owned());
            self.error = None;
        }
    }

    /// Whether the OS keyring can be used.
    pub fn keyring_available(&self) -> bool {
        self.passwords.keyring_available()
    }

    /// Whether connecting with profile `id` has to wait for its password from the OS keyring;
    /// if so, [`ConnectionManager::poll`] hands out its settings once the password is read.
    pub fn wait_for_keyring(&mut self, id: &str) -> bool {
        let Some(profile) = self.profiles.get(id) else {
            return false;
        };
        if self.passwords.is_reading(profile) {
            self.connect_when_read = Some(id.to_owned());
            true
        } else {
            false
        }
    }

    /// Handle the keyring's answers. Returns the profile that waited for its password from the
    /// keyring, with the settings to connect (or why it cannot).
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<(String, Result<ConnectionSettings, String>)> {
        let mut ready = None;
        for event in self.passwords.poll(ctx) {
            match event {
                Event::Ready(id) => {
                    if self.connect_when_read.as_deref() == Some(id.as_str()) {
                        self.connect_when_read = None;
                        ready = Some(id);
                    }
                }
                Event::Failed(error) => self.error = Some(error),
            }
        }
        let id = ready?;
        let settings = self.settings_for(&id, None);
        if let Err(error) = &settings {
            self.error = Some(error.clone());
        }
        Some((id, settings))
    }

    /// Whether a connection waits for a password from the keyring.
    pub fn is_waiting_for_keyring(&self) -> bool {
        self.connect_when_read.is_some()
    }

    /// The settings to connect with the profile `id`, with `password` for a profile that keeps
    /// none in its file; records it as the last used.
    pub fn settings_for(&mut self, id: &str, password: Option<&str>) -> Result<ConnectionSettings, String> {
        self.passwords.write_now(id);
        let profile = self.profiles.get(id).ok_or("That profile no longer exists")?;
        if password.is_none()
            && let Some(reason) = self.passwords.missing(profile)
        {
            return Err(format!(
                "The password of this profile is kept in the OS keyring, which could not be read \
                 ({reason}): type it in the Password field (or give it with --password)"
            ));
        }
        let kept = self.passwords.get(id);
        let typed = password.or(kept);
        let settings = profile.settings(typed)?;
        if self.profiles.last_used.as_deref() != Some(id) {
            self.profiles.last_used = Some(id.to_owned());
            self.changed = true;
        }
        Ok(settings)
    }

    /// Draw the manager. Returns settings when the user asks to connect and they are valid.
    /// `height` is the height to fill, in points.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        height: f32,
    ) -> Option<ConnectionSettings> {
        self.poll_dialogs(ui.ctx(), runtime);
        let mut connect = None;
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(LIST_WIDTH);
                ui.set_min_height(height);
                self.list_ui(ui, dialogs, runtime, height);
            });
            ui.separator();
            ui.vertical(|ui| {
                ui.set_width(FIELD_WIDTH + 140.0);
                connect = self.editor_ui(ui, dialogs, runtime, height);
            });
        });
        self.delete_modal(ui.ctx());
        connect
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, dialogs: &Dialogs, runtime: &tokio::runtime::Handle, height: f32) {
        ui.heading("Connections");
        ui.add_space(6.0);
        let row_height = 40.0;
        egui::ScrollArea::vertical()
            .id_salt("profiles")
            .max_height((height - 150.0).max(row_height * 3.0))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                let mut pick = None;
                for profile in &self.profiles.profiles {
                    let selected = self.selected.as_deref() == Some(profile.id.as_str());
                    if profile_row(ui, profile, selected, row_height).clicked() {
                        pick = Some(profile.id.clone());
                    }
                }
                if let Some(id) = pick {
                    self.select(&id);
                }
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("New").on_hover_text("Add a connection profile").clicked() {
                let profile = Profile {
                    name: self.profiles.unique_name("New connection"),
                    password_storage: if self.passwords.keyring_available() {
                        PasswordStorage::Keyring
                    } else {
                        PasswordStorage::Ask
                    },
                    ..Profile::default()
                };
                self.selected = Some(profile.id.clone());
                self.profiles.profiles.push(profile);
                self.changed = true;
            }
            let has_selection = self.selected().is_some();
            if ui
                .add_enabled(has_selection, egui::Button::new("Duplicate"))
                .on_hover_text("Copy this profile under a new name")
                .clicked()
                && let Some(original) = self.selected().cloned()
            {
                let copy = Profile {
                    id: crate::profiles::profile::new_id(),
                    name: self.profiles.unique_name(&format!("{} (copy)", original.name)),
                    client_id: random_client_id(),
                    connect_on_start: false,
                    ..original.clone()
                };
                self.passwords.copy(&original, &copy);
                self.selected = Some(copy.id.clone());
                self.profiles.profiles.push(copy);
                self.changed = true;
            }
            if ui
                .add_enabled(has_selection, egui::Button::new("Delete…"))
                .on_hover_text("Delete this profile")
                .clicked()
            {
                self.confirm_delete = self.selected.clone();
            }
        });
        let passwords = &self.passwords;
        let profiles = &self.profiles.profiles;
        self.transfer.ui(ui, dialogs, runtime, |with_passwords| {
            let mut profiles = profiles.clone();
            let unknown = if with_passwords {
                passwords.fill_in(&mut profiles)
            } else {
                Vec::new()
            };
            ToExport { profiles, unknown }
        });
    }

    fn editor_ui(
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
        egui::ScrollArea::vertical()
            .id_salt("profile-editor")
            .max_height((height - 110.0).max(200.0))
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
                        ui.vertical(|ui| subscriptions_ui(ui, &mut profile.subscriptions));
                        ui.end_row();

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
                                .on_hover_text("Check the certificate for this name instead of the host connected to")
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
                            let danger = ui.visuals().error_fg_color;
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
                            ui.radio_value(&mut profile.version, MqttVersion::V311, "3.1.1");
                            ui.radio_value(&mut profile.version, MqttVersion::V5, "5");
                        });
                        ui.end_row();
                        if profile.version == MqttVersion::V5 {
                            v5_rows(ui, &mut profile.v5);
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
            });
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
        if self.connect_when_read.as_deref() == Some(id.as_str()) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("Reading the password from the OS keyring…");
            });
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

    fn delete_modal(&mut self, ctx: &egui::Context) {
        let Some(id) = self.confirm_delete.clone() else { return };
        let Some(name) = self.profiles.get(&id).map(|p| p.name.clone()) else {
            self.confirm_delete = None;
            return;
        };
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("mqscope-delete-profile")).show(ctx, |ui| {
            ui.set_width(360.0);
            ui.heading("Delete this profile?");
            ui.add_space(6.0);
            ui.label(format!(
                "\"{name}\" and its settings will be gone. This cannot be undone."
            ));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let delete = egui::Button::new(RichText::new("Delete").color(egui::Color32::WHITE))
                    .fill(ui.visuals().error_fg_color);
                if ui.add(delete).clicked() {
                    if let Some(profile) = self.profiles.get(&id) {
                        self.passwords.forget(profile);
                    }
                    self.profiles.profiles.retain(|p| p.id != id);
                    if self.profiles.last_used.as_deref() == Some(id.as_str()) {
                        self.profiles.last_used = None;
                    }
                    self.selected = self.profiles.profiles.first().map(|p| p.id.clone());
                    self.changed = true;
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
        if close || modal.should_close() {
            self.confirm_delete = None;
        }
    }

    fn poll_dialogs(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        if let Some((field, dialog)) = &self.browsing {
            match dialog.poll() {
                Picked::Waiting => {}
                Picked::File(path) => {
                    let field = *field;
                    if let Some(profile) = self.selected_mut() {
                        let tls = &mut profile.tls;
                        match field {
                            PathField::Ca => tls.ca_file = Some(path),
                            PathField::ClientCert => tls.client_cert_file = Some(path),
                            PathField::ClientKey => tls.client_key_file = Some(path),
                        }
                        self.changed = true;
                    }
                    self.browsing = None;
                }
                Picked::Cancelled => self.browsing = None,
                Picked::Unavailable => {
                    self.error = Some(NO_DIALOG.to_owned());
                    self.browsing = None;
                }
            }
        }
        self.poll_transfer(ctx, runtime);
    }

    fn poll_transfer(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        if let Some(imported) = self.transfer.poll(ctx, runtime) {
            let first = self.profiles.profiles.len();
            let count = self.profiles.import(imported.profiles);
            if let Some(profile) = self.profiles.profiles.get(first) {
                self.selected = Some(profile.id.clone());
            }
            self.changed |= count > 0;
            self.transfer.imported(count, &imported.path);
        }
    }

    fn selected_mut(&mut self) -> Option<&mut Profile> {
        let id = self.selected.as_deref()?;
        self.profiles.profiles.iter_mut().find(|p| p.id == id)
    }
}

/// One profile in the list: its name, and its broker below in small type.
fn profile_row(ui: &mut egui::Ui, profile: &Profile, selected: bool, height: f32) -> egui::Response {
    let name = if profile.name.trim().is_empty() {
        "(no name)"
    } else {
        profile.name.as_str()
    };
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::click());
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, name));
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let painter = ui.painter();
        if selected {
            painter.rect_filled(rect, 4.0, visuals.selection.bg_fill);
        } else if response.hovered() {
            painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
        }
        let text = if selected {
            visuals.selection.stroke.color
        } else {
            visuals.strong_text_color()
        };
        let weak = if selected {
            visuals.selection.stroke.color.gamma_multiply(0.8)
        } else {
            visuals.weak_text_color()
        };
        let clip = painter.with_clip_rect(rect.shrink(2.0));
        clip.text(
            rect.left_top() + egui::vec2(8.0, 5.0),
            egui::Align2::LEFT_TOP,
            name,
            egui::FontId::proportional(14.0),
            text,
        );
        clip.text(
            rect.left_top() + egui::vec2(8.0, 23.0),
            egui::Align2::LEFT_TOP,
            &profile.broker,
            egui::FontId::proportional(11.0),
            weak,
        );
    }
    response.on_hover_text(&profile.broker)
}

const NO_DIALOG: &str = "No file dialog is available on this system: type the file's path instead";

/// A row with a path field and Browse…; returns the field when Browse… was pressed.
fn path_row(
    ui: &mut egui::Ui,
    label: &str,
    path: &mut Option<PathBuf>,
    field: PathField,
    empty_hint: &str,
) -> Option<PathField> {
    let label = ui.label(label);
    let mut browse = None;
    ui.horizontal(|ui| {
        let mut text = path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text(empty_hint)
                    .desired_width(FIELD_WIDTH - 80.0),
            )
            .labelled_by(label.id);
        if edit.changed() {
            *path = Some(PathBuf::from(text.trim())).filter(|p| !p.as_os_str().is_empty());
        }
        if ui.button("Browse…").clicked() {
            browse = Some(field);
        }
    });
    ui.end_row();
    browse
}

/// An optional number as a DragValue where 0 means "not set".
fn optional_number<T>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<T>,
    (max, suffix): (T, &str),
    unset: &str,
    hover: &str,
) where
    T: egui::emath::Numeric + Default + PartialEq,
{
    let label = ui.label(label);
    let mut number = value.unwrap_or_default();
    ui.horizontal(|ui| {
        let response = ui
            .add(
                egui::DragValue::new(&mut number)
                    .range(T::from_f64(0.0)..=max)
                    .suffix(suffix),
            )
            .labelled_by(label.id)
            .on_hover_text(hover);
        if response.changed() {
            *value = Some(number).filter(|n| *n != T::default());
        }
        if value.is_none() {
            ui.weak(unset);
        }
    });
    ui.end_row();
}

/// The last will: off, or topic, payload, QoS and retain.
fn last_will_rows(ui: &mut egui::Ui, will: &mut Option<LastWill>) {
    ui.label("");
    let mut on = will.is_some();
    if ui
        .checkbox(&mut on, "Last will")
        .on_hover_text("A message the broker publishes if this connection ends without a goodbye")
        .changed()
    {
        *will = on.then(LastWill::default);
    }
    ui.end_row();
    let Some(will) = will else { return };
    let label = ui.label("Will topic");
    ui.add(
        egui::TextEdit::singleline(&mut will.topic)
            .hint_text("for example: devices/mqscope/status")
            .desired_width(FIELD_WIDTH),
    )
    .labelled_by(label.id);
    ui.end_row();
    let label = ui.label("Will payload");
    ui.add(
        egui::TextEdit::singleline(&mut will.payload)
            .hint_text("for example: offline")
            .desired_width(FIELD_WIDTH),
    )
    .labelled_by(label.id);
    ui.end_row();
    ui.label("Will QoS");
    ui.horizontal(|ui| {
        for qos in Qos::ALL {
            ui.radio_value(&mut will.qos, qos, qos.to_string());
        }
        ui.add_space(12.0);
        ui.checkbox(&mut will.retain, "Retain");
    });
    ui.end_row();
}

/// MQTT 5 CONNECT options: session expiry, receive maximum, maximum packet size, user properties.
fn v5_rows(ui: &mut egui::Ui, v5: &mut V5Options) {
    optional_number(
        ui,
        "Session expiry",
        &mut v5.session_expiry_secs,
        (u32::MAX, " s"),
        "0: ends with the connection",
        "Seconds the broker keeps the session after the connection ends",
    );
    optional_number(
        ui,
        "Receive maximum",
        &mut v5.receive_maximum,
        (u16::MAX, ""),
        "0: no limit (65,535)",
        "QoS 1 and 2 messages the broker may send before waiting for acknowledgements",
    );
    optional_number(
        ui,
        "Maximum packet size",
        &mut v5.maximum_packet_size,
        (268_435_455, " B"),
        "0: MQTT's limit (256 MiB)",
        "The largest packet, in bytes, the broker may send",
    );
    let label = ui.label("User properties");
    let mut text: String = v5
        .user_properties
        .iter()
        .map(|(name, value)| format!("{name}={value}\n"))
        .collect();
    if ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(2)
                .hint_text("name=value, one a line")
                .desired_width(FIELD_WIDTH)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(label.id)
        .changed()
    {
        v5.user_properties = parse_user_properties(&text);
    }
    ui.end_row();
}

/// `name=value` lines as user properties (a line without `=` is a name with an empty value).
pub(crate) fn parse_user_properties(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| match line.split_once('=') {
            Some((name, value)) => (name.trim().to_owned(), value.trim().to_owned()),
            None => (line.trim().to_owned(), String::new()),
        })
        .collect()
}

fn subscriptions_ui(ui: &mut egui::Ui, subscriptions: &mut Vec<Subscription>) {
    let mut remove = None;
    for (i, subscription) in subscriptions.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut subscription.filter)
                    .desired_width(FIELD_WIDTH - 110.0)
                    .hint_text("topic filter"),
            )
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Subscription {}", i + 1)));
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
        subscriptions.remove(i);
    }
    if ui.button("Add subscription").clicked() {
        subscriptions.push(Subscription::new(""));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_properties_are_read_one_a_line() {
        let parsed = parse_user_properties("site = lab\n\nflag\nurl=http://x/?a=b\n");
        assert_eq!(
            parsed,
            [
                ("site".to_owned(), "lab".to_owned()),
                ("flag".to_owned(), String::new()),
                ("url".to_owned(), "http://x/?a=b".to_owned()),
            ]
        );
    }
}
