//! The message panel's share of the tab's width: kept when the window is resized (the panel
//! grows with it), changed only by dragging its edge, and remembered across runs with the rest
//! of the window's state.

use eframe::egui;

/// The message panel's share of the tab's width when nothing was chosen.
pub const DEFAULT_SHARE: f32 = 0.55;

/// What is remembered of the split.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
struct Split {
    /// The panel's share of the tab's width.
    share: f32,
    /// The tab's width last frame.
    tab_width: f32,
    /// The panel's width last frame.
    panel_width: f32,
}

fn id() -> egui::Id {
    egui::Id::unique("mqscope-message-panel-split")
}

/// The split for a frame: the width the panel opens at, and the width it is held at when the
/// tab's width changed since last frame.
pub struct Frame {
    remembered: Option<Split>,
    tab_width: f32,
    /// The share asked for.
    pub share: f32,
    /// The width to hold the panel at this frame (the window was resized).
    pub hold: Option<f32>,
}

/// The split for a tab `tab_width` wide, the panel between `min` and `max` wide.
pub fn frame(ctx: &egui::Context, tab_width: f32, (min, max): (f32, f32)) -> Frame {
    let remembered: Option<Split> = ctx.data_mut(|d| d.get_persisted(id()));
    let share = remembered.map_or(DEFAULT_SHARE, |s| s.share);
    let hold = remembered
        .filter(|s| (s.tab_width - tab_width).abs() > 0.5)
        .map(|_| (share * tab_width).clamp(min, max.max(min)));
    Frame {
        remembered,
        tab_width,
        share,
        hold,
    }
}

impl Frame {
    /// After the panel was drawn `panel_width` wide: a width changed while the tab's stayed
    /// is the user's drag, and sets the share.
    pub fn drawn(self, ctx: &egui::Context, panel_width: f32) {
        let dragged = self.hold.is_none()
            && self
                .remembered
                .is_some_and(|s| (s.panel_width - panel_width).abs() > 0.5);
        let share = if dragged || self.remembered.is_none() {
            (panel_width / self.tab_width.max(1.0)).clamp(0.05, 0.95)
        } else {
            self.share
        };
        let split = Split {
            share,
            tab_width: self.tab_width,
            panel_width,
        };
        ctx.data_mut(|d| d.insert_persisted(id(), split));
    }
}
