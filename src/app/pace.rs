//! How soon live traffic draws the window again. Normally within a live frame, so every change
//! shows at once; during a flood (thousands of messages a second, values no one can read as
//! they change) a few times a second, since every frame painted is CPU taken from receiving.
//! Input is answered at once either way: egui draws a frame for every event.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use eframe::egui;

use crate::ui::theme::LIVE_FRAME;

/// From this many messages a second (all tabs together), live traffic is drawn at the flood pace.
pub const FLOOD_RATE: u64 = 5_000;

/// Below this rate the flood pace ends: half of [`FLOOD_RATE`], so a rate near the line does not
/// switch the pace every second.
pub const CALM_RATE: u64 = FLOOD_RATE / 2;

/// The pace during a flood: four frames a second.
pub const FLOOD_FRAME: Duration = Duration::from_millis(250);

/// The window's current pace, shared by the frame that measures the rate and the connections'
/// wakers (on their own threads). One per window, kept in the context's data.
#[derive(Clone)]
pub struct Pace(Arc<AtomicU64>);

impl Pace {
    /// The pace of the window `ctx` draws.
    pub fn of(ctx: &egui::Context) -> Self {
        ctx.data_mut(|data| {
            data.get_temp_mut_or_insert_with(egui::Id::unique("mqscope-live-pace"), || {
                Pace(Arc::new(AtomicU64::new(millis(LIVE_FRAME))))
            })
            .clone()
        })
    }

    /// How long after new messages the window is drawn again.
    pub fn frame(&self) -> Duration {
        Duration::from_millis(self.0.load(Ordering::Relaxed))
    }

    /// Set the pace for `rate` messages a second, measured over the last second.
    pub fn follow(&self, rate: u64) {
        let next = next_frame(self.frame(), rate);
        self.0.store(millis(next), Ordering::Relaxed);
    }
}

/// The pace after `current` when `rate` messages a second arrive.
pub fn next_frame(current: Duration, rate: u64) -> Duration {
    if rate >= FLOOD_RATE {
        FLOOD_FRAME
    } else if rate < CALM_RATE {
        LIVE_FRAME
    } else {
        current
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_slows_the_pace_and_calm_restores_it() {
        assert_eq!(next_frame(LIVE_FRAME, 100), LIVE_FRAME);
        assert_eq!(next_frame(LIVE_FRAME, FLOOD_RATE - 1), LIVE_FRAME);
        assert_eq!(next_frame(LIVE_FRAME, FLOOD_RATE), FLOOD_FRAME);
        // Between the two lines the pace stays as it was, whichever it was.
        assert_eq!(next_frame(FLOOD_FRAME, CALM_RATE), FLOOD_FRAME);
        assert_eq!(next_frame(LIVE_FRAME, CALM_RATE), LIVE_FRAME);
        assert_eq!(next_frame(FLOOD_FRAME, CALM_RATE - 1), LIVE_FRAME);
        assert_eq!(next_frame(FLOOD_FRAME, 0), LIVE_FRAME);
    }

    #[test]
    fn one_pace_per_window() {
        let ctx = egui::Context::default();
        let pace = Pace::of(&ctx);
        assert_eq!(pace.frame(), LIVE_FRAME);
        pace.follow(50_000);
        assert_eq!(Pace::of(&ctx).frame(), FLOOD_FRAME);
        assert_eq!(Pace::of(&egui::Context::default()).frame(), LIVE_FRAME);
    }
}
