//! Moving through the tree with the keyboard: arrows, Home, End, pages, Enter and Space, and P to pause.

#[allow(clippy::wildcard_imports)]
use super::*;

impl TreeView {
    /// Move the selection, open and close branches, and pause, when the tree has the keys.
    pub(super) fn handle_keys(&mut self, ui: &egui::Ui, session: &Session) {
        // The tree takes the keys when it has keyboard focus, or when nothing has.
        let focus = focus_id();
        let ours = ui.memory_mut(|m| {
            m.interested_in_focus(focus, ui.layer_id());
            // Arrows move through the tree, not between widgets.
            m.set_focus_lock_filter(
                focus,
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    ..Default::default()
                },
            );
            m.has_focus(focus) || m.focused().is_none()
        });
        if !ours {
            return;
        }
        if ui.input_mut(|i| {
            i.consume_key(egui::Modifiers::NONE, Key::P) || i.consume_key(egui::Modifiers::NONE, Key::Pause)
        }) {
            self.set_paused(session, !self.is_paused());
        }
        // Escape clears the search from anywhere in the tree, not only from its field.
        if !self.search_text.is_empty() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape)) {
            self.search_text.clear();
        }
        // `*` opens every branch below the selected one (the whole tree when none is), as in
        // the tree views of file managers.
        let star = ui.input_mut(|i| {
            let typed = i
                .events
                .iter()
                .position(|e| matches!(e, egui::Event::Text(t) if t == "*"));
            typed.map(|index| i.events.remove(index)).is_some()
        });
        if star {
            self.expand_below(session, self.selected.unwrap_or(NodeId::ROOT), usize::MAX);
        }
        if self.rows.is_empty() {
            return;
        }
        const KEYS: [Key; 10] = [
            Key::ArrowDown,
            Key::ArrowUp,
            Key::ArrowLeft,
            Key::ArrowRight,
            Key::Home,
            Key::End,
            Key::PageDown,
            Key::PageUp,
            Key::Enter,
            Key::Space,
        ];
        if !ui.input(|i| KEYS.iter().any(|&key| i.key_pressed(key))) {
            return;
        }
        let pressed = |key| ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key));
        let current = self.selected.and_then(|id| rows::position(&self.rows, id));
        let last = self.rows.len() - 1;
        let pitch = theme::TREE_ROW_HEIGHT + ui.spacing().item_spacing.y;
        // A page keeps one row of context.
        let page = ((self.view_height / pitch) as usize).saturating_sub(1).max(1);
        let mut target = None;
        if pressed(Key::ArrowDown) {
            target = Some(current.map_or(0, |i| (i + 1).min(last)));
        } else if pressed(Key::ArrowUp) {
            target = Some(current.map_or(0, |i| i.saturating_sub(1)));
        } else if pressed(Key::Home) {
            target = Some(0);
        } else if pressed(Key::End) {
            target = Some(last);
        } else if pressed(Key::PageDown) {
            target = Some(current.map_or(0, |i| (i + page).min(last)));
        } else if pressed(Key::PageUp) {
            target = Some(current.map_or(0, |i| i.saturating_sub(page)));
        } else if let Some(id) = self.selected {
            let node = session.tree.get(id);
            let expanded = self.outline.is_expanded(id) && node.is_some_and(|n| n.has_children());
            let has_children = node.is_some_and(|n| n.has_children());
            let parent = node.map(crate::model::Node::parent);
            if pressed(Key::ArrowRight) {
                if expanded {
                    target = current.map(|i| (i + 1).min(last));
                } else if has_children {
                    self.set_expanded(session, id, true);
                }
            } else if pressed(Key::ArrowLeft) {
                if expanded {
                    self.set_expanded(session, id, false);
                } else if let Some(parent) = parent.filter(|&p| p != NodeId::ROOT) {
                    self.selected = Some(parent);
                    self.scroll_to_selected = true;
                }
            } else if pressed(Key::Enter) || pressed(Key::Space) {
                self.toggle(session, id);
            }
        }
        if let Some(row) = target.and_then(|i| self.rows.get(i)) {
            self.selected = Some(row.id);
            self.scroll_to_selected = true;
        }
    }
}
