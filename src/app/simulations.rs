//! The simulations every tab keeps, read at start and written when a tab's change.

use super::saver::Saver;
use crate::explorer::Explorer;
use crate::model::simulate::Simulation;
use crate::profiles::Store;
use crate::profiles::simulations::{FILE, SimulationsFile};

/// The simulations file as read, and its writer.
pub(super) struct KeptSimulations {
    file: SimulationsFile,
    saver: Saver,
}

impl KeptSimulations {
    /// Read from `store` (or keep nothing); a problem reading is added to `problems`.
    pub(super) fn load(store: Option<&Store>, problems: &mut Vec<String>) -> Self {
        let Some(store) = store else {
            return Self {
                file: SimulationsFile::default(),
                saver: Saver::new(None, FILE),
            };
        };
        let loaded = SimulationsFile::load(store);
        problems.extend(loaded.problem);
        Self {
            file: loaded.value,
            saver: Saver::new(Some(store.clone()).filter(|_| loaded.may_save), FILE),
        }
    }

    /// The simulations kept under `key`.
    pub(super) fn for_tab(&self, key: &str) -> Vec<Simulation> {
        self.file.brokers.get(key).cloned().unwrap_or_default()
    }

    /// Keep what changed in the tabs' simulators, off the UI thread.
    pub(super) fn save_changed(&mut self, explorers: &mut [Explorer], runtime: &tokio::runtime::Handle) {
        let mut changed = false;
        for explorer in explorers {
            if explorer.simulate.take_changed() {
                self.file
                    .brokers
                    .insert(explorer.messages_key.clone(), explorer.simulate.simulations());
                changed = true;
            }
        }
        if changed {
            self.saver.save(runtime, self.file.clone());
        }
    }
}
