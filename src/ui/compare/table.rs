//! The data of a comparison table, built in one pass and then drawn: one row
//! per topic, a column per JSON field (the union of every topic's fields,
//! nested ones by path) or the raw value, which cells differ from most of
//! their column, and the row order of a sort.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use crate::model::tree::natural_cmp;
use crate::model::{NodeId, Tree};
use crate::payload::{numbers, text};

/// Topics compared at most.
pub const MAX_TOPICS: usize = 500;
/// Field columns at most.
pub const MAX_COLUMNS: usize = 64;
/// Scalars read from one payload at most.
const MAX_SCALARS: usize = 256;
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
    pub fn new(inputs: Vec<Input>) -> Self {
        let mut fields_of = Vec::with_capacity(inputs.len());
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut beyond: HashSet<String> = HashSet::new();
        for input in &inputs {
            let fields = numbers::json_scalars(&input.payload, MAX_SCALARS);
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
mod tests {
    use super::*;

    fn input(i: usize, name: &str, payload: &str) -> Input {
        Input {
            id: NodeId::from_index(i + 1),
            name: name.to_owned(),
            retained: true,
            payload: bytes::Bytes::copy_from_slice(payload.as_bytes()),
        }
    }

    fn example() -> Table {
        Table::new(vec![
            input(
                0,
                "lamp1",
                r#"{"state":"ON","brightness":200,"update":{"state":"idle"}}"#,
            ),
            input(
                1,
                "lamp2",
                r#"{"state":"ON","brightness":20,"update":{"state":"available"}}"#,
            ),
            input(
                2,
                "lamp10",
                r#"{"state":"ON","brightness":3,"update":{"state":"idle"}}"#,
            ),
            input(3, "plug", r#"{"state":"OFF","power":12.5}"#),
            input(4, "bridge/state", "online"),
        ])
    }

    fn column(table: &Table, name: &str) -> usize {
        table
            .columns
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    #[test]
    fn columns_are_the_union_of_fields_by_path_after_the_raw_value() {
        let table = example();
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Value", "state", "brightness", "update.state", "power"]);
        let plug = &table.rows[3];
        assert_eq!(plug.cells[column(&table, "power")].as_deref(), Some("12.5"));
        assert_eq!(plug.cells[column(&table, "brightness")], None);
        assert_eq!(table.rows[4].cells[0].as_deref(), Some("online"));
        assert_eq!(table.rows[0].cells[0], None, "a JSON topic has no raw value");
    }

    #[test]
    fn the_odd_value_and_the_missing_field_differ_from_most() {
        let table = example();
        let state = column(&table, "state");
        // Three lamps are ON: the plug's OFF stands out; the bridge, not JSON, has no fields.
        let differs: Vec<bool> = table.rows.iter().map(|r| r.differs[state]).collect();
        assert_eq!(differs, [false, false, false, true, false]);
        assert_eq!(table.columns[state].common, Some(Some("ON".to_owned())));
        // Two idle, one available, and the plug without the field: both odd ones stand out.
        let update = column(&table, "update.state");
        let differs: Vec<bool> = table.rows.iter().map(|r| r.differs[update]).collect();
        assert_eq!(differs, [false, true, false, true, false]);
        // Most JSON topics lack power: the plug, which has it, is the odd one.
        let power = column(&table, "power");
        assert_eq!(table.columns[power].common, Some(None));
        assert!(table.rows[3].differs[power]);
        // The raw value column never counts JSON topics as missing.
        assert!(table.rows.iter().all(|r| !r.differs[0]));
    }

    #[test]
    fn in_a_column_of_numbers_the_far_value_stands_out() {
        let counted = [true; 5];
        let battery = differences(&[Some("91"), Some("12"), Some("93"), Some("94"), Some("95")], &counted);
        assert_eq!(battery.differs, [false, true, false, false, false]);
        let temperature = differences(
            &[Some("21.5"), Some("19.0"), Some("23.5"), Some("24.5"), Some("25.5")],
            &counted,
        );
        assert_eq!(temperature.differs, [false; 5], "an ordinary spread marks nothing");
        let missing = differences(&[Some("91"), None, Some("93"), Some("94"), Some("95")], &counted);
        assert_eq!(missing.differs, [false, true, false, false, false]);
        // Text, or a value most cells share, keeps the most-common rule.
        let most = differences(
            &[Some("120"), Some("120"), Some("120"), Some("80"), Some("120")],
            &counted,
        );
        assert_eq!(most.differs, [false, false, false, true, false]);
    }

    #[test]
    fn ties_mark_nothing_and_a_column_of_one_value_is_uniform() {
        let split = differences(&[Some("on"), Some("off")], &[true; 2]);
        assert_eq!(split.common, None);
        assert_eq!(split.differs, [false, false]);
        assert!(!split.uniform);
        let same = differences(&[Some("1"), Some("1"), Some("1")], &[true; 3]);
        assert!(same.uniform);
        assert_eq!(same.differs, [false, false, false]);
        let one_missing = differences(&[Some("1"), None, Some("1")], &[true; 3]);
        assert_eq!(one_missing.differs, [false, true, false]);
        assert!(!one_missing.uniform);
        let not_counted = differences(&[Some("1"), None, Some("2"), Some("2")], &[true, false, true, true]);
        assert_eq!(not_counted.differs, [true, false, false, false]);
        assert_eq!(not_counted.common, Some(Some("2".to_owned())));
    }

    #[test]
    fn numbers_sort_by_value_text_naturally_and_missing_last_both_ways() {
        let table = example();
        let brightness = Some(ColumnKey::Field("brightness".into()));
        let names = |sort: Sort| -> Vec<String> {
            table
                .order(Some(&sort))
                .into_iter()
                .map(|i| table.rows[i].name.clone())
                .collect()
        };
        let up = names(Sort {
            column: brightness.clone(),
            descending: false,
        });
        assert_eq!(up, ["lamp10", "lamp2", "lamp1", "plug", "bridge/state"]);
        let down = names(Sort {
            column: brightness,
            descending: true,
        });
        assert_eq!(down, ["lamp1", "lamp2", "lamp10", "plug", "bridge/state"]);
        let by_topic = names(Sort {
            column: None,
            descending: false,
        });
        assert_eq!(by_topic, ["bridge/state", "lamp1", "lamp2", "lamp10", "plug"]);
        assert_eq!(compare_cells(Some("sensor2"), Some("sensor10"), false), Ordering::Less);
        assert_eq!(compare_cells(Some("9"), Some("abc"), false), Ordering::Less);
        assert_eq!(compare_cells(None, Some("abc"), true), Ordering::Greater);
        assert_eq!(table.order(None), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn fields_past_the_cap_are_counted_not_shown() {
        let wide: String = (0..MAX_COLUMNS + 5)
            .map(|i| format!("\"f{i}\":{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let table = Table::new(vec![input(0, "wide", &format!("{{{wide}}}"))]);
        assert_eq!(table.columns.len(), MAX_COLUMNS);
        assert_eq!(table.more_columns, 5);
    }

    #[test]
    fn the_topics_below_a_branch_in_tree_order_retained_only_when_asked() {
        let mut tree = Tree::new();
        let message = |payload: &str, retain: bool| {
            let mut m = crate::model::Message::new(payload.as_bytes().to_vec());
            m.retain = retain;
            m
        };
        tree.insert("z/b10", message("1", true));
        tree.insert("z/b2", message("2", false));
        tree.insert("z/a/x", message("3", true));
        tree.insert("other", message("4", true));
        let branch = tree.find("z").expect("branch");
        let (all, more) = below(&tree, branch, false);
        let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
        assert_eq!((names, more), (vec!["a/x", "b2", "b10"], 0));
        let (retained, _) = below(&tree, branch, true);
        let names: Vec<&str> = retained.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["a/x", "b10"]);
    }

    #[test]
    fn a_big_branch_gives_the_first_topics_and_counts_the_rest() {
        let mut tree = Tree::new();
        for i in 0..MAX_TOPICS + 25 {
            let mut message = crate::model::Message::new(b"1".to_vec());
            message.retain = i % 5 == 0;
            tree.insert(&format!("big/{i}"), message);
        }
        let branch = tree.find("big").expect("branch");
        let (inputs, more) = below(&tree, branch, false);
        assert_eq!((inputs.len(), more), (MAX_TOPICS, 25));
        assert_eq!(inputs.first().map(|i| i.name.as_str()), Some("0"));
        let (retained, more) = below(&tree, branch, true);
        assert_eq!((retained.len(), more), ((MAX_TOPICS + 25) / 5, 0));
    }
}
