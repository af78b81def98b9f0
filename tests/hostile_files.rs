//! Property tests for every reader of a file from outside: the profiles file and a profiles
//! export, the saved messages, the simulations and the settings files, a recording (JSON
//! lines, zstd, an exported JSON array or CSV table) and a file imported into the saved
//! messages. Any bytes, and valid files with random damage, end in a value or an error in
//! words: never a panic. `PROPTEST_CASES` sets the cases of each (256 by default).

use std::path::Path;
use std::sync::Arc;

use mqscope::model::{Properties, Qos, Received, RetainHandling, Subscription};
use mqscope::profiles::messages::{Encoding, MessagesFile, StoredMessage, StoredProperties};
use mqscope::profiles::profile::{Export, Profile, ProfilesFile};
use mqscope::profiles::settings::Settings;
use mqscope::profiles::simulations::SimulationsFile;
use mqscope::record::lines::Progress;
use proptest::prelude::*;

/// A profiles export as mqscope writes one: a profile with every kind of field set.
fn profiles_seed() -> Vec<u8> {
    let mut profile = Profile {
        username: "me".into(),
        subscriptions: vec![
            Subscription {
                qos: Qos::AtLeastOnce,
                no_local: true,
                retain_handling: RetainHandling::Never,
                identifier: Some(7),
                colour: Some([1, 2, 3]),
                ..Subscription::new("#")
            },
            Subscription::new("$SYS/#"),
        ],
        ..Profile::default()
    };
    profile.tls.server_name = Some("broker".into());
    serde_json::to_vec(&Export::new(&[profile], true)).expect("an export")
}

/// Saved messages, one with MQTT 5 properties, and a publish in the history.
fn messages_seed() -> Vec<u8> {
    let mut file = MessagesFile::default();
    let broker = file.brokers.entry("pi:1883".into()).or_default();
    broker.save(StoredMessage {
        name: "on".into(),
        topic: "lamp/set".into(),
        payload: "ON".into(),
        qos: 1,
        retain: true,
        properties: Some(StoredProperties {
            response_topic: Some("lamp/reply".into()),
            user_properties: vec![("a".into(), "b".into())],
            ..StoredProperties::default()
        }),
        ..StoredMessage::default()
    });
    broker.record(StoredMessage {
        topic: "raw".into(),
        payload: "AAE=".into(),
        encoding: Encoding::Base64,
        ..StoredMessage::default()
    });
    serde_json::to_vec(&file).expect("a messages file")
}

/// The ready examples, as a simulations file.
fn simulations_seed() -> Vec<u8> {
    let mut file = SimulationsFile::default();
    file.brokers
        .insert("pi:1883".into(), mqscope::model::simulate::examples::all());
    serde_json::to_vec(&file).expect("a simulations file")
}

/// The settings as written.
fn settings_seed() -> Vec<u8> {
    serde_json::to_vec(&Settings::default()).expect("settings")
}

/// A recording's lines (one with MQTT 5 properties, one binary), and a `mosquitto_sub -F %j` line.
fn recording_seed() -> Vec<u8> {
    let mut bytes = Vec::new();
    mqscope::record::line::write(&mut bytes, &Received::example("lamp/set", "ON"));
    let mut binary = Received::example("raw", "");
    binary.message.payload = bytes::Bytes::from_static(&[0, 1, 0xfe, 0xff]);
    binary.message.properties = Some(Arc::new(Properties {
        content_type: Some("x".into()),
        user_properties: vec![("a".into(), "b".into())],
        ..Properties::default()
    }));
    mqscope::record::line::write(&mut bytes, &binary);
    bytes.extend_from_slice(
        br#"{"tst":"2026-12-02T02:11:28.130630Z+0000","topic":"fan/set","qos":1,"retain":0,"payloadlen":3,"payload":"LOW"}"#,
    );
    bytes.push(b'\n');
    bytes
}

/// An exported CSV table.
const CSV: &str = "time,topic,qos,retain,payload,payload_encoding,temp\n2026-12-02T02:11:28.130630Z,a/b,0,false,\"{\"\"temp\"\":1}\",utf8,1\n";

/// `seed` with up to 8 random edits: a byte changed, inserted or taken out.
fn damaged(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((any::<usize>(), any::<u8>(), 0..3_u8), 0..8).prop_map(move |edits| {
        let mut bytes = seed.clone();
        for (at, byte, kind) in edits {
            let at = at % (bytes.len() + 1);
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    })
}

/// Any bytes, or one of the seeds damaged.
fn hostile(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..2048), damaged(seed)]
}

/// Open `bytes` as a recording named `name`: a session or an error, never a panic.
fn open_recording(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the file");
    let progress = Arc::new(Progress::default());
    if let Ok(opened) = mqscope::record::open::open_keeping(&path, (100, 1 << 20), &progress) {
        assert!(opened.session.tree.message_count() <= opened.messages);
    }
}

proptest! {
    #[test]
    fn a_profiles_file_or_export_never_panics(bytes in hostile(profiles_seed())) {
        let _ = Export::parse(&bytes);
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            let _ = ProfilesFile::from_json(value);
        }
    }

    #[test]
    fn the_saved_messages_file_never_panics(bytes in hostile(messages_seed())) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("messages.json"), &bytes).expect("write");
        let store = mqscope::profiles::Store::at(dir.path());
        let _ = store.load::<MessagesFile>("messages");
    }

    #[test]
    fn the_simulations_and_settings_files_never_panic(
        simulations in hostile(simulations_seed()),
        settings in hostile(settings_seed()),
    ) {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&simulations) {
            let _ = SimulationsFile::from_json(value);
        }
        if let Ok(read) = serde_json::from_slice::<Settings>(&settings) {
            let _ = read.clamped();
        }
    }

    #[test]
    fn a_recording_line_never_panics(bytes in hostile(recording_seed())) {
        for line in bytes.split(|b| *b == b'\n') {
            let _ = mqscope::record::parse::parse_line(line);
        }
    }

    #[test]
    fn a_recording_or_export_opens_or_says_why(
        lines in hostile(recording_seed()),
        csv in hostile(CSV.as_bytes().to_vec()),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        open_recording(dir.path(), "rec.jsonl", &lines);
        open_recording(dir.path(), "table.csv", &csv);
        // The same lines as a JSON array of their objects, damaged or not.
        let mut array = b"[".to_vec();
        array.extend(lines.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect::<Vec<_>>().join(&b","[..]));
        array.push(b']');
        open_recording(dir.path(), "array.json", &array);
        // A zstd frame that is cut or damaged.
        let compressed = zstd::encode_all(&lines[..], 1).expect("compress");
        let cut = compressed.len() / 2;
        open_recording(dir.path(), "cut.jsonl.zst", compressed.get(..cut).unwrap_or_default());
        open_recording(dir.path(), "raw.jsonl.zst", &lines);
    }

    #[test]
    fn an_import_into_the_saved_messages_never_panics(bytes in hostile(recording_seed())) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("import.jsonl");
        std::fs::write(&path, &bytes).expect("write");
        if let Ok(imported) = mqscope::export::import::read(&path) {
            prop_assert!(imported.messages.len() <= 1000);
        }
    }
}

/// The damage starts from valid files, so the readers' deep paths are reached.
#[test]
fn the_seeds_are_valid_files() {
    assert_eq!(Export::parse(&profiles_seed()).expect("profiles").len(), 1);
    let messages: MessagesFile = serde_json::from_slice(&messages_seed()).expect("messages");
    assert_eq!(messages.brokers.len(), 1);
    let simulations = serde_json::from_slice(&simulations_seed()).expect("JSON");
    assert!(
        !SimulationsFile::from_json(simulations)
            .expect("simulations")
            .0
            .brokers
            .is_empty()
    );
    serde_json::from_slice::<Settings>(&settings_seed()).expect("settings");
    let recording = recording_seed();
    for line in recording.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        mqscope::record::parse::parse_line(line).expect("a recording line");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let progress = Arc::new(Progress::default());
    for (name, bytes) in [("rec.jsonl", recording), ("table.csv", CSV.as_bytes().to_vec())] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let opened = mqscope::record::open::open(&path, (100, 1 << 20), &progress).expect("opens");
        assert!(
            opened.messages > 0 && opened.skipped == 0,
            "{name}: {:?}",
            opened.problems
        );
    }
}
