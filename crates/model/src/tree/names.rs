//! The level names in use, each held once and numbered, and the tree's shape in 8 bytes a node:
//! its parent, its name's number and whether it holds a message. A text search reads these
//! (8.7 MB at a million topics) instead of the 144-byte nodes, and compares each distinct
//! name with the text once.

use std::hash::BuildHasher as _;
use std::sync::Arc;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::NodeId;

/// Set in [`Link::name`] when the node holds a message (it is a topic).
const TOPIC_BIT: u32 = 1 << 31;
/// Set in [`Link::name`] when the node has children (it is a branch).
const BRANCH_BIT: u32 = 1 << 30;
/// The bits of [`Link::name`] that number the name.
const NAME_MASK: u32 = BRANCH_BIT - 1;
/// The name number of a node without a name in the table (the root, a removed node).
const NO_NAME: u32 = NAME_MASK;

/// A node's place in the tree, as a search reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    parent: u32,
    /// The name's number in [`Names`], [`TOPIC_BIT`] and [`BRANCH_BIT`].
    name: u32,
}

impl Link {
    /// The link of the root and of removed nodes: no name, no message.
    pub(crate) const NONE: Self = Self {
        parent: 0,
        name: NO_NAME,
    };

    pub(super) fn new(parent: NodeId, name: u32) -> Self {
        Self {
            parent: parent.0,
            name: name & NAME_MASK,
        }
    }

    /// The parent node.
    pub(crate) fn parent(self) -> NodeId {
        NodeId(self.parent)
    }

    /// The name's number (see [`Names::iter`]; none in use for the root or a removed node).
    pub(crate) fn name(self) -> usize {
        (self.name & NAME_MASK) as usize
    }

    /// Whether the node holds a message.
    pub(crate) fn is_topic(self) -> bool {
        self.name & TOPIC_BIT != 0
    }

    pub(super) fn set_topic(&mut self, topic: bool) {
        self.set(TOPIC_BIT, topic);
    }

    /// Whether the node has children.
    pub(crate) fn is_branch(self) -> bool {
        self.name & BRANCH_BIT != 0
    }

    pub(super) fn set_branch(&mut self, branch: bool) {
        self.set(BRANCH_BIT, branch);
    }

    fn set(&mut self, bit: u32, on: bool) {
        if on {
            self.name |= bit;
        } else {
            self.name &= !bit;
        }
    }
}

/// Every level name in use, held once and numbered: most names repeat (`temperature` under
/// each device), so a node shares its name's allocation instead of holding a copy.
#[derive(Default)]
pub(crate) struct Names {
    /// Name numbers, found by the name.
    table: HashTable<u32>,
    /// By number: the name, or `None` for a number free to be given again.
    slots: Vec<Option<Arc<str>>>,
    /// Numbers of names no longer in use.
    free: Vec<u32>,
}

impl Names {
    /// How many numbers were given: every name's number is below.
    pub(crate) fn numbers(&self) -> usize {
        self.slots.len()
    }

    /// Every name in use with its number, in the order of the numbers: a name's text was
    /// allocated about when its number was given, so they are read in the order they lie in
    /// memory, which the processor fetches ahead (a hash table's order would not be).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(number, name)| name.as_deref().map(|name| (number, name)))
    }

    /// The shared copy of `name` and its number, both made on its first use. `None` when
    /// a billion names are in use.
    pub(super) fn intern(&mut self, hasher: &DefaultHashBuilder, name: &str) -> Option<(Arc<str>, u32)> {
        let Self { table, slots, free } = self;
        let hash = hasher.hash_one(name);
        let found = table.find(hash, |&number| {
            slots.get(number as usize).and_then(Option::as_deref) == Some(name)
        });
        if let Some(&number) = found {
            let shared = slots.get(number as usize).and_then(Option::as_ref)?;
            return Some((Arc::clone(shared), number));
        }
        let shared: Arc<str> = Arc::from(name);
        let number = match free.pop() {
            Some(number) => number,
            None => {
                let number = u32::try_from(slots.len()).ok().filter(|&n| n < NO_NAME)?;
                slots.push(None);
                number
            }
        };
        if let Some(slot) = slots.get_mut(number as usize) {
            *slot = Some(Arc::clone(&shared));
        }
        table.insert_unique(hash, number, |&n| {
            hasher.hash_one(slots.get(n as usize).and_then(Option::as_deref).unwrap_or_default())
        });
        Some((shared, number))
    }

    /// A node called `name` (number `number`) went away: when it was the last one, the name
    /// leaves the table. `name` is the node's own copy, still held.
    pub(super) fn release(&mut self, hasher: &DefaultHashBuilder, name: &Arc<str>, number: usize) {
        // The node's copy and the table's: nobody else uses the name.
        if Arc::strong_count(name) != 2 {
            return;
        }
        let is_this = self
            .slots
            .get(number)
            .and_then(Option::as_ref)
            .is_some_and(|held| Arc::ptr_eq(held, name));
        if !is_this {
            return;
        }
        let hash = hasher.hash_one(&**name);
        if let Ok(entry) = self.table.find_entry(hash, |&n| n as usize == number) {
            entry.remove();
        }
        if let Some(slot) = self.slots.get_mut(number) {
            *slot = None;
        }
        if let Ok(number) = u32::try_from(number) {
            self.free.push(number);
        }
    }
}
