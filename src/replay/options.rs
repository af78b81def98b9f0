//! What a replay is asked to do: which messages (topic filters, a time range), how fast, with
//! which QoS and retain flag, under which topic prefix, and whether to start again at the
//! end; and how one recorded message becomes the publish request sent.

use std::time::{Duration, SystemTime};

use crate::model::{MqttVersion, Qos, Received, topic};
use crate::mqtt::PublishRequest;

/// How fast messages are sent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// At the recorded pace, this many times faster (1: as recorded, 10: ten times faster).
    Times(f64),
    /// As fast as the broker takes them (a bounded number outstanding at a time).
    AsFastAsPossible,
}

impl Speed {
    /// `1`, `10`, `0.5`, `x10`, `10x`, or `max` (as fast as possible).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if ["max", "fast", "asap", "0"].contains(&text.to_ascii_lowercase().as_str()) {
            return Ok(Self::AsFastAsPossible);
        }
        let number = text
            .trim_start_matches(['x', 'X', '×'])
            .trim_end_matches(['x', 'X', '×']);
        match number.parse::<f64>() {
            Ok(factor) if factor.is_finite() && factor > 0.0 => Ok(Self::Times(factor)),
            _ => Err(format!(
                "\"{text}\" is not a speed: use a factor such as 1, 10 or 0.5, or max for as fast as possible"
            )),
        }
    }
}

/// One end of the time range replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// This long after the recording's first message.
    Offset(Duration),
    /// At this time.
    At(SystemTime),
}

impl Bound {
    /// An offset (`90`, `90s`, `1.5m`, `2h`, `500ms`, `1:30`, `0:01:30`) or an RFC 3339 time
    /// (`2026-12-02T10:15:00Z`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(Self::At(time.with_timezone(&chrono::Utc).into()));
        }
        offset(text).map(Self::Offset).ok_or_else(|| {
            format!("\"{text}\" is neither an offset (90s, 1.5m, 1:30) nor an RFC 3339 time (2026-12-02T10:15:00Z)")
        })
    }

    /// The time this bound falls at, for a recording whose first message came at `first`.
    fn time(self, first: SystemTime) -> SystemTime {
        match self {
            Self::Offset(after) => first + after,
            Self::At(time) => time,
        }
    }
}

/// An offset: seconds with an optional unit, or `m:ss` / `h:mm:ss`.
fn offset(text: &str) -> Option<Duration> {
    if text.contains(':') {
        let mut secs = 0.0;
        for part in text.split(':') {
            secs = secs * 60.0 + part.parse::<f64>().ok().filter(|n| *n >= 0.0)?;
        }
        return Duration::try_from_secs_f64(secs).ok();
    }
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = text.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (text, 1.0)
    };
    let value = number.trim().parse::<f64>().ok().filter(|n| *n >= 0.0)?;
    Duration::try_from_secs_f64(value * scale).ok()
}

/// What a replay sends, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayOptions {
    /// MQTT topic filters; a message is replayed when one matches (none: every message).
    pub filters: Vec<String>,
    /// Messages received before this are left out.
    pub from: Option<Bound>,
    /// Messages received after this are left out.
    pub to: Option<Bound>,
    /// How fast.
    pub speed: Speed,
    /// The QoS to publish with, instead of the recorded one.
    pub qos: Option<Qos>,
    /// The retain flag to publish with, instead of the recorded one.
    pub retain: Option<bool>,
    /// Put before every topic (`replay` makes `a/b` into `replay/a/b`), so devices listening
    /// on the real topics are not driven; empty: the recorded topics.
    pub prefix: String,
    /// Start again from the beginning after the last message, until stopped.
    pub repeat: bool,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self {
            filters: Vec::new(),
            from: None,
            to: None,
            speed: Speed::Times(1.0),
            qos: None,
            retain: None,
            prefix: String::new(),
            repeat: false,
        }
    }
}

impl ReplayOptions {
    /// What is wrong with these options, if anything (a filter that is not one, a prefix with
    /// wildcards).
    pub fn problem(&self) -> Option<String> {
        if let Some(error) = self
            .filters
            .iter()
            .find_map(|f| topic::filter_error(f).map(|why| format!("{f}: {why}")))
        {
            return Some(error);
        }
        if self.prefix.contains(['+', '#']) {
            return Some(format!("the prefix {} has wildcards (+ or #)", self.prefix));
        }
        None
    }

    /// The topic `recorded` is published to: under the prefix, if there is one.
    pub fn topic(&self, recorded: &str) -> String {
        let prefix = self.prefix.trim();
        if prefix.is_empty() {
            recorded.to_owned()
        } else if prefix.ends_with('/') {
            format!("{prefix}{recorded}")
        } else {
            format!("{prefix}/{recorded}")
        }
    }

    /// The request that sends `received` again, on a connection speaking `version`: the MQTT 5
    /// properties go with it on MQTT 5 only (not the topic alias or subscription identifiers,
    /// which belonged to the connection that received it).
    pub fn request(&self, received: &Received, version: MqttVersion) -> PublishRequest {
        let message = &received.message;
        let properties = match (version, &message.properties) {
            (MqttVersion::V5, Some(p)) => {
                let mut sent = (**p).clone();
                sent.topic_alias = None;
                sent.subscription_identifiers.clear();
                (sent != crate::model::Properties::default()).then(|| Box::new(sent))
            }
            _ => None,
        };
        PublishRequest {
            topic: self.topic(&received.topic),
            payload: message.payload.clone(),
            qos: self.qos.unwrap_or(message.qos),
            retain: self.retain.unwrap_or(message.retain),
            properties,
        }
    }
}

/// Which messages of a recording a replay sends: those matching the filters within the time
/// range (offsets counted from the recording's first message, whatever it is).
#[derive(Debug)]
pub struct Selection {
    filters: Vec<Vec<String>>,
    from: Option<Bound>,
    to: Option<Bound>,
    /// The recording's first message's time, once seen.
    first: Option<SystemTime>,
}

impl Selection {
    /// The selection `options` ask for.
    pub fn new(options: &ReplayOptions) -> Self {
        Self {
            filters: options
                .filters
                .iter()
                .map(|f| f.split('/').map(str::to_owned).collect())
                .collect(),
            from: options.from,
            to: options.to,
            first: None,
        }
    }

    /// Whether `received`, the next message of the recording, is replayed.
    pub fn accepts(&mut self, received: &Received) -> bool {
        let at = received.message.received_at;
        let first = *self.first.get_or_insert(at);
        if self.from.is_some_and(|from| at < from.time(first)) || self.to.is_some_and(|to| at > to.time(first)) {
            return false;
        }
        self.filters.is_empty() || self.filters.iter().any(|f| topic::levels_match(f, &received.topic))
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    fn at(topic: &str, secs: u64) -> Received {
        let mut received = Received::example(topic, "x");
        received.message.received_at = UNIX_EPOCH + Duration::from_secs(1_000_000 + secs);
        received
    }

    #[test]
    fn speeds_are_factors_or_max() {
        assert_eq!(Speed::parse("10"), Ok(Speed::Times(10.0)));
        assert_eq!(Speed::parse("x2.5"), Ok(Speed::Times(2.5)));
        assert_eq!(Speed::parse("4x"), Ok(Speed::Times(4.0)));
        assert_eq!(Speed::parse("max"), Ok(Speed::AsFastAsPossible));
        assert!(Speed::parse("-1").is_err());
        assert!(Speed::parse("fast-ish").is_err());
    }

    #[test]
    fn bounds_are_offsets_or_times() {
        assert_eq!(Bound::parse("90"), Ok(Bound::Offset(Duration::from_secs(90))));
        assert_eq!(Bound::parse("1.5m"), Ok(Bound::Offset(Duration::from_secs(90))));
        assert_eq!(Bound::parse("1:30"), Ok(Bound::Offset(Duration::from_secs(90))));
        assert_eq!(Bound::parse("0:01:30"), Ok(Bound::Offset(Duration::from_secs(90))));
        assert_eq!(Bound::parse("250ms"), Ok(Bound::Offset(Duration::from_millis(250))));
        assert_eq!(
            Bound::parse("1970-01-12T13:46:40Z"),
            Ok(Bound::At(UNIX_EPOCH + Duration::from_secs(1_000_000)))
        );
        assert!(Bound::parse("yesterday").is_err());
    }

    #[test]
    fn the_selection_keeps_matching_topics_within_the_range() {
        let options = ReplayOptions {
            filters: vec!["a/+".into()],
            from: Some(Bound::Offset(Duration::from_secs(1))),
            to: Some(Bound::At(UNIX_EPOCH + Duration::from_secs(1_000_003))),
            ..ReplayOptions::default()
        };
        let mut selection = Selection::new(&options);
        let kept: Vec<bool> = [at("a/x", 0), at("a/x", 1), at("b/x", 2), at("a/y", 3), at("a/y", 4)]
            .iter()
            .map(|r| selection.accepts(r))
            .collect();
        assert_eq!(kept, [false, true, false, true, false]);
    }

    #[test]
    fn requests_take_the_prefix_and_overrides() {
        let mut received = at("a/b", 0);
        received.message.qos = Qos::ExactlyOnce;
        received.message.retain = true;
        received.message.properties = Some(std::sync::Arc::new(crate::model::Properties {
            content_type: Some("json".into()),
            topic_alias: Some(3),
            ..Default::default()
        }));
        let recorded = ReplayOptions::default().request(&received, MqttVersion::V311);
        assert_eq!(
            (recorded.topic.as_str(), recorded.qos, recorded.retain),
            ("a/b", Qos::ExactlyOnce, true)
        );
        assert_eq!(recorded.properties, None);
        let options = ReplayOptions {
            prefix: "replay".into(),
            qos: Some(Qos::AtMostOnce),
            retain: Some(false),
            ..ReplayOptions::default()
        };
        let sent = options.request(&received, MqttVersion::V5);
        assert_eq!(
            (sent.topic.as_str(), sent.qos, sent.retain),
            ("replay/a/b", Qos::AtMostOnce, false)
        );
        let properties = sent.properties.expect("MQTT 5 properties");
        assert_eq!(
            (properties.content_type.as_deref(), properties.topic_alias),
            (Some("json"), None)
        );
        assert_eq!(options.topic("$SYS/x"), "replay/$SYS/x");
    }
}
