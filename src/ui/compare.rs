//! Topics below a branch side by side: one row per topic, its latest value,
//! and for JSON payloads one column per field (the fields the topics share,
//! in the order they first appear), to spot the odd device at a glance.

use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use crate::model::{NodeId, Session};
use crate::payload::{numbers, text};

/// Topics compared at most.
pub const MAX_TOPICS: usize = 500;
/// Field columns at most.
pub const MAX_COLUMNS: usize = 8;
/// Scalars read from one payload at most.
const MAX_SCALARS: usize = 32;
/// The table is rebuilt at most this often while messages arrive.
const REBUILD_INTERVAL: Duration = Duration::from_millis(500);

/// One compared topic.
struct Row {
    id: NodeId,
    /// The topic below the branch (`kitchen/light`).
    name: String,
    retained: bool,
    /// The payload, when it is not JSON (or has none of the columns).
    value: String,
    /// The value of each column's field, when the payload has it.
    cells: Vec<Option<String>>,
}

struct Table {
    branch: NodeId,
    messages: u64,
    built: Instant,
    columns: Vec<String>,
    rows: Vec<Row>,
    /// Topics below the branch beyond [`MAX_TOPICS`].
    more: u32,
    /// Whether some topic's payload is not JSON with fields (it then shows whole).
    show_value: bool,
}

/// The compare table of the selected branch.
#[derive(Default)]
pub struct CompareView {
    table: Option<Table>,
}

impl CompareView {
    /// Draw the table of the topics below `branch`. Returns a topic the user clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, branch: NodeId) -> Option<NodeId> {
        let messages = session.tree.get(branch).map_or(0, |n| n.subtree_messages());
        let stale = match &self.table {
            Some(t) if t.branch == branch && t.messages == messages => false,
            Some(t) if t.branch == branch && t.built.elapsed() < REBUILD_INTERVAL => {
                ui.ctx().request_repaint_after(REBUILD_INTERVAL);
                false
            }
            _ => true,
        };
        if stale {
            self.table = Some(build(session, branch, messages));
        }
        let table = self.table.as_ref()?;
        if table.rows.is_empty() {
            return None;
        }
        let mut clicked = None;
        let title = format!(
            "Compare {} below",
            super::tree::plural(table.rows.len() as u64 + u64::from(table.more), "topic", "topics")
        );
        egui::CollapsingHeader::new(title)
            .id_salt("compare-branch")
            .default_open(true)
            .show(ui, |ui| {
                if table.more > 0 {
                    ui.weak(format!("The first {MAX_TOPICS} are shown."));
                }
                egui::ScrollArea::both()
                    .id_salt("compare-table")
                    .auto_shrink([false, true])
                    .max_height(ui.available_height().max(160.0))
                    .show(ui, |ui| {
                        egui::Grid::new("compare-grid")
                            .striped(true)
                            .num_columns(1 + usize::from(table.show_value) + table.columns.len())
                            .spacing([14.0, 4.0])
                            .show(ui, |ui| {
                                ui.strong("Topic");
                                if table.show_value {
                                    ui.strong("Value");
                                }
                                for column in &table.columns {
                                    ui.strong(column);
                                }
                                ui.end_row();
                                for row in &table.rows {
                                    let name = if row.retained {
                                        format!("{} (R)", row.name)
                                    } else {
                                        row.name.clone()
                                    };
                                    if ui
                                        .add(
                                            egui::Label::new(RichText::new(name).monospace())
                                                .sense(egui::Sense::click()),
                                        )
                                        .on_hover_text("Show this topic")
                                        .clicked()
                                    {
                                        clicked = Some(row.id);
                                    }
                                    if table.show_value {
                                        let value = if row.cells.iter().any(Option::is_some) {
                                            ""
                                        } else {
                                            &row.value
                                        };
                                        // The preview is already cut at 60 characters.
                                        ui.monospace(value);
                                    }
                                    for cell in &row.cells {
                                        match cell {
                                            Some(value) => ui.monospace(value),
                                            None => ui.weak("-"),
                                        };
                                    }
                                    ui.end_row();
                                }
                            });
                    });
            });
        clicked
    }
}

fn build(session: &Session, branch: NodeId, messages: u64) -> Table {
    let tree = &session.tree;
    let prefix_len = if branch == NodeId::ROOT {
        0
    } else {
        tree.topic(branch).len() + 1
    };
    // The topics below, depth first in name order as the tree shows them.
    let mut ids = Vec::new();
    let mut more = 0u32;
    let mut stack: Vec<NodeId> = tree.get(branch).map(|n| n.children().to_vec()).unwrap_or_default();
    stack.sort_by(|a, b| sort_key(tree, *b, *a));
    while let Some(id) = stack.pop() {
        let Some(node) = tree.get(id) else { continue };
        if node.latest().is_some() {
            if ids.len() < MAX_TOPICS {
                ids.push(id);
            } else {
                more += 1;
            }
        }
        let mut children = node.children().to_vec();
        children.sort_by(|a, b| sort_key(tree, *b, *a));
        stack.extend(children);
    }
    let mut columns: Vec<String> = Vec::new();
    let mut scalars = Vec::with_capacity(ids.len());
    for &id in &ids {
        let payload = tree
            .get(id)
            .and_then(|n| n.latest())
            .map(|m| m.payload.clone())
            .unwrap_or_default();
        let fields = numbers::json_scalars(&payload, MAX_SCALARS);
        for (name, _) in &fields {
            if columns.len() < MAX_COLUMNS && !columns.contains(name) {
                columns.push(name.clone());
            }
        }
        scalars.push((id, payload, fields));
    }
    let rows: Vec<Row> = scalars
        .into_iter()
        .map(|(id, payload, fields)| {
            let topic = tree.topic(id);
            Row {
                id,
                name: topic.get(prefix_len..).unwrap_or(&topic).to_owned(),
                retained: tree.get(id).is_some_and(|n| n.is_retained()),
                value: text::preview(&payload, 60),
                cells: columns
                    .iter()
                    .map(|column| {
                        fields
                            .iter()
                            .find(|(name, _)| name == column)
                            .map(|(_, v)| v.chars().take(40).collect())
                    })
                    .collect(),
            }
        })
        .collect();
    let show_value = columns.is_empty() || rows.iter().any(|r| r.cells.iter().all(Option::is_none));
    Table {
        branch,
        messages,
        built: Instant::now(),
        columns,
        rows,
        more,
        show_value,
    }
}

fn sort_key(tree: &crate::model::Tree, a: NodeId, b: NodeId) -> std::cmp::Ordering {
    let name = |id| tree.get(id).map_or("", |n| n.name());
    crate::model::tree::natural_cmp(name(a), name(b))
}
