//! The connection task's steps: open, poll beside commands, react to what a
//! poll brought, and after a failure reconnect or stop.

use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedReceiver;

use super::state::{Flow, State};
use crate::model::ConnectionState;
use crate::mqtt::backoff::Backoff;
use crate::mqtt::channel::EventSender;
use crate::mqtt::errors::describe;
use crate::mqtt::liveness::Liveness;
use crate::mqtt::protocol::{self, ConnectionError, EventLoop, Polled};
use crate::mqtt::recovery::{self, Ended, Next};
use crate::mqtt::request::Command;
use crate::mqtt::settings::{ConnectionSettings, MqttVersion};
use crate::mqtt::takeover::TakeoverDetector;
use crate::mqtt::tunnel::Tunnel;

/// Requests (publish, subscribe) rumqttc queues at most; more wait in the task's backlog.
const REQUEST_QUEUE: usize = 256;

/// While the window is behind, one packet is still read this often (keep-alive, commands).
const ROOM_WAIT: Duration = Duration::from_millis(500);

/// How long, after DISCONNECT, the broker has to close its side before the socket is dropped.
const LINGER: Duration = Duration::from_millis(500);

/// How long a clean disconnect may take before the task just drops the socket.
const DISCONNECT_GRACE: Duration = Duration::from_secs(1);

/// Run a connection with `settings` until it is closed or fails for good.
pub(super) async fn run(settings: ConnectionSettings, events: EventSender, commands: UnboundedReceiver<Command>) {
    let opened = Tunnel::when_wanted(&settings).and_then(|tunnel| {
        let (client, eventloop) = protocol::open(&settings, settings.version.first(), REQUEST_QUEUE, tunnel.as_ref())?;
        Ok((client, eventloop, tunnel))
    });
    let (client, eventloop, tunnel) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            tracing::warn!(broker = %settings.address, %error, "cannot connect");
            events.send(crate::model::Event::State(ConnectionState::Failed {
                reason: error.to_string(),
            }));
            return;
        }
    };
    let liveness = Liveness::new(protocol::keep_alive(&settings));
    let mut task = Task {
        eventloop,
        tunnel,
        liveness,
        state: State::new(settings, events, client),
        commands,
        backoff: Backoff::default(),
        takeover: TakeoverDetector::new(),
        attempt: 1,
        disconnect: (false, false),
        settled: false,
    };
    task.run().await;
}

/// A connection task: rumqttc's event loop, apart from the rest so commands can be handled
/// while a poll is under way.
struct Task {
    eventloop: EventLoop,
    /// The loopback forwarder rumqttc connects through, when a proxy or a TLS server-name
    /// override needs one.
    tunnel: Option<Tunnel>,
    /// Whether the broker answers the keep-alive pings.
    liveness: Liveness,
    state: State,
    commands: UnboundedReceiver<Command>,
    backoff: Backoff,
    takeover: TakeoverDetector,
    attempt: u32,
    /// Where a clean disconnect stands: DISCONNECT handed to rumqttc, and written.
    disconnect: (bool, bool),
    /// Whether the broker accepted a connection, which settles the version spoken.
    settled: bool,
}

impl Task {
    async fn run(&mut self) {
        self.state.state(ConnectionState::Connecting { attempt: self.attempt });
        tracing::info!(broker = %self.state.settings.address, client_id = %self.state.settings.client_id, "connecting");
        loop {
            let held = Instant::now();
            self.wait_for_the_window().await;
            if self.state.recording_is_behind() {
                self.state.hand_to_recorder().await;
            }
            // Time spent not reading is no time the broker had to answer in.
            self.liveness.defer(held.elapsed());
            let Some(polled) = self.poll().await else {
                self.close().await;
                self.state.hand_to_recorder().await;
                return;
            };
            let flow = match polled {
                Ok(Polled::SentDisconnect) if !self.disconnect.0 => {
                    // Not asked for: rumqttc gave up on the broker (see UNDEFINED_TOPIC_ALIAS)
                    // without closing the socket. Taken as the failure it is, not as a goodbye.
                    self.eventloop.drop_connection();
                    self.liveness.reset();
                    let error = ConnectionError::BrokerBrokeProtocol(protocol::UNDEFINED_TOPIC_ALIAS);
                    self.recover(&error).await
                }
                Ok(polled) => {
                    self.liveness.polled(&polled, Instant::now());
                    self.state.polled(polled)
                }
                Err(error) => {
                    if self.liveness.is_overdue(Instant::now()) {
                        // Given up on here, not by rumqttc: it would go on with the socket.
                        self.eventloop.drop_connection();
                    }
                    self.liveness.reset();
                    self.recover(&error).await
                }
            };
            if flow == Flow::Stop {
                self.state.hand_to_recorder().await;
                return;
            }
            self.state.flush_if_due(self.eventloop.burst_used_up());
            self.state.pump();
        }
    }

    /// The window is behind: let it catch up before reading more, so a flood waits at the
    /// broker (TCP slows it down), not in memory.
    async fn wait_for_the_window(&mut self) {
        if self.state.window_is_behind() {
            self.state.flush();
            self.state.events().room(ROOM_WAIT).await;
        }
    }

    /// One poll, with commands handled beside it; `None` when asked to disconnect.
    /// The poll runs to completion: dropping it half-way (for instance while it writes)
    /// could lose a packet rumqttc already took.
    async fn poll(&mut self) -> Option<Result<Polled, ConnectionError>> {
        let connected = self.state.connected_at.is_some();
        let unanswered = self.liveness.deadline();
        let version = self.state.client.version();
        let poll = self.eventloop.poll();
        tokio::pin!(poll);
        loop {
            tokio::select! {
                biased;
                command = self.commands.recv() => {
                    if self.state.command(command, connected) == Flow::Stop {
                        // The poll under way may be writing a packet: it is not dropped half
                        // way (the broker would see a broken connection and publish the last
                        // will) but handed the DISCONNECT, which it writes too.
                        let requested = self.state.connected_at.is_some() && self.state.client.disconnect();
                        if requested {
                            let finished = tokio::time::timeout(DISCONNECT_GRACE, &mut poll).await;
                            let written = matches!(finished, Ok(Ok(Polled::SentDisconnect)));
                            self.disconnect = (true, written);
                        }
                        return None;
                    }
                    if self.state.recording_is_behind() {
                        // A recording stopped: what it was handed goes to it now, not at the
                        // next packet. The poll under way waits meanwhile, whole.
                        self.state.hand_to_recorder().await;
                    }
                }
                polled = &mut poll => return Some(polled),
                // The broker has not answered a ping in half a keep-alive: the connection is
                // taken as lost (what the poll under way was doing is lost with it). Last, so
                // a packet already waiting is read first.
                () = sleep_until_due(unanswered), if unanswered.is_some() => {
                    tracing::warn!(broker = %self.state.settings.address, "no answer to a keep-alive ping");
                    return Some(Err(protocol::no_ping_answer(version)));
                }
            }
        }
    }

    /// Close cleanly: DISCONNECT, then poll until it is written, briefly.
    async fn close(&mut self) {
        self.state.flush();
        let (requested, written) = self.disconnect;
        let requested = requested || (self.state.connected_at.is_some() && self.state.client.disconnect());
        if requested && !written {
            let eventloop = &mut self.eventloop;
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
        if requested {
            // Read on until the broker closes its side: a socket closed with unread data (a
            // SUBACK, a message) is reset, and a broker reset before it read the DISCONNECT
            // takes the connection as broken and publishes the last will.
            let eventloop = &mut self.eventloop;
            let closed = tokio::time::timeout(LINGER, async { while eventloop.poll().await.is_ok() {} }).await;
            if closed.is_err() {
                tracing::debug!("the broker did not close the connection in time; dropping the socket");
            }
        }
        self.state.connection_lost("disconnected");
        self.state.state(ConnectionState::Disconnected);
    }

    /// The connection failed: report what is lost, then wait to reconnect or stop.
    async fn recover(&mut self, error: &ConnectionError) -> Flow {
        self.state.flush();
        // A failure on the way to the broker (the proxy, TLS in the tunnel) is what happened;
        // rumqttc saw only its socket close.
        let failure = match self.tunnel.as_ref().and_then(Tunnel::take_failure) {
            Some(failure) => failure,
            None => describe(error, &self.state.settings),
        };
        // A broker that closes the connection at a filter it does not allow: that filter is
        // found and given up, and the close is not taken for another client's takeover.
        let closed_at_subscribe =
            failure.closed_by_broker() && self.state.connected_at.is_some() && self.state.closed_at_subscribe();
        self.state.connection_lost(&short_reason(error));
        // rumqttc keeps a stuck collision across reconnects and then sends nothing more;
        // the session is clean, so nothing of the old one is worth keeping.
        self.eventloop.forget_old_connection();
        tracing::warn!(broker = %self.state.settings.address, %error, "connection failed");
        let ended = Ended {
            up_for: self.state.connected_at.take().map(|since| since.elapsed()),
            subscribed: self.state.subscribed && !closed_at_subscribe,
        };
        self.settled |= ended.up_for.is_some();
        let auto = self.state.settings.version.falls_back() && !self.settled;
        if auto && self.state.client.version() == MqttVersion::V5 && recovery::try_older_version(&failure, ended) {
            tracing::info!(broker = %self.state.settings.address, %failure, "MQTT 5 not taken; trying MQTT 3.1.1");
            if self.reopen(MqttVersion::V311) {
                self.attempt += 1;
                self.state.state(ConnectionState::Connecting { attempt: self.attempt });
                return Flow::Continue;
            }
        }
        if auto && self.state.client.version() == MqttVersion::V311 {
            // 3.1.1 did not get through either: the next attempt starts with 5 again.
            self.reopen(MqttVersion::V5);
        }
        let failure = recovery::name_the_login(failure, ended, self.state.settings.username.as_deref());
        let client_id = &self.state.settings.client_id;
        match recovery::next_step(failure, ended, &mut self.takeover, Instant::now(), client_id) {
            Next::Stop(failure) => {
                self.state.state(ConnectionState::Failed {
                    reason: failure.to_string(),
                });
                Flow::Stop
            }
            Next::Retry { failure, fresh_backoff } => {
                if fresh_backoff {
                    self.backoff.reset();
                }
                let delay = self.backoff.next_delay();
                self.state.state(ConnectionState::Reconnecting {
                    reason: failure.to_string(),
                    retry_at: Instant::now() + delay,
                    failures: self.backoff.failures(),
                });
                self.wait_to_reconnect(delay).await
            }
        }
    }

    /// A new client and event loop speaking `version`; false (the old ones kept) when they
    /// cannot be made.
    fn reopen(&mut self, version: MqttVersion) -> bool {
        match protocol::open(&self.state.settings, version, REQUEST_QUEUE, self.tunnel.as_ref()) {
            Ok((client, eventloop)) => {
                self.state.client = client;
                self.eventloop = eventloop;
                true
            }
            Err(error) => {
                tracing::warn!(%error, version = version.as_str(), "cannot open a connection");
                false
            }
        }
    }

    /// Wait `delay` before the next attempt, failing publishes asked for meanwhile.
    async fn wait_to_reconnect(&mut self, delay: Duration) -> Flow {
        let wake_at = tokio::time::Instant::now() + delay;
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(wake_at) => break,
                command = self.commands.recv() => {
                    if self.state.command(command, false) == Flow::Stop {
                        self.state.state(ConnectionState::Disconnected);
                        return Flow::Stop;
                    }
                }
            }
        }
        self.attempt += 1;
        self.state.state(ConnectionState::Connecting { attempt: self.attempt });
        Flow::Continue
    }
}

/// Sleep until `deadline` (never, without one).
async fn sleep_until_due(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}

/// A few words on why a connection ended, for the outcome of unacknowledged publishes.
fn short_reason(error: &ConnectionError) -> String {
    error.to_string().chars().take(120).collect()
}
