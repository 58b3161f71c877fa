//! Directory bundles: listing a bag folder without following links, and
//! opening its payload files safely.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

use super::{Bundle, BundleForm, Entry, EntryKind, OpenError, Source};
use crate::fsx::special_kind;
use crate::problem::{Problem, ProblemCode};

pub(super) fn open(path: &Path) -> Result<Bundle, OpenError> {
    match fs::symlink_metadata(path.join("bagit.txt")) {
        Ok(meta) if meta.is_file() => {}
        _ => {
            return Err(OpenError::NotABundle {
                path: path.into(),
                reason: "no bagit.txt in the folder".into(),
            })
        }
    }
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for item in walkdir::WalkDir::new(path).follow_links(false).min_depth(1) {
        let item = match item {
            Ok(item) => item,
            Err(err) => {
                let name = err
                    .path()
                    .and_then(|p| p.strip_prefix(path).ok())
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                problems.push(Problem::new(
                    ProblemCode::PayloadUnreadable,
                    Some(&name),
                    format!("cannot list: {err}"),
                ));
                continue;
            }
        };
        let relative = item.path().strip_prefix(path).unwrap_or(item.path());
        let name = match relative.to_str() {
            Some(name) => name.replace(std::path::MAIN_SEPARATOR, "/"),
            None => {
                let lossy = relative.to_string_lossy().into_owned();
                problems.push(Problem::new(
                    ProblemCode::PathEncoding,
                    Some(&lossy),
                    "file name is not valid UTF-8",
                ));
                continue;
            }
        };
        let file_type = item.file_type();
        let (kind, size) = if file_type.is_dir() {
            (EntryKind::Directory, 0)
        } else if file_type.is_symlink() {
            (EntryKind::Symlink, 0)
        } else if file_type.is_file() {
            (
                EntryKind::File,
                item.metadata().map(|m| m.len()).unwrap_or(0),
            )
        } else {
            (EntryKind::Special(special_kind(&file_type)), 0)
        };
        entries.push(Entry {
            name,
            kind,
            size,
            source: Source::Dir,
        });
    }
    entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    Ok(Bundle {
        path: path.into(),
        form: BundleForm::Directory,
        entries,
        problems,
        warnings: Vec::new(),
        zip_file: None,
        top: String::new(),
    })
}

/// Opens a payload file of a directory bundle, which must be a regular
/// file: a FIFO would block and a symlink would lead outside the bag. The
/// file is opened without following a final symlink and without blocking,
/// then checked through its descriptor, so nothing can be swapped in
/// between the check and the read (and the path is resolved once).
pub(super) fn open_regular_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let not_regular = || io::Error::other("not a regular file");
    let file = options.open(path).map_err(|e| {
        // What O_NOFOLLOW gives for a symlink.
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return not_regular();
        }
        e
    })?;
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(not_regular())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::io::Read;

    #[test]
    fn only_regular_files_are_opened_and_a_fifo_never_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, b"evidence").unwrap();
        let mut read = String::new();
        open_regular_file(&file)
            .unwrap()
            .read_to_string(&mut read)
            .unwrap();
        assert_eq!(read, "evidence");

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        for path in [link, fifo, dir.path().to_path_buf()] {
            let e = open_regular_file(&path).unwrap_err();
            assert_eq!(e.to_string(), "not a regular file", "{}", path.display());
        }
    }
}
