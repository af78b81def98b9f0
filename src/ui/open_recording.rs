//! Opening a recording: the file dialog (or a typed path), then the reading off the UI thread
//! with a progress bar, then the session read, for a tab of its own.

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use super::dialogs::{Background, Dialogs, PathPrompt, Pending, Picked, Prompted, Request};
use crate::record::open::{self, Opened, Progress};

enum Step {
    Picking(Pending),
    Typing(PathPrompt),
    Reading {
        path: PathBuf,
        progress: Arc<Progress>,
        job: Background<Result<Opened, String>>,
    },
}

/// An opening under way, if any.
#[derive(Default)]
pub struct OpenRecording {
    step: Option<Step>,
}

/// The kinds of file offered.
const FILTERS: &[(&str, &[&str])] = &[("Recordings and exports", &["jsonl", "zst", "json", "csv", "txt"])];

impl OpenRecording {
    /// Ask for a recording to open.
    pub fn start(&mut self, ctx: &egui::Context, dialogs: &Dialogs, runtime: &tokio::runtime::Handle) {
        let request = Request {
            title: "Open a recording",
            filters: FILTERS,
            file_name: "",
        };
        self.step = Some(Step::Picking(Pending::open(ctx, dialogs, runtime, &request)));
    }

    /// Whether an opening is under way.
    pub fn is_busy(&self) -> bool {
        self.step.is_some()
    }

    fn read(ctx: &egui::Context, runtime: &tokio::runtime::Handle, path: PathBuf, limits: (usize, usize)) -> Step {
        let progress = Arc::new(Progress::default());
        let job = Background::start(ctx, runtime, {
            let (path, progress) = (path.clone(), Arc::clone(&progress));
            move || open::open_keeping(&path, limits, &progress)
        });
        Step::Reading { path, progress, job }
    }

    /// Move the opening on and draw it (the typed path, the progress); returns the file and
    /// what was read, or why not, once. `limits` bound the history as the settings say.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        runtime: &tokio::runtime::Handle,
        limits: (usize, usize),
    ) -> Option<Result<(PathBuf, Opened), String>> {
        let step = self.step.take()?;
        let (next, done) = match step {
            Step::Picking(dialog) => match dialog.poll() {
                Picked::Waiting => (Some(Step::Picking(dialog)), None),
                Picked::Cancelled => (None, None),
                Picked::File(path) => (Some(Self::read(ctx, runtime, path, limits)), None),
                Picked::Unavailable => (Some(Step::Typing(PathPrompt::default())), None),
            },
            Step::Typing(mut prompt) => {
                let mut outcome = Prompted::Typing;
                egui::Window::new("Open a recording")
                    .collapsible(false)
                    .resizable(false)
                    .show(ctx, |ui| {
                        ui.label("A recording or an export made by mqscope (.jsonl, .jsonl.zst, .json, .csv), or mosquitto_sub -F %j lines");
                        outcome = prompt.ui(ui, "/path/to/capture.jsonl");
                    });
                match outcome {
                    Prompted::Typing => (Some(Step::Typing(prompt)), None),
                    Prompted::Cancelled => (None, None),
                    Prompted::Path(path) => (Some(Self::read(ctx, runtime, path, limits)), None),
                }
            }
            Step::Reading { path, progress, job } => match job.poll() {
                None => {
                    let name = path
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    egui::Window::new("Opening a recording")
                        .collapsible(false)
                        .resizable(false)
                        .show(ctx, |ui| {
                            ui.label(format!("Reading {name}…"));
                            ui.add(
                                egui::ProgressBar::new(progress.fraction())
                                    .show_percentage()
                                    .desired_width(320.0),
                            );
                        });
                    // The bar moves while the file is read.
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                    (Some(Step::Reading { path, progress, job }), None)
                }
                Some(Ok(Ok(opened))) => (None, Some(Ok((path, opened)))),
                Some(Ok(Err(why))) => (None, Some(Err(why))),
                Some(Err(())) => (
                    None,
                    Some(Err(format!("reading {} stopped unexpectedly", path.display()))),
                ),
            },
        };
        self.step = next;
        done
    }
}
