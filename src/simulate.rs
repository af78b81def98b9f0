//! Running simulations: each on a thread of its own (`simulator`) that renders its messages
//! and hands them to the tab's connection at its rate, by the clock ([`model::simulate::Pace`]),
//! never more than [`MAX_OUTSTANDING`] without an outcome, so the connection's backlog stays
//! bounded. The window routes each publish's outcome back ([`Simulators::observe`]), which
//! gives the sent and failed counts shown.

mod status;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::model::simulate::{Now, Pace, Run, Simulation};
use crate::model::{Event, PublishOutcome};
use crate::mqtt::{PublishId, PublishRequest, Publisher};
pub use status::{Snapshot, Status};

/// Publishes of one simulation without an outcome, at most: beyond it, it waits.
pub const MAX_OUTSTANDING: usize = 4096;

/// The longest a simulator sleeps, so a stop is seen soon.
const MAX_SLEEP: Duration = Duration::from_millis(50);
/// The shortest it sleeps between two rounds: a fast rate sends several messages a round.
const MIN_SLEEP: Duration = Duration::from_millis(1);

/// Start `simulation` on a thread of its own, publishing through `publisher`, reporting to
/// `status`. A template that is wrong ends it at once, the reason in `status`.
pub fn start(simulation: &Simulation, publisher: Publisher, status: Arc<Status>) {
    let run = match Run::new(simulation) {
        Ok(run) => run,
        Err(error) => {
            status.end(error.to_string());
            return;
        }
    };
    status.begin();
    let per_second = simulation.rate.per_second();
    let thread_status = Arc::clone(&status);
    let spawned = std::thread::Builder::new()
        .name("simulator".into())
        .spawn(move || run_loop(run, per_second, &publisher, &thread_status));
    if let Err(error) = spawned {
        status.end(format!("Could not start: {error}"));
    }
}

fn run_loop(mut run: Run, per_second: f64, publisher: &Publisher, status: &Status) {
    let started = Instant::now();
    let mut pace = Pace::new(per_second);
    let mut rng = fastrand::Rng::new();
    while !status.is_stopping() {
        let elapsed_secs = started.elapsed().as_secs_f64();
        let room = MAX_OUTSTANDING.saturating_sub(status.outstanding()) as u64;
        let due = pace.due(elapsed_secs).min(room);
        let epoch_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let mut now = Now {
            elapsed_secs,
            epoch_ms,
            rng: &mut rng,
        };
        let requests = (0..due).map(|_| {
            let message = run.next_message(&mut now);
            PublishRequest {
                topic: message.topic,
                payload: message.payload.into(),
                qos: message.qos,
                retain: message.retain,
                properties: None,
            }
        });
        if !status.hand_over(requests, |request| publisher.try_publish(request).map(PublishId::get)) {
            status.end("The connection closed".into());
            return;
        }
        pace.sent(due);
        let wait = Duration::from_secs_f64(pace.wait_secs(started.elapsed().as_secs_f64()));
        std::thread::sleep(wait.clamp(MIN_SLEEP, MAX_SLEEP));
    }
    status.end_stopped();
}

/// The simulations of one tab that run or ran, for their publishes' outcomes.
#[derive(Default)]
pub struct Simulators {
    running: Vec<Arc<Status>>,
    /// Outcomes seen while draining events, handed over after.
    outcomes: Vec<(u64, PublishOutcome)>,
}

impl Simulators {
    /// Start `simulation` on `publisher` (or, without a connection, say why not).
    pub fn start(&mut self, simulation: &Simulation, publisher: Option<Publisher>, status: Arc<Status>) {
        self.running.retain(|s| s.snapshot().running || s.outstanding() > 0);
        match publisher {
            Some(publisher) => {
                start(simulation, publisher, Arc::clone(&status));
                self.running.push(status);
            }
            None => status.end("Not connected: the tab has no connection".into()),
        }
    }

    /// Whether any simulation runs.
    pub fn any_running(&self) -> bool {
        self.running.iter().any(|s| s.snapshot().running)
    }

    /// Note an event drained from the connection (publish outcomes only, while any simulation
    /// ran); [`Simulators::settle`] hands them over.
    pub fn observe(&mut self, event: &Event) {
        if let Event::Published { id, outcome } = event
            && !self.running.is_empty()
        {
            self.outcomes.push((*id, outcome.clone()));
        }
    }

    /// Hand the outcomes observed to the simulations that published them.
    pub fn settle(&mut self) {
        if self.outcomes.is_empty() {
            return;
        }
        for status in &self.running {
            status.settle(&self.outcomes);
        }
        self.outcomes.clear();
        // A simulation that ended and has nothing outstanding needs no more outcomes.
        self.running.retain(|s| s.snapshot().running || s.outstanding() > 0);
    }

    /// Stop every simulation (the tab closes).
    pub fn stop_all(&self) {
        for status in &self.running {
            status.stop();
        }
    }
}

impl Drop for Simulators {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// The ids a simulation published and has no outcome for.
pub(crate) type Outstanding = HashSet<u64>;
