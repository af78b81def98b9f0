//! The Sparkplug B payload schema, `sparkplug_b.proto` (package `org.eclipse.tahu.protobuf`,
//! proto2) of Eclipse Tahu, written out as prost messages so no code is generated at build time.
//!
//! Source: <https://github.com/eclipse/tahu/blob/master/sparkplug_b/sparkplug_b.proto>, the same
//! text as in the Sparkplug 3.0 specification, chapter "Payloads", section "Google Protocol Buffer
//! Schema". Names and field numbers follow it one to one; `extensions N to max` ranges have no
//! counterpart here (fields in them are skipped when decoding). The messages nested in `Payload`
//! in the .proto are top-level here, and `Template` and `MetaData` are boxed to keep a `Metric`
//! small.
#![expect(
    clippy::enum_variant_names,
    reason = "oneof variants are named after the .proto fields: int_value, long_value, ..."
)]

/// `Payload`: one Sparkplug B message.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Payload {
    /// Time the message was sent, milliseconds since the Unix epoch.
    #[prost(uint64, optional, tag = "1")]
    pub timestamp: Option<u64>,
    /// The metrics.
    #[prost(message, repeated, tag = "2")]
    pub metrics: Vec<Metric>,
    /// Sequence number, 0 to 255.
    #[prost(uint64, optional, tag = "3")]
    pub seq: Option<u64>,
    /// Names the kind of message in terms of schema definitions.
    #[prost(string, optional, tag = "4")]
    pub uuid: Option<String>,
    /// Any bytes, bypassing the rest of the schema.
    #[prost(bytes = "vec", optional, tag = "5")]
    pub body: Option<Vec<u8>>,
}

/// `Payload.Metric`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Metric {
    /// Name, sent in births; data messages may carry only the alias.
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    /// Number standing for the name after the birth.
    #[prost(uint64, optional, tag = "2")]
    pub alias: Option<u64>,
    /// Time the value was read, milliseconds since the Unix epoch.
    #[prost(uint64, optional, tag = "3")]
    pub timestamp: Option<u64>,
    /// A `DataType` number.
    #[prost(uint32, optional, tag = "4")]
    pub datatype: Option<u32>,
    /// A value from the past, not the current one.
    #[prost(bool, optional, tag = "5")]
    pub is_historical: Option<bool>,
    /// Not to be stored as a tag.
    #[prost(bool, optional, tag = "6")]
    pub is_transient: Option<bool>,
    /// The value is null.
    #[prost(bool, optional, tag = "7")]
    pub is_null: Option<bool>,
    /// Metadata (file name, content type, size, ...).
    #[prost(message, optional, boxed, tag = "8")]
    pub metadata: Option<Box<MetaData>>,
    /// Properties (engineering unit, limits, ...).
    #[prost(message, optional, tag = "9")]
    pub properties: Option<PropertySet>,
    /// The value.
    #[prost(oneof = "MetricValue", tags = "10, 11, 12, 13, 14, 15, 16, 17, 18, 19")]
    pub value: Option<MetricValue>,
}

/// `Payload.Metric.value`.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum MetricValue {
    /// Int8 to Int32 (two's complement), UInt8 to UInt32.
    #[prost(uint32, tag = "10")]
    IntValue(u32),
    /// Int64 (two's complement), UInt64, DateTime.
    #[prost(uint64, tag = "11")]
    LongValue(u64),
    /// Float.
    #[prost(float, tag = "12")]
    FloatValue(f32),
    /// Double.
    #[prost(double, tag = "13")]
    DoubleValue(f64),
    /// Boolean.
    #[prost(bool, tag = "14")]
    BooleanValue(bool),
    /// String, Text, UUID.
    #[prost(string, tag = "15")]
    StringValue(String),
    /// Bytes, File, and the packed array types.
    #[prost(bytes = "vec", tag = "16")]
    BytesValue(Vec<u8>),
    /// DataSet.
    #[prost(message, tag = "17")]
    DatasetValue(DataSet),
    /// Template.
    #[prost(message, tag = "18")]
    TemplateValue(Box<Template>),
    /// A third party's value (`MetricValueExtension`).
    #[prost(message, tag = "19")]
    ExtensionValue(Extension),
}

/// `Payload.MetaData`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MetaData {
    /// The bytes are one part of several.
    #[prost(bool, optional, tag = "1")]
    pub is_multi_part: Option<bool>,
    /// Media type.
    #[prost(string, optional, tag = "2")]
    pub content_type: Option<String>,
    /// Size of the file, string or whole multi-part value.
    #[prost(uint64, optional, tag = "3")]
    pub size: Option<u64>,
    /// Sequence number of a part.
    #[prost(uint64, optional, tag = "4")]
    pub seq: Option<u64>,
    /// File name.
    #[prost(string, optional, tag = "5")]
    pub file_name: Option<String>,
    /// File type (xml, json, ...).
    #[prost(string, optional, tag = "6")]
    pub file_type: Option<String>,
    /// MD5 of the data.
    #[prost(string, optional, tag = "7")]
    pub md5: Option<String>,
    /// Free text.
    #[prost(string, optional, tag = "8")]
    pub description: Option<String>,
}

/// `Payload.PropertySet`: `keys[i]` names `values[i]`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PropertySet {
    /// Property names.
    #[prost(string, repeated, tag = "1")]
    pub keys: Vec<String>,
    /// Property values.
    #[prost(message, repeated, tag = "2")]
    pub values: Vec<PropertyValue>,
}

/// `Payload.PropertySetList`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PropertySetList {
    /// The sets.
    #[prost(message, repeated, tag = "1")]
    pub propertyset: Vec<PropertySet>,
}

/// `Payload.PropertyValue`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PropertyValue {
    /// A `DataType` number.
    #[prost(uint32, optional, tag = "1")]
    pub r#type: Option<u32>,
    /// The value is null.
    #[prost(bool, optional, tag = "2")]
    pub is_null: Option<bool>,
    /// The value.
    #[prost(oneof = "PropertyValueValue", tags = "3, 4, 5, 6, 7, 8, 9, 10, 11")]
    pub value: Option<PropertyValueValue>,
}

/// `Payload.PropertyValue.value`.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum PropertyValueValue {
    /// 8 to 32 bit integers.
    #[prost(uint32, tag = "3")]
    IntValue(u32),
    /// 64 bit integers, DateTime.
    #[prost(uint64, tag = "4")]
    LongValue(u64),
    /// Float.
    #[prost(float, tag = "5")]
    FloatValue(f32),
    /// Double.
    #[prost(double, tag = "6")]
    DoubleValue(f64),
    /// Boolean.
    #[prost(bool, tag = "7")]
    BooleanValue(bool),
    /// String, Text.
    #[prost(string, tag = "8")]
    StringValue(String),
    /// A nested set.
    #[prost(message, tag = "9")]
    PropertysetValue(PropertySet),
    /// A list of sets.
    #[prost(message, tag = "10")]
    PropertysetsValue(PropertySetList),
    /// A third party's value (`PropertyValueExtension`).
    #[prost(message, tag = "11")]
    ExtensionValue(Extension),
}

/// `Payload.DataSet`: a table.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DataSet {
    /// Number of columns.
    #[prost(uint64, optional, tag = "1")]
    pub num_of_columns: Option<u64>,
    /// Column names.
    #[prost(string, repeated, tag = "2")]
    pub columns: Vec<String>,
    /// Column `DataType` numbers.
    #[prost(uint32, repeated, packed = "false", tag = "3")]
    pub types: Vec<u32>,
    /// The rows.
    #[prost(message, repeated, tag = "4")]
    pub rows: Vec<Row>,
}

/// `Payload.DataSet.Row`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Row {
    /// One value a column.
    #[prost(message, repeated, tag = "1")]
    pub elements: Vec<DataSetValue>,
}

/// `Payload.DataSet.DataSetValue`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DataSetValue {
    /// The value.
    #[prost(oneof = "DataSetValueValue", tags = "1, 2, 3, 4, 5, 6, 7")]
    pub value: Option<DataSetValueValue>,
}

/// `Payload.DataSet.DataSetValue.value`.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum DataSetValueValue {
    /// 8 to 32 bit integers.
    #[prost(uint32, tag = "1")]
    IntValue(u32),
    /// 64 bit integers, DateTime.
    #[prost(uint64, tag = "2")]
    LongValue(u64),
    /// Float.
    #[prost(float, tag = "3")]
    FloatValue(f32),
    /// Double.
    #[prost(double, tag = "4")]
    DoubleValue(f64),
    /// Boolean.
    #[prost(bool, tag = "5")]
    BooleanValue(bool),
    /// String, Text.
    #[prost(string, tag = "6")]
    StringValue(String),
    /// A third party's value (`DataSetValueExtension`).
    #[prost(message, tag = "7")]
    ExtensionValue(Extension),
}

/// `Payload.Template`: a user-defined type, or an instance of one.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Template {
    /// Version of the definition.
    #[prost(string, optional, tag = "1")]
    pub version: Option<String>,
    /// The members.
    #[prost(message, repeated, tag = "2")]
    pub metrics: Vec<Metric>,
    /// The parameters.
    #[prost(message, repeated, tag = "3")]
    pub parameters: Vec<Parameter>,
    /// For an instance: the name of its definition.
    #[prost(string, optional, tag = "4")]
    pub template_ref: Option<String>,
    /// A definition rather than an instance.
    #[prost(bool, optional, tag = "5")]
    pub is_definition: Option<bool>,
}

/// `Payload.Template.Parameter`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Parameter {
    /// Name.
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    /// A `DataType` number.
    #[prost(uint32, optional, tag = "2")]
    pub r#type: Option<u32>,
    /// The value.
    #[prost(oneof = "ParameterValue", tags = "3, 4, 5, 6, 7, 8, 9")]
    pub value: Option<ParameterValue>,
}

/// `Payload.Template.Parameter.value`.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum ParameterValue {
    /// 8 to 32 bit integers.
    #[prost(uint32, tag = "3")]
    IntValue(u32),
    /// 64 bit integers, DateTime.
    #[prost(uint64, tag = "4")]
    LongValue(u64),
    /// Float.
    #[prost(float, tag = "5")]
    FloatValue(f32),
    /// Double.
    #[prost(double, tag = "6")]
    DoubleValue(f64),
    /// Boolean.
    #[prost(bool, tag = "7")]
    BooleanValue(bool),
    /// String, Text.
    #[prost(string, tag = "8")]
    StringValue(String),
    /// A third party's value (`ParameterValueExtension`).
    #[prost(message, tag = "9")]
    ExtensionValue(Extension),
}

/// The `*ValueExtension` messages: nothing but extension ranges, so nothing to read.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Extension {}
