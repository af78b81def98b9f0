//! The tree's one-line previews of binary payloads that a format reads better than hex
//! (Sparkplug B's metrics), made once per new message of a topic, not per frame: the topic's
//! name is built, the format detected and the preview made only when its message count moved.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::model::{Message, NodeId, Tree};
use crate::payload;

/// Payloads larger than this get no preview of their format (it is made for rows drawn).
const MAX_BYTES: usize = payload::sparkplug::MAX_PREVIEW_BYTES;

/// Previews kept at most; past this, they are forgotten and made again as rows are drawn.
const MAX_KEPT: usize = 4096;

/// The previews made, by topic.
#[derive(Default)]
pub struct Previews {
    /// Per topic: which message the preview was made of (the topic's message count then, and
    /// when the message came, so a tree built again cannot be mistaken for the old one), and
    /// the preview.
    by_node: HashMap<NodeId, ((u64, SystemTime), Option<String>)>,
}

impl Previews {
    /// The preview of `latest`, topic `id`'s `messages`-th message, when its format has one
    /// better than the text preview; `None` otherwise.
    pub fn get(
        &mut self,
        tree: &Tree,
        id: NodeId,
        messages: u64,
        latest: Option<&Message>,
        max_chars: usize,
    ) -> Option<String> {
        let latest = latest?;
        let bytes = &latest.payload;
        // Text payloads, most of them, are passed by before the topic is built.
        if bytes.len() > MAX_BYTES || payload::text::is_plain_text(bytes.get(..64).unwrap_or(bytes)) {
            return None;
        }
        let key = (messages, latest.received_at);
        if let Some((seen, preview)) = self.by_node.get(&id)
            && *seen == key
        {
            return preview.clone();
        }
        let format = payload::detect_for_topic(&tree.topic(id), bytes, MAX_BYTES);
        let preview = format.preview(bytes, max_chars);
        if self.by_node.len() >= MAX_KEPT {
            self.by_node.clear();
        }
        self.by_node.insert(id, (key, preview.clone()));
        preview
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkplug_b_rows_preview_their_metrics_once_per_message() {
        let mut tree = Tree::default();
        use prost::Message as _;
        let metric = payload::sparkplug::Metric {
            name: Some("Temperature".to_owned()),
            datatype: Some(9),
            value: Some(payload::sparkplug::MetricValue::FloatValue(21.5)),
            ..payload::sparkplug::Metric::default()
        };
        let ddata = payload::sparkplug::Payload {
            seq: Some(3),
            metrics: vec![metric],
            ..payload::sparkplug::Payload::default()
        }
        .encode_to_vec();
        let topic = "spBv1.0/plant/DDATA/edge/boiler";
        tree.insert(topic, Message::new(ddata.clone()));
        tree.insert("other/binary", Message::new(vec![0xde, 0xad, 0xbe, 0xef]));
        tree.insert("other/text", Message::new(b"21.5".to_vec()));
        let mut previews = Previews::default();
        let preview = |previews: &mut Previews, topic: &str, messages: u64| {
            let id = tree.find(topic).expect("inserted");
            previews.get(&tree, id, messages, tree.latest_of(topic), 60)
        };
        let first = preview(&mut previews, topic, 1).expect("a Sparkplug B preview");
        assert_eq!(first, "seq 3 · Temperature 21.5");
        assert_eq!(preview(&mut previews, topic, 1), Some(first), "kept");
        assert_eq!(previews.by_node.len(), 1);
        assert_eq!(preview(&mut previews, "other/binary", 1), None);
        assert_eq!(preview(&mut previews, "other/text", 1), None);
        assert_eq!(previews.by_node.len(), 2, "text is never kept");
    }
}
