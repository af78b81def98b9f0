//! A tab's subscriptions changed while it runs: one added or subscribed to again with other
//! options (from the subscribe dialog, a tree row, or a request's reply topic), or the whole
//! list as the connection editor has it now, without reconnecting.

use super::Explorer;
use crate::model::Subscription;
use crate::model::subscription::{next_colour, settle_colours};

impl Explorer {
    /// Subscribe to `subscription`'s filter, or again with its options when subscribed already
    /// (the broker replaces the subscription); a colour change alone asks the broker nothing.
    pub(super) fn subscribe(&mut self, mut subscription: Subscription) {
        let list = &mut self.settings.subscriptions;
        settle_colours(list);
        if subscription.colour.is_none() {
            let colour = match list.iter().find(|s| s.filter == subscription.filter) {
                Some(s) => s.colour,
                None => Some(next_colour(list)),
            };
            subscription.colour = colour;
        }
        let existing = list.iter_mut().find(|s| s.filter == subscription.filter);
        let ask_broker = !existing.as_ref().is_some_and(|s| s.asks_the_same(&subscription));
        match existing {
            Some(s) => *s = subscription.clone(),
            None => list.push(subscription.clone()),
        }
        if ask_broker && let Some(connection) = &self.connection {
            connection.subscribe(subscription);
        }
    }

    /// Make the tab's subscriptions `wanted`: unsubscribe from the filters it no longer has,
    /// subscribe to new ones and to those whose options changed; the rest stay as they are.
    pub(crate) fn update_subscriptions(&mut self, wanted: Vec<Subscription>) {
        let gone: Vec<String> = self
            .settings
            .subscriptions
            .iter()
            .filter(|s| !wanted.iter().any(|w| w.filter == s.filter))
            .map(|s| s.filter.clone())
            .collect();
        for filter in gone {
            self.apply_one(crate::ui::context::TabCommand::Unsubscribe(filter));
        }
        let wanted_order: Vec<String> = wanted.iter().map(|w| w.filter.clone()).collect();
        for subscription in wanted {
            self.subscribe(subscription);
        }
        // In the editor's order.
        self.settings
            .subscriptions
            .sort_by_key(|s| wanted_order.iter().position(|f| *f == s.filter));
    }
}
