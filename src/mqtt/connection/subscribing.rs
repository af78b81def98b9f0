//! The subscription requests of one connection task: those handed to rumqttc and those
//! awaiting their SUBACK, and what follows when a broker closes the connection at a filter
//! instead of refusing it (rumqttd at `$SYS/#`): the filters go one at a time, each after the
//! one before was answered, so that the next close points at one, which is given up.

use std::collections::{HashMap, VecDeque};

use crate::model::Subscription;

/// What a close with subscriptions waiting told.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ClosedAt {
    /// A request of several filters: they go one at a time from now on.
    Several,
    /// This filter alone: given up, not asked for again.
    One(String),
}

/// Subscription requests in flight, and what was learnt from closes at them.
#[derive(Default)]
pub(super) struct Subscribing {
    /// Requests handed to rumqttc, waiting for it to give them a packet id, oldest first.
    unsent: VecDeque<Vec<Subscription>>,
    /// Requests waiting for the broker's SUBACK, by packet id.
    awaiting: HashMap<u16, Vec<Subscription>>,
    /// Filters the broker closed the connection at.
    given_up: Vec<String>,
    /// Whether filters go one at a time.
    one_at_a_time: bool,
    /// The filters still to go, one at a time.
    queued: VecDeque<Subscription>,
}

impl Subscribing {
    /// The request to send on a CONNACK for `filters`: all of them but those given up, or,
    /// one at a time, the first of them (the rest follow [`Subscribing::next`]).
    pub(super) fn on_connack(&mut self, filters: &[Subscription]) -> Vec<Subscription> {
        let wanted = filters.iter().filter(|s| !self.given_up.contains(&s.filter)).cloned();
        if !self.one_at_a_time {
            return wanted.collect();
        }
        self.queued = wanted.collect();
        self.next().into_iter().collect()
    }

    /// After a SUBACK: the next filter to subscribe to one at a time, if any.
    pub(super) fn next(&mut self) -> Option<Subscription> {
        self.queued.pop_front()
    }

    /// A request handed to rumqttc.
    pub(super) fn handed_over(&mut self, request: Vec<Subscription>) {
        self.unsent.push_back(request);
    }

    /// rumqttc wrote the oldest request handed over, as packet `pkid`.
    pub(super) fn sent(&mut self, pkid: u16) {
        if let Some(request) = self.unsent.pop_front() {
            self.awaiting.insert(pkid, request);
        }
    }

    /// The request the SUBACK `pkid` answers.
    pub(super) fn answered(&mut self, pkid: u16) -> Option<Vec<Subscription>> {
        self.awaiting.remove(&pkid)
    }

    /// The broker closed a connection that was up: what the requests waiting for a SUBACK
    /// tell. The broker answers in order, so the first of them is the one it closed at.
    pub(super) fn closed(&mut self) -> Option<ClosedAt> {
        let first = self.awaiting.keys().min().copied()?;
        match self.awaiting.remove(&first)?.as_slice() {
            [] => None,
            [one] => {
                self.given_up.push(one.filter.clone());
                Some(ClosedAt::One(one.filter.clone()))
            }
            _ => {
                self.one_at_a_time = true;
                Some(ClosedAt::Several)
            }
        }
    }

    /// The connection is gone: the requests not answered are gone with it.
    pub(super) fn lost(&mut self) {
        self.unsent.clear();
        self.awaiting.clear();
        self.queued.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(names: &[&str]) -> Vec<Subscription> {
        names.iter().map(|n| Subscription::new(*n)).collect()
    }

    /// Send the CONNACK's request and have rumqttc write it as `pkid`.
    fn connack(subscribing: &mut Subscribing, wanted: &[Subscription], pkid: u16) -> Vec<Subscription> {
        let request = subscribing.on_connack(wanted);
        subscribing.handed_over(request.clone());
        subscribing.sent(pkid);
        request
    }

    #[test]
    fn a_close_at_several_filters_sends_them_one_at_a_time_and_a_close_at_one_gives_it_up() {
        let wanted = filters(&["#", "$SYS/#"]);
        let mut subscribing = Subscribing::default();
        assert_eq!(connack(&mut subscribing, &wanted, 1), wanted, "all in one request");
        assert_eq!(subscribing.closed(), Some(ClosedAt::Several));
        subscribing.lost();

        assert_eq!(connack(&mut subscribing, &wanted, 2), filters(&["#"]));
        assert!(subscribing.answered(2).is_some());
        let next = subscribing.next().expect("the next filter after the SUBACK");
        assert_eq!(next.filter, "$SYS/#");
        subscribing.handed_over(vec![next]);
        subscribing.sent(3);
        assert_eq!(subscribing.closed(), Some(ClosedAt::One("$SYS/#".to_owned())));
        subscribing.lost();

        assert_eq!(connack(&mut subscribing, &wanted, 4), filters(&["#"]));
        assert!(subscribing.answered(4).is_some());
        assert_eq!(subscribing.next(), None, "$SYS/# is not asked for again");
    }

    #[test]
    fn a_close_with_nothing_waiting_tells_nothing() {
        let wanted = filters(&["#", "$SYS/#"]);
        let mut subscribing = Subscribing::default();
        connack(&mut subscribing, &wanted, 1);
        assert!(subscribing.answered(1).is_some());
        assert_eq!(subscribing.closed(), None);
        assert_eq!(subscribing.on_connack(&wanted), wanted, "still all in one request");
    }
}
