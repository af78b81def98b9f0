//! A subscription as MQTT 5 defines it (a filter, its QoS, and with MQTT 5 no local, retain
//! as published, retain handling and a subscription identifier), its colour, and which
//! subscription delivered a message: by subscription identifier when the message carries one
//! of ours, else by the filters that match its topic, the most specific first.

use super::message::{Properties, Qos};
use super::topic::filter_matches;

/// A topic filter to subscribe to, with its options.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subscription {
    /// The filter, wildcards allowed (`#`, `$SYS/#`, `home/+/temp`).
    pub filter: String,
    /// The QoS asked for.
    #[serde(default)]
    pub qos: Qos,
    /// MQTT 5: the broker does not send back messages this client published.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_local: bool,
    /// MQTT 5: live messages keep the retain flag they were published with (on by default, so
    /// "retained" tells the truth; off, as with MQTT 3.1.1, the flag marks only the retained
    /// messages sent because of the subscription).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub retain_as_published: bool,
    /// MQTT 5: when the broker sends the retained messages the filter matches.
    #[serde(default, skip_serializing_if = "RetainHandling::is_default")]
    pub retain_handling: RetainHandling,
    /// MQTT 5: the subscription identifier (1 to [`MAX_IDENTIFIER`]), which the broker puts on
    /// every message this subscription delivers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<u32>,
    /// The colour its messages are marked with, as red, green, blue; none takes one from
    /// [`PALETTE`] by the subscription's place in the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<[u8; 3]>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_true(value: &bool) -> bool {
    *value
}

fn yes() -> bool {
    true
}

/// The largest subscription identifier MQTT 5 allows (a variable byte integer).
pub const MAX_IDENTIFIER: u32 = 268_435_455;

/// The colours new subscriptions are given, in turn: distinct from each other, and readable
/// on the dark and the light theme.
pub const PALETTE: [[u8; 3]; 8] = [
    [0x4e, 0x9a, 0xf1], // blue
    [0xe5, 0xa5, 0x0a], // amber
    [0x2e, 0xc2, 0x7e], // green
    [0xc0, 0x61, 0xcb], // purple
    [0xf6, 0x61, 0x51], // red
    [0x33, 0xc7, 0xde], // cyan
    [0xe6, 0x61, 0x00], // orange
    [0x98, 0x6a, 0x44], // brown
];

/// MQTT 5's retain handling: when the broker sends the retained messages a filter matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum RetainHandling {
    /// 0: on every SUBSCRIBE, even one that replaces a subscription.
    #[default]
    OnEverySubscribe,
    /// 1: only when the subscription is new.
    OnNewSubscribe,
    /// 2: never.
    Never,
}

impl RetainHandling {
    /// All three, in the order of their numbers.
    pub const ALL: [Self; 3] = [Self::OnEverySubscribe, Self::OnNewSubscribe, Self::Never];

    /// Its number in the SUBSCRIBE packet, 0 to 2.
    pub fn number(self) -> u8 {
        match self {
            Self::OnEverySubscribe => 0,
            Self::OnNewSubscribe => 1,
            Self::Never => 2,
        }
    }

    /// In words, for a menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::OnEverySubscribe => "Send retained on every subscribe",
            Self::OnNewSubscribe => "Send retained only if new",
            Self::Never => "Do not send retained",
        }
    }

    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl From<RetainHandling> for u8 {
    fn from(handling: RetainHandling) -> Self {
        handling.number()
    }
}

impl TryFrom<u8> for RetainHandling {
    type Error = String;

    fn try_from(number: u8) -> Result<Self, Self::Error> {
        Self::ALL
            .into_iter()
            .find(|h| h.number() == number)
            .ok_or_else(|| format!("retain handling is 0, 1 or 2, not {number}"))
    }
}

impl Subscription {
    /// A subscription at QoS 0 with the default options.
    pub fn new(filter: impl Into<String>) -> Self {
        Self {
            filter: filter.into(),
            qos: Qos::AtMostOnce,
            no_local: false,
            retain_as_published: true,
            retain_handling: RetainHandling::OnEverySubscribe,
            identifier: None,
            colour: None,
        }
    }

    /// What mqscope subscribes to unless told otherwise: everything, and the broker's `$SYS` tree.
    pub fn defaults() -> Vec<Self> {
        vec![Self::new("#"), Self::new("$SYS/#")]
    }

    /// Whether `other` asks the broker for the same subscription (its colour aside).
    pub fn asks_the_same(&self, other: &Self) -> bool {
        Self {
            colour: None,
            ..self.clone()
        } == Self {
            colour: None,
            ..other.clone()
        }
    }

    /// Whether any option only MQTT 5 carries differs from what MQTT 3.1.1 does.
    pub fn has_v5_options(&self) -> bool {
        self.no_local || self.retain_handling != RetainHandling::OnEverySubscribe || self.identifier.is_some()
    }

    /// The options other than the QoS, in short words ("no local, id 7"), empty when default.
    pub fn options_summary(&self) -> String {
        let mut parts = Vec::new();
        if self.no_local {
            parts.push("no local".to_owned());
        }
        if !self.retain_as_published {
            parts.push("retain flag not kept".to_owned());
        }
        match self.retain_handling {
            RetainHandling::OnEverySubscribe => {}
            RetainHandling::OnNewSubscribe => parts.push("retained only if new".to_owned()),
            RetainHandling::Never => parts.push("no retained".to_owned()),
        }
        if let Some(id) = self.identifier {
            parts.push(format!("id {id}"));
        }
        parts.join(", ")
    }

    /// Why this subscription cannot be asked for, if it cannot.
    pub fn error(&self) -> Option<String> {
        if let Some(error) = super::topic::filter_error(&self.filter) {
            return Some(error);
        }
        match self.identifier {
            Some(0) => Some("A subscription identifier is 1 or more".to_owned()),
            Some(id) if id > MAX_IDENTIFIER => Some(format!("A subscription identifier is at most {MAX_IDENTIFIER}")),
            _ => None,
        }
    }
}

/// The colour of the subscription at `index` of `subscriptions`: its own, or the palette's.
pub fn colour_of(subscriptions: &[Subscription], index: usize) -> [u8; 3] {
    subscriptions
        .get(index)
        .and_then(|s| s.colour)
        .unwrap_or(PALETTE[index % PALETTE.len()])
}

/// Give every subscription of `subscriptions` without a colour of its own the one it shows
/// now, so that taking one out of the list changes no other's colour.
pub fn settle_colours(subscriptions: &mut [Subscription]) {
    for index in 0..subscriptions.len() {
        let colour = colour_of(subscriptions, index);
        if let Some(subscription) = subscriptions.get_mut(index) {
            subscription.colour = Some(colour);
        }
    }
}

/// A colour for a subscription added to `subscriptions`: the first of the palette no
/// subscription shows yet, or the next in turn when all are taken.
pub fn next_colour(subscriptions: &[Subscription]) -> [u8; 3] {
    let shown: Vec<[u8; 3]> = (0..subscriptions.len()).map(|i| colour_of(subscriptions, i)).collect();
    PALETTE
        .into_iter()
        .find(|c| !shown.contains(c))
        .unwrap_or(PALETTE[subscriptions.len() % PALETTE.len()])
}

/// Which of `subscriptions` delivered a message on `topic`: the one whose identifier the
/// message carries (MQTT 5), else the most specific filter matching the topic (the most
/// levels named without a wildcard; the first listed of equals). `None` when none matches
/// (a subscription since dropped, or a message of another session).
pub fn delivered_by(subscriptions: &[Subscription], topic: &str, properties: Option<&Properties>) -> Option<usize> {
    if let Some(properties) = properties {
        let by_id = properties.subscription_identifiers.iter().find_map(|&id| {
            subscriptions
                .iter()
                .position(|s| s.identifier.is_some_and(|own| own as usize == id))
        });
        if by_id.is_some() {
            return by_id;
        }
    }
    subscriptions
        .iter()
        .enumerate()
        .filter(|(_, s)| filter_matches(&s.filter, topic))
        .max_by_key(|(i, s)| (specificity(&s.filter), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// How specific a filter is: its levels named without a wildcard, then its length in levels.
fn specificity(filter: &str) -> (usize, usize) {
    let levels = filter.split('/');
    let named = levels.clone().filter(|l| *l != "+" && *l != "#").count();
    (named, levels.count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subs(filters: &[&str]) -> Vec<Subscription> {
        filters.iter().map(|f| Subscription::new(*f)).collect()
    }

    #[test]
    fn the_most_specific_matching_filter_delivered_a_message() {
        let list = subs(&["#", "home/#", "home/+/temp", "$SYS/#"]);
        assert_eq!(delivered_by(&list, "home/kitchen/temp", None), Some(2));
        assert_eq!(delivered_by(&list, "home/kitchen/hum", None), Some(1));
        assert_eq!(delivered_by(&list, "garden/temp", None), Some(0));
        assert_eq!(delivered_by(&list, "$SYS/broker/uptime", None), Some(3));
        assert_eq!(delivered_by(&subs(&["home/#"]), "garden/temp", None), None);
    }

    #[test]
    fn a_subscription_identifier_on_the_message_wins_over_filters() {
        let mut list = subs(&["#", "home/#"]);
        list[0].identifier = Some(7);
        let properties = Properties {
            subscription_identifiers: vec![7],
            ..Properties::default()
        };
        assert_eq!(delivered_by(&list, "home/kitchen", Some(&properties)), Some(0));
        // An identifier that is none of ours: the filters decide.
        let other = Properties {
            subscription_identifiers: vec![99],
            ..Properties::default()
        };
        assert_eq!(delivered_by(&list, "home/kitchen", Some(&other)), Some(1));
    }

    #[test]
    fn new_subscriptions_take_a_colour_not_shown_yet() {
        let mut list = subs(&["#", "$SYS/#"]);
        assert_eq!(next_colour(&list), PALETTE[2]);
        list[1].colour = Some(PALETTE[5]);
        assert_eq!(next_colour(&list), PALETTE[1]);
        assert_eq!(colour_of(&list, 0), PALETTE[0]);
        assert_eq!(colour_of(&list, 1), PALETTE[5]);
    }

    #[test]
    fn options_read_from_older_files_take_their_defaults() {
        let old: Subscription = serde_json::from_str(r#"{"filter":"a/#","qos":1}"#).expect("an older subscription");
        assert_eq!(
            old,
            Subscription {
                qos: Qos::AtLeastOnce,
                ..Subscription::new("a/#")
            }
        );
        assert!(old.retain_as_published);
        let written = serde_json::to_string(&old).expect("written");
        assert_eq!(written, r#"{"filter":"a/#","qos":1}"#);
        let full = Subscription {
            no_local: true,
            retain_as_published: false,
            retain_handling: RetainHandling::Never,
            identifier: Some(12),
            colour: Some([1, 2, 3]),
            ..Subscription::new("b")
        };
        let back: Subscription =
            serde_json::from_str(&serde_json::to_string(&full).expect("written")).expect("read back");
        assert_eq!(back, full);
        assert!(serde_json::from_str::<Subscription>(r#"{"filter":"a","retain_handling":3}"#).is_err());
    }

    #[test]
    fn a_bad_identifier_is_said() {
        let mut s = Subscription::new("a");
        assert_eq!(s.error(), None);
        s.identifier = Some(0);
        assert!(s.error().expect("an error").contains("1 or more"));
        s.identifier = Some(MAX_IDENTIFIER + 1);
        assert!(s.error().expect("an error").contains("at most"));
        assert!(Subscription::new("a/#/b").error().is_some());
    }

    #[test]
    fn options_are_summed_up_in_words() {
        assert_eq!(Subscription::new("a").options_summary(), "");
        let s = Subscription {
            no_local: true,
            retain_handling: RetainHandling::OnNewSubscribe,
            identifier: Some(3),
            ..Subscription::new("a")
        };
        assert_eq!(s.options_summary(), "no local, retained only if new, id 3");
        assert!(s.has_v5_options());
    }
}
