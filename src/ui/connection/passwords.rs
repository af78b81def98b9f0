//! Profile passwords while mqscope runs: typed ones (kept for this run only),
//! ones read from and written to the OS keyring, and the field that edits
//! them with the choice of where the password is kept.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use crate::profiles::profile::{PasswordStorage, Profile};
use crate::profiles::secrets::{Availability, Keyring, Reply};
use crate::ui::theme;

/// A typed password is written to the keyring this long after the last keystroke.
const WRITE_DELAY: Duration = Duration::from_millis(800);

/// Where the keyring's copy of a profile's password stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stored {
    /// Being read.
    Reading,
    /// Read (or written): `passwords` holds it, empty when the keyring has none.
    Known,
    /// The keyring failed to answer, and why.
    Failed(String),
}

/// What happened that the window should show.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// The password of profile `id` is known now (read from the keyring, or found missing).
    Ready(String),
    /// A keyring operation failed.
    Failed(String),
}

/// Passwords of profiles that do not keep theirs in the profile file.
pub struct Passwords {
    keyring: Keyring,
    /// Passwords typed or read from the keyring, by profile id.
    passwords: HashMap<String, String>,
    /// The keyring's copy, by profile id (keyring profiles only).
    stored: HashMap<String, Stored>,
    /// Keyring profiles whose password was edited and not written yet, with the last edit.
    unwritten: HashMap<String, Instant>,
}

impl Passwords {
    /// Passwords kept in `keyring` where profiles ask for it.
    pub fn new(keyring: Keyring) -> Self {
        Self {
            keyring,
            passwords: HashMap::new(),
            stored: HashMap::new(),
            unwritten: HashMap::new(),
        }
    }

    /// Whether the OS keyring can be used.
    pub fn keyring_available(&self) -> bool {
        self.keyring.is_available()
    }

    /// The password known for profile `id` (typed, or read from the keyring).
    pub fn get(&self, id: &str) -> Option<&str> {
        self.passwords.get(id).map(String::as_str)
    }

    /// Whether `profile`'s password is still being read from the keyring; starts reading it
    /// when it was not asked for yet.
    pub fn is_reading(&mut self, profile: &Profile) -> bool {
        self.is_reading_key(&profile.id, profile.password_storage)
    }

    /// Whether the password kept under `key` in `storage` is being read from the keyring;
    /// starts reading it when it was not asked for yet.
    fn is_reading_key(&mut self, key: &str, storage: PasswordStorage) -> bool {
        if storage != PasswordStorage::Keyring || self.unwritten.contains_key(key) {
            return false;
        }
        if let Availability::Unavailable(_) = self.keyring.availability() {
            return false;
        }
        match self.stored.get(key) {
            Some(Stored::Reading) => true,
            Some(_) => false,
            None => {
                self.keyring.read(key);
                self.stored.insert(key.to_owned(), Stored::Reading);
                true
            }
        }
    }

    /// Why `profile`'s password cannot be had: it is kept in the OS keyring, none was typed,
    /// and the keyring is not available or failed to read it.
    pub fn missing(&self, profile: &Profile) -> Option<String> {
        let typed = self.passwords.get(&profile.id).is_some_and(|p| !p.is_empty());
        if profile.password_storage != PasswordStorage::Keyring || typed {
            return None;
        }
        match (self.keyring.availability(), self.stored.get(&profile.id)) {
            (Availability::Unavailable(reason), _) | (_, Some(Stored::Failed(reason))) => Some(reason.clone()),
            _ => None,
        }
    }

    /// Handle the keyring's replies and write edited passwords once typing pauses.
    pub fn poll(&mut self, ctx: &egui::Context) -> Vec<Event> {
        let mut events = Vec::new();
        let wake = || -> crate::profiles::secrets::Wake {
            let ctx = ctx.clone();
            std::sync::Arc::new(move || ctx.request_repaint())
        };
        for reply in self.keyring.poll(wake) {
            match reply {
                Reply::Read { id, result } => {
                    match result {
                        Ok(password) => {
                            // A password typed meanwhile wins over the older one read.
                            if !self.unwritten.contains_key(&id) {
                                self.passwords.insert(id.clone(), password.unwrap_or_default());
                            }
                            self.stored.insert(id.clone(), Stored::Known);
                        }
                        Err(error) => {
                            events.push(Event::Failed(format!(
                                "The password could not be read from the OS keyring: {error}"
                            )));
                            self.stored.insert(id.clone(), Stored::Failed(error));
                        }
                    }
                    events.push(Event::Ready(id));
                }
                Reply::Written { result: Err(error), .. } => events.push(Event::Failed(format!(
                    "The password could not be kept in the OS keyring: {error}"
                ))),
                Reply::Removed { result: Err(error), .. } => events.push(Event::Failed(format!(
                    "The password could not be removed from the OS keyring: {error}"
                ))),
                Reply::Written { .. } | Reply::Removed { .. } => {}
            }
        }
        if let Availability::Unavailable(reason) = self.keyring.availability() {
            // Reads asked for before the keyring turned out unreachable will not be answered.
            let waiting: Vec<String> = self
                .stored
                .iter()
                .filter(|(_, s)| **s == Stored::Reading)
                .map(|(id, _)| id.clone())
                .collect();
            for id in waiting {
                self.stored.insert(id.clone(), Stored::Failed(reason.clone()));
                events.push(Event::Ready(id));
            }
        }
        let due: Vec<String> = self
            .unwritten
            .iter()
            .filter(|(_, edited)| edited.elapsed() >= WRITE_DELAY)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            self.write_now(&id);
        }
        if !self.unwritten.is_empty() {
            ctx.request_repaint_after(WRITE_DELAY);
        }
        events
    }

    /// Write profile `id`'s edited password to the keyring now (before connecting with it).
    pub fn write_now(&mut self, id: &str) {
        if self.unwritten.remove(id).is_some() {
            let password = self.passwords.get(id).map_or("", String::as_str);
            if password.is_empty() {
                self.keyring.remove(id);
            } else {
                self.keyring.write(id, password);
            }
            self.stored.insert(id.to_owned(), Stored::Known);
        }
    }

    /// Forget profile `id`'s password, here and in the keyring (the profile is deleted).
    pub fn forget(&mut self, profile: &Profile) {
        self.forget_proxy(profile);
        self.passwords.remove(&profile.id);
        self.unwritten.remove(&profile.id);
        if self.stored.remove(&profile.id).is_some() || profile.password_storage == PasswordStorage::Keyring {
            self.keyring.remove(&profile.id);
        }
    }

    /// Give the copy `to` of profile `from` the same password.
    pub fn copy(&mut self, from: &Profile, to: &Profile) {
        self.copy_proxy(from, to);
        if let Some(password) = self.passwords.get(&from.id).cloned() {
            self.passwords.insert(to.id.clone(), password);
            if to.password_storage == PasswordStorage::Keyring {
                self.unwritten.insert(to.id.clone(), Instant::now());
            }
        }
    }

    /// The password fields of `profile`: the password, where it is kept, and what that means.
    /// Returns the password field's response.
    pub fn ui(&mut self, ui: &mut egui::Ui, profile: &mut Profile, width: f32, label: egui::Id) -> egui::Response {
        let reading = self.is_reading(profile);
        let id = profile.id.clone();
        let (response, edited) = {
            let field = match profile.password_storage {
                PasswordStorage::PlainText => profile.password.get_or_insert_default(),
                PasswordStorage::Ask | PasswordStorage::Keyring => self.passwords.entry(id.clone()).or_default(),
            };
            let hint = if reading {
                "reading the OS keyring…"
            } else {
                "optional; a token works too"
            };
            let response = ui
                .add(
                    egui::TextEdit::singleline(field)
                        .password(true)
                        .hint_text(hint)
                        .desired_width(width),
                )
                .labelled_by(label);
            let edited = response.changed();
            (response, edited)
        };
        if edited && profile.password_storage == PasswordStorage::Keyring {
            self.unwritten.insert(id.clone(), Instant::now());
        }
        if response.lost_focus() {
            self.write_now(&id);
        }

        let mut storage = profile.password_storage;
        let keyring = self.keyring.availability().clone();
        ui.horizontal(|ui| {
            let in_keyring = ui
                .add_enabled(
                    keyring == Availability::Available || storage == PasswordStorage::Keyring,
                    egui::RadioButton::new(storage == PasswordStorage::Keyring, "OS keyring"),
                )
                .on_hover_text("In the system's keyring (Secret Service, Keychain or Credential Manager)");
            let in_keyring = match &keyring {
                Availability::Unavailable(reason) => {
                    in_keyring.on_disabled_hover_text(format!("The OS keyring is not available: {reason}"))
                }
                Availability::Checking => in_keyring.on_disabled_hover_text("Checking for the OS keyring…"),
                Availability::Available => in_keyring,
            };
            if in_keyring.clicked() {
                storage = PasswordStorage::Keyring;
            }
            if ui
                .radio(storage == PasswordStorage::Ask, "Ask each time")
                .on_hover_text("Not saved: typed before connecting, kept until mqscope closes")
                .clicked()
            {
                storage = PasswordStorage::Ask;
            }
            if ui
                .radio(storage == PasswordStorage::PlainText, "Profile file")
                .on_hover_text("Saved in profiles.json, readable by anyone who can read that file")
                .clicked()
            {
                storage = PasswordStorage::PlainText;
            }
        });
        if storage != profile.password_storage {
            self.move_password(profile, storage);
        }

        let (note, warn) = match (profile.password_storage, &keyring) {
            (PasswordStorage::PlainText, _) => ("Kept as plain text in profiles.json".to_owned(), true),
            (PasswordStorage::Ask, _) => ("Not saved: type it before connecting".to_owned(), false),
            (PasswordStorage::Keyring, Availability::Unavailable(reason)) => (
                format!("The OS keyring is not available ({reason}): type the password before connecting"),
                true,
            ),
            (PasswordStorage::Keyring, _) => match self.stored.get(&profile.id) {
                Some(Stored::Failed(error)) => (format!("The OS keyring failed: {error}"), true),
                Some(Stored::Reading) => ("Reading the OS keyring…".to_owned(), false),
                _ if self.unwritten.contains_key(&profile.id) => ("Saving in the OS keyring…".to_owned(), false),
                _ => ("Kept in the OS keyring".to_owned(), false),
            },
        };
        let note = RichText::new(note).small();
        if warn {
            ui.label(note.color(theme::warn_color(ui)));
        } else {
            ui.label(note.weak());
        }
        response
    }

    /// Keep `profile`'s password in `storage` from now on, moving it there.
    fn move_password(&mut self, profile: &mut Profile, storage: PasswordStorage) {
        self.move_proxy_password(profile, storage);
        let id = profile.id.clone();
        let password = match profile.password_storage {
            PasswordStorage::PlainText => profile.password.take().unwrap_or_default(),
            PasswordStorage::Ask | PasswordStorage::Keyring => self.passwords.remove(&id).unwrap_or_default(),
        };
        if profile.password_storage == PasswordStorage::Keyring {
            self.unwritten.remove(&id);
            self.stored.remove(&id);
            self.keyring.remove(&id);
        }
        profile.password_storage = storage;
        match storage {
            PasswordStorage::PlainText => profile.password = Some(password),
            PasswordStorage::Ask => {
                self.passwords.insert(id, password);
            }
            PasswordStorage::Keyring => {
                self.passwords.insert(id.clone(), password);
                self.stored.insert(id.clone(), Stored::Known);
                self.write_soon(&id);
            }
        }
    }

    fn write_soon(&mut self, id: &str) {
        self.unwritten.insert(id.to_owned(), Instant::now() - WRITE_DELAY);
    }

    /// `profiles` with the passwords known here filled in as plain text (for an export with
    /// passwords); the keyring profiles whose password is not known yet are returned by id.
    pub fn fill_in(&self, profiles: &mut [Profile]) -> Vec<String> {
        let mut unknown = Vec::new();
        for profile in profiles {
            if profile.password_storage != PasswordStorage::Keyring {
                continue;
            }
            if self.proxy_unknown(profile) {
                unknown.push(profile.id.clone());
                continue;
            }
            profile.proxy.password = self
                .proxy_password(&profile.id)
                .map(str::to_owned)
                .filter(|p| !p.is_empty());
            match self.passwords.get(&profile.id) {
                Some(password) => {
                    profile.password = Some(password.clone()).filter(|p| !p.is_empty());
                    profile.password_storage = PasswordStorage::PlainText;
                }
                None if self.keyring.is_available() => unknown.push(profile.id.clone()),
                None => {}
            }
        }
        unknown
    }
}

mod proxy;
#[cfg(test)]
mod tests;
