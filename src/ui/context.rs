//! The contract every panel of a tab keeps: it is drawn with one [`PanelContext`] (what the
//! connection has seen, read only, the selection, the link's state and the services it may
//! use), and it answers with [`TabCommand`]s pushed on one [`Commands`] queue, which the tab
//! applies after drawing. No panel writes the model or another panel's state.

use crate::model::{NodeId, Session};
use crate::mqtt::{MqttVersion, PublishRequest};
use crate::ui::dialogs::Dialogs;

/// What a panel is drawn with.
pub struct PanelContext<'a> {
    /// What the connection has seen.
    pub session: &'a Session,
    /// The topic selected in the tree, if any.
    pub selected: Option<NodeId>,
    /// The connection's state, as far as panels need it.
    pub link: Link,
    /// The client id the connection uses.
    pub client_id: &'a str,
    /// The topics pinned to compare.
    pub pins: &'a Pins,
    /// The tab's subscriptions, in their order, with their options and colours.
    pub subscriptions: &'a [crate::model::Subscription],
    /// Where background work runs (file dialogs, reading and writing files, large diffs).
    pub runtime: &'a tokio::runtime::Handle,
    /// How files are picked: the desktop's dialog, or a typed path.
    pub dialogs: &'a Dialogs,
}

/// The connection's state, as panels need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// Whether the connection is up now.
    pub connected: bool,
    /// The protocol version it speaks.
    pub version: MqttVersion,
}

impl Link {
    /// Whether MQTT 5 features (properties, reason codes) are available.
    pub fn is_v5(self) -> bool {
        self.version == MqttVersion::V5
    }
}

/// What a panel asks its tab to do.
#[derive(Debug)]
pub enum TabCommand {
    /// Select a topic (and bring it into view in the tree).
    Select(NodeId),
    /// Pin a topic to the comparison table.
    Pin(NodeId),
    /// Take a topic, by name, out of the comparison table.
    Unpin(String),
    /// Empty the comparison table.
    ClearPins,
    /// Ask to clear the retained message of a topic, or of a whole branch (a confirmation
    /// comes first).
    ClearRetained {
        /// The topic (or branch).
        id: NodeId,
        /// Whether every topic below it is cleared too.
        recursive: bool,
    },
    /// Put a message of a topic in the publish pane, to edit and send again.
    LoadIntoPublish {
        /// The topic.
        id: NodeId,
        /// The history entry, or `None` for the latest message.
        seq: Option<u64>,
    },
    /// Open the publish pane on a topic, with its latest message if it has one.
    PublishTo(NodeId),
    /// Keep a message of a topic among the publish pane's saved messages.
    SaveToLibrary {
        /// The topic.
        id: NodeId,
        /// The history entry, or `None` for the latest message.
        seq: Option<u64>,
    },
    /// Select a topic and show one message of its history (a line of the log).
    ShowMessage {
        /// The topic.
        id: NodeId,
        /// The message's sequence number in the history.
        seq: u64,
    },
    /// Open the log showing only the messages of an MQTT filter (a topic, or `branch/#`).
    LogOnly(String),
    /// Publish a message on the tab's connection.
    Publish(PublishRequest),
    /// Export messages to a file the person picks.
    Export(crate::ui::export::Export),
    /// Subscribe to a filter on this connection, or subscribe again to one with other options.
    Subscribe(crate::model::Subscription),
    /// Open the subscribe dialog for a filter (its options, if subscribed to already).
    AskSubscribe(String),
    /// Unsubscribe from a filter on this connection.
    Unsubscribe(String),
    /// Start a simulation on this connection, reporting to `status`.
    StartSimulation {
        /// What it publishes, and how fast.
        simulation: crate::model::simulate::Simulation,
        /// Where its state and counts are kept.
        status: std::sync::Arc<crate::simulate::Status>,
    },
    /// Stop a running simulation.
    StopSimulation(std::sync::Arc<crate::simulate::Status>),
    /// Chart a number of a topic's payloads on the chart of the selected topic (or, when no
    /// topic with a message is selected, select this one and chart it there).
    AddChartSeries {
        /// The topic whose payloads hold the number.
        topic: NodeId,
        /// The number's path inside the payload; `None`: the payload itself.
        path: Option<String>,
    },
}

/// The queue panels answer on; the tab drains it after drawing.
#[derive(Debug, Default)]
pub struct Commands(Vec<TabCommand>);

impl Commands {
    /// Ask the tab for `command`.
    pub fn push(&mut self, command: TabCommand) {
        self.0.push(command);
    }

    /// Whether nothing was asked.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Everything asked, in order, leaving the queue empty.
    pub fn take(&mut self) -> Vec<TabCommand> {
        std::mem::take(&mut self.0)
    }
}

/// Topics pinned at most.
pub const MAX_PINS: usize = 200;

/// The topics a user pinned to compare, by full name, so a topic cleared and published again
/// stays pinned. One list per connection.
#[derive(Default)]
pub struct Pins {
    topics: Vec<String>,
}

impl Pins {
    /// Pin `topic`; false when it already was, or the list is full.
    pub fn pin(&mut self, topic: String) -> bool {
        if self.topics.len() >= MAX_PINS || self.is_pinned(&topic) {
            return false;
        }
        self.topics.push(topic);
        true
    }

    /// Take `topic` off the list.
    pub fn unpin(&mut self, topic: &str) {
        self.topics.retain(|t| t != topic);
    }

    /// Whether `topic` is pinned.
    pub fn is_pinned(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t == topic)
    }

    /// The pinned topics, in the order pinned.
    pub fn topics(&self) -> &[String] {
        &self.topics
    }

    /// Unpin every topic.
    pub fn clear(&mut self) {
        self.topics.clear();
    }

    /// Whether nothing is pinned.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }
}
