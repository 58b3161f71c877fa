//! Directory bundles: listing a bag folder (with the same walker `seal`
//! uses: parallel, never following a link), and opening its payload files
//! safely.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::{Bundle, Entry, EntryKind, OpenError, Source, SpecialKind};
use crate::problem::{Problem, ProblemCode};
use crate::walk::{walk, SourceKind};

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
    // The bundle path may be a link to the folder (the trailing separator
    // follows it, as `ls bundle/` does); links inside it never are.
    let (found, errors) = walk(&path.join(""));
    let mut problems: Vec<Problem> = errors
        .into_iter()
        .map(|error| {
            let name = error.path.strip_prefix(path).unwrap_or(&error.path);
            Problem::new(
                ProblemCode::PayloadUnreadable,
                Some(&name.to_string_lossy()),
                format!("cannot list: {}", error.source),
            )
        })
        .collect();
    let mut entries = Vec::with_capacity(found.len());
    let listing_problems = problems.len();
    found.drain_back(|item| {
        // Named from the bag root: drop the root's own name.
        let relative: PathBuf = item.relative.components().skip(1).collect();
        if relative.as_os_str().is_empty() {
            return;
        }
        match dir_entry(&relative, item.kind) {
            Ok(entry) => entries.push(entry),
            Err(problem) => problems.push(problem),
        }
    });
    // Made last first: back to path order.
    problems[listing_problems..].reverse();
    entries.reverse();
    // In place: a stable sort takes a buffer of half the entries, and a
    // folder's names are unique anyway. (With '/' as the separator the
    // listing's order is this order already; elsewhere it may not be.)
    entries.sort_unstable_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    entries.shrink_to_fit();
    Ok(Bundle::directory(
        path,
        entries,
        problems,
        super::Listing::Full,
    ))
}

/// The entry a listed item named `relative` (from the bag root) stands for.
pub(super) fn dir_entry(relative: &Path, kind: SourceKind<'_>) -> Result<Entry, Problem> {
    let Some(name) = relative.to_str() else {
        return Err(Problem::new(
            ProblemCode::PathEncoding,
            Some(&relative.to_string_lossy()),
            "file name is not valid UTF-8",
        ));
    };
    let (kind, size) = match kind {
        SourceKind::File { size } => (EntryKind::File, size),
        SourceKind::Symlink { .. } => (EntryKind::Symlink, 0),
        SourceKind::EmptyDir => (EntryKind::Directory, 0),
        SourceKind::Special { what } => (EntryKind::Special(SpecialKind::from_name(what)), 0),
    };
    Ok(Entry {
        name: name.replace(std::path::MAIN_SEPARATOR, "/"),
        kind,
        size,
        source: Source::Dir,
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
    // What O_NOFOLLOW gives for a symlink.
    #[cfg(unix)]
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        Some(libc::ELOOP) => not_regular(),
        _ => e,
    })?;
    #[cfg(not(unix))]
    let file = options.open(path)?;
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
