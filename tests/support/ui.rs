//! Driving the window in tests as a person would: a fixture with its own
//! config directory and runtime, a window fed example messages without a broker,
//! and helpers to wait, find and type.

#![allow(dead_code, reason = "each test binary uses a different part of this module")]

use std::time::{Duration, Instant};

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::model::{Event, Message, Received, Session, Subscription};
use mqscope::mqtt::{BrokerAddress, ConnectionSettings};
use mqscope::profiles::Store;
use mqscope::profiles::secrets::Keyring;

use crate::support::Broker;

/// A test's runtime and config directory.
pub struct Fixture {
    pub runtime: tokio::runtime::Runtime,
    /// The app's config directory: the test's own, never the user's.
    pub config: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime"),
            config: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn harness(&self) -> Harness<'static, App> {
        // Tests never touch the user's keyring (tests/keyring.rs uses one of its own).
        self.harness_with(Keyring::unavailable("not used in these tests"))
    }

    /// A window with one tab showing what a connection has seen: `messages`, in this order.
    /// No broker is behind it; for tests of what is shown, not of the network.
    pub fn harness_with_messages(&self, messages: &[Example<'_>]) -> Harness<'static, App> {
        self.harness_speaking(messages, mqscope::mqtt::VersionChoice::Auto)
    }

    /// The same, for a tab whose connection speaks `version`.
    pub fn harness_speaking(
        &self,
        messages: &[Example<'_>],
        version: mqscope::mqtt::VersionChoice,
    ) -> Harness<'static, App> {
        let mut session = Session::new();
        session.apply(Event::Messages(received(messages)), Instant::now());
        // A loopback port nothing listens on: whatever asks the broker is told it is not there.
        let address = format!("mqtt://127.0.0.1:{}", crate::support::free_port());
        let mut settings = ConnectionSettings::new(BrokerAddress::parse(&address).expect("a valid address"));
        settings.version = version;
        let mut harness = self.harness();
        harness.state_mut().open_session(settings, session);
        harness.run_steps(2);
        harness
    }

    pub fn harness_with(&self, keyring: Keyring) -> Harness<'static, App> {
        let store = Store::at(self.config.path());
        let mut app = App::with_store(self.runtime.handle().clone(), Some(store), keyring);
        // Files are picked by typing their path, with or without a desktop portal here.
        app.set_dialogs(mqscope::ui::dialogs::Dialogs::typed());
        Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_max_steps(10_000)
            .build_ui_state(
                |ui, app: &mut App| {
                    let ctx = ui.ctx().clone();
                    app.logic(&ctx);
                    app.ui(ui);
                },
                app,
            )
    }
}

/// An example message: its topic, its payload, and whether the broker delivered it as retained.
pub type Example<'a> = (&'a str, &'a [u8], bool);

/// The home topics, all retained: a JSON sensor, two lights and a binary pump.
pub const HOME: &[Example<'static>] = &[
    (
        "home/kitchen/sensor",
        br#"{"temperature":21.5,"humidity":40,"ok":true}"#,
        true,
    ),
    ("home/kitchen/light", b"ON", true),
    ("home/hall/light", b"OFF", true),
    ("garden/pump", b"\x00\x01\xff", true),
];

/// Messages on one topic, oldest first, none retained.
pub fn live<'a, P: AsRef<[u8]>>(topic: &'a str, payloads: &'a [P]) -> Vec<Example<'a>> {
    payloads
        .iter()
        .map(|payload| (topic, payload.as_ref(), false))
        .collect()
}

/// The examples as a connection hands them to the model.
fn received(messages: &[Example<'_>]) -> Vec<Received> {
    messages
        .iter()
        .map(|&(topic, payload, retain)| {
            let mut message = Message::new(payload.to_vec());
            message.retain = retain;
            Received {
                topic: topic.to_owned(),
                message,
            }
        })
        .collect()
}

/// Messages arriving while the test runs: applied to the shown tab's session, as its
/// connection would apply them, and drawn on the next frame.
pub fn arrive(harness: &mut Harness<'_, App>, messages: &[Example<'_>]) {
    let explorer = harness.state_mut().explorer_mut().expect("a tab is shown");
    explorer
        .session
        .apply(Event::Messages(received(messages)), Instant::now());
    harness.step();
}

/// Run frames until `done` holds, as the window would while events arrive.
pub fn step_until(harness: &mut Harness<'_, App>, what: &str, done: impl Fn(&Harness<'_, App>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        harness.step();
        if done(harness) {
            return;
        }
        if Instant::now() >= deadline {
            let shown = std::cell::RefCell::new(Vec::new());
            let _ = harness
                .query_all_by(|n| {
                    if let Some(text) = n.value().or_else(|| n.label()) {
                        shown.borrow_mut().push(text.to_string());
                    }
                    false
                })
                .count();
            let mut shown = shown.into_inner();
            shown.dedup();
            panic!("timed out waiting for {what}; the window shows: {shown:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Run frames for `duration`, and at least ten, as the window would while time passes (a
/// repeat sends when due).
pub fn run_frames_for(harness: &mut Harness<'_, App>, duration: Duration) {
    let until = Instant::now() + duration;
    let mut frames = 0;
    while Instant::now() < until || frames < 10 {
        harness.step();
        frames += 1;
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether some widget is labelled `label` (several may be).
pub fn has_label(harness: &Harness<'_, App>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

/// Whether some widget's label contains `label` (several may).
pub fn has_label_containing(harness: &Harness<'_, App>, label: &str) -> bool {
    harness.query_all_by_label_contains(label).next().is_some()
}

/// Click into the field labelled `label` and type `text`.
pub fn type_into(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.step();
    harness.get_by_label(label).type_text(text);
    harness.step();
}

/// Select all of a text field and type `text` over it.
pub fn replace_text(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label(label).type_text(text);
    harness.step();
}

/// The profiles file as written, once it holds `what`.
pub fn profiles_file_once(fixture: &Fixture, what: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let path = fixture.config.path().join("profiles.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(value) = serde_json::from_str::<serde_json::Value>(&text)
            && what(&value)
        {
            return value;
        }
        assert!(Instant::now() < deadline, "profiles.json never held what was expected");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether a tree row's text after its name (value, counts) contains `text`.
pub fn row_value_contains(harness: &Harness<'_, App>, text: &str) -> bool {
    harness
        .query_by(|node| node.role() == egui::Role::TreeItem && node.value().is_some_and(|v| v.contains(text)))
        .is_some()
}

/// The home topics ([`HOME`]), retained at `broker`.
pub fn retained_home(broker: &Broker) {
    for &(topic, payload, retain) in HOME {
        broker.mosquitto_pub(topic, payload, retain);
    }
}

/// Connect the window to `broker` with these subscriptions, and wait for the connection.
pub fn connect_to(harness: &mut Harness<'_, App>, broker: &Broker, filters: &[&str]) {
    let mut settings = broker.settings();
    settings.subscriptions = filters.iter().map(|f| Subscription::new(*f)).collect();
    let ctx = harness.ctx.clone();
    harness.state_mut().connect(&ctx, settings);
    step_until(harness, "the connection", |h| has_label_containing(h, "Connected to"));
}

/// Open the publish pane with Ctrl+P and let its form lay itself out (a grid's first frame sizes it).
pub fn open_publish_pane(harness: &mut Harness<'_, App>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::P);
    step_until(harness, "the publish pane", |h| has_label(h, "Payload"));
    harness.run_steps(2);
}

/// A broker with the home topics retained, and a window connected to it.
pub fn home_explorer() -> (Broker, Fixture, Harness<'static, App>) {
    let broker = Broker::start();
    retained_home(&broker);
    let fixture = Fixture::new();
    let mut harness = fixture.harness();
    connect_home(&mut harness, &broker);
    (broker, fixture, harness)
}

/// Connect the window to `broker` subscribed to the home topics.
pub fn connect_home(harness: &mut Harness<'_, App>, broker: &Broker) {
    connect_to(harness, broker, &["home/#", "garden/#"]);
}

/// Open `branch` in the tree and click its child `leaf`, waiting for each to show.
pub fn open_topic(harness: &mut Harness<'_, App>, branch: &str, leaf: &str) {
    let expand = format!("Expand {branch}");
    step_until(harness, &format!("the {branch} branch"), |h| has_label(h, &expand));
    harness.get_by_label(&expand).click();
    step_until(harness, &format!("the topic {branch}/{leaf}"), |h| has_label(h, leaf));
    harness.get_by_label(leaf).click();
}
