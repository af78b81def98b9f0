//! Send and wait for reply: the publish pane's request turned into an exchange (a response
//! topic and fresh correlation data with MQTT 5, a named reply topic with 3.1.1), the
//! subscription that brings the reply made first when none covers it, and the replies paired
//! as they arrive (see [`crate::model::exchange`]).

use std::time::SystemTime;

use crate::model::Properties;
use crate::model::SubscriptionOutcome;
use crate::model::exchange::{Exchanges, Request};
use crate::model::topic::filter_matches;

#[allow(clippy::wildcard_imports)]
use super::*;

/// How long a request waits, at first.
const DEFAULT_TIMEOUT_SECS: f32 = 5.0;

/// How long the subscription that brings replies may take before the request is given up.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(10);

/// A subscription asked for so replies arrive, and the request held until the broker grants it.
#[derive(Debug)]
struct Subscribing {
    filter: String,
    since: Instant,
    held: Option<(PublishRequest, Request)>,
}

/// The request and response state of the pane.
#[derive(Debug)]
pub(super) struct Requests {
    /// The reply topic typed; empty: `mqscope/reply/<client id>/<n>` (MQTT 5 only).
    pub reply_topic: String,
    /// How long to wait for each reply.
    pub timeout_secs: f32,
    /// The tab's exchanges.
    pub exchanges: Exchanges,
    /// Whether the list of exchanges is shown.
    pub window_open: bool,
    /// The client id of the connection (for the default reply topic).
    client_id: String,
    /// Requests made so far: numbers default reply topics and correlation data.
    counter: u64,
    /// The exchange whose publish id the connection has yet to give.
    awaiting_id: Option<u64>,
    /// Exchanges sent whose publish outcome is not known yet.
    ids: Vec<(PublishId, u64)>,
    subscribing: Option<Subscribing>,
}

impl Default for Requests {
    fn default() -> Self {
        Self {
            reply_topic: String::new(),
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            exchanges: Exchanges::default(),
            window_open: false,
            client_id: String::new(),
            counter: 0,
            awaiting_id: None,
            ids: Vec::new(),
            subscribing: None,
        }
    }
}

impl Requests {
    /// The reply topic a request with no typed topic gets.
    fn default_topic(&self, n: u64) -> String {
        format!("mqscope/reply/{}/{n}", self.client_id)
    }

    /// The reply topic the next request gets when none is typed.
    pub fn next_default_topic(&self) -> String {
        self.default_topic(self.counter + 1)
    }

    /// Turn `publish` into a request expecting a reply on `reply_topic` (typed, or the
    /// default), with fresh correlation data when `v5`.
    pub fn prepare(
        &mut self,
        publish: &mut PublishRequest,
        reply_topic: Option<&str>,
        v5: bool,
    ) -> Result<Request, String> {
        self.counter += 1;
        let n = self.counter;
        let typed = reply_topic.map(str::trim).filter(|t| !t.is_empty());
        let reply_topic = match typed {
            Some(topic) => topic.to_owned(),
            None if v5 => self.default_topic(n),
            None => {
                return Err("Name the reply topic: MQTT 3.1.1 cannot tell the responder where to reply".to_owned());
            }
        };
        if let Some(error) = topic::name_error(&reply_topic) {
            return Err(format!("Reply topic: {error}"));
        }
        let correlation = v5.then(|| {
            let nanos = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .subsec_nanos();
            Bytes::from(format!("mqscope-{n}-{nanos:08x}"))
        });
        if v5 {
            let properties = publish
                .properties
                .get_or_insert_with(|| Box::new(Properties::default()));
            properties.response_topic = Some(reply_topic.clone());
            properties.correlation_data.clone_from(&correlation);
        }
        Ok(Request {
            topic: publish.topic.clone(),
            payload: publish.payload.clone(),
            qos: publish.qos,
            reply_topic,
            correlation,
            timeout: Duration::from_secs_f32(self.timeout_secs.max(0.1)),
        })
    }

    /// The filter to subscribe to so replies on `reply_topic` arrive; `None` when a
    /// subscription of the connection already brings them.
    fn filter_needed(&self, reply_topic: &str, subscriptions: &[SubscriptionOutcome]) -> Option<String> {
        if subscriptions
            .iter()
            .any(|s| s.granted.is_ok() && filter_matches(&s.filter, reply_topic))
        {
            return None;
        }
        // The default topics of this connection share one filter.
        let prefix = format!("mqscope/reply/{}/", self.client_id);
        Some(match reply_topic.strip_prefix(&prefix) {
            Some(rest) if !rest.contains('/') => format!("{prefix}+"),
            _ => reply_topic.to_owned(),
        })
    }

    /// Record `request` as sent now.
    fn sent(&mut self, request: Request) {
        let id = self.exchanges.send(request, SystemTime::now());
        self.awaiting_id = Some(id);
    }

    /// Whether a repeat must wait (for the subscription that brings its replies).
    pub fn holding(&self) -> bool {
        self.subscribing.is_some()
    }

    /// The connection took the request sent last as `id`.
    pub fn published_as(&mut self, id: PublishId) {
        if let Some(exchange) = self.awaiting_id.take() {
            self.ids.push((id, exchange));
        }
    }
}

impl PublishPane {
    /// Send `publish` as a request expecting a reply (or hold it until a subscription brings
    /// replies); what goes to the connection now, if anything.
    pub(super) fn send_request(
        &mut self,
        mut publish: PublishRequest,
        reply_topic: Option<String>,
        cx: &PanelContext<'_>,
        commands: &mut Commands,
    ) -> Option<PublishRequest> {
        let requests = &mut self.requests;
        requests.window_open = true;
        let request = match requests.prepare(&mut publish, reply_topic.as_deref(), self.v5) {
            Ok(request) => request,
            Err(error) => {
                self.error = Some(error);
                return None;
            }
        };
        if !cx.link.connected {
            let why = "not connected".to_owned();
            requests.exchanges.not_sent(request, SystemTime::now(), why);
            return None;
        }
        if requests.subscribing.is_none()
            && let Some(filter) = requests.filter_needed(&request.reply_topic, cx.session.subscriptions())
        {
            commands.push(TabCommand::Subscribe(crate::model::Subscription::new(filter.clone())));
            requests.subscribing = Some(Subscribing {
                filter,
                since: Instant::now(),
                held: Some((publish, request)),
            });
            return None;
        }
        self.sent(&publish);
        self.requests.sent(request);
        Some(publish)
    }

    /// Make the request of a repeat's send, when the repeat waits for replies.
    pub(super) fn repeat_request(&mut self, publish: &mut PublishRequest) -> Result<(), String> {
        let reply_topic = self.requests.reply_topic.clone();
        let request = self.requests.prepare(publish, Some(&reply_topic), self.v5)?;
        self.requests.sent(request);
        Ok(())
    }

    /// Start a repeat whose sends wait for replies: first the subscription, when needed.
    pub(super) fn start_repeat_requests(
        &mut self,
        cx: &PanelContext<'_>,
        commands: &mut Commands,
    ) -> Result<(), String> {
        let requests = &mut self.requests;
        requests.window_open = true;
        let probe = requests.reply_topic.trim();
        let reply_topic = match probe {
            "" if self.v5 => requests.default_topic(requests.counter + 1),
            "" => return Err("Name the reply topic: MQTT 3.1.1 cannot tell the responder where to reply".to_owned()),
            typed => typed.to_owned(),
        };
        if let Some(filter) = requests.filter_needed(&reply_topic, cx.session.subscriptions()) {
            commands.push(TabCommand::Subscribe(crate::model::Subscription::new(filter.clone())));
            requests.subscribing = Some(Subscribing {
                filter,
                since: Instant::now(),
                held: None,
            });
        }
        Ok(())
    }

    /// Move the exchanges on: the subscription awaited, publishes that failed, replies arrived,
    /// timeouts. Call every frame the pane is drawn.
    pub(super) fn requests_frame(&mut self, ctx: &egui::Context, cx: &PanelContext<'_>, commands: &mut Commands) {
        let session = cx.session;
        cx.client_id.clone_into(&mut self.requests.client_id);
        if let Some(subscribing) = &self.requests.subscribing {
            let answer = session.subscriptions().iter().find(|s| s.filter == subscribing.filter);
            let refused = match answer.map(|s| &s.granted) {
                Some(Ok(_)) => None,
                Some(Err(why)) => Some(format!(
                    "the broker refused the subscription to {}: {why}",
                    subscribing.filter
                )),
                None if subscribing.since.elapsed() > SUBSCRIBE_TIMEOUT => {
                    Some(format!("no answer to the subscription to {}", subscribing.filter))
                }
                None => {
                    ctx.request_repaint_after(Duration::from_millis(100));
                    return;
                }
            };
            if let Some(Subscribing { held, .. }) = self.requests.subscribing.take() {
                match (held, refused) {
                    (Some((publish, request)), None) => {
                        self.sent(&publish);
                        self.requests.sent(request);
                        commands.push(TabCommand::Publish(publish));
                    }
                    (Some((_, request)), Some(why)) => {
                        self.requests.exchanges.not_sent(request, SystemTime::now(), why);
                    }
                    (None, Some(why)) => {
                        self.running = None;
                        self.error = Some(format!("Repeat stopped: {why}"));
                    }
                    (None, None) => {}
                }
            }
        }
        let requests = &mut self.requests;
        requests
            .ids
            .retain(|&(id, exchange)| match session.publish_outcome(id.get()) {
                Some(PublishOutcome::Failed(why)) => {
                    requests.exchanges.failed(exchange, why.clone());
                    false
                }
                Some(_) => false,
                None => true,
            });
        let now = SystemTime::now();
        requests.exchanges.take_in(session, now);
        if let Some(deadline) = requests.exchanges.next_deadline() {
            ctx.request_repaint_after(deadline.duration_since(now).unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Qos;

    fn publish() -> PublishRequest {
        PublishRequest {
            topic: "lab/ping".into(),
            payload: Bytes::from_static(b"ping"),
            qos: Qos::AtLeastOnce,
            retain: false,
            properties: None,
        }
    }

    fn requests() -> Requests {
        Requests {
            client_id: "me".into(),
            ..Requests::default()
        }
    }

    #[test]
    fn an_mqtt5_request_gets_the_default_reply_topic_and_fresh_correlation_data() {
        let mut requests = requests();
        let mut first = publish();
        let request = requests.prepare(&mut first, Some(" "), true).expect("valid");
        assert_eq!(request.reply_topic, "mqscope/reply/me/1");
        let properties = first.properties.expect("properties");
        assert_eq!(properties.response_topic.as_deref(), Some("mqscope/reply/me/1"));
        assert_eq!(properties.correlation_data, request.correlation);
        let second = requests.prepare(&mut publish(), None, true).expect("valid");
        assert_eq!(second.reply_topic, "mqscope/reply/me/2");
        assert_ne!(second.correlation, request.correlation, "fresh each time");
    }

    #[test]
    fn an_mqtt311_request_needs_a_named_reply_topic_and_carries_no_properties() {
        let mut requests = requests();
        let error = requests
            .prepare(&mut publish(), Some(""), false)
            .expect_err("no reply topic");
        assert!(error.contains("Name the reply topic"), "{error}");
        let mut named = publish();
        let request = requests.prepare(&mut named, Some("lab/pong"), false).expect("valid");
        assert_eq!(request.reply_topic, "lab/pong");
        assert_eq!(request.correlation, None);
        assert!(named.properties.is_none());
        let error = requests
            .prepare(&mut publish(), Some("lab/+"), false)
            .expect_err("a wildcard");
        assert!(error.starts_with("Reply topic:"), "{error}");
    }

    #[test]
    fn the_reply_topic_is_subscribed_to_only_when_no_subscription_brings_it() {
        let requests = requests();
        let granted = |filter: &str| SubscriptionOutcome {
            filter: filter.into(),
            granted: Ok(Qos::AtMostOnce),
        };
        let refused = SubscriptionOutcome {
            filter: "#".into(),
            granted: Err("not authorised".into()),
        };
        assert_eq!(requests.filter_needed("mqscope/reply/me/3", &[granted("#")]), None);
        assert_eq!(
            requests
                .filter_needed("mqscope/reply/me/3", &[granted("lab/#"), refused])
                .as_deref(),
            Some("mqscope/reply/me/+"),
            "one filter for every default reply topic"
        );
        assert_eq!(
            requests.filter_needed("lab/pong", &[granted("home/#")]).as_deref(),
            Some("lab/pong")
        );
    }
}
