//! What the user charts on a topic's chart: its series (numbers of this
//! topic's payloads, or of another topic's, to compare), their colours, pause
//! and clear, and whether the series are normalised.

use eframe::egui::Color32;

use crate::model::NodeId;
use crate::payload::Format;

/// How many series colours there are ([`crate::ui::theme::series_color`]), in the order
/// series are added.
pub const COLORS: usize = crate::ui::theme::SERIES_COLORS;

/// The topic a series of another topic reads, as it was when the series was added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Other {
    /// Its full name, for the series' label.
    pub name: String,
    /// The format its payloads are read in (detected from its latest message).
    pub format: Format,
}

/// One charted series: a number in a topic's payloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// The topic whose payloads hold the number.
    pub topic: NodeId,
    /// Set when that is another topic than the chart's; the chart's own topic is read in the
    /// format it is viewed in.
    pub other: Option<Other>,
    /// A path inside the payload; `None`: the payload as a number.
    pub source: Option<String>,
    /// Which of the [`COLORS`] series colours it is drawn in, kept when other series come and go.
    pub color: usize,
}

impl Series {
    /// What the series is called in the legend and the CSV header: its path (or `value`), after
    /// its topic when that is another one (`room2/temp · temperature`, or `room2/temp`).
    pub fn label(&self) -> String {
        let path = super::points::name(self.source.as_deref());
        match (&self.other, &self.source) {
            (Some(other), Some(_)) => format!("{} · {path}", other.name),
            (Some(other), None) => other.name.clone(),
            (None, _) => path.to_owned(),
        }
    }

    /// The series' colour in `ui`'s theme.
    pub fn color(&self, ui: &eframe::egui::Ui) -> Color32 {
        crate::ui::theme::series_color(ui, self.color)
    }
}

/// What the user chose for one topic's chart, kept for the session.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    /// The series, in the order added.
    pub series: Vec<Series>,
    /// Paused after this message: later ones are not charted until resumed.
    pub paused_at: Option<u64>,
    /// Cleared after this message: only later ones are charted.
    pub cleared_at: Option<u64>,
    /// Whether the user asked for the series normalised (`None`: not asked).
    pub normalised: Option<bool>,
    /// Whether the series are normalised when the user has not said: decided once they have
    /// points, again when the series change.
    pub auto_normalised: Option<bool>,
}

impl Choice {
    /// Chart `source` of `topic` (`other` says which topic it is when it is not the chart's own),
    /// in the first colour no series has; nothing when it is charted already.
    pub fn add(&mut self, topic: NodeId, other: Option<Other>, source: Option<String>) {
        if self.series.iter().any(|s| s.topic == topic && s.source == source) {
            return;
        }
        let color = (0..COLORS)
            .find(|c| !self.series.iter().any(|s| s.color == *c))
            .unwrap_or(self.series.len() % COLORS);
        self.series.push(Series {
            topic,
            other,
            source,
            color,
        });
        self.auto_normalised = None;
    }

    /// Take the series at `index` off the chart.
    pub fn remove(&mut self, index: usize) {
        if index < self.series.len() {
            self.series.remove(index);
            self.auto_normalised = None;
        }
    }

    /// Whether `source` of `topic` is charted.
    pub fn has(&self, topic: NodeId, source: Option<&str>) -> bool {
        self.series
            .iter()
            .any(|s| s.topic == topic && s.source.as_deref() == source)
    }

    /// Whether the series are shown normalised: as the user chose, else as decided for them.
    pub fn is_normalised(&self) -> bool {
        self.normalised.or(self.auto_normalised).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(index: usize) -> NodeId {
        NodeId::from_index(index)
    }

    #[test]
    fn series_keep_their_colours_and_are_not_added_twice() {
        let mut choice = Choice::default();
        choice.add(own(1), None, None);
        choice.add(own(1), None, Some("a".to_owned()));
        choice.add(own(1), None, Some("a".to_owned()));
        choice.add(own(1), None, Some("b".to_owned()));
        choice.remove(1);
        choice.add(own(1), None, Some("c".to_owned()));
        let colours: Vec<(Option<&str>, usize)> =
            choice.series.iter().map(|s| (s.source.as_deref(), s.color)).collect();
        assert_eq!(colours, [(None, 0), (Some("b"), 2), (Some("c"), 1)]);
    }

    #[test]
    fn the_same_path_of_two_topics_makes_two_series_labelled_by_topic() {
        let mut choice = Choice::default();
        choice.add(own(1), None, Some("temperature".to_owned()));
        let room2 = Other {
            name: "room2/temp".to_owned(),
            format: Format::JSON,
        };
        choice.add(own(2), Some(room2.clone()), Some("temperature".to_owned()));
        choice.add(
            own(3),
            Some(Other {
                name: "outside".to_owned(),
                ..room2
            }),
            None,
        );
        let labels: Vec<String> = choice.series.iter().map(Series::label).collect();
        assert_eq!(labels, ["temperature", "room2/temp · temperature", "outside"]);
        assert!(choice.has(own(2), Some("temperature")) && !choice.has(own(2), None));
    }

    #[test]
    fn the_users_word_on_normalising_wins_until_the_series_change() {
        let mut choice = Choice {
            auto_normalised: Some(true),
            ..Choice::default()
        };
        assert!(choice.is_normalised());
        choice.normalised = Some(false);
        assert!(!choice.is_normalised());
        choice.add(own(1), None, None);
        assert_eq!(choice.auto_normalised, None, "decided again for the new series");
    }
}
