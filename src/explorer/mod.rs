//! One connection and everything seen on it: a tab of the window. `logic` drains the
//! connection's events into the session and moves background jobs on; `ui` (in [`ui`]) draws
//! the tab's panels, which answer with [`TabCommand`]s that [`Explorer::apply`] carries out
//! after drawing.

pub mod catch_up;
pub mod clear;
mod clear_dialog;
mod split;
mod subscriptions;
mod time;
mod ui;

use std::time::{Duration, Instant};

use eframe::egui;

use crate::model::{ConnectionState, Session};
use crate::mqtt::{Connection, ConnectionSettings, Drained, MqttVersion};
use crate::profiles::messages::BrokerMessages;
use crate::record::Recording;
use crate::replay::Replay;
use crate::simulate::Simulators;
use crate::ui::compare::Pins;
use crate::ui::context::{Commands, Link, TabCommand};
use crate::ui::log::LogView;
use crate::ui::message::MessageView;
use crate::ui::publish::PublishPane;
use crate::ui::record::{RecordAction, RecordPanel};
use crate::ui::replay::{ReplayAction, ReplayPanel};
use crate::ui::simulate::SimulatePanel;
use crate::ui::tree::TreeView;
use catch_up::CatchUp;
use clear::ClearJob;

/// One connection and everything seen on it: a tab of the window.
pub struct Explorer {
    /// The tab's name: the profile's, or the broker's address.
    pub title: String,
    /// Under which key its saved messages and publish history are kept: the profile's, or
    /// (without a profile) the broker's `host:port`.
    pub(crate) messages_key: String,
    /// What the connection has seen.
    pub session: Session,
    /// How it connects.
    pub settings: ConnectionSettings,
    pub(crate) connection: Option<Connection>,
    /// The topic tree panel.
    pub tree: TreeView,
    message: MessageView,
    /// The live log of every message, in arrival order.
    pub log: LogView,
    /// The publish pane.
    pub publish: PublishPane,
    /// The record dialog.
    pub record_panel: RecordPanel,
    /// The recording running, or how the last one ended until dismissed.
    pub recording: Option<Recording>,
    /// The replay dialog.
    pub replay_panel: ReplayPanel,
    /// The replay publishing through this tab's connection, or the last one until dismissed.
    pub replay: Option<Replay>,
    /// The recording this tab was opened from, when it shows one rather than a connection.
    pub offline: Option<std::path::PathBuf>,
    /// The time slider over the recording this tab was opened from.
    pub time: Option<crate::ui::time_slider::TimeSlider>,
    /// The topics pinned to compare side by side.
    pub pins: Pins,
    /// The simulator window: simulated devices publishing on this connection.
    pub simulate: SimulatePanel,
    /// The subscriptions line above the tree, and the subscribe dialog.
    pub subscriptions: crate::ui::subscriptions::SubscriptionsPanel,
    /// The simulations running on this connection, for their publishes' outcomes.
    simulators: Simulators,
    /// A clearing of retained messages under way.
    clear: Option<ClearJob>,
    /// An export of messages to a file under way.
    export: crate::ui::export::ExportDialog,
    /// What the panels asked for this frame.
    commands: Commands,
    /// Notices when a burst of messages has been applied.
    catch_up: CatchUp,
}

impl Explorer {
    /// A tab for `session`, connecting with `settings`, its saved messages `saved` kept under
    /// `messages_key`; not connected yet.
    pub(crate) fn new(
        settings: ConnectionSettings,
        session: Session,
        messages_key: String,
        saved: BrokerMessages,
    ) -> Self {
        Self {
            title: settings.address.authority(),
            messages_key,
            session,
            settings,
            connection: None,
            tree: TreeView::default(),
            message: MessageView::default(),
            log: LogView::new(),
            publish: PublishPane::with_messages(saved),
            record_panel: RecordPanel::default(),
            recording: None,
            replay_panel: ReplayPanel::default(),
            replay: None,
            offline: None,
            time: None,
            pins: Pins::default(),
            simulate: SimulatePanel::default(),
            subscriptions: Default::default(),
            simulators: Simulators::default(),
            clear: None,
            export: crate::ui::export::ExportDialog::default(),
            commands: Commands::default(),
            catch_up: CatchUp::default(),
        }
    }

    /// Whether the connection task is still running.
    pub fn is_running(&self) -> bool {
        self.connection.is_some()
    }

    /// Record every message the connection receives from now on (those of `filters` only,
    /// when there are any) to `path`.
    pub fn start_recording(&mut self, path: std::path::PathBuf, filters: Vec<String>) {
        let (recording, sink) = Recording::start(path, filters);
        // Without a connection the sink is dropped here, and the recording ends at once.
        if let Some(connection) = &self.connection {
            connection.record(Some(sink));
        }
        self.recording = Some(recording);
    }

    /// Carry out what the record controls asked for.
    pub fn record_action(&mut self, action: RecordAction) {
        match action {
            RecordAction::Start { path, filters } => self.start_recording(path, filters),
            RecordAction::Stop => {
                if let Some(connection) = &self.connection {
                    connection.record(None);
                }
            }
            RecordAction::Dismiss => self.recording = None,
        }
    }

    /// Carry out what the replay dialog asked for.
    pub fn replay_action(&mut self, action: ReplayAction) {
        match action {
            ReplayAction::Start { path, options } => {
                if let Some(connection) = &self.connection {
                    self.replay = Some(Replay::start(path, options, connection.publisher(), self.version()));
                }
            }
            ReplayAction::Pause => self.replay.iter().for_each(Replay::pause),
            ReplayAction::Resume => self.replay.iter().for_each(Replay::resume),
            ReplayAction::Stop => self.replay.iter().for_each(Replay::stop),
            ReplayAction::Dismiss => self.replay = None,
        }
    }

    /// Whether a recording is running.
    pub fn is_recording(&mut self) -> bool {
        self.recording.as_mut().is_some_and(|r| r.ended().is_none())
    }

    /// The MQTT version spoken: the one the broker accepted while connected, else the one
    /// tried first.
    pub fn version(&self) -> MqttVersion {
        match self.session.state() {
            ConnectionState::Connected { version, .. } => *version,
            _ => self.settings.version.first(),
        }
    }

    /// The connection's state, as panels need it.
    pub fn link(&self) -> Link {
        Link {
            connected: self.session.state().is_connected(),
            version: self.version(),
        }
    }

    /// Apply waiting events until `deadline`. Returns true if more are waiting.
    pub fn drain(&mut self, deadline: Instant) -> bool {
        let Some(connection) = &self.connection else {
            return false;
        };
        let session = &mut self.session;
        let replay = self.replay.as_ref();
        let simulators = &mut self.simulators;
        let now = Instant::now();
        let handle = |event: crate::model::Event| {
            // The outcomes of a replay's publishes are its own; it waits while the link is down.
            if let Some(replay) = replay {
                match &event {
                    crate::model::Event::Published { id, outcome } if replay.outcome(*id, outcome) => return,
                    crate::model::Event::State(state) => replay.set_link(state.is_connected()),
                    _ => {}
                }
            }
            simulators.observe(&event);
            session.apply(event, now);
        };
        let drained = connection.events().drain(deadline, handle);
        simulators.settle();
        match drained {
            Drained::Empty => false,
            Drained::MoreWaiting => true,
            Drained::Closed => {
                self.connection = None;
                // Its publishes would go nowhere: a replay through it ends.
                self.replay.iter().for_each(Replay::stop);
                false
            }
        }
    }

    /// Drain events until `deadline`, send a repeat's next message when due, and move a
    /// clearing of retained messages on. Call once per frame, hidden or not. Returns true when
    /// events are still waiting (a backlog).
    pub fn logic(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle, deadline: Instant) -> bool {
        self.take_rebuilt();
        let received = self.session.tree.received();
        let backlog = self.drain(deadline);
        if backlog {
            ctx.request_repaint();
        }
        let now = Instant::now();
        let applied = self.session.tree.received() - received;
        if let Some(done) = self.catch_up.applied(applied, now) {
            tracing::info!(
                messages = done.messages,
                took_ms = done.took.as_millis() as u64,
                ago_ms = done.ago.as_millis() as u64,
                tab = %self.title,
                "caught up: {} messages applied",
                done.messages
            );
        }
        if let Some(wait) = self.catch_up.next_check(now) {
            ctx.request_repaint_after(wait);
        }
        let connected = self.session.state().is_connected();
        if let Some(request) = self.publish.tick(now, connected)
            && let Some(connection) = &self.connection
        {
            self.publish.published_as(connection.publish(request));
        }
        if let Some(wait) = self.publish.next_tick(now) {
            ctx.request_repaint_after(wait);
        }
        if let Some(job) = &mut self.clear {
            let gone = job.pump(&self.session, self.connection.as_ref(), &self.settings, runtime, ctx);
            if !gone.is_empty() {
                // Only what the broker confirmed gone leaves the tree.
                let tree = &self.session.tree;
                let ids: Vec<_> = gone.iter().filter_map(|topic| tree.find(topic)).collect();
                self.session.remove_topics(&ids);
            }
        }
        if self.replay.as_ref().is_some_and(Replay::is_running) {
            // The progress bar moves on.
            ctx.request_repaint_after(Duration::from_millis(100));
        } else if self.simulators.any_running() {
            // The simulations' counts move on.
            ctx.request_repaint_after(Duration::from_millis(250));
        }
        if self.is_recording() {
            // The indicator's counts and duration move on.
            ctx.request_repaint_after(Duration::from_millis(500));
        }
        let reconnecting = matches!(self.session.state(), ConnectionState::Reconnecting { .. });
        if reconnecting || self.session.rate_is_settling(Instant::now()) {
            // Count the retry down, and let the message rate fall to zero when traffic stops.
            ctx.request_repaint_after(Duration::from_secs(1));
        }
        backlog
    }

    /// Carry out what the panels asked for while drawing, in order.
    fn apply(&mut self, ctx: &egui::Context) {
        let commands = self.commands.take();
        if commands.is_empty() {
            return;
        }
        for command in commands {
            self.apply_one(command);
        }
        // What changed is drawn in the next frame.
        ctx.request_repaint();
    }

    fn apply_one(&mut self, command: TabCommand) {
        match command {
            TabCommand::Select(id) => self.tree.select(&self.session, id),
            TabCommand::Pin(id) => {
                if self.session.tree.get(id).is_some() {
                    self.pins.pin(self.session.tree.topic(id));
                }
            }
            TabCommand::Unpin(topic) => self.pins.unpin(&topic),
            TabCommand::ClearPins => self.pins.clear(),
            TabCommand::ClearRetained { id, recursive } if self.offline.is_some() => {
                let why = "This tab shows a recording, opened without a broker: nothing was cleared. \
                           Connect to the broker to clear its retained messages."
                    .to_owned();
                self.clear = Some(ClearJob::not_possible(
                    &self.session,
                    id,
                    recursive,
                    self.version(),
                    why,
                ));
            }
            TabCommand::ClearRetained { id, recursive } => {
                self.clear = Some(ClearJob::new(&self.session, id, recursive, self.version()));
            }
            TabCommand::LoadIntoPublish { id, seq } | TabCommand::SaveToLibrary { id, seq } => {
                let save = matches!(command, TabCommand::SaveToLibrary { .. });
                let tree = &self.session.tree;
                let from_history = seq.and_then(|seq| {
                    let entries = self.session.history.topic(id)?.entries();
                    entries.iter().find(|e| e.seq == seq).map(|e| &e.message)
                });
                let Some(message) = from_history.or_else(|| tree.get(id).and_then(|n| n.latest())) else {
                    return;
                };
                let topic = tree.topic(id);
                if save {
                    self.publish.save_received(&topic, message);
                } else {
                    self.publish.load(&topic, message);
                }
            }
            TabCommand::ShowMessage { id, seq } => {
                self.tree.select(&self.session, id);
                self.message.show_message(id, seq);
            }
            TabCommand::LogOnly(filter) => self.log.show_only(filter),
            TabCommand::Export(export) => self.export.ask(export),
            TabCommand::PublishTo(id) => {
                let tree = &self.session.tree;
                let topic = tree.topic(id);
                match tree.get(id).and_then(|n| n.latest()) {
                    Some(m) => self.publish.load(&topic, m),
                    None => self.publish.set_topic(&topic),
                }
            }
            TabCommand::Publish(request) => {
                if let Some(connection) = &self.connection {
                    self.publish.published_as(connection.publish(request));
                }
            }
            TabCommand::Subscribe(subscription) => self.subscribe(subscription),
            TabCommand::AskSubscribe(filter) => self.subscriptions.ask(&filter, &self.settings.subscriptions),
            TabCommand::Unsubscribe(filter) => {
                if let Some(connection) = &self.connection {
                    connection.unsubscribe(filter.clone());
                }
                let list = &mut self.settings.subscriptions;
                // The others keep the colours they show now.
                crate::model::subscription::settle_colours(list);
                list.retain(|s| s.filter != filter);
            }
            TabCommand::StartSimulation { simulation, status } => {
                let publisher = self.connection.as_ref().map(Connection::publisher);
                self.simulators.start(&simulation, publisher, status);
            }
            TabCommand::StopSimulation(status) => status.stop(),
            TabCommand::AddChartSeries { topic, path } => {
                let tree = &self.session.tree;
                let charted = self
                    .tree
                    .selected
                    .filter(|&s| tree.get(s).is_some_and(|n| n.latest().is_some()));
                let chart_of = charted.unwrap_or(topic);
                if charted.is_none() {
                    self.tree.select(&self.session, topic);
                }
                self.message.add_chart_series(&self.session, chart_of, topic, path);
            }
        }
    }
}
