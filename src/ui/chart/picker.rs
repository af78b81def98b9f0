//! Adding a series of another topic: a dialog with a search over the
//! session's topics whose latest payload holds numbers, and, for the topic
//! picked, its numbers to chart.

use std::time::{Duration, Instant};

use eframe::egui;

use super::choice::Other;
use super::fields;
use super::scale;
use crate::model::natural::natural_cmp;
use crate::model::{NodeId, Session};

/// Topics listed at most; the search narrows them.
const MAX_LISTED: usize = 100;
/// Topics whose latest payload is looked into for numbers at most, per look.
const MAX_CHECKED: usize = 5_000;
/// The height of the picked topic's numbers, in points.
const NUMBERS_HEIGHT: f32 = 90.0;
/// How often the list is looked for again while the dialog is open (topics come and change).
const REFRESH: Duration = Duration::from_secs(2);

/// A number of another topic the user chose to chart.
pub struct Picked {
    /// The topic.
    pub topic: NodeId,
    /// Its name and format.
    pub other: Other,
    /// The path of the number (`None`: the payload itself).
    pub source: Option<String>,
}

/// The dialog's state.
#[derive(Default)]
pub struct Picker {
    open: bool,
    /// Whether the search field takes the keyboard when the dialog opens.
    focus: bool,
    query: String,
    /// The topic whose numbers are shown.
    topic: Option<NodeId>,
    /// The topics found: id and full name, in natural order.
    found: Vec<(NodeId, String)>,
    /// Whether more topics matched than are listed.
    more: bool,
    /// What the list was found for: the search, the tree's shape, and when.
    found_for: Option<(String, u64, Instant)>,
}

impl Picker {
    /// Open the dialog, its search as it was left.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
        self.found_for = None;
    }

    /// Draw the dialog while it is open, for the chart of `own` (which is not offered). Returns
    /// the number the user picked.
    pub fn ui(&mut self, ctx: &egui::Context, session: &Session, own: NodeId) -> Option<Picked> {
        if !self.open {
            return None;
        }
        self.refresh(session, own);
        let mut picked = None;
        let modal = egui::Modal::new(egui::Id::unique("chart-topic-picker")).show(ctx, |ui| {
            ui.set_width(460.0_f32.min(ctx.content_rect().width() - 40.0));
            ui.heading("Add a series from another topic");
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let label = ui.label("Topic name");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.query)
                            .hint_text("room2/temp")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus) {
                    field.request_focus();
                }
            });
            ui.add_space(4.0);
            // Of a fixed size, so the dialog does not move while the user types and picks.
            let list_height = (ctx.content_rect().height() * 0.35).clamp(80.0, 260.0);
            egui::ScrollArea::vertical()
                .id_salt("chart-topic-picker-list")
                .max_height(list_height)
                .auto_shrink([false, false])
                .show(ui, |ui| self.list_ui(ui));
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("chart-topic-picker-numbers")
                .max_height(NUMBERS_HEIGHT)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if let Some(pick) = self.numbers_ui(ui, session) {
                        picked = Some(pick);
                    }
                });
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                if ui.button("Cancel").clicked() {
                    ui.close();
                }
            });
        });
        if picked.is_some() || modal.should_close() {
            self.open = false;
        }
        picked
    }

    /// The topics found, one to pick.
    fn list_ui(&mut self, ui: &mut egui::Ui) {
        if self.found.is_empty() {
            ui.weak(if self.query.trim().is_empty() {
                "No other topic has numbers in its latest message yet"
            } else {
                "No topic with numbers matches"
            });
        }
        for (id, name) in &self.found {
            if ui.selectable_label(self.topic == Some(*id), name).clicked() {
                self.topic = Some(*id);
            }
        }
        if self.more {
            ui.weak(format!("Showing the first {MAX_LISTED}: type to narrow the search"));
        }
    }

    /// The numbers of the topic picked, each a button that charts it.
    fn numbers_ui(&self, ui: &mut egui::Ui, session: &Session) -> Option<Picked> {
        let Some(topic) = self.topic else {
            ui.weak("Pick a topic to see its numbers");
            return None;
        };
        let latest = session.tree.get(topic).and_then(|n| n.latest())?;
        let name = session.tree.topic(topic);
        let (format, numbers) = fields::of_message(&name, latest);
        ui.label(format!("Numbers in the latest message of {name}"));
        let mut picked = None;
        ui.horizontal_wrapped(|ui| {
            for (source, value) in numbers.offered() {
                let text = format!("{}  ({})", super::points::name(source), scale::format_value(value));
                if ui.button(text).clicked() {
                    picked = Some(Picked {
                        topic,
                        other: Other {
                            name: name.clone(),
                            format,
                        },
                        source: source.map(str::to_owned),
                    });
                }
            }
        });
        picked
    }

    /// Look for the topics again when the search or the tree changed, or a while passed.
    fn refresh(&mut self, session: &Session, own: NodeId) {
        let shape = session.shape_version();
        let now = Instant::now();
        let fresh = self.found_for.as_ref().is_some_and(|(query, seen, at)| {
            *query == self.query && *seen == shape && now.duration_since(*at) < REFRESH
        });
        if fresh {
            return;
        }
        (self.found, self.more) = find(session, own, &self.query);
        self.found_for = Some((self.query.clone(), shape, now));
    }
}

/// The topics other than `own` whose name holds every word of `query` (in any letter case) and
/// whose latest message has numbers: at most [`MAX_LISTED`], in natural order, and whether
/// there were more.
fn find(session: &Session, own: NodeId, query: &str) -> (Vec<(NodeId, String)>, bool) {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let tree = &session.tree;
    let mut found = Vec::new();
    let mut checked = 0;
    let mut more = false;
    for index in 0..tree.node_count() {
        let id = NodeId::from_index(index);
        let Some(latest) = tree.get(id).and_then(|n| n.latest()) else {
            continue;
        };
        if id == own {
            continue;
        }
        let name = tree.topic(id);
        let lower = name.to_lowercase();
        if !words.iter().all(|w| lower.contains(w.as_str())) {
            continue;
        }
        if found.len() == MAX_LISTED || checked == MAX_CHECKED {
            more = true;
            break;
        }
        checked += 1;
        if !fields::of_message(&name, latest).1.is_empty() {
            found.push((id, name));
        }
    }
    found.sort_by(|a, b| natural_cmp(&a.1, &b.1));
    (found, more)
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::model::{Event, Message, Received};

    fn session(topics: &[(&str, &str)]) -> Session {
        let mut session = Session::new();
        let messages = topics
            .iter()
            .map(|(topic, payload)| Received {
                topic: (*topic).to_owned(),
                message: Message::new(payload.as_bytes().to_vec()),
            })
            .collect();
        session.apply(Event::Messages(messages), Instant::now());
        session
    }

    #[test]
    fn topics_with_numbers_are_found_by_every_word_in_natural_order() {
        let session = session(&[
            ("room10/temp", "21"),
            ("room2/temp", r#"{"temperature": 18}"#),
            ("room2/name", "kitchen"),
            ("room1/temp", "20"),
            ("garden/temp", "12"),
        ]);
        let own = session.tree.find("room1/temp").expect("room 1");
        let (found, more) = find(&session, own, "ROOM temp");
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["room2/temp", "room10/temp"], "not itself, not the name");
        assert!(!more);
        let (all, _) = find(&session, own, "");
        assert_eq!(all.len(), 3);
    }
}
