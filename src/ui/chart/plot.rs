//! The plot itself: a line per series in its colour (split where its topic
//! went quiet, never filled), a value axis at round steps, or an axis per
//! series when they are normalised, and a local time axis. The legend is
//! drawn above the plot (see `legend`), so it never covers the data.

use std::borrow::Cow;

use eframe::egui;
use egui_plot::{AxisHints, GridInput, GridMark, HPlacement, HoverPosition, Line, Plot, PlotPoint, PlotPoints};

use super::choice::Series;
use super::lines;
use super::scale::{self, Scale};
use super::set::Charted;
use crate::model::NodeId;

/// Points are marked with dots when a series has no more than this many.
const MAX_DOTTED_POINTS: usize = 200;

/// The plot's height at least and at most, in points, axes included.
const MIN_HEIGHT: f32 = 130.0;
const MAX_HEIGHT: f32 = 240.0;

/// Normalised series get an axis each, left and right in turn, up to this many; past it one
/// axis reads in percent of each series' range.
const MAX_SERIES_AXES: usize = 4;
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
pub(super) fn time_of_day(seconds: f64, decimals: usize) -> String {
    chrono::DateTime::from_timestamp_millis((seconds * 1000.0).round() as i64)
        .map(|t| {
            let text = t.with_timezone(&chrono::Local).format("%H:%M:%S%.3f").to_string();
            let keep = if decimals == 0 { 8 } else { 9 + decimals.min(3) };
            text.get(..keep).unwrap_or(&text).to_owned()
        })
        .unwrap_or_default()
}

/// The plot of `series`, their points in `charted`; `normalised` draws each scaled to its own
/// range. Drag, scroll and box zoom are on, double-click resets. Returns the time (seconds since
/// 1970) under the pointer, for the legend to show each series' value then.
pub(super) fn plot_ui(
    ui: &mut egui::Ui,
    topic: NodeId,
    series: &[Series],
    charted: &Charted,
    normalised: bool,
) -> Option<f64> {
    // What the sections above the payload leave, within bounds: in a short window they scroll.
    let height = (ui.available_height() - 4.0).clamp(MIN_HEIGHT, MAX_HEIGHT);
    let columns = ui.available_width().max(1.0) as usize;
    let colors: Vec<egui::Color32> = series.iter().map(|s| s.color(ui)).collect();
    // Per series: its name in the plot (for the hover label) and, normalised, its scale.
    let named: Vec<(String, Option<Scale>)> = series
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let mut name = s.label();
            if let Some(note) = charted.kind(index).note() {
                name.push_str(&format!(" ({note})"));
            }
            let scale = normalised.then(|| {
                let (min, max) = charted.range(index).unwrap_or((0.0, 1.0));
                Scale::around(min, max)
            });
            (name, scale)
        })
        .collect();
    let hover_names = named.clone();
    let mut plot = Plot::new(("message-chart-plot", topic.index(), normalised))
        .height(height)
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
        .label_formatter(move |hover| {
            // Name the nearest point only, not any place in the plot; with its real value.
            let HoverPosition::NearDataPoint {
                plot_name, position, ..
            } = hover
            else {
                return None;
            };
            let scale = hover_names
                .iter()
                .find(|(name, _)| name == plot_name)
                .and_then(|(_, s)| *s);
            let value = scale.map_or(position.y, |s| s.value(position.y));
            Some(format!(
                "{plot_name}\n{}\n{}",
                time_of_day(position.x, 3),
                scale::format_value(value)
            ))
        });
    if normalised {
        plot = plot
            .include_y(0.0)
            .include_y(1.0)
            .custom_y_axes(series_axes(series, &named, &colors));
    }
    let response = plot.show(ui, |plot| {
        // While the plot follows the data, all of it shows; zoomed or panned, only what is in view
        // is drawn.
        let visible = (!plot.auto_bounds().x).then(|| {
            let range = plot.plot_bounds().range_x();
            (*range.start(), *range.end())
        });
        for (index, (&color, (name, scale))) in colors.iter().zip(&named).enumerate() {
            let runs = charted.runs(index);
            let dotted = runs.iter().map(Vec::len).sum::<usize>() <= MAX_DOTTED_POINTS;
            for (run_index, run) in runs.iter().enumerate() {
                // Drawn from the series' own points where nothing is thinned or scaled.
                let points = match (lines::thinned(run, visible, columns), scale) {
                    (shown, None) => shown,
                    (shown, Some(scale)) => Cow::Owned(
                        shown
                            .iter()
                            .map(|p| PlotPoint::new(p.x, scale.normalise(p.y)))
                            .collect(),
                    ),
                };
                // A point alone between gaps is a dot, however many points the series has.
                if dotted || points.len() == 1 {
                    plot.points(
                        egui_plot::Points::new(name.clone(), plot_points(&points))
                            .id((index, run_index, "dots"))
                            .color(color)
                            .radius(2.5),
                    );
                }
                // No fill, and no bands: egui_plot joins points that share a pixel column into
                // a filled band, which between sparse columns draws filled wedges.
                plot.line(
                    Line::new(name.clone(), into_plot_points(points))
                        .id((index, run_index, "line"))
                        .color(color)
                        .allow_band(false),
                );
            }
        }
    });
    let plot_response = response.response;
    plot_response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Chart plot"));
    plot_response
        .hover_pos()
        .map(|pos| response.transform.value_from_position(pos).x)
}

/// Points for egui_plot: borrowed when they are the series' own, else a copy.
fn plot_points<'a>(points: &Cow<'a, [PlotPoint]>) -> PlotPoints<'a> {
    match points {
        Cow::Borrowed(points) => PlotPoints::Borrowed(points),
        Cow::Owned(points) => PlotPoints::Owned(points.clone()),
    }
}

/// Points for egui_plot, moved.
fn into_plot_points(points: Cow<'_, [PlotPoint]>) -> PlotPoints<'_> {
    match points {
        Cow::Borrowed(points) => PlotPoints::Borrowed(points),
        Cow::Owned(points) => PlotPoints::Owned(points),
    }
}

/// Normalised, an axis per series in its colour, reading its real values; past
/// [`MAX_SERIES_AXES`] series, one axis in percent of each one's range.
fn series_axes<'a>(
    series: &[Series],
    named: &[(String, Option<Scale>)],
    colors: &[egui::Color32],
) -> Vec<AxisHints<'a>> {
    if series.len() > MAX_SERIES_AXES {
        return vec![
            AxisHints::new_y()
                .formatter(|mark, _| format!("{:.0}%", mark.value * 100.0))
                .min_thickness(44.0),
        ];
    }
    colors
        .iter()
        .zip(named)
        .enumerate()
        .map(|(index, (&color, (_, scale)))| {
            let scale = scale.unwrap_or(Scale { lo: 0.0, hi: 1.0 });
            let placement = if index % 2 == 0 {
                HPlacement::Left
            } else {
                HPlacement::Right
            };
            AxisHints::new_y()
                .formatter(move |mark, _| scale.mark_label(mark.value, mark.step_size))
                .placement(placement)
                .tick_label_color(color)
                .min_thickness(40.0)
        })
        .collect()
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
