//! The application: the window, its tabs (one [`Explorer`] per open connection), the
//! connection manager and the floating windows. `logic` drains every tab within one time
//! budget; `ui` draws the toolbar, the tab strip and the tab shown.

pub mod about;
pub mod look;
mod pace;
mod saver;
mod simulations;
mod tabs;
mod toolbar;
pub mod windows;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use eframe::egui;

pub use crate::explorer::Explorer;
use crate::model::Session;
use crate::mqtt::{Connection, ConnectionSettings, Waker};
use crate::profiles::Store;
use crate::profiles::messages::{self, MessagesFile};
use crate::profiles::profile::ProfilesFile;
use crate::profiles::secrets::Keyring;
use crate::profiles::settings::{self, Settings};
use crate::ui::connection::ConnectionManager;
use crate::ui::dialogs::Dialogs;
use crate::ui::{status, theme};
use saver::Saver;
use windows::{WindowContext, Windows};

/// Time spent applying events per frame at most; the rest waits for the next frame.
pub const DRAIN_BUDGET: Duration = Duration::from_millis(8);

/// The same while a backlog waits (the retained messages of a big broker, a flood): the frame
/// goes to applying it and the window is drawn a few times a second less often than it could
/// be, still answering input within about 50 ms.
pub const CATCH_UP_BUDGET: Duration = Duration::from_millis(40);

/// Time to apply events in a frame that answers input (a key, a click, the wheel): little, so
/// the answer shows at once; what waits is applied in the frames after.
pub const INPUT_BUDGET: Duration = Duration::from_millis(2);

/// Width of the connection manager's card content, in points.
const FORM_WIDTH: f32 = 700.0;

/// The mqscope application state.
pub struct App {
    runtime: tokio::runtime::Handle,
    /// Every tab's saved messages and publish history.
    messages: MessagesFile,
    /// Writes `messages`.
    messages_saver: Saver,
    /// Writes the connection profiles.
    profiles_saver: Saver,
    /// Writes the settings.
    settings_saver: Saver,
    /// Every tab's simulations, and their writer.
    simulations: simulations::KeptSimulations,
    /// A problem to show until dismissed (a damaged file, a failed save).
    notice: Option<String>,
    /// The connection manager: saved profiles and their editor.
    pub manager: ConnectionManager,
    /// What the user set (history bounds).
    pub settings: Settings,
    /// The floating windows (settings, broker status, about).
    windows: Windows,
    /// What the About window reports.
    diagnostics: about::Diagnostics,
    /// How files are picked: the desktop's dialog, or a typed path.
    dialogs: Dialogs,
    /// Whether events were still waiting after the last frame's drain.
    backlog: bool,
    /// When the process started, until the first frame is drawn (then logged).
    started: Option<Instant>,
    show_form: bool,
    /// Every open connection, a tab each.
    explorers: Vec<Explorer>,
    /// The tab shown.
    active: usize,
    title: String,
    /// A recording being opened.
    open_recording: crate::ui::open_recording::OpenRecording,
}

/// How long closing the window waits for recordings to write their last lines.
const RECORDING_GRACE: Duration = Duration::from_secs(3);

impl App {
    /// An app that shows the connect form; connections run on `runtime`;
    /// saved messages live in the OS's config directory.
    pub fn new(runtime: tokio::runtime::Handle) -> Self {
        let app = match Store::open_default() {
            Ok(store) => Self::with_store(runtime, Some(store), Keyring::start()),
            Err(problem) => {
                let mut app = Self::with_store(runtime, None, Keyring::start());
                app.notice = Some(problem);
                app
            }
        };
        // Ask the desktop now whether it has a file dialog, so the first pick does not wait.
        app.dialogs.probe(&app.runtime);
        app
    }

    /// An app keeping its files in `store` (or nowhere), and passwords in `keyring` where
    /// profiles ask for it.
    pub fn with_store(runtime: tokio::runtime::Handle, store: Option<Store>, keyring: Keyring) -> Self {
        let mut problems = Vec::new();
        let (profiles, profiles_store) = match &store {
            Some(store) => {
                let loaded = ProfilesFile::load(store);
                problems.extend(loaded.problem);
                (loaded.value, Some(store.clone()).filter(|_| loaded.may_save))
            }
            None => (ProfilesFile::default(), None),
        };
        let (settings, settings_store) = match &store {
            Some(store) => {
                let loaded = store.load::<Settings>(crate::profiles::settings::FILE);
                problems.extend(loaded.problem);
                (loaded.value.clamped(), Some(store.clone()).filter(|_| loaded.may_save))
            }
            None => (Settings::default(), None),
        };
        let simulations = simulations::KeptSimulations::load(store.as_ref(), &mut problems);
        let (messages, store) = match store {
            Some(store) => {
                let loaded = store.load::<MessagesFile>(messages::FILE);
                problems.extend(loaded.problem);
                (loaded.value, Some(store).filter(|_| loaded.may_save))
            }
            None => (MessagesFile::default(), None),
        };
        Self {
            runtime,
            messages,
            messages_saver: Saver::new(store, messages::FILE),
            profiles_saver: Saver::new(profiles_store, crate::profiles::profile::FILE),
            settings_saver: Saver::new(settings_store, settings::FILE),
            simulations,
            notice: (!problems.is_empty()).then(|| problems.join(". ")),
            manager: ConnectionManager::new(profiles, keyring),
            settings,
            windows: Windows::default(),
            diagnostics: about::Diagnostics::default(),
            dialogs: Dialogs::native(),
            backlog: false,
            started: None,
            open_recording: Default::default(),
            show_form: true,
            explorers: Vec::new(),
            active: 0,
            title: String::new(),
        }
    }

    /// The connection shown, if any.
    pub fn explorer(&self) -> Option<&Explorer> {
        self.explorers.get(self.active)
    }

    /// The connection shown, mutably, if any.
    pub fn explorer_mut(&mut self) -> Option<&mut Explorer> {
        self.explorers.get_mut(self.active)
    }

    /// Every open connection, in tab order.
    pub fn explorers(&self) -> &[Explorer] {
        &self.explorers
    }

    /// Disconnect every connection cleanly and wait for them, at most `timeout` in all.
    pub fn shutdown(&mut self, timeout: Duration) {
        let connections: Vec<&Connection> = self.explorers.iter().filter_map(|e| e.connection.as_ref()).collect();
        for connection in &connections {
            connection.disconnect();
        }
        let deadline = Instant::now() + timeout;
        while connections.iter().any(|c| !c.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        // A recording ends once its connection has: let its last lines reach the file.
        let recordings_deadline = Instant::now() + RECORDING_GRACE;
        while self.explorers.iter_mut().any(Explorer::is_recording) && Instant::now() < recordings_deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Apply waiting events within the frame budget. Call once per frame, before [`Self::ui`].
    pub fn logic(&mut self, ctx: &egui::Context) {
        if let Some((id, settings)) = self.manager.poll(ctx) {
            match settings {
                Ok(settings) => {
                    let title = self.profile_title(&id);
                    self.connect_named(ctx, settings, title, Some(&id));
                }
                Err(error) => {
                    self.notice = Some(error);
                    self.show_form = true;
                }
            }
        }
        // Every tab drains (a hidden one's queue must not grow), the one shown first, all within
        // one budget.
        // A frame that answers a key or a click spends little on messages: the person first.
        let input = ctx.input(|i| {
            i.events.iter().any(|e| {
                matches!(
                    e,
                    egui::Event::Key { .. }
                        | egui::Event::Text(_)
                        | egui::Event::PointerButton { .. }
                        | egui::Event::MouseWheel { .. }
                )
            })
        });
        let budget = match (input, self.backlog) {
            (true, _) => INPUT_BUDGET,
            (false, true) => CATCH_UP_BUDGET,
            (false, false) => DRAIN_BUDGET,
        };
        let deadline = Instant::now() + budget;
        let order = std::iter::once(self.active).chain((0..self.explorers.len()).filter(|&i| i != self.active));
        let mut backlog = false;
        for index in order.collect::<Vec<_>>() {
            if let Some(explorer) = self.explorers.get_mut(index) {
                backlog |= explorer.logic(ctx, &self.runtime, deadline);
            }
        }
        self.backlog = backlog;
        let now = Instant::now();
        let rate = self
            .explorers
            .iter_mut()
            .map(|e| e.session.messages_per_second(now))
            .sum();
        pace::Pace::of(ctx).follow(rate);
    }

    /// The saved messages and history kept under `key`; a profile with none yet starts from
    /// those kept for its broker before profiles existed.
    fn saved_messages(&self, key: &str, settings: &ConnectionSettings) -> messages::BrokerMessages {
        let kept = &self.messages.brokers;
        kept.get(key)
            .or_else(|| kept.get(&broker_key(settings)))
            .cloned()
            .unwrap_or_default()
    }

    /// Keep the publish pane's saved messages and history, off the UI thread.
    fn save_messages(&mut self) {
        let mut changed = false;
        for explorer in &mut self.explorers {
            if explorer.publish.take_changed() {
                self.messages
                    .brokers
                    .insert(explorer.messages_key.clone(), explorer.publish.messages().clone());
                changed = true;
            }
        }
        if changed {
            self.messages_saver.save(&self.runtime, self.messages.clone());
        }
    }

    /// Keep the connection profiles, off the UI thread.
    fn save_profiles(&mut self) {
        if self.manager.take_changed() {
            self.profiles_saver.save(&self.runtime, self.manager.profiles.clone());
        }
    }

    /// Draw the window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        // Keys this frame answers, for the log: how long input waits under load can be
        // measured from outside (the window benchmark does).
        let keys = ui.input(|i| {
            i.events
                .iter()
                .filter(|e| matches!(e, egui::Event::Key { pressed: true, .. }))
                .count()
        });
        let settings_before = self.settings.clone();
        look::zoom_keys(ui.ctx(), &mut self.settings);
        look::apply(ui.ctx(), &self.settings);
        self.update_title(ui.ctx());
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::P))
            && let Some(explorer) = self.explorers.get_mut(self.active)
        {
            explorer.publish.open = !explorer.publish.open;
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::L))
            && let Some(explorer) = self.explorers.get_mut(self.active)
        {
            explorer.log.open = !explorer.log.open;
        }
        if !self.explorers.is_empty() && ui.input_mut(|i| i.consume_key(egui::Modifiers::CTRL, egui::Key::Tab)) {
            self.show_tab((self.active + 1) % self.explorers.len());
        }
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui));
        if self.notice.is_some() {
            egui::Panel::top("notice").show(ui, |ui| self.notice_ui(ui));
        }
        if !self.explorers.is_empty() {
            egui::Panel::top("tabs").show(ui, |ui| self.tabs_ui(ui));
        }
        let limits = (
            self.settings.history_per_topic,
            self.settings.budget_per_connection(self.explorers.len() + 1),
        );
        match self.open_recording.ui(ui.ctx(), &self.runtime, limits) {
            Some(Ok((path, opened))) => self.open_recording_tab(path, opened),
            Some(Err(why)) => self.notice = Some(why),
            None => {}
        }
        if let Some(explorer) = self.explorers.get_mut(self.active) {
            match &explorer.offline {
                Some(path) => {
                    let text = format!(
                        "Opened from {}: {}, no broker",
                        path.display(),
                        crate::ui::text::plural(explorer.session.tree.message_count(), "message", "messages")
                    );
                    egui::Panel::bottom("status").show(ui, |ui| ui.weak(text));
                }
                None => {
                    let broker = explorer.settings.address.to_string();
                    egui::Panel::bottom("status")
                        .show(ui, |ui| status::ui(ui, &mut explorer.session, &broker, self.backlog));
                }
            }
        }
        match self.explorers.get_mut(self.active) {
            Some(explorer) if !self.show_form => explorer.ui(ui, &self.runtime, &self.dialogs),
            _ => {
                let mut connect = None;
                egui::CentralPanel::default().show(ui, |ui| {
                    let top = (ui.available_height() * 0.08).min(48.0);
                    ui.add_space(top);
                    let height = (ui.available_height() - top - 40.0).clamp(300.0, 760.0);
                    // A window narrower than the card (small, or zoomed) scrolls it sideways.
                    egui::ScrollArea::horizontal().show(ui, |ui| {
                        ui.horizontal(|ui| {
                            // Center the card: its width is the form's plus the frame's margins.
                            let card_width = FORM_WIDTH + 2.0 * 20.0;
                            ui.add_space(((ui.available_width() - card_width) / 2.0).max(0.0));
                            egui::Frame::group(ui.style()).inner_margin(20.0).show(ui, |ui| {
                                ui.set_width(FORM_WIDTH);
                                connect = self.manager.ui(ui, &self.dialogs, &self.runtime, height);
                            });
                        });
                    });
                });
                if let Some(settings) = connect {
                    let profile = self.manager.selected().map(|p| p.id.clone());
                    let title = profile
                        .as_deref()
                        .map_or_else(|| settings.address.authority(), |id| self.profile_title(id));
                    self.connect_named(ui.ctx(), settings, title, profile.as_deref());
                }
            }
        }
        if let Some(started) = self.started.take() {
            tracing::info!(ms = started.elapsed().as_millis() as u64, "first frame drawn");
        }
        self.windows_ui(ui.ctx());
        self.settings_changed(ui.ctx(), &settings_before);
        self.save_messages();
        self.simulations.save_changed(&mut self.explorers, &self.runtime);
        self.save_profiles();
        if keys > 0 {
            tracing::debug!(target: "mqscope::input", keys, "input answered");
        }
    }

    /// The floating windows; settings changed there are applied and saved after the frame.
    fn windows_ui(&mut self, ctx: &egui::Context) {
        let mut cx = WindowContext {
            settings: &mut self.settings,
            explorer: self.explorers.get(self.active),
            explorers: &self.explorers,
            diagnostics: &self.diagnostics,
        };
        self.windows.show(ctx, &mut cx);
    }

    /// Apply and save the settings if this frame changed them (in a window, or by a zoom key).
    fn settings_changed(&mut self, ctx: &egui::Context, before: &Settings) {
        if self.settings == *before {
            return;
        }
        look::apply(ctx, &self.settings);
        ctx.request_repaint();
        if (self.settings.history_per_topic, self.settings.history_budget_mib)
            != (before.history_per_topic, before.history_budget_mib)
        {
            self.apply_history_limits();
        }
        self.settings_saver.save(&self.runtime, self.settings.clone());
    }

    /// Report this log file (or why there is none) and these problems in the About window.
    pub fn set_logging(&mut self, logging: crate::logging::Logging) {
        self.diagnostics.log_file = logging.file;
        self.diagnostics.recent = logging.recent;
    }

    /// Open or close the About window.
    pub fn show_about(&mut self, open: bool) {
        self.windows.set_open(about::ABOUT, open);
    }

    /// Draw with the settings' theme and zoom from the first frame on (call before it).
    pub fn apply_look(&self, ctx: &egui::Context) {
        look::apply(ctx, &self.settings);
    }
}

/// The key of a profile's saved messages.
fn profile_key(id: &str) -> String {
    format!("profile:{id}")
}

/// The key of a broker's saved messages: `host:port`, shared by every transport to that port.
fn broker_key(settings: &ConnectionSettings) -> String {
    settings.address.authority()
}

/// A connection started before the window exists, so connecting and the broker's first
/// messages overlap with opening the window; [`App::adopt`] gives it a tab.
pub struct EarlyConnection {
    settings: ConnectionSettings,
    connection: Connection,
    /// The window to wake, once there is one; events before that wait for the first frame.
    window: Arc<OnceLock<egui::Context>>,
}

impl EarlyConnection {
    /// Connect with `settings` on `runtime` now.
    pub fn start(runtime: &tokio::runtime::Handle, settings: ConnectionSettings) -> Self {
        let window: Arc<OnceLock<egui::Context>> = Arc::default();
        let wake = Arc::clone(&window);
        let pace: Arc<OnceLock<pace::Pace>> = Arc::default();
        let pace_of_window = Arc::clone(&pace);
        let waker: Waker = Arc::new(move || {
            if let Some(ctx) = wake.get() {
                let pace = pace_of_window.get_or_init(|| pace::Pace::of(ctx));
                ctx.request_repaint_after(pace.frame());
            }
        });
        let connection = Connection::spawn(runtime, settings.clone(), waker);
        Self {
            settings,
            connection,
            window,
        }
    }
}

/// Wakes the UI when a connection has events: a repaint soon, coalesced by the channel.
fn waker(ctx: &egui::Context) -> Waker {
    let ctx = ctx.clone();
    // New messages are drawn within a live frame: often enough to see every change at once,
    // seldom enough that a busy broker does not keep the window drawing at full rate; during a
    // flood a few times a second.
    let pace = pace::Pace::of(&ctx);
    std::sync::Arc::new(move || ctx.request_repaint_after(pace.frame()))
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        App::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.diagnostics.gl_version.is_none()
            && let Some(gl) = frame.gl()
        {
            self.diagnostics.gl_version = Some(about::gl_version(eframe::glow::HasContext::version(&**gl)));
        }
        App::ui(self, ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.shutdown(Duration::from_millis(1500));
    }
}

/// Apply the app's look to a context (fonts, spacing).
pub fn setup(ctx: &egui::Context) {
    theme::apply(ctx);
}
