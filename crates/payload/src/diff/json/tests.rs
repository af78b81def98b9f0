use serde_json::json;

use super::*;

/// The changes as `path: text` lines, easy to compare.
fn lines(diff: &JsonDiff) -> Vec<String> {
    diff.changes
        .iter()
        .map(|change| {
            let what = match &change.kind {
                ChangeKind::Added(new) => format!("added {new}"),
                ChangeKind::Removed(old) => format!("removed {old}"),
                ChangeKind::Changed { old, new } => format!("{old} → {new}"),
                ChangeKind::Resized { old_len, new_len } => format!("{old_len} items → {new_len}"),
            };
            format!("{}: {what}", change.path)
        })
        .collect()
}

#[test]
fn nested_fields_are_named_by_path() {
    let old = json!({"ENERGY": {"Power": 120, "Today": 1.5}, "Time": "12:00"});
    let new = json!({"ENERGY": {"Power": 135, "Today": 1.5}, "Time": "12:01"});
    let diff = diff(&old, &new);
    assert_eq!(lines(&diff), ["ENERGY.Power: 120 → 135", "Time: \"12:00\" → \"12:01\""]);
    assert_eq!(diff.summary(), "2 fields changed");
}

#[test]
fn added_removed_and_changed_fields_are_told_apart() {
    let old = json!({"a": 1, "gone": {"x": [1]}, "b": true});
    let new = json!({"a": 2, "b": true, "new": null});
    let diff = diff(&old, &new);
    assert_eq!(
        lines(&diff),
        ["a: 1 → 2", "gone: removed {\"x\":[1]}", "new: added null"]
    );
    assert_eq!((diff.changed, diff.added, diff.removed), (1, 1, 1));
    assert_eq!(diff.summary(), "1 field changed, 1 added, 1 removed");
}

#[test]
fn arrays_are_compared_index_by_index_and_a_new_length_is_said() {
    let old = json!({"devices": [{"name": "lamp"}, {"name": "fan"}]});
    let new = json!({"devices": [{"name": "lamp"}, {"name": "heater"}, {"name": "tv"}]});
    let diff = diff(&old, &new);
    assert_eq!(
        lines(&diff),
        [
            "devices: 2 items → 3",
            "devices.1.name: \"fan\" → \"heater\"",
            "devices.2: added {\"name\":\"tv\"}",
        ]
    );
    assert_eq!(diff.summary(), "1 field changed, 1 added");
    let shorter = super::diff(&json!([1, 2, 3]), &json!([1]));
    assert_eq!(lines(&shorter), [": 3 items → 1", "1: removed 2", "2: removed 3"]);
}

#[test]
fn a_new_kind_of_value_is_a_change() {
    let diff = diff(&json!({"t": 21, "o": {"a": 1}}), &json!({"t": "21", "o": [1]}));
    assert_eq!(lines(&diff), ["t: 21 → \"21\"", "o: {\"a\":1} → [1]"]);
    let ChangeKind::Changed { old, new } = &diff.changes[0].kind else {
        panic!("{:?}", diff.changes[0]);
    };
    assert_eq!((old.kind.name(), new.kind.name()), ("number", "string"));
    // The whole value of another kind: the path is empty.
    assert_eq!(
        lines(&super::diff(&json!([1]), &json!({"a": 1}))),
        [": [1] → {\"a\":1}"]
    );
}

#[test]
fn key_order_does_not_matter() {
    let old: Value = serde_json::from_str(r#"{"a": 1, "b": {"x": 1, "y": 2}}"#).expect("json");
    let new: Value = serde_json::from_str(r#"{"b": {"y": 2, "x": 1}, "a": 1}"#).expect("json");
    let diff = diff(&old, &new);
    assert!(diff.is_empty(), "{diff:?}");
    assert_eq!(diff.summary(), "No change");
}

#[test]
fn long_values_are_shortened_with_their_length() {
    let long: Vec<u32> = (0..1000).collect();
    let diff = diff(&json!({"v": 1}), &json!({"v": long}));
    let ChangeKind::Changed { new, .. } = &diff.changes[0].kind else {
        panic!("{:?}", diff.changes[0]);
    };
    let whole = serde_json::to_string(&long).expect("json");
    assert!(new.is_shortened());
    assert_eq!(new.len_bytes, whole.len());
    assert_eq!(new.text, whole[..MAX_VALUE_BYTES]);
    assert_eq!(whole.len(), 3891);
    assert_eq!(new.to_string(), format!("{}… (3,891 bytes)", &whole[..MAX_VALUE_BYTES]));
    // A cut never splits a character.
    let text = "é".repeat(200);
    let shown = Shown::of(&json!(text));
    assert!(shown.text.len() <= MAX_VALUE_BYTES && shown.text.starts_with("\"éé"));
}

#[test]
fn changes_past_the_cap_are_counted_not_listed() {
    let old: Value = (0..2000)
        .map(|i| (format!("f{i}"), json!(i)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let new: Value = (0..2000)
        .map(|i| (format!("f{i}"), json!(i + 1)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let diff = diff(&old, &new);
    assert_eq!(diff.changes.len(), MAX_CHANGES);
    assert_eq!(diff.more, 2000 - MAX_CHANGES);
    assert_eq!(diff.changed, 2000);
    assert_eq!(diff.summary(), "2,000 fields changed");
}

#[test]
fn deep_values_are_compared_whole_below_the_depth_cap() {
    let mut old = json!(1);
    let mut new = json!(2);
    for _ in 0..MAX_DEPTH + 5 {
        old = json!({"k": old});
        new = json!({"k": new});
    }
    let diff = diff(&old, &new);
    assert_eq!(diff.changes.len(), 1);
    let path = &diff.changes[0].path;
    assert_eq!(path.split('.').count(), MAX_DEPTH, "{path}");
    assert!(super::diff(&old, &old.clone()).is_empty());
}
