//! The chart's controls and its legend. The controls: add a series (of this
//! topic, or of another), normalise, pause or resume, clear, export. The
//! legend, above the plot so it never covers the data: a coloured label per
//! series with its name, its value (the newest, or at the time the pointer is
//! over in the plot) and a button that takes it off the chart.

use eframe::egui::{self, RichText};

use super::choice::{Choice, Series};
use super::scale::{self, Scale};
use super::set::Charted;
use super::{Act, points};
use crate::model::NodeId;

/// The row of controls. `offered` are the numbers of the topic's newest message.
pub(super) fn controls_ui(
    ui: &mut egui::Ui,
    (own, offered): (NodeId, &[(Option<&str>, f64)]),
    choice: &Choice,
    has_rows: bool,
    acts: &mut Vec<Act>,
) {
    ui.horizontal_wrapped(|ui| {
        add_menu_ui(ui, own, offered, choice, acts);
        if choice.series.len() > 1 {
            let mut normalised = choice.is_normalised();
            let toggle = ui.checkbox(&mut normalised, "Normalise").on_hover_text(
                "Scale each series to its own range, with an axis each; the legend and the labels \
                 show real values. On by itself when the series' ranges differ a lot",
            );
            if toggle.changed() {
                acts.push(Act::Normalise(normalised));
            }
        }
        ui.separator();
        let paused = choice.paused_at.is_some();
        if paused {
            if ui
                .button("Resume chart")
                .on_hover_text("Chart the messages that came while paused, and the next ones")
                .clicked()
            {
                acts.push(Act::Resume);
            }
        } else if ui
            .button("Pause chart")
            .on_hover_text("Stop charting new messages for now")
            .clicked()
        {
            acts.push(Act::Pause);
        }
        if ui
            .button("Clear chart")
            .on_hover_text("Forget the points shown; only messages from now on are charted (the history stays)")
            .clicked()
        {
            acts.push(Act::Clear);
        }
        if ui
            .add_enabled(has_rows, egui::Button::new("Export CSV…"))
            .on_hover_text("Write the charted points to a CSV file: time, epoch milliseconds, a column per series")
            .clicked()
        {
            acts.push(Act::Export);
        }
        if paused {
            ui.label(RichText::new("Paused").strong().color(crate::ui::theme::warn_color(ui)));
        }
    });
}

/// A menu of the newest message's numbers not charted yet, and the way to another topic's.
fn add_menu_ui(ui: &mut egui::Ui, own: NodeId, offered: &[(Option<&str>, f64)], choice: &Choice, acts: &mut Vec<Act>) {
    let menu = ui.menu_button("Add series", |ui| {
        let mut any = false;
        for &(source, value) in offered {
            if choice.has(own, source) {
                continue;
            }
            any = true;
            let text = format!("{}  ({})", points::name(source), scale::format_value(value));
            if ui.button(text).clicked() {
                acts.push(Act::Add {
                    topic: own,
                    other: None,
                    source: source.map(str::to_owned),
                });
                ui.close();
            }
        }
        if offered.is_empty() {
            ui.weak("The latest message holds no number");
        } else if !any {
            ui.weak("Every number of the latest message is charted");
        }
        ui.separator();
        if ui
            .button("From another topic…")
            .on_hover_text("Compare with a number of another topic's payloads")
            .clicked()
        {
            acts.push(Act::PickOther);
            ui.close();
        }
    });
    menu.response.on_hover_text(
        "Chart another number of the latest message, or of another topic; or click a number in the payload below",
    );
}

/// The legend: a label per series in its colour. `hovered` is the time the pointer is over in
/// the plot (seconds since 1970), whose values are shown instead of the newest.
pub(super) fn legend_ui(
    ui: &mut egui::Ui,
    choice: &Choice,
    charted: &Charted,
    hovered: Option<f64>,
    acts: &mut Vec<Act>,
) {
    let normalised = choice.is_normalised();
    ui.horizontal_wrapped(|ui| {
        for (index, series) in choice.series.iter().enumerate() {
            let point = match hovered {
                Some(x) => charted.nearest(index, x),
                None => charted.last(index),
            };
            let range = normalised.then(|| charted.range(index)).flatten();
            let note = charted.kind(index).note();
            if chip_ui(ui, series, note, point.map(|p| p.y), range) {
                acts.push(Act::Remove(index));
            }
        }
        if let Some(x) = hovered.filter(|_| !choice.series.is_empty()) {
            ui.weak(format!("at {}", super::plot::time_of_day(x, 3)));
        }
    });
}

/// One series' label: a dot in its colour, its name (with how booleans count, `note`), its
/// value, its range when normalised, and a button that removes it; on the next row when it does
/// not fit on this one, never broken up. Returns whether the button was clicked.
fn chip_ui(
    ui: &mut egui::Ui,
    series: &Series,
    note: Option<&str>,
    value: Option<f64>,
    range: Option<(f64, f64)>,
) -> bool {
    let name = series.label();
    let shown_name = match note {
        Some(note) => format!("{name} ({note})"),
        None => name.clone(),
    };
    let value_text = value.map_or_else(|| "no value yet".to_owned(), scale::format_value);
    let range_text = range.map(|(min, max)| {
        let scale = Scale::around(min, max);
        format!("{} to {}", scale::format_value(scale.lo), scale::format_value(scale.hi))
    });
    // Its width, to start a new row when it would not fit on this one.
    let measure = |ui: &egui::Ui, text: &str, style: egui::TextStyle| {
        let font = style.resolve(ui.style());
        ui.painter()
            .layout_no_wrap(text.to_owned(), font, egui::Color32::WHITE)
            .size()
            .x
    };
    let size = ui.text_style_height(&egui::TextStyle::Body);
    let spacing = 4.0;
    let mut width = 12.0 + size * 0.6 + measure(ui, &shown_name, egui::TextStyle::Monospace);
    width += spacing + measure(ui, &value_text, egui::TextStyle::Body);
    if let Some(range) = &range_text {
        width += spacing + measure(ui, range, egui::TextStyle::Body);
    }
    width += 3.0 * spacing + measure(ui, "×", egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.x;
    // In a wrapping row the available width is the whole row's: what is left is up to the cursor.
    let left = ui.max_rect().right() - ui.cursor().left();
    if width > left && left < ui.max_rect().width() - 1.0 {
        ui.end_row();
    }
    let mut removed = false;
    egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.x = spacing;
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            let (dot, _) = ui.allocate_exact_size(egui::vec2(size * 0.6, size), egui::Sense::hover());
            ui.painter().circle_filled(dot.center(), size * 0.3, series.color(ui));
            ui.label(RichText::new(&shown_name).monospace());
            if value.is_some() {
                ui.label(RichText::new(&value_text).strong());
            } else {
                ui.weak(&value_text);
            }
            if let Some(range) = &range_text {
                ui.weak(range)
                    .on_hover_text("The range the series is scaled to: bottom to top of the plot");
            }
            let remove = ui
                .small_button("×")
                .on_hover_text(format!("Remove {name} from the chart"));
            remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove {name}")));
            removed = remove.clicked();
        });
    removed
}
