//! What a connection task knows between polls, and what it does with each
//! event rumqttc reports: batch messages, resubscribe, feed the in-flight
//! bookkeeping and report what it says.

use std::collections::{HashMap, VecDeque};
use std::time::{Instant, SystemTime};

use super::subscribing::Subscribing;
use crate::model::{ConnectionState, Event, Message, Qos, Received};
use crate::mqtt::channel::EventSender;
use crate::mqtt::inflight::{Inflight, PublishFailure, Report};
use crate::mqtt::protocol::{Client, Polled, SendError};
use crate::mqtt::request::{Command, PublishId, PublishRequest};
use crate::mqtt::settings::ConnectionSettings;
use crate::record::{NotTaken, RecordSink};

/// Payloads from this size on are kept as the slice rumqttc read them into; smaller ones are copied.
const SHARE_PAYLOADS_FROM_BYTES: usize = 64 * 1024;

/// Messages sent to the UI in one event at most (keeps latency low under floods).
const MAX_BATCH: usize = 4096;
/// Payload bytes a batch holds before it is sent, so the channel's bound is not overshot by much.
const MAX_BATCH_BYTES: usize = 1024 * 1024;

/// Whether the task goes on after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flow {
    /// Keep polling.
    Continue,
    /// The connection closed cleanly (DISCONNECT sent, or asked for): stop.
    Stop,
}

/// The state of one connection task, apart from rumqttc's event loop.
pub(super) struct State {
    pub(super) settings: ConnectionSettings,
    pub(super) events: EventSender,
    pub(super) client: Client,
    batch: Vec<Received>,
    /// Payload and topic bytes in `batch`.
    batch_bytes: usize,
    /// Subscription requests in flight, and filters given up.
    pub(super) subscribing: Subscribing,
    /// Filters to unsubscribe from, waiting for rumqttc to give them a packet id.
    pub(super) unsent_unsubscriptions: VecDeque<String>,
    /// Filters waiting for the broker's UNSUBACK, by packet id.
    awaiting_unsuback: HashMap<u16, String>,
    /// Every publish without an outcome yet.
    inflight: Inflight,
    /// The largest packet the broker takes, when it said (MQTT 5 CONNACK).
    broker_max_packet: Option<u32>,
    /// When the connection came up, while it is up.
    pub(super) connected_at: Option<Instant>,
    /// Whether the broker answered this connection's subscription.
    pub(super) subscribed: bool,
    /// The recording every batch is handed to, if one runs.
    recorder: Option<RecordSink>,
    /// Batches the recording has not taken yet, oldest first.
    to_record: VecDeque<Vec<Received>>,
    /// The recording stops once `to_record` is handed over.
    recorder_closing: bool,
}

impl State {
    pub(super) fn new(settings: ConnectionSettings, events: EventSender, client: Client) -> Self {
        Self {
            settings,
            events,
            client,
            batch: Vec::with_capacity(256),
            batch_bytes: 0,
            subscribing: Subscribing::default(),
            unsent_unsubscriptions: VecDeque::new(),
            awaiting_unsuback: HashMap::new(),
            inflight: Inflight::default(),
            broker_max_packet: None,
            connected_at: None,
            subscribed: false,
            recorder: None,
            to_record: VecDeque::new(),
            recorder_closing: false,
        }
    }

    /// Whether the events waiting for the window reached their bound.
    pub(super) fn window_is_behind(&self) -> bool {
        self.events.is_full()
    }

    /// The event channel, to wait on for room.
    pub(super) fn events(&self) -> &EventSender {
        &self.events
    }

    /// Send the messages batched so far.
    pub(super) fn flush(&mut self) {
        self.batch_bytes = 0;
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(256));
            self.record(&batch);
            self.events.send(Event::Messages(batch));
        }
    }

    /// Hand a copy of `batch` (payloads shared) to the recording, in order: at once when its
    /// queue has room, else it waits in `to_record` for [`State::hand_to_recorder`].
    fn record(&mut self, batch: &[Received]) {
        let Some(recorder) = &self.recorder else { return };
        if !self.to_record.is_empty() {
            self.to_record.push_back(batch.to_vec());
            return;
        }
        match recorder.try_send(batch.to_vec()) {
            Ok(()) => {}
            Err(NotTaken::Full(batch)) => self.to_record.push_back(batch),
            Err(NotTaken::Ended) => self.recorder = None,
        }
    }

    /// Whether batches wait for the recording (the task waits before reading more).
    pub(super) fn recording_is_behind(&self) -> bool {
        !self.to_record.is_empty() || self.recorder_closing
    }

    /// Hand the waiting batches to the recording, waiting for room: a disk that cannot keep up
    /// slows the connection; nothing is dropped. Then close it if asked to.
    pub(super) async fn hand_to_recorder(&mut self) {
        while let Some(batch) = self.to_record.pop_front() {
            let Some(recorder) = &self.recorder else { break };
            if !recorder.send(batch).await {
                // The recording ended on its own (a write error); it says why.
                self.recorder = None;
            }
        }
        self.to_record.clear();
        if self.recorder_closing {
            self.recorder = None;
            self.recorder_closing = false;
        }
    }

    /// Start handing batches to `recorder`, or (`None`) stop once what was received is handed.
    fn set_recorder(&mut self, recorder: Option<RecordSink>) {
        match recorder {
            Some(recorder) => {
                self.recorder = Some(recorder);
                self.recorder_closing = false;
            }
            None => {
                // What was received before the stop is recorded.
                self.flush();
                self.recorder_closing = self.recorder.is_some();
            }
        }
    }

    /// Report a new connection state.
    pub(super) fn state(&self, state: ConnectionState) {
        self.events.send(Event::State(state));
    }

    fn report(&self, (id, outcome): Report) {
        self.events.send(Event::Published { id: id.get(), outcome });
    }

    /// A command from the UI; `connected` is false while waiting to reconnect.
    pub(super) fn command(&mut self, command: Option<Command>, connected: bool) -> Flow {
        match command {
            Some(Command::Publish { id, request }) => {
                self.publish(id, request, connected);
                Flow::Continue
            }
            Some(Command::Subscribe(subscription)) => {
                self.add_subscription(subscription, connected);
                Flow::Continue
            }
            Some(Command::Unsubscribe(filter)) => {
                self.remove_subscription(filter, connected);
                Flow::Continue
            }
            Some(Command::Record(recorder)) => {
                self.set_recorder(recorder);
                Flow::Continue
            }
            Some(Command::Disconnect) | None => Flow::Stop,
        }
    }

    fn publish(&mut self, id: PublishId, request: PublishRequest, connected: bool) {
        match self.inflight.request(id, request, connected) {
            Some(report) => self.report(report),
            None => self.pump(),
        }
    }

    /// Hand waiting publishes to rumqttc while the in-flight limit allows and its request
    /// queue has room; the rest go after acknowledgements or after the event loop took some.
    pub(super) fn pump(&mut self) {
        if self.connected_at.is_none() {
            return;
        }
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

    /// The connection is gone: requests not yet answered are gone with it (the session is clean).
    pub(super) fn connection_lost(&mut self, reason: &str) {
        self.subscribing.lost();
        // A clean session forgets every subscription: the filters left are not subscribed again.
        for filter in self
            .unsent_unsubscriptions
            .drain(..)
            .chain(self.awaiting_unsuback.drain().map(|(_, f)| f))
        {
            self.events.send(Event::Unsubscribed(vec![filter]));
        }
        for report in self.inflight.connection_lost(reason) {
            self.report(report);
        }
    }

    /// What one poll brought, apart from errors.
    pub(super) fn polled(&mut self, polled: Polled) -> Flow {
        let report = match polled {
            Polled::Publish {
                topic,
                payload,
                qos,
                retain,
                dup,
                properties,
            } => {
                self.message(topic, payload, (qos, retain, dup), properties);
                None
            }
            Polled::ConnAck {
                max_packet_size,
                inflight_limit,
            } => {
                self.connected(max_packet_size, inflight_limit);
                None
            }
            Polled::SentSubscribe(pkid) => {
                self.subscribing.sent(pkid);
                None
            }
            Polled::SentUnsubscribe(pkid) => {
                if let Some(filter) = self.unsent_unsubscriptions.pop_front() {
                    self.awaiting_unsuback.insert(pkid, filter);
                }
                None
            }
            Polled::UnsubAck { pkid } => {
                if let Some(filter) = self.awaiting_unsuback.remove(&pkid) {
                    self.events.send(Event::Unsubscribed(vec![filter]));
                }
                None
            }
            Polled::SubAck { pkid, granted } => {
                self.subscribed = true;
                self.suback(pkid, granted);
                if let Some(next) = self.subscribing.next() {
                    self.send_subscribe(vec![next]);
                }
                None
            }
            Polled::SentPublish(pkid) => self.inflight.sent(pkid),
            Polled::PubAck { pkid, refused } => self.inflight.puback(pkid, refused),
            Polled::PubRec { pkid, refused } => self.inflight.pubrec(pkid, refused),
            Polled::PubComp { pkid } => self.inflight.pubcomp(pkid),
            Polled::SentDisconnect => {
                self.flush();
                self.state(ConnectionState::Disconnected);
                return Flow::Stop;
            }
            Polled::SentPing | Polled::Heard | Polled::Other => None,
        };
        if let Some(report) = report {
            self.report(report);
        }
        Flow::Continue
    }

    /// rumqttc reads packets in bursts and hands them out one per poll (acks and pings among
    /// them): send the batch once the burst is used up, or when it is large.
    pub(super) fn flush_if_due(&mut self, burst_used_up: bool) {
        if !self.batch.is_empty()
            && (burst_used_up || self.batch.len() >= MAX_BATCH || self.batch_bytes >= MAX_BATCH_BYTES)
        {
            self.flush();
        }
    }

    fn message(
        &mut self,
        topic: String,
        payload: bytes::Bytes,
        (qos, retain, dup): (Qos, bool, bool),
        properties: Option<std::sync::Arc<crate::model::Properties>>,
    ) {
        // A small payload is a slice of rumqttc's read buffer and would keep the whole
        // buffer alive for as long as it is kept: copy it out (large ones are kept as they are).
        let payload = if payload.len() < SHARE_PAYLOADS_FROM_BYTES {
            bytes::Bytes::copy_from_slice(&payload)
        } else {
            payload
        };
        self.batch_bytes += payload.len() + topic.len();
        self.batch.push(Received {
            topic,
            message: Message {
                payload,
                qos,
                retain,
                dup,
                received_at: SystemTime::now(),
                properties,
            },
        });
    }

    fn connected(&mut self, max_packet_size: Option<u32>, inflight_limit: u16) {
        self.broker_max_packet = max_packet_size;
        self.inflight.set_limit(inflight_limit);
        self.connected_at = Some(Instant::now());
        self.subscribed = false;
        tracing::info!(broker = %self.settings.address, version = self.client.version().as_str(), "connected");
        let version = self.client.version();
        self.state(ConnectionState::Connected {
            since: SystemTime::now(),
            version,
            fell_back: self.settings.version.falls_back() && version != self.settings.version.first(),
        });
        // A clean session forgets subscriptions: subscribe on every CONNACK.
        self.subscribe();
    }
}
