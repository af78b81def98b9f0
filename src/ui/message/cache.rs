//! Decoded messages, kept so a frame never decodes again what an earlier one did: each
//! message is decoded once per format it is viewed in (the one shown, the one a diff compares
//! with), detected once, and the shown one rendered once.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::model::{Message, NodeId, Tree};
use crate::payload::folds::Folds;
use crate::payload::formats::Context;
use crate::payload::paths::ValuePaths;
use crate::payload::{self, Decoded, Format, Rendered};

use super::RENDER_LIMIT_BYTES;

/// Decoded messages kept at most: the shown one, the one compared with, and a few just left.
const CAPACITY: usize = 8;

/// A message of a topic: the topic's node and the message's history sequence number (the
/// topic's message count when it has no history).
pub type MessageKey = (NodeId, u64);

/// The shown message's rendering.
pub struct Rendering {
    /// Which message, and in what format.
    key: (MessageKey, Format),
    /// The text shown; `None` when the format shows every byte (hex).
    pub rendered: Option<Rendered>,
    /// Where the numbers of a JSON rendering are, and their paths, to chart one on a click.
    pub paths: ValuePaths,
    /// The objects and arrays of a JSON rendering that span several lines, to fold them.
    pub folds: Folds,
}

/// What the message panel decoded and rendered, by message.
#[derive(Default)]
pub struct DecodeCache {
    /// Most recently used last.
    decoded: VecDeque<((MessageKey, Format), Arc<Decoded>)>,
    /// The format detected for the message shown.
    detected: Option<(MessageKey, Format)>,
    rendering: Option<Rendering>,
}

impl DecodeCache {
    /// The format message `key` (received on `topic`) is shown in when the user has not chosen
    /// one, detected once.
    pub fn detected(&mut self, key: MessageKey, topic: &str, message: &Message) -> Format {
        match self.detected {
            Some((seen, format)) if seen == key => format,
            _ => {
                let format = payload::detect_for_topic(topic, &message.payload, RENDER_LIMIT_BYTES);
                self.detected = Some((key, format));
                format
            }
        }
    }

    /// Message `key` (received on `topic`) decoded in `format`: kept from before, or decoded
    /// now (a Sparkplug B data message's aliases named by its birth certificate in `tree`).
    pub fn decoded(
        &mut self,
        key: MessageKey,
        format: Format,
        topic: &str,
        message: &Message,
        tree: &Tree,
    ) -> Arc<Decoded> {
        if let Some(at) = self.decoded.iter().position(|(k, _)| *k == (key, format))
            && let Some(entry) = self.decoded.remove(at)
        {
            let decoded = Arc::clone(&entry.1);
            self.decoded.push_back(entry);
            return decoded;
        }
        let latest_of = |topic: &str| tree.latest_of(topic).map(|m| m.payload.clone());
        let context = Context {
            topic,
            latest_of: &latest_of,
        };
        let decoded = Arc::new(format.decode(message.payload.clone(), &context));
        if self.decoded.len() >= CAPACITY {
            self.decoded.pop_front();
        }
        self.decoded.push_back(((key, format), Arc::clone(&decoded)));
        decoded
    }

    /// The rendering of message `key` from `decoded`, rendered once.
    pub fn rendering(&mut self, key: MessageKey, decoded: &Decoded) -> &Rendering {
        let wanted = (key, decoded.format());
        match self.rendering.take() {
            Some(rendering) if rendering.key == wanted => self.rendering.insert(rendering),
            _ => {
                let rendered = (!decoded.format().every_byte()).then(|| decoded.render(RENDER_LIMIT_BYTES));
                let paths = rendered.as_ref().map(ValuePaths::of).unwrap_or_default();
                let folds = rendered.as_ref().map(Folds::of).unwrap_or_default();
                self.rendering.insert(Rendering {
                    key: wanted,
                    rendered,
                    paths,
                    folds,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_decoded_once_per_format_and_few_are_kept() {
        let tree = Tree::default();
        let mut cache = DecodeCache::default();
        let message = Message::new(br#"{"t": 1}"#.to_vec());
        let node = NodeId::from_index(1);
        let first = cache.decoded((node, 1), Format::JSON, "a", &message, &tree);
        let again = cache.decoded((node, 1), Format::JSON, "a", &message, &tree);
        assert!(Arc::ptr_eq(&first, &again), "kept, not decoded again");
        let text = cache.decoded((node, 1), Format::TEXT, "a", &message, &tree);
        assert!(!Arc::ptr_eq(&first, &text), "another format, another decoding");
        for seq in 2..20 {
            cache.decoded((node, seq), Format::JSON, "a", &message, &tree);
        }
        assert_eq!(cache.decoded.len(), CAPACITY);
        assert_eq!(cache.detected((node, 1), "a", &message), Format::JSON);
    }
}
