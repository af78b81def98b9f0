//! One connection to a broker: a tokio task that polls rumqttc's event loop,
//! turns what arrives into [`Event`]s, reconnects with backoff, resubscribes
//! on every CONNACK, and never blocks on its own client.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::backoff::Backoff;
use super::channel::{EventReceiver, EventSender, MAX_QUEUED_BYTES, Waker, bounded};
use super::errors::describe;
use super::inflight::{Inflight, PublishFailure, Report};
use super::protocol::{self, Client, EventLoop, Polled, SendError};
use super::recovery::{self, Ended, Next};
use super::request::{Command, PublishId, PublishRequest};
use super::settings::ConnectionSettings;
use super::takeover::TakeoverDetector;
use crate::model::{ConnectionState, Event, Message, Qos, Received, Subscription, SubscriptionOutcome};

/// Payloads from this size on are kept as the slice rumqttc read them into; smaller ones are copied.
const SHARE_PAYLOADS_FROM_BYTES: usize = 64 * 1024;

/// Requests (publish, subscribe) rumqttc queues at most; more wait in the task's backlog.
const REQUEST_QUEUE: usize = 256;

/// Messages sent to the UI in one event at most (keeps latency low under floods).
const MAX_BATCH: usize = 4096;
/// Payload bytes a batch holds before it is sent, so the channel's bound is not overshot by much.
const MAX_BATCH_BYTES: usize = 1024 * 1024;
/// While the window is behind, one packet is still read this often (keep-alive, commands).
const ROOM_WAIT: Duration = Duration::from_millis(500);

/// How long a clean disconnect may take before the task just drops the socket.
const DISCONNECT_GRACE: Duration = Duration::from_secs(1);

/// A running connection: send it commands, drain its events.
pub struct Connection {
    commands: UnboundedSender<Command>,
    events: EventReceiver,
    task: tokio::task::JoinHandle<()>,
}

impl Connection {
    /// Start connecting on `runtime`. `wake` is called when events are waiting.
    pub fn spawn(runtime: &tokio::runtime::Handle, settings: ConnectionSettings, wake: Waker) -> Self {
        Self::spawn_bounded(runtime, settings, wake, MAX_QUEUED_BYTES)
    }

    /// [`Connection::spawn`], with events of about `max_queued_bytes` waiting for the window
    /// before the connection stops reading the socket.
    pub fn spawn_bounded(
        runtime: &tokio::runtime::Handle,
        settings: ConnectionSettings,
        wake: Waker,
        max_queued_bytes: usize,
    ) -> Self {
        let (sender, events) = bounded(wake, max_queued_bytes);
        let (commands, command_rx) = unbounded_channel();
        let task = runtime.spawn(run(settings, sender, command_rx));
        Self { commands, events, task }
    }

    /// The events this connection reported.
    pub fn events(&self) -> &EventReceiver {
        &self.events
    }

    /// Ask the connection to close cleanly; a [`ConnectionState::Disconnected`] event follows.
    pub fn disconnect(&self) {
        // An error means the task already ended, which is what was asked.
        self.commands.send(Command::Disconnect).ok();
    }

    /// Publish a message. An [`Event::Published`] with the returned id reports the outcome.
    pub fn publish(&self, request: PublishRequest) -> PublishId {
        let id = PublishId::next();
        if self.commands.send(Command::Publish { id, request }).is_err() {
            // The task is gone, and with it the channel an outcome would take.
            tracing::debug!(id = id.get(), "publish after the connection ended");
        }
        id
    }

    /// Whether the task has ended.
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

/// The state of one connection task.
struct Task {
    settings: ConnectionSettings,
    events: EventSender,
    client: Client,
    batch: Vec<Received>,
    /// Payload and topic bytes in `batch`.
    batch_bytes: usize,
    /// Subscription requests sent, waiting for rumqttc to give them a packet id.
    unsent_subscriptions: VecDeque<Vec<Subscription>>,
    /// Subscription requests waiting for the broker's SUBACK, by packet id.
    awaiting_suback: HashMap<u16, Vec<Subscription>>,
    /// Every publish without an outcome yet.
    inflight: Inflight,
    /// The largest packet the broker takes, when it said (MQTT 5 CONNACK).
    broker_max_packet: Option<u32>,
}

impl Task {
    fn flush(&mut self) {
        self.batch_bytes = 0;
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(256));
            self.events.send(Event::Messages(batch));
        }
    }

    fn state(&self, state: ConnectionState) {
        self.events.send(Event::State(state));
    }

    fn subscribe(&mut self) {
        let subscriptions = self.settings.subscriptions.clone();
        if subscriptions.is_empty() {
            return;
        }
        match self.client.subscribe(&subscriptions) {
            Ok(()) => self.unsent_subscriptions.push_back(subscriptions),
            Err(err) => {
                let outcomes = subscriptions
                    .into_iter()
                    .map(|s| SubscriptionOutcome {
                        filter: s.filter,
                        granted: Err(format!("could not be sent: {err}")),
                    })
                    .collect();
                self.events.send(Event::Subscribed(outcomes));
            }
        }
    }

    fn report(&self, (id, outcome): Report) {
        self.events.send(Event::Published { id: id.get(), outcome });
    }

    fn publish(&mut self, id: PublishId, request: PublishRequest, connected: bool) {
        match self.inflight.request(id, request, connected) {
            Some(report) => self.report(report),
            None => self.pump(),
        }
    }

    /// Hand waiting publishes to rumqttc while the in-flight limit allows and its request
    /// queue has room; the rest go after acknowledgements or after the event loop took some.
    fn pump(&mut self) {
        while let Some(request) = self.inflight.next() {
            let failure = if !rumqttc::valid_topic(&request.topic) {
                // rumqttc refuses an invalid topic with the same error as a full queue: tell them apart first.
                PublishFailure::InvalidTopic
            } else if let Some(max) = self.broker_max_packet
                && request.packet_size() > max as usize
            {
                PublishFailure::TooLarge {
                    max_packet_bytes: max,
                    payload_bytes: request.payload.len(),
                }
            } else {
                match self.client.publish(request) {
                    Ok(()) => {
                        self.inflight.handed_over();
                        continue;
                    }
                    Err(SendError::Full) => break,
                    Err(SendError::Other(err)) => PublishFailure::NotSent(err),
                }
            };
            if let Some(report) = self.inflight.not_handed_over(failure) {
                self.report(report);
            }
        }
    }

    /// The connection is gone: whatever was not acknowledged will not be.
    fn fail_unacknowledged(&mut self, reason: &str) {
        for report in self.inflight.connection_lost(reason) {
            self.report(report);
        }
    }

    fn suback(&mut self, pkid: u16, mut granted: Vec<Result<Qos, String>>) {
        let Some(subscriptions) = self.awaiting_suback.remove(&pkid) else {
            return;
        };
        granted.resize_with(subscriptions.len(), || {
            Err("the broker did not answer for this filter".to_owned())
        });
        let outcomes = subscriptions
            .into_iter()
            .zip(granted)
            .map(|(s, granted)| SubscriptionOutcome {
                granted,
                filter: s.filter,
            })
            .collect();
        self.events.send(Event::Subscribed(outcomes));
    }
}

/// A few words on why a connection ended, for the outcome of unacknowledged publishes.
fn failure_reason_short(error: &protocol::ConnectionError) -> String {
    let text = error.to_string();
    text.chars().take(120).collect()
}

/// Close cleanly: DISCONNECT, then poll until it is written, briefly.
async fn close(client: &Client, eventloop: &mut EventLoop, connected: bool) {
    if !connected || !client.disconnect() {
        return;
    }
    let flushed = tokio::time::timeout(DISCONNECT_GRACE, async {
        loop {
            match eventloop.poll().await {
                Ok(Polled::SentDisconnect) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    if flushed.is_err() {
        tracing::debug!("disconnect not flushed in time; dropping the socket");
    }
}

async fn run(settings: ConnectionSettings, events: EventSender, mut commands: UnboundedReceiver<Command>) {
    let (client, mut eventloop) = match protocol::open(&settings, REQUEST_QUEUE) {
        Ok(opened) => opened,
        Err(error) => {
            tracing::warn!(broker = %settings.address, %error, "cannot connect");
            events.send(Event::State(ConnectionState::Failed {
                reason: error.to_string(),
            }));
            return;
        }
    };
    let mut task = Task {
        settings,
        events,
        client,
        batch: Vec::with_capacity(256),
        batch_bytes: 0,
        unsent_subscriptions: VecDeque::new(),
        awaiting_suback: HashMap::new(),
        inflight: Inflight::default(),
        broker_max_packet: None,
    };
    let mut backoff = Backoff::default();
    let mut takeover = TakeoverDetector::new();
    let mut connected_at: Option<Instant> = None;
    let mut subscribed = false;
    let mut attempt = 1;
    task.state(ConnectionState::Connecting { attempt });
    tracing::info!(broker = %task.settings.address, client_id = %task.settings.client_id, "connecting");

    loop {
        if task.events.is_full() {
            // The window is behind: let it catch up before reading more, so a flood waits at
            // the broker (TCP slows it down), not in memory.
            task.flush();
            task.events.room(ROOM_WAIT).await;
        }
        // One poll runs to completion while commands are handled beside it: dropping a poll
        // half-way (for instance while it writes) could lose a packet rumqttc already took.
        let polled = {
            let poll = eventloop.poll();
            tokio::pin!(poll);
            loop {
                tokio::select! {
                    biased;
                    command = commands.recv() => match command {
                        Some(Command::Publish { id, request }) => task.publish(id, request, connected_at.is_some()),
                        Some(Command::Disconnect) | None => break None,
                    },
                    polled = &mut poll => break Some(polled),
                }
            }
        };
        let Some(polled) = polled else {
            task.flush();
            close(&task.client, &mut eventloop, connected_at.is_some()).await;
            task.fail_unacknowledged("disconnected");
            task.state(ConnectionState::Disconnected);
            return;
        };
        match polled {
            Ok(Polled::Publish {
                topic,
                payload,
                qos,
                retain,
                properties,
            }) => {
                // A small payload is a slice of rumqttc's read buffer and would keep the whole
                // buffer alive for as long as it is kept: copy it out (large ones are kept as they are).
                let payload = if payload.len() < SHARE_PAYLOADS_FROM_BYTES {
                    bytes::Bytes::copy_from_slice(&payload)
                } else {
                    payload
                };
                task.batch_bytes += payload.len() + topic.len();
                task.batch.push(Received {
                    topic,
                    message: Message {
                        payload,
                        qos,
                        retain,
                        received_at: SystemTime::now(),
                        properties,
                    },
                });
            }
            Ok(Polled::ConnAck {
                max_packet_size,
                inflight_limit,
            }) => {
                task.broker_max_packet = max_packet_size;
                task.inflight.set_limit(inflight_limit);
                connected_at = Some(Instant::now());
                subscribed = false;
                tracing::info!(broker = %task.settings.address, "connected");
                task.state(ConnectionState::Connected {
                    since: SystemTime::now(),
                });
                // A clean session forgets subscriptions: subscribe on every CONNACK.
                task.subscribe();
            }
            Ok(Polled::SentSubscribe(pkid)) => {
                if let Some(subscriptions) = task.unsent_subscriptions.pop_front() {
                    task.awaiting_suback.insert(pkid, subscriptions);
                }
            }
            Ok(Polled::SentPublish(pkid)) => {
                if let Some(report) = task.inflight.sent(pkid) {
                    task.report(report);
                }
            }
            Ok(Polled::PubAck { pkid, refused }) => {
                if let Some(report) = task.inflight.puback(pkid, refused) {
                    task.report(report);
                }
            }
            Ok(Polled::PubRec { pkid, refused }) => {
                if let Some(report) = task.inflight.pubrec(pkid, refused) {
                    task.report(report);
                }
            }
            Ok(Polled::PubComp { pkid }) => {
                if let Some(report) = task.inflight.pubcomp(pkid) {
                    task.report(report);
                }
            }
            Ok(Polled::SubAck { pkid, granted }) => {
                subscribed = true;
                task.suback(pkid, granted);
            }
            Ok(Polled::SentDisconnect) => {
                task.flush();
                task.state(ConnectionState::Disconnected);
                return;
            }
            Ok(_) => {}
            Err(error) => {
                task.flush();
                // Requests not yet answered are gone with the connection (the session is clean).
                task.unsent_subscriptions.clear();
                task.awaiting_suback.clear();
                task.fail_unacknowledged(&failure_reason_short(&error));
                // rumqttc keeps a stuck collision across reconnects and then sends nothing more;
                // the session is clean, so nothing of the old one is worth keeping.
                eventloop.forget_old_connection();
                let failure = describe(&error, &task.settings);
                tracing::warn!(broker = %task.settings.address, %error, "connection failed");
                let ended = Ended {
                    up_for: connected_at.take().map(|since| since.elapsed()),
                    subscribed,
                };
                let client_id = &task.settings.client_id;
                let (failure, fresh_backoff) =
                    match recovery::next_step(failure, ended, &mut takeover, Instant::now(), client_id) {
                        Next::Stop(failure) => {
                            task.state(ConnectionState::Failed {
                                reason: failure.to_string(),
                            });
                            return;
                        }
                        Next::Retry { failure, fresh_backoff } => (failure, fresh_backoff),
                    };
                if fresh_backoff {
                    backoff.reset();
                }
                let delay = backoff.next_delay();
                task.state(ConnectionState::Reconnecting {
                    reason: failure.to_string(),
                    retry_at: Instant::now() + delay,
                    failures: backoff.failures(),
                });
                let wake_at = tokio::time::Instant::now() + delay;
                loop {
                    tokio::select! {
                        () = tokio::time::sleep_until(wake_at) => break,
                        command = commands.recv() => match command {
                            Some(Command::Publish { id, request }) => task.publish(id, request, false),
                            Some(Command::Disconnect) | None => {
                                task.state(ConnectionState::Disconnected);
                                return;
                            }
                        },
                    }
                }
                attempt += 1;
                task.state(ConnectionState::Connecting { attempt });
            }
        }
        // rumqttc reads packets in bursts and hands them out one per poll (acks and
        // pings among them): send once the burst is used up.
        if !task.batch.is_empty()
            && (eventloop.burst_used_up() || task.batch.len() >= MAX_BATCH || task.batch_bytes >= MAX_BATCH_BYTES)
        {
            task.flush();
        }
        if connected_at.is_some() {
            task.pump();
        }
    }
}
