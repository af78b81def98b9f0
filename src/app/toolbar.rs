//! The toolbar (the broker, connect and disconnect, the publish pane, the windows) and the
//! tab strip, one tab per connection.

use std::time::Instant;

use eframe::egui;

use super::App;
use super::about::ABOUT;
use super::windows::{BROKER, SETTINGS};
use crate::ui::{status, theme};

/// Below this width, in points, the toolbar puts the entries used less often into *More*.
const COMPACT_BELOW_WIDTH: f32 = 1240.0;

/// The About button: version, system and diagnostics to copy for a bug report.
fn about_ui(ui: &mut egui::Ui, windows: &mut super::windows::Windows) {
    let open = windows.is_open(ABOUT);
    if ui
        .selectable_label(open, "About")
        .on_hover_text("The version, the system, the log file and recent errors, to copy for a bug report")
        .clicked()
    {
        windows.set_open(ABOUT, !open);
        ui.close();
    }
}

impl App {
    /// A problem to show until dismissed (a damaged file, a failed save): wrapped to the
    /// window's width, its text selectable (paths can be copied), with Copy and Dismiss.
    pub(super) fn notice_ui(&mut self, ui: &mut egui::Ui) {
        let Some(notice) = &self.notice else { return };
        let mut dismiss = false;
        ui.horizontal(|ui| {
            if ui.small_button("Dismiss").clicked() {
                dismiss = true;
            }
            if ui.small_button("Copy").on_hover_text("Copy the whole notice").clicked() {
                ui.ctx().copy_text(notice.clone());
            }
            let text = egui::RichText::new(notice).color(theme::warn_color(ui));
            ui.add(egui::Label::new(text).wrap().selectable(true));
        });
        if dismiss {
            self.notice = None;
        }
    }

    pub(super) fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let mut reconnect = false;
        // Narrow, the entries used less often go into *More*, so the toolbar keeps one line.
        let compact = ui.available_width() < COMPACT_BELOW_WIDTH;
        // Wrapped: in a narrower or zoomed window the buttons take a second line, none is cut off.
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new("mqscope").strong().size(15.0));
            ui.separator();
            if !compact {
                self.open_recording_ui(ui);
            }
            let Some(explorer) = self.explorers.get(self.active) else {
                ui.weak("Not connected");
                if compact {
                    self.more_ui(ui);
                } else {
                    about_ui(ui, &mut self.windows);
                }
                return;
            };
            let offline = explorer.offline.is_some();
            // Narrow, the tab's hover and the status bar say where it is connected.
            if !compact {
                if let Some(path) = &explorer.offline {
                    ui.label(egui::RichText::new(path.display().to_string()).monospace())
                        .on_hover_text("A recording, opened without a broker");
                } else {
                    ui.label(egui::RichText::new(explorer.settings.address.to_string()).monospace());
                    ui.weak(format!("MQTT {}", explorer.version().as_str()));
                }
                if let Some(user) = explorer.settings.username.as_ref().filter(|_| !offline) {
                    ui.weak(format!("as {user}"));
                }
            }
            if !offline {
                if explorer.is_running() {
                    if ui.button("Disconnect").clicked()
                        && let Some(connection) = &explorer.connection
                    {
                        connection.disconnect();
                    }
                } else if ui.button("Reconnect").clicked() {
                    reconnect = true;
                }
            }
            self.tab_tools_ui(ui, offline);
            if !compact {
                self.broker_status_ui(ui);
                self.settings_ui(ui);
            }
            if self.show_form {
                if ui.button("Back to topics").clicked() {
                    self.show_form = false;
                }
            } else if ui
                .button("Connections…")
                .on_hover_text("Saved connection profiles: edit them, or connect to another broker")
                .clicked()
            {
                self.show_form = true;
            }
            if compact {
                self.more_ui(ui);
            } else {
                about_ui(ui, &mut self.windows);
            }
        });
        if reconnect {
            self.reconnect(ui.ctx());
        }
    }

    /// *More*: the entries a narrow toolbar leaves out.
    fn more_ui(&mut self, ui: &mut egui::Ui) {
        ui.menu_button("More", |ui| {
            self.open_recording_ui(ui);
            if !self.explorers.is_empty() {
                self.broker_status_ui(ui);
            }
            self.settings_ui(ui);
            about_ui(ui, &mut self.windows);
        })
        .response
        .on_hover_text("Open recording…, Broker status, Settings… and About");
    }

    fn open_recording_ui(&mut self, ui: &mut egui::Ui) {
        if ui
            .add_enabled(!self.open_recording.is_busy(), egui::Button::new("Open recording…"))
            .on_hover_text(
                "Open a recording (mqscope's .jsonl or .jsonl.zst, or mosquitto_sub -F %j lines) in a tab of its own",
            )
            .clicked()
        {
            self.open_recording.start(ui.ctx(), &self.dialogs, &self.runtime);
            ui.close();
        }
    }

    /// The shown tab's own tools: the publish pane, the log, the simulator, recording, replay.
    fn tab_tools_ui(&mut self, ui: &mut egui::Ui, offline: bool) {
        let Some(explorer) = self.explorers.get_mut(self.active) else {
            return;
        };
        let open = explorer.publish.open;
        if !offline
            && ui
                .selectable_label(open, "Publish")
                .on_hover_text("Show or hide the publish pane (Ctrl+P)")
                .clicked()
        {
            explorer.publish.open = !open;
        }
        let open = explorer.log.open;
        if ui
            .selectable_label(open, "Log")
            .on_hover_text("Show or hide the live log: every message in arrival order (Ctrl+L)")
            .clicked()
        {
            explorer.log.open = !open;
        }
        if !offline {
            explorer.simulate.toolbar_ui(ui);
        }
        let running = explorer.is_running();
        if !offline
            && let Some(action) = explorer
                .record_panel
                .toolbar_ui(ui, explorer.recording.as_mut(), running)
        {
            explorer.record_action(action);
        }
        if !offline {
            let connected = explorer.session.state().is_connected();
            explorer
                .replay_panel
                .toolbar_ui(ui, explorer.replay.as_ref(), connected);
        }
    }

    fn broker_status_ui(&mut self, ui: &mut egui::Ui) {
        let Some(explorer) = self.explorers.get(self.active) else {
            return;
        };
        if ui
            .selectable_label(self.windows.is_open(BROKER), "Broker status")
            .on_hover_text(if explorer.session.tree.find("$SYS").is_some() {
                "The broker's statistics ($SYS): version, uptime, clients, load, charted"
            } else {
                "No $SYS statistics seen on this connection: the broker may not publish them, \
                 or $SYS/# is not among the subscriptions"
            })
            .clicked()
        {
            let open = self.windows.is_open(BROKER);
            self.windows.set_open(BROKER, !open);
            ui.close();
        }
    }

    fn settings_ui(&mut self, ui: &mut egui::Ui) {
        if ui
            .button("Settings…")
            .on_hover_text("The theme, the zoom, how many messages are kept and how much memory they may take")
            .clicked()
        {
            self.windows.set_open(SETTINGS, true);
            ui.close();
        }
    }

    /// One tab per connection: a dot in the state's color, the name, a close button; then a
    /// button to open another.
    pub(super) fn tabs_ui(&mut self, ui: &mut egui::Ui) {
        let mut show = None;
        let mut close = None;
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            for (index, explorer) in self.explorers.iter().enumerate() {
                let selected = index == self.active && !self.show_form;
                let (_, color) = status::state_text(ui, explorer.session.state(), "", Instant::now());
                let frame = egui::Frame::new()
                    .inner_margin(egui::Margin::symmetric(8, 3))
                    .corner_radius(4.0)
                    .fill(if selected {
                        ui.visuals().selection.bg_fill.gamma_multiply(0.5)
                    } else {
                        ui.visuals().faint_bg_color
                    });
                frame.show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let (dot, _) = ui.allocate_exact_size(egui::vec2(8.0, 8.0), egui::Sense::hover());
                        ui.painter().circle_filled(dot.center(), 3.5, color);
                        let name = egui::RichText::new(&explorer.title);
                        let name = if selected { name.strong() } else { name };
                        let label = ui
                            .add(egui::Label::new(name).sense(egui::Sense::click()))
                            .on_hover_text(explorer.settings.address.to_string());
                        if label.clicked() {
                            show = Some(index);
                        }
                        if ui
                            .small_button("×")
                            .on_hover_text(format!("Close {} (disconnects)", explorer.title))
                            .clicked()
                        {
                            close = Some(index);
                        }
                    });
                });
            }
            if ui
                .small_button("+")
                .on_hover_text("Open another connection (Ctrl+Tab switches tabs)")
                .clicked()
            {
                self.show_form = true;
            }
        });
        if let Some(index) = show {
            self.show_tab(index);
        }
        if let Some(index) = close {
            self.close_tab(index);
        }
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let title = match self.explorers.get(self.active) {
            Some(explorer) => format!("mqscope — {}", explorer.settings.address),
            None => "mqscope".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}
