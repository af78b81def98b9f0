//! The fields of the compared topics' payloads: each latest payload's JSON value, its scalars
//! by path, read once per message and kept between rebuilds of the table.

use std::collections::{HashMap, HashSet};

use super::table::Input;
use crate::model::NodeId;
use crate::payload::formats::Context;
use crate::payload::{Format, numbers};

/// Scalars read from one payload at most.
const MAX_SCALARS: usize = 256;

/// The fields of each topic's latest payload, read once per message: its JSON value's
/// scalars, by path.
#[derive(Default)]
pub struct Fields {
    /// Per topic: the payload read (held, so it is known when the next one comes) and its
    /// fields.
    by_node: HashMap<NodeId, (bytes::Bytes, Vec<(String, String)>)>,
}

impl Fields {
    /// The fields of `input`'s payload, read now unless they were for this payload.
    pub fn of(&mut self, input: &Input) -> Vec<(String, String)> {
        if let Some((payload, fields)) = self.by_node.get(&input.id)
            && payload.as_ptr() == input.payload.as_ptr()
            && payload.len() == input.payload.len()
        {
            return fields.clone();
        }
        let fields = if numbers::has_fields(&input.payload) {
            let decoded = Format::JSON.decode(input.payload.clone(), &Context::none());
            decoded
                .value()
                .map(|root| numbers::scalars(root, MAX_SCALARS))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        self.by_node.insert(input.id, (input.payload.clone(), fields.clone()));
        fields
    }

    /// Forget the topics not among `inputs`.
    pub fn keep_only(&mut self, inputs: &[Input]) {
        let shown: HashSet<NodeId> = inputs.iter().map(|i| i.id).collect();
        self.by_node.retain(|id, _| shown.contains(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(payload: &'static [u8]) -> Input {
        Input {
            id: NodeId::from_index(3),
            name: "a".to_owned(),
            retained: false,
            payload: bytes::Bytes::from_static(payload),
            received_at: std::time::SystemTime::now(),
        }
    }

    #[test]
    fn a_payload_is_read_once_and_a_new_one_again() {
        let mut fields = Fields::default();
        let first = input(br#"{"t": 1}"#);
        assert_eq!(fields.of(&first), [("t".to_owned(), "1".to_owned())]);
        assert_eq!(fields.of(&first), [("t".to_owned(), "1".to_owned())]);
        assert_eq!(fields.of(&input(br#"{"t": 2}"#)), [("t".to_owned(), "2".to_owned())]);
        assert!(fields.of(&input(b"21.5")).is_empty(), "a bare value has no fields");
        fields.keep_only(&[]);
        assert!(fields.by_node.is_empty());
    }
}
