//! The points of one topic's series on a chart, read from its kept messages:
//! one row per message holding a number for at least one series. Built once,
//! then brought up to date with the messages that arrive (only those are
//! read), never per frame.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use egui_plot::PlotPoint;

use crate::model::NodeId;
use crate::model::history::{Entry, TopicHistory};
use crate::payload::Format;
use crate::payload::formats::Context;
use crate::payload::numbers::{self, Kind};

/// What the points are built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The topic.
    pub topic: NodeId,
    /// The format payloads are read in (JSON, or a decoder).
    pub format: Format,
    /// One per series: a path inside the payload, or `None` for the payload as a number.
    pub series: Vec<Option<String>>,
    /// Only messages after this one (the chart was cleared then).
    pub after: Option<u64>,
    /// Only messages up to this one (the chart is paused).
    pub until: Option<u64>,
}

/// One message's numbers, a value (or none) per series.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The message's place in the history.
    pub seq: u64,
    /// When it was received, in milliseconds since 1970.
    pub epoch_ms: i64,
    /// A value per series.
    pub values: Vec<Option<f64>>,
}

/// The rows and points of a plan.
pub struct Points {
    plan: Plan,
    /// The newest message looked at.
    last_seq: Option<u64>,
    /// Oldest first.
    pub rows: Vec<Row>,
    /// Per series: its points (seconds since 1970, value) in time order, as runs split where
    /// the topic went quiet (see [`super::lines::runs`]).
    pub runs: Vec<Vec<Vec<PlotPoint>>>,
    /// Per series: what its numbers were read from (booleans win, so the legend can say so).
    pub kinds: Vec<Kind>,
}

/// The name of a series: its path, or `value` for the payload as a number.
pub fn name(source: Option<&str>) -> &str {
    source.unwrap_or("value")
}

/// The format numbers are read in when the payload is viewed as `view`: JSON for the plain
/// views, the decoder itself otherwise.
pub fn read_format(view: Format) -> Format {
    if view.has_value() { view } else { Format::JSON }
}

/// The value of a payload no larger than [`numbers::MAX_BYTES`], decoded in `format`.
pub fn decode(payload: &Bytes, format: Format) -> Option<serde_json::Value> {
    if payload.len() > numbers::MAX_BYTES {
        return None;
    }
    format.decode(payload.clone(), &Context::none()).into_value()
}

impl Points {
    /// No points yet for `plan` (its topic has no kept messages).
    pub fn new(plan: Plan) -> Self {
        Points {
            kinds: vec![Kind::Number; plan.series.len()],
            plan,
            last_seq: None,
            rows: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Read the messages of `history` that `plan` asks for.
    #[cfg(test)]
    pub fn build(plan: Plan, history: &TopicHistory) -> Self {
        let mut points = Points::new(plan);
        points.update(history);
        points
    }

    /// Whether these points are of `plan`.
    pub fn is_of(&self, plan: &Plan) -> bool {
        self.plan == *plan
    }

    /// Read the messages that arrived since the last look, and let go of rows whose messages
    /// are no longer kept (unless paused). Returns whether anything changed.
    pub fn update(&mut self, history: &TopicHistory) -> bool {
        let entries = history.entries();
        let newest = entries.back().map(|e| e.seq);
        let mut changed = false;
        if newest != self.last_seq {
            // Entries are in `seq` order: skip what was read already.
            let start = entries.partition_point(|e| self.last_seq.is_some_and(|last| e.seq <= last));
            let plan = &self.plan;
            for entry in entries.range(start..) {
                if plan.until.is_some_and(|until| entry.seq > until) {
                    break;
                }
                self.last_seq = Some(entry.seq);
                if plan.after.is_some_and(|after| entry.seq <= after) {
                    continue;
                }
                if let Some(row) = read_row(plan, entry, &mut self.kinds) {
                    self.rows.push(row);
                    changed = true;
                }
            }
        }
        if self.plan.until.is_none()
            && let Some(oldest) = entries.front()
        {
            let gone = self.rows.partition_point(|r| r.seq < oldest.seq);
            if gone > 0 {
                self.rows.drain(..gone);
                changed = true;
            }
        }
        if changed || self.runs.len() != self.plan.series.len() {
            self.runs = (0..self.plan.series.len())
                .map(|i| {
                    super::lines::runs(
                        self.rows
                            .iter()
                            .filter_map(|row| {
                                let value = (*row.values.get(i)?)?;
                                Some(PlotPoint::new(row.epoch_ms as f64 / 1000.0, value))
                            })
                            .collect(),
                    )
                })
                .collect();
        }
        changed
    }
}

/// A message's numbers, if it has any for the plan's series.
fn read_row(plan: &Plan, entry: &Entry, kinds: &mut [Kind]) -> Option<Row> {
    let payload = &entry.message.payload;
    // Decoded once for all series, and only when a series needs it.
    let plain = numbers::read(payload);
    let needs_root = plan.series.iter().any(|s| s.is_some() || plain.is_none());
    let root = if needs_root { decode(payload, plan.format) } else { None };
    let mut values = Vec::with_capacity(plan.series.len());
    for (i, source) in plan.series.iter().enumerate() {
        let reading = match source {
            None => plain.or_else(|| root.as_ref().and_then(numbers::read_value)),
            Some(path) => root
                .as_ref()
                .and_then(|r| numbers::at_path(r, path))
                .and_then(numbers::read_value),
        };
        if let (Some(reading), Some(kind)) = (reading, kinds.get_mut(i)) {
            *kind = (*kind).max(reading.kind);
        }
        values.push(reading.map(|r| r.value));
    }
    values.iter().any(Option::is_some).then(|| Row {
        seq: entry.seq,
        epoch_ms: epoch_ms(entry.message.received_at),
        values,
    })
}

fn epoch_ms(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A message of `payload` received `at_ms` after the epoch, for the chart's tests.
#[cfg(test)]
pub(super) fn message(payload: &str, at_ms: u64) -> crate::model::Message {
    let mut message = crate::model::Message::new(payload.as_bytes().to_vec());
    message.received_at = UNIX_EPOCH + std::time::Duration::from_millis(at_ms);
    message
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::model::Message;
    use crate::model::history::History;

    fn topic() -> NodeId {
        NodeId::from_index(7)
    }

    fn plan(series: &[Option<&str>]) -> Plan {
        Plan {
            topic: topic(),
            format: Format::JSON,
            series: series.iter().map(|s| s.map(str::to_owned)).collect(),
            after: None,
            until: None,
        }
    }

    #[test]
    fn several_series_from_one_read_of_each_message() {
        let id = topic();
        let mut history = History::new(100, 1 << 20);
        history.push(id, message(r#"{"ENERGY":{"Power":12,"Voltage":230}}"#, 1_000));
        history.push(id, message(r#"{"ENERGY":{"Power":15}}"#, 2_000));
        history.push(id, message(r#"{"other":1}"#, 3_000));
        let Some(topic) = history.topic(id) else { panic!("kept") };
        let points = Points::build(plan(&[Some("ENERGY.Power"), Some("ENERGY.Voltage")]), topic);
        let values: Vec<_> = points.rows.iter().map(|r| (r.epoch_ms, r.values.clone())).collect();
        assert_eq!(
            values,
            [(1_000, vec![Some(12.0), Some(230.0)]), (2_000, vec![Some(15.0), None])]
        );
        assert_eq!(points.runs[0], [[PlotPoint::new(1.0, 12.0), PlotPoint::new(2.0, 15.0)]]);
        assert_eq!(points.runs[1].concat().len(), 1);
    }

    #[test]
    fn new_messages_are_added_and_dropped_ones_let_go() {
        let id = topic();
        let mut history = History::new(3, 1 << 20);
        history.push(id, message("1", 1_000));
        history.push(id, message("ON", 2_000));
        let mut points = Points::build(plan(&[None]), history.topic(id).expect("kept"));
        assert_eq!(points.rows.len(), 2);
        assert_eq!(points.kinds, [Kind::OnOff], "the legend says how ON was counted");
        assert!(!points.update(history.topic(id).expect("kept")), "nothing new");
        for (i, value) in ["3", "kitchen", "5 °C"].iter().enumerate() {
            history.push(id, message(value, 3_000 + i as u64 * 1000));
        }
        assert!(points.update(history.topic(id).expect("kept")));
        // Three kept ("3", "kitchen", "5 °C"); "kitchen" is no number.
        let values: Vec<_> = points.rows.iter().map(|r| r.values[0]).collect();
        assert_eq!(values, [Some(3.0), Some(5.0)]);
    }

    #[test]
    fn cleared_and_paused_plans_keep_to_their_messages() {
        let id = topic();
        let mut history = History::new(100, 1 << 20);
        for (i, value) in ["1", "2", "3", "4"].iter().enumerate() {
            history.push(id, message(value, i as u64 * 1000));
        }
        let seqs: Vec<u64> = history
            .topic(id)
            .expect("kept")
            .entries()
            .iter()
            .map(|e| e.seq)
            .collect();
        let mut cleared = plan(&[None]);
        cleared.after = Some(seqs[1]);
        cleared.until = Some(seqs[2]);
        let mut points = Points::build(cleared, history.topic(id).expect("kept"));
        history.push(id, message("5", 9_000));
        points.update(history.topic(id).expect("kept"));
        let values: Vec<_> = points.rows.iter().map(|r| r.values[0]).collect();
        assert_eq!(values, [Some(3.0)], "after the clear, up to the pause");
    }

    #[test]
    fn decoded_payloads_are_read_through_their_format() {
        let id = topic();
        let mut history = History::new(100, 1 << 20);
        let packed = rmp_serde::to_vec_named(&serde_json::json!({"t": 21.5})).expect("msgpack");
        history.push(id, Message::new(packed));
        let mut msgpack = plan(&[Some("t")]);
        msgpack.format = Format::MSGPACK;
        let points = Points::build(msgpack, history.topic(id).expect("kept"));
        assert_eq!(points.rows.first().map(|r| r.values.clone()), Some(vec![Some(21.5)]));
        assert!(
            Points::build(plan(&[Some("t")]), history.topic(id).expect("kept"))
                .rows
                .is_empty()
        );
    }
}
