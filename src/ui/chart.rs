//! A topic's numbers over time: its kept messages plotted, when the payload
//! is a number or JSON with numeric fields (one field chosen at a time).

use std::time::{SystemTime, UNIX_EPOCH};

use eframe::egui;
use egui_plot::{GridInput, GridMark, HoverPosition, Line, Plot, PlotPoint, PlotPoints, Points};

use crate::model::NodeId;
use crate::model::history::TopicHistory;
use crate::payload::numbers;

/// What the chart was last built from: the topic's newest message, what it holds, and the points.
struct Cached {
    topic: NodeId,
    /// The newest entry's sequence number and the entry count then.
    newest: (u64, usize),
    /// Whether the payloads are plain numbers.
    plain: bool,
    /// The numeric fields of the newest JSON payload, with their values.
    fields: Vec<(String, f64)>,
    /// The field the points are of (`None` for plain numbers).
    field: Option<String>,
    /// The points, once built for `field`.
    points: Option<Vec<PlotPoint>>,
}

/// The chart of one topic.
#[derive(Default)]
pub struct ChartView {
    /// The JSON field charted, for JSON payloads.
    field: Option<String>,
    cache: Option<Cached>,
}

/// About five grid marks at a round step (1, 2 or 5 times a power of ten), so the value axis
/// always has labels whatever the range.
pub(super) fn nice_marks(input: GridInput) -> Vec<GridMark> {
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

/// Seconds since 1970, as the x axis counts.
fn seconds(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

impl ChartView {
    /// Draw the chart of `topic`'s history, if its payloads hold numbers; nothing otherwise.
    pub fn ui(&mut self, ui: &mut egui::Ui, topic: NodeId, history: &TopicHistory) {
        let Some(latest) = history.entries().back() else { return };
        let newest = (latest.seq, history.entries().len());
        // What the latest message holds is read once per new message, not every frame.
        if !self
            .cache
            .as_ref()
            .is_some_and(|c| c.topic == topic && c.newest == newest)
        {
            let payload = &latest.message.payload;
            let plain = numbers::as_number(payload).is_some();
            let fields = if plain {
                Vec::new()
            } else {
                numbers::json_fields(payload)
            };
            self.cache = Some(Cached {
                topic,
                newest,
                plain,
                fields,
                field: None,
                points: None,
            });
        }
        let Some(cache) = &mut self.cache else { return };
        if !cache.plain && cache.fields.is_empty() {
            return;
        }
        if !cache.plain
            && !self
                .field
                .as_ref()
                .is_some_and(|f| cache.fields.iter().any(|(name, _)| name == f))
        {
            self.field = cache.fields.first().map(|(name, _)| name.clone());
        }
        let field = if cache.plain { None } else { self.field.clone() };
        if cache.points.is_none() || cache.field != field {
            let points = history
                .entries()
                .iter()
                .filter_map(|entry| {
                    let payload = &entry.message.payload;
                    let value = match &field {
                        None => numbers::as_number(payload),
                        Some(path) => numbers::json_field(payload, path),
                    }?;
                    Some(PlotPoint::new(seconds(entry.message.received_at), value))
                })
                .collect();
            cache.points = Some(points);
            cache.field.clone_from(&field);
        }
        let Some(Cached {
            plain,
            fields,
            points: Some(points),
            ..
        }) = &self.cache
        else {
            return;
        };
        let plain = *plain;
        let title = format!("Chart: {}", super::tree::plural(points.len() as u64, "point", "points"));
        egui::CollapsingHeader::new(title)
            .id_salt("message-chart")
            .default_open(true)
            .show(ui, |ui| {
                if !plain {
                    ui.horizontal(|ui| {
                        ui.label("Field");
                        let selected = self.field.clone().unwrap_or_default();
                        let combo = egui::ComboBox::from_id_salt("chart-field")
                            .selected_text(&selected)
                            .width(200.0)
                            .show_ui(ui, |ui| {
                                for (name, value) in fields {
                                    ui.selectable_value(
                                        &mut self.field,
                                        Some(name.clone()),
                                        format!("{name}  ({value})"),
                                    );
                                }
                            });
                        combo.response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Chart field: {selected}"))
                        });
                    });
                }
                let name = field.as_deref().unwrap_or("value");
                Plot::new(("message-chart-plot", topic.index()))
                    .height(170.0)
                    .allow_scroll(false)
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
                        chrono::DateTime::from_timestamp_millis((mark.value * 1000.0).round() as i64)
                            .map(|t| {
                                let time = t.with_timezone(&chrono::Local);
                                match decimals {
                                    0 => time.format("%H:%M:%S").to_string(),
                                    1 => time.format("%H:%M:%S%.3f").to_string()[..10].to_owned(),
                                    _ => time.format("%H:%M:%S%.3f").to_string(),
                                }
                            })
                            .unwrap_or_default()
                    })
                    .label_formatter(|hover| {
                        // Name the nearest point only, not any place in the plot.
                        let HoverPosition::NearDataPoint { position, .. } = hover else {
                            return None;
                        };
                        let time = chrono::DateTime::from_timestamp_millis((position.x * 1000.0) as i64)
                            .map(|t| t.with_timezone(&chrono::Local).format("%H:%M:%S%.3f").to_string())
                            .unwrap_or_default();
                        Some(format!("{time}\n{}", position.y))
                    })
                    .show(ui, |plot| {
                        plot.line(Line::new(name, PlotPoints::Borrowed(points)));
                        if points.len() <= 200 {
                            plot.points(Points::new(name, PlotPoints::Borrowed(points)).radius(2.5));
                        }
                    });
            });
    }
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
