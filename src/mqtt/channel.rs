//! The way events travel from a connection task to the UI thread: a channel
//! plus a wake-up that fires once per drain, not once per message, so a flood
//! costs one repaint request a frame.
//!
//! The channel counts the bytes it holds. Past its bound the connection stops
//! reading the socket until the window has caught up (TCP then slows the
//! broker down), so a flood faster than the window can apply it waits at the
//! broker, not in this process's memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::model::Event;

/// Bytes of events a connection may have waiting for the window (payloads, topics and a
/// little for the rest); past it the connection waits.
pub const MAX_QUEUED_BYTES: usize = 32 * 1024 * 1024;

/// What a message costs besides its payload and topic.
const MESSAGE_OVERHEAD: usize = 96;

/// What an event counts for against the bound.
fn cost(event: &Event) -> usize {
    match event {
        Event::Messages(batch) => batch
            .iter()
            .map(|r| r.message.payload.len() + r.topic.len() + MESSAGE_OVERHEAD)
            .sum(),
        _ => MESSAGE_OVERHEAD,
    }
}

/// What the two halves share: the bytes waiting, the bound, and a signal that room was made.
struct Shared {
    queued: AtomicUsize,
    limit: usize,
    room: tokio::sync::Notify,
}

/// Called when events are waiting and the UI should run (for the window: a repaint request).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The sending half, owned by a connection task.
pub struct EventSender {
    tx: mpsc::Sender<(Event, usize)>,
    pending: Arc<AtomicBool>,
    wake: Waker,
    shared: Arc<Shared>,
}

/// The receiving half, drained by the UI thread.
pub struct EventReceiver {
    rx: mpsc::Receiver<(Event, usize)>,
    pending: Arc<AtomicBool>,
    shared: Arc<Shared>,
}

/// A connected pair, bounded at [`MAX_QUEUED_BYTES`].
pub fn channel(wake: Waker) -> (EventSender, EventReceiver) {
    bounded(wake, MAX_QUEUED_BYTES)
}

/// A connected pair that holds about `limit` bytes before the sender waits.
pub fn bounded(wake: Waker, limit: usize) -> (EventSender, EventReceiver) {
    let (tx, rx) = mpsc::channel();
    let pending = Arc::new(AtomicBool::new(false));
    let shared = Arc::new(Shared {
        queued: AtomicUsize::new(0),
        limit,
        room: tokio::sync::Notify::new(),
    });
    (
        EventSender {
            tx,
            pending: Arc::clone(&pending),
            wake,
            shared: Arc::clone(&shared),
        },
        EventReceiver { rx, pending, shared },
    )
}

impl EventSender {
    /// Queue an event and wake the receiver if it is not already due to run.
    /// Returns false when the receiver is gone.
    pub fn send(&self, event: Event) -> bool {
        let cost = cost(&event);
        self.shared.queued.fetch_add(cost, Ordering::AcqRel);
        if self.tx.send((event, cost)).is_err() {
            self.shared.queued.fetch_sub(cost, Ordering::AcqRel);
            return false;
        }
        if !self.pending.swap(true, Ordering::AcqRel) {
            (self.wake)();
        }
        true
    }
}

impl EventSender {
    /// Whether the events waiting have reached the bound: read no more until there is room.
    pub fn is_full(&self) -> bool {
        self.shared.queued.load(Ordering::Acquire) >= self.shared.limit
    }

    /// Wait until the window has taken the waiting events down to half the bound, or `most` has
    /// passed (the caller then reads one more packet, which keeps the connection's keep-alive
    /// going while the window does not drain, say when it is hidden). Returns whether there is
    /// room.
    pub async fn room(&self, most: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + most;
        loop {
            let notified = self.shared.room.notified();
            tokio::pin!(notified);
            // Registered before the check, so a drain between the two is not missed.
            notified.as_mut().enable();
            if self.shared.queued.load(Ordering::Acquire) < self.shared.limit / 2 {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return false;
            }
        }
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
        let drained = loop {
            if Instant::now() >= deadline {
                break Drained::MoreWaiting;
            }
            match self.rx.try_recv() {
                Ok((event, cost)) => {
                    self.shared.queued.fetch_sub(cost, Ordering::AcqRel);
                    handle(event);
                }
                Err(mpsc::TryRecvError::Empty) => break Drained::Empty,
                Err(mpsc::TryRecvError::Disconnected) => break Drained::Closed,
            }
        };
        if self.queued_bytes() < self.shared.limit / 2 {
            self.shared.room.notify_waiters();
        }
        drained
    }

    /// Bytes of events waiting.
    pub fn queued_bytes(&self) -> usize {
        self.shared.queued.load(Ordering::Acquire)
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

    fn batch(messages: usize, size: usize) -> Event {
        Event::Messages(
            (0..messages)
                .map(|_| crate::model::Received {
                    topic: "t".into(),
                    message: crate::model::Message::new(bytes::Bytes::from(vec![0u8; size])),
                })
                .collect(),
        )
    }

    #[test]
    fn the_bytes_waiting_are_counted_and_the_sender_waits_for_room() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let (tx, rx) = bounded(Arc::new(|| {}), 10_000);
        tx.send(batch(5, 1000));
        assert_eq!(rx.queued_bytes(), 5 * (1000 + 1 + MESSAGE_OVERHEAD));
        assert!(!tx.is_full());
        tx.send(batch(5, 1000));
        assert!(tx.is_full());
        // Nothing drains: the wait ends at its limit without room.
        assert!(!runtime.block_on(tx.room(Duration::from_millis(50))));
        // A drain on another thread makes room and wakes the waiting sender.
        let drainer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            let mut seen = 0;
            rx.drain(Instant::now() + Duration::from_secs(5), |_| seen += 1);
            (rx, seen)
        });
        assert!(runtime.block_on(tx.room(Duration::from_secs(10))), "woken by the drain");
        let (rx, seen) = drainer.join().expect("drained");
        assert_eq!((seen, rx.queued_bytes()), (2, 0));
        assert!(!tx.is_full());
    }

    #[test]
    fn stops_at_the_deadline() {
        let (tx, rx) = channel(Arc::new(|| {}));
        tx.send(Event::State(ConnectionState::Disconnected));
        assert_eq!(rx.drain(Instant::now(), |_| {}), Drained::MoreWaiting);
    }
}
