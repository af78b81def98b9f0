//! The one way to open a file and the one way to save one: the file dialog (or a typed path
//! where there is none), then the reading or writing off the UI thread, then how it ended.

use std::path::{Path, PathBuf};

use eframe::egui;

use super::{Background, Dialogs, PathPrompt, Pending, Picked, Prompted, Request};

/// Something the person can open from a file through [`OpenFile`].
pub trait Opened: Sized + Send + 'static {
    /// An example path for the typed-path prompt.
    const EXAMPLE_PATH: &'static str;
    /// Read it from `path` (on a background thread), or say why not.
    fn read(path: &Path) -> Result<Self, String>;
}

/// Opening a file the person picks: the open dialog, or a typed path where none can be
/// shown; the file read off the UI thread; then what was read, or why not.
#[derive(Debug)]
pub struct OpenFile<T> {
    step: Option<OpenStep<T>>,
}

impl<T> Default for OpenFile<T> {
    fn default() -> Self {
        Self { step: None }
    }
}

/// Where an opening stands.
#[derive(Debug)]
enum OpenStep<T> {
    /// The dialog is open.
    Picking(Pending),
    /// No dialog can be shown: the path is typed.
    Typing(PathPrompt),
    /// Reading the file.
    Reading(Background<Result<T, String>>),
}

impl<T: Opened> OpenFile<T> {
    /// Ask for a file to open, in a dialog titled `title` offering `filters`.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        title: &str,
        filters: &[(&str, &[&str])],
    ) {
        let request = Request {
            title,
            filters,
            file_name: "",
        };
        self.step = Some(OpenStep::Picking(Pending::open(ctx, dialogs, runtime, &request)));
    }

    /// Whether an opening is under way (the dialog, a typed path, or the reading).
    pub fn is_busy(&self) -> bool {
        self.step.is_some()
    }

    /// Whether the dialog is open or the file is being read (a spinner's worth).
    pub fn is_waiting(&self) -> bool {
        matches!(self.step, Some(OpenStep::Picking(_) | OpenStep::Reading(_)))
    }

    fn reading(ctx: &egui::Context, runtime: &tokio::runtime::Handle, path: PathBuf) -> OpenStep<T> {
        OpenStep::Reading(Background::start(ctx, runtime, move || T::read(&path)))
    }

    /// Move the opening along. Call it every frame; returns what was read, or why not, once.
    pub fn poll(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) -> Option<Result<T, String>> {
        let step = self.step.take()?;
        let (step, done) = match step {
            OpenStep::Picking(dialog) => match dialog.poll() {
                Picked::Waiting => (Some(OpenStep::Picking(dialog)), None),
                Picked::Cancelled => (None, None),
                Picked::Unavailable => (Some(OpenStep::Typing(PathPrompt::default())), None),
                Picked::File(path) => (Some(Self::reading(ctx, runtime, path)), None),
            },
            typing @ OpenStep::Typing(_) => (Some(typing), None),
            OpenStep::Reading(job) => match job.poll() {
                None => (Some(OpenStep::Reading(job)), None),
                Some(Ok(read)) => (None, Some(read)),
                Some(Err(())) => (None, Some(Err("Reading the file failed".to_owned()))),
            },
        };
        self.step = step;
        done
    }

    /// The typed-path prompt, when no dialog can be shown.
    pub fn ui(&mut self, ui: &mut egui::Ui, runtime: &tokio::runtime::Handle) {
        if let Some(OpenStep::Typing(prompt)) = &mut self.step {
            match prompt.ui(ui, T::EXAMPLE_PATH) {
                Prompted::Typing => {}
                Prompted::Path(path) => self.step = Some(Self::reading(ui.ctx(), runtime, path)),
                Prompted::Cancelled => self.step = None,
            }
        }
    }
}

/// Something the person can save to a file through [`SaveFile`].
pub trait Saved: Send + 'static {
    /// An example path for the typed-path prompt.
    const EXAMPLE_PATH: &'static str;
    /// Kinds of file the save dialog offers to choose from (a name and its extensions); none
    /// by default.
    const FILTERS: &'static [(&'static str, &'static [&'static str])] = &[];
    /// Write it to `path` (on a background thread): a line saying what was written, or why not.
    fn write(self, path: &std::path::Path) -> Result<String, String>;
}

/// Saving something to a file the person picks: the save dialog, or a typed path where none
/// can be shown; the file written off the UI thread; then how it ended.
pub struct SaveFile<T> {
    step: Option<SaveStep<T>>,
    outcome: Option<Result<String, String>>,
}

impl<T> Default for SaveFile<T> {
    fn default() -> Self {
        Self {
            step: None,
            outcome: None,
        }
    }
}

/// Where a save stands.
enum SaveStep<T> {
    /// The dialog is open.
    Picking(Pending, T),
    /// No dialog could be shown: the path is typed.
    Typing(PathPrompt, T),
    /// Writing the file.
    Writing(Background<Result<String, String>>),
}

impl<T: Saved> SaveFile<T> {
    /// Ask where to save `data`, in a dialog titled `title` suggesting `file_name`.
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        title: &str,
        file_name: &str,
        data: T,
    ) {
        let request = Request {
            title,
            filters: T::FILTERS,
            file_name,
        };
        self.step = Some(SaveStep::Picking(Pending::save(ctx, dialogs, runtime, &request), data));
        self.outcome = None;
    }

    /// Whether a save is under way (the dialog, a typed path, or the writing).
    pub fn is_busy(&self) -> bool {
        self.step.is_some()
    }

    /// Whether the file is being written.
    pub fn is_writing(&self) -> bool {
        matches!(self.step, Some(SaveStep::Writing(_)))
    }

    fn writing(ctx: &egui::Context, runtime: &tokio::runtime::Handle, path: PathBuf, data: T) -> SaveStep<T> {
        SaveStep::Writing(Background::start(ctx, runtime, move || data.write(&path)))
    }

    /// Move the save along: the dialog's answer, the file written. Call it every frame.
    pub fn poll(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
        let Some(step) = self.step.take() else { return };
        self.step = match step {
            SaveStep::Picking(dialog, data) => match dialog.poll() {
                Picked::Waiting => Some(SaveStep::Picking(dialog, data)),
                Picked::Cancelled => None,
                Picked::Unavailable => Some(SaveStep::Typing(PathPrompt::default(), data)),
                Picked::File(path) => Some(Self::writing(ctx, runtime, path, data)),
            },
            typing @ SaveStep::Typing(..) => Some(typing),
            SaveStep::Writing(job) => match job.poll() {
                None => Some(SaveStep::Writing(job)),
                Some(Ok(outcome)) => {
                    self.outcome = Some(outcome);
                    None
                }
                Some(Err(())) => {
                    self.outcome = Some(Err("Writing the file failed".to_owned()));
                    None
                }
            },
        };
    }

    /// The typed-path prompt (when no dialog can be shown) and how the last save ended.
    pub fn ui(&mut self, ui: &mut egui::Ui, runtime: &tokio::runtime::Handle) {
        if let Some(SaveStep::Typing(prompt, _)) = &mut self.step {
            match prompt.ui(ui, T::EXAMPLE_PATH) {
                Prompted::Typing => {}
                Prompted::Path(path) => {
                    if let Some(SaveStep::Typing(_, data)) = self.step.take() {
                        self.step = Some(Self::writing(ui.ctx(), runtime, path, data));
                    }
                }
                Prompted::Cancelled => self.step = None,
            }
        }
        match &self.outcome {
            Some(Ok(text)) => {
                ui.label(egui::RichText::new(text).color(crate::ui::theme::ok_color(ui)));
            }
            Some(Err(text)) => {
                ui.label(egui::RichText::new(text).color(crate::ui::theme::error_color(ui)));
            }
            None => {}
        }
    }
}
