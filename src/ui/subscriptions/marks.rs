//! The colour mark of the subscription that delivered a message, on tree rows and log lines:
//! a thin bar at the left edge. Shown when the tab has two subscriptions or more (with one,
//! every message would carry the same mark).

use eframe::egui;

use crate::model::subscription::{colour_of, delivered_by};
use crate::model::{Properties, Subscription};

/// The width of the mark, in points.
const MARK_WIDTH: f32 = 3.0;

/// The tab's subscriptions, for marking what they delivered.
#[derive(Clone, Copy)]
pub struct Marks<'a> {
    subscriptions: &'a [Subscription],
}

impl<'a> Marks<'a> {
    /// Marks for `subscriptions`, the tab's list in its order.
    pub fn new(subscriptions: &'a [Subscription]) -> Self {
        Self { subscriptions }
    }

    /// Whether marks are drawn at all.
    pub fn shown(&self) -> bool {
        self.subscriptions.len() > 1
    }

    /// The subscription that delivered a message on `topic` and its colour, if marks are shown.
    pub fn of(&self, topic: &str, properties: Option<&Properties>) -> Option<(&'a Subscription, egui::Color32)> {
        if !self.shown() {
            return None;
        }
        let index = delivered_by(self.subscriptions, topic, properties)?;
        let [r, g, b] = colour_of(self.subscriptions, index);
        Some((self.subscriptions.get(index)?, egui::Color32::from_rgb(r, g, b)))
    }

    /// Paint the mark of a message on `topic` at the left edge of `rect`.
    pub fn paint(&self, painter: &egui::Painter, rect: egui::Rect, topic: &str, properties: Option<&Properties>) {
        if let Some((_, colour)) = self.of(topic, properties) {
            let bar = egui::Rect::from_min_size(rect.min, egui::vec2(MARK_WIDTH, rect.height()));
            painter.rect_filled(bar.shrink2(egui::vec2(0.0, 2.0)), 1.0, colour);
        }
    }
}
