//! Colors and sizes shared by the panels.

use eframe::egui::{self, Color32};

use crate::payload::TokenKind;

/// Height of one topic tree row, in points.
pub const TREE_ROW_HEIGHT: f32 = 22.0;
/// Indentation per tree level, in points.
pub const TREE_INDENT: f32 = 16.0;
/// How long a topic's row flashes after news (a new value after a quiet spell), in seconds.
pub const HIGHLIGHT_SECS: f32 = 1.0;
/// How long after its latest message a topic that keeps publishing shows the activity dot: as
/// long as its messages are too close together to be news.
pub const ACTIVE_SECS: f32 = crate::model::tree::BUSY_WITHIN.as_secs_f32();
/// How often, at most, the window is drawn again for live traffic and fading highlights: often
/// enough that every change shows within about 100 ms, seldom enough to cost little CPU.
pub const LIVE_FRAME: std::time::Duration = std::time::Duration::from_millis(90);

/// Set up fonts and spacing once at start.
pub fn apply(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 4.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.spacing.interact_size.y = 22.0;
    });
}

/// Whether the dark theme is in use.
fn dark(ui: &egui::Ui) -> bool {
    ui.visuals().dark_mode
}

/// Color for a kind of payload token.
pub fn token_color(ui: &egui::Ui, kind: TokenKind) -> Color32 {
    let dark = dark(ui);
    match (kind, dark) {
        (TokenKind::Key, true) => Color32::from_rgb(0x9c, 0xdc, 0xfe),
        (TokenKind::Key, false) => Color32::from_rgb(0x00, 0x55, 0xaa),
        (TokenKind::String, true) => Color32::from_rgb(0xce, 0x91, 0x78),
        (TokenKind::String, false) => Color32::from_rgb(0xa3, 0x15, 0x15),
        (TokenKind::Number, true) => Color32::from_rgb(0xb5, 0xce, 0xa8),
        (TokenKind::Number, false) => Color32::from_rgb(0x07, 0x7a, 0x50),
        (TokenKind::Bool | TokenKind::Null, true) => Color32::from_rgb(0x56, 0x9c, 0xd6),
        (TokenKind::Bool | TokenKind::Null, false) => Color32::from_rgb(0x00, 0x00, 0xff),
        (TokenKind::Escape, true) => Color32::from_rgb(0xff, 0x8c, 0x5a),
        (TokenKind::Escape, false) => Color32::from_rgb(0xc0, 0x40, 0x00),
        (TokenKind::Punct | TokenKind::Plain, _) => ui.visuals().text_color(),
    }
}

/// How many series colours [`series_color`] has; the next series takes the next one.
pub const SERIES_COLORS: usize = 8;

/// Chart series colours on a dark background: bright enough to stand out from the grid.
const SERIES_DARK: [Color32; SERIES_COLORS] = [
    Color32::from_rgb(0x4e, 0x9a, 0xe6),
    Color32::from_rgb(0xf2, 0x8e, 0x2b),
    Color32::from_rgb(0x59, 0xa1, 0x4f),
    Color32::from_rgb(0xe1, 0x57, 0x59),
    Color32::from_rgb(0xb0, 0x7a, 0xa1),
    Color32::from_rgb(0x76, 0xb7, 0xb2),
    Color32::from_rgb(0xed, 0xc9, 0x48),
    Color32::from_rgb(0x9c, 0x75, 0x5f),
];

/// The same hues on a light background, darker so thin lines and their labels keep their
/// contrast (the yellow and teal above all but vanish on white).
const SERIES_LIGHT: [Color32; SERIES_COLORS] = [
    Color32::from_rgb(0x1f, 0x62, 0xb4),
    Color32::from_rgb(0xc2, 0x5a, 0x00),
    Color32::from_rgb(0x2f, 0x7a, 0x2a),
    Color32::from_rgb(0xc0, 0x2a, 0x30),
    Color32::from_rgb(0x8a, 0x4a, 0x82),
    Color32::from_rgb(0x1a, 0x7f, 0x7a),
    Color32::from_rgb(0x9a, 0x7a, 0x00),
    Color32::from_rgb(0x7a, 0x52, 0x3a),
];

/// The colour of chart series number `index` (of any chart: a topic's, the broker's rates).
pub fn series_color(ui: &egui::Ui, index: usize) -> Color32 {
    let palette = if dark(ui) { &SERIES_DARK } else { &SERIES_LIGHT };
    palette.get(index % SERIES_COLORS).copied().unwrap_or(Color32::GRAY)
}

/// Color of a topic's inline value in the tree.
pub fn value_color(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgb(0xb5, 0xce, 0xa8)
    } else {
        Color32::from_rgb(0x2b, 0x6a, 0x30)
    }
}

/// Background of a row that just received a message, faded by `strength` (0 to 1).
pub fn highlight(ui: &egui::Ui, strength: f32) -> Color32 {
    let strength = strength.clamp(0.0, 1.0);
    // On a light background the same amber needs more of itself to be seen; dark text stays
    // readable over it either way.
    if dark(ui) {
        Color32::from_rgba_unmultiplied(0xff, 0xc8, 0x3c, (strength * 70.0) as u8)
    } else {
        Color32::from_rgba_unmultiplied(0xff, 0xb0, 0x00, (strength * 110.0) as u8)
    }
}

/// Status colors.
pub fn ok_color(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgb(0x5c, 0xc8, 0x6e)
    } else {
        Color32::from_rgb(0x1a, 0x7a, 0x34)
    }
}

/// Color for a state that needs attention but may fix itself.
pub fn warn_color(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgb(0xf0, 0xb4, 0x3c)
    } else {
        Color32::from_rgb(0x9a, 0x5c, 0x00)
    }
}

/// Color for errors and dangers (the insecure TLS choice, a refused subscription): a red that
/// reads well on either background, softer than egui's pure red on dark, deeper on light.
pub fn error_color(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgb(0xff, 0x6b, 0x6b)
    } else {
        Color32::from_rgb(0xc0, 0x1c, 0x28)
    }
}

/// Fill of the button that does the main thing of a form (Connect, Send), under white text:
/// egui's light selection blue is too pale for it.
pub fn primary_fill(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        ui.visuals().selection.bg_fill
    } else {
        Color32::from_rgb(0x1f, 0x62, 0xb4)
    }
}

/// Fill of a button that destroys something (Delete, Clear), under white text.
pub fn danger_fill(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgb(0xb0, 0x2a, 0x30)
    } else {
        Color32::from_rgb(0xc0, 0x1c, 0x28)
    }
}

/// Background of a compared value that differs from most of its column; the text over it keeps
/// its usual color, so it stays readable in both themes.
pub fn differs_fill(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgba_unmultiplied(0xe0, 0x4a, 0x5a, 90)
    } else {
        Color32::from_rgba_unmultiplied(0xff, 0x5a, 0x6a, 70)
    }
}

/// Background of a match of the payload's find bar.
pub fn find_match_fill(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgba_unmultiplied(0xd2, 0xaa, 0x28, 105)
    } else {
        Color32::from_rgba_unmultiplied(0xff, 0xd8, 0x40, 120)
    }
}

/// Background of the current match of the payload's find bar: stronger than the others.
pub fn find_current_fill(ui: &egui::Ui) -> Color32 {
    if dark(ui) {
        Color32::from_rgba_unmultiplied(0xff, 0x8c, 0x1a, 170)
    } else {
        Color32::from_rgba_unmultiplied(0xff, 0x96, 0x00, 190)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The WCAG contrast ratio of two colours (1 to 21).
    fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let channel = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
        };
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Run `check` in a frame drawn in `theme`.
    fn in_theme(theme: egui::Theme, mut check: impl FnMut(&egui::Ui)) {
        let ctx = egui::Context::default();
        ctx.set_theme(theme);
        // No fonts: nothing is drawn, and none need loading.
        ctx.set_fonts(egui::FontDefinitions::empty());
        let output = ctx.run_ui(egui::RawInput::default(), |ui| check(ui));
        output.drop_without_applying_deltas();
    }

    #[test]
    fn text_colours_are_readable_on_the_panels_of_both_themes() {
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            in_theme(theme, |ui| {
                assert_eq!(ui.visuals().dark_mode, theme == egui::Theme::Dark);
                let backgrounds = [ui.visuals().panel_fill, ui.visuals().extreme_bg_color];
                let kinds = [
                    TokenKind::Key,
                    TokenKind::String,
                    TokenKind::Number,
                    TokenKind::Bool,
                    TokenKind::Escape,
                ];
                let mut texts: Vec<(String, Color32)> = kinds
                    .iter()
                    .map(|&kind| (format!("{kind:?}"), token_color(ui, kind)))
                    .collect();
                texts.extend([
                    ("value".to_owned(), value_color(ui)),
                    ("ok".to_owned(), ok_color(ui)),
                    ("warn".to_owned(), warn_color(ui)),
                    ("error".to_owned(), error_color(ui)),
                ]);
                for (name, color) in texts {
                    for background in backgrounds {
                        let ratio = contrast(color, background);
                        assert!(
                            ratio >= 4.5,
                            "{theme:?}: {name} {color:?} on {background:?}: {ratio:.2}"
                        );
                    }
                }
            });
        }
    }

    #[test]
    fn chart_lines_and_filled_buttons_keep_their_contrast_in_both_themes() {
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            in_theme(theme, |ui| {
                for index in 0..SERIES_COLORS {
                    let color = series_color(ui, index);
                    for background in [ui.visuals().panel_fill, ui.visuals().extreme_bg_color] {
                        let ratio = contrast(color, background);
                        assert!(ratio >= 3.0, "{theme:?}: series {index} on {background:?}: {ratio:.2}");
                    }
                }
                for (name, fill) in [("primary", primary_fill(ui)), ("danger", danger_fill(ui))] {
                    let ratio = contrast(Color32::WHITE, fill);
                    assert!(ratio >= 4.5, "{theme:?}: white on the {name} fill: {ratio:.2}");
                }
            });
        }
    }
}
