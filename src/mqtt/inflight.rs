//! What became of each publish: a state machine with no I/O. The connection
//! task tells it what happened (a request came, rumqttc took it, a packet went
//! out with an id, an acknowledgement arrived, the connection was lost) and
//! reports the outcomes it returns.
//!
//! A publish goes through these stages:
//! - **backlog**: waiting to be handed to rumqttc, in order; the front waits while
//!   the in-flight limit is reached or rumqttc's request queue is full;
//! - **unsent**: handed to rumqttc, waiting for the packet id it is sent with
//!   (`Outgoing::Publish` comes in the order requests were handed over);
//! - **awaiting PUBACK** (QoS 1), or **awaiting PUBREC** then **awaiting PUBCOMP**
//!   (QoS 2). rumqttc reuses a QoS 2 packet id as soon as PUBREC arrives, so one id
//!   can be waited on by several QoS 2 publishes at once: they are matched oldest
//!   first, and QoS 1 and QoS 2 ids are kept apart.
//!
//! QoS 1 and 2 publishes between being handed over and their last acknowledgement
//! count against the in-flight limit: 20 with MQTT 3.1.1 (what Mosquitto accepts from
//! such a client), the broker's receive maximum with MQTT 5.

use std::collections::{HashMap, VecDeque};

use super::request::{MAX_INFLIGHT, PublishId, PublishRequest};
use crate::model::{PublishOutcome, Qos};
use crate::payload::text::human_bytes;

/// An outcome to report: which publish, and what became of it.
pub type Report = (PublishId, PublishOutcome);

/// Why a publish was not delivered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PublishFailure {
    /// It was asked for while the connection was down.
    #[error("Not connected: the message was not sent")]
    NotConnected,
    /// Its topic has wildcards or is otherwise not a topic name.
    #[error("Not a valid topic to publish to (no + or # allowed)")]
    InvalidTopic,
    /// The broker announced a maximum packet size this publish exceeds.
    #[error(
        "Too large for this broker: it takes packets of up to {} and this message's payload alone is {}",
        human_bytes(u64::from(*.max_packet_bytes)),
        human_bytes(*.payload_bytes as u64)
    )]
    TooLarge {
        /// The broker's maximum packet size.
        max_packet_bytes: u32,
        /// The publish's payload size.
        payload_bytes: usize,
    },
    /// rumqttc did not take it, for a reason other than a full queue.
    #[error("Could not be sent: {0}")]
    NotSent(String),
    /// The broker answered with a failure reason code (MQTT 5 PUBACK or PUBREC), in words.
    #[error("The broker refused it: {0}")]
    Refused(String),
    /// The connection ended before the acknowledgement came; a few words on why.
    #[error("Not acknowledged: the connection was lost ({0})")]
    ConnectionLost(String),
}

impl PublishFailure {
    fn report(self, id: PublishId) -> Report {
        (id, PublishOutcome::Failed(self.to_string()))
    }
}

/// Where a QoS 2 publish is in its exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qos2Stage {
    AwaitingPubrec,
    AwaitingPubcomp,
}

/// The publishes of one connection that have no outcome yet.
#[derive(Debug)]
pub struct Inflight {
    /// QoS 1 and 2 publishes allowed between hand-over and their last acknowledgement.
    limit: u16,
    /// QoS 1 and 2 publishes between hand-over and their last acknowledgement.
    in_flight: usize,
    /// Not yet handed to rumqttc, in order.
    backlog: VecDeque<(PublishId, PublishRequest)>,
    /// Handed to rumqttc, waiting for their packet id, in order.
    unsent: VecDeque<(PublishId, Qos)>,
    /// QoS 1 publishes waiting for PUBACK, by packet id.
    awaiting_puback: HashMap<u16, PublishId>,
    /// QoS 2 publishes waiting for PUBREC or PUBCOMP, by packet id, oldest first.
    awaiting_qos2: HashMap<u16, VecDeque<(PublishId, Qos2Stage)>>,
}

impl Default for Inflight {
    fn default() -> Self {
        Self::new(MAX_INFLIGHT)
    }
}

impl Inflight {
    /// Nothing in flight; at most `limit` QoS 1 and 2 publishes at a time (at least one).
    pub fn new(limit: u16) -> Self {
        Self {
            limit: limit.max(1),
            in_flight: 0,
            backlog: VecDeque::new(),
            unsent: VecDeque::new(),
            awaiting_puback: HashMap::new(),
            awaiting_qos2: HashMap::new(),
        }
    }

    /// The broker accepted a connection: at most `limit` QoS 1 and 2 publishes in flight
    /// from now on ([`MAX_INFLIGHT`] with MQTT 3.1.1, the receive maximum with MQTT 5).
    pub fn set_limit(&mut self, limit: u16) {
        self.limit = limit.max(1);
    }

    /// A publish was asked for. Queued while `connected`; failed at once otherwise.
    pub fn request(&mut self, id: PublishId, request: PublishRequest, connected: bool) -> Option<Report> {
        if !connected {
            return Some(PublishFailure::NotConnected.report(id));
        }
        self.backlog.push_back((id, request));
        None
    }

    /// QoS 1 and 2 publishes handed over and not yet fully acknowledged.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Publishes waiting to be handed over.
    pub fn backlog_len(&self) -> usize {
        self.backlog.len()
    }

    /// The publish to hand to rumqttc next, if one may go now: the oldest waiting, unless it
    /// needs an acknowledgement and the in-flight limit is reached (it then waits, and so do
    /// the ones behind it, so publishes leave in the order they were asked for).
    /// Answer with [`Self::handed_over`] or [`Self::not_handed_over`], or with nothing when
    /// rumqttc's request queue is full (it stays the next one).
    pub fn next(&self) -> Option<&PublishRequest> {
        let (_, request) = self.backlog.front()?;
        let room = request.qos == Qos::AtMostOnce || self.in_flight < usize::from(self.limit);
        room.then_some(request)
    }

    /// rumqttc took the publish [`Self::next`] returned.
    pub fn handed_over(&mut self) {
        if let Some((id, request)) = self.backlog.pop_front() {
            if request.qos != Qos::AtMostOnce {
                self.in_flight += 1;
            }
            self.unsent.push_back((id, request.qos));
        }
    }

    /// The publish [`Self::next`] returned cannot be sent, for `why`.
    pub fn not_handed_over(&mut self, why: PublishFailure) -> Option<Report> {
        let (id, _) = self.backlog.pop_front()?;
        Some(why.report(id))
    }

    /// rumqttc wrote a PUBLISH with packet id `pkid` (`Outgoing::Publish`): the oldest unsent
    /// publish. QoS 0 is done with that.
    pub fn sent(&mut self, pkid: u16) -> Option<Report> {
        let (id, qos) = self.unsent.pop_front()?;
        match qos {
            Qos::AtMostOnce => return Some((id, PublishOutcome::Sent)),
            Qos::AtLeastOnce => {
                self.awaiting_puback.insert(pkid, id);
            }
            Qos::ExactlyOnce => self
                .awaiting_qos2
                .entry(pkid)
                .or_default()
                .push_back((id, Qos2Stage::AwaitingPubrec)),
        }
        None
    }

    /// A PUBACK for `pkid`; `refused` holds the failure reason in words (MQTT 5).
    pub fn puback(&mut self, pkid: u16, refused: Option<String>) -> Option<Report> {
        let Some(id) = self.awaiting_puback.remove(&pkid) else {
            return self.qos2_pubacked(pkid, refused);
        };
        self.in_flight = self.in_flight.saturating_sub(1);
        Some(match refused {
            None => (id, PublishOutcome::Acknowledged { packet: "PUBACK" }),
            Some(reason) => PublishFailure::Refused(reason).report(id),
        })
    }

    /// A PUBACK for a QoS 2 publish waiting for its PUBREC: the broker took it at QoS 1
    /// (RabbitMQ does), and that ends it; said as acknowledged by PUBACK, not left waiting.
    fn qos2_pubacked(&mut self, pkid: u16, refused: Option<String>) -> Option<Report> {
        let waiting = self.awaiting_qos2.get_mut(&pkid)?;
        let index = waiting
            .iter()
            .position(|(_, stage)| *stage == Qos2Stage::AwaitingPubrec)?;
        let (id, _) = waiting.remove(index)?;
        self.in_flight = self.in_flight.saturating_sub(1);
        self.forget_if_done(pkid);
        Some(match refused {
            None => (id, PublishOutcome::Acknowledged { packet: "PUBACK" }),
            Some(reason) => PublishFailure::Refused(reason).report(id),
        })
    }

    /// A PUBREC for `pkid`: the oldest publish waiting for one with that id now waits for
    /// PUBCOMP, or, `refused` (MQTT 5), failed: a refused QoS 2 publish gets no PUBCOMP.
    pub fn pubrec(&mut self, pkid: u16, refused: Option<String>) -> Option<Report> {
        let waiting = self.awaiting_qos2.get_mut(&pkid)?;
        let index = waiting
            .iter()
            .position(|(_, stage)| *stage == Qos2Stage::AwaitingPubrec)?;
        let report = match refused {
            None => {
                if let Some((_, stage)) = waiting.get_mut(index) {
                    *stage = Qos2Stage::AwaitingPubcomp;
                }
                None
            }
            Some(reason) => waiting.remove(index).map(|(id, _)| {
                self.in_flight = self.in_flight.saturating_sub(1);
                PublishFailure::Refused(reason).report(id)
            }),
        };
        self.forget_if_done(pkid);
        report
    }

    /// A PUBCOMP for `pkid`: the oldest publish with that id past PUBREC is acknowledged.
    pub fn pubcomp(&mut self, pkid: u16) -> Option<Report> {
        let waiting = self.awaiting_qos2.get_mut(&pkid)?;
        let index = waiting
            .iter()
            .position(|(_, stage)| *stage == Qos2Stage::AwaitingPubcomp)?;
        let report = waiting.remove(index).map(|(id, _)| {
            self.in_flight = self.in_flight.saturating_sub(1);
            (id, PublishOutcome::Acknowledged { packet: "PUBCOMP" })
        });
        self.forget_if_done(pkid);
        report
    }

    /// The connection is gone: whatever has no outcome yet will not get one (the session is
    /// clean), the backlog included. Reports are in the order the publishes were asked for.
    pub fn connection_lost(&mut self, reason: &str) -> Vec<Report> {
        self.in_flight = 0;
        let mut ids: Vec<PublishId> = self
            .unsent
            .drain(..)
            .map(|(id, _)| id)
            .chain(self.awaiting_puback.drain().map(|(_, id)| id))
            .chain(self.awaiting_qos2.drain().flat_map(|(_, ids)| ids).map(|(id, _)| id))
            .chain(self.backlog.drain(..).map(|(id, _)| id))
            .collect();
        ids.sort_unstable();
        ids.into_iter()
            .map(|id| PublishFailure::ConnectionLost(reason.to_owned()).report(id))
            .collect()
    }

    fn forget_if_done(&mut self, pkid: u16) {
        if self.awaiting_qos2.get(&pkid).is_some_and(VecDeque::is_empty) {
            self.awaiting_qos2.remove(&pkid);
        }
    }
}

#[cfg(test)]
mod tests;
