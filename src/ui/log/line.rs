//! One line of the log, painted in columns (time, QoS, flags, size, topic, payload preview),
//! and the column titles above them. The message's details and MQTT 5 properties show on hover.

use std::time::SystemTime;

use eframe::egui::{self, Align2, FontId, Sense};

use super::LINE_HEIGHT;
use crate::model::{Line, Log, Message, Session};
use crate::payload::text::{human_bytes, preview};
use crate::ui::subscriptions::marks::Marks;
use crate::ui::text::format_time;
use crate::ui::theme;

/// Characters of the payload previewed at most.
const PREVIEW_CHARS: usize = 200;

/// Where each column starts and how wide the topic is, for a line `width` points wide.
struct Columns {
    time: f32,
    qos: f32,
    flags: f32,
    /// The right edge of the size, which is right-aligned.
    size_end: f32,
    topic: f32,
    topic_width: f32,
    payload: f32,
}

impl Columns {
    fn for_width(width: f32) -> Self {
        let topic_width = (width * 0.24).clamp(140.0, 380.0);
        Self {
            // After the subscription's mark.
            time: 8.0,
            qos: 104.0,
            flags: 136.0,
            size_end: 232.0,
            topic: 244.0,
            topic_width,
            payload: 244.0 + topic_width + 12.0,
        }
    }
}

/// The column titles.
pub(super) fn header_ui(ui: &mut egui::Ui) {
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, LINE_HEIGHT), Sense::hover());
    let c = Columns::for_width(width);
    let painter = ui.painter_at(rect);
    let font = FontId::proportional(12.0);
    let color = ui.visuals().weak_text_color();
    let y = rect.center().y;
    let at = |x: f32| egui::pos2(rect.left() + x, y);
    painter.text(at(c.time), Align2::LEFT_CENTER, "Time", font.clone(), color);
    painter.text(at(c.qos), Align2::LEFT_CENTER, "QoS", font.clone(), color);
    painter.text(at(c.flags), Align2::LEFT_CENTER, "Flags", font.clone(), color);
    painter.text(at(c.size_end), Align2::RIGHT_CENTER, "Size", font.clone(), color);
    painter.text(at(c.topic), Align2::LEFT_CENTER, "Topic", font.clone(), color);
    painter.text(at(c.payload), Align2::LEFT_CENTER, "Payload", font, color);
}

/// The flags of a message in letters: R retained, D redelivered.
fn flags(message: &Message) -> &'static str {
    match (message.retain, message.dup) {
        (true, true) => "R D",
        (true, false) => "R",
        (false, true) => "D",
        (false, false) => "",
    }
}

/// Local time of day with milliseconds.
fn time_of_day(time: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = time.into();
    local.format("%H:%M:%S%.3f").to_string()
}

fn size_text(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        human_bytes(bytes as u64)
    }
}

/// Draw `line`; `selected` when it is the line clicked last.
pub(super) fn line_ui(
    ui: &mut egui::Ui,
    session: &Session,
    marks: Marks<'_>,
    line: Line,
    selected: bool,
) -> egui::Response {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, LINE_HEIGHT), Sense::click());
    let topic = session.tree.topic(line.topic);
    let entry = Log::resolve(&session.history, line);
    let visuals = ui.visuals();
    if selected {
        ui.painter().rect_filled(rect, 2.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        ui.painter()
            .rect_filled(rect, 2.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    // On the selection's fill, every column reads in the selection's text color.
    let weak = if selected {
        text_color
    } else {
        visuals.weak_text_color()
    };
    let c = Columns::for_width(width);
    let painter = ui.painter_at(rect);
    let mono = FontId::monospace(12.0);
    let y = rect.center().y;
    let at = |x: f32| egui::pos2(rect.left() + x, y);
    if let Some(entry) = &entry {
        marks.paint(&painter, rect, &topic, entry.message.properties.as_deref());
    }
    let Some(entry) = entry else {
        // Let go by the history since the log was last tidied: said, not hidden.
        painter.text(at(c.topic), Align2::LEFT_CENTER, &topic, mono.clone(), weak);
        painter.text(
            at(c.payload),
            Align2::LEFT_CENTER,
            "(message let go to stay within the history's bounds)",
            mono,
            weak,
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ListItem, true, &topic));
        return response;
    };
    let message = &entry.message;
    let time = time_of_day(message.received_at);
    painter.text(at(c.time), Align2::LEFT_CENTER, &time, mono.clone(), weak);
    painter.text(
        at(c.qos),
        Align2::LEFT_CENTER,
        message.qos.to_string(),
        mono.clone(),
        text_color,
    );
    let flag_color = if message.retain {
        theme::value_color(ui)
    } else {
        text_color
    };
    painter.text(
        at(c.flags),
        Align2::LEFT_CENTER,
        flags(message),
        mono.clone(),
        flag_color,
    );
    let size = size_text(message.size_bytes());
    painter.text(at(c.size_end), Align2::RIGHT_CENTER, &size, mono.clone(), weak);
    let topic_rect = egui::Rect::from_min_size(
        egui::pos2(rect.left() + c.topic, rect.top()),
        egui::vec2(c.topic_width, LINE_HEIGHT),
    );
    let topic_galley = painter.layout_no_wrap(topic.clone(), mono.clone(), text_color);
    painter.with_clip_rect(topic_rect.intersect(rect)).galley(
        egui::pos2(topic_rect.left(), y - topic_galley.size().y / 2.0),
        topic_galley,
        text_color,
    );
    let shown = preview(&message.payload, PREVIEW_CHARS);
    let shown = if message.payload.is_empty() {
        "(empty)".to_owned()
    } else {
        shown
    };
    let preview_color = if message.payload.is_empty() { weak } else { text_color };
    painter.text(at(c.payload), Align2::LEFT_CENTER, &shown, mono, preview_color);
    let value = format!(
        "{time} · QoS {} · {} · {size} · {shown}",
        message.qos,
        match flags(message) {
            "" => "-",
            other => other,
        }
    );
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::selected(egui::Role::ListItem, true, selected, &topic);
        info.current_text_value = Some(value.clone());
        info
    });
    response.on_hover_ui(|ui| details_ui(ui, &topic, message))
}

/// A message's details: the full topic, when, flags, size and its MQTT 5 properties.
fn details_ui(ui: &mut egui::Ui, topic: &str, message: &Message) {
    ui.label(egui::RichText::new(topic).monospace().strong());
    egui::Grid::new("log-line-details").num_columns(2).show(ui, |ui| {
        ui.weak("Received");
        ui.label(format_time(message.received_at));
        ui.end_row();
        ui.weak("QoS");
        ui.label(message.qos.to_string());
        ui.end_row();
        ui.weak("Retained");
        ui.label(if message.retain { "yes" } else { "no" });
        ui.end_row();
        ui.weak("Redelivered (DUP)");
        ui.label(if message.dup { "yes" } else { "no" });
        ui.end_row();
        ui.weak("Size");
        ui.label(format!(
            "{} bytes",
            crate::payload::text::group_digits(message.size_bytes() as u64)
        ));
        ui.end_row();
        if let Some(properties) = &message.properties {
            crate::ui::message::properties_rows(ui, properties);
        }
    });
    ui.weak("Click to show this message");
}
