use super::*;

/// 2024-05-01T12:00:00Z.
const NOON: u64 = 1_714_564_800;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn time_names_are_recognised_and_other_names_not() {
    for name in [
        "Time",
        "time",
        "timestamp",
        "ts",
        "last_seen",
        "lastSeen",
        "updated_at",
        "createdAt",
        "device.event_time",
        "sensors.0.ts",
        "date",
    ] {
        assert!(is_time_name(name), "{name} holds a time");
    }
    for name in [
        "battery",
        "linkquality",
        "state",
        "status",
        "tsx",
        "temperature",
        "count",
    ] {
        assert!(!is_time_name(name), "{name} does not");
    }
}

#[test]
fn iso_and_rfc_3339_strings_are_read_whatever_the_field_name() {
    let noon = Some(at(NOON));
    assert_eq!(parse("2024-05-01T12:00:00Z", false), noon);
    assert_eq!(parse("2024-05-01T14:00:00+02:00", false), noon);
    assert_eq!(parse("2024-05-01T14:00:00.000+0200", false), noon);
    assert_eq!(parse("2024-05-01 12:00:00Z", false), noon);
    assert_eq!(
        parse("2024-05-01T12:00:00.250Z", false),
        Some(at(NOON) + Duration::from_millis(250))
    );
    // Without an offset, the time is local.
    let local = Local
        .with_ymd_and_hms(2024, 5, 1, 12, 0, 0)
        .earliest()
        .map(SystemTime::from);
    assert_eq!(parse("2024-05-01 12:00:00", false), local);
    assert_eq!(parse("2024-05-01T12:00:00", false), local);
    assert_eq!(parse("2024-05-01T12:00", false), local);
    for text in ["ON", "12:00", "2024-05-01", "2024-13-45 99:00:00", "online", ""] {
        assert_eq!(parse(text, true), None, "{text:?} is not a time");
    }
}

#[test]
fn epoch_seconds_and_milliseconds_are_read_only_in_a_time_field_and_a_plausible_range() {
    assert_eq!(parse("1714564800", true), Some(at(NOON)));
    assert_eq!(parse("1714564800000", true), Some(at(NOON)));
    assert_eq!(parse("1714564800.5", true), Some(at(NOON) + Duration::from_millis(500)));
    assert_eq!(
        parse("1714564800", false),
        None,
        "a number in another field is a number"
    );
    for text in ["42", "86400", "-1714564800", "99999999999999999", "NaN"] {
        assert_eq!(parse(text, true), None, "{text} is not a plausible time");
    }
}

#[test]
fn an_age_is_told_in_the_largest_unit_that_fits() {
    let now = at(NOON);
    let ago = |secs: u64| age_text(at(NOON - secs), now);
    assert_eq!(ago(0), "0 s ago");
    assert_eq!(ago(3), "3 s ago");
    assert_eq!(ago(59), "59 s ago");
    assert_eq!(ago(60), "1 min ago");
    assert_eq!(ago(3_599), "59 min ago");
    assert_eq!(ago(2 * 3_600 + 5), "2 h ago");
    assert_eq!(ago(47 * 3_600), "47 h ago");
    assert_eq!(ago(3 * 86_400), "3 d ago");
    assert_eq!(age_text(at(NOON + 5), now), "in 5 s");
    assert_eq!(age_text(now + Duration::from_millis(300), now), "0 s ago");
}

#[test]
fn the_next_change_is_at_the_turn_of_the_unit_shown() {
    let now = at(NOON) + Duration::from_millis(250);
    assert_eq!(next_change(at(NOON - 3), now), Duration::from_millis(750));
    assert_eq!(next_change(at(NOON - 90), now), Duration::from_millis(29_750));
    assert_eq!(next_change(at(NOON - 2 * 3_600), now), Duration::from_millis(3_599_750));
    assert_eq!(next_change(at(NOON + 10), now), Duration::from_secs(1));
}

#[test]
fn epoch_seconds_go_both_ways() {
    assert_eq!(epoch_secs(at(NOON)), 1_714_564_800.0);
    assert_eq!(from_epoch_secs(1_714_564_800.0), at(NOON));
    assert_eq!(epoch_secs(from_epoch_secs(-5.0)), -5.0);
}
