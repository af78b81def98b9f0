//! The application: owns the connection and its model, drains events in
//! `logic` within a time budget, and lays out the panels in `ui`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use eframe::egui;

use crate::model::Session;
use crate::mqtt::{Connection, ConnectionSettings, Drained, Waker};
use crate::profiles::Store;
use crate::profiles::messages::{self, MessagesFile};
use crate::profiles::profile::ProfilesFile;
use crate::profiles::secrets::Keyring;
use crate::profiles::settings::{self, Settings};
use crate::ui::connection::ConnectionManager;
use crate::ui::delete::DeleteJob;
use crate::ui::message::{MessageAction, MessageView};
use crate::ui::publish::PublishPane;
use crate::ui::tree::TreeView;
use crate::ui::{status, theme};

/// Time spent applying events per frame at most; the rest waits for the next frame.
pub const DRAIN_BUDGET: Duration = Duration::from_millis(8);

/// Width of the connection manager's card content, in points.
const FORM_WIDTH: f32 = 700.0;

/// Width of the message panel when the window opens, in points.
const MESSAGE_PANEL_WIDTH: f32 = 640.0;

/// One connection and everything seen on it: a tab of the window.
pub struct Explorer {
    /// The tab's name: the profile's, or the broker's address.
    pub title: String,
    /// Under which key its saved messages and publish history are kept: the profile's, or
    /// (without a profile) the broker's `host:port`.
    messages_key: String,
    /// What the connection has seen.
    pub session: Session,
    /// How it connects.
    pub settings: ConnectionSettings,
    connection: Option<Connection>,
    /// The topic tree panel.
    pub tree: TreeView,
    message: MessageView,
    /// The publish pane.
    pub publish: PublishPane,
    /// The topics pinned to compare side by side.
    pub pins: crate::ui::compare::Pins,
    /// A clearing of retained messages under way.
    delete: Option<DeleteJob>,
}

impl Explorer {
    /// Whether the connection task is still running.
    pub fn is_running(&self) -> bool {
        self.connection.is_some()
    }

    /// Apply waiting events until `deadline`. Returns true if more are waiting.
    pub fn drain(&mut self, deadline: Instant) -> bool {
        let Some(connection) = &self.connection else {
            return false;
        };
        let session = &mut self.session;
        let now = Instant::now();
        match connection.events().drain(deadline, |event| session.apply(event, now)) {
            Drained::Empty => false,
            Drained::MoreWaiting => true,
            Drained::Closed => {
                self.connection = None;
                false
            }
        }
    }
}

/// The mqscope application state.
pub struct App {
    runtime: tokio::runtime::Handle,
    /// Where saved messages and history live (none when there is no config directory,
    /// or the file could not be read and must not be overwritten).
    store: Option<Store>,
    messages: MessagesFile,
    /// Saves of `messages` started so far (the newest one's number).
    saves_started: Arc<AtomicU64>,
    /// Where profiles are saved (none when they must not be).
    profiles_store: Option<Store>,
    /// Saves of the profiles started so far.
    profile_saves_started: Arc<AtomicU64>,
    /// Saves of the settings started so far.
    settings_saves_started: Arc<AtomicU64>,
    /// A problem to show until dismissed (a damaged file, a failed save).
    notice: Option<String>,
    /// The connection manager: saved profiles and their editor.
    pub manager: ConnectionManager,
    /// What the user set (history bounds).
    pub settings: Settings,
    /// Where settings are saved (none when they must not be).
    settings_store: Option<Store>,
    /// Whether the settings window is open.
    show_settings: bool,
    /// Whether the broker statistics window is open.
    show_broker: bool,
    /// When the process started, until the first frame is drawn (then logged).
    started: Option<Instant>,
    show_form: bool,
    /// Every open connection, a tab each.
    explorers: Vec<Explorer>,
    /// The tab shown.
    active: usize,
    title: String,
}

impl App {
    /// An app that shows the connect form; connections run on `runtime`;
    /// saved messages live in the OS's config directory.
    pub fn new(runtime: tokio::runtime::Handle) -> Self {
        match Store::open_default() {
            Ok(store) => Self::with_store(runtime, Some(store), Keyring::start()),
            Err(problem) => {
                let mut app = Self::with_store(runtime, None, Keyring::start());
                app.notice = Some(problem);
                app
            }
        }
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
            store,
            messages,
            saves_started: Arc::new(AtomicU64::new(0)),
            profiles_store,
            profile_saves_started: Arc::new(AtomicU64::new(0)),
            settings_saves_started: Arc::new(AtomicU64::new(0)),
            notice: (!problems.is_empty()).then(|| problems.join(". ")),
            manager: ConnectionManager::new(profiles, keyring),
            settings,
            settings_store,
            show_settings: false,
            show_broker: false,
            started: None,
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

    /// Show the tab at `index`.
    pub fn show_tab(&mut self, index: usize) {
        if index < self.explorers.len() {
            self.active = index;
            self.show_form = false;
        }
    }

    /// Connect with `settings` in a tab named after the broker.
    pub fn connect(&mut self, ctx: &egui::Context, settings: ConnectionSettings) {
        let title = settings.address.authority();
        self.connect_named(ctx, settings, title, None);
    }

    /// Connect with `settings` in a new tab called `title`, for the profile `profile` if any
    /// (its saved messages and history go with it); if a tab with the same settings is open,
    /// show it instead (reconnecting it if its connection ended).
    pub fn connect_named(
        &mut self,
        ctx: &egui::Context,
        settings: ConnectionSettings,
        title: String,
        profile: Option<&str>,
    ) {
        if let Some(index) = self.explorers.iter().position(|e| e.settings == settings) {
            self.show_tab(index);
            self.reconnect(ctx);
            return;
        }
        let connection = Connection::spawn(&self.runtime, settings.clone(), waker(ctx));
        let key = profile.map_or_else(|| broker_key(&settings), profile_key);
        self.open_tab(settings, Session::new(), key);
        if let Some(explorer) = self.explorers.last_mut() {
            explorer.connection = Some(connection);
            explorer.title = title;
        }
    }

    /// Show `session` in a new tab without a live connection (a capture, a benchmark's
    /// fixture); Reconnect connects it with `settings`.
    pub fn open_session(&mut self, settings: ConnectionSettings, session: Session) {
        let key = broker_key(&settings);
        self.open_tab(settings, session, key);
    }

    fn open_tab(&mut self, settings: ConnectionSettings, session: Session, messages_key: String) {
        let saved = self.saved_messages(&messages_key, &settings);
        self.explorers.push(Explorer {
            title: settings.address.authority(),
            messages_key,
            session,
            settings,
            connection: None,
            tree: TreeView::default(),
            message: MessageView::default(),
            publish: PublishPane::with_messages(saved),
            pins: crate::ui::compare::Pins::default(),
            delete: None,
        });
        self.active = self.explorers.len() - 1;
        self.show_form = false;
        self.apply_history_limits();
    }

    /// Bound every tab's history: the per-topic count, and the memory budget shared by all tabs.
    fn apply_history_limits(&mut self) {
        let budget = self.settings.budget_per_connection(self.explorers.len());
        let per_topic = self.settings.history_per_topic;
        for explorer in &mut self.explorers {
            explorer.session.history.set_limits(per_topic, budget);
        }
    }

    /// Close the tab at `index`: its connection says goodbye in the background.
    pub fn close_tab(&mut self, index: usize) {
        if index >= self.explorers.len() {
            return;
        }
        let closed = self.explorers.remove(index);
        if let Some(connection) = &closed.connection {
            connection.disconnect();
        }
        if self.active > index || self.active >= self.explorers.len() {
            self.active = self.active.saturating_sub(1);
        }
        if self.explorers.is_empty() {
            self.show_form = true;
        }
        self.apply_history_limits();
    }

    /// Connect with the saved profile named `name` (or with that id); `password` is used when
    /// the profile keeps none.
    pub fn connect_profile(&mut self, ctx: &egui::Context, name: &str, password: Option<&str>) -> Result<(), String> {
        let id = self.manager.profiles.find(name).map(|p| p.id.clone()).ok_or_else(|| {
            let names: Vec<&str> = self.manager.profiles.profiles.iter().map(|p| p.name.as_str()).collect();
            format!(
                "No connection profile is named \"{name}\" (there are: {})",
                names.join(", ")
            )
        })?;
        self.manager.select(&id);
        if password.is_none() && self.manager.wait_for_keyring(&id) {
            // Connects once the keyring answers (see `logic`).
            return Ok(());
        }
        let settings = self
            .manager
            .settings_for(&id, password)
            .map_err(|e| format!("Profile \"{name}\": {e}"))?;
        let title = self.profile_title(&id);
        self.connect_named(ctx, settings, title, Some(&id));
        Ok(())
    }

    /// Connect with the profile marked "connect on start", if there is one.
    pub fn connect_on_start(&mut self, ctx: &egui::Context) {
        let Some(profile) = self.manager.profiles.profiles.iter().find(|p| p.connect_on_start) else {
            return;
        };
        let id = profile.id.clone();
        if let Err(error) = self.connect_profile(ctx, &id, None) {
            self.notice = Some(error);
        }
    }

    /// Log how long after `started` the first frame is drawn.
    pub fn set_started(&mut self, started: Instant) {
        self.started = Some(started);
    }

    /// Show a problem in the toolbar until dismissed.
    pub fn set_notice(&mut self, notice: impl Into<String>) {
        self.notice = Some(notice.into());
    }

    /// A tab title for the profile `id`: its name, or its broker.
    fn profile_title(&self, id: &str) -> String {
        self.manager
            .profiles
            .get(id)
            .map(|p| {
                if p.name.trim().is_empty() {
                    p.broker.clone()
                } else {
                    p.name.clone()
                }
            })
            .unwrap_or_default()
    }

    fn reconnect(&mut self, ctx: &egui::Context) {
        if let Some(explorer) = self.explorers.get_mut(self.active)
            && explorer.connection.is_none()
        {
            let connection = Connection::spawn(&self.runtime, explorer.settings.clone(), waker(ctx));
            explorer.connection = Some(connection);
        }
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
        let deadline = Instant::now() + DRAIN_BUDGET;
        let order = std::iter::once(self.active).chain((0..self.explorers.len()).filter(|&i| i != self.active));
        for index in order.collect::<Vec<_>>() {
            if let Some(explorer) = self.explorers.get_mut(index) {
                Self::explorer_logic(explorer, ctx, &self.runtime, deadline);
            }
        }
    }

    fn explorer_logic(
        explorer: &mut Explorer,
        ctx: &egui::Context,
        runtime: &tokio::runtime::Handle,
        deadline: Instant,
    ) {
        if explorer.drain(deadline) {
            ctx.request_repaint();
        }
        let now = Instant::now();
        let connected = explorer.session.state().is_connected();
        if let Some(request) = explorer.publish.tick(now, connected)
            && let Some(connection) = &explorer.connection
        {
            explorer.publish.published_as(connection.publish(request));
        }
        if let Some(wait) = explorer.publish.next_tick(now) {
            ctx.request_repaint_after(wait);
        }
        if let Some(job) = &mut explorer.delete {
            job.pump(
                &mut explorer.session,
                explorer.connection.as_ref(),
                &explorer.settings,
                runtime,
                ctx,
            );
        }
        let reconnecting = matches!(
            explorer.session.state(),
            crate::model::ConnectionState::Reconnecting { .. }
        );
        if reconnecting || explorer.session.rate_is_settling(Instant::now()) {
            // Count the retry down, and let the message rate fall to zero when traffic stops.
            ctx.request_repaint_after(Duration::from_secs(1));
        }
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
        if !changed {
            return;
        }
        if let Some(store) = &self.store {
            save_in_background(
                &self.runtime,
                store,
                messages::FILE,
                self.messages.clone(),
                &self.saves_started,
            );
        }
    }

    /// Keep the connection profiles, off the UI thread.
    fn save_profiles(&mut self) {
        if !self.manager.take_changed() {
            return;
        }
        if let Some(store) = &self.profiles_store {
            let file = self.manager.profiles.clone();
            let file_name = crate::profiles::profile::FILE;
            save_in_background(&self.runtime, store, file_name, file, &self.profile_saves_started);
        }
    }

    /// Draw the window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.update_title(ui.ctx());
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::P))
            && let Some(explorer) = self.explorers.get_mut(self.active)
        {
            explorer.publish.open = !explorer.publish.open;
        }
        if !self.explorers.is_empty() && ui.input_mut(|i| i.consume_key(egui::Modifiers::CTRL, egui::Key::Tab)) {
            self.show_tab((self.active + 1) % self.explorers.len());
        }
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui));
        if !self.explorers.is_empty() {
            egui::Panel::top("tabs").show(ui, |ui| self.tabs_ui(ui));
        }
        if let Some(explorer) = self.explorers.get_mut(self.active) {
            let broker = explorer.settings.address.to_string();
            egui::Panel::bottom("status").show(ui, |ui| status::ui(ui, &mut explorer.session, &broker));
        }
        match self.explorers.get_mut(self.active) {
            Some(explorer) if !self.show_form => {
                egui::Panel::right("message")
                    .resizable(true)
                    .default_size(MESSAGE_PANEL_WIDTH)
                    .min_size(280.0)
                    .show(ui, |ui| {
                        // Fill the panel, so it keeps its width whatever the content.
                        ui.set_min_width(ui.available_width());
                        let selected = explorer.tree.selected;
                        if explorer.publish.open {
                            egui::Panel::bottom("publish")
                                .resizable(true)
                                .default_size(340.0)
                                .min_size(220.0)
                                .show(ui, |ui| {
                                    // Fill the panel, so it keeps its height whatever the content.
                                    ui.set_min_height(ui.available_height());
                                    let connected = explorer.session.state().is_connected();
                                    let v5 = explorer.settings.version == crate::mqtt::MqttVersion::V5;
                                    let request = explorer.publish.ui(
                                        ui,
                                        &explorer.session,
                                        selected,
                                        connected,
                                        v5,
                                        &self.runtime,
                                    );
                                    if let (Some(request), Some(connection)) = (request, &explorer.connection) {
                                        explorer.publish.published_as(connection.publish(request));
                                    }
                                });
                        }
                        // The message view takes what the publish pane leaves, and no more.
                        let action = egui::CentralPanel::no_frame()
                            .show(ui, |ui| {
                                explorer
                                    .message
                                    .ui(ui, &explorer.session, selected, &mut explorer.pins, &self.runtime)
                            })
                            .inner;
                        match action {
                            Some(MessageAction::Select(id)) => {
                                explorer.tree.select(&mut explorer.session, id);
                            }
                            Some(MessageAction::ClearRetained { id, recursive }) => {
                                explorer.delete = Some(DeleteJob::new(&explorer.session, id, recursive));
                            }
                            Some(MessageAction::Resend { id, seq } | MessageAction::Save { id, seq }) => {
                                let save = matches!(action, Some(MessageAction::Save { .. }));
                                let tree = &explorer.session.tree;
                                let from_history = seq.and_then(|seq| {
                                    let entries = explorer.session.history.topic(id)?.entries();
                                    entries.iter().find(|e| e.seq == seq).map(|e| &e.message)
                                });
                                let message = from_history.or_else(|| tree.get(id).and_then(|n| n.latest()));
                                if let Some(message) = message {
                                    let topic = tree.topic(id);
                                    let (payload, qos, retain) = (&message.payload, message.qos, message.retain);
                                    if save {
                                        explorer.publish.save_received(&topic, payload, qos, retain);
                                    } else {
                                        explorer.publish.load(&topic, payload, qos, retain);
                                    }
                                }
                            }
                            None => {}
                        }
                    });
                egui::CentralPanel::default().show(ui, |ui| {
                    explorer.tree.ui(ui, &mut explorer.session);
                    if let Some(id) = explorer.tree.pin_requested.take() {
                        explorer.pins.pin(explorer.session.tree.topic(id));
                    }
                });
                if let Some(job) = &mut explorer.delete
                    && !job.ui(ui.ctx())
                {
                    explorer.delete = None;
                }
            }
            _ => {
                let mut connect = None;
                egui::CentralPanel::default().show(ui, |ui| {
                    let top = (ui.available_height() * 0.08).min(48.0);
                    ui.add_space(top);
                    let height = (ui.available_height() - top - 40.0).clamp(300.0, 760.0);
                    ui.horizontal(|ui| {
                        // Center the card: its width is the form's plus the frame's margins.
                        let card_width = FORM_WIDTH + 2.0 * 20.0;
                        ui.add_space(((ui.available_width() - card_width) / 2.0).max(0.0));
                        egui::Frame::group(ui.style()).inner_margin(20.0).show(ui, |ui| {
                            ui.set_width(FORM_WIDTH);
                            connect = self.manager.ui(ui, &self.runtime, height);
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
        self.settings_ui(ui.ctx());
        if let Some(started) = self.started.take() {
            tracing::info!(ms = started.elapsed().as_millis() as u64, "first frame drawn");
        }
        if self.show_broker
            && let Some(explorer) = self.explorers.get(self.active)
        {
            let mut open = true;
            egui::Window::new(format!("Broker: {}", explorer.title))
                .id(egui::Id::unique("broker-window"))
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .show(ui.ctx(), |ui| crate::ui::broker::ui(ui, &explorer.session));
            self.show_broker = open;
        }
        self.save_messages();
        self.save_profiles();
    }

    /// The settings window: history bounds, applied at once and saved.
    fn settings_ui(&mut self, ctx: &egui::Context) {
        if !self.show_settings {
            return;
        }
        let before = self.settings.clone();
        let mut open = true;
        egui::Window::new("Settings")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("settings-grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        let label = ui.label("Messages kept per topic");
                        ui.add(
                            egui::DragValue::new(&mut self.settings.history_per_topic)
                                .range(settings::PER_TOPIC_RANGE)
                                .speed(10),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Memory for kept messages");
                        ui.add(
                            egui::DragValue::new(&mut self.settings.history_budget_mib)
                                .range(settings::BUDGET_MIB_RANGE)
                                .suffix(" MiB")
                                .speed(8),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                ui.weak("Shared by all open connections; the oldest messages of all topics go first.");
            });
        if !open {
            self.show_settings = false;
        }
        if self.settings != before {
            self.apply_history_limits();
            if let Some(store) = &self.settings_store {
                let value = self.settings.clone();
                save_in_background(
                    &self.runtime,
                    store,
                    settings::FILE,
                    value,
                    &self.settings_saves_started,
                );
            }
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let mut reconnect = false;
        let mut dismiss = false;
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new("mqscope").strong().size(15.0));
            ui.separator();
            if let Some(notice) = &self.notice {
                ui.label(egui::RichText::new(notice).color(theme::warn_color(ui)));
                if ui.small_button("Dismiss").clicked() {
                    dismiss = true;
                }
                ui.separator();
            }
            let Some(explorer) = self.explorers.get(self.active) else {
                ui.weak("Not connected");
                return;
            };
            ui.label(egui::RichText::new(explorer.settings.address.to_string()).monospace());
            if explorer.settings.version == crate::mqtt::MqttVersion::V5 {
                ui.weak("MQTT 5");
            }
            if let Some(user) = &explorer.settings.username {
                ui.weak(format!("as {user}"));
            }
            if explorer.is_running() {
                if ui.button("Disconnect").clicked()
                    && let Some(connection) = &explorer.connection
                {
                    connection.disconnect();
                }
            } else if ui.button("Reconnect").clicked() {
                reconnect = true;
            }
            if let Some(explorer) = self.explorers.get_mut(self.active) {
                let open = explorer.publish.open;
                if ui
                    .selectable_label(open, "Publish")
                    .on_hover_text("Show or hide the publish pane (Ctrl+P)")
                    .clicked()
                {
                    explorer.publish.open = !open;
                }
            }
            if let Some(explorer) = self.explorers.get(self.active)
                && ui
                    .selectable_label(self.show_broker, "Broker status")
                    .on_hover_text(if explorer.session.tree.find("$SYS").is_some() {
                        "The broker's statistics ($SYS): version, uptime, clients, load, charted"
                    } else {
                        "No $SYS statistics seen on this connection: the broker may not publish them, \
                         or $SYS/# is not among the subscriptions"
                    })
                    .clicked()
            {
                self.show_broker = !self.show_broker;
            }
            if ui
                .button("Settings…")
                .on_hover_text("How many messages are kept, and how much memory they may take")
                .clicked()
            {
                self.show_settings = true;
            }
            if self.show_form {
                if ui.button("Back to topics").clicked() {
                    self.show_form = false;
                }
            } else if ui
                .button("Connections…")
                .on_hover_text("Saved connection profiles: edit them, or connect to another broker")
                .clicked()
            {
                self.show_form = true;
            }
        });
        if reconnect {
            self.reconnect(ui.ctx());
        }
        if dismiss {
            self.notice = None;
        }
    }

    /// One tab per connection: a dot in the state's color, the name, a close button; then a
    /// button to open another.
    fn tabs_ui(&mut self, ui: &mut egui::Ui) {
        let mut show = None;
        let mut close = None;
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            for (index, explorer) in self.explorers.iter().enumerate() {
                let selected = index == self.active && !self.show_form;
                let (_, color) = status::state_text(ui, explorer.session.state(), "", Instant::now());
                let frame = egui::Frame::new()
                    .inner_margin(egui::Margin::symmetric(8, 3))
                    .corner_radius(4.0)
                    .fill(if selected {
                        ui.visuals().selection.bg_fill.gamma_multiply(0.5)
                    } else {
                        ui.visuals().faint_bg_color
                    });
                frame.show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let (dot, _) = ui.allocate_exact_size(egui::vec2(8.0, 8.0), egui::Sense::hover());
                        ui.painter().circle_filled(dot.center(), 3.5, color);
                        let name = egui::RichText::new(&explorer.title);
                        let name = if selected { name.strong() } else { name };
                        let label = ui
                            .add(egui::Label::new(name).sense(egui::Sense::click()))
                            .on_hover_text(explorer.settings.address.to_string());
                        if label.clicked() {
                            show = Some(index);
                        }
                        if ui
                            .small_button("×")
                            .on_hover_text(format!("Close {} (disconnects)", explorer.title))
                            .clicked()
                        {
                            close = Some(index);
                        }
                    });
                });
            }
            if ui
                .small_button("+")
                .on_hover_text("Open another connection (Ctrl+Tab switches tabs)")
                .clicked()
            {
                self.show_form = true;
            }
        });
        if let Some(index) = show {
            self.show_tab(index);
        }
        if let Some(index) = close {
            self.close_tab(index);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match self.explorers.get(self.active) {
            Some(explorer) => format!("mqscope — {}", explorer.settings.address),
            None => "mqscope".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// Write `value` as `name` on the blocking pool. Saves may start out of order: only the newest
/// of those counted by `started` writes.
fn save_in_background<T: serde::Serialize + Send + 'static>(
    runtime: &tokio::runtime::Handle,
    store: &Store,
    name: &'static str,
    value: T,
    started: &Arc<AtomicU64>,
) {
    let store = store.clone();
    let generation = started.fetch_add(1, Ordering::AcqRel) + 1;
    let newest = Arc::clone(started);
    runtime.spawn_blocking(move || {
        if generation < newest.load(Ordering::Acquire) {
            return;
        }
        if let Err(error) = store.save(name, &value) {
            tracing::warn!(%error, file = name, "not saved");
        }
    });
}

/// The key of a profile's saved messages.
fn profile_key(id: &str) -> String {
    format!("profile:{id}")
}

/// The key of a broker's saved messages: `host:port`, shared by every transport to that port.
fn broker_key(settings: &ConnectionSettings) -> String {
    settings.address.authority()
}

/// Wakes the UI when a connection has events: a repaint soon, coalesced by the channel.
fn waker(ctx: &egui::Context) -> Waker {
    let ctx = ctx.clone();
    std::sync::Arc::new(move || ctx.request_repaint_after(Duration::from_millis(16)))
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        App::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
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
