//! Sparkplug B values as JSON: numbers by datatype, times, bytes, arrays, DataSets, Templates, PropertySets and MetaData.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn metric_value(value: &MetricValue, datatype: u32) -> Value {
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
pub(super) fn integer(raw: u64, datatype: u32) -> Value {
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
pub(super) fn float32(f: f32) -> Value {
    if f.is_finite() {
        f.to_string().parse::<f64>().map_or(Value::Null, float64)
    } else {
        non_finite(f64::from(f))
    }
}

pub(super) fn float64(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or_else(|| non_finite(f), Value::Number)
}

pub(super) fn non_finite(f: f64) -> Value {
    if f.is_nan() {
        "NaN".into()
    } else if f > 0.0 {
        "inf".into()
    } else {
        "-inf".into()
    }
}

/// Milliseconds since the Unix epoch as ISO 8601 UTC, or the number when out of range.
pub(super) fn time(ms: u64) -> Value {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(
            || ms.into(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into(),
        )
}

/// Bytes as hex, cut after [`MAX_HEX_BYTES`] with the total length.
pub(super) fn hex(bytes: &[u8]) -> Value {
    let shown: Vec<String> = bytes.iter().take(MAX_HEX_BYTES).map(|b| format!("{b:02x}")).collect();
    let mut text = shown.join(" ");
    if bytes.len() > MAX_HEX_BYTES {
        text.push_str(&format!(" … ({} bytes)", crate::text::group_digits(bytes.len() as u64)));
    }
    text.into()
}

/// A packed array type (22 to 34) as a JSON array; `None` for another type or bytes that do not
/// fit the type.
pub(super) fn array(bytes: &[u8], datatype: u32) -> Option<Value> {
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
pub(super) fn push_more(values: &mut Vec<Value>, total: usize) {
    if total > values.len() {
        let more = crate::text::group_digits((total - values.len()) as u64);
        values.push(format!("… {more} more").into());
    }
}

pub(super) fn dataset_json(dataset: &DataSet) -> Value {
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

pub(super) fn template_json(template: &Template) -> Value {
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

pub(super) fn property_set_json(set: &PropertySet) -> Value {
    let mut object = Map::new();
    for (i, value) in set.values.iter().enumerate() {
        let key = set.keys.get(i).cloned().unwrap_or_else(|| format!("property {i}"));
        insert_unique(&mut object, key, property_value_json(value));
    }
    Value::Object(object)
}

pub(super) fn property_value_json(property: &PropertyValue) -> Value {
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

pub(super) fn metadata_json(metadata: &MetaData) -> Value {
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
