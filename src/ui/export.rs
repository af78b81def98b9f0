//! Exporting messages to a file: a topic's history, a branch's latest values, the compare
//! table or the log's lines. A panel gathers the messages (cheap: the payloads are shared, not
//! copied) into an [`Export`] and asks the tab for it; [`ExportDialog`] asks where to save
//! (the save dialog, or a typed path), writes the file off the UI thread through
//! [`crate::export`] in the format its extension names, and says how it ended in a small
//! window.

use eframe::egui;

use super::dialogs::{Dialogs, SaveFile, Saved};
use super::text::{plural, suggested_file_name};
use crate::export::ExportFormat;
use crate::model::{Line, Log, NodeId, Received, Session};

/// Messages to export, gathered when asked.
pub struct Export {
    /// What they are, for the person ("the history of home/light").
    pub what: String,
    /// The file name suggested, without its extension.
    pub stem: String,
    /// The messages, in the order written.
    pub messages: Vec<Received>,
}

impl std::fmt::Debug for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Export({}, {} messages)", self.what, self.messages.len())
    }
}

impl Export {
    /// Every kept message of topic `id`, oldest first.
    pub fn history(session: &Session, id: NodeId) -> Self {
        let topic = session.tree.topic(id);
        let messages = session.history.topic(id).map_or_else(Vec::new, |history| {
            history
                .entries()
                .iter()
                .map(|entry| Received {
                    topic: topic.clone(),
                    message: entry.message.clone(),
                })
                .collect()
        });
        Self {
            what: format!("the history of {topic}"),
            stem: topic.clone(),
            messages,
        }
    }

    /// The latest message of every topic at and below `id`, by name.
    pub fn branch(session: &Session, id: NodeId) -> Self {
        let tree = &session.tree;
        let branch = tree.topic(id);
        let mut messages = Vec::new();
        let mut stack = vec![id];
        while let Some(node_id) = stack.pop() {
            let Some(node) = tree.get(node_id) else { continue };
            if let Some(latest) = node.latest() {
                messages.push(Received {
                    topic: tree.topic(node_id),
                    message: latest.clone(),
                });
            }
            stack.extend_from_slice(node.children());
        }
        messages.sort_by(|a, b| a.topic.cmp(&b.topic));
        Self {
            what: format!("the latest values below {branch}"),
            stem: format!("{branch}-latest"),
            messages,
        }
    }

    /// The latest message of each of `topics`, in this order (the rows of a compare table).
    pub fn latest_of(session: &Session, topics: impl IntoIterator<Item = NodeId>, what: String, stem: &str) -> Self {
        let tree = &session.tree;
        let messages = topics
            .into_iter()
            .filter_map(|id| {
                Some(Received {
                    topic: tree.topic(id),
                    message: tree.get(id)?.latest()?.clone(),
                })
            })
            .collect();
        Self {
            what,
            stem: stem.to_owned(),
            messages,
        }
    }

    /// The messages of the log's `lines`, in their order (the lines the log's filter shows).
    pub fn lines(session: &Session, lines: impl IntoIterator<Item = Line>, what: String) -> Self {
        // Each topic's name made once, by its index in the tree.
        let mut names: Vec<Option<String>> = vec![None; session.tree.node_count()];
        let messages = lines
            .into_iter()
            .filter_map(|line| {
                let entry = Log::resolve(&session.history, line)?;
                let topic = match names.get_mut(line.topic.index()) {
                    Some(Some(name)) => name.clone(),
                    Some(slot) => slot.insert(session.tree.topic(line.topic)).clone(),
                    None => session.tree.topic(line.topic),
                };
                Some(Received {
                    topic,
                    message: entry.message.clone(),
                })
            })
            .collect();
        Self {
            what,
            stem: "log".to_owned(),
            messages,
        }
    }
}

impl Saved for Export {
    const EXAMPLE_PATH: &'static str = "/path/to/export.jsonl (or .csv, .json)";
    const FILTERS: &'static [(&'static str, &'static [&'static str])] = &[
        ("JSON lines (a recording)", &["jsonl"]),
        ("CSV", &["csv"]),
        ("JSON", &["json"]),
    ];

    fn write(self, path: &std::path::Path) -> Result<String, String> {
        match crate::export::save(path, &self.messages) {
            Ok(format) => Ok(format!(
                "Exported {} as {} to {}",
                plural(self.messages.len() as u64, "message", "messages"),
                format.label(),
                path.display()
            )),
            Err(error) => Err(error.to_string()),
        }
    }
}

/// An export under way: asked for by a panel, then the save dialog or the typed path, the
/// writing, and how it ended, in a small window until closed.
#[derive(Default)]
pub struct ExportDialog {
    /// Asked for this frame, started on the next.
    asked: Option<Export>,
    /// What is exported, with its count, while the window shows.
    shown: Option<String>,
    save: SaveFile<Export>,
}

impl ExportDialog {
    /// Ask where to export `export`.
    pub fn ask(&mut self, export: Export) {
        self.asked = Some(export);
    }

    /// Start what was asked, move the export along, and draw its window while there is one.
    pub fn ui(&mut self, ctx: &egui::Context, dialogs: &Dialogs, runtime: &tokio::runtime::Handle) {
        if let Some(export) = self.asked.take() {
            let name = suggested_file_name(&export.stem, ExportFormat::JsonLines.extension());
            self.shown = Some(format!(
                "{}: {}",
                capitalised(&export.what),
                plural(export.messages.len() as u64, "message", "messages")
            ));
            self.save.start(ctx, dialogs, runtime, "Export messages", &name, export);
        }
        self.save.poll(ctx, runtime);
        let Some(what) = &self.shown else { return };
        let mut open = true;
        let mut close = false;
        // Over the middle of the window, below the toolbar, where it is seen.
        let at = ctx.content_rect().center_top() + egui::vec2(0.0, (ctx.content_rect().height() * 0.2).min(160.0));
        egui::Window::new("Export")
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(at)
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .show(ctx, |ui| {
                ui.set_max_width(460.0);
                ui.label(what);
                ui.weak("The file's extension chooses the format: .jsonl (JSON lines, opens with Open recording…), .csv or .json");
                ui.add_space(4.0);
                self.save.ui(ui, runtime);
                if self.save.is_busy() {
                    if self.save.is_writing() {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label("Writing…");
                        });
                    }
                } else if ui.button("Close").clicked() {
                    close = true;
                }
            });
        if close || (!open && !self.save.is_writing()) {
            self.shown = None;
            self.save = SaveFile::default();
        }
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::model::Event;

    fn session(messages: &[(&str, &str)]) -> Session {
        let mut session = Session::new();
        let received = messages.iter().map(|(t, p)| Received::example(t, p)).collect();
        session.apply(Event::Messages(received), Instant::now());
        session
    }

    fn topics(export: &Export) -> Vec<(&str, &[u8])> {
        export
            .messages
            .iter()
            .map(|r| (r.topic.as_str(), &r.message.payload[..]))
            .collect()
    }

    #[test]
    fn a_history_export_has_every_kept_message_oldest_first() {
        let s = session(&[("a/x", "1"), ("a/y", "9"), ("a/x", "2")]);
        let id = s.tree.find("a/x").expect("a/x");
        let export = Export::history(&s, id);
        assert_eq!(topics(&export), [("a/x", &b"1"[..]), ("a/x", &b"2"[..])]);
        assert_eq!(export.what, "the history of a/x");
    }

    #[test]
    fn a_branch_export_has_each_topics_latest_value_by_name() {
        let s = session(&[("a/y", "1"), ("a/x/deep", "2"), ("a/y", "3"), ("b", "4")]);
        let id = s.tree.find("a").expect("a");
        let export = Export::branch(&s, id);
        assert_eq!(topics(&export), [("a/x/deep", &b"2"[..]), ("a/y", &b"3"[..])]);
    }

    #[test]
    fn a_log_export_follows_the_lines_given() {
        let s = session(&[("a", "1"), ("b", "2"), ("a", "3")]);
        let lines: Vec<Line> = (0..s.log.len()).filter_map(|i| s.log.get(i)).collect();
        let export = Export::lines(&s, lines.into_iter().rev(), "the log".into());
        assert_eq!(topics(&export), [("a", &b"3"[..]), ("b", &b"2"[..]), ("a", &b"1"[..])]);
    }
}
