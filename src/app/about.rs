//! The About window: what a bug report needs, and *Copy diagnostics* to put it on the
//! clipboard in one click.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use eframe::egui;

use super::windows::{AppWindow, WindowContext};
use crate::logging::Recent;
use crate::ui::about::{ConnectionReport, Report};
use crate::ui::theme;

/// The About window's name.
pub const ABOUT: &str = "About mqscope";

/// How long "Copied" shows after a copy.
const COPIED_SHOWN: Duration = Duration::from_secs(4);

/// What the app knows of where it runs, for the About window.
pub struct Diagnostics {
    /// The OS, with its name where it says it, and the CPU architecture.
    pub os: String,
    /// The log file, or why there is none.
    pub log_file: Result<PathBuf, String>,
    /// The latest problems the log saw, and the GL renderer.
    pub recent: Recent,
    /// The OpenGL version the window draws with, once known.
    pub gl_version: Option<String>,
}

impl Default for Diagnostics {
    fn default() -> Self {
        Self {
            os: os_description(),
            log_file: Err("logging to a file was not set up".to_owned()),
            recent: Recent::default(),
            gl_version: None,
        }
    }
}

/// `linux x86_64`, with the distribution's name where `/etc/os-release` gives it.
fn os_description() -> String {
    let plain = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    let name = std::fs::read_to_string("/etc/os-release").ok().and_then(|text| {
        text.lines()
            .find_map(|line| line.strip_prefix("PRETTY_NAME="))
            .map(|name| name.trim_matches('"').to_owned())
    });
    match name {
        Some(name) if !name.is_empty() => format!("{name} ({plain})"),
        _ => plain,
    }
}

/// The GL version as people write it: `OpenGL ES 3.0` or `4.5`, then the driver's words.
pub fn gl_version(version: &eframe::glow::Version) -> String {
    let es = if version.is_embedded { "ES " } else { "" };
    format!("{es}{}.{} {}", version.major, version.minor, version.vendor_info)
        .trim()
        .to_owned()
}

/// The About window.
#[derive(Default)]
pub struct AboutWindow {
    /// When the diagnostics were last copied.
    copied_at: Option<Instant>,
}

impl AboutWindow {
    /// The report as of now.
    fn report(cx: &WindowContext<'_>) -> Report {
        let diagnostics = cx.diagnostics;
        Report {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            os: diagnostics.os.clone(),
            gl_renderer: diagnostics
                .recent
                .gl_renderer()
                .unwrap_or_else(|| "not known".to_owned()),
            gl_version: diagnostics.gl_version.clone(),
            log_file: match &diagnostics.log_file {
                Ok(path) => path.display().to_string(),
                Err(why) => format!("none: {why}"),
            },
            connections: cx
                .explorers
                .iter()
                .map(|e| ConnectionReport::of(&e.title, &e.settings.address.to_string(), &e.session))
                .collect(),
            problems: diagnostics.recent.problems(),
        }
    }
}

impl AppWindow for AboutWindow {
    fn name(&self) -> &'static str {
        ABOUT
    }

    fn show(&mut self, ctx: &egui::Context, open: &mut bool, cx: &mut WindowContext<'_>) {
        let report = Self::report(cx);
        let max_width = (ctx.content_rect().width() - 40.0).clamp(240.0, 560.0);
        egui::Window::new(ABOUT)
            .open(open)
            .collapsible(false)
            .resizable(false)
            .max_width(max_width)
            .default_pos(ctx.content_rect().center_top() + egui::vec2(-200.0, 90.0))
            .show(ctx, |ui| {
                ui.set_max_width(max_width);
                // Taller than the window (small, or zoomed), it scrolls.
                let copy = egui::ScrollArea::vertical()
                    .max_height((ctx.content_rect().height() - 130.0).max(120.0))
                    .min_scrolled_height((ctx.content_rect().height() - 130.0).max(120.0))
                    .show(ui, |ui| report.ui(ui))
                    .inner;
                if copy {
                    ui.ctx().copy_text(report.text());
                    self.copied_at = Some(Instant::now());
                }
                if let Some(at) = self.copied_at {
                    let left = COPIED_SHOWN.saturating_sub(at.elapsed());
                    if left.is_zero() {
                        self.copied_at = None;
                    } else {
                        ui.colored_label(theme::ok_color(ui), "Copied to the clipboard");
                        ui.ctx().request_repaint_after(left);
                    }
                }
            });
    }
}
