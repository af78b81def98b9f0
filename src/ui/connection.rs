//! The connection manager: saved profiles on the left (new, duplicate,
//! delete, import, export), the selected one's settings on the right, edited
//! in place and saved as they change, and Connect.

mod editor;
mod fields;
mod passwords;
mod transfer;

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::dialogs::{Dialogs, Pending, Picked, Request};
use crate::model::{Qos, Subscription};
use crate::mqtt::settings::{
    BrokerAddress, ConnectionSettings, LastWill, ProxyKind, V5Options, VersionChoice, random_client_id,
};
use crate::profiles::profile::{PasswordStorage, Profile, ProfilesFile};
use crate::profiles::secrets::Keyring;
pub(crate) use fields::parse_user_properties;
use fields::{NO_DIALOG, profile_row};
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
    /// The error last scrolled into view, so a new one is shown once, then left to the user.
    revealed_error: Option<String>,
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
            revealed_error: None,
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
        // Both, so each read starts: the broker's password and the proxy's.
        let reading = self.passwords.is_reading(profile) | self.passwords.proxy_is_reading(profile);
        if reading {
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
                Event::Ready(key) => {
                    // The proxy's password is read under the profile id and "/proxy".
                    let id = key.strip_suffix("/proxy").unwrap_or(&key).to_owned();
                    if self.connect_when_read.as_deref() == Some(id.as_str()) && !self.still_reading(&id) {
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

    /// Whether profile `id`'s password or proxy password is still being read from the keyring.
    fn still_reading(&mut self, id: &str) -> bool {
        let Some(profile) = self.profiles.get(id) else {
            return false;
        };
        self.passwords.is_reading(profile) || self.passwords.proxy_is_reading(profile)
    }

    /// Whether a connection waits for a password from the keyring.
    pub fn is_waiting_for_keyring(&self) -> bool {
        self.connect_when_read.is_some()
    }

    /// The settings to connect with the profile `id`, with `password` for a profile that keeps
    /// none in its file; records it as the last used.
    pub fn settings_for(&mut self, id: &str, password: Option<&str>) -> Result<ConnectionSettings, String> {
        self.passwords.write_now(id);
        self.passwords.write_proxy_now(id);
        let profile = self.profiles.get(id).ok_or("That profile no longer exists")?;
        if password.is_none()
            && let Some(reason) = self.passwords.missing(profile)
        {
            return Err(format!(
                "The password of this profile is kept in the OS keyring, which could not be read \
                 ({reason}): type it in the Password field (or give it with --password)"
            ));
        }
        if let Some(reason) = self.passwords.proxy_missing(profile) {
            return Err(format!(
                "The proxy password of this profile is kept in the OS keyring, which could not be read \
                 ({reason}): type it in the Proxy password field"
            ));
        }
        let kept = self.passwords.get(id);
        let typed = password.or(kept);
        let settings = profile.settings(typed, self.passwords.proxy_password(id))?;
        if self.profiles.last_used.as_deref() != Some(id) {
            self.profiles.last_used = Some(id.to_owned());
            self.changed = true;
        }
        Ok(settings)
    }

    /// Draw the manager. Returns settings when the user asks to connect and they are valid.
    /// `height` is the most it takes, in points: a longer form scrolls within it.
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
                self.list_ui(ui, dialogs, runtime, height);
            });
            // A line between the two, as tall as the taller, drawn once both are laid out.
            let gap = ui.spacing().item_spacing.x;
            ui.add_space(gap);
            let line_x = ui.cursor().left() - gap;
            ui.vertical(|ui| {
                ui.set_width(FIELD_WIDTH + 140.0);
                // A row starts one line high: the form may grow to `height`.
                ui.set_max_height(height);
                connect = self.editor_ui(ui, dialogs, runtime, height);
            });
            let stroke = ui.visuals().widgets.noninteractive.bg_stroke;
            ui.painter().vline(line_x, ui.min_rect().y_range(), stroke);
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
                    .fill(crate::ui::theme::danger_fill(ui));
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

#[cfg(test)]
mod tests;
