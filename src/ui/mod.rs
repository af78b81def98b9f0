//! The window's panels, one file each. Panels read the model and never block.

pub mod about;
pub mod broker;
pub mod chart;
pub mod compare;
pub mod connection;
pub mod context;
pub mod dialogs;
pub mod diff;
pub mod export;
pub mod log;
pub mod message;
pub mod open_recording;
pub mod payload_view;
pub mod publish;
pub mod record;
pub mod replay;
pub mod simulate;
pub mod status;
pub mod subscriptions;
pub mod text;
pub mod theme;
pub mod time_slider;
pub mod tree;
