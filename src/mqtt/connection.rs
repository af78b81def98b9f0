//! One connection to a broker: a tokio task that polls rumqttc's event loop,
//! turns what arrives into [`crate::model::Event`]s, reconnects with backoff,
//! resubscribes on every CONNACK, and never blocks on its own client.

mod state;
mod subscribing;
mod subscriptions;
mod task;

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::channel::{EventReceiver, MAX_QUEUED_BYTES, Waker, bounded};
use super::request::{Command, PublishId, PublishRequest};
use super::settings::ConnectionSettings;

/// A running connection: send it commands, drain its events.
pub struct Connection {
    commands: UnboundedSender<Command>,
    events: EventReceiver,
    task: tokio::task::JoinHandle<()>,
}

impl Connection {
    /// Start connecting on `runtime`. `wake` is called when events are waiting.
    pub fn spawn(runtime: &tokio::runtime::Handle, settings: ConnectionSettings, wake: Waker) -> Self {
        Self::spawn_bounded(runtime, settings, wake, MAX_QUEUED_BYTES)
    }

    /// [`Connection::spawn`], with events of about `max_queued_bytes` waiting for the window
    /// before the connection stops reading the socket.
    pub fn spawn_bounded(
        runtime: &tokio::runtime::Handle,
        settings: ConnectionSettings,
        wake: Waker,
        max_queued_bytes: usize,
    ) -> Self {
        let (sender, events) = bounded(wake, max_queued_bytes);
        let (commands, command_rx) = unbounded_channel();
        let task = runtime.spawn(task::run(settings, sender, command_rx));
        Self { commands, events, task }
    }

    /// The events this connection reported.
    pub fn events(&self) -> &EventReceiver {
        &self.events
    }

    /// Ask the connection to close cleanly; a [`crate::model::ConnectionState::Disconnected`]
    /// event follows.
    pub fn disconnect(&self) {
        // An error means the task already ended, which is what was asked.
        self.commands.send(Command::Disconnect).ok();
    }

    /// Publish a message. An [`crate::model::Event::Published`] with the returned id reports
    /// the outcome.
    pub fn publish(&self, request: PublishRequest) -> PublishId {
        let id = PublishId::next();
        if self.commands.send(Command::Publish { id, request }).is_err() {
            // The task is gone, and with it the channel an outcome would take.
            tracing::debug!(id = id.get(), "publish after the connection ended");
        }
        id
    }

    /// A handle that publishes through this connection from another thread (a replay, a simulation), as
    /// [`Connection::publish`] does: same backlog, same in-flight limits, outcomes reported
    /// as [`crate::model::Event::Published`] among this connection's events.
    pub fn publisher(&self) -> Publisher {
        Publisher {
            commands: self.commands.clone(),
        }
    }

    /// Subscribe to one more filter, now and on every reconnection; an
    /// [`crate::model::Event::Subscribed`] reports the broker's answer.
    pub fn subscribe(&self, subscription: crate::model::Subscription) {
        self.commands.send(Command::Subscribe(subscription)).ok();
    }

    /// Unsubscribe from `filter`; an [`crate::model::Event::Unsubscribed`] follows the broker's
    /// answer.
    pub fn unsubscribe(&self, filter: String) {
        self.commands.send(Command::Unsubscribe(filter)).ok();
    }

    /// Hand every message received from now on to a recording; `None` stops the one running
    /// once what was received before is handed over. If the task ended, the recording ends
    /// at once, with nothing recorded.
    pub fn record(&self, sink: Option<crate::record::RecordSink>) {
        self.commands.send(Command::Record(sink)).ok();
    }

    /// Whether the task has ended.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

/// Publishes through a [`Connection`] from any thread; see [`Connection::publisher`].
#[derive(Clone, Debug)]
pub struct Publisher {
    commands: UnboundedSender<Command>,
}

impl Publisher {
    /// Publish a message, as [`Connection::publish`] does.
    pub fn publish(&self, request: PublishRequest) -> PublishId {
        let id = PublishId::next();
        if self.commands.send(Command::Publish { id, request }).is_err() {
            tracing::debug!(id = id.get(), "publish after the connection ended");
        }
        id
    }

    /// Publish a message; `None` when the connection's task has ended (nothing was sent).
    pub fn try_publish(&self, request: PublishRequest) -> Option<PublishId> {
        let id = PublishId::next();
        self.commands.send(Command::Publish { id, request }).ok().map(|()| id)
    }
}
