//! A file written whole or not at all: written beside its place under a temporary name,
//! flushed to the disk, then renamed over the place; on any error the temporary file is
//! removed, and a file already at the place is left as it was.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ExportError;

/// Temporary files made by this process, to give each its own name.
static SERIAL: AtomicU64 = AtomicU64::new(0);

/// Write `path` with `fill`, whole or not at all.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
    let temp = folder.join(format!(".{name}.part-{}-{serial}", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(|source| ExportError::Create {
            folder: folder.display().to_string(),
            source,
        })?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let written = fill(&mut out)
        .and_then(|()| out.flush())
        .and_then(|()| out.get_ref().sync_all());
    drop(out);
    if let Err(source) = written {
        // The error is what counts; a temporary file that cannot be removed is all that is left.
        std::fs::remove_file(&temp).ok();
        return Err(ExportError::Write {
            path: path.display().to_string(),
            source,
        });
    }
    std::fs::rename(&temp, path).map_err(|source| {
        std::fs::remove_file(&temp).ok();
        ExportError::Rename {
            path: path.display().to_string(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .expect("listed")
            .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_file_appears_whole_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.csv");
        write_atomically(&path, |out| out.write_all(b"a,b\n")).expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"a,b\n");
        assert_eq!(names_in(dir.path()), ["out.csv"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_part() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, b"before\n").expect("an older file");
        let error = write_atomically(&path, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left"))
        })
        .expect_err("fails");
        assert!(matches!(error, ExportError::Write { .. }));
        assert!(error.to_string().contains("no space left"), "{error}");
        assert_eq!(std::fs::read(&path).expect("read"), b"before\n");
        assert_eq!(names_in(dir.path()), ["out.jsonl"]);
    }

    #[test]
    fn a_folder_that_does_not_exist_says_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing").join("out.json");
        let error = write_atomically(&path, |out| out.write_all(b"[]")).expect_err("fails");
        assert!(matches!(error, ExportError::Create { .. }));
        assert!(error.to_string().starts_with("Could not write in "), "{error}");
        assert!(!path.exists());
    }
}
