use super::*;

fn input(i: usize, name: &str, payload: &str) -> Input {
    Input {
        id: NodeId::from_index(i + 1),
        name: name.to_owned(),
        retained: true,
        payload: bytes::Bytes::copy_from_slice(payload.as_bytes()),
        received_at: std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_714_564_800),
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
    assert_eq!(
        names,
        ["Received", "Value", "state", "brightness", "update.state", "power"]
    );
    let plug = &table.rows[3];
    assert_eq!(plug.cells[column(&table, "power")].as_deref(), Some("12.5"));
    assert_eq!(plug.cells[column(&table, "brightness")], None);
    let value = column(&table, "Value");
    assert_eq!(table.rows[4].cells[value].as_deref(), Some("online"));
    assert_eq!(table.rows[0].cells[value], None, "a JSON topic has no raw value");
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
    assert!(table.rows.iter().all(|r| !r.differs[column(&table, "Value")]));
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
    assert_eq!(table.columns.len(), MAX_COLUMNS + 1, "the fields after Received");
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

/// Four devices: their reports' times as ISO strings and epoch milliseconds, one device seen
/// three days before the others, and fields named like times that hold no times.
fn fleet() -> Table {
    let device = |i: usize, iso: &str, millis: u64| {
        let payload = format!(r#"{{"time":"{iso}","last_seen":{millis},"ts":{i},"clock":"12:00"}}"#);
        input(i, &format!("sensor{i}"), &payload)
    };
    Table::new(vec![
        device(0, "2024-05-01T12:00:00Z", 1_714_564_800_000),
        device(1, "2024-05-01T11:58:00Z", 1_714_564_680_000),
        device(2, "2024-04-28T12:00:00Z", 1_714_305_600_000),
        device(3, "2024-05-01T11:59:30Z", 1_714_564_770_000),
    ])
}

#[test]
fn a_column_of_times_reads_as_times_and_the_stale_one_stands_out() {
    let table = fleet();
    let noon = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_714_564_800);
    for name in ["time", "last_seen"] {
        let c = column(&table, name);
        let times = table.columns[c]
            .times
            .as_ref()
            .unwrap_or_else(|| panic!("{name} holds times"));
        assert_eq!(times.at[0], Some(noon), "{name}");
        let differs: Vec<bool> = table.rows.iter().map(|r| r.differs[c]).collect();
        assert_eq!(
            differs,
            [false, false, true, false],
            "the device of three days ago, in {name}"
        );
        let header = name.len() + 2;
        assert_eq!(
            table.columns[c].chars,
            AGE_CHARS.max(header),
            "{name} is as wide as an age"
        );
    }
    // Counts in a `ts` field, and a clock reading without a date, are not times.
    assert!(table.columns[column(&table, "ts")].times.is_none());
    assert!(table.columns[column(&table, "clock")].times.is_none());
}

#[test]
fn times_sort_by_age_the_youngest_first() {
    let table = fleet();
    let names = |descending| -> Vec<String> {
        let sort = Sort {
            column: Some(ColumnKey::Field("last_seen".into())),
            descending,
        };
        table
            .order(Some(&sort))
            .into_iter()
            .map(|i| table.rows[i].name.clone())
            .collect()
    };
    assert_eq!(names(false), ["sensor0", "sensor3", "sensor1", "sensor2"]);
    assert_eq!(names(true), ["sensor2", "sensor1", "sensor3", "sensor0"]);
}

#[test]
fn the_received_column_holds_when_each_message_arrived() {
    let now = std::time::SystemTime::now();
    let arrived = |i: usize, secs: u64| Input {
        received_at: now - std::time::Duration::from_secs(secs),
        ..input(i, &format!("plug{i}"), r#"{"power":5}"#)
    };
    // Three plugs report; the fourth stopped an hour ago.
    let table = Table::new(vec![arrived(0, 2), arrived(1, 5), arrived(2, 3600), arrived(3, 1)]);
    let received = column(&table, "Received");
    assert_eq!(received, 0, "first after Topic");
    let times = table.columns[received].times.as_ref().expect("times");
    assert_eq!(times.at[3], Some(now - std::time::Duration::from_secs(1)));
    let differs: Vec<bool> = table.rows.iter().map(|r| r.differs[received]).collect();
    assert_eq!(differs, [false, false, true, false]);
}
