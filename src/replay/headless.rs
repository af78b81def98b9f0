//! `mqscope replay FILE --broker URL`: a replay without the window, for a script or CI. The
//! file is checked first, then the same connection path as the window's (`mqtt::Connection`)
//! is opened and the replay driven from this thread, with progress once a second and a
//! summary on stderr. Any problem (a file with nothing to replay, a broker that refuses,
//! messages the broker did not take) is an error with its reason. Ctrl+C stops the replay and
//! disconnects cleanly (DISCONNECT sent) before the process exits.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{Ended, Replay, ReplayError, ReplayOptions, Status};
use crate::model::{ConnectionState, Event, MqttVersion};
use crate::mqtt::{Connection, ConnectionSettings, Drained};
use crate::record::lines::{Line, Lines};
use crate::ui::text::plural;

/// How long a broker has to accept the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How often progress is printed.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);
/// How long the clean disconnect at the end may take.
const DISCONNECT_WAIT: Duration = Duration::from_secs(2);

/// Rung when the connection has events waiting, or Ctrl+C was pressed.
#[derive(Default)]
struct Bell {
    rung: Mutex<bool>,
    ring: Condvar,
    /// Ctrl+C (SIGINT) was pressed.
    interrupted: AtomicBool,
}

/// How a replay without the window failed.
#[derive(Debug)]
pub struct Failed {
    /// Why, in words.
    pub reason: String,
    /// Whether it was stopped by Ctrl+C (the shell's exit status is then 130).
    pub interrupted: bool,
}

impl From<String> for Failed {
    fn from(reason: String) -> Self {
        Self {
            reason,
            interrupted: false,
        }
    }
}

impl Bell {
    fn ring(&self) {
        *self.rung.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.ring.notify_all();
    }

    fn wait(&self, timeout: Duration) {
        let rung = self.rung.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut rung, _) = self
            .ring
            .wait_timeout_while(rung, timeout, |rung| !*rung)
            .unwrap_or_else(PoisonError::into_inner);
        *rung = false;
    }
}

/// Whether `path` can be replayed: it opens and holds at least one message.
pub fn check(path: &Path) -> Result<(), ReplayError> {
    let mut lines = Lines::open(path, &Arc::default()).map_err(ReplayError::File)?;
    let mut first_problem = None;
    while let Some(line) = lines.next_line().map_err(ReplayError::File)? {
        match line {
            Line::Message(_) => return Ok(()),
            Line::Bad { number, why } => {
                first_problem.get_or_insert_with(|| format!("line {number}: {why}"));
            }
        }
    }
    Err(match first_problem {
        Some(first_problem) => ReplayError::NoMessages { first_problem },
        None => ReplayError::File(format!("{} is empty", path.display())),
    })
}

/// Replay `path` into the broker of `settings` as `options` say; the summary, or why it failed.
pub fn run(path: &Path, options: ReplayOptions, mut settings: ConnectionSettings) -> Result<String, Failed> {
    check(path).map_err(|e| format!("cannot replay {}: {e}", path.display()))?;
    // Publishing only: nothing is subscribed to.
    settings.subscriptions.clear();
    let broker = settings.address.to_string();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("mqscope-net")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the network runtime: {e}"))?;
    let bell = Arc::new(Bell::default());
    let wake: crate::mqtt::Waker = {
        let bell = Arc::clone(&bell);
        Arc::new(move || bell.ring())
    };
    let interrupt = Arc::clone(&bell);
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            interrupt.interrupted.store(true, Ordering::SeqCst);
            interrupt.ring();
        }
    });
    let connection = Connection::spawn(runtime.handle(), settings, wake);
    let version = connected(&connection, &bell).map_err(|why| format!("cannot connect to {broker}: {why}"))?;
    eprintln!(
        "mqscope: connected to {broker} (MQTT {}), replaying {}",
        version.as_str(),
        path.display()
    );
    let replay = Replay::start(path.to_owned(), options, connection.publisher(), version);
    let outcome = drive(&connection, &bell, &replay, &broker);
    connection.disconnect();
    let deadline = Instant::now() + DISCONNECT_WAIT;
    while Instant::now() < deadline && !connection.is_finished() {
        let closed = connection.events().drain(deadline, |_| {});
        if closed == Drained::Closed {
            break;
        }
        bell.wait(Duration::from_millis(50));
    }
    runtime.shutdown_timeout(Duration::from_millis(500));
    outcome
}

/// Wait for the broker to accept the connection: the version spoken, or why it did not.
fn connected(connection: &Connection, bell: &Bell) -> Result<MqttVersion, String> {
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        let mut result = None;
        let drained = connection.events().drain(deadline, |event| {
            if let Event::State(state) = event {
                match state {
                    ConnectionState::Connected { version, .. } => result = Some(Ok(version)),
                    ConnectionState::Reconnecting { reason, .. } | ConnectionState::Failed { reason } => {
                        result.get_or_insert(Err(reason));
                    }
                    ConnectionState::Disconnected => {
                        result.get_or_insert(Err("the connection closed".to_owned()));
                    }
                    ConnectionState::Connecting { .. } => {}
                }
            }
        });
        if let Some(result) = result {
            return result;
        }
        if drained == Drained::Closed {
            return Err("the connection ended".to_owned());
        }
        if Instant::now() >= deadline {
            return Err(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()));
        }
        bell.wait(Duration::from_millis(100));
    }
}

/// Hand the connection's events to the replay until it ends; the summary, or why it failed.
fn drive(connection: &Connection, bell: &Bell, replay: &Replay, connection_name: &str) -> Result<String, Failed> {
    let terminal = std::io::stderr().is_terminal();
    let mut next_progress = Instant::now() + PROGRESS_EVERY;
    loop {
        if bell.interrupted.load(Ordering::SeqCst) {
            replay.stop();
            if terminal {
                eprintln!();
            }
            return Err(Failed {
                reason: format!("interrupted after {}", sent(&replay.status())),
                interrupted: true,
            });
        }
        let mut failed = None;
        let drained = connection
            .events()
            .drain(Instant::now() + Duration::from_millis(50), |event| match event {
                Event::Published { id, outcome } => {
                    replay.outcome(id, &outcome);
                }
                Event::State(ConnectionState::Connected { .. }) => replay.set_link(true),
                Event::State(ConnectionState::Reconnecting { reason, .. }) => {
                    replay.set_link(false);
                    eprintln!("mqscope: connection lost ({reason}), waiting for it to come back");
                }
                Event::State(ConnectionState::Failed { reason }) => failed = Some(reason),
                Event::State(ConnectionState::Disconnected) => failed = Some("the connection closed".to_owned()),
                _ => {}
            });
        if drained == Drained::Closed && failed.is_none() {
            failed = Some("the connection ended".to_owned());
        }
        let status = replay.status();
        if let Some(why) = failed {
            replay.stop();
            return Err(format!(
                "replay stopped after {}: {why} (connection to {})",
                sent(&status),
                connection_name
            )
            .into());
        }
        if let Some(ended) = &status.ended {
            if terminal {
                eprintln!();
            }
            return summary(ended, &status).map_err(Failed::from);
        }
        if Instant::now() >= next_progress {
            next_progress += PROGRESS_EVERY;
            let line = progress(&status);
            if terminal {
                eprint!("\r{line}\x1b[K");
                std::io::stderr().flush().ok();
            } else {
                eprintln!("{line}");
            }
        }
        if drained != Drained::MoreWaiting {
            bell.wait(Duration::from_millis(50));
        }
    }
}

fn sent(status: &Status) -> String {
    plural(status.sent, "message", "messages")
}

/// One progress line: sent of how many, the time running, failures.
pub fn progress(status: &Status) -> String {
    let total = status.total.map_or_else(String::new, |t| format!(" of {t}"));
    let pass = if status.passes > 0 {
        format!(", pass {}", status.passes + 1)
    } else {
        String::new()
    };
    let failed = if status.failed > 0 {
        format!(", {} failed", status.failed)
    } else {
        String::new()
    };
    format!(
        "replay: {}{total} sent{pass}, {:.1} s{failed}",
        status.sent_this_pass,
        status.elapsed.as_secs_f64()
    )
}

fn summary(ended: &Ended, status: &Status) -> Result<String, String> {
    let skipped = if status.skipped > 0 {
        let first = status
            .problems
            .first()
            .map_or_else(String::new, |(n, why)| format!(", the first at line {n}: {why}"));
        format!("; {} skipped{first}", plural(status.skipped, "line", "lines"))
    } else {
        String::new()
    };
    let done = format!(
        "{} in {:.1} s, {} delivered{skipped}",
        sent(status),
        status.elapsed.as_secs_f64(),
        status.delivered
    );
    match ended {
        Ended::Failed(error) => Err(format!("replay failed after {done}: {error}")),
        _ if status.failed > 0 => Err(format!(
            "replayed {done}, but {} not: {}",
            status.failed,
            status.first_failure.as_deref().unwrap_or("no reason given")
        )),
        Ended::Stopped => Ok(format!("replay stopped: {done}")),
        Ended::Finished => Ok(format!("replayed {done}")),
    }
}
