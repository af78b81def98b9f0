//! The data of a comparison table, built in one pass and then drawn: one row
//! per topic, when its message was received, a column per JSON field (the
//! union of every topic's fields, nested ones by path) or the raw value, which
//! columns hold times, which cells differ from most of their column, and the
//! row order of a sort.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::time::SystemTime;

use super::fields::Fields;
use super::odd::{differences, time_differences};
use super::times;
use crate::model::tree::natural_cmp;
use crate::model::{NodeId, Tree};
use crate::payload::text;
use crate::ui::text::format_time;

/// Topics compared at most.
pub const MAX_TOPICS: usize = 500;
/// Field columns at most.
pub const MAX_COLUMNS: usize = 64;
/// Characters of a field's value kept for its cell.
const CELL_CHARS: usize = 40;
/// Characters of a raw payload kept for its cell.
const VALUE_CHARS: usize = 60;
/// A column is drawn at most this many characters wide (longer values are cut with `…`).
const WIDEST_CHARS: usize = 40;
/// The widest age a time column shows ("59 min ago").
const AGE_CHARS: usize = 10;

/// One topic to compare, as read from the tree.
pub struct Input {
    /// The topic's node.
    pub id: NodeId,
    /// The name shown in the Topic column.
    pub name: String,
    /// Whether its latest message was retained.
    pub retained: bool,
    /// Its latest payload.
    pub payload: bytes::Bytes,
    /// When its latest message arrived.
    pub received_at: SystemTime,
}

/// What a column shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKey {
    /// When each topic's latest message arrived.
    Received,
    /// The whole payload, for topics whose payload is not JSON with fields.
    Value,
    /// A JSON field, by path (`update.state`, `sensors.0.value`).
    Field(String),
}

/// A column of the table.
pub struct Column {
    /// What it shows.
    pub key: ColumnKey,
    /// Its header.
    pub name: String,
    /// The value most topics have, when one is more common than any other (`None` inside
    /// stands for "the field is missing").
    pub common: Option<Option<String>>,
    /// Whether every topic has the same value in it.
    pub uniform: bool,
    /// The widest cell or header, in characters.
    pub chars: usize,
    /// For a column of times, each row's time and the median one.
    pub times: Option<Times>,
}

/// The times of a column that holds them, shown as ages.
pub struct Times {
    /// Per row (as given), the time its cell stands for.
    pub at: Vec<Option<SystemTime>>,
    /// The median time of the column.
    pub median: Option<SystemTime>,
}

/// One compared topic.
pub struct Row {
    /// The topic's node.
    pub id: NodeId,
    /// The name shown.
    pub name: String,
    /// Whether its latest message was retained.
    pub retained: bool,
    /// Whether its payload is shown whole (it has no field shown): its field cells are then
    /// blank rather than missing.
    pub raw: bool,
    /// A cell per column; `None` where the topic lacks the field.
    pub cells: Vec<Option<String>>,
    /// Per column, whether the cell differs from most of the column.
    pub differs: Vec<bool>,
}

impl Row {
    /// Whether the row has a say in the column `key`: every row in Received; a topic shown
    /// whole only in Value, and a JSON topic only in its fields (its other cells are blank,
    /// not missing).
    pub fn counts_in(&self, key: &ColumnKey) -> bool {
        match key {
            ColumnKey::Received => true,
            ColumnKey::Value => self.raw,
            ColumnKey::Field(_) => !self.raw,
        }
    }
}

/// A column to sort by, and which way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sort {
    /// `None` sorts by topic name.
    pub column: Option<ColumnKey>,
    /// Largest first.
    pub descending: bool,
}

/// The whole table.
#[derive(Default)]
pub struct Table {
    /// The columns after Topic.
    pub columns: Vec<Column>,
    /// The rows, in the order given.
    pub rows: Vec<Row>,
    /// Fields beyond [`MAX_COLUMNS`], not shown.
    pub more_columns: usize,
    /// The longest topic name shown, in characters.
    pub topic_chars: usize,
}

impl Table {
    /// Build the table of `inputs`, in their order.
    #[cfg(test)]
    pub fn new(inputs: Vec<Input>) -> Self {
        Self::build(inputs, &mut Fields::default())
    }

    /// Build the table of `inputs`, in their order, reading each payload's fields unless
    /// `known` has them from an earlier build.
    pub fn build(inputs: Vec<Input>, known: &mut Fields) -> Self {
        known.keep_only(&inputs);
        let mut fields_of = Vec::with_capacity(inputs.len());
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut beyond: HashSet<String> = HashSet::new();
        for input in &inputs {
            let fields = known.of(input);
            for (name, _) in &fields {
                if index.contains_key(name) {
                    continue;
                }
                if names.len() < MAX_COLUMNS {
                    index.insert(name.clone(), names.len());
                    names.push(name.clone());
                } else {
                    beyond.insert(name.clone());
                }
            }
            fields_of.push(fields);
        }
        // Topics whose payload has no field shown show it whole, in a Value column after
        // Received.
        let raw: Vec<bool> = fields_of
            .iter()
            .map(|fields| !fields.iter().any(|(name, _)| index.contains_key(name)))
            .collect();
        let mut columns = vec![ColumnKey::Received];
        if raw.iter().any(|&r| r) {
            columns.push(ColumnKey::Value);
        }
        let offset = columns.len();
        columns.extend(names.into_iter().map(ColumnKey::Field));
        let mut received = Vec::with_capacity(inputs.len());
        let mut rows: Vec<Row> = inputs
            .into_iter()
            .zip(fields_of)
            .zip(raw)
            .map(|((input, fields), raw)| {
                let mut cells = vec![None; columns.len()];
                cells[0] = Some(format_time(input.received_at));
                received.push(Some(input.received_at));
                if raw {
                    cells[1] = Some(text::preview(&input.payload, VALUE_CHARS));
                }
                for (name, value) in fields {
                    if let Some(&i) = index.get(&name)
                        && let Some(cell) = cells.get_mut(i + offset)
                        && cell.is_none()
                    {
                        *cell = Some(cut(&value, CELL_CHARS));
                    }
                }
                Row {
                    id: input.id,
                    name: input.name,
                    retained: input.retained,
                    raw,
                    differs: vec![false; cells.len()],
                    cells,
                }
            })
            .collect();
        let mut received = Some(received);
        let columns = columns
            .into_iter()
            .enumerate()
            .map(|(i, key)| {
                let counted: Vec<bool> = rows.iter().map(|r| r.counts_in(&key)).collect();
                let cells: Vec<Option<&str>> = rows.iter().map(|r| r.cells[i].as_deref()).collect();
                let at = match &key {
                    ColumnKey::Received => received.take(),
                    ColumnKey::Value => times_of(&cells, &counted, false),
                    ColumnKey::Field(name) => times_of(&cells, &counted, times::is_time_name(name)),
                };
                let name = match &key {
                    ColumnKey::Received => "Received".to_owned(),
                    ColumnKey::Value => "Value".to_owned(),
                    ColumnKey::Field(name) => name.clone(),
                };
                let header_chars = name.chars().count() + 2;
                let (found, times, chars) = match at {
                    Some(at) => {
                        let secs: Vec<Option<f64>> = at.iter().map(|t| t.map(times::epoch_secs)).collect();
                        let (found, median) = time_differences(&secs, &counted);
                        let median = median.map(times::from_epoch_secs);
                        (found, Some(Times { at, median }), AGE_CHARS.max(header_chars))
                    }
                    None => {
                        let widest = cells.iter().flatten().map(|c| c.chars().count()).max().unwrap_or(1);
                        (differences(&cells, &counted), None, widest.max(header_chars))
                    }
                };
                (key, name, found, times, chars.min(WIDEST_CHARS))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .enumerate()
            .map(|(i, (key, name, found, times, chars))| {
                for (row, differs) in rows.iter_mut().zip(found.differs) {
                    row.differs[i] = differs;
                }
                Column {
                    key,
                    name,
                    common: found.common,
                    uniform: found.uniform,
                    chars,
                    times,
                }
            })
            .collect();
        let topic_chars = rows.iter().map(|r| r.name.chars().count() + 4).max().unwrap_or(5);
        Self {
            columns,
            rows,
            more_columns: beyond.len(),
            topic_chars,
        }
    }

    /// The rows' order under `sort` (`None`: as given): numbers by value, text naturally,
    /// missing cells last either way.
    pub fn order(&self, sort: Option<&Sort>) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        let Some(sort) = sort else { return order };
        let column = match &sort.column {
            None => None,
            Some(key) => match self.columns.iter().position(|c| &c.key == key) {
                Some(i) => Some(i),
                None => return order,
            },
        };
        let rows = &self.rows;
        let times = column.and_then(|i| self.columns[i].times.as_ref());
        order.sort_by(|&a, &b| match (column, times) {
            // Times sort by age, as they are shown: the youngest first when ascending.
            (_, Some(times)) => compare_ages(times.at[a], times.at[b], sort.descending),
            (Some(i), None) => compare_cells(
                rows[a].cells[i].as_deref(),
                rows[b].cells[i].as_deref(),
                sort.descending,
            ),
            (None, _) if sort.descending => natural_cmp(&rows[b].name, &rows[a].name),
            (None, _) => natural_cmp(&rows[a].name, &rows[b].name),
        });
        order
    }
}

/// Compare two cells for sorting: numbers by value and before text, text naturally, and a
/// missing cell last whichever the direction.
pub fn compare_cells(a: Option<&str>, b: Option<&str>, descending: bool) -> Ordering {
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Greater,
        (Some(_), None) => return Ordering::Less,
        (Some(a), Some(b)) => (a, b),
    };
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    let ascending = match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => natural_cmp(a, b),
    };
    if descending { ascending.reverse() } else { ascending }
}

/// Compare two times for sorting by age: the youngest first unless `descending`, a missing time
/// last whichever the direction.
fn compare_ages(a: Option<SystemTime>, b: Option<SystemTime>, descending: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) if descending => a.cmp(&b),
        (Some(a), Some(b)) => b.cmp(&a),
    }
}

/// Each cell's time, when the column holds times: every counted cell with a value reads as one
/// (and there is one); numbers only when `numbers` (the field's name says it holds a time).
fn times_of(cells: &[Option<&str>], counted: &[bool], numbers: bool) -> Option<Vec<Option<SystemTime>>> {
    let mut any = false;
    let mut at = Vec::with_capacity(cells.len());
    for (cell, &counted) in cells.iter().zip(counted) {
        match cell {
            Some(text) if counted => {
                at.push(Some(times::parse(text, numbers)?));
                any = true;
            }
            _ => at.push(None),
        }
    }
    any.then_some(at)
}

/// The topics below `branch` that hold a message, depth first in name order as the tree shows
/// them, at most [`MAX_TOPICS`]; with the count of those left out (counted by the tree, so a
/// branch of 100,000 topics is not walked past the first ones).
pub fn below(tree: &Tree, branch: NodeId, retained_only: bool) -> (Vec<Input>, usize) {
    let prefix_len = if branch == NodeId::ROOT {
        0
    } else {
        tree.topic(branch).len() + 1
    };
    let total = tree.get(branch).map_or(0, |n| {
        let (all, own) = if retained_only {
            (n.subtree_retained(), n.is_retained())
        } else {
            (n.subtree_topics(), n.latest().is_some())
        };
        all.saturating_sub(u32::from(own)) as usize
    });
    let mut inputs = Vec::new();
    let by_name = |a: &NodeId, b: &NodeId| {
        let name = |id| tree.get(id).map_or("", |n| n.name());
        natural_cmp(name(*b), name(*a))
    };
    let mut stack: Vec<NodeId> = tree.get(branch).map(|n| n.children().to_vec()).unwrap_or_default();
    stack.sort_by(by_name);
    while let Some(id) = stack.pop() {
        if inputs.len() >= MAX_TOPICS {
            break;
        }
        let Some(node) = tree.get(id) else { continue };
        if let Some(latest) = node.latest()
            && (node.is_retained() || !retained_only)
        {
            let topic = tree.topic(id);
            inputs.push(Input {
                id,
                name: topic.get(prefix_len..).unwrap_or(&topic).to_owned(),
                retained: node.is_retained(),
                payload: latest.payload.clone(),
                received_at: latest.received_at,
            });
        }
        let mut children = node.children().to_vec();
        children.sort_by(by_name);
        stack.extend(children);
    }
    let more = total.saturating_sub(inputs.len());
    (inputs, more)
}

/// `text` cut to `chars` characters, with `…` when cut.
fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests;
