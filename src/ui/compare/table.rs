//! The data of a comparison table, built in one pass and then drawn: one row
//! per topic, a column per JSON field (the union of every topic's fields,
//! nested ones by path) or the raw value, which cells differ from most of
//! their column, and the row order of a sort.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use super::fields::Fields;
use crate::model::tree::natural_cmp;
use crate::model::{NodeId, Tree};
use crate::payload::text;

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
}

/// What a column shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnKey {
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
        // Topics whose payload has no field shown show it whole, in a Value column first.
        let raw: Vec<bool> = fields_of
            .iter()
            .map(|fields| !fields.iter().any(|(name, _)| index.contains_key(name)))
            .collect();
        let value_column = raw.iter().any(|&r| r);
        let mut columns = Vec::with_capacity(names.len() + 1);
        if value_column {
            columns.push(ColumnKey::Value);
        }
        columns.extend(names.into_iter().map(ColumnKey::Field));
        let offset = usize::from(value_column);
        let mut rows: Vec<Row> = inputs
            .into_iter()
            .zip(fields_of)
            .zip(raw)
            .map(|((input, fields), raw)| {
                let mut cells = vec![None; columns.len()];
                if raw {
                    cells[0] = Some(text::preview(&input.payload, VALUE_CHARS));
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
        let columns = columns
            .into_iter()
            .enumerate()
            .map(|(i, key)| {
                // A JSON topic has no raw value, and a topic shown whole has no fields: neither
                // is a difference, only a JSON topic without a field others have.
                let counted: Vec<bool> = rows.iter().map(|r| r.raw == (key == ColumnKey::Value)).collect();
                let cells: Vec<Option<&str>> = rows.iter().map(|r| r.cells[i].as_deref()).collect();
                let found = differences(&cells, &counted);
                let name = match &key {
                    ColumnKey::Value => "Value".to_owned(),
                    ColumnKey::Field(name) => name.clone(),
                };
                let widest = cells.iter().flatten().map(|c| c.chars().count()).max().unwrap_or(1);
                let chars = widest.max(name.chars().count() + 2).min(WIDEST_CHARS);
                (key, name, found, chars)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .enumerate()
            .map(|(i, (key, name, found, chars))| {
                for (row, differs) in rows.iter_mut().zip(found.differs) {
                    row.differs[i] = differs;
                }
                Column {
                    key,
                    name,
                    common: found.common,
                    uniform: found.uniform,
                    chars,
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
        order.sort_by(|&a, &b| {
            let (a, b) = (&rows[a], &rows[b]);
            match column {
                None if sort.descending => natural_cmp(&b.name, &a.name),
                None => natural_cmp(&a.name, &b.name),
                Some(i) => compare_cells(a.cells[i].as_deref(), b.cells[i].as_deref(), sort.descending),
            }
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

/// What stands out in one column.
#[derive(Debug, PartialEq)]
pub struct Differences {
    /// The value most cells hold (`Some(None)`: most lack the field), when one value is more
    /// common than every other.
    pub common: Option<Option<String>>,
    /// Whether all counted cells hold the same value (two or more of them).
    pub uniform: bool,
    /// Per cell, whether it differs from the most common value.
    pub differs: Vec<bool>,
}

/// Find the cells of a column that differ from most, among the cells `counted`; a counted
/// missing cell is a value of its own (so it stands out when most have the field).
pub fn differences(cells: &[Option<&str>], counted: &[bool]) -> Differences {
    let mut counts: HashMap<Option<&str>, usize> = HashMap::new();
    for (&cell, _) in cells.iter().zip(counted).filter(|(_, c)| **c) {
        *counts.entry(cell).or_default() += 1;
    }
    let top = counts.values().copied().max().unwrap_or(0);
    let mut leaders = counts.iter().filter(|&(_, &n)| n == top).map(|(v, _)| *v);
    let common = match (leaders.next(), leaders.next()) {
        (Some(value), None) => Some(value),
        _ => None,
    };
    let total: usize = counts.values().sum();
    let differs = match outliers(cells, counted, top, total) {
        Some(far) => far,
        None => cells
            .iter()
            .zip(counted)
            .map(|(&cell, &counted)| counted && common.is_some_and(|c| c != cell))
            .collect(),
    };
    Differences {
        common: common.map(|c| c.map(str::to_owned)),
        uniform: counts.len() == 1 && total >= 2,
        differs,
    }
}

/// For a column of numbers where no value is held by more than half the cells (battery levels,
/// temperatures), the cells far from the rest: more than three scaled median absolute deviations
/// from the median (or, when most are equal, any other value), and counted cells that lack the
/// field. `None` when the column is not such a column.
fn outliers(cells: &[Option<&str>], counted: &[bool], top: usize, total: usize) -> Option<Vec<bool>> {
    if top * 2 > total {
        return None;
    }
    let present: Vec<f64> = cells
        .iter()
        .zip(counted)
        .filter(|(_, c)| **c)
        .filter_map(|(cell, _)| *cell)
        .map(|text| text.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
        .collect::<Option<_>>()?;
    if present.len() < 3 {
        return None;
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        if values.len().is_multiple_of(2) {
            (values[mid - 1] + values[mid]) / 2.0
        } else {
            values[mid]
        }
    };
    let center = median(&mut present.clone());
    let spread = 1.4826 * median(&mut present.iter().map(|v| (v - center).abs()).collect());
    let far = |value: f64| {
        if spread > 0.0 {
            (value - center).abs() > 3.0 * spread
        } else {
            value != center
        }
    };
    let most_have_it = present.len() * 2 > total;
    Some(
        cells
            .iter()
            .zip(counted)
            .map(|(cell, &counted)| {
                counted
                    && match cell {
                        Some(text) => text.trim().parse::<f64>().is_ok_and(far),
                        None => most_have_it,
                    }
            })
            .collect(),
    )
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
