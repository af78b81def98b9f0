//! The proxy's password, kept where the profile keeps the broker's: in the profile file, in
//! the OS keyring (under [`secret_id`]), or for this run only.

use std::time::Instant;

use eframe::egui;

use super::{Availability, Passwords, Stored};
use crate::profiles::profile::{PasswordStorage, Profile};
use crate::profiles::proxy::secret_id;

impl Passwords {
    /// The proxy password known for profile `id` (typed, or read from the keyring).
    pub fn proxy_password(&self, id: &str) -> Option<&str> {
        self.passwords.get(&secret_id(id)).map(String::as_str)
    }

    /// Whether `profile`'s proxy password is still being read from the keyring; starts reading
    /// it when the profile has a proxy login and it was not asked for yet.
    pub fn proxy_is_reading(&mut self, profile: &Profile) -> bool {
        if profile.proxy.is_none() || profile.proxy.username.trim().is_empty() {
            return false;
        }
        self.is_reading_key(&secret_id(&profile.id), profile.password_storage)
    }

    /// Why `profile`'s proxy password cannot be had: it has a proxy login, its passwords are
    /// kept in the OS keyring, none was typed, and the keyring is not available or failed.
    pub fn proxy_missing(&self, profile: &Profile) -> Option<String> {
        if profile.proxy.is_none() || profile.proxy.username.trim().is_empty() {
            return None;
        }
        let key = secret_id(&profile.id);
        let typed = self.passwords.get(&key).is_some_and(|p| !p.is_empty());
        if profile.password_storage != PasswordStorage::Keyring || typed {
            return None;
        }
        match (self.keyring.availability(), self.stored.get(&key)) {
            (Availability::Unavailable(reason), _) | (_, Some(Stored::Failed(reason))) => Some(reason.clone()),
            _ => None,
        }
    }

    /// Whether `profile`'s proxy password must still be read from the keyring for an export.
    pub(super) fn proxy_unknown(&self, profile: &Profile) -> bool {
        !profile.proxy.username.trim().is_empty()
            && self.proxy_password(&profile.id).is_none()
            && self.keyring.is_available()
    }

    /// Write profile `id`'s edited proxy password to the keyring now (before connecting).
    pub fn write_proxy_now(&mut self, id: &str) {
        self.write_now(&secret_id(id));
    }

    /// The proxy password field of `profile`; returns its response.
    pub fn proxy_ui(
        &mut self,
        ui: &mut egui::Ui,
        profile: &mut Profile,
        width: f32,
        label: egui::Id,
    ) -> egui::Response {
        let reading = self.proxy_is_reading(profile);
        let key = secret_id(&profile.id);
        let field = match profile.password_storage {
            PasswordStorage::PlainText => profile.proxy.password.get_or_insert_default(),
            PasswordStorage::Ask | PasswordStorage::Keyring => self.passwords.entry(key.clone()).or_default(),
        };
        let hint = if reading {
            "reading the OS keyring…"
        } else {
            "the proxy's; kept like the broker's"
        };
        let response = ui
            .add(
                egui::TextEdit::singleline(field)
                    .password(true)
                    .hint_text(hint)
                    .desired_width(width),
            )
            .labelled_by(label)
            .on_hover_text("Kept where the broker's password is kept (see Password)");
        if response.changed() && profile.password_storage == PasswordStorage::Keyring {
            self.unwritten.insert(key.clone(), Instant::now());
        }
        if response.lost_focus() {
            self.write_now(&key);
        }
        response
    }

    /// Keep `profile`'s proxy password in `storage` from now on, moving it there.
    pub(super) fn move_proxy_password(&mut self, profile: &mut Profile, storage: PasswordStorage) {
        let key = secret_id(&profile.id);
        let password = match profile.password_storage {
            PasswordStorage::PlainText => profile.proxy.password.take(),
            PasswordStorage::Ask | PasswordStorage::Keyring => self.passwords.remove(&key),
        };
        if profile.password_storage == PasswordStorage::Keyring {
            self.unwritten.remove(&key);
            if self.stored.remove(&key).is_some() {
                self.keyring.remove(&key);
            }
        }
        let Some(password) = password.filter(|p| !p.is_empty()) else {
            return;
        };
        match storage {
            PasswordStorage::PlainText => profile.proxy.password = Some(password),
            PasswordStorage::Ask => {
                self.passwords.insert(key, password);
            }
            PasswordStorage::Keyring => {
                self.passwords.insert(key.clone(), password);
                self.stored.insert(key.clone(), Stored::Known);
                self.write_soon(&key);
            }
        }
    }

    /// Forget `profile`'s proxy password, here and in the keyring.
    pub(super) fn forget_proxy(&mut self, profile: &Profile) {
        let key = secret_id(&profile.id);
        self.passwords.remove(&key);
        self.unwritten.remove(&key);
        if self.stored.remove(&key).is_some() {
            self.keyring.remove(&key);
        }
    }

    /// Give the copy `to` of profile `from` the same proxy password.
    pub(super) fn copy_proxy(&mut self, from: &Profile, to: &Profile) {
        if let Some(password) = self.proxy_password(&from.id).map(str::to_owned) {
            let key = secret_id(&to.id);
            self.passwords.insert(key.clone(), password);
            if to.password_storage == PasswordStorage::Keyring {
                self.unwritten.insert(key, Instant::now());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::settings::ProxyKind;
    use crate::profiles::proxy::ProxyProfile;
    use crate::profiles::secrets::Keyring;

    fn keyring_profile_with_proxy() -> Profile {
        Profile {
            password_storage: PasswordStorage::Keyring,
            proxy: ProxyProfile {
                kind: Some(ProxyKind::Http),
                host: "gate".into(),
                username: "me".into(),
                ..ProxyProfile::default()
            },
            ..Profile::default()
        }
    }

    #[test]
    fn a_keyring_proxy_password_that_cannot_be_read_is_missing_until_typed() {
        let mut passwords = Passwords::new(Keyring::unavailable("no Secret Service"));
        let profile = keyring_profile_with_proxy();
        assert_eq!(passwords.proxy_missing(&profile).as_deref(), Some("no Secret Service"));
        passwords.passwords.insert(secret_id(&profile.id), "typed".into());
        assert_eq!(passwords.proxy_missing(&profile), None);
        assert_eq!(passwords.proxy_password(&profile.id), Some("typed"));
    }

    #[test]
    fn the_proxy_password_moves_with_the_broker_s() {
        let mut passwords = Passwords::new(Keyring::unavailable("none here"));
        let mut profile = Profile {
            password_storage: PasswordStorage::PlainText,
            ..keyring_profile_with_proxy()
        };
        profile.proxy.password = Some("pw".into());
        passwords.move_password(&mut profile, PasswordStorage::Ask);
        assert_eq!(profile.proxy.password, None, "out of the file");
        assert_eq!(passwords.proxy_password(&profile.id), Some("pw"));
        passwords.move_password(&mut profile, PasswordStorage::PlainText);
        assert_eq!(profile.proxy.password.as_deref(), Some("pw"), "back in the file");
        assert_eq!(passwords.proxy_password(&profile.id), None);
    }
}
