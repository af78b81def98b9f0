//! Export files: profiles to hand to another machine, with or without their passwords.

use serde::{Deserialize, Serialize};

use super::{Profile, ProfilesFile, Read, VERSION};

/// An export file: profiles to hand to another machine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// What this file is.
    pub format: String,
    /// Format version of the profiles in it.
    pub version: u32,
    /// The profiles.
    pub profiles: Vec<Profile>,
}

/// The `format` of export files.
pub const EXPORT_FORMAT: &str = "mqscope-profiles";

impl Export {
    /// An export of `profiles`, with their passwords only if `with_passwords`.
    pub fn new(profiles: &[Profile], with_passwords: bool) -> Self {
        Self {
            format: EXPORT_FORMAT.to_owned(),
            version: VERSION,
            profiles: profiles
                .iter()
                .map(|p| {
                    if with_passwords {
                        p.clone()
                    } else {
                        p.without_password()
                    }
                })
                .collect(),
        }
    }

    /// Read an export file (or a whole `profiles.json`).
    pub fn parse(bytes: &[u8]) -> Result<Vec<Profile>, String> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("it is not a profiles file: {e}"))?;
        if value.get("profiles").is_none() {
            return Err("it is not a profiles file (it has no \"profiles\")".to_owned());
        }
        match ProfilesFile::from_json(value)? {
            Read::Current(file) | Read::Upgraded(file, _) | Read::Newer(file, _) => Ok(file.profiles),
        }
    }
}
