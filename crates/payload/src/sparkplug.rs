//! Sparkplug B payloads (topics `spBv1.0/...`): protobuf, decoded with the schema in [`schema`]
//! and shown as JSON.
//!
//! The schema is Eclipse Tahu's `sparkplug_b.proto`
//! (<https://github.com/eclipse/tahu/blob/master/sparkplug_b/sparkplug_b.proto>, also printed
//! in the Sparkplug 3.0 specification, chapter "Payloads"), declared by hand as prost messages.
//!
//! # The JSON
//!
//! ```text
//! {
//!   "timestamp": "2023-11-14T22:13:20.123Z",
//!   "seq": 3,
//!   "metrics": {
//!     "Temperature": { "alias": 5, "datatype": "Float", "value": 21.5,
//!                      "timestamp": "2023-11-14T22:13:20.100Z",
//!                      "properties": { "engUnit": "°C" } },
//!     "alias 9": { "alias": 9, "datatype": "Int16", "value": -2, "historical": true }
//!   }
//! }
//! ```
//!
//! `metrics` is an object keyed by metric name, not the array of the wire, because a chart
//! follows a number by its path: data messages report by exception, so the third metric of one
//! message is often another metric than the third of the next, and `metrics.2.value` would jump
//! between them, while `metrics.Temperature.value` stays on one. A metric without a name (data
//! messages may carry only the alias given in the birth) is keyed `alias N`, one with neither
//! `metric N` (its position); a key seen before in the same list gets ` (2)`, ` (3)`, ... (several
//! historical values of one metric in one message), so no metric is lost and the wire order is
//! kept.
//!
//! Data and command messages usually carry only the alias the node or device gave the metric in
//! its birth certificate (`NBIRTH`, `DBIRTH`). Given that birth's aliases ([`alias_names`],
//! [`payload_json_named`]), such a metric gets a `"name"` field with the name from the birth; it
//! stays keyed `alias N`, so its path is the same whether the birth is known or not.
//!
//! Values follow the metric's datatype, as the specification stores them:
//! * Int8, Int16 and Int32 travel in the `uint32` field as two's complement, Int64 in the
//!   `uint64` one: they are read back as signed numbers of their own width (so both an Int8 -5
//!   sent as 251 and one sent as 4294967291 read -5);
//! * UInt64 values keep every digit (JSON numbers are not cut to 53 bits here);
//! * a Float is shown with the shortest digits that read back as the same `f32` (21.1, not
//!   21.100000381469727); NaN and infinities, which JSON lacks, as the strings `"NaN"`, `"inf"`;
//! * DateTime values and all timestamps as ISO 8601 UTC with milliseconds;
//! * Bytes and File as hex, cut after [`MAX_HEX_BYTES`] with the total length;
//! * the packed array types (Int8Array ... DateTimeArray) as JSON arrays: little endian
//!   elements; a BooleanArray is a 4-byte little endian count and then the bits, first value in
//!   the highest bit, as the specification's example has it;
//! * a DataSet as `{ "columns", "types", "rows": [[...], ...] }`, each cell by its column's type;
//! * a Template as `{ "template_ref", "version", "definition", "parameters": { name: value },
//!   "metrics": { ... } }`, its members keyed like the top-level metrics;
//! * a PropertySet as an object `{ key: value }`.
//!
//! Lists longer than [`MAX_ITEMS`] are cut, with a last entry saying how many more there are.

mod schema;

use std::collections::HashMap;

use prost::Message as _;
use serde_json::{Map, Value, json};

use schema::{
    DataSet, DataSetValueValue, MetaData, ParameterValue, PropertySet, PropertyValue, PropertyValueValue, Template,
};
pub use schema::{Metric, MetricValue, Payload};

/// Bytes values longer than this are shown cut, with their length.
pub const MAX_HEX_BYTES: usize = 64;

/// Elements of one list (metrics, DataSet rows, array values) shown at most.
pub const MAX_ITEMS: usize = 10_000;

/// Whether a payload on `topic` is a Sparkplug B protobuf: the topic is in the `spBv1.0`
/// namespace, but not a host application's `spBv1.0/STATE/...` message, which is JSON (or, before
/// Sparkplug 3.0, the text `ONLINE`/`OFFLINE`).
#[must_use]
pub fn is_sparkplug_topic(topic: &str) -> bool {
    topic
        .strip_prefix("spBv1.0/")
        .is_some_and(|rest| !rest.starts_with("STATE/") && rest != "STATE")
}

/// The topic of the birth certificate that names the aliases of a message on `topic`:
/// `spBv1.0/G/NBIRTH/E` for `NDATA` and `NCMD` messages of edge node `E`, `spBv1.0/G/DBIRTH/E/D`
/// for `DDATA` and `DCMD` messages of its device `D`; `None` for other topics.
#[must_use]
pub fn birth_topic(topic: &str) -> Option<String> {
    let rest = topic.strip_prefix("spBv1.0/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    let birth = match (parts.as_slice(), parts.get(1).copied()) {
        ([_, _, _], Some("NDATA" | "NCMD")) => "NBIRTH",
        ([_, _, _, _], Some("DDATA" | "DCMD")) => "DBIRTH",
        _ => return None,
    };
    let mut parts = parts;
    parts[1] = birth;
    Some(format!("spBv1.0/{}", parts.join("/")))
}

/// The metric names of a birth certificate by alias (metrics with both), or none when it does not
/// decode.
#[must_use]
pub fn alias_names(birth: &[u8]) -> HashMap<u64, String> {
    decode(birth)
        .map(|payload| {
            payload
                .metrics
                .into_iter()
                .take(MAX_ITEMS)
                .filter_map(|metric| Some((metric.alias?, metric.name?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Decodes a Sparkplug B payload. The error says what is wrong, e.g. "Payload.metrics:
/// Metric.name: invalid string value: data is not UTF-8 encoded".
pub fn decode(bytes: &[u8]) -> Result<Payload, String> {
    if bytes.is_empty() {
        return Err("the payload is empty".to_owned());
    }
    // A few bytes on the wire can be a whole message in memory: count before building.
    let mut parts = 0;
    count_parts(bytes, Part::Payload, 0, &mut parts);
    if parts > MAX_PARTS {
        return Err(format!(
            "it holds more than {} metrics, rows, values and properties, too many to decode",
            super::text::group_digits(MAX_PARTS as u64)
        ));
    }
    Payload::decode(bytes).map_err(|error| {
        let text = error.to_string();
        text.strip_prefix("failed to decode Protobuf message: ")
            .map_or(text.clone(), str::to_owned)
    })
}

/// Metrics, rows, values, properties and other nested messages a payload may hold at most to be
/// decoded. Each takes a few hundred bytes in memory, while an empty one takes two bytes on the
/// wire: without this bound a hostile 16 MiB payload would cost gigabytes.
pub const MAX_PARTS: usize = 200_000;

/// The schema's messages that hold other messages.
#[derive(Clone, Copy)]
enum Part {
    Payload,
    Metric,
    PropertySet,
    PropertySetList,
    PropertyValue,
    DataSet,
    Row,
    Template,
    /// A message that holds no message counted here (MetaData, DataSetValue, Parameter, ...).
    Leaf,
}

impl Part {
    /// What field `field` of this message holds, when it is a message.
    fn child(self, field: u64) -> Option<Part> {
        Some(match (self, field) {
            (Part::Payload, 2) | (Part::Template, 2) => Part::Metric,
            (Part::Metric, 9) | (Part::PropertyValue, 9) | (Part::PropertySetList, 1) => Part::PropertySet,
            (Part::Metric, 17) => Part::DataSet,
            (Part::Metric, 18) => Part::Template,
            (Part::Metric, 8 | 19) | (Part::Template, 3) | (Part::Row, 1) | (Part::PropertyValue, 11) => Part::Leaf,
            (Part::PropertySet, 2) => Part::PropertyValue,
            (Part::PropertyValue, 10) => Part::PropertySetList,
            (Part::DataSet, 4) => Part::Row,
            _ => return None,
        })
    }
}

/// Count the nested messages of `bytes`, a `part` at nesting `depth`, into `count`, reading only
/// the wire format (tags and lengths). Stops early past [`MAX_PARTS`], and at anything malformed,
/// which the decoder then reports.
fn count_parts(bytes: &[u8], part: Part, depth: usize, count: &mut usize) {
    fn varint(bytes: &mut &[u8]) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = bytes.split_first()?;
            *bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    // prost refuses deeper nesting anyway.
    if depth > 100 {
        return;
    }
    let mut rest = bytes;
    while !rest.is_empty() && *count <= MAX_PARTS {
        let Some(tag) = varint(&mut rest) else { return };
        let skip = match tag & 7 {
            0 => varint(&mut rest).map(|_| 0),
            1 => Some(8),
            5 => Some(4),
            2 => {
                let Some(len) = varint(&mut rest).and_then(|l| usize::try_from(l).ok()) else {
                    return;
                };
                let Some(inner) = rest.get(..len) else { return };
                if let Some(child) = part.child(tag >> 3) {
                    *count += 1;
                    count_parts(inner, child, depth + 1, count);
                }
                Some(len)
            }
            _ => None,
        };
        let Some(skip) = skip else { return };
        let Some(after) = rest.get(skip..) else { return };
        rest = after;
    }
}

/// The payload as JSON (see the module documentation), for display and for charts.
pub fn to_json(bytes: &[u8]) -> Result<Value, String> {
    decode(bytes).map(|payload| payload_json(&payload))
}

/// Payloads larger than this get no one-line [`preview`] (it is made for every row drawn).
pub const MAX_PREVIEW_BYTES: usize = 4 * 1024;

/// A payload in one line, for the topic tree: `seq 7 · Temperature 71.25 · Burner true`, cut at
/// about `max_chars`; `None` when it is too large or does not decode (the tree then shows hex).
#[must_use]
pub fn preview(bytes: &[u8], max_chars: usize) -> Option<String> {
    if bytes.len() > MAX_PREVIEW_BYTES {
        return None;
    }
    let payload = decode(bytes).ok()?;
    let mut line = String::new();
    if let Some(seq) = payload.seq {
        line.push_str(&format!("seq {seq}"));
    }
    for (i, metric) in payload.metrics.iter().enumerate() {
        if line.chars().count() >= max_chars {
            break;
        }
        if !line.is_empty() {
            line.push_str(" · ");
        }
        match (&metric.name, metric.alias) {
            (Some(name), _) => line.push_str(name),
            (None, Some(alias)) => line.push_str(&format!("alias {alias}")),
            (None, None) => line.push_str(&format!("metric {i}")),
        }
        let value = match (&metric.value, metric.is_null) {
            (_, Some(true)) | (None, _) => Value::Null,
            (Some(value), _) => metric_value(value, metric.datatype.unwrap_or(0)),
        };
        line.push(' ');
        match value {
            Value::String(text) => line.push_str(&text),
            Value::Array(_) | Value::Object(_) => line.push('…'),
            other => line.push_str(&other.to_string()),
        }
    }
    if line.is_empty() {
        line.push_str("no metrics");
    }
    if line.chars().count() > max_chars {
        line = line.chars().take(max_chars).collect();
        line.push('…');
    }
    Some(line)
}

/// One line about a decoded payload: "12 metrics, seq 3".
#[must_use]
pub fn summary(payload: &Payload) -> String {
    let count = payload.metrics.len();
    let mut text = format!(
        "{} {}",
        super::text::group_digits(count as u64),
        if count == 1 { "metric" } else { "metrics" }
    );
    if let Some(seq) = payload.seq {
        text.push_str(&format!(", seq {seq}"));
    }
    text
}

/// The whole payload as JSON.
#[must_use]
pub fn payload_json(payload: &Payload) -> Value {
    payload_json_named(payload, &HashMap::new())
}

/// The whole payload as JSON, metrics that carry only an alias named from `names` (a birth
/// certificate's [`alias_names`]).
#[must_use]
pub fn payload_json_named(payload: &Payload, names: &HashMap<u64, String>) -> Value {
    let mut object = Map::new();
    if let Some(timestamp) = payload.timestamp {
        object.insert("timestamp".to_owned(), time(timestamp));
    }
    if let Some(seq) = payload.seq {
        object.insert("seq".to_owned(), seq.into());
    }
    if let Some(uuid) = &payload.uuid {
        object.insert("uuid".to_owned(), uuid.clone().into());
    }
    object.insert("metrics".to_owned(), metrics_json(&payload.metrics, names));
    if let Some(body) = &payload.body {
        object.insert("body".to_owned(), hex(body));
    }
    Value::Object(object)
}

/// Metrics keyed by name, alias or position (see the module documentation); a metric with only
/// an alias is given its name from `names`.
fn metrics_json(metrics: &[Metric], names: &HashMap<u64, String>) -> Value {
    let mut object = Map::new();
    for (i, metric) in metrics.iter().take(MAX_ITEMS).enumerate() {
        let key = match (&metric.name, metric.alias) {
            (Some(name), _) => name.clone(),
            (None, Some(alias)) => format!("alias {alias}"),
            (None, None) => format!("metric {i}"),
        };
        let birth_name = metric
            .name
            .is_none()
            .then(|| metric.alias.and_then(|alias| names.get(&alias)))
            .flatten();
        insert_unique(&mut object, key, metric_json(metric, birth_name));
    }
    if let Some(more) = metrics.len().checked_sub(MAX_ITEMS).filter(|&n| n > 0) {
        let more = super::text::group_digits(more as u64);
        object.insert("…".to_owned(), format!("{more} more metrics not shown").into());
    }
    Value::Object(object)
}

/// Inserts under `key`, or `key (2)`, `key (3)`, ... when taken.
fn insert_unique(object: &mut Map<String, Value>, key: String, value: Value) {
    if !object.contains_key(&key) {
        object.insert(key, value);
        return;
    }
    let free = (2..).map(|n| format!("{key} ({n})")).find(|k| !object.contains_key(k));
    if let Some(free) = free {
        object.insert(free, value);
    }
}

/// A metric as JSON; `birth_name` is the name its birth certificate gave its alias.
fn metric_json(metric: &Metric, birth_name: Option<&String>) -> Value {
    let datatype = metric.datatype.unwrap_or(0);
    let mut object = Map::new();
    if let Some(name) = birth_name {
        object.insert("name".to_owned(), name.clone().into());
    }
    if let Some(alias) = metric.alias {
        object.insert("alias".to_owned(), alias.into());
    }
    object.insert("datatype".to_owned(), datatype_name(datatype).into());
    let value = match (&metric.value, metric.is_null) {
        (_, Some(true)) | (None, _) => Value::Null,
        (Some(value), _) => metric_value(value, datatype),
    };
    object.insert("value".to_owned(), value);
    if let Some(timestamp) = metric.timestamp {
        object.insert("timestamp".to_owned(), time(timestamp));
    }
    if metric.is_historical == Some(true) {
        object.insert("historical".to_owned(), true.into());
    }
    if metric.is_transient == Some(true) {
        object.insert("transient".to_owned(), true.into());
    }
    if let Some(metadata) = &metric.metadata {
        object.insert("metadata".to_owned(), metadata_json(metadata));
    }
    if let Some(properties) = &metric.properties {
        object.insert("properties".to_owned(), property_set_json(properties));
    }
    Value::Object(object)
}

fn metric_value(value: &MetricValue, datatype: u32) -> Value {
    match value {
        MetricValue::IntValue(n) => integer(u64::from(*n), datatype),
        MetricValue::LongValue(n) => integer(*n, datatype),
        MetricValue::FloatValue(f) => float32(*f),
        MetricValue::DoubleValue(f) => float64(*f),
        MetricValue::BooleanValue(b) => (*b).into(),
        MetricValue::StringValue(s) => s.clone().into(),
        MetricValue::BytesValue(bytes) => array(bytes, datatype).unwrap_or_else(|| hex(bytes)),
        MetricValue::DatasetValue(dataset) => dataset_json(dataset),
        MetricValue::TemplateValue(template) => template_json(template),
        MetricValue::ExtensionValue(_) => "(extension value)".into(),
    }
}

/// An integer as its datatype reads it: signed types from two's complement of their width.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a signed type of N bits is read from the low N bits"
)]
fn integer(raw: u64, datatype: u32) -> Value {
    match datatype {
        1 => i64::from(raw as u8 as i8).into(),
        2 => i64::from(raw as u16 as i16).into(),
        3 => i64::from(raw as u32 as i32).into(),
        4 => (raw as i64).into(),
        13 => time(raw),
        _ => raw.into(),
    }
}

/// A float with the shortest digits that read back as the same `f32`.
fn float32(f: f32) -> Value {
    if f.is_finite() {
        f.to_string().parse::<f64>().map_or(Value::Null, float64)
    } else {
        non_finite(f64::from(f))
    }
}

fn float64(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or_else(|| non_finite(f), Value::Number)
}

fn non_finite(f: f64) -> Value {
    if f.is_nan() {
        "NaN".into()
    } else if f > 0.0 {
        "inf".into()
    } else {
        "-inf".into()
    }
}

/// Milliseconds since the Unix epoch as ISO 8601 UTC, or the number when out of range.
fn time(ms: u64) -> Value {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(
            || ms.into(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into(),
        )
}

/// Bytes as hex, cut after [`MAX_HEX_BYTES`] with the total length.
fn hex(bytes: &[u8]) -> Value {
    let shown: Vec<String> = bytes.iter().take(MAX_HEX_BYTES).map(|b| format!("{b:02x}")).collect();
    let mut text = shown.join(" ");
    if bytes.len() > MAX_HEX_BYTES {
        text.push_str(&format!(" … ({} bytes)", super::text::group_digits(bytes.len() as u64)));
    }
    text.into()
}

/// A packed array type (22 to 34) as a JSON array; `None` for another type or bytes that do not
/// fit the type.
fn array(bytes: &[u8], datatype: u32) -> Option<Value> {
    fn items<const N: usize>(bytes: &[u8], read: impl Fn([u8; N]) -> Value) -> Option<Vec<Value>> {
        bytes.len().is_multiple_of(N).then(|| {
            bytes
                .chunks_exact(N)
                .take(MAX_ITEMS)
                .filter_map(|chunk| chunk.try_into().ok().map(&read))
                .collect()
        })
    }
    let (mut values, total) = match datatype {
        22 => (items(bytes, |b: [u8; 1]| i8::from_le_bytes(b).into())?, bytes.len()),
        23 => (items(bytes, |b| i16::from_le_bytes(b).into())?, bytes.len() / 2),
        24 => (items(bytes, |b| i32::from_le_bytes(b).into())?, bytes.len() / 4),
        25 => (items(bytes, |b| i64::from_le_bytes(b).into())?, bytes.len() / 8),
        26 => (items(bytes, |b: [u8; 1]| u8::from_le_bytes(b).into())?, bytes.len()),
        27 => (items(bytes, |b| u16::from_le_bytes(b).into())?, bytes.len() / 2),
        28 => (items(bytes, |b| u32::from_le_bytes(b).into())?, bytes.len() / 4),
        29 => (items(bytes, |b| u64::from_le_bytes(b).into())?, bytes.len() / 8),
        30 => (items(bytes, |b| float32(f32::from_le_bytes(b)))?, bytes.len() / 4),
        31 => (items(bytes, |b| float64(f64::from_le_bytes(b)))?, bytes.len() / 8),
        32 => {
            let (count, bits) = bytes.split_first_chunk::<4>()?;
            let count = u32::from_le_bytes(*count) as usize;
            if bits.len() != count.div_ceil(8) {
                return None;
            }
            let values = (0..count.min(MAX_ITEMS))
                .map(|i| Value::Bool(bits.get(i / 8).is_some_and(|byte| byte & (0x80 >> (i % 8)) != 0)))
                .collect();
            (values, count)
        }
        33 => {
            let text = std::str::from_utf8(bytes).ok()?;
            let strings: Vec<&str> = text.strip_suffix('\0').unwrap_or(text).split('\0').collect();
            let total = if bytes.is_empty() { 0 } else { strings.len() };
            let values = strings
                .into_iter()
                .take(total.min(MAX_ITEMS))
                .map(Value::from)
                .collect();
            (values, total)
        }
        34 => (items(bytes, |b| time(u64::from_le_bytes(b)))?, bytes.len() / 8),
        _ => return None,
    };
    push_more(&mut values, total);
    Some(Value::Array(values))
}

/// Marks a list cut at [`MAX_ITEMS`] of `total` with a last entry saying how many more there are.
fn push_more(values: &mut Vec<Value>, total: usize) {
    if total > values.len() {
        let more = super::text::group_digits((total - values.len()) as u64);
        values.push(format!("… {more} more").into());
    }
}

fn dataset_json(dataset: &DataSet) -> Value {
    let rows: Vec<Value> = dataset
        .rows
        .iter()
        .take(MAX_ITEMS)
        .map(|row| {
            let cells = row.elements.iter().enumerate().map(|(column, cell)| {
                let datatype = dataset.types.get(column).copied().unwrap_or(0);
                match &cell.value {
                    None => Value::Null,
                    Some(DataSetValueValue::IntValue(n)) => integer(u64::from(*n), datatype),
                    Some(DataSetValueValue::LongValue(n)) => integer(*n, datatype),
                    Some(DataSetValueValue::FloatValue(f)) => float32(*f),
                    Some(DataSetValueValue::DoubleValue(f)) => float64(*f),
                    Some(DataSetValueValue::BooleanValue(b)) => (*b).into(),
                    Some(DataSetValueValue::StringValue(s)) => s.clone().into(),
                    Some(DataSetValueValue::ExtensionValue(_)) => "(extension value)".into(),
                }
            });
            Value::Array(cells.collect())
        })
        .collect();
    let mut rows = rows;
    push_more(&mut rows, dataset.rows.len());
    let types: Vec<Value> = dataset.types.iter().map(|&t| datatype_name(t).into()).collect();
    json!({ "columns": dataset.columns, "types": types, "rows": rows })
}

fn template_json(template: &Template) -> Value {
    let mut object = Map::new();
    if let Some(template_ref) = &template.template_ref {
        object.insert("template_ref".to_owned(), template_ref.clone().into());
    }
    if let Some(version) = &template.version {
        object.insert("version".to_owned(), version.clone().into());
    }
    if let Some(definition) = template.is_definition {
        object.insert("definition".to_owned(), definition.into());
    }
    if !template.parameters.is_empty() {
        let mut parameters = Map::new();
        for (i, parameter) in template.parameters.iter().enumerate() {
            let datatype = parameter.r#type.unwrap_or(0);
            let value = match &parameter.value {
                None => Value::Null,
                Some(ParameterValue::IntValue(n)) => integer(u64::from(*n), datatype),
                Some(ParameterValue::LongValue(n)) => integer(*n, datatype),
                Some(ParameterValue::FloatValue(f)) => float32(*f),
                Some(ParameterValue::DoubleValue(f)) => float64(*f),
                Some(ParameterValue::BooleanValue(b)) => (*b).into(),
                Some(ParameterValue::StringValue(s)) => s.clone().into(),
                Some(ParameterValue::ExtensionValue(_)) => "(extension value)".into(),
            };
            let key = parameter.name.clone().unwrap_or_else(|| format!("parameter {i}"));
            insert_unique(&mut parameters, key, value);
        }
        object.insert("parameters".to_owned(), Value::Object(parameters));
    }
    object.insert("metrics".to_owned(), metrics_json(&template.metrics, &HashMap::new()));
    Value::Object(object)
}

fn property_set_json(set: &PropertySet) -> Value {
    let mut object = Map::new();
    for (i, value) in set.values.iter().enumerate() {
        let key = set.keys.get(i).cloned().unwrap_or_else(|| format!("property {i}"));
        insert_unique(&mut object, key, property_value_json(value));
    }
    Value::Object(object)
}

fn property_value_json(property: &PropertyValue) -> Value {
    if property.is_null == Some(true) {
        return Value::Null;
    }
    let datatype = property.r#type.unwrap_or(0);
    match &property.value {
        None => Value::Null,
        Some(PropertyValueValue::IntValue(n)) => integer(u64::from(*n), datatype),
        Some(PropertyValueValue::LongValue(n)) => integer(*n, datatype),
        Some(PropertyValueValue::FloatValue(f)) => float32(*f),
        Some(PropertyValueValue::DoubleValue(f)) => float64(*f),
        Some(PropertyValueValue::BooleanValue(b)) => (*b).into(),
        Some(PropertyValueValue::StringValue(s)) => s.clone().into(),
        Some(PropertyValueValue::PropertysetValue(set)) => property_set_json(set),
        Some(PropertyValueValue::PropertysetsValue(list)) => {
            Value::Array(list.propertyset.iter().map(property_set_json).collect())
        }
        Some(PropertyValueValue::ExtensionValue(_)) => "(extension value)".into(),
    }
}

fn metadata_json(metadata: &MetaData) -> Value {
    let mut object = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            object.insert(key.to_owned(), value);
        }
    };
    put("is_multi_part", metadata.is_multi_part.map(Value::from));
    put("content_type", metadata.content_type.clone().map(Value::from));
    put("size", metadata.size.map(Value::from));
    put("seq", metadata.seq.map(Value::from));
    put("file_name", metadata.file_name.clone().map(Value::from));
    put("file_type", metadata.file_type.clone().map(Value::from));
    put("md5", metadata.md5.clone().map(Value::from));
    put("description", metadata.description.clone().map(Value::from));
    Value::Object(object)
}

/// The name of a Sparkplug `DataType` number: "Int8", "Float", "DataSet", ..., or "Unknown (99)".
#[must_use]
pub fn datatype_name(datatype: u32) -> String {
    const NAMES: [&str; 35] = [
        "Unknown",
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "UInt8",
        "UInt16",
        "UInt32",
        "UInt64",
        "Float",
        "Double",
        "Boolean",
        "String",
        "DateTime",
        "Text",
        "UUID",
        "DataSet",
        "Bytes",
        "File",
        "Template",
        "PropertySet",
        "PropertySetList",
        "Int8Array",
        "Int16Array",
        "Int32Array",
        "Int64Array",
        "UInt8Array",
        "UInt16Array",
        "UInt32Array",
        "UInt64Array",
        "FloatArray",
        "DoubleArray",
        "BooleanArray",
        "StringArray",
        "DateTimeArray",
    ];
    NAMES
        .get(datatype as usize)
        .map_or_else(|| format!("Unknown ({datatype})"), |&name| name.to_owned())
}

#[cfg(test)]
pub(super) mod tests {
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
}
