//! Moving through the payload: PageUp and PageDown by a screen, Home and End (with or without
//! Ctrl) to its ends while it has the keyboard or the pointer, the arrows by a line while it
//! has the keyboard, Ctrl+F over the message view to find; and where to scroll to next (the
//! top of another document, a match).

use std::ops::RangeInclusive;

use eframe::egui::{self, Key, Modifiers, TextStyle};

/// What the keyboard asked of the view this frame.
pub struct Keys {
    /// Whether the payload has the keys (it has the keyboard, or the pointer while no text
    /// field has the keyboard).
    pub ours: bool,
    /// Ctrl+F over the message view: open the find bar.
    pub find: bool,
}

/// Where the payload is scrolled, and where it is asked to scroll.
pub struct Scroll {
    /// Where to scroll on the next frame, in points from the top left of the content.
    to_y: Option<f32>,
    to_x: Option<f32>,
    /// Bring the find bar's current match into view on the next frame.
    pub reveal: bool,
    /// Where it was scrolled last frame.
    offset: egui::Vec2,
    /// Where on the screen the lines were shown last frame.
    viewport: egui::Rect,
    /// The size of all the lines.
    content: egui::Vec2,
}

impl Default for Scroll {
    fn default() -> Self {
        Self {
            to_y: None,
            to_x: None,
            reveal: false,
            offset: egui::Vec2::ZERO,
            viewport: egui::Rect::NOTHING,
            content: egui::Vec2::ZERO,
        }
    }
}

/// The payload's keyboard focus: taken by a click in it, given up by a click elsewhere.
fn focus_id() -> egui::Id {
    egui::Id::unique("mqscope-payload-focus")
}

impl Scroll {
    /// Start again at the top left.
    pub fn go_to_top(&mut self) {
        self.to_y = Some(0.0);
        self.to_x = Some(0.0);
    }

    /// The first row shown (or about to be), for rows of `height`.
    pub fn top_row(&self, height: f32) -> usize {
        (self.to_y.unwrap_or(self.offset.y) / height.max(1.0)).floor().max(0.0) as usize
    }

    /// Scroll so row `row` (of rows of `height`) is the first shown.
    pub fn bring_row_to_top(&mut self, row: usize, height: f32) {
        self.to_y = Some(row as f32 * height);
    }

    /// Scroll so row `row` and the horizontal range `x` of it are in view, centring the row
    /// when it is not.
    pub fn bring_into_view(&mut self, row: usize, height: f32, x: RangeInclusive<f32>) {
        let y = row as f32 * height;
        let (top, left) = (self.to_y.unwrap_or(self.offset.y), self.to_x.unwrap_or(self.offset.x));
        let (view_height, view_width) = (self.viewport.height(), self.viewport.width());
        if view_height <= 0.0 || y < top || y + height > top + view_height {
            self.to_y = Some((y - (view_height - height).max(0.0) / 2.0).max(0.0));
        }
        if *x.start() < left || *x.end() > left + view_width {
            self.to_x = Some((x.start() - view_width / 3.0).max(0.0));
        }
    }

    /// Take the keys that move through the payload, when they are its.
    pub fn keys_ui(&mut self, ui: &mut egui::Ui) -> Keys {
        // The payload as one widget that can hold the keyboard, under its lines.
        if self.viewport.is_positive() {
            ui.interact(self.viewport, focus_id(), egui::Sense::focusable_noninteractive());
        }
        let focused = ui.memory(|m| m.has_focus(focus_id()));
        let pointer = ui.input(|i| i.pointer.hover_pos());
        let hovered = pointer.is_some_and(|p| self.viewport.contains(p));
        let ours = focused || (hovered && !ui.ctx().text_edit_focused());
        // The message view is what this payload's panel shows.
        let over_view = pointer.is_some_and(|p| ui.clip_rect().contains(p));
        let find = (focused || over_view) && ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::F));
        if ours {
            let row = ui.text_style_height(&TextStyle::Monospace);
            let view = self.viewport.height();
            // A page keeps one line of the one before.
            let page = (view - row).max(row);
            let end = (self.content.y - view).max(0.0);
            let top = self.to_y.unwrap_or(self.offset.y);
            let pressed = |key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
            let with_command = |key| ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, key));
            let to = if pressed(Key::PageDown) {
                Some(top + page)
            } else if pressed(Key::PageUp) {
                Some(top - page)
            } else if pressed(Key::Home) || with_command(Key::Home) {
                Some(0.0)
            } else if pressed(Key::End) || with_command(Key::End) {
                Some(end)
            } else if focused && pressed(Key::ArrowDown) {
                Some(top + row)
            } else if focused && pressed(Key::ArrowUp) {
                Some(top - row)
            } else {
                None
            };
            if let Some(to) = to {
                self.to_y = Some(to.clamp(0.0, end));
            }
        }
        Keys { ours, find }
    }

    /// The scroll area of the lines, scrolled where asked.
    pub fn area(&mut self, salt: &str) -> egui::ScrollArea {
        let mut area = egui::ScrollArea::both().id_salt(salt).auto_shrink(false);
        if let Some(y) = self.to_y.take() {
            area = area.vertical_scroll_offset(y);
        }
        if let Some(x) = self.to_x.take() {
            area = area.horizontal_scroll_offset(x);
        }
        area
    }

    /// Remember where the lines were drawn; a press on them gives the payload the keyboard, a
    /// press elsewhere takes it away.
    pub fn drawn<R>(&mut self, ui: &egui::Ui, output: &egui::scroll_area::ScrollAreaOutput<R>) {
        self.offset = output.state.clamped_offset();
        self.viewport = output.inner_rect;
        self.content = output.content_size;
        let focus = focus_id();
        ui.memory_mut(|m| {
            m.interested_in_focus(focus, ui.layer_id());
            m.set_focus_lock_filter(
                focus,
                egui::EventFilter {
                    vertical_arrows: true,
                    ..Default::default()
                },
            );
        });
        let pressed = ui.input(|i| i.pointer.any_pressed().then(|| i.pointer.press_origin()).flatten());
        if let Some(at) = pressed {
            if self.viewport.contains(at) {
                ui.memory_mut(|m| m.request_focus(focus));
            } else if ui.memory(|m| m.has_focus(focus)) {
                ui.memory_mut(|m| m.surrender_focus(focus));
            }
        }
    }
}
