//! Opening, showing, connecting and closing tabs, one per connection, and connecting with a saved profile.

#[allow(clippy::wildcard_imports)]
use super::*;
use crate::ui::time_slider::TimeSlider;

impl App {
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
        let key = profile.map_or_else(|| broker_key(&settings), profile_key);
        // The profile's tab, connected, and only its subscriptions edited: they change on the
        // connection as it is, without reconnecting.
        let same_but_subscriptions = |e: &crate::explorer::Explorer| {
            e.messages_key == key
                && e.connection.is_some()
                && ConnectionSettings {
                    subscriptions: settings.subscriptions.clone(),
                    ..e.settings.clone()
                } == settings
        };
        if let Some(index) = self.explorers.iter().position(same_but_subscriptions) {
            self.show_tab(index);
            if let Some(explorer) = self.explorers.get_mut(index) {
                explorer.update_subscriptions(settings.subscriptions);
            }
            return;
        }
        let connection = Connection::spawn(&self.runtime, settings.clone(), waker(ctx));
        self.open_tab(settings, Session::new(), key);
        if let Some(explorer) = self.explorers.last_mut() {
            explorer.connection = Some(connection);
            explorer.title = title;
        }
    }

    /// Show `early`, a connection started before the window opened (see [`EarlyConnection`]),
    /// in a tab named after its broker; from now on it wakes this window.
    pub fn adopt(&mut self, ctx: &egui::Context, early: EarlyConnection) {
        early.window.set(ctx.clone()).ok();
        let title = early.settings.address.authority();
        let key = broker_key(&early.settings);
        self.open_tab(early.settings, Session::new(), key);
        if let Some(explorer) = self.explorers.last_mut() {
            explorer.connection = Some(early.connection);
            explorer.title = title;
        }
    }

    /// Record the shown tab's connection to `path`, everything it receives from now on (or
    /// say why not).
    pub fn record_shown_tab(&mut self, path: std::path::PathBuf) {
        match self.explorers.get_mut(self.active) {
            Some(explorer) if explorer.is_running() => explorer.start_recording(path, Vec::new()),
            _ => self.set_notice(format!(
                "Not recording to {}: no connection was opened (--record needs --broker or --profile)",
                path.display()
            )),
        }
    }

    /// Show a recording read back in a tab of its own, with no broker; say which lines were
    /// skipped, if any.
    pub(super) fn open_recording_tab(&mut self, path: std::path::PathBuf, opened: crate::record::open::Opened) {
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        if opened.skipped > 0 {
            let listed: Vec<String> = opened
                .problems
                .iter()
                .map(|(line, why)| format!("line {line}: {why}"))
                .collect();
            let more = opened.skipped - opened.problems.len() as u64;
            let mut text = format!(
                "Opened {name}: {}; {} skipped ({})",
                crate::ui::text::plural(opened.messages, "message", "messages"),
                crate::ui::text::plural(opened.skipped, "line", "lines"),
                listed.join("; ")
            );
            if more > 0 {
                text.push_str(&format!(" and {more} more"));
            }
            self.set_notice(text);
        }
        let Ok(address) = crate::mqtt::BrokerAddress::parse("localhost") else {
            return;
        };
        let settings = ConnectionSettings::new(address);
        let key = broker_key(&settings);
        let mut session = opened.session;
        let timeline = opened.timeline;
        // No connection behind it: neither connecting nor connected.
        session.apply(
            crate::model::Event::State(crate::model::ConnectionState::Disconnected),
            Instant::now(),
        );
        self.open_tab(settings, session, key);
        let count = self.explorers.len();
        if let Some(explorer) = self.explorers.last_mut() {
            explorer.title = name;
            explorer.offline = Some(path);
            let limits = (
                self.settings.history_per_topic,
                self.settings.budget_per_connection(count),
            );
            explorer.time = timeline.and_then(|t| TimeSlider::new(t, limits));
        }
    }

    /// Show `session` in a new tab without a live connection (a capture, a benchmark's
    /// fixture); Reconnect connects it with `settings`.
    pub fn open_session(&mut self, settings: ConnectionSettings, session: Session) {
        let key = broker_key(&settings);
        self.open_tab(settings, session, key);
    }

    pub(super) fn open_tab(&mut self, settings: ConnectionSettings, session: Session, messages_key: String) {
        let saved = self.saved_messages(&messages_key, &settings);
        let simulations = self.simulations.for_tab(&messages_key);
        let mut explorer = Explorer::new(settings, session, messages_key, saved);
        explorer.simulate = crate::ui::simulate::SimulatePanel::with_simulations(simulations);
        self.explorers.push(explorer);
        self.active = self.explorers.len() - 1;
        self.show_form = false;
        self.apply_history_limits();
    }

    /// Bound every tab's history: the per-topic count, and the memory budget shared by all tabs.
    pub(super) fn apply_history_limits(&mut self) {
        let budget = self.settings.budget_per_connection(self.explorers.len());
        let per_topic = self.settings.history_per_topic;
        for explorer in &mut self.explorers {
            explorer.session.history.set_limits(per_topic, budget);
            explorer.session.log.tidy(&explorer.session.history);
            if let Some(time) = &mut explorer.time {
                time.limits = (per_topic, budget);
            }
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

    /// Pick files with `dialogs` from now on (tests ask for typed paths, whatever the desktop).
    pub fn set_dialogs(&mut self, dialogs: Dialogs) {
        self.dialogs = dialogs;
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
    pub(super) fn profile_title(&self, id: &str) -> String {
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

    pub(super) fn reconnect(&mut self, ctx: &egui::Context) {
        if let Some(explorer) = self.explorers.get_mut(self.active)
            && explorer.connection.is_none()
        {
            let connection = Connection::spawn(&self.runtime, explorer.settings.clone(), waker(ctx));
            explorer.connection = Some(connection);
        }
    }
}
