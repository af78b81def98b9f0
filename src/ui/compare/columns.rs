//! The columns a user hid, remembered per compared branch for the session, and the Columns…
//! menu that lists every column with a checkbox to hide or show it.

use std::collections::HashMap;

use eframe::egui::{self, PopupCloseBehavior, containers::menu};

use super::table::{ColumnKey, Table};

/// The columns hidden, per place compared (a branch's topic; one place for the pinned topics).
#[derive(Default)]
pub struct Hidden {
    by_place: HashMap<String, Vec<ColumnKey>>,
}

impl Hidden {
    /// The columns hidden at `place`, in the order they were hidden; fields that are not in the
    /// table now stay hidden should they come back.
    pub fn of(&self, place: &str) -> &[ColumnKey] {
        self.by_place.get(place).map_or(&[], Vec::as_slice)
    }

    /// Hide the column `key` at `place`.
    pub fn hide(&mut self, place: &str, key: ColumnKey) {
        let hidden = self.by_place.entry(place.to_owned()).or_default();
        if !hidden.contains(&key) {
            hidden.push(key);
        }
    }

    /// Show the column `key` at `place` again.
    pub fn show(&mut self, place: &str, key: &ColumnKey) {
        if let Some(hidden) = self.by_place.get_mut(place) {
            hidden.retain(|k| k != key);
        }
    }

    /// Show every column at `place`.
    pub fn show_all(&mut self, place: &str) {
        self.by_place.remove(place);
    }
}

/// The indices of `table`'s columns not `hidden`, in the table's order.
pub fn shown(table: &Table, hidden: &[ColumnKey]) -> Vec<usize> {
    (0..table.columns.len())
        .filter(|&i| !hidden.contains(&table.columns[i].key))
        .collect()
}

/// How many of `table`'s columns are `hidden`.
pub fn hidden_count(table: &Table, hidden: &[ColumnKey]) -> usize {
    table.columns.iter().filter(|c| hidden.contains(&c.key)).count()
}

/// What the user changed in the Columns… menu.
pub enum Change {
    Hide(ColumnKey),
    Show(ColumnKey),
    ShowAll,
}

/// The Columns… menu button: Show all, then every column with a checkbox (Topic's always on),
/// the menu staying open while boxes are ticked; and how many columns are hidden beside it.
pub fn menu_ui(ui: &mut egui::Ui, table: &Table, hidden: &[ColumnKey]) -> Option<Change> {
    let mut change = None;
    let count = hidden_count(table, hidden);
    let config = menu::MenuConfig::new().close_behavior(PopupCloseBehavior::CloseOnClickOutside);
    let (button, _) = menu::MenuButton::new("Columns…").config(config).ui(ui, |ui| {
        if ui
            .add_enabled(count > 0, egui::Button::new("Show all"))
            .on_hover_text("Show every column again")
            .clicked()
        {
            change = Some(Change::ShowAll);
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("compare-columns-menu")
            .max_height(320.0)
            .show(ui, |ui| {
                ui.add_enabled(false, egui::Checkbox::new(&mut true, "Topic"))
                    .on_disabled_hover_text("The Topic column is always shown");
                for column in &table.columns {
                    let mut shown = !hidden.contains(&column.key);
                    if ui.checkbox(&mut shown, &column.name).changed() {
                        change = Some(if shown {
                            Change::Show(column.key.clone())
                        } else {
                            Change::Hide(column.key.clone())
                        });
                    }
                }
            });
    });
    button.on_hover_text("Hide or show columns; right-click a header to hide its column");
    if count > 0 {
        ui.weak(format!("{count} hidden"));
    }
    change
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_columns_are_kept_per_place() {
        let mut hidden = Hidden::default();
        let battery = ColumnKey::Field("battery".into());
        hidden.hide("zigbee2mqtt", battery.clone());
        hidden.hide("zigbee2mqtt", battery.clone());
        hidden.hide("zigbee2mqtt", ColumnKey::Received);
        assert_eq!(hidden.of("zigbee2mqtt"), [battery.clone(), ColumnKey::Received]);
        assert!(hidden.of("home").is_empty(), "another branch has its own");
        hidden.show("zigbee2mqtt", &battery);
        assert_eq!(hidden.of("zigbee2mqtt"), [ColumnKey::Received]);
        hidden.show_all("zigbee2mqtt");
        assert!(hidden.of("zigbee2mqtt").is_empty());
    }
}
