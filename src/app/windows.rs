//! The app's floating windows (settings, broker status, about), behind one small trait and kept in
//! one list: a new window is one type and one line in [`Windows::new`].

use eframe::egui;

use super::about::{AboutWindow, Diagnostics};
use crate::explorer::Explorer;
use crate::profiles::settings::{self, Settings, Theme};

/// What a window is drawn with.
pub struct WindowContext<'a> {
    /// What the user set; a window may change it (the app then applies and saves it).
    pub settings: &'a mut Settings,
    /// The tab shown, if any.
    pub explorer: Option<&'a Explorer>,
    /// Every open tab.
    pub explorers: &'a [Explorer],
    /// Where the app runs, its log and its latest problems.
    pub diagnostics: &'a Diagnostics,
}

/// A floating window of the app.
pub trait AppWindow {
    /// Its name, unique among the windows.
    fn name(&self) -> &'static str;

    /// Draw it while `open`; closing it sets `open` to false.
    fn show(&mut self, ctx: &egui::Context, open: &mut bool, cx: &mut WindowContext<'_>);
}

/// Every window, and which are open.
pub struct Windows {
    list: Vec<(Box<dyn AppWindow>, bool)>,
}

impl Default for Windows {
    fn default() -> Self {
        Self::new()
    }
}

impl Windows {
    /// The app's windows, all closed.
    pub fn new() -> Self {
        let list: Vec<Box<dyn AppWindow>> = vec![
            Box::new(SettingsWindow),
            Box::new(BrokerWindow),
            Box::new(AboutWindow::default()),
        ];
        Self {
            list: list.into_iter().map(|w| (w, false)).collect(),
        }
    }

    /// Whether the window called `name` is open.
    pub fn is_open(&self, name: &str) -> bool {
        self.list.iter().any(|(w, open)| *open && w.name() == name)
    }

    /// Open or close the window called `name`.
    pub fn set_open(&mut self, name: &str, open: bool) {
        for (window, is_open) in &mut self.list {
            if window.name() == name {
                *is_open = open;
            }
        }
    }

    /// Draw every open window.
    pub fn show(&mut self, ctx: &egui::Context, cx: &mut WindowContext<'_>) {
        for (window, open) in &mut self.list {
            if *open {
                window.show(ctx, open, cx);
            }
        }
    }
}

/// The settings window's name.
pub const SETTINGS: &str = "Settings";
/// The broker statistics window's name.
pub const BROKER: &str = "Broker status";

/// The look (theme, zoom) and the history bounds, applied at once and saved.
struct SettingsWindow;

impl AppWindow for SettingsWindow {
    fn name(&self) -> &'static str {
        SETTINGS
    }

    fn show(&mut self, ctx: &egui::Context, open: &mut bool, cx: &mut WindowContext<'_>) {
        let settings = &mut *cx.settings;
        // Escape closes it, as it closes a dialog.
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            *open = false;
            return;
        }
        // Below the toolbar and tabs, never over them.
        let top = ctx.content_rect().center_top() + egui::vec2(-170.0, 90.0);
        egui::Window::new("Settings")
            .open(open)
            .collapsible(false)
            .resizable(false)
            .default_pos(top)
            .show(ctx, |ui| {
                egui::Grid::new("settings-grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        let label = ui.label("Messages kept per topic");
                        ui.add(
                            egui::DragValue::new(&mut settings.history_per_topic)
                                .range(settings::PER_TOPIC_RANGE)
                                .speed(10),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Memory for kept messages");
                        ui.add(
                            egui::DragValue::new(&mut settings.history_budget_mib)
                                .range(settings::BUDGET_MIB_RANGE)
                                .suffix(" MiB")
                                .speed(8),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                ui.weak("Shared by all open connections; the oldest messages of all topics go first.");
                ui.separator();
                look_ui(ui, settings);
            });
    }
}

/// The theme and zoom choices of the settings window.
fn look_ui(ui: &mut egui::Ui, settings: &mut Settings) {
    egui::Grid::new("look-grid")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            ui.label("Theme");
            ui.horizontal(|ui| {
                for theme in Theme::ALL {
                    ui.radio_value(&mut settings.theme, theme, theme.label());
                }
            });
            ui.end_row();
            let label = ui.label("Zoom");
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt("zoom")
                    .selected_text(format!("{} %", settings.zoom_percent))
                    .width(80.0)
                    .show_ui(ui, |ui| {
                        for zoom in settings::ZOOM_RANGE.step_by(settings::ZOOM_STEP as usize) {
                            ui.selectable_value(&mut settings.zoom_percent, zoom, format!("{zoom} %"));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.weak("Ctrl + and Ctrl - zoom too, Ctrl 0 resets");
            });
            ui.end_row();
        });
}

/// The shown tab's broker statistics (`$SYS`).
struct BrokerWindow;

impl AppWindow for BrokerWindow {
    fn name(&self) -> &'static str {
        BROKER
    }

    fn show(&mut self, ctx: &egui::Context, open: &mut bool, cx: &mut WindowContext<'_>) {
        let Some(explorer) = cx.explorer else {
            return;
        };
        // Below the toolbar; taller than the window (small, or zoomed), it scrolls.
        let area = ctx.content_rect();
        egui::Window::new(format!("Broker: {}", explorer.title))
            .id(egui::Id::unique("broker-window"))
            .open(open)
            .collapsible(false)
            .resizable(false)
            .default_pos(area.left_top() + egui::vec2(16.0, 70.0))
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height((area.height() - 130.0).max(120.0))
                    .min_scrolled_height((area.height() - 130.0).max(120.0))
                    .show(ui, |ui| crate::ui::broker::ui(ui, &explorer.session));
            });
    }
}
