//! The requests and replies of a tab, read like a conversation: each request, its reply
//! (rendered as the message view renders payloads) or why none came, the round trips' spread
//! and a small chart of them; any request can be sent again.

use eframe::egui::{self, RichText};
use egui_plot::{Line, Plot, PlotPoints, Points};

use crate::model::Message;
use crate::model::exchange::{Exchange, Exchanges, Reply, Status};
use crate::payload;
use crate::ui::payload_view::job::line_job;
use crate::ui::theme;

/// Bytes of a payload rendered at most in the list.
const RENDER_LIMIT_BYTES: usize = 16 * 1024;

/// Lines of a reply shown at most.
const MAX_REPLY_LINES: usize = 14;

/// What the user asked of the list.
pub(super) enum ExchangeAction {
    /// Send exchange `id`'s request again.
    Resend(u64),
    /// Forget every exchange.
    Clear,
}

/// The window listing `exchanges`, while `open`.
pub(super) fn window_ui(ctx: &egui::Context, open: &mut bool, exchanges: &Exchanges) -> Option<ExchangeAction> {
    let mut action = None;
    // Over the message view, right of the tree, where the reply is looked for.
    let screen = ctx.content_rect();
    let pos = egui::pos2((screen.right() - 600.0).max(screen.left() + 8.0), screen.top() + 70.0);
    egui::Window::new("Requests and replies")
        .open(open)
        .default_pos(pos)
        .default_size([560.0, 380.0])
        .min_width(360.0)
        .resizable(true)
        .show(ctx, |ui| action = list_ui(ui, exchanges));
    action
}

/// The summary, the chart and the list.
fn list_ui(ui: &mut egui::Ui, exchanges: &Exchanges) -> Option<ExchangeAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.label(summary(exchanges));
        if !exchanges.is_empty() && ui.button("Clear").clicked() {
            action = Some(ExchangeAction::Clear);
        }
    });
    if let Some(spread) = exchanges.spread() {
        ui.label(format!(
            "Round trip: min {} ms, median {} ms, max {} ms ({} {})",
            spread.min.as_millis(),
            spread.median.as_millis(),
            spread.max.as_millis(),
            spread.count,
            if spread.count == 1 { "reply" } else { "replies" }
        ));
    }
    let trips = exchanges.round_trips();
    if trips.len() >= 2 {
        chart_ui(ui, &trips);
    }
    if exchanges.is_empty() {
        ui.weak("Type a topic and payload, then Send and wait for reply");
        return action;
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show(ui, |ui| {
            for exchange in exchanges.iter() {
                if exchange_ui(ui, exchange) {
                    action = Some(ExchangeAction::Resend(exchange.id));
                }
            }
        });
    action
}

/// "3 requests: 2 replied, 1 waiting".
fn summary(exchanges: &Exchanges) -> String {
    let count = |wanted: fn(&Status) -> bool| exchanges.iter().filter(|e| wanted(&e.status)).count();
    let mut parts = Vec::new();
    for (n, what) in [
        (count(|s| *s == Status::Replied), "replied"),
        (count(|s| *s == Status::Waiting), "waiting"),
        (count(|s| *s == Status::NoReply), "no reply"),
        (count(|s| matches!(s, Status::NotSent(_))), "not sent"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let total = exchanges.len();
    let noun = if total == 1 { "request" } else { "requests" };
    if parts.is_empty() {
        format!("{total} {noun}")
    } else {
        format!("{total} {noun}: {}", parts.join(", "))
    }
}

/// Round trips in ms against the request's number.
fn chart_ui(ui: &mut egui::Ui, trips: &[(u64, std::time::Duration)]) {
    let points: Vec<[f64; 2]> = trips
        .iter()
        .map(|(id, trip)| [*id as f64, trip.as_secs_f64() * 1000.0])
        .collect();
    Plot::new("round-trips")
        .height(90.0)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .include_y(0.0)
        .y_axis_label("ms")
        .show(ui, |plot| {
            plot.line(Line::new("Round trip", PlotPoints::from(points.clone())));
            plot.points(Points::new("Round trip", PlotPoints::from(points)).radius(2.5));
        });
}

/// One exchange; true when Resend was clicked.
fn exchange_ui(ui: &mut egui::Ui, exchange: &Exchange) -> bool {
    let mut resend = false;
    egui::Frame::group(ui.style()).inner_margin(6.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.weak(format!("#{}", exchange.id));
            ui.label("To");
            ui.label(RichText::new(&exchange.request.topic).monospace().strong());
            ui.weak(payload::text::preview(&exchange.request.payload, 60));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                resend = ui
                    .small_button("Resend")
                    .on_hover_text("Send this request again, with fresh correlation data")
                    .clicked();
            });
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Reply on");
            ui.label(RichText::new(&exchange.request.reply_topic).monospace());
            let color = match exchange.status {
                Status::Waiting => ui.visuals().weak_text_color(),
                Status::Replied => theme::ok_color(ui),
                Status::NoReply => theme::warn_color(ui),
                Status::NotSent(_) => theme::error_color(ui),
            };
            if exchange.status == Status::Waiting {
                ui.spinner();
            }
            ui.label(RichText::new(exchange.status_text()).color(color));
            if exchange.duplicates > 0 {
                ui.weak(format!(
                    "and {} more {}",
                    exchange.duplicates,
                    if exchange.duplicates == 1 { "reply" } else { "replies" }
                ));
            }
        });
        if let Some(reply) = &exchange.reply {
            reply_ui(ui, &exchange.request.reply_topic, reply);
        } else if let Some(late) = &exchange.late {
            ui.weak("Late reply");
            reply_ui(ui, &exchange.request.reply_topic, late);
        }
    });
    resend
}

/// A reply's payload, rendered in the format detected for it.
fn reply_ui(ui: &mut egui::Ui, topic: &str, reply: &Reply) {
    let text = rendered(topic, &reply.message);
    let (text, spans) = text;
    let mut end = text.len();
    if let Some((at, _)) = text.match_indices('\n').nth(MAX_REPLY_LINES - 1) {
        end = at;
    }
    let job = line_job(ui, &text, &spans, &[], end).finish();
    ui.add(egui::Label::new(job).wrap());
    if end < text.len() {
        ui.weak(format!(
            "… {} more lines",
            text[end..].lines().count().saturating_sub(1)
        ));
    }
}

/// The payload's rendered text and highlight spans.
fn rendered(topic: &str, message: &Message) -> (String, Vec<payload::Span>) {
    let bytes = &message.payload;
    if bytes.is_empty() {
        return ("(empty payload)".to_owned(), Vec::new());
    }
    let format = payload::detect_for_topic(topic, bytes, RENDER_LIMIT_BYTES);
    let rendered = payload::render(bytes, format, RENDER_LIMIT_BYTES);
    (rendered.text, rendered.spans)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use bytes::Bytes;

    use super::*;
    use crate::model::exchange::Request;

    #[test]
    fn the_summary_counts_each_status() {
        let mut exchanges = Exchanges::default();
        assert_eq!(summary(&exchanges), "0 requests");
        let request = Request {
            topic: "a".into(),
            payload: Bytes::new(),
            qos: crate::model::Qos::AtMostOnce,
            reply_topic: "r".into(),
            correlation: None,
            timeout: Duration::from_secs(5),
        };
        exchanges.send(request.clone(), SystemTime::now());
        exchanges.not_sent(request, SystemTime::now(), "not connected".into());
        assert_eq!(summary(&exchanges), "2 requests: 1 waiting, 1 not sent");
    }

    #[test]
    fn a_json_reply_is_pretty_printed() {
        let (text, spans) = rendered("r", &Message::new(br#"{"ok":true}"#.to_vec()));
        assert!(text.contains("\"ok\": true"), "{text}");
        assert!(!spans.is_empty(), "highlighted");
    }
}
