//! Picking files without blocking the UI. [`Dialogs`] is the service panels are handed: the
//! desktop's own file dialog where there is one (checked once, in the background), or a path
//! typed in the window where there is none (and in tests, which ask for it). Every dialog
//! runs on the runtime and hands its answer back through a channel polled every frame;
//! [`files`] builds the one way to open and the one way to save a file on top of it.

mod files;
mod probe;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock, mpsc};

use eframe::egui;

pub use files::{OpenFile, Opened, SaveFile, Saved};

/// How files are picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    /// The desktop's file dialog (the XDG portal or zenity on Linux, the system's elsewhere).
    Native,
    /// A path typed in the window.
    Typed,
}

/// The file dialog service: which kind of dialog this desktop has.
#[derive(Clone, Debug)]
pub struct Dialogs {
    kind: Arc<OnceLock<DialogKind>>,
}

impl Default for Dialogs {
    fn default() -> Self {
        Self::native()
    }
}

impl Dialogs {
    /// The desktop's dialogs, where it has them: checked once, off the UI thread, when the
    /// first file is picked (see [`Dialogs::probe`] to check sooner).
    pub fn native() -> Self {
        Self {
            kind: Arc::new(OnceLock::new()),
        }
    }

    /// Always a typed path (for tests, and desktops without a dialog).
    pub fn typed() -> Self {
        let kind = OnceLock::new();
        kind.set(DialogKind::Typed).ok();
        Self { kind: Arc::new(kind) }
    }

    /// Find out now, on the runtime's blocking pool, which kind of dialog there is.
    pub fn probe(&self, runtime: &tokio::runtime::Handle) {
        let dialogs = self.clone();
        runtime.spawn_blocking(move || dialogs.kind_blocking());
    }

    /// The kind of dialog, once known.
    pub fn kind(&self) -> Option<DialogKind> {
        self.kind.get().copied()
    }

    /// The kind of dialog, finding it out first if needed (blocks: call off the UI thread).
    fn kind_blocking(&self) -> DialogKind {
        *self.kind.get_or_init(probe::dialog_kind)
    }
}

/// What a file dialog asks for.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The dialog's title.
    pub title: &'a str,
    /// Kinds of file offered: a name and its extensions.
    pub filters: &'a [(&'a str, &'a [&'a str])],
    /// The name suggested when saving.
    pub file_name: &'a str,
}

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
    /// There is no file dialog here: the path has to be typed.
    Unavailable,
}

/// A path field's browse dialog moved on: the file chosen goes into `path`, and the dialog is
/// let go once it answered (cancelled, or no dialog here: the path is typed in the field).
pub fn fill_path_from(browse: &mut Option<Pending>, path: &mut String) {
    let Some(pending) = browse else {
        return;
    };
    match pending.poll() {
        Picked::Waiting => {}
        Picked::File(chosen) => {
            *path = chosen.display().to_string();
            *browse = None;
        }
        Picked::Cancelled | Picked::Unavailable => *browse = None,
    }
}

impl Pending {
    /// Ask for a file to open.
    pub fn open(
        ctx: &egui::Context,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        request: &Request<'_>,
    ) -> Self {
        let mut dialog = rfd::AsyncFileDialog::new().set_title(request.title);
        for (name, extensions) in request.filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        Self::run(ctx, dialogs, runtime, async move { dialog.pick_file().await })
    }

    /// Ask where to save a file, suggesting `file_name`.
    pub fn save(
        ctx: &egui::Context,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        request: &Request<'_>,
    ) -> Self {
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title(request.title)
            .set_file_name(request.file_name);
        for (name, extensions) in request.filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        Self::run(ctx, dialogs, runtime, async move { dialog.save_file().await })
    }

    fn run(
        ctx: &egui::Context,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        dialog: impl Future<Output = Option<rfd::FileHandle>> + Send + 'static,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let answer = |tx: mpsc::Sender<_>, ctx: egui::Context, answer| {
            // The window may be gone; then nobody needs the answer.
            tx.send(answer).ok();
            ctx.request_repaint();
        };
        let ctx = ctx.clone();
        match dialogs.kind() {
            Some(DialogKind::Typed) => answer(tx, ctx, Err(())),
            known => {
                let dialogs = dialogs.clone();
                runtime.spawn(async move {
                    let kind = match known {
                        Some(kind) => kind,
                        None => tokio::task::spawn_blocking(move || dialogs.kind_blocking())
                            .await
                            .unwrap_or(DialogKind::Typed),
                    };
                    let picked = match kind {
                        DialogKind::Native => Ok(dialog.await.map(|handle| handle.path().to_path_buf())),
                        DialogKind::Typed => Err(()),
                    };
                    answer(tx, ctx, picked);
                });
            }
        }
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
