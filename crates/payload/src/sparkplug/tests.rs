use super::schema::{MetricValue, PropertySet, PropertyValue, PropertyValueValue};
use super::*;

/// A DDATA payload encoded by Google's protobuf runtime for Python (protobuf 6.33) from
/// `sparkplug_b.proto` compiled with `python -m grpc_tools.protoc --python_out=.`:
///
/// ```python
/// import struct
/// from sparkplug_b_pb2 import Payload
/// p = Payload(timestamp=1700000000123, seq=3)
/// m = p.metrics.add(name="Temperature", alias=5, timestamp=1700000000100, datatype=9, float_value=21.5)
/// m.properties.keys.append("engUnit"); m.properties.values.add(type=12, string_value="°C")
/// p.metrics.add(name="Offset", datatype=3, int_value=2**32 - 42)
/// p.metrics.add(name="Counter", datatype=8, long_value=18446744073709551000)
/// p.metrics.add(name="Pressure", datatype=10, double_value=1013.25)
/// p.metrics.add(name="Running", datatype=11, boolean_value=True)
/// p.metrics.add(name="Status", datatype=12, string_value="OK")
/// p.metrics.add(name="Raw", datatype=17, bytes_value=b"\x00\x01\xfe\xff")
/// d = p.metrics.add(name="Table", datatype=16).dataset_value
/// d.num_of_columns = 3; d.columns.extend(["Id", "Label", "Value"]); d.types.extend([1, 12, 10])
/// r = d.rows.add(); r.elements.add(int_value=255); r.elements.add(string_value="a"); r.elements.add(double_value=1.5)
/// r = d.rows.add(); r.elements.add(int_value=7); r.elements.add(string_value="b"); r.elements.add(double_value=2.5)
/// p.metrics.add(name="Valve", datatype=11, is_null=True)
/// p.metrics.add(alias=9, datatype=2, int_value=2**16 - 2, is_historical=True)
/// t = p.metrics.add(name="Motor", datatype=19).template_value
/// t.template_ref = "MotorType"; t.is_definition = False
/// t.parameters.add(name="Poles", type=7, int_value=4)
/// t.metrics.add(name="Speed", datatype=3, int_value=1500)
/// t.metrics.add(name="Enabled", datatype=11, boolean_value=False)
/// p.metrics.add(name="Samples", datatype=23, bytes_value=struct.pack("<3h", -1, 2, 300))
/// print(p.SerializeToString().hex())
/// ```
///
/// Int32 -42 is stored as Eclipse Tahu's Java library does (32-bit two's complement), the
/// Int16 -2 and the Int8 -1 in the DataSet as its Python library does (two's complement of
/// their own width).
pub const DDATA_HEX: &str = concat!(
    "08fbd095ffbc3112310a0b54656d7065726174757265100518e4d095ffbc3120094a120a07656e67556e69741207080c",
    "4203c2b043650000ac4112100a064f6666736574200350d6ffffff0f12160a07436f756e74657220085898fbffffffff",
    "ffffff0112150a085072657373757265200a690000000000aa8f40120d0a0752756e6e696e67200b7001120e0a065374",
    "61747573200c7a024f4b120e0a0352617720118201040001feff12530a055461626c6520108a01470803120249641205",
    "4c6162656c120556616c75651801180c180a22150a0308ff010a033201610a0921000000000000f83f22140a0208070a",
    "033201620a09210000000000000440120b0a0556616c7665200b3801120a10092002280150feff0312430a054d6f746f",
    "722013920137120c0a055370656564200350dc0b120d0a07456e61626c6564200b70001a0b0a05506f6c657310071804",
    "22094d6f746f7254797065280012140a0753616d706c65732017820106ffff02002c011803",
);

pub fn ddata() -> Vec<u8> {
    (0..DDATA_HEX.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&DDATA_HEX[i..i + 2], 16).expect("hex"))
        .collect()
}

fn encode(metrics: Vec<Metric>) -> Vec<u8> {
    Payload {
        metrics,
        ..Payload::default()
    }
    .encode_to_vec()
}

fn metric(name: Option<&str>, datatype: u32, value: MetricValue) -> Metric {
    Metric {
        name: name.map(str::to_owned),
        datatype: Some(datatype),
        value: Some(value),
        ..Metric::default()
    }
}

#[test]
fn decodes_a_payload_encoded_from_the_official_schema() {
    let bytes = ddata();
    assert_eq!(bytes.len(), 373);
    let payload = decode(&bytes).expect("decodes");
    assert_eq!(summary(&payload), "12 metrics, seq 3");
    let json = payload_json(&payload);
    assert_eq!(json["timestamp"], "2023-11-14T22:13:20.123Z");
    assert_eq!(json["seq"], 3);
    let metrics = json["metrics"].as_object().expect("metrics object");
    let keys: Vec<&str> = metrics.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Temperature",
            "Offset",
            "Counter",
            "Pressure",
            "Running",
            "Status",
            "Raw",
            "Table",
            "Valve",
            "alias 9",
            "Motor",
            "Samples"
        ]
    );
    assert_eq!(
        metrics["Temperature"],
        json!({
            "alias": 5, "datatype": "Float", "value": 21.5, "timestamp": "2023-11-14T22:13:20.100Z",
            "properties": {"engUnit": "°C"}
        })
    );
    assert_eq!(metrics["Offset"], json!({"datatype": "Int32", "value": -42}));
    assert_eq!(metrics["Counter"]["datatype"], "UInt64");
    assert_eq!(metrics["Counter"]["value"].as_u64(), Some(18_446_744_073_709_551_000));
    assert_eq!(metrics["Pressure"], json!({"datatype": "Double", "value": 1013.25}));
    assert_eq!(metrics["Running"], json!({"datatype": "Boolean", "value": true}));
    assert_eq!(metrics["Status"], json!({"datatype": "String", "value": "OK"}));
    assert_eq!(metrics["Raw"], json!({"datatype": "Bytes", "value": "00 01 fe ff"}));
    assert_eq!(
        metrics["Table"],
        json!({
            "datatype": "DataSet",
            "value": {
                "columns": ["Id", "Label", "Value"],
                "types": ["Int8", "String", "Double"],
                "rows": [[-1, "a", 1.5], [7, "b", 2.5]]
            }
        })
    );
    assert_eq!(metrics["Valve"], json!({"datatype": "Boolean", "value": null}));
    assert_eq!(
        metrics["alias 9"],
        json!({"alias": 9, "datatype": "Int16", "value": -2, "historical": true})
    );
    assert_eq!(
        metrics["Motor"],
        json!({
            "datatype": "Template",
            "value": {
                "template_ref": "MotorType",
                "definition": false,
                "parameters": {"Poles": 4},
                "metrics": {
                    "Speed": {"datatype": "Int32", "value": 1500},
                    "Enabled": {"datatype": "Boolean", "value": false}
                }
            }
        })
    );
    assert_eq!(
        metrics["Samples"],
        json!({"datatype": "Int16Array", "value": [-1, 2, 300]})
    );
    assert_eq!(to_json(&bytes), Ok(json));
}

#[test]
fn broken_payloads_say_what_is_wrong() {
    let bytes = ddata();
    let cut = decode(&bytes[..bytes.len() - 5]).expect_err("cut short");
    assert!(cut.contains("Payload.metrics"), "{cut}");
    assert!(!cut.contains("failed to decode"), "{cut}");
    assert_eq!(decode(b"").expect_err("empty"), "the payload is empty");
    // 'h' opens field 13 as a varint ('e'), 'l' closes a group that was never opened.
    assert_eq!(decode(b"hello world").expect_err("text"), "unexpected end group tag");
    // Field 1 (name) of a metric holding invalid UTF-8.
    let bad_name = [0x12, 0x03, 0x0a, 0x01, 0xff];
    let error = decode(&bad_name).expect_err("bad name");
    assert!(error.contains("Metric.name") && error.contains("UTF-8"), "{error}");
}

#[test]
fn signed_integers_read_back_whatever_width_they_were_stored_in() {
    for (datatype, raw, expected) in [
        (1, 251, -5),
        (1, 0xFFFF_FFFB, -5),
        (1, 127, 127),
        (2, 0xFFFE, -2),
        (2, 0xFFFF_FFFE, -2),
        (3, 0x8000_0000, i64::from(i32::MIN)),
        (4, u64::MAX, -1),
    ] {
        assert_eq!(integer(raw, datatype), json!(expected), "datatype {datatype}, {raw:#x}");
    }
    assert_eq!(integer(u64::from(u32::MAX), 7), json!(4_294_967_295_u32));
    assert_eq!(integer(1_700_000_000_123, 13), json!("2023-11-14T22:13:20.123Z"));
}

#[test]
fn repeated_and_unnamed_metrics_keep_their_own_keys() {
    let bytes = encode(vec![
        metric(Some("Level"), 10, MetricValue::DoubleValue(1.0)),
        metric(Some("Level"), 10, MetricValue::DoubleValue(2.0)),
        metric(None, 10, MetricValue::DoubleValue(3.0)),
        metric(Some("Level (2)"), 10, MetricValue::DoubleValue(4.0)),
    ]);
    let json = to_json(&bytes).expect("decodes");
    let metrics = json["metrics"].as_object().expect("object");
    let pairs: Vec<(&str, f64)> = metrics
        .iter()
        .map(|(k, v)| (k.as_str(), v["value"].as_f64().unwrap_or(f64::NAN)))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Level", 1.0),
            ("Level (2)", 2.0),
            ("metric 2", 3.0),
            ("Level (2) (2)", 4.0)
        ]
    );
}

#[test]
fn the_tree_gets_a_line_of_metrics() {
    let line = preview(&ddata(), 60).expect("decodes");
    assert!(line.starts_with("seq 3 · "), "{line}");
    assert!(line.contains("Temperature 21.5"), "{line}");
    assert!(line.ends_with('…') && line.chars().count() == 61, "{line}");
    assert_eq!(
        preview(b"\xff\xff", 60),
        None,
        "not Sparkplug B: left to the hex preview"
    );
    assert_eq!(preview(&vec![0x08; MAX_PREVIEW_BYTES + 1], 60), None);
}

#[test]
fn a_boolean_array_reads_as_the_specification_example() {
    // Sparkplug's "Array Types": [F, F, T, T, F, T, F, F, T, T, F, T] is sent as these bytes.
    let bytes = [0x0C, 0x00, 0x00, 0x00, 0x34, 0xD0];
    assert_eq!(
        array(&bytes, 32),
        Some(json!([
            false, false, true, true, false, true, false, false, true, true, false, true
        ]))
    );
}

#[test]
fn floats_bytes_and_arrays_read_as_people_expect() {
    let long: Vec<u8> = (0..=255).collect();
    let mut booleans = 10_u32.to_le_bytes().to_vec();
    booleans.extend([0b1011_0000, 0b0100_0000]);
    let bytes = encode(vec![
        metric(Some("f"), 9, MetricValue::FloatValue(21.1)),
        metric(Some("nan"), 10, MetricValue::DoubleValue(f64::NAN)),
        metric(Some("long"), 18, MetricValue::BytesValue(long)),
        metric(Some("bools"), 32, MetricValue::BytesValue(booleans)),
        metric(Some("strings"), 33, MetricValue::BytesValue(b"a\0b\0\0".to_vec())),
        metric(Some("floats"), 30, MetricValue::FloatValue(0.0)),
        metric(Some("odd"), 24, MetricValue::BytesValue(vec![1, 2, 3])),
        metric(
            Some("times"),
            34,
            MetricValue::BytesValue(1_700_000_000_123_u64.to_le_bytes().to_vec()),
        ),
    ]);
    let json = to_json(&bytes).expect("decodes");
    let m = &json["metrics"];
    assert_eq!(m["f"]["value"], json!(21.1));
    assert_eq!(m["nan"]["value"], "NaN");
    let long = m["long"]["value"].as_str().expect("hex");
    assert!(long.starts_with("00 01 02 03"), "{long}");
    assert!(long.ends_with("3e 3f … (256 bytes)"), "{long}");
    assert_eq!(
        m["bools"]["value"],
        json!([true, false, true, true, false, false, false, false, false, true])
    );
    assert_eq!(m["strings"]["value"], json!(["a", "b", ""]));
    // A value in the wrong field is still shown as it came.
    assert_eq!(m["floats"]["value"], json!(0.0));
    // Three bytes are no Int32Array: shown as bytes.
    assert_eq!(m["odd"]["value"], "01 02 03");
    assert_eq!(m["times"]["value"], json!(["2023-11-14T22:13:20.123Z"]));
}

#[test]
fn long_lists_are_cut_with_a_count() {
    let samples: Vec<u8> = vec![7; MAX_ITEMS + 5];
    let bytes = encode(vec![metric(Some("s"), 26, MetricValue::BytesValue(samples))]);
    let json = to_json(&bytes).expect("decodes");
    let values = json["metrics"]["s"]["value"].as_array().expect("array");
    assert_eq!(values.len(), MAX_ITEMS + 1);
    assert_eq!(values.last(), Some(&json!("… 5 more")));
}

#[test]
fn nested_property_sets() {
    let inner = PropertySet {
        keys: vec!["min".to_owned()],
        values: vec![PropertyValue {
            r#type: Some(3),
            is_null: None,
            value: Some(PropertyValueValue::IntValue(u32::MAX)),
        }],
    };
    let mut temperature = metric(Some("t"), 9, MetricValue::FloatValue(1.5));
    temperature.properties = Some(PropertySet {
        keys: vec!["limits".to_owned(), "quality".to_owned()],
        values: vec![
            PropertyValue {
                r#type: Some(20),
                is_null: None,
                value: Some(PropertyValueValue::PropertysetValue(inner)),
            },
            PropertyValue {
                r#type: Some(3),
                is_null: Some(true),
                value: None,
            },
        ],
    });
    let json = to_json(&encode(vec![temperature])).expect("decodes");
    assert_eq!(
        json["metrics"]["t"]["properties"],
        json!({"limits": {"min": -1}, "quality": null})
    );
}

#[test]
fn a_payload_of_too_many_tiny_parts_is_refused_before_it_is_built() {
    // 300,000 empty metrics: 600 KB on the wire, far more in memory.
    let hostile: Vec<u8> = std::iter::repeat_n([0x12, 0x00], 300_000).flatten().collect();
    let error = decode(&hostile).expect_err("refused");
    assert!(error.contains("more than 200,000"), "{error}");
    // Rows of a data set count too.
    let row = [0x22, 0x00];
    let rows: Vec<u8> = std::iter::repeat_n(row, 250_000).flatten().collect();
    let mut dataset = vec![0x8a, 0x01];
    let mut len = rows.len();
    while len >= 0x80 {
        dataset.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    dataset.push(len as u8);
    dataset.extend(&rows);
    let mut metric = vec![0x12];
    let mut len = dataset.len();
    while len >= 0x80 {
        metric.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    metric.push(len as u8);
    metric.extend(&dataset);
    assert!(decode(&metric).is_err_and(|e| e.contains("too many")));
    // The real vector is far below the bound.
    let mut parts = 0;
    count_parts(&tests::ddata(), Part::Payload, 0, &mut parts);
    assert!((12..100).contains(&parts), "{parts}");
    assert!(decode(&tests::ddata()).is_ok());
}

#[test]
fn data_and_command_topics_find_their_birth_certificate() {
    assert_eq!(
        birth_topic("spBv1.0/plant/DDATA/edge1/boiler").as_deref(),
        Some("spBv1.0/plant/DBIRTH/edge1/boiler")
    );
    assert_eq!(
        birth_topic("spBv1.0/plant/NCMD/edge1").as_deref(),
        Some("spBv1.0/plant/NBIRTH/edge1")
    );
    assert_eq!(birth_topic("spBv1.0/plant/DBIRTH/edge1/boiler"), None);
    assert_eq!(
        birth_topic("spBv1.0/plant/DDATA/edge1"),
        None,
        "a device message names its device"
    );
    assert_eq!(birth_topic("spBv1.0/STATE/host"), None);
    assert_eq!(birth_topic("other/plant/NDATA/edge1"), None);
}

#[test]
fn state_topics_are_not_sparkplug_b() {
    assert!(is_sparkplug_topic("spBv1.0/group/DDATA/edge/device"));
    assert!(is_sparkplug_topic("spBv1.0/group/NDEATH/edge"));
    assert!(!is_sparkplug_topic("spBv1.0/STATE/host"));
    assert!(!is_sparkplug_topic("spBv1.0/STATE"));
    assert!(!is_sparkplug_topic("STATE/host"));
    assert!(!is_sparkplug_topic("spBv1.0"));
    assert!(!is_sparkplug_topic("spbv1.0/group/DDATA/edge"));
}
