//! The window, driven as a person would: egui_kittest clicks and types on the
//! real widgets. One file per panel or journey; tests of the network run against
//! a real Mosquitto.

#[path = "../support/mod.rs"]
mod support;
#[path = "../support/ui.rs"]
mod ui_support;

mod about;
mod broker_status;
mod chart;
mod compare;
mod connection;
mod connection_proxy;
mod diff;
mod export;
mod log;
mod message;
mod payload;
mod publish;
mod record;
mod replay;
mod request;
mod retained;
mod saved_messages;
mod settings;
mod simulate;
mod sparkplug;
mod subscriptions;
mod tabs;
mod time_slider;
mod tree;
