//! Text shared by the panels: counted nouns, times and file names.

use std::time::SystemTime;

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

/// `text` cut to at most `chars` characters, an ellipsis in place of the rest.
pub fn ellipsis(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars.saturating_sub(1)) {
        Some((cut, _)) if text.chars().count() > chars => format!("{}…", text.get(..cut).unwrap_or(text)),
        _ => text.to_owned(),
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

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(super::ellipsis("home/kitchen", 40), "home/kitchen");
        assert_eq!(super::ellipsis("abcdef", 4), "abc…");
        assert_eq!(super::ellipsis("äöüß", 4), "äöüß");
    }
}
