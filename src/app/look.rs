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

/// Follow the desktop's light or dark preference where the window system does not pass it on
/// (winit knows none on X11): asked of the XDG desktop portal on a thread of its own, at start
/// and whenever the portal says it changed, and given to egui as the theme to use when the
/// system's is not known. Without a portal, or with
/// no preference, egui's own fallback (dark) stays.
pub fn ask_desktop_theme(ctx: &egui::Context) {
    #[cfg(target_os = "linux")]
    {
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new().name("desktop-theme".into()).spawn(move || {
            portal::follow_color_scheme(move |scheme| {
                if let Some(theme) = theme_of_scheme(scheme) {
                    tracing::info!(?theme, "the desktop prefers this theme");
                    ctx.options_mut(|o| o.fallback_theme = theme);
                    ctx.request_repaint();
                }
            });
        });
        if let Err(error) = spawned {
            tracing::warn!(%error, "the desktop's theme could not be asked for");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = ctx;
}

/// The theme of the portal's `color-scheme` setting: 1 prefers dark, 2 prefers light, 0 (or
/// anything else) says nothing.
fn theme_of_scheme(scheme: u64) -> Option<egui::Theme> {
    match scheme {
        1 => Some(egui::Theme::Dark),
        2 => Some(egui::Theme::Light),
        _ => None,
    }
}

#[cfg(target_os = "linux")]
mod portal {
    use std::time::Duration;

    use dbus::arg::{RefArg, Variant};

    const SETTINGS: &str = "org.freedesktop.portal.Settings";
    const NAMESPACE: &str = "org.freedesktop.appearance";
    const KEY: &str = "color-scheme";

    /// Call `changed` with the portal's `org.freedesktop.appearance` `color-scheme` setting now,
    /// and again each time the portal says it changed; returns at once without a session bus
    /// or a portal.
    pub fn follow_color_scheme(mut changed: impl FnMut(u64) + Send + 'static) {
        let Ok(bus) = dbus::blocking::Connection::new_session() else {
            return;
        };
        let portal = bus.with_proxy(
            "org.freedesktop.portal.Desktop",
            "/org/freedesktop/portal/desktop",
            Duration::from_secs(2),
        );
        // `ReadOne` (portal version 2) gives the value; the older `Read` wraps it once more.
        let read: Result<(Variant<Box<dyn RefArg>>,), dbus::Error> = portal
            .method_call(SETTINGS, "ReadOne", (NAMESPACE, KEY))
            .or_else(|_| portal.method_call(SETTINGS, "Read", (NAMESPACE, KEY)));
        let Ok((value,)) = read else {
            return;
        };
        if let Some(scheme) = number(&value, 3) {
            changed(scheme);
        }
        let rule = dbus::message::MatchRule::new_signal(SETTINGS, "SettingChanged");
        let watched = bus.add_match(rule, move |(): (), _, message: &dbus::Message| {
            if let Ok((namespace, key, value)) = message.read3::<&str, &str, Variant<Box<dyn RefArg>>>()
                && (namespace, key) == (NAMESPACE, KEY)
                && let Some(scheme) = number(&value, 3)
            {
                changed(scheme);
            }
            true
        });
        if watched.is_err() {
            return;
        }
        // Wait for changes as long as the bus is there.
        while bus.process(Duration::from_secs(3600)).is_ok() {}
    }

    /// The number in `arg`, looking through at most `depth` variants around it.
    fn number(arg: &dyn RefArg, depth: usize) -> Option<u64> {
        arg.as_u64().or_else(|| {
            let inner = arg.as_iter()?.next()?;
            (depth > 0).then(|| number(inner, depth - 1)).flatten()
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn reads_the_number_through_nested_variants() {
            let once = Variant(Box::new(2u32) as Box<dyn RefArg>);
            assert_eq!(number(&once, 3), Some(2));
            let twice = Variant(Box::new(Variant(Box::new(1u32) as Box<dyn RefArg>)) as Box<dyn RefArg>);
            assert_eq!(number(&twice, 3), Some(1));
            let text = Variant(Box::new("dark".to_owned()) as Box<dyn RefArg>);
            assert_eq!(number(&text, 3), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_s_color_scheme_names_a_theme_or_none() {
        assert_eq!(theme_of_scheme(1), Some(egui::Theme::Dark));
        assert_eq!(theme_of_scheme(2), Some(egui::Theme::Light));
        assert_eq!(theme_of_scheme(0), None);
        assert_eq!(theme_of_scheme(7), None);
    }
}
