//! An opened recording's tab at a moment of it: the time slider's bar under the tab, and the
//! state it chose put in place of the tab's session, its panels told so.

use std::time::{Instant, SystemTime};

use eframe::egui;

use super::Explorer;
use crate::model::{Event, Session};
use crate::ui::time_slider::Plan;

impl Explorer {
    /// Draw the time slider's bar (an opened recording's tab only) and go to the moment chosen.
    pub(super) fn time_ui(&mut self, ui: &mut egui::Ui) {
        let Some(time) = &mut self.time else { return };
        let mut chosen = None;
        egui::Panel::bottom("time-slider")
            .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(egui::Margin::symmetric(8, 6)))
            .show(ui, |ui| chosen = time.ui(ui));
        if let Some(moment) = chosen {
            self.go_to(moment);
            ui.ctx().request_repaint();
        }
    }

    /// Show the recording as it was at `moment` (see [`crate::ui::time_slider`]).
    pub fn go_to(&mut self, moment: SystemTime) {
        let Some(time) = &mut self.time else { return };
        match time.seek(moment) {
            Plan::Nothing | Plan::Wait => {}
            Plan::Forward(range) => time.timeline().apply(&mut self.session, range),
            Plan::Replace(session) => self.replace_session(*session),
        }
    }

    /// Put a state the time slider's thread built in place of the session, if one came.
    pub(super) fn take_rebuilt(&mut self) {
        if let Some(session) = self.time.as_mut().and_then(|time| time.poll()) {
            self.replace_session(session);
        }
    }

    fn replace_session(&mut self, mut session: Session) {
        // No connection behind it, as before.
        session.apply(Event::State(self.session.state().clone()), Instant::now());
        let old = std::mem::replace(&mut self.session, session);
        match &self.time {
            Some(time) => time.discard(old),
            None => drop(old),
        }
        self.tree.session_replaced(&self.session);
        self.message.session_replaced();
        self.log.session_replaced();
    }
}
