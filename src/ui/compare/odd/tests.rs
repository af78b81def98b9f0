use super::*;

#[test]
fn in_a_column_of_numbers_the_far_value_stands_out() {
    let counted = [true; 5];
    let battery = differences(&[Some("91"), Some("12"), Some("93"), Some("94"), Some("95")], &counted);
    assert_eq!(battery.differs, [false, true, false, false, false]);
    let temperature = differences(
        &[Some("21.5"), Some("19.0"), Some("23.5"), Some("24.5"), Some("25.5")],
        &counted,
    );
    assert_eq!(temperature.differs, [false; 5], "an ordinary spread marks nothing");
    let missing = differences(&[Some("91"), None, Some("93"), Some("94"), Some("95")], &counted);
    assert_eq!(missing.differs, [false, true, false, false, false]);
    // Text, or a value most cells share, keeps the most-common rule.
    let most = differences(
        &[Some("120"), Some("120"), Some("120"), Some("80"), Some("120")],
        &counted,
    );
    assert_eq!(most.differs, [false, false, false, true, false]);
}

#[test]
fn ties_mark_nothing_and_a_column_of_one_value_is_uniform() {
    let split = differences(&[Some("on"), Some("off")], &[true; 2]);
    assert_eq!(split.common, None);
    assert_eq!(split.differs, [false, false]);
    assert!(!split.uniform);
    let same = differences(&[Some("1"), Some("1"), Some("1")], &[true; 3]);
    assert!(same.uniform);
    assert_eq!(same.differs, [false, false, false]);
    let one_missing = differences(&[Some("1"), None, Some("1")], &[true; 3]);
    assert_eq!(one_missing.differs, [false, true, false]);
    assert!(!one_missing.uniform);
    let not_counted = differences(&[Some("1"), None, Some("2"), Some("2")], &[true, false, true, true]);
    assert_eq!(not_counted.differs, [true, false, false, false]);
    assert_eq!(not_counted.common, Some(Some("2".to_owned())));
}

#[test]
fn a_time_far_older_than_the_others_stands_out() {
    let now = 1_714_564_800.0;
    let counted = [true; 5];
    // Four devices seen within minutes, one three days ago.
    let times = [
        Some(now - 30.0),
        Some(now - 200.0),
        Some(now - 3.0 * 86_400.0),
        Some(now - 90.0),
        Some(now),
    ];
    let (found, median) = time_differences(&times, &counted);
    assert_eq!(found.differs, [false, false, true, false, false]);
    assert_eq!(median, Some(now - 90.0));
    assert!(!found.uniform);
}

#[test]
fn times_seconds_apart_never_stand_out() {
    // A fleet that reported at the same second, and one device two seconds later: not stale.
    let now = 1_714_564_800.0;
    let times = [Some(now), Some(now), Some(now), Some(now + 2.0)];
    let (found, _) = time_differences(&times, &[true; 4]);
    assert_eq!(found.differs, [false; 4]);
    // An ordinary spread of report times marks nothing either.
    let spread: Vec<Option<f64>> = (0..8).map(|i| Some(now - f64::from(i) * 600.0)).collect();
    let (found, _) = time_differences(&spread, &[true; 8]);
    assert_eq!(found.differs, [false; 8]);
}

#[test]
fn a_missing_time_stands_out_when_most_have_one_and_uncounted_cells_never() {
    let now = 1_714_564_800.0;
    let times = [Some(now), None, Some(now - 10.0), Some(now - 20.0), None];
    let (found, _) = time_differences(&times, &[true, true, true, true, false]);
    assert_eq!(found.differs, [false, true, false, false, false]);
    let (same, _) = time_differences(&[Some(now), Some(now)], &[true; 2]);
    assert!(same.uniform, "one time in every cell");
    assert_eq!(time_differences(&[], &[]).1, None);
}
