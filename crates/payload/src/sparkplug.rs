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
mod values;

use std::collections::HashMap;

use prost::Message as _;
use serde_json::{Map, Value, json};

use schema::{
    DataSet, DataSetValueValue, MetaData, ParameterValue, PropertySet, PropertyValue, PropertyValueValue, Template,
};
pub use schema::{Metric, MetricValue, Payload};
pub use values::datatype_name;
#[cfg(test)]
use values::{array, integer};
use values::{hex, metadata_json, metric_value, property_set_json, time};

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

#[cfg(test)]
pub(super) mod tests;
