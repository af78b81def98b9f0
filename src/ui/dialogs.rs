//! Native file dialogs without blocking the UI: each runs on the network
//! runtime and hands its answer back through a channel polled every frame.

use std::path::PathBuf;
use std::sync::mpsc;

use eframe::egui;

/// A dialog answering "cancelled" sooner than this was never shown: rfd reports a missing
/// desktop portal (and no zenity) as a cancel, and no person cancels that fast.
const NOT_SHOWN_WITHIN: std::time::Duration = std::time::Duration::from_millis(400);

/// A file dialog in flight.
#[derive(Debug)]
pub struct Pending {
    rx: mpsc::Receiver<Result<Option<PathBuf>, ()>>,
}

/// What a dialog came to.
pub enum Picked {
    /// Still open.
    Waiting,
    /// The user chose this file.
    File(PathBuf),
    /// The user cancelled.
    Cancelled,
    /// No dialog could be shown (no desktop portal): the path has to be typed.
    Unavailable,
}

impl Pending {
    /// Ask for a file to open.
    pub fn open(
        ctx: &egui::Context,
        runtime: &tokio::runtime::Handle,
        title: &str,
        filters: &[(&str, &[&str])],
    ) -> Self {
        let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
        for (name, extensions) in filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        Self::run(ctx, runtime, async move { dialog.pick_file().await })
    }

    /// Ask where to save a file, suggesting `file_name`.
    pub fn save(ctx: &egui::Context, runtime: &tokio::runtime::Handle, title: &str, file_name: &str) -> Self {
        let dialog = rfd::AsyncFileDialog::new().set_title(title).set_file_name(file_name);
        Self::run(ctx, runtime, async move { dialog.save_file().await })
    }

    fn run(
        ctx: &egui::Context,
        runtime: &tokio::runtime::Handle,
        dialog: impl Future<Output = Option<rfd::FileHandle>> + Send + 'static,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        runtime.spawn(async move {
            let started = std::time::Instant::now();
            let picked = dialog.await.map(|handle| handle.path().to_path_buf());
            let answer = match picked {
                None if started.elapsed() < NOT_SHOWN_WITHIN => Err(()),
                picked => Ok(picked),
            };
            // The window may be gone; then nobody needs the answer.
            tx.send(answer).ok();
            ctx.request_repaint();
        });
        Self { rx }
    }

    /// Whether the dialog has answered, and how.
    pub fn poll(&self) -> Picked {
        match self.rx.try_recv() {
            Ok(Ok(Some(path))) => Picked::File(path),
            Ok(Ok(None)) => Picked::Cancelled,
            Err(mpsc::TryRecvError::Empty) => Picked::Waiting,
            // No dialog could be shown, or the task ended without answering.
            Ok(Err(())) | Err(mpsc::TryRecvError::Disconnected) => Picked::Unavailable,
        }
    }
}

/// Work done off the UI thread (reading or writing a file), answered through a channel.
#[derive(Debug)]
pub struct Background<T> {
    rx: mpsc::Receiver<T>,
}

impl<T: Send + 'static> Background<T> {
    /// Run `work` on the runtime's blocking pool; repaint when it is done.
    pub fn start(
        ctx: &egui::Context,
        runtime: &tokio::runtime::Handle,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        runtime.spawn_blocking(move || {
            tx.send(work()).ok();
            ctx.request_repaint();
        });
        Self { rx }
    }

    /// The answer, once there is one; `Err(())` if the work died without answering.
    pub fn poll(&self) -> Option<Result<T, ()>> {
        match self.rx.try_recv() {
            Ok(value) => Some(Ok(value)),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(())),
        }
    }
}

/// Where no file dialog can be shown: a line to type the path, with OK and Cancel.
#[derive(Debug, Default)]
pub struct PathPrompt {
    path: String,
    /// Whether the field was given the keyboard focus (once, when it appeared).
    focused: bool,
}

/// What the person did with a [`PathPrompt`].
pub enum Prompted {
    /// Nothing yet.
    Typing,
    /// Entered this path.
    Path(PathBuf),
    /// Gave up.
    Cancelled,
}

impl PathPrompt {
    /// Draw the prompt; `hint` shows an example path.
    pub fn ui(&mut self, ui: &mut egui::Ui, hint: &str) -> Prompted {
        let mut outcome = Prompted::Typing;
        ui.weak("No file dialog here: type the path");
        ui.horizontal(|ui| {
            let width = (ui.available_width() - 100.0).clamp(100.0, 320.0);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.path)
                        .hint_text(hint)
                        .desired_width(width),
                )
                .on_hover_text("The file's full path");
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "File path"));
            if !self.focused {
                field.request_focus();
                self.focused = true;
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("OK").clicked() || entered) && !self.path.trim().is_empty() {
                outcome = Prompted::Path(PathBuf::from(self.path.trim()));
            }
            if ui.button("Cancel").clicked() {
                outcome = Prompted::Cancelled;
            }
        });
        outcome
    }
}

/// Something the person can save to a file through [`SaveFile`].
pub trait Saved: Send + 'static {
    /// An example path for the typed-path prompt.
    const EXAMPLE_PATH: &'static str;
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
        runtime: &tokio::runtime::Handle,
        title: &str,
        file_name: &str,
        data: T,
    ) {
        self.step = Some(SaveStep::Picking(Pending::save(ctx, runtime, title, file_name), data));
        self.outcome = None;
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
                ui.label(egui::RichText::new(text).color(super::theme::ok_color(ui)));
            }
            Some(Err(text)) => {
                ui.label(egui::RichText::new(text).color(super::theme::error_color(ui)));
            }
            None => {}
        }
    }
}
