//! A connection task's subscriptions: subscribing on every CONNACK and while connected (one
//! SUBSCRIBE per subscription identifier), subscribing again with other options, unsubscribing,
//! and the broker's answers to each, reported to the model.

use super::state::State;
use super::subscribing::ClosedAt;
use crate::model::{Event, Qos, Subscription, SubscriptionOutcome};

/// Why a filter is shown refused when the broker closed the connection at it.
const SUBSCRIBE_CLOSED: &str = "it closed the connection when asked for this filter, \
                                so it is not asked for again";

impl State {
    /// Subscribe to one more filter, or to one already subscribed to with other options (the
    /// broker replaces the subscription): now when connected, and on every CONNACK. A change of
    /// no local or retain as published unsubscribes first: Mosquitto 2.0 keeps a replaced
    /// subscription's old ones.
    pub(super) fn add_subscription(&mut self, subscription: Subscription, connected: bool) {
        let subscriptions = &mut self.settings.subscriptions;
        let mut anew = false;
        match subscriptions.iter_mut().find(|s| s.filter == subscription.filter) {
            Some(existing) if existing.asks_the_same(&subscription) => {
                *existing = subscription;
                return;
            }
            Some(existing) => {
                anew = existing.no_local != subscription.no_local
                    || existing.retain_as_published != subscription.retain_as_published;
                *existing = subscription.clone();
            }
            None => subscriptions.push(subscription.clone()),
        }
        if connected {
            if anew {
                self.send_unsubscribe(subscription.filter.clone());
            }
            self.send_subscribe(vec![subscription]);
        }
    }

    /// Stop subscribing to `filter`: UNSUBSCRIBE now when connected (the model hears of it
    /// when the broker answers), else at once.
    pub(super) fn remove_subscription(&mut self, filter: String, connected: bool) {
        self.settings.subscriptions.retain(|s| s.filter != filter);
        if !connected {
            self.events.send(Event::Unsubscribed(vec![filter]));
            return;
        }
        if !self.send_unsubscribe(filter.clone()) {
            // Not subscribed on the next connection, which is when it takes effect.
            self.events.send(Event::Unsubscribed(vec![filter]));
        }
    }

    /// UNSUBSCRIBE from `filter`; the model hears of it when the broker answers. Whether it
    /// could be handed to rumqttc.
    fn send_unsubscribe(&mut self, filter: String) -> bool {
        match self.client.unsubscribe(&filter) {
            Ok(()) => {
                self.unsent_unsubscriptions.push_back(filter);
                true
            }
            Err(err) => {
                tracing::warn!(%filter, %err, "could not unsubscribe");
                false
            }
        }
    }

    pub(super) fn subscribe(&mut self) {
        let request = self.subscribing.on_connack(&self.settings.subscriptions);
        self.send_subscribe(request);
    }

    /// The broker closed the connection while a SUBSCRIBE it had been sent waited for its
    /// SUBACK (see [`Subscribing`]): a filter it closed at alone is shown refused. Whether the
    /// close was explained so (call before [`State::connection_lost`], which forgets what was
    /// waiting).
    pub(super) fn closed_at_subscribe(&mut self) -> bool {
        match self.subscribing.closed() {
            None => false,
            Some(ClosedAt::Several) => true,
            Some(ClosedAt::One(filter)) => {
                tracing::warn!(%filter, "the broker closed the connection at this subscription");
                self.events.send(Event::Subscribed(vec![SubscriptionOutcome {
                    filter,
                    granted: Err(SUBSCRIBE_CLOSED.to_owned()),
                }]));
                true
            }
        }
    }

    /// SUBSCRIBE for `subscriptions`: one packet for those of each subscription identifier
    /// (a packet carries one; with MQTT 3.1.1 none is sent, so one packet); the broker's
    /// answers reach the model.
    pub(super) fn send_subscribe(&mut self, subscriptions: Vec<Subscription>) {
        let v5 = self.client.version() == crate::model::MqttVersion::V5;
        for group in by_identifier(subscriptions, v5) {
            self.send_subscribe_packet(group);
        }
    }

    fn send_subscribe_packet(&mut self, subscriptions: Vec<Subscription>) {
        if subscriptions.is_empty() {
            return;
        }
        match self.client.subscribe(&subscriptions) {
            Ok(()) => self.subscribing.handed_over(subscriptions),
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

    pub(super) fn suback(&mut self, pkid: u16, mut granted: Vec<Result<Qos, String>>) {
        let Some(subscriptions) = self.subscribing.answered(pkid) else {
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

/// `subscriptions` in groups that can share a SUBSCRIBE: by subscription identifier with
/// MQTT 5 (in the order each identifier first appears), all in one otherwise.
fn by_identifier(subscriptions: Vec<Subscription>, v5: bool) -> Vec<Vec<Subscription>> {
    if !v5 {
        return vec![subscriptions];
    }
    let mut groups: Vec<Vec<Subscription>> = Vec::new();
    for subscription in subscriptions {
        match groups
            .iter_mut()
            .find(|g| g.first().is_some_and(|f| f.identifier == subscription.identifier))
        {
            Some(group) => group.push(subscription),
            None => groups.push(vec![subscription]),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_id(filter: &str, identifier: Option<u32>) -> Subscription {
        Subscription {
            identifier,
            ..Subscription::new(filter)
        }
    }

    #[test]
    fn subscriptions_share_a_subscribe_only_with_the_same_identifier() {
        let list = vec![
            with_id("a", None),
            with_id("b", Some(2)),
            with_id("c", None),
            with_id("d", Some(2)),
        ];
        let filters = |groups: Vec<Vec<Subscription>>| -> Vec<Vec<String>> {
            groups
                .into_iter()
                .map(|g| g.into_iter().map(|s| s.filter).collect())
                .collect()
        };
        assert_eq!(
            filters(by_identifier(list.clone(), true)),
            [vec!["a", "c"], vec!["b", "d"]]
        );
        // MQTT 3.1.1 carries no identifier: one packet.
        assert_eq!(filters(by_identifier(list, false)), [vec!["a", "b", "c", "d"]]);
    }
}
