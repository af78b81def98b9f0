use super::*;

fn input(i: usize, name: &str, payload: &str) -> Input {
    Input {
        id: NodeId::from_index(i + 1),
        name: name.to_owned(),
        retained: true,
        payload: bytes::Bytes::copy_from_slice(payload.as_bytes()),
    }
}

fn example() -> Table {
    Table::new(vec![
        input(
            0,
            "lamp1",
            r#"{"state":"ON","brightness":200,"update":{"state":"idle"}}"#,
        ),
        input(
            1,
            "lamp2",
            r#"{"state":"ON","brightness":20,"update":{"state":"available"}}"#,
        ),
        input(
            2,
            "lamp10",
            r#"{"state":"ON","brightness":3,"update":{"state":"idle"}}"#,
        ),
        input(3, "plug", r#"{"state":"OFF","power":12.5}"#),
        input(4, "bridge/state", "online"),
    ])
}

fn column(table: &Table, name: &str) -> usize {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn columns_are_the_union_of_fields_by_path_after_the_raw_value() {
    let table = example();
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Value", "state", "brightness", "update.state", "power"]);
    let plug = &table.rows[3];
    assert_eq!(plug.cells[column(&table, "power")].as_deref(), Some("12.5"));
    assert_eq!(plug.cells[column(&table, "brightness")], None);
    assert_eq!(table.rows[4].cells[0].as_deref(), Some("online"));
    assert_eq!(table.rows[0].cells[0], None, "a JSON topic has no raw value");
}

#[test]
fn the_odd_value_and_the_missing_field_differ_from_most() {
    let table = example();
    let state = column(&table, "state");
    // Three lamps are ON: the plug's OFF stands out; the bridge, not JSON, has no fields.
    let differs: Vec<bool> = table.rows.iter().map(|r| r.differs[state]).collect();
    assert_eq!(differs, [false, false, false, true, false]);
    assert_eq!(table.columns[state].common, Some(Some("ON".to_owned())));
    // Two idle, one available, and the plug without the field: both odd ones stand out.
    let update = column(&table, "update.state");
    let differs: Vec<bool> = table.rows.iter().map(|r| r.differs[update]).collect();
    assert_eq!(differs, [false, true, false, true, false]);
    // Most JSON topics lack power: the plug, which has it, is the odd one.
    let power = column(&table, "power");
    assert_eq!(table.columns[power].common, Some(None));
    assert!(table.rows[3].differs[power]);
    // The raw value column never counts JSON topics as missing.
    assert!(table.rows.iter().all(|r| !r.differs[0]));
}

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
fn numbers_sort_by_value_text_naturally_and_missing_last_both_ways() {
    let table = example();
    let brightness = Some(ColumnKey::Field("brightness".into()));
    let names = |sort: Sort| -> Vec<String> {
        table
            .order(Some(&sort))
            .into_iter()
            .map(|i| table.rows[i].name.clone())
            .collect()
    };
    let up = names(Sort {
        column: brightness.clone(),
        descending: false,
    });
    assert_eq!(up, ["lamp10", "lamp2", "lamp1", "plug", "bridge/state"]);
    let down = names(Sort {
        column: brightness,
        descending: true,
    });
    assert_eq!(down, ["lamp1", "lamp2", "lamp10", "plug", "bridge/state"]);
    let by_topic = names(Sort {
        column: None,
        descending: false,
    });
    assert_eq!(by_topic, ["bridge/state", "lamp1", "lamp2", "lamp10", "plug"]);
    assert_eq!(compare_cells(Some("sensor2"), Some("sensor10"), false), Ordering::Less);
    assert_eq!(compare_cells(Some("9"), Some("abc"), false), Ordering::Less);
    assert_eq!(compare_cells(None, Some("abc"), true), Ordering::Greater);
    assert_eq!(table.order(None), [0, 1, 2, 3, 4]);
}

#[test]
fn fields_past_the_cap_are_counted_not_shown() {
    let wide: String = (0..MAX_COLUMNS + 5)
        .map(|i| format!("\"f{i}\":{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let table = Table::new(vec![input(0, "wide", &format!("{{{wide}}}"))]);
    assert_eq!(table.columns.len(), MAX_COLUMNS);
    assert_eq!(table.more_columns, 5);
}

#[test]
fn the_topics_below_a_branch_in_tree_order_retained_only_when_asked() {
    let mut tree = Tree::new();
    let message = |payload: &str, retain: bool| {
        let mut m = crate::model::Message::new(payload.as_bytes().to_vec());
        m.retain = retain;
        m
    };
    tree.insert("z/b10", message("1", true));
    tree.insert("z/b2", message("2", false));
    tree.insert("z/a/x", message("3", true));
    tree.insert("other", message("4", true));
    let branch = tree.find("z").expect("branch");
    let (all, more) = below(&tree, branch, false);
    let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
    assert_eq!((names, more), (vec!["a/x", "b2", "b10"], 0));
    let (retained, _) = below(&tree, branch, true);
    let names: Vec<&str> = retained.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["a/x", "b10"]);
}

#[test]
fn a_big_branch_gives_the_first_topics_and_counts_the_rest() {
    let mut tree = Tree::new();
    for i in 0..MAX_TOPICS + 25 {
        let mut message = crate::model::Message::new(b"1".to_vec());
        message.retain = i % 5 == 0;
        tree.insert(&format!("big/{i}"), message);
    }
    let branch = tree.find("big").expect("branch");
    let (inputs, more) = below(&tree, branch, false);
    assert_eq!((inputs.len(), more), (MAX_TOPICS, 25));
    assert_eq!(inputs.first().map(|i| i.name.as_str()), Some("0"));
    let (retained, more) = below(&tree, branch, true);
    assert_eq!((retained.len(), more), ((MAX_TOPICS + 25) / 5, 0));
}
