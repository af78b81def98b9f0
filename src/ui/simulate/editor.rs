//! The editor of one simulation: its name, rate, devices and their topics, each payload
//! template checked as it is typed (what is wrong, and at which column).

use eframe::egui::{self, RichText};

use crate::model::Qos;
use crate::model::simulate::{Device, FIELDS_HELP, Rate, SimTopic, Simulation, Template};
use crate::ui::theme;

/// An empty simulation of one device with one topic.
pub(super) fn blank() -> Simulation {
    Simulation {
        name: "New simulation".into(),
        rate: Rate::PerSecond(1.0),
        devices: vec![Device {
            name: "device1".into(),
            topics: vec![blank_topic()],
        }],
    }
}

fn blank_topic() -> SimTopic {
    SimTopic {
        topic: "sim/{{device}}/state".into(),
        payload: r#"{"count":{{counter}},"value":{{random(0,100)}}}"#.into(),
        qos: Qos::AtMostOnce,
        retain: false,
    }
}

/// Edit `simulation`; true when it changed.
pub(super) fn simulation_ui(ui: &mut egui::Ui, simulation: &mut Simulation, running: bool) -> bool {
    let mut changed = false;
    if running {
        ui.weak("Running: changes apply when it is started again.");
    }
    egui::Grid::new("simulation").num_columns(2).show(ui, |ui| {
        ui.label("Name");
        changed |= ui
            .add(egui::TextEdit::singleline(&mut simulation.name).desired_width(260.0))
            .changed();
        ui.end_row();
        ui.label("Rate");
        changed |= rate_ui(ui, &mut simulation.rate);
        ui.end_row();
    });
    let fields = RichText::new(format!("Fields: {FIELDS_HELP}")).weak().small();
    ui.add(egui::Label::new(fields).wrap());
    let mut remove_device = None;
    let devices = simulation.devices.len();
    for (index, device) in simulation.devices.iter_mut().enumerate() {
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(RichText::new("Device").strong());
            changed |= ui
                .add(egui::TextEdit::singleline(&mut device.name).desired_width(200.0))
                .on_hover_text("Its name, written where {{device}} stands")
                .changed();
            if devices > 1 && ui.small_button("Remove device").clicked() {
                remove_device = Some(index);
            }
        });
        changed |= topics_ui(ui, index, &mut device.topics);
    }
    if let Some(index) = remove_device {
        simulation.devices.remove(index);
        changed = true;
    }
    ui.separator();
    if ui
        .button("Add device")
        .on_hover_text("Another device like the last one, publishing in turn with the others")
        .clicked()
    {
        let mut device = simulation.devices.last().cloned().unwrap_or_else(|| Device {
            name: String::new(),
            topics: vec![blank_topic()],
        });
        device.name = format!("device{}", simulation.devices.len() + 1);
        simulation.devices.push(device);
        changed = true;
    }
    changed
}

/// Messages a second, or the interval between two.
fn rate_ui(ui: &mut egui::Ui, rate: &mut Rate) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| match rate {
        Rate::PerSecond(per_second) => {
            changed |= ui
                .add(
                    egui::DragValue::new(per_second)
                        .range(0.01..=Rate::MAX_PER_SECOND)
                        .speed(1.0)
                        .max_decimals(2),
                )
                .changed();
            ui.label("messages a second");
            if ui.small_button("Use an interval").clicked() {
                *rate = Rate::IntervalMs((1000.0_f64 / per_second.max(0.01)).round() as u64);
                changed = true;
            }
        }
        Rate::IntervalMs(ms) => {
            ui.label("every");
            changed |= ui
                .add(egui::DragValue::new(ms).range(1..=86_400_000).speed(10.0))
                .changed();
            ui.label("ms");
            if ui.small_button("Use a rate").clicked() {
                *rate = Rate::PerSecond(1000.0 / (*ms).max(1) as f64);
                changed = true;
            }
        }
    });
    changed
}

/// A device's topics: name, QoS, retain, payload template and what is wrong with it.
fn topics_ui(ui: &mut egui::Ui, device: usize, topics: &mut Vec<SimTopic>) -> bool {
    let mut changed = false;
    let mut remove = None;
    let count = topics.len();
    for (index, topic) in topics.iter_mut().enumerate() {
        ui.push_id((device, index), |ui| {
            ui.horizontal(|ui| {
                ui.label("Topic");
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(&mut topic.topic)
                            .desired_width((ui.available_width() - 190.0).max(120.0)),
                    )
                    .changed();
                egui::ComboBox::from_id_salt("qos")
                    .width(60.0)
                    .selected_text(format!("QoS {}", topic.qos.level()))
                    .show_ui(ui, |ui| {
                        for qos in Qos::ALL {
                            changed |= ui
                                .selectable_value(&mut topic.qos, qos, format!("QoS {}", qos.level()))
                                .changed();
                        }
                    });
                changed |= ui.checkbox(&mut topic.retain, "Retain").changed();
                if count > 1 && ui.small_button("×").on_hover_text("Remove this topic").clicked() {
                    remove = Some(index);
                }
            });
            changed |= ui
                .add(
                    egui::TextEdit::multiline(&mut topic.payload)
                        .code_editor()
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .changed();
            for (what, text) in [("Topic", &topic.topic), ("Payload", &topic.payload)] {
                if let Err(error) = Template::parse(text) {
                    ui.add(
                        egui::Label::new(RichText::new(format!("{what}, {error}")).color(theme::error_color(ui)))
                            .wrap(),
                    );
                }
            }
        });
    }
    if let Some(index) = remove {
        topics.remove(index);
        changed = true;
    }
    if ui.small_button("Add topic").clicked() {
        topics.push(blank_topic());
        changed = true;
    }
    changed
}
