//! The time slider of an opened recording's tab: a moment between the first and the last
//! message, as a date and time and as an offset from the start, with steps (a message, a
//! second, a minute either way) and Latest. The tab then shows the state as it was at that
//! moment: a few messages forward are applied at once; anything else is built again on the
//! recording's own thread (`record::rebuild`), the tab showing the state before meanwhile.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use eframe::egui::{self, Key, Modifiers};

use super::text::{format_time, plural};
use crate::model::Session;
use crate::record::rebuild::{Rebuilder, Rebuilt};
use crate::record::timeline::Timeline;

/// Messages forward from the state shown that are applied on the UI thread, in the frame (a
/// step of a message or a second); more are built on the thread.
const FORWARD_IN_FRAME: usize = 4096;

/// Below this width, in points, the moment and the steps take a line each.
const ONE_LINE_WIDTH: f32 = 900.0;

/// What the slider is called, for screen readers.
pub const SLIDER_LABEL: &str = "Moment in the recording";

/// A step of the buttons and the arrow keys.
#[derive(Clone, Copy)]
enum Step {
    /// To the next message, or back to the one before the latest shown.
    Message,
    /// By this long.
    By(Duration),
}

/// What the tab does to show the moment chosen.
pub enum Plan {
    /// The state shown is it.
    Nothing,
    /// Apply these messages of the timeline to the state shown.
    Forward(std::ops::Range<usize>),
    /// A state is being built; keep showing the one before until it comes.
    Wait,
    /// Show this state instead (built here: the thread could not be started).
    Replace(Box<Session>),
}

/// The slider, the moment chosen, and the state shown.
pub struct TimeSlider {
    timeline: Arc<Timeline>,
    /// The thread that builds states, or why it could not start.
    rebuilder: Result<Rebuilder, String>,
    /// The moment chosen.
    moment: SystemTime,
    /// Messages the state shown was given (the first ones in time order).
    shown_count: usize,
    /// The request the state shown answers, and the newest request (larger: one is on its way).
    shown_generation: u64,
    wanted_generation: u64,
    /// The bounds of the history of the states built: the tab's, as the settings say.
    pub limits: (usize, usize),
    /// The slider's id last frame, to take the arrow keys while it has the focus.
    slider_id: Option<egui::Id>,
    /// The window, woken by the thread when a state is built (known from the first frame).
    window: Arc<OnceLock<egui::Context>>,
}

impl TimeSlider {
    /// A slider over `timeline`, whose whole is the state shown now, building states with
    /// their history bounded by `limits`; `None` for a recording without messages.
    pub fn new(timeline: Timeline, limits: (usize, usize)) -> Option<Self> {
        let moment = timeline.last_time()?;
        let shown_count = timeline.len();
        let timeline = Arc::new(timeline);
        let window = Arc::new(OnceLock::<egui::Context>::new());
        let wake = Arc::clone(&window);
        let rebuilder = Rebuilder::start(Arc::clone(&timeline), move || {
            if let Some(ctx) = wake.get() {
                ctx.request_repaint();
            }
        })
        .map_err(|e| format!("cannot start the time slider's thread: {e}"));
        Some(Self {
            timeline,
            rebuilder,
            moment,
            shown_count,
            shown_generation: 0,
            wanted_generation: 0,
            limits,
            slider_id: None,
            window,
        })
    }

    /// The recording's messages in time order.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The moment chosen.
    pub fn moment(&self) -> SystemTime {
        self.moment
    }

    /// Whether a state is being built (the one shown is older than the moment chosen).
    pub fn is_rebuilding(&self) -> bool {
        self.wanted_generation > self.shown_generation
    }

    /// Choose `moment` (kept within the recording); says what the tab does to show it.
    pub fn seek(&mut self, moment: SystemTime) -> Plan {
        let (Some(first), Some(last)) = (self.timeline.first_time(), self.timeline.last_time()) else {
            return Plan::Nothing;
        };
        self.moment = moment.clamp(first, last);
        let count = self.timeline.count_until(self.moment);
        if count == self.shown_count {
            if self.is_rebuilding() {
                // Back to what is shown: what is being built is not wanted any more.
                self.wanted_generation += 1;
                self.shown_generation = self.wanted_generation;
                if let Ok(rebuilder) = &self.rebuilder {
                    rebuilder.cancel();
                }
            }
            return Plan::Nothing;
        }
        if !self.is_rebuilding() && count > self.shown_count && count - self.shown_count <= FORWARD_IN_FRAME {
            let range = self.shown_count..count;
            self.shown_count = count;
            return Plan::Forward(range);
        }
        match &self.rebuilder {
            Ok(rebuilder) => {
                self.wanted_generation += 1;
                rebuilder.request(self.wanted_generation, count, self.limits);
                Plan::Wait
            }
            // Without the thread, every moment is built here (slow for a long recording, but
            // shown all the same).
            Err(_) => {
                self.shown_count = count;
                Plan::Replace(Box::new(self.timeline.state_at(count, self.limits)))
            }
        }
    }

    /// The state built for the newest request taken in, if one came since the last call: the
    /// tab shows it in place of its session (and hands the old one to [`TimeSlider::discard`]).
    pub fn poll(&mut self) -> Option<Session> {
        let rebuilder = self.rebuilder.as_ref().ok()?;
        let Rebuilt {
            generation,
            count,
            session,
        } = rebuilder.poll()?;
        if generation <= self.shown_generation {
            rebuilder.discard(session);
            return None;
        }
        self.shown_generation = generation;
        self.shown_count = count;
        Some(session)
    }

    /// Let go of a session the tab no longer shows, off the UI thread.
    pub fn discard(&self, session: Session) {
        match &self.rebuilder {
            Ok(rebuilder) => rebuilder.discard(session),
            Err(_) => drop(session),
        }
    }

    /// Draw the slider and its steps; returns the moment chosen when the user moved it.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<SystemTime> {
        if self.window.get().is_none() {
            self.window.set(ui.ctx().clone()).ok();
        }
        let (Some(first), Some(last)) = (self.timeline.first_time(), self.timeline.last_time()) else {
            return None;
        };
        let mut chosen = self.keys(ui, first, last);
        let narrow = ui.available_width() < ONE_LINE_WIDTH;
        if narrow {
            // Narrow: the moment on a line of its own, the steps under it.
            ui.horizontal(|ui| self.moment_ui(ui, first, last));
        }
        ui.horizontal(|ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(moment) = self.steps_ui(ui, first, last) {
                    chosen = Some(moment);
                }
                if !narrow {
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        self.moment_ui(ui, first, last);
                    });
                }
            });
        });
        let span_secs = last.duration_since(first).unwrap_or_default().as_secs_f64();
        let mut offset_secs = self.moment.duration_since(first).unwrap_or_default().as_secs_f64();
        ui.spacing_mut().slider_width = ui.available_width();
        let slider = egui::Slider::new(&mut offset_secs, 0.0..=span_secs)
            .show_value(false)
            .trailing_fill(true);
        // No tooltip: it would hide the moment while the slider is dragged.
        let response = ui.add_enabled(span_secs > 0.0, slider);
        let value = offset_secs;
        response.widget_info(|| egui::WidgetInfo::slider(span_secs > 0.0, value, SLIDER_LABEL));
        self.slider_id = Some(response.id);
        if response.changed() {
            let offset = Duration::try_from_secs_f64(offset_secs).unwrap_or_default();
            chosen = Some(first.checked_add(offset).unwrap_or(last));
        }
        chosen
    }

    /// The arrow keys, Home and End, while the slider has the focus.
    fn keys(&self, ui: &egui::Ui, first: SystemTime, last: SystemTime) -> Option<SystemTime> {
        let id = self.slider_id?;
        if !ui.memory(|m| m.has_focus(id)) {
            return None;
        }
        ui.input_mut(|i| {
            let mut moment = None;
            for (forward, key) in [(false, Key::ArrowLeft), (true, Key::ArrowRight)] {
                let from = moment.unwrap_or(self.moment);
                let step = if i.consume_key(Modifiers::NONE, key) {
                    Step::Message
                } else if i.consume_key(Modifiers::SHIFT, key) {
                    Step::By(Duration::from_secs(1))
                } else if i.consume_key(Modifiers::COMMAND, key) {
                    Step::By(Duration::from_secs(60))
                } else {
                    continue;
                };
                moment = Some(self.stepped(from, step, forward, first));
            }
            if i.consume_key(Modifiers::NONE, Key::Home) {
                moment = Some(first);
            }
            if i.consume_key(Modifiers::NONE, Key::End) {
                moment = Some(last);
            }
            moment
        })
    }

    /// The moment a step from `from` leads to, forward or back (before `first` it is `first`;
    /// past the end is kept within it when chosen).
    fn stepped(&self, from: SystemTime, step: Step, forward: bool, first: SystemTime) -> SystemTime {
        match (step, forward) {
            (Step::Message, true) => self.timeline.time_after(from).unwrap_or(from),
            (Step::Message, false) => {
                // The latest message shown goes: back to the one before it.
                let shown = self.timeline.count_until(from);
                let latest = shown
                    .checked_sub(1)
                    .and_then(|i| self.timeline.time_of(i))
                    .unwrap_or(from);
                self.timeline.time_before(latest).unwrap_or(latest)
            }
            (Step::By(by), true) => from.checked_add(by).unwrap_or(from),
            (Step::By(by), false) => from.checked_sub(by).unwrap_or(first).max(first),
        }
    }

    /// The step buttons and Latest, right to left.
    fn steps_ui(&self, ui: &mut egui::Ui, first: SystemTime, last: SystemTime) -> Option<SystemTime> {
        let mut chosen = None;
        let at_latest = self.moment >= last;
        if ui
            .add_enabled(!at_latest, egui::Button::new("Latest"))
            .on_hover_text("Back to the end of the recording (End)")
            .clicked()
        {
            chosen = Some(last);
        }
        let (second, minute) = (Step::By(Duration::from_secs(1)), Step::By(Duration::from_secs(60)));
        let buttons = [
            ("+1 min", "A minute later (Ctrl+Right)", minute, true),
            ("+1 s", "A second later (Shift+Right)", second, true),
            ("Message ›", "The next message (Right)", Step::Message, true),
            ("‹ Message", "The message before (Left)", Step::Message, false),
            ("−1 s", "A second earlier (Shift+Left)", second, false),
            ("−1 min", "A minute earlier (Ctrl+Left)", minute, false),
        ];
        for (text, hint, step, forward) in buttons {
            let enabled = if forward { !at_latest } else { self.moment > first };
            if ui
                .add_enabled(enabled, egui::Button::new(text))
                .on_hover_text(hint)
                .clicked()
            {
                chosen = Some(self.stepped(self.moment, step, forward, first));
            }
        }
        chosen
    }
    /// The moment as a date and time, its offset from the start, and the messages by then.
    fn moment_ui(&self, ui: &mut egui::Ui, first: SystemTime, last: SystemTime) {
        ui.label(egui::RichText::new(format_time(self.moment)).strong())
            .on_hover_text(
                "The recording as it was at this moment: drag the slider below, or give it the \
                 focus and use Left and Right (a message), Shift (a second), Ctrl (a minute), Home \
                 and End",
            );
        let offset = self.moment.duration_since(first).unwrap_or_default();
        let span = last.duration_since(first).unwrap_or_default();
        ui.label(format!("{} of {}", offset_text(offset), clock_text(span)));
        let count = self.timeline.count_until(self.moment) as u64;
        ui.weak(format!(
            "{} of {}",
            crate::payload::text::group_digits(count),
            plural(self.timeline.len() as u64, "message", "messages")
        ));
        if self.is_rebuilding() {
            ui.add(egui::Spinner::new().size(12.0));
            ui.weak("rebuilding…");
        }
        if let Err(why) = &self.rebuilder {
            ui.colored_label(ui.visuals().warn_fg_color, "built here, slowly")
                .on_hover_text(why);
        }
    }
}

/// An offset from the start: `+12:34.5`, or `+1:02:03.4` from an hour on.
pub fn offset_text(offset: Duration) -> String {
    format!("+{}", clock_text(offset))
}

/// A length of time to the tenth of a second: `12:34.5`, or `1:02:03.4` from an hour on.
fn clock_text(length: Duration) -> String {
    let tenths = length.as_millis() / 100;
    let (secs, tenth) = (tenths / 10, tenths % 10);
    let (hours, minutes, seconds) = (secs / 3600, secs / 60 % 60, secs % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}.{tenth}")
    } else {
        format!("{minutes}:{seconds:02}.{tenth}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slider() -> TimeSlider {
        let mut builder = crate::record::timeline::Builder::default();
        for i in 0..10u64 {
            let mut received = crate::model::Received::example("a/b", &i.to_string());
            received.message.received_at = std::time::UNIX_EPOCH + Duration::from_secs(100 + i);
            builder.push(&received);
        }
        TimeSlider::new(builder.finish().0, (1000, 1 << 30)).expect("messages")
    }

    #[test]
    fn a_step_forward_is_applied_at_once_and_a_step_back_is_built_on_the_thread() {
        let mut time = slider();
        let at = |secs| std::time::UNIX_EPOCH + Duration::from_secs(secs);
        assert!(matches!(time.seek(at(109)), Plan::Nothing), "the end is shown already");
        assert!(matches!(time.seek(at(104)), Plan::Wait));
        assert!(time.is_rebuilding());
        assert!(matches!(time.seek(at(109)), Plan::Nothing), "back to what is shown");
        assert!(!time.is_rebuilding(), "nothing is waited for");
        assert!(matches!(time.seek(at(50)), Plan::Wait), "kept within the recording");
        assert_eq!(time.moment(), at(100));
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let built = loop {
            if let Some(session) = time.poll() {
                break session;
            }
            assert!(std::time::Instant::now() < deadline, "no state was built");
            std::thread::sleep(Duration::from_millis(1));
        };
        assert_eq!(built.tree.message_count(), 1);
        match time.seek(at(102)) {
            Plan::Forward(range) => assert_eq!(range, 1..3),
            _ => panic!("two messages forward are applied at once"),
        }
    }

    #[test]
    fn offsets_read_as_a_clock_to_the_tenth() {
        assert_eq!(offset_text(Duration::from_millis(754_560)), "+12:34.5");
        assert_eq!(offset_text(Duration::from_millis(3_723_400)), "+1:02:03.4");
        assert_eq!(offset_text(Duration::ZERO), "+0:00.0");
    }
}
