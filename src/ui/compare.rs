//! Topics side by side: the topics below a branch, or the topics a user
//! pinned, in one table. A row per topic, how long ago its message arrived,
//! a column per JSON field (the union of every topic's fields, nested ones by
//! path) or the raw value; times shown as ages; cells that differ from most
//! of their column highlighted (a stale time among them); sortable by any
//! column; columns hidden per branch; retained topics only if asked; rebuilt
//! as messages arrive.

mod columns;
mod fields;
mod grid;
mod odd;
mod table;
mod times;

use std::time::{Duration, Instant, SystemTime};

use eframe::egui;

use grid::Clicked;
use table::{ColumnKey, Input, Sort, Table};
pub use table::{MAX_COLUMNS, MAX_TOPICS};

pub use super::context::Pins;
use super::context::{Commands, TabCommand};
use super::export::Export;
use super::text::plural;
use crate::model::{NodeId, Session};

/// The table is rebuilt at most this often while messages arrive.
const REBUILD_INTERVAL: Duration = Duration::from_millis(500);
/// Ages shown are brought up to date at most this often.
const AGE_REPAINT: Duration = Duration::from_secs(1);
/// The place of the pinned topics' table among the places columns are hidden at.
const PINNED_PLACE: &str = "";

/// Where a table's topics come from.
#[derive(Clone, PartialEq)]
enum Source {
    Branch(NodeId),
    Pinned(Vec<String>),
}

/// A table as last built, and the row order of its sort.
struct Built {
    source: Source,
    /// Changes when a compared topic receives a message.
    signature: u64,
    retained_only: bool,
    at: Instant,
    table: Table,
    /// Topics left out: beyond [`MAX_TOPICS`], or pinned topics without a message.
    left_out: usize,
    sort: Option<Sort>,
    order: Vec<usize>,
}

/// One comparison table, with its sort and filter.
#[derive(Default)]
pub struct CompareView {
    built: Option<Built>,
    /// Each topic's fields, read once per message.
    fields: fields::Fields,
    sort: Option<Sort>,
    retained_only: bool,
    /// The columns hidden, per branch compared.
    hidden: columns::Hidden,
}

impl CompareView {
    /// Draw the table of the topics below `branch`. Returns a topic the user clicked; an
    /// export asked for goes on `commands`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        branch: NodeId,
        commands: &mut Commands,
    ) -> Option<NodeId> {
        let signature = session.tree.get(branch).map_or(0, |n| n.subtree_messages());
        let retained_only = self.retained_only;
        self.refresh(ui.ctx(), Source::Branch(branch), signature, || {
            table::below(&session.tree, branch, retained_only)
        });
        let built = self.built.as_ref()?;
        if built.table.rows.is_empty() && !self.retained_only {
            return None;
        }
        let count = (built.table.rows.len() + built.left_out) as u64;
        let title = format!("Compare {} below", plural(count, "topic", "topics"));
        let place = session.tree.topic(branch);
        let clicked = egui::CollapsingHeader::new(title)
            .id_salt("compare-branch")
            .default_open(true)
            .show(ui, |ui| {
                let height = ui.available_height().max(160.0);
                self.table_ui(ui, ("compare-branch-table", &place), false, height)
            })
            .body_returned
            .flatten();
        match clicked {
            Some(Clicked::Select(id)) => Some(id),
            Some(Clicked::Export) => {
                let what = format!("the compare table below {place}");
                commands.push(TabCommand::Export(self.export(
                    session,
                    what,
                    &format!("{place}-compare"),
                )));
                None
            }
            _ => None,
        }
    }

    /// Draw the table of the pinned topics, with a way to unpin each and all; a topic the user
    /// clicked, unpinned or all unpinned are asked for on `commands`.
    pub fn pinned_ui(&mut self, ui: &mut egui::Ui, session: &Session, pins: &Pins, commands: &mut Commands) {
        if pins.is_empty() {
            return;
        }
        let tree = &session.tree;
        let found: Vec<(&String, NodeId)> = pins
            .topics()
            .iter()
            .filter_map(|topic| tree.find(topic).map(|id| (topic, id)))
            .collect();
        let signature = found.iter().fold(found.len() as u64, |sum, (_, id)| {
            sum.wrapping_mul(31)
                .wrapping_add(tree.get(*id).map_or(0, |n| n.own_messages()))
        });
        let retained_only = self.retained_only;
        self.refresh(ui.ctx(), Source::Pinned(pins.topics().to_vec()), signature, || {
            let inputs: Vec<Input> = found
                .iter()
                .filter_map(|(topic, id)| {
                    let node = tree.get(*id)?;
                    let latest = node.latest()?;
                    (node.is_retained() || !retained_only).then(|| Input {
                        id: *id,
                        name: (*topic).clone(),
                        retained: node.is_retained(),
                        payload: latest.payload.clone(),
                        received_at: latest.received_at,
                    })
                })
                .collect();
            let left_out = pins.topics().len() - inputs.len();
            (inputs, left_out)
        });
        let title = format!("Pinned topics ({})", pins.topics().len());
        let clicked = egui::CollapsingHeader::new(title)
            .id_salt("compare-pinned")
            .default_open(true)
            .show(ui, |ui| {
                let height = (ui.available_height() * 0.4).clamp(120.0, 320.0);
                self.table_ui(ui, ("compare-pinned-table", PINNED_PLACE), true, height)
            })
            .body_returned
            .flatten();
        match clicked {
            Some(Clicked::Select(id)) => commands.push(TabCommand::Select(id)),
            Some(Clicked::Unpin(topic)) => commands.push(TabCommand::Unpin(topic)),
            Some(Clicked::ClearPins) => commands.push(TabCommand::ClearPins),
            Some(Clicked::Export) => {
                let export = self.export(session, "the pinned topics".to_owned(), "pinned");
                commands.push(TabCommand::Export(export));
            }
            Some(Clicked::Sort(_) | Clicked::Hide(_)) | None => {}
        }
    }

    /// Rebuild the table when its topics changed (at most every [`REBUILD_INTERVAL`] while
    /// messages arrive), and sort it again when the sort changed.
    fn refresh(
        &mut self,
        ctx: &egui::Context,
        source: Source,
        signature: u64,
        inputs: impl FnOnce() -> (Vec<Input>, usize),
    ) {
        let stale = match &self.built {
            Some(b) if b.source == source && b.retained_only == self.retained_only => {
                let age = b.at.elapsed();
                if b.signature == signature {
                    false
                } else if age < REBUILD_INTERVAL {
                    ctx.request_repaint_after(REBUILD_INTERVAL - age);
                    false
                } else {
                    true
                }
            }
            _ => true,
        };
        if stale {
            let (inputs, left_out) = inputs();
            let table = Table::build(inputs, &mut self.fields);
            self.built = Some(Built {
                source,
                signature,
                retained_only: self.retained_only,
                at: Instant::now(),
                order: table.order(self.sort.as_ref()),
                table,
                left_out,
                sort: self.sort.clone(),
            });
        }
        if let Some(built) = &mut self.built
            && built.sort != self.sort
        {
            built.order = built.table.order(self.sort.as_ref());
            built.sort.clone_from(&self.sort);
        }
    }

    /// The controls above the table, then the table; `salt` names its scroll area and `place`
    /// the branch compared, whose hidden columns are kept apart.
    fn table_ui(
        &mut self,
        ui: &mut egui::Ui,
        (salt, place): (&str, &str),
        pinned: bool,
        height: f32,
    ) -> Option<Clicked> {
        let mut clicked = None;
        let mut retained_only = self.retained_only;
        let mut change = None;
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut retained_only, "Retained only")
                .on_hover_text("Hide topics whose latest message was not retained");
            if pinned
                && ui
                    .button("Clear pins")
                    .on_hover_text("Unpin every topic of this table")
                    .clicked()
            {
                clicked = Some(Clicked::ClearPins);
            }
            let Some(built) = &self.built else { return };
            if !built.table.rows.is_empty() {
                change = columns::menu_ui(ui, &built.table, self.hidden.of(place));
                if ui
                    .button("Export…")
                    .on_hover_text(
                        "Save each row's latest message to a file: JSON lines, CSV (a column per field) or JSON",
                    )
                    .clicked()
                {
                    clicked = Some(Clicked::Export);
                }
            }
            if built.left_out > 0 && !pinned {
                ui.weak(format!("The first {MAX_TOPICS} are shown."));
            } else if built.left_out > 0 {
                ui.weak(format!(
                    "{} not shown (no message, or not retained).",
                    plural(built.left_out as u64, "pinned topic", "pinned topics")
                ));
            }
            if built.table.more_columns > 0 {
                ui.weak(format!(
                    "{} more not shown (at most {MAX_COLUMNS}).",
                    plural(built.table.more_columns as u64, "field", "fields")
                ));
            }
        });
        self.retained_only = retained_only;
        match change {
            Some(columns::Change::Hide(key)) => self.hide(place, key),
            Some(columns::Change::Show(key)) => self.hidden.show(place, &key),
            Some(columns::Change::ShowAll) => self.hidden.show_all(place),
            None => {}
        }
        let built = self.built.as_ref()?;
        if built.table.rows.is_empty() {
            ui.weak(if self.retained_only {
                "None of these topics holds a retained message."
            } else {
                "None of these topics has a message yet."
            });
            return clicked;
        }
        let shown = columns::shown(&built.table, self.hidden.of(place));
        let now = SystemTime::now();
        let view = grid::View {
            order: &built.order,
            columns: &shown,
            sort: built.sort.as_ref(),
            now,
        };
        let grid = grid::ui(ui, &built.table, &view, salt, pinned, height);
        if let Some(next) = next_age_change(&built.table, &shown, now) {
            ui.ctx().request_repaint_after(next.max(AGE_REPAINT));
        }
        match grid {
            Some(Clicked::Sort(column)) => {
                self.sort = match self.sort.take() {
                    Some(sort) if sort.column == column => Some(Sort {
                        column: sort.column,
                        descending: !sort.descending,
                    }),
                    _ => Some(Sort {
                        column,
                        descending: false,
                    }),
                };
                clicked
            }
            Some(Clicked::Hide(key)) => {
                self.hide(place, key);
                clicked
            }
            grid => grid.or(clicked),
        }
    }

    /// The latest message of each row, in the order shown.
    fn export(&self, session: &Session, what: String, stem: &str) -> Export {
        let ids = self.built.iter().flat_map(|built| {
            built
                .order
                .iter()
                .filter_map(|&row| built.table.rows.get(row).map(|r| r.id))
        });
        Export::latest_of(session, ids, what, stem)
    }

    /// Hide the column `key` at `place`; a table sorted by it goes back to its own order.
    fn hide(&mut self, place: &str, key: ColumnKey) {
        if self.sort.as_ref().is_some_and(|s| s.column.as_ref() == Some(&key)) {
            self.sort = None;
        }
        self.hidden.hide(place, key);
    }
}

/// How long until an age shown in `table`'s `shown` columns changes; `None` when none shows
/// an age.
fn next_age_change(table: &Table, shown: &[usize], now: SystemTime) -> Option<Duration> {
    shown
        .iter()
        .filter_map(|&c| table.columns.get(c)?.times.as_ref())
        .flat_map(|t| t.at.iter().flatten())
        .map(|&time| times::next_change(time, now))
        .min()
}
