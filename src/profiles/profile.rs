//! Saved connection profiles: everything needed to reach a broker again,
//! under a name, in `profiles.json` (versioned; older versions are read and
//! upgraded, newer ones are used without being overwritten).

use serde::{Deserialize, Serialize};

use crate::model::Subscription;
use crate::mqtt::settings::{
    BrokerAddress, ConnectionSettings, DEFAULT_CONNECT_TIMEOUT_SECS, DEFAULT_KEEP_ALIVE_SECS, LastWill, MqttVersion,
    TlsOptions, V5Options, random_client_id,
};

/// The store file name.
pub const FILE: &str = "profiles";
/// Format version written by this build.
///
/// * 1: the first.
/// * 2: a password may be kept in the OS keyring (`"password_storage": "keyring"`), which
///   builds reading format 1 do not know.
pub const VERSION: u32 = 2;

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
    /// MQTT 3.1.1 or 5.
    pub version: MqttVersion,
    /// MQTT 5 CONNECT options.
    pub v5: V5Options,
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
            version: MqttVersion::V311,
            v5: V5Options::default(),
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
            other => return Err(format!("format version {other} is not one this build can upgrade")),
        }
    }
    value["version"] = serde_json::Value::from(VERSION);
    Ok(value)
}

/// A fresh profile id.
pub fn new_id() -> String {
    format!("{:016x}", fastrand::u64(..))
}

impl Profile {
    /// The connection settings this profile describes, with `password` typed for this
    /// connection (used when the profile keeps none), or what is wrong with them.
    pub fn settings(&self, password: Option<&str>) -> Result<ConnectionSettings, String> {
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

/// An export file: profiles to hand to another machine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// What this file is.
    pub format: String,
    /// Format version of the profiles in it.
    pub version: u32,
    /// The profiles.
    pub profiles: Vec<Profile>,
}

/// The `format` of export files.
pub const EXPORT_FORMAT: &str = "mqscope-profiles";

impl Export {
    /// An export of `profiles`, with their passwords only if `with_passwords`.
    pub fn new(profiles: &[Profile], with_passwords: bool) -> Self {
        Self {
            format: EXPORT_FORMAT.to_owned(),
            version: VERSION,
            profiles: profiles
                .iter()
                .map(|p| {
                    if with_passwords {
                        p.clone()
                    } else {
                        p.without_password()
                    }
                })
                .collect(),
        }
    }

    /// Read an export file (or a whole `profiles.json`).
    pub fn parse(bytes: &[u8]) -> Result<Vec<Profile>, String> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("it is not a profiles file: {e}"))?;
        if value.get("profiles").is_none() {
            return Err("it is not a profiles file (it has no \"profiles\")".to_owned());
        }
        match ProfilesFile::from_json(value)? {
            Read::Current(file) | Read::Upgraded(file, _) | Read::Newer(file, _) => Ok(file.profiles),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::Scheme;

    fn profile(name: &str, broker: &str) -> Profile {
        Profile {
            name: name.into(),
            broker: broker.into(),
            ..Profile::default()
        }
    }

    #[test]
    fn a_profile_becomes_connection_settings() {
        let mut p = profile("Pi", "mqtts://pi.lan");
        p.username = "bob".into();
        p.tls.ca_file = Some("ca.pem".into());
        assert!(p.needs_password());
        let settings = p.settings(Some("typed")).expect("valid");
        assert_eq!(settings.address.scheme, Scheme::Mqtts);
        assert_eq!(settings.password.as_deref(), Some("typed"));
        assert_eq!(settings.tls.ca_file.as_deref(), Some(std::path::Path::new("ca.pem")));

        p.password_storage = PasswordStorage::PlainText;
        p.password = Some("kept".into());
        assert!(!p.needs_password());
        assert_eq!(
            p.settings(Some("typed")).expect("valid").password.as_deref(),
            Some("kept")
        );

        p.broker = "pi.lan:99999".into();
        assert!(p.settings(None).is_err());
    }

    #[test]
    fn passwords_are_written_only_when_kept_in_the_file() {
        let mut file = ProfilesFile::default();
        let mut ask = profile("Ask", "x");
        ask.password = Some("typed-once".into());
        let mut kept = profile("Kept", "y");
        kept.password_storage = PasswordStorage::PlainText;
        kept.password = Some("in-file".into());
        file.profiles = vec![ask.without_password(), kept.clone()];
        let json = serde_json::to_string(&file).expect("json");
        assert!(!json.contains("typed-once"));
        assert!(json.contains("in-file"));
        assert!(!format!("{kept:?}").contains("in-file"), "Debug hides it");

        let export = serde_json::to_string(&Export::new(&file.profiles, false)).expect("json");
        assert!(!export.contains("in-file"), "exports leave passwords out unless asked");
        let export = serde_json::to_string(&Export::new(&file.profiles, true)).expect("json");
        assert!(export.contains("in-file"));
    }

    #[test]
    fn reads_back_what_it_writes_and_repairs_ids() {
        let mut file = ProfilesFile {
            profiles: vec![profile("A", "a"), profile("B", "b")],
            ..ProfilesFile::default()
        };
        file.profiles[1].id = file.profiles[0].id.clone();
        file.last_used = Some(file.profiles[0].id.clone());
        let value = serde_json::to_value(&file).expect("json");
        let Read::Current(read) = ProfilesFile::from_json(value).expect("reads") else {
            panic!("current version")
        };
        assert_eq!(read.profiles.len(), 2);
        assert_ne!(read.profiles[0].id, read.profiles[1].id, "a repeated id is replaced");
        assert_eq!(read.profiles[0], file.profiles[0]);
    }

    #[test]
    fn missing_fields_get_defaults_and_newer_versions_are_flagged() {
        let value = serde_json::json!({"version": 2, "profiles": [{"name": "Old", "broker": "mqtt://old:1883"}]});
        let Read::Current(file) = ProfilesFile::from_json(value).expect("reads") else {
            panic!("current")
        };
        let p = &file.profiles[0];
        assert_eq!((p.name.as_str(), p.keep_alive_secs), ("Old", 30));
        assert!(!p.id.is_empty() && p.client_id.starts_with("mqscope-"));
        assert_eq!(p.subscriptions.len(), 2);

        let newer = serde_json::json!({"version": 7, "profiles": [], "future": true});
        assert!(matches!(ProfilesFile::from_json(newer), Ok(Read::Newer(_, 7))));
        assert!(ProfilesFile::from_json(serde_json::json!({"profiles": []})).is_err());
    }

    /// A profiles file as format 1 builds wrote it.
    const FORMAT_1: &str = r##"{
  "version": 1,
  "last_used": "00c0ffee00c0ffee",
  "profiles": [
    {
      "id": "00c0ffee00c0ffee",
      "name": "Pi",
      "broker": "mqtts://pi.lan:8883",
      "client_id": "mqscope-a1b2c3",
      "username": "ada",
      "password_storage": "plain_text",
      "password": "lovelace",
      "tls": {"ca_file": "/etc/ca.pem", "client_cert_file": null, "client_key_file": null,
              "alpn": ["mqtt"], "server_name": null, "insecure": false},
      "keep_alive_secs": 45,
      "connect_timeout_secs": 7,
      "subscriptions": [{"filter": "#", "qos": 1}],
      "clean_session": false,
      "last_will": {"topic": "pi/status", "payload": "gone", "qos": 1, "retain": true},
      "version": "5",
      "v5": {"session_expiry_secs": 300, "receive_maximum": null, "maximum_packet_size": null,
             "user_properties": [["site", "lab"]]},
      "connect_on_start": true
    },
    {"id": "0000000000000002", "name": "Typed", "broker": "mqtt://typed:1883", "username": "bob",
     "password_storage": "ask"}
  ]
}"##;

    #[test]
    fn a_format_1_file_is_upgraded_with_everything_in_it_and_its_copy_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("profiles.json"), FORMAT_1).expect("written");
        let store = crate::profiles::Store::at(dir.path());
        let loaded = ProfilesFile::load(&store);
        assert_eq!((loaded.problem.as_deref(), loaded.may_save), (None, true));
        let file = loaded.value;
        assert_eq!(file.version, VERSION);
        assert_eq!(file.last_used.as_deref(), Some("00c0ffee00c0ffee"));
        let pi = &file.profiles[0];
        assert_eq!(
            (pi.name.as_str(), pi.broker.as_str(), pi.username.as_str()),
            ("Pi", "mqtts://pi.lan:8883", "ada")
        );
        assert_eq!(
            (pi.password_storage, pi.password.as_deref()),
            (PasswordStorage::PlainText, Some("lovelace"))
        );
        assert_eq!(pi.tls.ca_file.as_deref(), Some(std::path::Path::new("/etc/ca.pem")));
        assert_eq!(pi.tls.alpn, ["mqtt"]);
        assert_eq!((pi.keep_alive_secs, pi.connect_timeout_secs), (45, 7));
        assert_eq!(pi.subscriptions[0].filter, "#");
        assert!(!pi.clean_session && pi.connect_on_start);
        assert_eq!(pi.last_will.as_ref().map(|w| w.topic.as_str()), Some("pi/status"));
        assert_eq!(pi.version, MqttVersion::V5);
        assert_eq!(pi.v5.session_expiry_secs, Some(300));
        assert_eq!(pi.v5.user_properties, [("site".to_owned(), "lab".to_owned())]);
        let typed = &file.profiles[1];
        assert_eq!(
            (typed.password_storage, typed.password.as_deref()),
            (PasswordStorage::Ask, None)
        );

        // The older build's file is kept as it was, next to the upgraded one.
        let kept: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("profiles.v1.json")).expect("the copy"))
                .expect("json");
        let original: serde_json::Value = serde_json::from_str(FORMAT_1).expect("json");
        assert_eq!(kept, original);
        store.save(FILE, &file).expect("saved");
        let again = ProfilesFile::load(&store);
        assert_eq!(again.value, file, "saved in the current format and read back the same");
        let written: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("profiles.json")).expect("file")).expect("json");
        assert_eq!(written["version"], VERSION);

        assert!(ProfilesFile::from_json(serde_json::json!({"version": 0, "profiles": []})).is_err());
    }

    #[test]
    fn the_store_sets_a_damaged_file_aside_and_leaves_a_newer_one_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = crate::profiles::Store::at(dir.path());
        let mut file = ProfilesFile::default();
        file.profiles.push(profile("Pi", "pi.lan"));
        store.save(FILE, &file).expect("saved");
        let loaded = ProfilesFile::load(&store);
        assert_eq!((loaded.value, loaded.problem, loaded.may_save), (file, None, true));

        std::fs::write(
            dir.path().join("profiles.json"),
            br#"{"version": 1, "profiles": [{"name": 5}]}"#,
        )
        .expect("write");
        let loaded = ProfilesFile::load(&store);
        assert!(loaded.value.profiles.is_empty() && loaded.may_save);
        assert!(loaded.problem.expect("a problem").contains("damaged"));
        let backups = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("profiles.bad-"))
            .count();
        assert_eq!(backups, 1, "the damaged file is kept");

        let newer = r#"{"version": 9, "profiles": [{"name": "From the future", "broker": "x"}]}"#;
        std::fs::write(dir.path().join("profiles.json"), newer).expect("write");
        let loaded = ProfilesFile::load(&store);
        assert_eq!(loaded.value.profiles[0].name, "From the future");
        assert!(!loaded.may_save, "a newer file is not overwritten");
        assert!(loaded.problem.expect("said").contains("newer mqscope"));
    }

    #[test]
    fn names_stay_unique_on_import() {
        let mut file = ProfilesFile {
            profiles: vec![profile("Pi", "a")],
            ..ProfilesFile::default()
        };
        let added = file.import(vec![profile("Pi", "b"), profile("Pi", "c"), profile("Cloud", "d")]);
        let names: Vec<&str> = file.profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(added, 3);
        assert_eq!(names, ["Pi", "Pi (2)", "Pi (3)", "Cloud"]);
        assert_eq!(file.find("cloud").map(|p| p.broker.as_str()), Some("d"));
        assert!(Export::parse(b"{\"x\":1}").is_err());
        assert!(Export::parse(b"not json").is_err());
    }
}
