//! mqscope: a fast native MQTT explorer.
//!
//! The crate is split so the heart can be tested without a window:
//! [`model`] and [`payload`] are pure data and functions, [`mqtt`] talks to
//! brokers and reports events, [`ui`] and [`app`] draw the window.

pub mod app;
pub mod cli;
pub mod explorer;
pub mod export;
pub mod logging;
pub use mqscope_model as model;
pub mod mqtt;
pub use mqscope_payload as payload;
pub mod profiles;
pub mod record;
pub mod replay;
pub mod simulate;
pub mod ui;

pub use app::App;
