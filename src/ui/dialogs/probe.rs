//! Which kind of file dialog this desktop has, asked of the desktop itself.

use super::DialogKind;

/// The desktop's file dialog where there is one: on Linux, the XDG desktop portal's file
/// chooser (asked over the session bus) or zenity (rfd's fallback); elsewhere the system's.
#[cfg(target_os = "linux")]
pub fn dialog_kind() -> DialogKind {
    if portal_has_file_chooser() || on_path("zenity") {
        DialogKind::Native
    } else {
        tracing::info!("no file dialog on this desktop (no XDG portal file chooser, no zenity): paths are typed");
        DialogKind::Typed
    }
}

/// The system's dialogs, which macOS and Windows always have.
#[cfg(not(target_os = "linux"))]
pub fn dialog_kind() -> DialogKind {
    DialogKind::Native
}

/// Whether the session bus has a desktop portal that implements the file chooser.
#[cfg(target_os = "linux")]
fn portal_has_file_chooser() -> bool {
    use dbus::blocking::stdintf::org_freedesktop_dbus::Properties as _;
    let Ok(bus) = dbus::blocking::Connection::new_session() else {
        return false;
    };
    let portal = bus.with_proxy(
        "org.freedesktop.portal.Desktop",
        "/org/freedesktop/portal/desktop",
        std::time::Duration::from_secs(3),
    );
    portal
        .get::<u32>("org.freedesktop.portal.FileChooser", "version")
        .is_ok()
}

/// Whether `program` is an executable file in a directory of `PATH`.
#[cfg(target_os = "linux")]
fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(program)).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}
