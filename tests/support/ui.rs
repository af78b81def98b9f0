//! Driving the window in tests as a person would: a fixture with its own
//! config directory and runtime, and helpers to wait, find and type.

#![allow(dead_code, reason = "each test binary uses a different part of this module")]

use std::time::{Duration, Instant};

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use mqscope::App;
use mqscope::profiles::Store;
use mqscope::profiles::secrets::Keyring;

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
