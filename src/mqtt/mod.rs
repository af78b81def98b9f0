//! Talking to brokers. A connection runs as a tokio task and only reports
//! [`crate::model::Event`]s; it never touches the model.

pub mod backoff;
pub mod channel;
pub mod connection;
pub mod errors;
pub mod failure;
pub mod inflight;
pub mod liveness;
pub mod protocol;
pub mod reasons;
pub mod recovery;
pub mod request;
pub mod retained;
pub mod settings;
pub mod takeover;
pub mod tls;
pub mod tunnel;

pub use channel::{Drained, EventReceiver, Waker};
pub use connection::{Connection, Publisher};
pub use failure::{Failure, Retry};
pub use request::{Command, PublishId, PublishRequest};
pub use settings::{
    AddressError, BrokerAddress, ConnectionSettings, MqttVersion, ProxyKind, ProxySettings, Scheme, TlsOptions,
    V5Options, VersionChoice,
};
