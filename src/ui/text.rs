//! Text shared by the panels: counted nouns, times, file names and highlighted lines.

use std::time::SystemTime;

use eframe::egui::{self, TextStyle, text::LayoutJob};

use crate::payload;

/// "1 topic", "2 topics", "12,345 topics".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", crate::payload::text::group_digits(n))
    }
}

/// Local date and time with milliseconds.
pub fn format_time(time: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = time.into();
    local.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

/// A line of highlighted text as a layout job (used by the payload view).
pub fn line_job(ui: &egui::Ui, text: &str, spans: &[payload::Span]) -> LayoutJob {
    let font = TextStyle::Monospace.resolve(ui.style());
    let mut job = LayoutJob::default();
    let mut at = 0usize;
    for span in spans {
        let (start, end) = (span.start as usize, span.end as usize);
        if start > at
            && let Some(plain) = text.get(at..start)
        {
            job.append(
                plain,
                0.0,
                egui::TextFormat::simple(font.clone(), ui.visuals().text_color()),
            );
        }
        if let Some(piece) = text.get(start..end) {
            let color = super::theme::token_color(ui, span.kind);
            job.append(piece, 0.0, egui::TextFormat::simple(font.clone(), color));
        }
        at = at.max(end);
    }
    if let Some(rest) = text.get(at..)
        && !rest.is_empty()
    {
        job.append(rest, 0.0, egui::TextFormat::simple(font, ui.visuals().text_color()));
    }
    job
}

/// A file name for what is saved of `topic`: its name with unsafe characters replaced, ending
/// in `.extension`.
pub fn suggested_file_name(topic: &str, extension: &str) -> String {
    let cleaned: String = topic
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let cleaned = cleaned.trim_matches('_');
    if cleaned.is_empty() {
        format!("payload.{extension}")
    } else {
        format!("{cleaned}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_safe_file_names() {
        assert_eq!(suggested_file_name("home/kitchen/temp", "bin"), "home_kitchen_temp.bin");
        assert_eq!(suggested_file_name("//", "csv"), "payload.csv");
    }

    #[test]
    fn counts_take_the_noun_that_fits() {
        assert_eq!(plural(1, "topic", "topics"), "1 topic");
        assert_eq!(plural(12_345, "topic", "topics"), "12,345 topics");
    }
}
