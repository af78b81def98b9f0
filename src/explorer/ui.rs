//! The layout of a tab: the message panel on the right (the publish pane at its bottom when
//! open), the topic tree in the middle, and a clearing of retained messages as a dialog.

use eframe::egui;

use super::Explorer;
use super::clear_dialog::{self, Decision};
use super::split;
use crate::ui::context::PanelContext;
use crate::ui::dialogs::Dialogs;

/// The tree keeps at least this much of the window's width, in points, however the message
/// panel is dragged or the window shrunk.
const TREE_MIN_WIDTH: f32 = 320.0;
/// The message panel's narrowest, in points.
const MESSAGE_PANEL_MIN_WIDTH: f32 = 280.0;

impl Explorer {
    /// Draw the tab, then carry out what its panels asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, runtime: &tokio::runtime::Handle, dialogs: &Dialogs) {
        // Under everything else of the tab, as wide as it.
        self.time_ui(ui);
        let link = self.link();
        let tab_area = ui.available_rect_before_wrap();
        let Self {
            session,
            tree,
            message,
            log,
            publish,
            pins,
            simulate,
            subscriptions,
            commands,
            settings,
            offline,
            ..
        } = self;
        let cx = PanelContext {
            session,
            selected: tree.selected,
            link,
            client_id: &settings.client_id,
            pins,
            subscriptions: &settings.subscriptions,
            runtime,
            dialogs,
        };
        if log.open {
            // Under the tree and the message panel, as wide as the tab.
            egui::Panel::bottom("log")
                .resizable(true)
                .default_size((ui.available_height() * 0.35).clamp(160.0, 420.0))
                .min_size(120.0)
                .max_size((ui.available_height() * 0.7).max(120.0))
                .show(ui, |ui| {
                    ui.set_min_height(ui.available_height());
                    log.ui(ui, &cx, commands);
                });
        }
        let tab_width = ui.available_width();
        let range = (
            MESSAGE_PANEL_MIN_WIDTH,
            (tab_width - TREE_MIN_WIDTH).max(MESSAGE_PANEL_MIN_WIDTH),
        );
        let split = split::frame(ui.ctx(), tab_width, range);
        let mut panel = egui::Panel::right("message")
            .resizable(true)
            .default_size((tab_width * split.share).max(MESSAGE_PANEL_MIN_WIDTH))
            .min_size(range.0)
            .max_size(range.1);
        if let Some(width) = split.hold {
            // The window was resized: the panel keeps its share.
            panel = panel.exact_size(width);
        }
        let shown = panel.show(ui, |ui| {
            // Fill the panel, so it keeps its width whatever the content.
            ui.set_min_width(ui.available_width());
            if publish.open {
                egui::Panel::bottom("publish")
                    .resizable(true)
                    // A share of the panel, so the message above it always keeps room.
                    .default_size((ui.available_height() * 0.45).clamp(180.0, 340.0))
                    .min_size(160.0)
                    .max_size((ui.available_height() * 0.6).max(160.0))
                    .show(ui, |ui| {
                        // Fill the panel, so it keeps its height whatever the content.
                        ui.set_min_height(ui.available_height());
                        publish.ui(ui, &cx, commands);
                    });
            }
            // The message view takes what the publish pane leaves, and no more.
            egui::CentralPanel::no_frame().show(ui, |ui| message.ui(ui, &cx, commands));
        });
        split.drawn(ui.ctx(), shown.response.rect.width());
        egui::CentralPanel::default().show(ui, |ui| {
            // A recording's tab has no connection to subscribe on.
            if offline.is_none() {
                subscriptions.bar_ui(ui, &cx, commands);
            }
            tree.ui(ui, &cx, commands);
        });
        simulate.window_ui(ui.ctx(), tab_area, &cx, commands);
        subscriptions.dialog_ui(ui.ctx(), &cx, commands);
        if let Some(job) = &mut self.clear {
            match clear_dialog::ui(ui.ctx(), job) {
                Some(Decision::Clear) => job.confirm(),
                Some(Decision::Cancel) => job.cancel(),
                Some(Decision::Close) => self.clear = None,
                None => {}
            }
        }
        self.export.ui(ui.ctx(), dialogs, runtime);
        if self.record_panel.open {
            let suggested = crate::ui::text::suggested_file_name(
                &format!(
                    "mqscope-{}-{}",
                    self.settings.address.authority(),
                    chrono::Local::now().format("%Y%m%d-%H%M%S")
                ),
                "jsonl",
            );
            if let Some(action) = self.record_panel.dialog_ui(ui.ctx(), dialogs, runtime, &suggested) {
                self.record_action(action);
            }
        }
        if let Some(action) = self
            .replay_panel
            .dialog_ui(ui.ctx(), dialogs, runtime, self.replay.as_ref())
        {
            self.replay_action(action);
        }
        self.apply(ui.ctx());
    }
}
