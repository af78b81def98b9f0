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
}
