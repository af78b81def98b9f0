//! Logging: to stderr, to a size-bounded file in the OS's state directory, and into
//! [`Recent`] (the latest warnings and errors, the GL renderer) for the About window.
//!
//! What is logged never holds a password: connection settings and keyring requests print
//! `<hidden>` in its place, and the MQTT client's own logs are kept to warnings (its login's
//! debug form shows the password, so none of its debug lines may reach the file).

pub mod file;
pub mod recent;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

pub use file::RotatingFile;
pub use recent::Recent;

/// What is logged unless `RUST_LOG` says otherwise.
pub const DEFAULT_FILTER: &str = "mqscope=info,warn";

/// Added to every filter: nothing of the MQTT client below warnings (see the module's words).
const NEVER_BELOW_WARN: &str = "rumqttc=warn";

/// The log file's name.
pub const FILE_NAME: &str = "mqscope.log";

/// Where the log file goes: the OS's state directory (`~/.local/state/mqscope` on Linux), or
/// where the OS has none, its local data directory.
pub fn default_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "mqscope")?;
    Some(dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).to_owned())
}

/// What logging was set up with.
pub struct Logging {
    /// The log file's path, or why there is none.
    pub file: Result<PathBuf, String>,
    /// The latest warnings and errors, and the GL renderer.
    pub recent: Recent,
}

/// The log file in `dir`, or why it cannot be written.
fn open_file(dir: Option<&Path>) -> Result<Arc<RotatingFile>, String> {
    let dir = dir.ok_or_else(|| "the OS has no directory for it".to_owned())?;
    let path = dir.join(FILE_NAME);
    RotatingFile::open(&path, file::MAX_BYTES)
        .map(Arc::new)
        .map_err(|error| format!("{}: {error}", path.display()))
}

/// The filter `directives` with the MQTT client's packets kept out (a later directive for the
/// same target wins, so it goes last).
fn filter(directives: &str) -> EnvFilter {
    EnvFilter::try_new(format!("{directives},{NEVER_BELOW_WARN}"))
        .unwrap_or_else(|_| EnvFilter::new(format!("{DEFAULT_FILTER},{NEVER_BELOW_WARN}")))
}

/// Log to stderr and to `dir`'s log file (none when `dir` is `None`) what `directives` let
/// through (`RUST_LOG`'s syntax), and keep the latest problems. Call once, first thing.
/// A file that cannot be opened is said on stderr; the app runs on without it.
pub fn init(dir: Option<&Path>, directives: &str) -> Logging {
    let recent = Recent::default();
    let file = open_file(dir);
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // Colours only on a terminal: a pipe gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(filter(directives));
    let to_file = file.as_ref().ok().map(|file| {
        tracing_subscriber::fmt::layer()
            .with_writer(Arc::clone(file))
            .with_ansi(false)
            .with_filter(filter(directives))
    });
    // Problems whatever the filter, and egui_glow's start-up message naming the renderer.
    let problems = recent.clone().with_filter(
        tracing_subscriber::filter::Targets::new()
            .with_target("egui_glow", tracing::Level::DEBUG)
            .with_default(tracing::Level::WARN),
    );
    let installed = tracing_subscriber::registry()
        .with(stderr)
        .with(to_file)
        .with(problems)
        .try_init();
    if let Err(error) = installed {
        eprintln!("mqscope: logging not set up: {error}");
    }
    let file = file.map(|file| file.path().to_owned());
    match &file {
        Ok(path) => tracing::info!(version = env!("CARGO_PKG_VERSION"), log = %path.display(), "mqscope started"),
        Err(why) => tracing::warn!("no log file: {why}"),
    }
    Logging { file, recent }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Counts the events it is given.
    struct Count(Arc<AtomicUsize>);

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Count {
        fn on_event(&self, _: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn the_mqtt_client_is_never_logged_below_warnings_whatever_the_filter_asks() {
        for directives in ["trace", "rumqttc=trace", "debug,rumqttc=debug", "not a filter ==="] {
            let count = Arc::new(AtomicUsize::new(0));
            let subscriber =
                tracing_subscriber::registry().with(Count(Arc::clone(&count)).with_filter(filter(directives)));
            tracing::subscriber::with_default(subscriber, || {
                tracing::debug!(target: "rumqttc::state", "Connect {{ login: hunter2 }}");
                tracing::info!(target: "rumqttc::eventloop", "packet");
            });
            assert_eq!(count.load(Ordering::Relaxed), 0, "{directives}");
            let subscriber =
                tracing_subscriber::registry().with(Count(Arc::clone(&count)).with_filter(filter(directives)));
            tracing::subscriber::with_default(subscriber, || {
                tracing::warn!(target: "rumqttc::state", "a warning");
            });
            assert_eq!(count.load(Ordering::Relaxed), 1, "{directives}");
        }
    }

    #[test]
    fn a_log_file_that_cannot_be_made_says_where_and_why() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A plain file where the log's folder should be.
        let blocked = dir.path().join("state");
        std::fs::write(&blocked, "not a folder").expect("writes");
        let why = open_file(Some(&blocked.join("mqscope"))).err().expect("fails");
        assert!(
            why.contains(&blocked.display().to_string()) && why.contains("mqscope.log"),
            "{why}"
        );
        assert_eq!(open_file(None).err().as_deref(), Some("the OS has no directory for it"));
        assert!(open_file(Some(dir.path())).is_ok());
    }
}
