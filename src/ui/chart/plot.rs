//! The plot itself: a line per series in its colour, a legend, a value axis at
//! round steps and a local time axis.

use eframe::egui::{self, Color32};
use egui_plot::{Corner, GridInput, GridMark, HoverPosition, Legend, Line, Plot, PlotPoints};

use super::points::{self, Points};
use super::{PALETTE, Series};
use crate::model::NodeId;

/// Points are marked with dots when a series has no more than this many.
const MAX_DOTTED_POINTS: usize = 200;

/// About five grid marks at a round step (1, 2 or 5 times a power of ten), so the value axis
/// always has labels whatever the range.
pub(in crate::ui) fn nice_marks(input: GridInput) -> Vec<GridMark> {
    let (min, max) = input.bounds;
    let range = max - min;
    if !(range.is_finite() && range > 0.0) {
        return Vec::new();
    }
    let raw = range / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power);
    let first = (min / step).ceil() as i64;
    let last = (max / step).floor() as i64;
    (first..=last)
        .take(100)
        .map(|i| GridMark {
            value: i as f64 * step,
            step_size: step,
        })
        .collect()
}

/// Local time of day for seconds since 1970, with `decimals` digits of the second (0 to 3).
fn time_of_day(seconds: f64, decimals: usize) -> String {
    chrono::DateTime::from_timestamp_millis((seconds * 1000.0).round() as i64)
        .map(|t| {
            let text = t.with_timezone(&chrono::Local).format("%H:%M:%S%.3f").to_string();
            let keep = if decimals == 0 { 8 } else { 9 + decimals.min(3) };
            text.get(..keep).unwrap_or(&text).to_owned()
        })
        .unwrap_or_default()
}

/// The plot: a line per series in its colour, a legend that says how booleans count, a local
/// time axis; drag, scroll and box zoom on, double-click resets.
pub(super) fn plot_ui(ui: &mut egui::Ui, topic: NodeId, series: &[Series], points: &Points) {
    // The payload below needs room too: in a short window the plot gives up some of its height.
    let height = (ui.available_height() * 0.3).clamp(100.0, 170.0);
    Plot::new(("message-chart-plot", topic.index()))
        .height(height)
        .legend(Legend::default().position(Corner::LeftTop))
        .allow_drag(true)
        .allow_zoom(true)
        .allow_scroll(true)
        .allow_boxed_zoom(true)
        .allow_double_click_reset(true)
        .y_axis_min_width(44.0)
        .y_grid_spacer(nice_marks)
        .y_axis_formatter(|mark, _range| {
            // As many decimals as the step needs.
            let decimals = (-mark.step_size.log10().floor()).clamp(0.0, 6.0) as usize;
            format!("{:.*}", decimals, mark.value)
        })
        .x_axis_formatter(|mark, _range| {
            // Tenths or hundredths of a second when the marks are that close.
            let decimals = (-mark.step_size.log10().floor()).clamp(0.0, 3.0) as usize;
            time_of_day(mark.value, decimals)
        })
        .label_formatter(|hover| {
            // Name the nearest point only, not any place in the plot.
            let HoverPosition::NearDataPoint {
                plot_name, position, ..
            } = hover
            else {
                return None;
            };
            Some(format!("{plot_name}\n{}\n{}", time_of_day(position.x, 3), position.y))
        })
        .show(ui, |plot| {
            for (index, series) in series.iter().enumerate() {
                let Some(line) = points.lines.get(index) else { continue };
                let color = PALETTE.get(series.color).copied().unwrap_or(Color32::GRAY);
                let mut name = points::name(series.source.as_deref()).to_owned();
                if let Some(note) = points.kinds.get(index).and_then(|k| k.note()) {
                    name.push_str(&format!(" ({note})"));
                }
                if line.len() <= MAX_DOTTED_POINTS {
                    plot.points(
                        egui_plot::Points::new(name.clone(), PlotPoints::Borrowed(line))
                            .color(color)
                            .radius(2.5),
                    );
                }
                plot.line(Line::new(name, PlotPoints::Borrowed(line)).color(color));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_marks_fall_on_round_steps_within_the_range() {
        let marks = nice_marks(GridInput {
            bounds: (403.0, 492.0),
            base_step_size: 0.1,
        });
        let values: Vec<f64> = marks.iter().map(|m| m.value).collect();
        assert_eq!(values, [420.0, 440.0, 460.0, 480.0]);
        assert!(
            nice_marks(GridInput {
                bounds: (1.0, 1.0),
                base_step_size: 0.1
            })
            .is_empty()
        );
    }
}
