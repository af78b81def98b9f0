//! Importing and exporting connection profiles: the buttons, the file dialogs (or typed
//! paths), the file read or written off the UI thread, and how it ended.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use crate::profiles::profile::{Export, PasswordStorage, Profile};
use crate::profiles::secrets;
use crate::ui::dialogs::{Dialogs, OpenFile, Opened, SaveFile, Saved};
use crate::ui::text::plural;
use crate::ui::theme;

/// Profiles read from an exported file.
pub struct Imported {
    /// The file read.
    pub path: PathBuf,
    /// The profiles it holds.
    pub profiles: Vec<Profile>,
}

impl Opened for Imported {
    const EXAMPLE_PATH: &'static str = "/path/to/exported.json";

    fn read(path: &Path) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("Could not read {}: {e}", path.display()))?;
        let profiles = Export::parse(&bytes).map_err(|e| format!("Could not import {}: {e}", path.display()))?;
        Ok(Self {
            path: path.to_path_buf(),
            profiles,
        })
    }
}

/// Profiles to write to a file, with the ids of those whose keyring password is still to be
/// read (away from the window).
struct Exporting {
    profiles: Vec<Profile>,
    with_passwords: bool,
    unknown: Vec<String>,
}

impl Saved for Exporting {
    const EXAMPLE_PATH: &'static str = "/path/to/profiles.json";

    fn write(mut self, path: &Path) -> Result<String, String> {
        for profile in self.profiles.iter_mut().filter(|p| self.unknown.contains(&p.id)) {
            let password = secrets::read(&profile.id)
                .map_err(|e| format!("Could not read the password of \"{}\": {e}", profile.name))?;
            profile.password = password;
            if !profile.proxy.username.is_empty() {
                profile.proxy.password = secrets::read(&crate::profiles::proxy::secret_id(&profile.id))
                    .map_err(|e| format!("Could not read the proxy password of \"{}\": {e}", profile.name))?;
            }
            profile.password_storage = PasswordStorage::PlainText;
        }
        let file = Export::new(&self.profiles, self.with_passwords);
        let json = serde_json::to_vec_pretty(&file).map_err(|e| format!("Could not export: {e}"))?;
        std::fs::write(path, json).map_err(|e| format!("Could not write {}: {e}", path.display()))?;
        Ok(format!(
            "Exported {} to {}",
            plural(file.profiles.len() as u64, "profile", "profiles"),
            path.display()
        ))
    }
}

/// An import or an export, one at a time.
#[derive(Default)]
pub struct Transfer {
    import: OpenFile<Imported>,
    export: SaveFile<Exporting>,
    /// How the last import ended (an export says so itself).
    imported: Option<Result<String, String>>,
    /// Whether an export carries the saved passwords.
    pub include_passwords: bool,
}

/// What the manager hands the transfer for an export.
pub struct ToExport {
    /// Every profile.
    pub profiles: Vec<Profile>,
    /// Ids of profiles whose keyring password must be read first.
    pub unknown: Vec<String>,
}

impl Transfer {
    /// Move an import or export along; returns profiles read by an import, once.
    pub fn poll(&mut self, ctx: &egui::Context, runtime: &tokio::runtime::Handle) -> Option<Imported> {
        self.export.poll(ctx, runtime);
        match self.import.poll(ctx, runtime)? {
            Ok(imported) => Some(imported),
            Err(error) => {
                self.imported = Some(Err(error));
                None
            }
        }
    }

    /// Say how many profiles an import added, from which file.
    pub fn imported(&mut self, count: usize, path: &Path) {
        self.imported = Some(Ok(format!(
            "Imported {} from {}",
            plural(count as u64, "profile", "profiles"),
            path.display()
        )));
    }

    /// The Import and Export buttons, the prompts and the outcome. `to_export` gives what an
    /// export writes when the user asks for one.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        dialogs: &Dialogs,
        runtime: &tokio::runtime::Handle,
        to_export: impl FnOnce(bool) -> ToExport,
    ) {
        ui.horizontal(|ui| {
            let busy = self.import.is_busy() || self.export.is_busy();
            if ui
                .add_enabled(!busy, egui::Button::new("Import…"))
                .on_hover_text("Add profiles from a file")
                .clicked()
            {
                self.imported = None;
                let filters: &[(&str, &[&str])] = &[("JSON", &["json"])];
                self.import
                    .start(ui.ctx(), dialogs, runtime, "Import connection profiles", filters);
            }
            if ui
                .add_enabled(!busy, egui::Button::new("Export…"))
                .on_hover_text("Write every profile to a file")
                .clicked()
            {
                self.imported = None;
                let ToExport { profiles, unknown } = to_export(self.include_passwords);
                let data = Exporting {
                    profiles,
                    with_passwords: self.include_passwords,
                    unknown,
                };
                let (title, name) = ("Export connection profiles", "mqscope-profiles.json");
                self.export.start(ui.ctx(), dialogs, runtime, title, name, data);
            }
        });
        ui.checkbox(&mut self.include_passwords, "Export with passwords")
            .on_hover_text("Saved passwords go into the exported file as plain text");
        self.import.ui(ui, runtime);
        self.export.ui(ui, runtime);
        if self.import.is_waiting() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("Waiting for the file…");
            });
        }
        match &self.imported {
            Some(Ok(text)) => {
                ui.label(RichText::new(text).color(theme::ok_color(ui)));
            }
            Some(Err(text)) => {
                ui.label(RichText::new(text).color(crate::ui::theme::error_color(ui)));
            }
            None => {}
        }
    }
}
