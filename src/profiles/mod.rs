//! What mqscope keeps between runs, in the OS's config directory.

pub mod messages;
pub mod profile;
pub mod proxy;
pub mod secrets;
pub mod settings;
pub mod simulations;
pub mod store;

pub use store::{Loaded, Store};
