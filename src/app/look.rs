//! The window's look as the settings say: the theme and the zoom, and the zoom keys
//! (Ctrl + or Ctrl =, Ctrl −, Ctrl 0), which change the zoom kept in the settings.

use eframe::egui;
use egui::gui_zoom::kb_shortcuts;

use crate::profiles::settings::{Settings, Theme};

/// egui's choice for a theme.
fn preference(theme: Theme) -> egui::ThemePreference {
    match theme {
        Theme::System => egui::ThemePreference::System,
        Theme::Light => egui::ThemePreference::Light,
        Theme::Dark => egui::ThemePreference::Dark,
    }
}

/// Draw with `settings`' theme and zoom from the next frame on (at once before the first). The
/// zoom keys are answered here, not by egui, so a zoom by keyboard is a setting like the others.
pub fn apply(ctx: &egui::Context, settings: &Settings) {
    let wanted = preference(settings.theme);
    if ctx.options(|o| o.theme_preference) != wanted {
        ctx.set_theme(wanted);
    }
    if ctx.options(|o| o.zoom_with_keyboard) {
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
    }
    let factor = settings.zoom_factor();
    if (ctx.zoom_factor() - factor).abs() > f32::EPSILON {
        ctx.set_zoom_factor(factor);
    }
}

/// Answer this frame's zoom keys by changing `settings`' zoom.
pub fn zoom_keys(ctx: &egui::Context, settings: &mut Settings) {
    let pressed = |shortcut: &egui::KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(shortcut));
    if pressed(&kb_shortcuts::ZOOM_RESET) {
        settings.zoom_percent = 100;
    }
    if pressed(&kb_shortcuts::ZOOM_IN) || pressed(&kb_shortcuts::ZOOM_IN_SECONDARY) {
        settings.zoom_percent = settings.zoom_step(true);
    }
    if pressed(&kb_shortcuts::ZOOM_OUT) {
        settings.zoom_percent = settings.zoom_step(false);
    }
}
