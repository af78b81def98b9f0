//! The simulator: a window of the tab (the toolbar's Simulate) listing simulations of devices,
//! each with Start or Stop, whether it runs, how many messages it sent and why the latest
//! failed; ready examples to add; and the editor of the one selected (`simulate/editor`).
//! Starting and stopping are [`TabCommand`]s; the tab's connection publishes.

mod editor;

use std::sync::Arc;

use eframe::egui::{self, RichText};

use super::context::{Commands, PanelContext, TabCommand};
use super::text::plural;
use super::theme;
use crate::model::simulate::{Simulation, examples};
use crate::simulate::{Snapshot, Status};

/// One simulation of the list, and its state.
struct Entry {
    simulation: Simulation,
    status: Arc<Status>,
}

impl Entry {
    fn new(simulation: Simulation) -> Self {
        Self {
            simulation,
            status: Arc::new(Status::default()),
        }
    }
}

/// The simulator window's state.
#[derive(Default)]
pub struct SimulatePanel {
    /// Whether the window is open.
    pub open: bool,
    entries: Vec<Entry>,
    selected: Option<usize>,
    changed: bool,
}

impl SimulatePanel {
    /// A panel with the simulations kept for this broker.
    pub fn with_simulations(simulations: Vec<Simulation>) -> Self {
        Self {
            selected: (!simulations.is_empty()).then_some(0),
            entries: simulations.into_iter().map(Entry::new).collect(),
            ..Self::default()
        }
    }

    /// The simulations, to keep.
    pub fn simulations(&self) -> Vec<Simulation> {
        self.entries.iter().map(|e| e.simulation.clone()).collect()
    }

    /// Whether the simulations changed since last asked (so they are saved).
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Whether any simulation runs.
    pub fn any_running(&self) -> bool {
        self.entries.iter().any(|e| e.status.snapshot().running)
    }

    /// The toolbar's button: shows or hides the window, and says how many run.
    pub fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let running = self.entries.iter().filter(|e| e.status.snapshot().running).count();
        let label = if running == 0 {
            "Simulate".to_owned()
        } else {
            format!("Simulate ({running} running)")
        };
        if ui
            .selectable_label(self.open, label)
            .on_hover_text("Simulated devices publishing on this connection: sensors, plugs, meters")
            .clicked()
        {
            self.open = !self.open;
        }
    }

    /// Draw the window while open, at first in the top right corner of `area` (the tab's).
    pub fn window_ui(&mut self, ctx: &egui::Context, area: egui::Rect, cx: &PanelContext<'_>, commands: &mut Commands) {
        if !self.open {
            return;
        }
        let mut open = self.open;
        let screen = ctx.content_rect();
        egui::Window::new("Simulate devices")
            .open(&mut open)
            // Over the message panel, below the toolbar and the tabs: the tree stays in sight.
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(area.right_top() + egui::vec2(-12.0, 8.0))
            .default_width((screen.width() * 0.5).clamp(380.0, 720.0))
            .default_height((screen.height() * 0.7).clamp(320.0, 760.0))
            .max_height(area.height() - 16.0)
            .resizable(true)
            .show(ctx, |ui| self.contents_ui(ui, cx, commands));
        self.open = open;
    }

    fn contents_ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>, commands: &mut Commands) {
        ui.horizontal(|ui| {
            ui.menu_button("Add example", |ui| {
                for example in examples::all() {
                    if ui.button(&example.name).clicked() {
                        self.add(example);
                        ui.close();
                    }
                }
            })
            .response
            .on_hover_text("A ready device of a home broker: Zigbee2MQTT, Tasmota, an energy meter, Home Assistant");
            if ui
                .button("New")
                .on_hover_text("An empty simulation of one device")
                .clicked()
            {
                self.add(editor::blank());
            }
            if !cx.link.connected {
                ui.colored_label(theme::warn_color(ui), "Not connected: messages would fail");
            }
        });
        ui.separator();
        if self.entries.is_empty() {
            ui.weak("No simulations yet: add an example or a new one.");
            return;
        }
        let mut remove = None;
        for (index, entry) in self.entries.iter().enumerate() {
            let snapshot = entry.status.snapshot();
            ui.horizontal(|ui| {
                if snapshot.running {
                    if ui.button("Stop").clicked() {
                        commands.push(TabCommand::StopSimulation(Arc::clone(&entry.status)));
                    }
                } else if ui.button("Start").clicked() {
                    commands.push(TabCommand::StartSimulation {
                        simulation: entry.simulation.clone(),
                        status: Arc::clone(&entry.status),
                    });
                }
                let selected = self.selected == Some(index);
                if ui.selectable_label(selected, &entry.simulation.name).clicked() {
                    self.selected = Some(index);
                }
                state_ui(ui, &snapshot);
                if !snapshot.running
                    && ui
                        .small_button("Delete")
                        .on_hover_text("Remove this simulation")
                        .clicked()
                {
                    remove = Some(index);
                }
            });
            problem_ui(ui, &snapshot);
        }
        if let Some(index) = remove {
            self.entries.remove(index);
            self.selected = self
                .selected
                .filter(|&s| s != index)
                .map(|s| if s > index { s - 1 } else { s });
            self.changed = true;
        }
        let Some(entry) = self.selected.and_then(|s| self.entries.get_mut(s)) else {
            return;
        };
        ui.separator();
        let running = entry.status.snapshot().running;
        egui::ScrollArea::vertical().auto_shrink([false, true]).show(ui, |ui| {
            if editor::simulation_ui(ui, &mut entry.simulation, running) {
                self.changed = true;
            }
        });
    }

    fn add(&mut self, simulation: Simulation) {
        self.entries.push(Entry::new(simulation));
        self.selected = Some(self.entries.len() - 1);
        self.changed = true;
    }
}

/// Whether it runs, and its counts.
fn state_ui(ui: &mut egui::Ui, snapshot: &Snapshot) {
    let (mark, color) = if snapshot.running {
        ("Running", theme::ok_color(ui))
    } else {
        ("Stopped", ui.visuals().weak_text_color())
    };
    ui.label(RichText::new(mark).color(color));
    if snapshot.issued > 0 || snapshot.running {
        ui.label(format!("{} sent", crate::payload::text::group_digits(snapshot.sent)));
    }
    if snapshot.failed > 0 {
        ui.colored_label(
            theme::error_color(ui),
            format!("{} failed", crate::payload::text::group_digits(snapshot.failed)),
        );
    }
    let waiting = snapshot.issued.saturating_sub(snapshot.sent + snapshot.failed);
    if snapshot.running && waiting > 0 {
        ui.weak(format!("{} waiting", plural(waiting, "message", "messages")))
            .on_hover_text("Handed to the connection, not yet sent");
    }
}

/// Why it ended on its own, or why the latest message failed.
fn problem_ui(ui: &mut egui::Ui, snapshot: &Snapshot) {
    let problem = snapshot
        .ended
        .as_deref()
        .map(|why| format!("Ended: {why}"))
        .or_else(|| {
            snapshot
                .last_failure
                .as_deref()
                .map(|why| format!("Latest failure: {why}"))
        });
    if let Some(problem) = problem {
        ui.add(egui::Label::new(RichText::new(problem).color(theme::error_color(ui)).small()).wrap());
    }
}
