//! The payload's find bar: what to find, every match in the document shown (found again only
//! when the query or the document changes), which one is current, and the bar itself: the
//! field, "3 of 17", previous and next, match case, close.

use eframe::egui::{self, Key, Modifiers};

use crate::payload::find::{self, Matches};
use crate::ui::text::plural;

/// What the document searched is: its text (a rendering), or its bytes (a hex dump).
pub enum Haystack<'a> {
    /// Rendered text; matches are byte ranges of it.
    Text(&'a str),
    /// Every byte; matches are byte ranges of the payload.
    Bytes(&'a [u8]),
}

/// What the bar asks of the view after a frame.
#[derive(Default)]
pub struct Asked {
    /// Bring the current match into view (it changed).
    pub reveal: bool,
    /// The bar was closed.
    pub closed: bool,
}

/// The find bar's state.
#[derive(Default)]
pub struct Find {
    /// Whether the bar is shown.
    pub open: bool,
    query: String,
    match_case: bool,
    /// Give the field the keyboard on the next frame.
    focus: bool,
    /// What `matches` were found for: the document, the query and the case.
    found_for: Option<(egui::Id, String, bool)>,
    matches: Matches,
    /// The document's text with its case folded, kept while it is searched.
    folded: Option<(egui::Id, String)>,
    /// The match shown as current.
    current: Option<usize>,
}

impl Find {
    /// Open the bar (or keep it open) with the keyboard in its field.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// The matches, when the bar is open.
    pub fn matches(&self) -> Option<&Matches> {
        self.open.then_some(&self.matches)
    }

    /// The current match, when the bar is open.
    pub fn current(&self) -> Option<usize> {
        self.current.filter(|_| self.open)
    }

    /// Find the query in the document `doc` (`haystack`), if it or the query changed since the
    /// last search. A new query makes the first match at or after `from` (a byte offset: the
    /// top of the view) current; a new document keeps the current match's place. Returns
    /// whether the query changed, so the view brings the current match into view (a new
    /// document alone keeps the view where it is).
    pub fn search(&mut self, doc: egui::Id, haystack: &Haystack<'_>, from: usize) -> bool {
        let wanted = (doc, self.query.clone(), self.match_case);
        if !self.open || self.found_for.as_ref() == Some(&wanted) {
            return false;
        }
        let query_changed = self
            .found_for
            .as_ref()
            .is_none_or(|(_, query, case)| *query != self.query || *case != self.match_case);
        let place = match (query_changed, self.current.and_then(|i| self.matches.get(i))) {
            (false, Some(current)) => current.start,
            _ => from,
        };
        self.matches = match haystack {
            Haystack::Text(text) => {
                if self.folded.as_ref().is_none_or(|(id, _)| *id != doc) {
                    self.folded = Some((doc, find::fold_case(text)));
                }
                let folded = self.folded.as_ref().map_or("", |(_, f)| f.as_str());
                find::in_text(text, folded, &self.query, self.match_case)
            }
            Haystack::Bytes(bytes) => find::in_bytes(bytes, &self.query, self.match_case),
        };
        self.found_for = Some(wanted);
        self.current = self
            .matches
            .first_from(place)
            .or((!self.matches.is_empty()).then_some(0));
        query_changed
    }

    /// Make the next match (or the previous, `back`) current, around the ends.
    pub fn step(&mut self, back: bool) {
        let count = self.matches.len();
        if count == 0 {
            return;
        }
        self.current = Some(match (self.current, back) {
            (Some(i), false) => (i + 1) % count,
            (Some(i), true) => (i + count - 1) % count,
            (None, false) => 0,
            (None, true) => count - 1,
        });
    }

    /// "3 of 17", "No matches", or nothing before anything is typed.
    fn count_text(&self) -> String {
        if self.query.is_empty() {
            return String::new();
        }
        let more = if self.matches.is_capped() { "+" } else { "" };
        match (self.current, self.matches.len()) {
            (_, 0) => "No matches".to_owned(),
            (Some(i), n) => format!(
                "{} of {}{more}",
                crate::payload::text::group_digits(i as u64 + 1),
                crate::payload::text::group_digits(n as u64)
            ),
            (None, n) => plural(n as u64, "match", "matches"),
        }
    }

    /// The bar: the field (Enter, Shift+Enter and F3 step, Escape closes), the count, the
    /// buttons. `keys` says whether the payload has the keyboard, so Enter and Escape step and
    /// close from it too.
    pub fn bar_ui(&mut self, ui: &mut egui::Ui, keys: bool) -> Asked {
        let mut asked = Asked::default();
        ui.horizontal_wrapped(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text("Find in payload")
                    .desired_width(160.0)
                    .return_key(None),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Find in payload"));
            if std::mem::take(&mut self.focus) {
                field.request_focus();
            }
            let typing = field.has_focus();
            if typing || keys {
                let (back, next) = ui.input_mut(|i| {
                    let back = i.consume_key(Modifiers::SHIFT, Key::Enter) || i.consume_key(Modifiers::SHIFT, Key::F3);
                    let next = i.consume_key(Modifiers::NONE, Key::Enter) || i.consume_key(Modifiers::NONE, Key::F3);
                    (back, next)
                });
                if back || next {
                    self.step(back);
                    asked.reveal = true;
                }
            }
            if (typing || field.lost_focus() || keys) && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
                asked.closed = true;
            }
            ui.label(self.count_text());
            let any = !self.matches.is_empty();
            if ui
                .add_enabled(any, egui::Button::new("Previous"))
                .on_hover_text("The previous match (Shift+Enter)")
                .clicked()
            {
                self.step(true);
                asked.reveal = true;
            }
            if ui
                .add_enabled(any, egui::Button::new("Next"))
                .on_hover_text("The next match (Enter)")
                .clicked()
            {
                self.step(false);
                asked.reveal = true;
            }
            ui.checkbox(&mut self.match_case, "Match case")
                .on_hover_text("Find only text in the same case; otherwise any case");
            if ui
                .button("Close")
                .on_hover_text("Close the find bar (Escape)")
                .clicked()
            {
                asked.closed = true;
            }
        });
        if asked.closed {
            self.open = false;
            self.folded = None;
        }
        asked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(query: &str) -> Find {
        let mut find = Find::default();
        find.open();
        find.query = query.to_owned();
        find
    }

    #[test]
    fn a_new_query_starts_from_the_view_and_steps_around() {
        let text = "t1 T2 t3 t4";
        let doc = egui::Id::unique("doc");
        let mut find = find("t");
        assert!(find.search(doc, &Haystack::Text(text), 4));
        assert_eq!((find.current(), find.count_text()), (Some(2), "3 of 4".to_owned()));
        assert!(!find.search(doc, &Haystack::Text(text), 0), "found once");
        find.step(false);
        find.step(false);
        assert_eq!(find.current(), Some(0), "around the end");
        find.step(true);
        assert_eq!(find.count_text(), "4 of 4");
        find.match_case = true;
        find.search(doc, &Haystack::Text(text), 0);
        assert_eq!(find.count_text(), "1 of 3");
    }

    #[test]
    fn a_new_document_keeps_the_current_place() {
        let doc = egui::Id::unique("doc");
        let mut find = find("ab");
        find.search(doc, &Haystack::Bytes(b"ab ab ab"), 0);
        find.step(false);
        // The next message: the same place is found in it.
        find.search(egui::Id::unique("next"), &Haystack::Bytes(b"ab ab ab ab"), 0);
        assert_eq!(find.current(), Some(1));
        find.query = "zz".to_owned();
        find.search(doc, &Haystack::Bytes(b"ab"), 0);
        assert_eq!((find.current(), find.count_text()), (None, "No matches".to_owned()));
    }
}
