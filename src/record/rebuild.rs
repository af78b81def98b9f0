//! Building the state at a moment of a recording on a thread of its own ("mqscope-timeline"),
//! the newest request winning: a request for a later moment than the one being built carries
//! the work on; an earlier one starts it again; a build nobody waits for any more is dropped.
//! Sessions the window is done with are dropped on that thread too, since letting go of a
//! million kept messages takes longer than a frame.

use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use super::timeline::{self, BATCH, Timeline};
use crate::model::Session;

/// A state asked for: the first `count` messages, the history bounded by `limits`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wanted {
    generation: u64,
    count: usize,
    limits: (usize, usize),
}

/// What the window and the thread share.
#[derive(Default)]
struct Slot {
    wanted: Option<Wanted>,
    /// The build under way is no longer wanted.
    cancelled: bool,
    /// Sessions to let go of.
    discard: Vec<Session>,
    stop: bool,
}

struct Shared {
    slot: Mutex<Slot>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Slot> {
        // A panic on the thread leaves nothing half written in the slot: go on with it.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A state built: the first `count` messages, for request `generation`.
pub struct Rebuilt {
    /// The request it answers (the newest one taken in, when several came while building).
    pub generation: u64,
    /// Messages applied.
    pub count: usize,
    /// The state.
    pub session: Session,
}

/// The window's handle on the thread. Dropping it stops the thread at its next batch.
pub struct Rebuilder {
    shared: Arc<Shared>,
    built: mpsc::Receiver<Rebuilt>,
}

impl Rebuilder {
    /// Start the thread for `timeline`; `done` is called when a state is ready (to wake the
    /// window).
    pub fn start(timeline: Arc<Timeline>, done: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            slot: Mutex::new(Slot::default()),
            wake: Condvar::new(),
        });
        let (sender, built) = mpsc::channel();
        let worker = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("mqscope-timeline".into())
            .spawn(move || run(&worker, &timeline, &sender, &done))?;
        Ok(Self { shared, built })
    }

    /// Ask for the state after the first `count` messages, the history bounded by `limits`,
    /// as request `generation` (larger than any before); it replaces any request waiting.
    pub fn request(&self, generation: u64, count: usize, limits: (usize, usize)) {
        let mut slot = self.shared.lock();
        slot.wanted = Some(Wanted {
            generation,
            count,
            limits,
        });
        slot.cancelled = false;
        self.shared.wake.notify_one();
    }

    /// Stop building: nothing asked for is wanted any more.
    pub fn cancel(&self) {
        let mut slot = self.shared.lock();
        slot.wanted = None;
        slot.cancelled = true;
    }

    /// The newest state built since the last call, if any (older ones are let go of).
    pub fn poll(&self) -> Option<Rebuilt> {
        let mut newest: Option<Rebuilt> = None;
        while let Ok(rebuilt) = self.built.try_recv() {
            if let Some(older) = newest.replace(rebuilt) {
                self.discard(older.session);
            }
        }
        newest
    }

    /// Let go of `session` on the thread, not the caller's.
    pub fn discard(&self, session: Session) {
        let mut slot = self.shared.lock();
        slot.discard.push(session);
        self.shared.wake.notify_one();
    }
}

impl Drop for Rebuilder {
    fn drop(&mut self) {
        let mut slot = self.shared.lock();
        slot.stop = true;
        self.shared.wake.notify_one();
    }
}

/// What the thread does next.
enum Next {
    Build(Wanted),
    Stop,
}

fn next(shared: &Shared) -> Next {
    let mut slot = shared.lock();
    loop {
        if slot.stop {
            return Next::Stop;
        }
        if !slot.discard.is_empty() {
            let discard = std::mem::take(&mut slot.discard);
            drop(slot);
            drop(discard);
            slot = shared.lock();
            continue;
        }
        if let Some(wanted) = slot.wanted.take() {
            slot.cancelled = false;
            return Next::Build(wanted);
        }
        slot = shared.wake.wait(slot).unwrap_or_else(PoisonError::into_inner);
    }
}

fn run(shared: &Shared, timeline: &Timeline, sender: &mpsc::Sender<Rebuilt>, done: &dyn Fn()) {
    while let Next::Build(mut wanted) = next(shared) {
        let mut session = timeline::fresh(wanted.limits);
        let mut applied = 0;
        loop {
            let end = wanted.count.min(timeline.len()).min(applied + BATCH);
            timeline.apply(&mut session, applied..end);
            applied = end;
            let mut slot = shared.lock();
            if slot.stop {
                return;
            }
            if slot.cancelled {
                slot.cancelled = false;
                break;
            }
            if let Some(newer) = slot.wanted.take() {
                if newer.count >= applied && newer.limits == wanted.limits {
                    // Later than what is built so far: carry on towards it.
                    wanted = newer;
                } else {
                    // Earlier: start again (the slot keeps it for the loop above).
                    slot.wanted = Some(newer);
                    break;
                }
            }
            drop(slot);
            if applied >= wanted.count.min(timeline.len()) {
                let rebuilt = Rebuilt {
                    generation: wanted.generation,
                    count: applied,
                    session,
                };
                if sender.send(rebuilt).is_err() {
                    return;
                }
                done();
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant, UNIX_EPOCH};

    use super::*;
    use crate::model::Received;

    fn timeline(n: u64) -> Arc<Timeline> {
        let mut builder = timeline::Builder::default();
        for i in 0..n {
            let mut received = Received::example(&format!("t/{}", i % 10), &i.to_string());
            received.message.received_at = UNIX_EPOCH + Duration::from_secs(i);
            builder.push(&received);
        }
        Arc::new(builder.finish().0)
    }

    fn wait(rebuilder: &Rebuilder) -> Rebuilt {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(rebuilt) = rebuilder.poll() {
                return rebuilt;
            }
            assert!(Instant::now() < deadline, "no state was built");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn builds_the_state_asked_for() {
        let rebuilder = Rebuilder::start(timeline(100), || {}).expect("thread");
        rebuilder.request(1, 25, (1000, 1 << 30));
        let rebuilt = wait(&rebuilder);
        assert_eq!((rebuilt.generation, rebuilt.count), (1, 25));
        assert_eq!(rebuilt.session.tree.message_count(), 25);
    }

    #[test]
    fn the_newest_request_wins() {
        let rebuilder = Rebuilder::start(timeline(50_000), || {}).expect("thread");
        for (generation, count) in [(1, 40_000), (2, 10_000), (3, 30_000), (4, 20)] {
            rebuilder.request(generation, count, (1000, 1 << 30));
        }
        let mut last = wait(&rebuilder);
        while last.generation != 4 {
            last = wait(&rebuilder);
        }
        assert_eq!(last.session.tree.message_count(), 20);
        std::thread::sleep(Duration::from_millis(50));
        assert!(rebuilder.poll().is_none(), "nothing older comes after the newest");
    }
}
