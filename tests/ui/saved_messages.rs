//! Saved messages and the publish history: kept on disk, per profile, and a damaged file reported.

use std::time::{Duration, Instant};

use eframe::egui::{self, Key};
use egui_kittest::kittest::Queryable as _;

use crate::support::Broker;
use crate::ui_support::{
    Fixture, HOME, connect_to, has_label, has_label_containing, open_publish_pane, open_topic, replace_text,
    step_until, type_into,
};

#[test]
fn publish_history_and_saved_messages_survive_a_restart() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    {
        let mut harness = fixture.harness();
        connect_to(&mut harness, &broker, &["lab/#"]);
        open_publish_pane(&mut harness);
        type_into(&mut harness, "Topic", "lab/lamp/set");
        type_into(&mut harness, "Payload", "ON");
        harness.get_by_label("Send").click();
        step_until(&mut harness, "the publish", |h| {
            has_label_containing(h, "Sent 2 bytes to lab/lamp/set")
        });
        type_into(&mut harness, "Save as", "lamp on");
        harness.step();
        harness.get_by_label("Save").click();
        step_until(&mut harness, "the saved message", |h| {
            h.state().explorer().is_some_and(|e| {
                let messages = e.publish.messages();
                messages.saved.len() == 1 && messages.history.len() == 1
            })
        });
    }
    // The file is written off the UI thread: wait for it.
    let file = fixture.config.path().join("messages.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&file).is_ok_and(|t| t.contains("lamp on")) {
        assert!(Instant::now() < deadline, "messages.json was not written");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A new app with the same config directory, on the same broker.
    let mut harness = fixture.harness();
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, broker.settings());
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    let messages = harness
        .state()
        .explorer()
        .expect("connected")
        .publish
        .messages()
        .clone();
    assert_eq!(messages.saved.len(), 1);
    assert_eq!(
        (messages.saved[0].name.as_str(), messages.saved[0].topic.as_str()),
        ("lamp on", "lab/lamp/set")
    );
    assert_eq!(messages.history.len(), 1);
    assert_eq!(messages.history[0].payload, "ON");
}

#[test]
fn saved_messages_and_publish_history_belong_to_their_profile() {
    let broker = Broker::start();
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    harness.step();
    replace_text(&mut harness, "Name", "Lamp tests");
    replace_text(&mut harness, "Broker", &broker.url());
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the connection", |h| {
        has_label_containing(h, "Connected to")
    });
    open_publish_pane(&mut harness);
    type_into(&mut harness, "Topic", "lab/lamp/set");
    type_into(&mut harness, "Payload", "ON");
    type_into(&mut harness, "Save as", "lamp on");
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the saved message", |h| {
        h.state()
            .explorer()
            .is_some_and(|e| e.publish.messages().saved.len() == 1)
    });
    let lamp_id = harness
        .state()
        .manager
        .selected()
        .map(|p| p.id.clone())
        .expect("a profile");

    // Another profile for the same broker, in a second tab: its own, empty, list.
    harness.get_by_label("+").click();
    step_until(&mut harness, "the manager", |h| has_label(h, "Connections"));
    harness.get_by_label("New").click();
    harness.run_steps(2);
    replace_text(&mut harness, "Name", "Other tests");
    replace_text(&mut harness, "Broker", &broker.url());
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the second tab", |h| h.state().explorers().len() == 2);
    step_until(&mut harness, "its connection", |h| {
        has_label_containing(h, "Connected to")
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::P);
    step_until(&mut harness, "its publish pane", |h| has_label(h, "Publish a message"));
    let other = harness.state().explorer().expect("the second tab");
    assert_eq!(other.title, "Other tests");
    assert!(
        other.publish.messages().saved.is_empty(),
        "the other profile has its own list"
    );

    // messages.json keeps the first profile's message under that profile.
    let file = fixture.config.path().join("messages.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let kept = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|v| v["brokers"][format!("profile:{lamp_id}")]["saved"][0]["name"] == "lamp on");
        if kept {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "messages.json never kept the message under the profile"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn save_message_keeps_a_received_message_and_writes_it_to_disk() {
    let fixture = Fixture::new();
    let mut harness = fixture.harness_with_messages(HOME);
    open_topic(&mut harness, "garden", "pump");
    step_until(&mut harness, "the pump message", |h| has_label(h, "Save message"));
    harness.get_by_label("Save message").click();
    step_until(&mut harness, "the word that it was saved", |h| {
        has_label_containing(h, "Saved the message of garden/pump")
    });
    let saved = harness
        .state()
        .explorer()
        .expect("connected")
        .publish
        .messages()
        .saved
        .clone();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (saved[0].name.as_str(), saved[0].topic.as_str()),
        ("garden/pump", "garden/pump")
    );
    // The binary payload is kept exactly (as base64) in messages.json.
    let path = fixture.config.path().join("messages.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&path).is_ok_and(|t| t.contains("AAH/")) {
        assert!(Instant::now() < deadline, "messages.json never held the saved message");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_damaged_messages_file_is_reported_and_kept() {
    let fixture = Fixture::new();
    std::fs::write(fixture.config.path().join("messages.json"), b"{ damaged").expect("write");
    let mut harness = fixture.harness();
    harness.step();
    assert!(has_label_containing(&harness, "is damaged"), "the problem is shown");
    assert!(
        std::fs::read_dir(fixture.config.path())
            .expect("dir")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("messages.bad-")),
        "the damaged file is kept as a backup"
    );
    harness.get_by_label("Dismiss").click();
    harness.run_steps(2);
    assert!(!has_label_containing(&harness, "is damaged"));
}

#[test]
fn a_messages_mqtt5_properties_are_saved_and_sent_again() {
    let broker = Broker::start();
    let port = broker.port().to_string();
    let status = std::process::Command::new("mosquitto_pub")
        .args(["-h", "127.0.0.1", "-p", &port, "-V", "mqttv5", "-r"])
        .args(["-t", "props/cmd", "-m", r#"{"go":1}"#])
        .args(["-D", "publish", "content-type", "application/json"])
        .args(["-D", "publish", "response-topic", "props/reply"])
        .args(["-D", "publish", "correlation-data", "req-7"])
        .args(["-D", "publish", "user-property", "source", "bench"])
        .status()
        .expect("mosquitto_pub");
    assert!(status.success());
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_to(&mut harness, &broker, &["props/#"]);
    open_topic(&mut harness, "props", "cmd");
    step_until(&mut harness, "the message view", |h| has_label(h, "Save message"));

    // Saved from the message view: the properties are kept with it.
    harness.get_by_label("Save message").click();
    step_until(&mut harness, "the saved message", |h| {
        h.state()
            .explorer()
            .is_some_and(|e| !e.publish.messages().saved.is_empty())
    });
    let saved = harness
        .state()
        .explorer()
        .expect("a tab")
        .publish
        .messages()
        .saved
        .clone();
    let kept = saved
        .first()
        .and_then(|m| m.properties.clone())
        .expect("properties kept");
    assert_eq!(kept.response_topic.as_deref(), Some("props/reply"));
    assert_eq!(kept.correlation_data.as_deref(), Some("req-7"));
    assert_eq!(kept.content_type.as_deref(), Some("application/json"));
    assert_eq!(kept.user_properties, [("source".to_owned(), "bench".to_owned())]);

    // Edited and sent again: a subscriber sees the same properties.
    let mut subscriber = std::process::Command::new("mosquitto_sub")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-V",
            "mqttv5",
            "-R",
            "-C",
            "1",
            "-W",
            "10",
        ])
        .args(["-t", "props/cmd", "-F", "%t|%C|%R|%D|%P"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("mosquitto_sub");
    std::thread::sleep(Duration::from_millis(300));
    harness.get_by_label("Edit and resend").click();
    step_until(&mut harness, "the properties in the form", |h| {
        has_label(h, "MQTT 5 properties (4 set)")
    });
    harness.get_by_label("Send").click();
    let deadline = Instant::now() + Duration::from_secs(10);
    while subscriber.try_wait().expect("mosquitto_sub").is_none() {
        assert!(Instant::now() < deadline, "the subscriber saw nothing");
        harness.run_steps(2);
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = subscriber.wait_with_output().expect("its output");
    let line = String::from_utf8_lossy(&output.stdout);
    assert_eq!(line.trim(), "props/cmd|application/json|props/reply|req-7|source:bench");
}
