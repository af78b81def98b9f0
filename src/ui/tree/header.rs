//! The tree's header controls: the search field and the order of the top level.

#[allow(clippy::wildcard_imports)]
use super::*;
use row::sort_label;

/// The width of the sort box's text, in points.
const SORT_BOX_WIDTH: f32 = 120.0;

impl TreeView {
    /// The search field: text or an MQTT filter, optionally in payloads; Escape clears it.
    pub(super) fn search_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let width = (ui.available_width() - 100.0).max(40.0);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search_text)
                        .hint_text("Search topics (Ctrl+F), or a filter: home/+/temp")
                        .desired_width(width),
                )
                .on_hover_text("Text anywhere in the topic, in any case; with + or # as a level, an MQTT filter");
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Search topics"));
            if self.focus_search {
                field.request_focus();
                self.focus_search = false;
            }
            if (field.has_focus() || field.lost_focus()) && ui.input(|i| i.key_pressed(Key::Escape)) {
                self.search_text.clear();
            }
            ui.checkbox(&mut self.search_payloads, "Payloads")
                .on_hover_text("Also find topics whose latest payload contains the text");
        });
    }

    /// The order of the top level, and of every branch without its own.
    pub(super) fn sort_ui(&mut self, ui: &mut egui::Ui) {
        let remembered = egui::Id::unique("mqscope-tree-sort");
        if !std::mem::replace(&mut self.sort_restored, true)
            && let Some(order) = ui.ctx().data_mut(|d| d.get_persisted::<SortOrder>(remembered))
            && order != self.outline.default_sort()
        {
            self.outline.set_default_sort(order);
            self.expansion_changed = true;
        }
        let mut order = self.outline.default_sort();
        let combo = egui::ComboBox::from_id_salt("tree-sort")
            .selected_text(sort_label(order))
            .width(SORT_BOX_WIDTH)
            .show_ui(ui, |ui| {
                for option in SortOrder::ALL {
                    ui.selectable_value(&mut order, option, sort_label(option));
                }
            });
        combo.response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::ComboBox,
                true,
                format!("Sort topics by {}", sort_label(order)),
            )
        });
        combo
            .response
            .on_hover_text("The order of the top level, and of every branch not given its own (right-click a branch)");
        if order != self.outline.default_sort() {
            self.outline.set_default_sort(order);
            ui.ctx().data_mut(|d| d.insert_persisted(remembered, order));
            self.expansion_changed = true;
        }
        ui.weak("Sort");
    }

    /// The width [`Self::sort_ui`] takes: the box, its label and the space between them.
    pub(super) fn sort_width(&self, ui: &egui::Ui) -> f32 {
        let font = egui::TextStyle::Body.resolve(ui.style());
        let label = ui
            .painter()
            .layout_no_wrap("Sort".to_owned(), font, egui::Color32::PLACEHOLDER)
            .size()
            .x;
        let spacing = ui.spacing();
        SORT_BOX_WIDTH + 2.0 * spacing.button_padding.x + spacing.icon_width + 2.0 * spacing.item_spacing.x + label
    }

    /// Open or close many branches at once: all of them, or down to a level.
    pub(super) fn expand_menu_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        let menu = ui.menu_button("Expand", |ui| {
            if ui
                .button("Expand all")
                .on_hover_text("Open every branch (* in the tree)")
                .clicked()
            {
                self.expand_below(session, NodeId::ROOT, usize::MAX);
                ui.close();
            }
            if ui.button("Collapse all").clicked() {
                self.collapse_below(session, NodeId::ROOT);
                ui.close();
            }
            ui.separator();
            for level in 1..=3 {
                if ui.button(format!("Expand to level {level}")).clicked() {
                    self.expand_to_level(session, level);
                    ui.close();
                }
            }
        });
        menu.response
            .on_hover_text("Open or close every branch, or show the tree down to a level");
    }

    /// What the tree shows: "Topics", how many a search found, and how much arrived while paused,
    /// each cut short with an ellipsis when there is no room.
    pub(super) fn header_texts_ui(&self, ui: &mut egui::Ui, session: &Session) {
        ui.strong("Topics");
        if let Some(found) = self.found_topics() {
            let text = format!("{} found", plural(u64::from(found), "topic", "topics"));
            ui.add(egui::Label::new(egui::RichText::new(text).weak()).truncate());
        }
        if let Some(frozen) = &self.frozen {
            let since = frozen.received_since(&session.tree);
            let text = format!("Paused: {} since", plural(since, "message", "messages"));
            let color = ui.visuals().warn_fg_color;
            ui.add(egui::Label::new(egui::RichText::new(text).color(color)).truncate())
                .on_hover_text("The tree shows what it showed when paused; messages are still received and counted");
        }
    }
}
