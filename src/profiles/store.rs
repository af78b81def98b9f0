//! Files in mqscope's config directory: JSON, written atomically (a temp
//! file, then a rename), and read so that a damaged file never stops the app:
//! it is kept aside as a backup and the reason is reported.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A directory of JSON files.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
    /// Writes one at a time, so two saves never interleave on one file.
    writing: Arc<Mutex<()>>,
}

/// Distinguishes the temp files of saves in flight.
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// A value read from the store, and what went wrong reading it, if anything.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The value (the default when the file was missing or unreadable).
    pub value: T,
    /// A message for the user when the file could not be used.
    pub problem: Option<String>,
    /// Whether saving may replace the file: false when it exists but could not be
    /// read (saving would destroy what could not be read).
    pub may_save: bool,
}

impl Store {
    /// The store in the OS's config directory (`~/.config/mqscope` on Linux).
    pub fn open_default() -> Result<Self, String> {
        let dirs = directories::ProjectDirs::from("", "", "mqscope")
            .ok_or_else(|| "No home directory: settings cannot be saved".to_owned())?;
        Ok(Self::at(dirs.config_dir()))
    }

    /// A store in `dir` (created when first written).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            writing: Arc::new(Mutex::new(())),
        }
    }

    /// Where the store keeps its files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    /// Read `name`. A missing file gives the default quietly; an unreadable or
    /// damaged one gives the default, is renamed to `NAME.bad-TIMESTAMP.json`,
    /// and the problem says so.
    pub fn load<T: DeserializeOwned + Default>(&self, name: &str) -> Loaded<T> {
        self.load_with(name, |value| {
            serde_json::from_value(value)
                .map(|v| (v, None))
                .map_err(|e| e.to_string())
        })
    }

    /// Read `name` with `read`, which turns the JSON into a value (upgrading an older format)
    /// or says why it cannot. `read` may also return a reason not to save over the file (a
    /// newer format than this build writes): the value is used, and the file left alone.
    pub fn load_with<T: Default>(
        &self,
        name: &str,
        read: impl FnOnce(serde_json::Value) -> Result<(T, Option<String>), String>,
    ) -> Loaded<T> {
        let path = self.path(name);
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Loaded {
                    value: T::default(),
                    problem: None,
                    may_save: true,
                };
            }
            Err(error) => {
                return Loaded {
                    value: T::default(),
                    problem: Some(format!(
                        "Could not read {}: {error}; changes will not be saved over it",
                        path.display()
                    )),
                    may_save: false,
                };
            }
        };
        let read = serde_json::from_slice(&text).map_err(|e| e.to_string()).and_then(read);
        match read {
            Ok((value, None)) => Loaded {
                value,
                problem: None,
                may_save: true,
            },
            Ok((value, Some(keep))) => Loaded {
                value,
                problem: Some(format!("{}: {keep}; changes will not be saved over it", path.display())),
                may_save: false,
            },
            Err(error) => {
                let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
                let backup = self.dir.join(format!("{name}.bad-{stamp}.json"));
                let (kept, may_save) = match std::fs::rename(&path, &backup) {
                    Ok(()) => (
                        format!("it was kept as {}, and a fresh one is used", backup.display()),
                        true,
                    ),
                    Err(rename_error) => (
                        format!("it could not be set aside ({rename_error}), so changes will not be saved over it"),
                        false,
                    ),
                };
                Loaded {
                    value: T::default(),
                    problem: Some(format!("{} is damaged ({error}); {kept}", path.display())),
                    may_save,
                }
            }
        }
    }

    /// Write `value` as `name`, atomically: readers see the old file or the new one, never half.
    pub fn save<T: Serialize>(&self, name: &str, value: &T) -> Result<(), String> {
        let path = self.path(name);
        let failed =
            |what: &str, error: &dyn std::fmt::Display| format!("Could not {what} {}: {error}", path.display());
        std::fs::create_dir_all(&self.dir).map_err(|e| failed("create the folder of", &e))?;
        let json = serde_json::to_vec_pretty(value).map_err(|e| failed("encode", &e))?;
        // A panicked writer left nothing half-done that matters: the file is replaced whole or not at all.
        let _writing = self.writing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let serial = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
        let temp = self
            .dir
            .join(format!(".{name}.json.tmp-{}-{serial}", std::process::id()));
        let written = (|| {
            use std::io::Write as _;
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(&json)?;
            file.sync_all()
        })();
        if let Err(error) = written {
            std::fs::remove_file(&temp).ok();
            return Err(failed("write", &error));
        }
        std::fs::rename(&temp, &path).map_err(|e| {
            std::fs::remove_file(&temp).ok();
            failed("replace", &e)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Example {
        names: Vec<String>,
    }

    #[test]
    fn round_trips_and_a_missing_file_is_the_default() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path().join("nested"));
        let loaded: Loaded<Example> = store.load("things");
        assert_eq!((loaded.value, loaded.problem), (Example::default(), None));
        let value = Example {
            names: vec!["a".into(), "b".into()],
        };
        store.save("things", &value).expect("saved");
        assert_eq!(store.load::<Example>("things").value, value);
        let leftovers: Vec<_> = std::fs::read_dir(store.dir())
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temp file left behind");
    }

    #[test]
    fn a_damaged_file_is_kept_aside_and_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::at(dir.path());
        std::fs::write(dir.path().join("things.json"), b"{ not json").expect("write");
        let loaded: Loaded<Example> = store.load("things");
        assert_eq!(loaded.value, Example::default());
        let problem = loaded.problem.expect("a problem is reported");
        assert!(problem.contains("damaged") && problem.contains("bad-"), "{problem}");
        let backups = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("things.bad-"))
            .count();
        assert_eq!(backups, 1);
        // Saving afterwards works and the backup stays.
        store.save("things", &Example::default()).expect("saved");
    }
}
