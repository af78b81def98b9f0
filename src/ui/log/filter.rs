//! Which lines of the log a filter lets through: an MQTT filter, text in the topic, or text in
//! the payload. Kept up to date a batch at a time: new lines are tested once, lines whose
//! message went are taken out as the log takes them out, and a topic's answer to a topic
//! filter is worked out once per topic.

use std::collections::{HashMap, VecDeque};

use crate::model::{Line, Log, NodeId, Session, topic};

/// What the filter's text is matched against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FilterKind {
    /// An MQTT topic filter, wildcards allowed (`home/+/temp`, `zigbee2mqtt/#`).
    #[default]
    Topic,
    /// Text anywhere in the topic, any case.
    TopicText,
    /// Text anywhere in the payload, any case.
    Payload,
}

impl FilterKind {
    /// All kinds, in the order offered.
    pub const ALL: [Self; 3] = [Self::Topic, Self::TopicText, Self::Payload];

    /// The kind in words, for the menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::Topic => "MQTT filter",
            Self::TopicText => "Topic text",
            Self::Payload => "Payload text",
        }
    }

    /// An example of what to type, for the empty field.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Topic => "e.g. home/+/temperature",
            Self::TopicText => "text in the topic",
            Self::Payload => "text in the payload",
        }
    }
}

/// A filter as applied: its kind and its text (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// What the text is matched against.
    pub kind: FilterKind,
    /// The text.
    pub text: String,
}

impl Filter {
    /// Why the filter cannot be used, in words (an MQTT filter that breaks the rules).
    pub fn error(&self) -> Option<String> {
        match self.kind {
            FilterKind::Topic => topic::filter_error(&self.text),
            FilterKind::TopicText | FilterKind::Payload => None,
        }
    }
}

/// The lines of a log that a filter lets through, oldest first.
#[derive(Debug)]
pub struct Matching {
    filter: Filter,
    /// The text lowercased, for text matching.
    lowered: Vec<u8>,
    lines: VecDeque<Line>,
    /// Lines with sequence numbers below this were tested.
    tested_to: u64,
    /// The log's compaction count when the lines were last checked.
    compactions: u64,
    /// Each topic's answer to a topic filter or topic text.
    topics: HashMap<NodeId, bool>,
}

impl Matching {
    /// Nothing tested yet for `filter`.
    pub fn new(filter: Filter) -> Self {
        Self {
            lowered: filter.text.to_lowercase().into_bytes(),
            filter,
            lines: VecDeque::new(),
            tested_to: 0,
            compactions: 0,
            topics: HashMap::new(),
        }
    }

    /// The filter applied.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// Bring the lines up to date with `session`'s log: test the new lines, drop the gone.
    pub fn update(&mut self, session: &Session) {
        let log = &session.log;
        if log.compactions() != self.compactions {
            self.compactions = log.compactions();
            self.lines
                .retain(|&line| Log::resolve(&session.history, line).is_some());
        }
        let oldest = log.get(0).map_or(u64::MAX, |line| line.seq);
        while self.lines.front().is_some_and(|line| line.seq < oldest) {
            self.lines.pop_front();
        }
        let start = log.position_from(self.tested_to);
        for line in log.iter_from(start) {
            self.tested_to = line.seq + 1;
            if self.lets_through(session, line) {
                self.lines.push_back(line);
            }
        }
    }

    fn lets_through(&mut self, session: &Session, line: Line) -> bool {
        match self.filter.kind {
            FilterKind::Topic | FilterKind::TopicText => {
                let (kind, text, lowered) = (self.filter.kind, &self.filter.text, &self.lowered);
                *self.topics.entry(line.topic).or_insert_with(|| {
                    let name = session.tree.topic(line.topic);
                    match kind {
                        FilterKind::Topic => topic::filter_matches(text, &name),
                        _ => contains_any_case(name.as_bytes(), lowered),
                    }
                })
            }
            FilterKind::Payload => Log::resolve(&session.history, line)
                .is_some_and(|entry| contains_any_case(&entry.message.payload, &self.lowered)),
        }
    }

    /// How many lines the filter lets through.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether it lets none through.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The `index`-th line let through, oldest first.
    pub fn get(&self, index: usize) -> Option<Line> {
        self.lines.get(index).copied()
    }

    /// The index of the first line let through with a sequence number of `seq` or more.
    pub fn position_from(&self, seq: u64) -> usize {
        self.lines.partition_point(|line| line.seq < seq)
    }
}

/// Whether `haystack` holds `lowered` (already lowercase), ASCII letters in any case.
fn contains_any_case(haystack: &[u8], lowered: &[u8]) -> bool {
    if lowered.is_empty() {
        return true;
    }
    haystack
        .windows(lowered.len())
        .any(|window| window.eq_ignore_ascii_case(lowered))
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::model::{Event, Received};

    fn session(messages: &[(&str, &str)]) -> Session {
        let mut session = Session::new();
        let batch = messages.iter().map(|(t, p)| Received::example(t, p)).collect();
        session.apply(Event::Messages(batch), Instant::now());
        session
    }

    fn topics(matching: &Matching, session: &Session) -> Vec<String> {
        (0..matching.len())
            .filter_map(|i| matching.get(i))
            .map(|line| session.tree.topic(line.topic))
            .collect()
    }

    fn filter(kind: FilterKind, text: &str) -> Matching {
        Matching::new(Filter {
            kind,
            text: text.to_owned(),
        })
    }

    #[test]
    fn an_mqtt_filter_lets_its_topics_through_in_arrival_order() {
        let mut s = session(&[("home/a/temp", "1"), ("home/b/hum", "2"), ("home/b/temp", "3")]);
        let mut m = filter(FilterKind::Topic, "home/+/temp");
        m.update(&s);
        assert_eq!(topics(&m, &s), ["home/a/temp", "home/b/temp"]);
        s.apply(
            Event::Messages(vec![Received::example("home/a/temp", "4")]),
            Instant::now(),
        );
        m.update(&s);
        assert_eq!(m.len(), 3, "new lines are tested as they come");
    }

    #[test]
    fn text_matches_topics_and_payloads_in_any_case() {
        let s = session(&[("Kitchen/light", "on"), ("hall/light", "OFF"), ("hall/door", "off")]);
        let mut by_topic = filter(FilterKind::TopicText, "kitchen");
        by_topic.update(&s);
        assert_eq!(topics(&by_topic, &s), ["Kitchen/light"]);
        let mut by_payload = filter(FilterKind::Payload, "Off");
        by_payload.update(&s);
        assert_eq!(topics(&by_payload, &s), ["hall/light", "hall/door"]);
    }

    #[test]
    fn a_filter_breaking_the_rules_says_why() {
        let f = Filter {
            kind: FilterKind::Topic,
            text: "a/#/b".into(),
        };
        assert!(f.error().is_some());
    }

    #[test]
    fn lines_let_go_by_the_history_leave_the_matches() {
        let mut s = session(&[]);
        s.history.set_limits(2, usize::MAX);
        let mut m = filter(FilterKind::Topic, "a");
        for i in 0..5 {
            s.apply(
                Event::Messages(vec![Received::example("a", &i.to_string())]),
                Instant::now(),
            );
            m.update(&s);
        }
        assert_eq!(m.len(), 2);
    }
}
