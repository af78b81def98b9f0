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
    let settings = p.settings(Some("typed"), None).expect("valid");
    assert_eq!(settings.address.scheme, Scheme::Mqtts);
    assert_eq!(settings.password.as_deref(), Some("typed"));
    assert_eq!(settings.tls.ca_file.as_deref(), Some(std::path::Path::new("ca.pem")));

    p.password_storage = PasswordStorage::PlainText;
    p.password = Some("kept".into());
    assert!(!p.needs_password());
    assert_eq!(
        p.settings(Some("typed"), None).expect("valid").password.as_deref(),
        Some("kept")
    );

    p.broker = "pi.lan:99999".into();
    assert!(p.settings(None, None).is_err());
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
    let value = serde_json::json!({"version": VERSION, "profiles": [{"name": "Old", "broker": "mqtt://old:1883"}]});
    let Read::Current(file) = ProfilesFile::from_json(value).expect("reads") else {
        panic!("current")
    };
    let p = &file.profiles[0];
    assert_eq!((p.name.as_str(), p.keep_alive_secs), ("Old", 30));
    assert!(!p.id.is_empty() && p.client_id.starts_with("mqscope-"));
    assert_eq!(p.subscriptions.len(), 2);
    assert_eq!(
        p.version,
        VersionChoice::Auto,
        "a new profile speaks 5 where the broker does"
    );

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
    assert_eq!(pi.version, VersionChoice::V5);
    assert_eq!(pi.v5.session_expiry_secs, Some(300));
    assert_eq!(pi.v5.user_properties, [("site".to_owned(), "lab".to_owned())]);
    let typed = &file.profiles[1];
    assert_eq!(
        (typed.password_storage, typed.password.as_deref()),
        (PasswordStorage::Ask, None)
    );

    // The older build's file is kept as it was, next to the upgraded one.
    let kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("profiles.v1.json")).expect("the copy")).expect("json");
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

#[test]
fn a_proxy_password_is_in_the_file_only_where_the_broker_s_is() {
    use crate::mqtt::settings::ProxyKind;
    use crate::profiles::proxy::ProxyProfile;
    let with_proxy = |name: &str, storage| {
        let mut p = profile(name, "mqtts://broker.lan");
        p.username = "bob".into();
        p.password_storage = storage;
        p.password = Some("broker-pw".into());
        p.proxy = ProxyProfile {
            kind: Some(ProxyKind::Socks5),
            host: "gate".into(),
            port: Some(1081),
            username: "me".into(),
            password: Some("proxy-pw".into()),
        };
        p
    };
    let file = ProfilesFile {
        profiles: vec![
            with_proxy("Keyring", PasswordStorage::Keyring),
            with_proxy("Ask", PasswordStorage::Ask),
        ],
        ..ProfilesFile::default()
    };
    let json = serde_json::to_value(&file).expect("json");
    let Read::Current(read) = ProfilesFile::from_json(json).expect("reads") else {
        panic!("current");
    };
    for p in &read.profiles {
        assert_eq!(p.proxy.password, None, "{}: no proxy password in the file", p.name);
        assert_eq!(p.proxy.host, "gate");
        let settings = p.settings(Some("typed"), Some("from-keyring")).expect("valid");
        assert_eq!(
            settings.proxy.as_ref().and_then(|x| x.login()),
            Some(("me", "from-keyring"))
        );
    }

    let plain = with_proxy("Plain", PasswordStorage::PlainText);
    let json = serde_json::to_string(&plain).expect("json");
    assert!(json.contains("proxy-pw"), "kept in the file, like the broker's");
    assert!(!format!("{plain:?}").contains("proxy-pw"), "Debug hides it");
    let settings = plain.settings(None, Some("ignored")).expect("valid");
    assert_eq!(
        settings.proxy.as_ref().and_then(|x| x.login()),
        Some(("me", "proxy-pw"))
    );
    let export = serde_json::to_string(&Export::new(&[plain], false)).expect("json");
    assert!(!export.contains("proxy-pw"), "exports leave it out unless asked");
}

#[test]
fn a_format_3_profile_reads_with_no_proxy() {
    let json = serde_json::json!({
        "version": 3,
        "profiles": [{ "id": "a", "name": "Pi", "broker": "mqtt://pi:1883", "version": "auto" }]
    });
    let Read::Upgraded(file, 3) = ProfilesFile::from_json(json).expect("reads") else {
        panic!("upgraded from 3");
    };
    assert_eq!(file.version, VERSION);
    let profile = file.profiles.first().expect("one profile");
    assert!(profile.proxy.is_none());
    assert_eq!(profile.settings(None, None).expect("valid").proxy, None);
}
