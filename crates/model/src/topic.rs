//! MQTT topic name and topic filter rules (MQTT 3.1.1 §4.7 and MQTT 5 §4.7).

/// Longest topic name or filter, in bytes.
pub const MAX_TOPIC_BYTES: usize = 65_535;

/// What is wrong with `topic` as a name to publish to, if anything.
pub fn name_error(topic: &str) -> Option<String> {
    if topic.is_empty() {
        return Some("Enter a topic to publish to".to_owned());
    }
    if topic.contains(['+', '#']) {
        return Some(format!(
            "\"{topic}\": a topic to publish to cannot contain the wildcards + or #"
        ));
    }
    if topic.contains('\0') {
        return Some("A topic cannot contain the NUL character".to_owned());
    }
    if topic.len() > MAX_TOPIC_BYTES {
        return Some(format!("A topic can be at most {MAX_TOPIC_BYTES} bytes"));
    }
    None
}

/// Whether `topic` matches the filter split into `levels` (MQTT rules: `+` one level, `#` the
/// rest, and wildcards at the start do not match `$` topics).
pub fn levels_match(levels: &[impl AsRef<str>], topic: &str) -> bool {
    let mut parts = topic.split('/');
    for (i, level) in levels.iter().enumerate() {
        let level = level.as_ref();
        if level == "#" {
            return !(i == 0 && topic.starts_with('$'));
        }
        let Some(part) = parts.next() else { return false };
        match level {
            "+" if i == 0 && part.starts_with('$') => return false,
            "+" => {}
            exact if exact == part => {}
            _ => return false,
        }
    }
    parts.next().is_none()
}

/// Whether `topic` matches `filter`.
pub fn filter_matches(filter: &str, topic: &str) -> bool {
    levels_match(&filter.split('/').collect::<Vec<_>>(), topic)
}

/// Whether every topic at and below `topic` matches `filter`: a subscription to `filter`
/// already brings the whole branch.
pub fn filter_covers_branch(filter: &str, topic: &str) -> bool {
    let prefix: Vec<&str> = match filter {
        "#" => Vec::new(),
        _ => match filter.strip_suffix("/#") {
            Some(prefix) => prefix.split('/').collect(),
            None => return false,
        },
    };
    let levels: Vec<&str> = topic.split('/').collect();
    if prefix.len() > levels.len() {
        return false;
    }
    // A wildcard first level does not bring `$` topics.
    if topic.starts_with('$') && prefix.first().is_none_or(|first| *first == "+") {
        return false;
    }
    prefix
        .iter()
        .zip(&levels)
        .all(|(want, have)| *want == "+" || want == have)
}

/// What is wrong with `filter` as a subscription filter, if anything.
pub fn filter_error(filter: &str) -> Option<String> {
    if filter.is_empty() {
        return Some("A topic filter cannot be empty".to_owned());
    }
    let levels: Vec<&str> = filter.split('/').collect();
    for (i, level) in levels.iter().enumerate() {
        if level.contains('#') && (*level != "#" || i + 1 != levels.len()) {
            return Some(format!("\"{filter}\": # must be a whole level, and the last one"));
        }
        if level.contains('+') && *level != "+" {
            return Some(format!("\"{filter}\": + must be a whole level"));
        }
    }
    if filter.contains('\0') {
        return Some("A topic filter cannot contain the NUL character".to_owned());
    }
    if filter.len() > MAX_TOPIC_BYTES {
        return Some(format!("A topic filter can be at most {MAX_TOPIC_BYTES} bytes"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_names_to_publish_to() {
        assert_eq!(name_error("home/kitchen/temp"), None);
        assert_eq!(name_error("/"), None);
        assert_eq!(name_error("$SYS/x"), None);
        assert!(name_error("").is_some());
        assert!(name_error("home/+/temp").is_some());
        assert!(name_error("home/#").is_some());
        assert!(name_error("a\0b").is_some());
        assert!(name_error(&"x".repeat(MAX_TOPIC_BYTES + 1)).is_some());
    }

    #[test]
    fn checks_filters() {
        assert_eq!(filter_error("#"), None);
        assert_eq!(filter_error("a/+/c/#"), None);
        assert_eq!(filter_error("+"), None);
        assert!(filter_error("a#").is_some());
        assert!(filter_error("a/#/b").is_some());
        assert!(filter_error("a/b+").is_some());
        assert!(filter_error("").is_some());
    }

    #[test]
    fn filters_match_topics_and_cover_branches() {
        assert!(filter_matches("home/+/temp", "home/kitchen/temp"));
        assert!(filter_matches("home/#", "home"));
        assert!(!filter_matches("#", "$SYS/broker/uptime"));
        assert!(filter_matches("$SYS/#", "$SYS/broker/uptime"));
        assert!(!filter_matches("home/+", "home/kitchen/temp"));

        assert!(filter_covers_branch("#", "home/kitchen"));
        assert!(filter_covers_branch("home/#", "home"));
        assert!(filter_covers_branch("home/#", "home/kitchen"));
        assert!(filter_covers_branch("+/kitchen/#", "home/kitchen/lamp"));
        assert!(!filter_covers_branch("home/kitchen/#", "home"), "only part of home");
        assert!(
            !filter_covers_branch("home/+", "home/kitchen"),
            "not what is below kitchen"
        );
        assert!(!filter_covers_branch("#", "$SYS/broker"));
        assert!(!filter_covers_branch("+/#", "$SYS/broker"));
        assert!(filter_covers_branch("$SYS/#", "$SYS/broker"));
        assert!(!filter_covers_branch("office/#", "home"));
    }
}
