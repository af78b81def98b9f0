//! The dialog of a clearing of retained messages: the broker's answer, the confirmation, the
//! progress, and the report. The job itself is [`ClearJob`].

use eframe::egui::{self, RichText};

use super::clear::{ClearJob, Phase};
use crate::payload::text::group_digits;
use crate::ui::text::plural;
use crate::ui::theme;

/// What the user did in the dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Clear the topics the broker named.
    Clear,
    /// Stop sending deletions.
    Cancel,
    /// Close the dialog (before confirming, nothing is cleared).
    Close,
}

/// Draw the dialog for `job`. Returns what the user did, if anything.
pub fn ui(ctx: &egui::Context, job: &ClearJob) -> Option<Decision> {
    let mut decision = None;
    let id = egui::Id::unique("mqscope-clear-retained");
    // Anchored by its top edge, not centred on its size: moving from one step to the next
    // (a different height) never moves what is under the pointer.
    let top = (ctx.content_rect().height() * 0.2).min(160.0);
    let area = egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, [0.0, top]);
    egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Clear retained messages");
        ui.add_space(6.0);
        let scope = job.scope();
        match job.phase() {
            Phase::Asking(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    let place = if job.recursive() { "under" } else { "on" };
                    ui.label(format!(
                        "Asking the broker which retained messages it holds {place} {scope}…"
                    ));
                });
                ui.add_space(8.0);
                if ui.button("Cancel").clicked() {
                    decision = Some(Decision::Close);
                }
            }
            Phase::Confirm => {
                let n = job.topics().len() as u64;
                let question = if job.recursive() {
                    format!(
                        "Clear the retained messages of {} under {scope}?",
                        plural(n, "topic", "topics")
                    )
                } else {
                    format!("Clear the retained message of {scope}?")
                };
                ui.add(egui::Label::new(question).wrap());
                if job.unseen() > 0 {
                    ui.add(
                        egui::Label::new(format!(
                            "The broker holds {} that this connection had not seen as retained (a message \
                             retained while subscribed arrives without its retain flag in MQTT 3.1.1).",
                            plural(job.unseen() as u64, "of them", "of them")
                        ))
                        .wrap(),
                    );
                }
                ui.weak(
                    "An empty retained message is published to each topic. Devices that publish retained \
                     messages will bring theirs back.",
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let label = format!("Clear {}", plural(n, "retained message", "retained messages"));
                    let clear = egui::Button::new(RichText::new(label).strong().color(egui::Color32::WHITE))
                        .fill(theme::danger_fill(ui));
                    if ui.add(clear).clicked() {
                        decision = Some(Decision::Clear);
                    }
                    if ui.button("Cancel").clicked() {
                        decision = Some(Decision::Close);
                    }
                });
            }
            Phase::Sending => {
                let (done, total) = (job.done(), job.topics().len());
                ui.label(format!("Clearing retained messages under {scope}…"));
                ui.add(egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(format!(
                    "{} of {}",
                    group_digits(done as u64),
                    group_digits(total as u64)
                )));
                if ui
                    .add_enabled(!job.is_cancelled(), egui::Button::new("Cancel"))
                    .clicked()
                {
                    decision = Some(Decision::Cancel);
                }
            }
            Phase::Checking(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Checking with the broker which retained messages are gone…");
                });
            }
            Phase::Done { text, ok } => {
                let color = if *ok {
                    theme::ok_color(ui)
                } else {
                    theme::warn_color(ui)
                };
                ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
                ui.add_space(8.0);
                if ui.button("Close").clicked() {
                    decision = Some(Decision::Close);
                }
            }
        }
    });
    decision
}
