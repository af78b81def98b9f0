//! The heart of mqscope: what a connection has seen, as plain data.
//! Nothing here knows about the UI, the network or threads; it is tested and
//! benchmarked directly.

pub mod event;
pub mod exchange;
pub mod frozen;
pub mod history;
pub mod log;
pub mod message;
pub mod natural;
pub mod outline;
pub mod rows;
pub mod search;
pub mod session;
pub mod simulate;
pub mod stats;
pub mod subscription;
pub mod template;
pub mod topic;
pub mod tree;

pub use event::{ConnectionState, Event, MqttVersion, PublishOutcome, SubscriptionOutcome};
pub use frozen::{Frozen, RowData};
pub use log::{Line, Log};
pub use message::{Message, Properties, Qos, Received};
pub use outline::{Expansion, Outline};
pub use rows::{Row, RowFilter};
pub use search::{Matches, Search};
pub use session::Session;
pub use subscription::{RetainHandling, Subscription};
pub use tree::{Node, NodeId, SortOrder, Tree};
