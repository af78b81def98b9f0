//! The way events travel from a connection task to the UI thread: an
//! unbounded channel plus a wake-up that fires once per drain, not once per
//! message, so a flood costs one repaint request a frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use crate::model::Event;

/// Called when events are waiting and the UI should run (for the window: a repaint request).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The sending half, owned by a connection task.
pub struct EventSender {
    tx: mpsc::Sender<Event>,
    pending: Arc<AtomicBool>,
    wake: Waker,
}

/// The receiving half, drained by the UI thread.
pub struct EventReceiver {
    rx: mpsc::Receiver<Event>,
    pending: Arc<AtomicBool>,
}

/// A connected pair.
pub fn channel(wake: Waker) -> (EventSender, EventReceiver) {
    let (tx, rx) = mpsc::channel();
    let pending = Arc::new(AtomicBool::new(false));
    (
        EventSender {
            tx,
            pending: Arc::clone(&pending),
            wake,
        },
        EventReceiver { rx, pending },
    )
}

impl EventSender {
    /// Queue an event and wake the receiver if it is not already due to run.
    /// Returns false when the receiver is gone.
    pub fn send(&self, event: Event) -> bool {
        if self.tx.send(event).is_err() {
            return false;
        }
        if !self.pending.swap(true, Ordering::AcqRel) {
            (self.wake)();
        }
        true
    }
}

impl Drop for EventSender {
    /// The receiver learns the sender is gone only by draining: make sure it drains again.
    fn drop(&mut self) {
        if !self.pending.swap(true, Ordering::AcqRel) {
            (self.wake)();
        }
    }
}

/// How a drain ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drained {
    /// Everything queued was handled.
    Empty,
    /// The deadline came first; more events are waiting.
    MoreWaiting,
    /// The sender is gone and everything was handled.
    Closed,
}

impl EventReceiver {
    /// Hand queued events to `handle` until none are left or `deadline` passes.
    pub fn drain(&self, deadline: Instant, mut handle: impl FnMut(Event)) -> Drained {
        self.pending.store(false, Ordering::Release);
        loop {
            if Instant::now() >= deadline {
                return Drained::MoreWaiting;
            }
            match self.rx.try_recv() {
                Ok(event) => handle(event),
                Err(mpsc::TryRecvError::Empty) => return Drained::Empty,
                Err(mpsc::TryRecvError::Disconnected) => return Drained::Closed,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ConnectionState;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[test]
    fn wakes_once_per_drain_and_delivers_everything() {
        let wakes = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&wakes);
        let (tx, rx) = channel(Arc::new(move || {
            counter.fetch_add(1, Ordering::Relaxed);
        }));
        for _ in 0..100 {
            assert!(tx.send(Event::State(ConnectionState::Disconnected)));
        }
        assert_eq!(wakes.load(Ordering::Relaxed), 1);
        let mut seen = 0;
        let deadline = Instant::now() + Duration::from_secs(5);
        assert_eq!(rx.drain(deadline, |_| seen += 1), Drained::Empty);
        assert_eq!(seen, 100);
        tx.send(Event::State(ConnectionState::Disconnected));
        assert_eq!(wakes.load(Ordering::Relaxed), 2);
        drop(tx);
        assert_eq!(rx.drain(deadline, |_| seen += 1), Drained::Closed);
        assert_eq!(seen, 101);
    }

    #[test]
    fn stops_at_the_deadline() {
        let (tx, rx) = channel(Arc::new(|| {}));
        tx.send(Event::State(ConnectionState::Disconnected));
        assert_eq!(rx.drain(Instant::now(), |_| {}), Drained::MoreWaiting);
    }
}
