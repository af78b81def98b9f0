//! Saved connection profiles: everything needed to reach a broker again,
//! under a name, in `profiles.json` (versioned; older versions are read and
//! upgraded, newer ones are used without being overwritten).

mod export;

use serde::{Deserialize, Serialize};

use super::proxy::ProxyProfile;
use crate::model::Subscription;
use crate::mqtt::settings::{
    BrokerAddress, ConnectionSettings, DEFAULT_CONNECT_TIMEOUT_SECS, DEFAULT_KEEP_ALIVE_SECS, LastWill, TlsOptions,
    V5Options, VersionChoice, random_client_id,
};

pub use export::{EXPORT_FORMAT, Export};

/// The store file name.
pub const FILE: &str = "profiles";
/// Format version written by this build.
///
/// * 1: the first.
/// * 2: a password may be kept in the OS keyring (`"password_storage": "keyring"`), which
///   builds reading format 1 do not know.
/// * 3: the MQTT version may be `"auto"` (5, or 3.1.1 where the broker does not speak 5), the
///   default for new profiles, which builds reading format 2 do not know.
/// * 4: a profile may reach its broker through a proxy (`"proxy"`), which builds reading
///   format 3 would ignore, connecting directly.
pub const VERSION: u32 = 4;

/// Where a profile's password is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordStorage {
    /// Not kept: typed before each connection.
    #[default]
    Ask,
    /// In `profiles.json`, as plain text.
    PlainText,
    /// In the OS keyring (see [`crate::profiles::secrets`]).
    Keyring,
}

/// One saved connection.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// Stable identity (names can change and repeat).
    pub id: String,
    /// What the user calls it.
    pub name: String,
    /// Broker address as typed: `mqtt://`, `mqtts://`, `ws://` or `wss://`.
    pub broker: String,
    /// MQTT client id.
    pub client_id: String,
    /// User name (empty: none).
    pub username: String,
    /// Where the password is kept.
    pub password_storage: PasswordStorage,
    /// The password, when `password_storage` is `PlainText` (never written otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// TLS choices for `mqtts://` and `wss://`.
    pub tls: TlsOptions,
    /// Keep-alive interval in seconds.
    pub keep_alive_secs: u16,
    /// How long to wait for CONNACK, in seconds.
    pub connect_timeout_secs: u16,
    /// Filters to subscribe to.
    pub subscriptions: Vec<Subscription>,
    /// Start with a clean session (clean start with MQTT 5).
    pub clean_session: bool,
    /// The last will, if any.
    pub last_will: Option<LastWill>,
    /// MQTT 5 with 3.1.1 as a fallback, or only one of them.
    pub version: VersionChoice,
    /// MQTT 5 CONNECT options.
    pub v5: V5Options,
    /// The proxy to reach the broker through (none by default).
    #[serde(skip_serializing_if = "is_default")]
    pub proxy: ProxyProfile,
    /// Connect to it when mqscope starts.
    pub connect_on_start: bool,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("broker", &self.broker)
            .field("username", &self.username)
            .field("password_storage", &self.password_storage)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            id: new_id(),
            name: "Local broker".to_owned(),
            broker: "mqtt://localhost:1883".to_owned(),
            client_id: random_client_id(),
            username: String::new(),
            password_storage: PasswordStorage::Ask,
            password: None,
            tls: TlsOptions::default(),
            keep_alive_secs: DEFAULT_KEEP_ALIVE_SECS,
            connect_timeout_secs: DEFAULT_CONNECT_TIMEOUT_SECS,
            subscriptions: Subscription::defaults(),
            clean_session: true,
            last_will: None,
            version: VersionChoice::Auto,
            v5: V5Options::default(),
            proxy: ProxyProfile::default(),
            connect_on_start: false,
        }
    }
}

/// A profiles file of format `from` (older than [`VERSION`]) brought to this one, one version
/// at a time.
fn migrate(mut value: serde_json::Value, from: u32) -> Result<serde_json::Value, String> {
    for version in from..VERSION {
        match version {
            // 1 → 2 added a place to keep passwords; every format 1 profile reads as it was.
            1 => {}
            // 2 → 3 added "auto" as a version; every format 2 profile keeps the version it names.
            2 => {}
            // 3 → 4 added a proxy; every format 3 profile reaches its broker directly, as before.
            3 => {}
            other => return Err(format!("format version {other} is not one this build can upgrade")),
        }
    }
    value["version"] = serde_json::Value::from(VERSION);
    Ok(value)
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A fresh profile id.
pub fn new_id() -> String {
    format!("{:016x}", fastrand::u64(..))
}

impl Profile {
    /// The connection settings this profile describes, with `password` and `proxy_password`
    /// typed for this connection or read from the keyring (used when the profile keeps none in
    /// its file), or what is wrong with them.
    pub fn settings(&self, password: Option<&str>, proxy_password: Option<&str>) -> Result<ConnectionSettings, String> {
        let address = BrokerAddress::parse(&self.broker).map_err(|e| e.to_string())?;
        let mut settings = ConnectionSettings::new(address);
        let client_id = self.client_id.trim();
        if client_id.is_empty() {
            return Err("Enter a client id, or press New id to make one".to_owned());
        }
        client_id.clone_into(&mut settings.client_id);
        settings.username = Some(self.username.clone()).filter(|u| !u.is_empty());
        let password = match self.password_storage {
            PasswordStorage::PlainText => self.password.as_deref(),
            PasswordStorage::Ask | PasswordStorage::Keyring => password,
        };
        settings.password = password.filter(|p| !p.is_empty()).map(str::to_owned);
        let proxy_password = match self.password_storage {
            PasswordStorage::PlainText => self.proxy.password.as_deref(),
            PasswordStorage::Ask | PasswordStorage::Keyring => proxy_password,
        };
        settings.proxy = self.proxy.settings(proxy_password)?;
        settings.version = self.version;
        settings.clean_session = self.clean_session;
        settings.last_will = match &self.last_will {
            Some(will) if will.topic.trim().is_empty() => {
                return Err("The last will needs a topic (or untick it)".to_owned());
            }
            Some(will) => {
                if let Some(error) = crate::model::topic::name_error(&will.topic) {
                    return Err(format!("Last will: {error}"));
                }
                Some(will.clone())
            }
            None => None,
        };
        settings.v5 = self.v5.clone();
        if settings.password.is_some() && settings.username.is_none() {
            return Err("A password needs a user name".to_owned());
        }
        settings.keep_alive_secs = self.keep_alive_secs.max(5);
        settings.connect_timeout_secs = self.connect_timeout_secs.max(1);
        settings.subscriptions = self
            .subscriptions
            .iter()
            .filter(|s| !s.filter.trim().is_empty())
            .cloned()
            .collect();
        if let Some(bad) = settings
            .subscriptions
            .iter()
            .find_map(|s| crate::model::topic::filter_error(&s.filter))
        {
            return Err(bad);
        }
        if settings.subscriptions.is_empty() {
            return Err("Add at least one subscription, such as #".to_owned());
        }
        // TLS settings stay in the profile when the scheme changes, but apply only to TLS.
        if settings.address.scheme.is_tls() {
            settings.tls = self.tls.clone();
        }
        Ok(settings)
    }

    /// Whether connecting needs a password typed first: a user name, and no password kept.
    pub fn needs_password(&self) -> bool {
        self.password_storage == PasswordStorage::Ask && !self.username.is_empty()
    }

    /// The profile with its password removed (for exports without secrets).
    pub fn without_password(&self) -> Self {
        Self {
            password: None,
            password_storage: PasswordStorage::Ask,
            proxy: ProxyProfile {
                password: None,
                ..self.proxy.clone()
            },
            ..self.clone()
        }
    }
}

/// The whole file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfilesFile {
    /// Format version.
    pub version: u32,
    /// The profile used last, by id.
    pub last_used: Option<String>,
    /// Every profile, in the user's order.
    pub profiles: Vec<Profile>,
}

impl Default for ProfilesFile {
    fn default() -> Self {
        Self {
            version: VERSION,
            last_used: None,
            profiles: Vec::new(),
        }
    }
}

/// How a profiles file was read.
#[derive(Debug)]
pub enum Read {
    /// Read, in this build's version.
    Current(ProfilesFile),
    /// Read from an older version (the one given) and upgraded.
    Upgraded(ProfilesFile, u32),
    /// Written by a newer mqscope: usable, but saving over it would lose what this build does not know.
    Newer(ProfilesFile, u32),
}

impl ProfilesFile {
    /// Read a profiles file of any version.
    pub fn from_json(value: serde_json::Value) -> Result<Read, String> {
        let version = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .ok_or("it has no format version")?;
        let version = u32::try_from(version)
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| format!("format version {version} is not valid"))?;
        let value = if version < VERSION {
            migrate(value, version)?
        } else {
            value
        };
        let mut file: ProfilesFile = serde_json::from_value(value).map_err(|e| e.to_string())?;
        // Every profile needs an id that no other has.
        let mut seen = std::collections::HashSet::new();
        for profile in &mut file.profiles {
            if profile.id.is_empty() || !seen.insert(profile.id.clone()) {
                profile.id = new_id();
                seen.insert(profile.id.clone());
            }
            if profile.password_storage != PasswordStorage::PlainText {
                profile.password = None;
                profile.proxy.password = None;
            }
        }
        if version > VERSION {
            return Ok(Read::Newer(file, version));
        }
        file.version = VERSION;
        if version < VERSION {
            return Ok(Read::Upgraded(file, version));
        }
        Ok(Read::Current(file))
    }

    /// Read from the store: a damaged file is set aside, a newer one is used but not
    /// overwritten, an older one is upgraded (and a copy of it kept, for the older build).
    pub fn load(store: &crate::profiles::Store) -> crate::profiles::Loaded<Self> {
        store.load_with(FILE, |value| match Self::from_json(value.clone())? {
            Read::Current(file) => Ok((file, None)),
            Read::Upgraded(file, version) => {
                let copy = format!("{FILE}.v{version}");
                match store.save(&copy, &value) {
                    Ok(()) => {
                        tracing::info!(
                            from = version,
                            to = VERSION,
                            "profiles upgraded; the older file is kept as {copy}.json"
                        );
                        Ok((file, None))
                    }
                    // Saving over the only copy of the older file could lose it: keep it as it is.
                    Err(error) => Ok((file, Some(format!("could not keep a copy of the older file ({error})")))),
                }
            }
            Read::Newer(file, version) => Ok((
                file,
                Some(format!(
                    "written by a newer mqscope (format {version}; this one writes {VERSION})"
                )),
            )),
        })
    }

    /// The profile with `id`.
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The profile named `name` (ignoring case), or with that id.
    pub fn find(&self, name: &str) -> Option<&Profile> {
        self.profiles
            .iter()
            .find(|p| p.name == name)
            .or_else(|| self.profiles.iter().find(|p| p.name.eq_ignore_ascii_case(name)))
            .or_else(|| self.get(name))
    }

    /// A name like `base` that no profile has yet: `base`, `base (2)`, `base (3)`…
    pub fn unique_name(&self, base: &str) -> String {
        let taken = |name: &str| self.profiles.iter().any(|p| p.name == name);
        if !taken(base) {
            return base.to_owned();
        }
        (2..)
            .map(|n| format!("{base} ({n})"))
            .find(|name| !taken(name))
            .unwrap_or_else(|| base.to_owned())
    }

    /// Add imported profiles: each gets a new id and, if its name is taken, a new name.
    /// Returns how many were added.
    pub fn import(&mut self, profiles: Vec<Profile>) -> usize {
        let count = profiles.len();
        for mut profile in profiles {
            profile.id = new_id();
            profile.name = self.unique_name(profile.name.trim());
            profile.connect_on_start = false;
            self.profiles.push(profile);
        }
        count
    }
}

#[cfg(test)]
mod tests;
