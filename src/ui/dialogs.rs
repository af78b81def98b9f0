//! Native file dialogs without blocking the UI: each runs on the network
//! runtime and hands its answer back through a channel polled every frame.

use std::path::PathBuf;
use std::sync::mpsc;

use eframe::egui;

/// A file dialog in flight.
#[derive(Debug)]
pub struct Pending {
    rx: mpsc::Receiver<Option<PathBuf>>,
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
            let picked = dialog.await.map(|handle| handle.path().to_path_buf());
            // The window may be gone; then nobody needs the answer.
            tx.send(picked).ok();
            ctx.request_repaint();
        });
        Self { rx }
    }

    /// Whether the dialog has answered, and how.
    pub fn poll(&self) -> Picked {
        match self.rx.try_recv() {
            Ok(Some(path)) => Picked::File(path),
            Ok(None) => Picked::Cancelled,
            Err(mpsc::TryRecvError::Empty) => Picked::Waiting,
            // The task ended without answering: the dialog backend failed.
            Err(mpsc::TryRecvError::Disconnected) => Picked::Unavailable,
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
