//! Times in compared payloads: which fields hold them (`last_seen`, `timestamp`, `ts`, ...),
//! reading one from its text (RFC 3339 and ISO 8601 strings, `2024-05-01 12:00:00` in local
//! time, epoch seconds or milliseconds in a plausible range), and how old one is in words
//! ("3 s ago").

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Local, NaiveDateTime, TimeZone as _};

/// Epoch seconds from 2001-09-09 to 2100-01-01 are read as times; the same range in
/// milliseconds as milliseconds.
const PLAUSIBLE_SECS: std::ops::Range<f64> = 1.0e9..4.102_444_8e9;

/// Whether a field named `path` (its last segment) says it holds a time, so that a number in it
/// is read as epoch seconds or milliseconds: `time`, `Time`, `timestamp`, `ts`, `last_seen`,
/// `lastSeen`, `updated_at`, `createdAt`, `event_time`, `date`.
pub fn is_time_name(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let name: String = last
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    name == "ts"
        || name.ends_with("time")
        || name.ends_with("timestamp")
        || name.ends_with("date")
        || name.contains("seen")
        || name.contains("updated")
        || name.contains("changed")
        || last.ends_with("_at")
        || last.ends_with("At")
}

/// The time `text` stands for: an RFC 3339 or ISO 8601 date and time (with an offset, or in
/// local time without one); or, when `numbers` (the field's name says it holds a time), epoch
/// seconds or milliseconds from 2001 to 2100.
pub fn parse(text: &str, numbers: bool) -> Option<SystemTime> {
    let text = text.trim();
    if let Ok(number) = text.parse::<f64>() {
        return if numbers { from_epoch(number) } else { None };
    }
    // The shortest date and time read: `2024-05-01 12:00`.
    if text.len() < 16 || !text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.into());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time.into());
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Local.from_local_datetime(&naive).earliest().map(SystemTime::from);
        }
    }
    None
}

/// Epoch seconds or milliseconds, told apart by size, when in the plausible range.
fn from_epoch(number: f64) -> Option<SystemTime> {
    let secs = if PLAUSIBLE_SECS.contains(&number) {
        number
    } else if PLAUSIBLE_SECS.contains(&(number / 1000.0)) {
        number / 1000.0
    } else {
        return None;
    };
    Some(UNIX_EPOCH + Duration::from_secs_f64(secs))
}

/// A time as seconds since the epoch (negative before it), for comparing times as numbers.
pub fn epoch_secs(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// The time `secs` seconds after the epoch.
pub fn from_epoch_secs(secs: f64) -> SystemTime {
    if secs >= 0.0 {
        UNIX_EPOCH + Duration::from_secs_f64(secs)
    } else {
        UNIX_EPOCH - Duration::from_secs_f64(-secs)
    }
}

/// How old `time` is at `now`, in the largest unit that fits: "3 s ago", "12 min ago", "5 h ago"
/// (up to two days), "9 d ago"; a time ahead of `now` (a device's clock ahead) "in 5 s".
pub fn age_text(time: SystemTime, now: SystemTime) -> String {
    match now.duration_since(time) {
        Ok(age) => format!("{} ago", span_text(age)),
        Err(ahead) if ahead.duration() < Duration::from_secs(1) => "0 s ago".to_owned(),
        Err(ahead) => format!("in {}", span_text(ahead.duration())),
    }
}

/// A duration in the largest unit that fits, rounded down.
fn span_text(span: Duration) -> String {
    let secs = span.as_secs();
    let (count, unit) = unit_of(secs);
    format!("{} {}", secs / count, unit)
}

/// The unit an age of `secs` seconds is told in: its length in seconds and its name.
fn unit_of(secs: u64) -> (u64, &'static str) {
    match secs {
        0..60 => (1, "s"),
        60..3_600 => (60, "min"),
        3_600..172_800 => (3_600, "h"),
        _ => (86_400, "d"),
    }
}

/// How long until [`age_text`] of `time` changes, from `now`: the rest of the current second,
/// minute, hour or day of its age (a second for a time ahead of `now`).
pub fn next_change(time: SystemTime, now: SystemTime) -> Duration {
    let Ok(age) = now.duration_since(time) else {
        return Duration::from_secs(1);
    };
    let (unit, _) = unit_of(age.as_secs());
    let unit_nanos = u128::from(unit) * 1_000_000_000;
    let rest = unit_nanos - age.as_nanos() % unit_nanos;
    Duration::from_nanos(u64::try_from(rest).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests;
