//! Every series of a chart, whatever topic each reads: the series grouped by
//! topic (each topic's kept messages read once for all its series), and what
//! the legend, the plot and the CSV export ask of them.

use egui_plot::PlotPoint;

use super::choice::Series;
use super::points::{Plan, Points, Row};
use crate::model::NodeId;
use crate::model::history::TopicHistory;
use crate::payload::Format;
use crate::payload::numbers::Kind;

/// The points of a chart's series.
#[derive(Default)]
pub struct Charted {
    /// One per topic the series read, in the order their first series was added.
    groups: Vec<Points>,
    /// Per series: its group and its column in that group's rows.
    columns: Vec<(usize, usize)>,
}

/// What the points are built from: the series, the topic charted (`own`, read in
/// `own_format`), and the messages taken (after `after`, up to `until`).
pub struct Wanted<'a> {
    /// The series, in the order shown.
    pub series: &'a [Series],
    /// The chart's own topic.
    pub own: NodeId,
    /// The format the own topic's numbers are read in.
    pub own_format: Format,
    /// Only messages after this one (the chart was cleared then).
    pub after: Option<u64>,
    /// Only messages up to this one (the chart is paused).
    pub until: Option<u64>,
}

impl Charted {
    /// Bring the points up to `wanted`: a topic whose plan did not change only reads its new
    /// messages; `history` gives each topic's kept messages.
    pub fn update<'h>(&mut self, wanted: &Wanted<'_>, history: impl Fn(NodeId) -> Option<&'h TopicHistory>) {
        let (plans, columns) = plans(wanted);
        let mut old = std::mem::take(&mut self.groups);
        self.groups = plans
            .into_iter()
            .map(|plan| {
                let kept = old.iter().position(|p| p.is_of(&plan)).map(|i| old.swap_remove(i));
                match (kept, history(plan.topic)) {
                    (Some(mut points), Some(history)) => {
                        points.update(history);
                        points
                    }
                    (None, Some(history)) => {
                        let mut points = Points::new(plan);
                        points.update(history);
                        points
                    }
                    // A topic no longer kept (its retained message was cleared) has no points.
                    (_, None) => Points::new(plan),
                }
            })
            .collect();
        self.columns = columns;
    }

    /// How many messages are charted (of all topics).
    pub fn row_count(&self) -> usize {
        self.groups.iter().map(|g| g.rows.len()).sum()
    }

    /// Series `index`'s runs of points, in time order.
    pub fn runs(&self, index: usize) -> &[Vec<PlotPoint>] {
        self.column(index)
            .and_then(|(group, column)| group.runs.get(column))
            .map_or(&[], Vec::as_slice)
    }

    /// What series `index`'s numbers were read from.
    pub fn kind(&self, index: usize) -> Kind {
        self.column(index)
            .and_then(|(group, column)| group.kinds.get(column).copied())
            .unwrap_or(Kind::Number)
    }

    /// Series `index`'s newest point.
    pub fn last(&self, index: usize) -> Option<PlotPoint> {
        self.runs(index).last().and_then(|run| run.last()).copied()
    }

    /// Series `index`'s point closest in time to `x` (seconds since 1970).
    pub fn nearest(&self, index: usize, x: f64) -> Option<PlotPoint> {
        self.runs(index)
            .iter()
            .filter_map(|run| {
                let after = run.partition_point(|p| p.x < x);
                let candidates = [after.checked_sub(1), Some(after)];
                candidates
                    .into_iter()
                    .flatten()
                    .filter_map(|i| run.get(i))
                    .min_by(|a, b| (a.x - x).abs().total_cmp(&(b.x - x).abs()))
            })
            .min_by(|a, b| (a.x - x).abs().total_cmp(&(b.x - x).abs()))
            .copied()
    }

    /// Series `index`'s lowest and highest values.
    pub fn range(&self, index: usize) -> Option<(f64, f64)> {
        self.runs(index).iter().flatten().fold(None, |range, p| {
            Some(range.map_or((p.y, p.y), |(lo, hi): (f64, f64)| (lo.min(p.y), hi.max(p.y))))
        })
    }

    /// Every charted message of every topic as one row, oldest first, with a value per series
    /// (none for the series of other topics): the table a CSV export writes.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::with_capacity(self.row_count());
        for (group_index, group) in self.groups.iter().enumerate() {
            for row in &group.rows {
                let values = self
                    .columns
                    .iter()
                    .map(|&(g, column)| {
                        if g == group_index {
                            row.values.get(column).copied().flatten()
                        } else {
                            None
                        }
                    })
                    .collect();
                rows.push(Row {
                    seq: row.seq,
                    epoch_ms: row.epoch_ms,
                    values,
                });
            }
        }
        // Time first; the order of arrival for messages of the same millisecond.
        rows.sort_by_key(|r| (r.epoch_ms, r.seq));
        rows
    }

    fn column(&self, index: usize) -> Option<(&Points, usize)> {
        let &(group, column) = self.columns.get(index)?;
        Some((self.groups.get(group)?, column))
    }
}

/// A plan per topic the series read, and per series its group and column.
fn plans(wanted: &Wanted<'_>) -> (Vec<Plan>, Vec<(usize, usize)>) {
    let mut plans: Vec<Plan> = Vec::new();
    let mut columns = Vec::with_capacity(wanted.series.len());
    for series in wanted.series {
        // The own topic, added from the tree's menu, is read as it is viewed too.
        let format = match &series.other {
            Some(other) if series.topic != wanted.own => other.format,
            _ => wanted.own_format,
        };
        let group = match plans.iter().position(|p| p.topic == series.topic) {
            Some(group) => group,
            None => {
                plans.push(Plan {
                    topic: series.topic,
                    format,
                    series: Vec::new(),
                    after: wanted.after,
                    until: wanted.until,
                });
                plans.len() - 1
            }
        };
        if let Some(plan) = plans.get_mut(group) {
            columns.push((group, plan.series.len()));
            plan.series.push(series.source.clone());
        }
    }
    (plans, columns)
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::model::history::History;
    use crate::ui::chart::choice::{Choice, Other};
    use crate::ui::chart::points::message;

    fn rooms() -> (History, NodeId, NodeId) {
        let (room1, room2) = (NodeId::from_index(1), NodeId::from_index(2));
        let mut history = History::new(100, 1 << 20);
        history.push(room1, message(r#"{"temperature":20.5}"#, 1_000));
        history.push(room2, message(r#"{"temperature":18}"#, 1_500));
        history.push(room1, message(r#"{"temperature":21}"#, 2_000));
        history.push(room2, message(r#"{"temperature":18.5}"#, 2_500));
        (history, room1, room2)
    }

    fn compared(room1: NodeId, room2: NodeId) -> Choice {
        let mut choice = Choice::default();
        choice.add(room1, None, Some("temperature".to_owned()));
        let other = Other {
            name: "room2/temp".to_owned(),
            format: Format::JSON,
        };
        choice.add(room2, Some(other), Some("temperature".to_owned()));
        choice
    }

    fn wanted(choice: &Choice, own: NodeId) -> Wanted<'_> {
        Wanted {
            series: &choice.series,
            own,
            own_format: Format::JSON,
            after: None,
            until: None,
        }
    }

    #[test]
    fn series_of_two_topics_are_read_from_each_topics_history() {
        let (history, room1, room2) = rooms();
        let choice = compared(room1, room2);
        let mut charted = Charted::default();
        charted.update(&wanted(&choice, room1), |id| history.topic(id));
        assert_eq!(charted.row_count(), 4);
        assert_eq!(
            charted.runs(0),
            [[PlotPoint::new(1.0, 20.5), PlotPoint::new(2.0, 21.0)]]
        );
        assert_eq!(
            charted.runs(1),
            [[PlotPoint::new(1.5, 18.0), PlotPoint::new(2.5, 18.5)]]
        );
        assert_eq!(charted.last(1), Some(PlotPoint::new(2.5, 18.5)));
        assert_eq!(charted.nearest(1, 1.9), Some(PlotPoint::new(1.5, 18.0)));
        assert_eq!(charted.range(0), Some((20.5, 21.0)));
    }

    #[test]
    fn the_table_has_a_row_per_message_in_time_order_and_a_column_per_series() {
        let (history, room1, room2) = rooms();
        let choice = compared(room1, room2);
        let mut charted = Charted::default();
        charted.update(&wanted(&choice, room1), |id| history.topic(id));
        let table: Vec<(i64, Vec<Option<f64>>)> = charted.rows().into_iter().map(|r| (r.epoch_ms, r.values)).collect();
        assert_eq!(
            table,
            [
                (1_000, vec![Some(20.5), None]),
                (1_500, vec![None, Some(18.0)]),
                (2_000, vec![Some(21.0), None]),
                (2_500, vec![None, Some(18.5)]),
            ]
        );
    }

    #[test]
    fn a_topic_whose_plan_is_unchanged_is_not_read_again() {
        let (mut history, room1, room2) = rooms();
        let mut choice = compared(room1, room2);
        let mut charted = Charted::default();
        charted.update(&wanted(&choice, room1), |id| history.topic(id));
        history.push(room2, message(r#"{"temperature":19}"#, 3_000));
        choice.add(room1, None, None);
        charted.update(&wanted(&choice, room1), |id| history.topic(id));
        assert_eq!(charted.runs(1).concat().len(), 3, "the new message of room 2 is read");
        assert!(charted.runs(2).is_empty(), "room 1 has no plain value");
        assert_eq!(charted.row_count(), 5);
    }

    #[test]
    fn a_topic_no_longer_kept_has_no_points() {
        let (mut history, room1, room2) = rooms();
        let choice = compared(room1, room2);
        let mut charted = Charted::default();
        charted.update(&wanted(&choice, room1), |id| history.topic(id));
        history.remove_topic(room2);
        charted.update(&wanted(&choice, room1), |id| history.topic(id));
        assert!(charted.runs(1).is_empty());
        assert_eq!(charted.row_count(), 2);
    }
}
