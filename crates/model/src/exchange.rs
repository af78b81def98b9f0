//! Request and response: requests sent expecting a reply, and the replies paired with them.
//!
//! With MQTT 5 a request carries a response topic and correlation data, and a reply is the
//! message on that topic carrying the same correlation data. With MQTT 3.1.1 (no properties)
//! the user names the reply topic, and the first message on it after the request is its reply.
//! A reply arriving after the request's timeout is kept as late, never paired silently; more
//! replies to an answered request are counted as duplicates. Retained messages (the broker
//! handing out what it stored) are never replies.
//!
//! Pure: times are the wall-clock stamps the connection put on messages, so the pairing can
//! be replayed in tests. Costs: pairing a message O(exchanges kept), at most [`MAX_EXCHANGES`].

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::log::Log;
use super::message::{Message, Qos};
use super::session::Session;
use super::tree::NodeId;

/// Exchanges kept at most; the oldest go first.
pub const MAX_EXCHANGES: usize = 500;

/// A request to send, expecting a reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Where the request is published.
    pub topic: String,
    /// The request's payload.
    pub payload: Bytes,
    /// The QoS it is published with.
    pub qos: Qos,
    /// Where the reply is expected.
    pub reply_topic: String,
    /// The correlation data sent with it (MQTT 5); `None`: the first message on the reply topic pairs.
    pub correlation: Option<Bytes>,
    /// How long to wait for the reply.
    pub timeout: Duration,
}

/// A reply, as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The message.
    pub message: Message,
    /// From sending the request to the reply's arrival.
    pub round_trip: Duration,
}

/// Where an exchange stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Sent; no reply yet, within the timeout.
    Waiting,
    /// The reply arrived in time.
    Replied,
    /// No reply within the timeout (one may have come late: [`Exchange::late`]).
    NoReply,
    /// The request never left, for this reason.
    NotSent(String),
}

/// One request and what came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// Its number, counting from 1 in this tab.
    pub id: u64,
    /// What was sent.
    pub request: Request,
    /// When it was sent.
    pub sent_at: SystemTime,
    /// Where it stands.
    pub status: Status,
    /// The reply paired with it, when it came in time.
    pub reply: Option<Reply>,
    /// The first reply that came after the timeout.
    pub late: Option<Reply>,
    /// Replies beyond the first (a responder answering twice, or a 3.1.1 topic's later messages).
    pub duplicates: u32,
}

impl Exchange {
    /// The status in words: "waiting", "replied in 12 ms", "no reply after 5 s", "not sent: …".
    pub fn status_text(&self) -> String {
        match &self.status {
            Status::Waiting => "waiting".to_owned(),
            Status::Replied => format!("replied in {} ms", self.round_trip_ms().unwrap_or_default()),
            Status::NoReply => {
                let mut text = format!("no reply after {}", secs_text(self.request.timeout));
                if let Some(late) = &self.late {
                    text.push_str(&format!(
                        " (a late reply came after {} ms)",
                        late.round_trip.as_millis()
                    ));
                }
                text
            }
            Status::NotSent(why) => format!("not sent: {why}"),
        }
    }

    /// The round trip in milliseconds, when the reply came in time.
    pub fn round_trip_ms(&self) -> Option<u128> {
        self.reply.as_ref().map(|r| r.round_trip.as_millis())
    }

    fn deadline(&self) -> SystemTime {
        self.sent_at + self.request.timeout
    }

    /// Take in one message that belongs to this exchange.
    fn take(&mut self, message: &Message) {
        let round_trip = message.received_at.duration_since(self.sent_at).unwrap_or_default();
        let reply = Reply {
            message: message.clone(),
            round_trip,
        };
        match self.status {
            Status::Waiting if round_trip <= self.request.timeout => {
                self.status = Status::Replied;
                self.reply = Some(reply);
            }
            Status::Waiting | Status::NoReply if self.late.is_none() => {
                self.status = Status::NoReply;
                self.late = Some(reply);
            }
            Status::NotSent(_) => {}
            _ => self.duplicates += 1,
        }
    }
}

/// "5 s", or "2.5 s".
pub fn secs_text(duration: Duration) -> String {
    let ms = duration.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// The spread of round trips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundTrips {
    /// How many replies in time.
    pub count: usize,
    /// The fastest.
    pub min: Duration,
    /// The middle one (the lower of the two middle ones for an even count).
    pub median: Duration,
    /// The slowest.
    pub max: Duration,
}

/// A tab's exchanges, oldest first, and how far into the session's log replies were looked for.
#[derive(Debug, Default)]
pub struct Exchanges {
    list: VecDeque<Exchange>,
    next_id: u64,
    /// The sequence number of the last message of the log looked at.
    seen_seq: Option<u64>,
}

impl Exchanges {
    /// Record `request` as sent at `sent_at`; its number.
    pub fn send(&mut self, request: Request, sent_at: SystemTime) -> u64 {
        self.push(request, sent_at, Status::Waiting)
    }

    /// Record `request` as not sent, for `why`; its number.
    pub fn not_sent(&mut self, request: Request, sent_at: SystemTime, why: String) -> u64 {
        self.push(request, sent_at, Status::NotSent(why))
    }

    fn push(&mut self, request: Request, sent_at: SystemTime, status: Status) -> u64 {
        self.next_id += 1;
        if self.list.len() >= MAX_EXCHANGES {
            self.list.pop_front();
        }
        self.list.push_back(Exchange {
            id: self.next_id,
            request,
            sent_at,
            status,
            reply: None,
            late: None,
            duplicates: 0,
        });
        self.next_id
    }

    /// Mark exchange `id` as not sent after all (the connection could not send it).
    pub fn failed(&mut self, id: u64, why: String) {
        if let Some(exchange) = self.list.iter_mut().find(|e| e.id == id)
            && exchange.status == Status::Waiting
        {
            exchange.status = Status::NotSent(why);
        }
    }

    /// Pair a message received on `topic` with the exchange it answers, if any; that exchange's number.
    pub fn receive(&mut self, topic: &str, message: &Message) -> Option<u64> {
        if message.retain {
            return None;
        }
        let correlation = message.properties.as_ref().and_then(|p| p.correlation_data.as_ref());
        let on_topic =
            |e: &Exchange| e.request.reply_topic == topic && e.sent_at <= message.received_at && !is_not_sent(e);
        let index = match correlation {
            Some(data) => self
                .list
                .iter()
                .position(|e| on_topic(e) && e.request.correlation.as_ref() == Some(data)),
            None => self
                .list
                .iter()
                .position(|e| on_topic(e) && e.status == Status::Waiting)
                .or_else(|| self.list.iter().rposition(on_topic)),
        }?;
        let exchange = self.list.get_mut(index)?;
        exchange.take(message);
        Some(exchange.id)
    }

    /// Give up on requests whose timeout passed by `now`. Returns whether any did.
    pub fn expire(&mut self, now: SystemTime) -> bool {
        let mut any = false;
        for exchange in &mut self.list {
            if exchange.status == Status::Waiting && exchange.deadline() <= now {
                exchange.status = Status::NoReply;
                any = true;
            }
        }
        any
    }

    /// When the next waiting request times out.
    pub fn next_deadline(&self) -> Option<SystemTime> {
        self.list
            .iter()
            .filter(|e| e.status == Status::Waiting)
            .map(Exchange::deadline)
            .min()
    }

    /// Look at the messages the session received since last asked, pairing replies; then
    /// give up on requests timed out by `now`. Returns whether anything changed. Call every
    /// frame: with no exchange it only moves past what arrived.
    pub fn take_in(&mut self, session: &Session, now: SystemTime) -> bool {
        let log = &session.log;
        let from = self.seen_seq.map_or(0, |seq| log.position_from(seq + 1));
        if let Some(last) = log.len().checked_sub(1).and_then(|i| log.get(i)) {
            self.seen_seq = Some(last.seq);
        }
        if self.list.is_empty() {
            return false;
        }
        let topics: Vec<(NodeId, String)> = self.reply_topics(session);
        let mut changed = false;
        for line in log.iter_from(from) {
            let Some((_, topic)) = topics.iter().find(|(id, _)| *id == line.topic) else {
                continue;
            };
            if let Some(entry) = Log::resolve(&session.history, line) {
                changed |= self.receive(topic, &entry.message).is_some();
            }
        }
        changed | self.expire(now)
    }

    /// The reply topics known to the tree, once each.
    fn reply_topics(&self, session: &Session) -> Vec<(NodeId, String)> {
        let mut topics: Vec<(NodeId, String)> = Vec::new();
        for exchange in &self.list {
            let topic = &exchange.request.reply_topic;
            if topics.iter().any(|(_, t)| t == topic) {
                continue;
            }
            if let Some(id) = session.tree.find(topic) {
                topics.push((id, topic.clone()));
            }
        }
        topics
    }

    /// The exchanges, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Exchange> + ExactSizeIterator {
        self.list.iter()
    }

    /// Exchange `id`, while kept.
    pub fn get(&self, id: u64) -> Option<&Exchange> {
        self.list.iter().find(|e| e.id == id)
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Forget them all (the numbering goes on).
    pub fn clear(&mut self) {
        self.list.clear();
    }

    /// The round trips of the replies that came in time, in the order the requests were sent.
    pub fn round_trips(&self) -> Vec<(u64, Duration)> {
        self.list
            .iter()
            .filter_map(|e| e.reply.as_ref().map(|r| (e.id, r.round_trip)))
            .collect()
    }

    /// Their minimum, median and maximum, once a reply came.
    pub fn spread(&self) -> Option<RoundTrips> {
        let mut times: Vec<Duration> = self.round_trips().into_iter().map(|(_, t)| t).collect();
        times.sort_unstable();
        Some(RoundTrips {
            count: times.len(),
            min: *times.first()?,
            median: *times.get((times.len() - 1) / 2)?,
            max: *times.last()?,
        })
    }
}

fn is_not_sent(exchange: &Exchange) -> bool {
    matches!(exchange.status, Status::NotSent(_))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{Event, Properties, Received};

    const T0: Duration = Duration::from_secs(1_000_000);

    fn at(ms: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + T0 + Duration::from_millis(ms)
    }

    fn request(reply_topic: &str, correlation: Option<&str>) -> Request {
        Request {
            topic: "lab/ping".into(),
            payload: Bytes::from_static(b"ping"),
            qos: Qos::AtMostOnce,
            reply_topic: reply_topic.into(),
            correlation: correlation.map(|c| Bytes::copy_from_slice(c.as_bytes())),
            timeout: Duration::from_secs(5),
        }
    }

    fn reply(payload: &str, correlation: Option<&str>, ms: u64) -> Message {
        let mut message = Message::new(payload.as_bytes().to_vec());
        message.received_at = at(ms);
        message.properties = correlation.map(|c| {
            Arc::new(Properties {
                correlation_data: Some(Bytes::copy_from_slice(c.as_bytes())),
                ..Properties::default()
            })
        });
        message
    }

    #[test]
    fn a_reply_pairs_by_correlation_data_whatever_the_order() {
        let mut exchanges = Exchanges::default();
        let first = exchanges.send(request("r", Some("a")), at(0));
        let second = exchanges.send(request("r", Some("b")), at(10));
        assert_eq!(exchanges.receive("r", &reply("to b", Some("b"), 25)), Some(second));
        assert_eq!(exchanges.receive("r", &reply("to a", Some("a"), 40)), Some(first));
        assert_eq!(exchanges.receive("r", &reply("stranger", Some("z"), 41)), None);
        let texts: Vec<String> = exchanges.iter().map(Exchange::status_text).collect();
        assert_eq!(texts, ["replied in 40 ms", "replied in 15 ms"]);
        assert_eq!(
            exchanges
                .get(second)
                .and_then(|e| e.reply.as_ref())
                .map(|r| &r.message.payload[..]),
            Some(&b"to b"[..])
        );
    }

    #[test]
    fn without_correlation_the_first_message_after_the_request_pairs() {
        let mut exchanges = Exchanges::default();
        // Before any request: not a reply to anything.
        assert_eq!(exchanges.receive("r", &reply("old", None, 0)), None);
        let id = exchanges.send(request("r", None), at(100));
        assert_eq!(
            exchanges.receive("r", &reply("early", None, 50)),
            None,
            "came before the request"
        );
        assert_eq!(exchanges.receive("other", &reply("elsewhere", None, 120)), None);
        assert_eq!(exchanges.receive("r", &reply("pong", None, 130)), Some(id));
        let exchange = exchanges.get(id).expect("kept");
        assert_eq!(exchange.status_text(), "replied in 30 ms");
        // A second message on the topic is not a second reply.
        exchanges.receive("r", &reply("again", None, 140));
        let exchange = exchanges.get(id).expect("kept");
        assert_eq!(
            exchange.reply.as_ref().map(|r| &r.message.payload[..]),
            Some(&b"pong"[..])
        );
        assert_eq!(exchange.duplicates, 1);
    }

    #[test]
    fn retained_messages_are_not_replies() {
        let mut exchanges = Exchanges::default();
        let id = exchanges.send(request("r", None), at(0));
        let mut stored = reply("stored", None, 10);
        stored.retain = true;
        assert_eq!(exchanges.receive("r", &stored), None);
        assert_eq!(exchanges.get(id).map(|e| e.status.clone()), Some(Status::Waiting));
    }

    #[test]
    fn a_request_times_out_in_words() {
        let mut exchanges = Exchanges::default();
        let id = exchanges.send(request("r", Some("a")), at(0));
        assert_eq!(exchanges.next_deadline(), Some(at(5000)));
        assert!(!exchanges.expire(at(4999)));
        assert!(exchanges.expire(at(5000)));
        assert_eq!(
            exchanges.get(id).map(Exchange::status_text).as_deref(),
            Some("no reply after 5 s")
        );
        assert_eq!(exchanges.next_deadline(), None);
    }

    #[test]
    fn a_late_reply_is_shown_as_late_not_paired() {
        let mut exchanges = Exchanges::default();
        let id = exchanges.send(request("r", Some("a")), at(0));
        exchanges.expire(at(5000));
        assert_eq!(exchanges.receive("r", &reply("slow", Some("a"), 7250)), Some(id));
        let exchange = exchanges.get(id).expect("kept");
        assert_eq!(exchange.status, Status::NoReply);
        assert!(exchange.reply.is_none());
        assert_eq!(
            exchange.status_text(),
            "no reply after 5 s (a late reply came after 7250 ms)"
        );
        // Late even when the timeout was not yet noticed when it arrived.
        let other = exchanges.send(request("r", Some("b")), at(10_000));
        exchanges.receive("r", &reply("slow", Some("b"), 16_000));
        assert_eq!(exchanges.get(other).map(|e| e.status.clone()), Some(Status::NoReply));
        assert!(exchanges.spread().is_none(), "no reply in time");
    }

    #[test]
    fn duplicate_replies_are_counted_and_the_first_kept() {
        let mut exchanges = Exchanges::default();
        let id = exchanges.send(request("r", Some("a")), at(0));
        exchanges.receive("r", &reply("one", Some("a"), 10));
        exchanges.receive("r", &reply("two", Some("a"), 20));
        exchanges.receive("r", &reply("three", Some("a"), 30));
        let exchange = exchanges.get(id).expect("kept");
        assert_eq!(
            exchange.reply.as_ref().map(|r| &r.message.payload[..]),
            Some(&b"one"[..])
        );
        assert_eq!(exchange.duplicates, 2);
        assert_eq!(exchange.status_text(), "replied in 10 ms");
    }

    #[test]
    fn requests_not_sent_say_why_and_take_no_reply() {
        let mut exchanges = Exchanges::default();
        let id = exchanges.not_sent(request("r", None), at(0), "not connected".into());
        assert_eq!(exchanges.receive("r", &reply("x", None, 10)), None);
        let sent = exchanges.send(request("r", None), at(20));
        exchanges.failed(sent, "the broker refused it".into());
        let texts: Vec<String> = exchanges.iter().map(Exchange::status_text).collect();
        assert_eq!(texts, ["not sent: not connected", "not sent: the broker refused it"]);
        assert_eq!(exchanges.get(id).map(|e| e.id), Some(1));
    }

    #[test]
    fn round_trips_spread_as_min_median_max() {
        let mut exchanges = Exchanges::default();
        for (i, ms) in [30_u64, 10, 20, 50].into_iter().enumerate() {
            let sent = i as u64 * 1000;
            let correlation = i.to_string();
            exchanges.send(request("r", Some(&correlation)), at(sent));
            exchanges.receive("r", &reply("", Some(&correlation), sent + ms));
        }
        let spread = exchanges.spread().expect("replies");
        assert_eq!(spread.count, 4);
        assert_eq!(spread.min, Duration::from_millis(10));
        assert_eq!(spread.median, Duration::from_millis(20));
        assert_eq!(spread.max, Duration::from_millis(50));
    }

    #[test]
    fn replies_are_found_among_the_sessions_new_messages() {
        let mut session = Session::new();
        let mut exchanges = Exchanges::default();
        let now = std::time::Instant::now();
        session.apply(Event::Messages(vec![Received::example("r", "before")]), now);
        assert!(!exchanges.take_in(&session, SystemTime::now()));
        let sent_at = SystemTime::now() - Duration::from_millis(10);
        let id = exchanges.send(request("r", None), sent_at);
        session.apply(
            Event::Messages(vec![Received::example("noise", "x"), Received::example("r", "pong")]),
            now,
        );
        assert!(exchanges.take_in(&session, SystemTime::now()));
        let exchange = exchanges.get(id).expect("kept");
        assert_eq!(
            exchange.reply.as_ref().map(|r| &r.message.payload[..]),
            Some(&b"pong"[..])
        );
        assert_eq!(
            exchange.duplicates, 0,
            "the message from before the request is not looked at"
        );
    }
}
