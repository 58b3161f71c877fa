//! Enumerates source files and folders without ever following a symbolic
//! link. Used by `hash` and `seal`; the result is sorted by path bytes so
//! every run over the same tree produces the same order.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// What a source path turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A regular file and its size when it was listed.
    File { size: u64 },
    /// A symbolic link; recorded, never followed.
    Symlink { target: PathBuf },
    /// A folder with nothing in it (BagIt cannot carry it as payload).
    EmptyDir,
    /// A device, socket or FIFO: never read.
    Special { what: &'static str },
}

/// One entry found under a source root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// Where it is on disk (the root as given, joined with the relative part).
    pub path: PathBuf,
    /// The path below the root's parent: the root's own name, then the rest.
    /// `seal` puts the entry at `data/<relative>`.
    pub relative: PathBuf,
    pub kind: SourceKind,
}

/// A path that could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WalkError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// What [`walk_with`] finds out about each entry beyond its kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Do not read each file's metadata: every `SourceKind::File { size }`
    /// is then 0. For callers that learn the size by reading the file
    /// (`exhibit hash`): one system call less per file.
    pub skip_file_sizes: bool,
}

/// Lists everything under `root` (or `root` itself when it is not a folder).
/// Entries come back sorted by `path` bytes; listing errors are returned
/// beside them so one unreadable folder does not stop the rest.
pub fn walk(root: &Path) -> (Vec<SourceEntry>, Vec<WalkError>) {
    walk_with(root, WalkOptions::default())
}

/// [`walk`] with options. Folders are read in parallel, one level of the
/// tree at a time (no recursion, so depth costs no stack); the kind of each
/// entry comes from the folder listing itself, without a `stat` per entry.
pub fn walk_with(root: &Path, options: WalkOptions) -> (Vec<SourceEntry>, Vec<WalkError>) {
    let root_name = root_name(root);
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let meta = match std::fs::symlink_metadata(root) {
        Ok(meta) => meta,
        Err(source) => {
            errors.push(WalkError {
                path: root.to_path_buf(),
                source,
            });
            return (entries, errors);
        }
    };
    if !meta.is_dir() {
        let path = root.to_path_buf();
        match classify(&path, meta.file_type(), || Ok(meta.len())) {
            Ok(kind) => entries.push(SourceEntry {
                path,
                relative: root_name,
                kind,
            }),
            Err(source) => errors.push(WalkError { path, source }),
        }
        return (entries, errors);
    }

    let mut level = vec![(root.to_path_buf(), root_name)];
    while !level.is_empty() {
        let listings: Vec<Listing> = level
            .into_par_iter()
            .map(|(dir, relative)| list_dir(dir, relative, options))
            .collect();
        level = Vec::new();
        for listing in listings {
            entries.extend(listing.entries);
            errors.extend(listing.errors);
            level.extend(listing.subdirs);
        }
    }
    // Paths are unique, so an unstable sort gives the one order.
    entries.par_sort_unstable_by(|a, b| {
        a.path
            .as_os_str()
            .as_encoded_bytes()
            .cmp(b.path.as_os_str().as_encoded_bytes())
    });
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    (entries, errors)
}

/// What one folder holds: entries, errors, and the folders to read next.
#[derive(Default)]
struct Listing {
    entries: Vec<SourceEntry>,
    errors: Vec<WalkError>,
    subdirs: Vec<(PathBuf, PathBuf)>,
}

fn list_dir(dir: PathBuf, relative: PathBuf, options: WalkOptions) -> Listing {
    let mut listing = Listing::default();
    let items = match std::fs::read_dir(&dir) {
        Ok(items) => items,
        Err(source) => {
            listing.errors.push(WalkError { path: dir, source });
            return listing;
        }
    };
    let mut empty = true;
    for item in items {
        empty = false;
        let item = match item {
            Ok(item) => item,
            Err(source) => {
                listing.errors.push(WalkError {
                    path: dir.clone(),
                    source,
                });
                continue;
            }
        };
        let path = item.path();
        let file_type = match item.file_type() {
            Ok(file_type) => file_type,
            Err(source) => {
                listing.errors.push(WalkError { path, source });
                continue;
            }
        };
        let item_relative = relative.join(item.file_name());
        if file_type.is_dir() {
            listing.subdirs.push((path, item_relative));
            continue;
        }
        // `DirEntry::metadata` does not follow links and looks the name up
        // relative to the open folder.
        let size = || {
            if options.skip_file_sizes {
                Ok(0)
            } else {
                item.metadata().map(|m| m.len())
            }
        };
        match classify(&path, file_type, size) {
            Ok(kind) => listing.entries.push(SourceEntry {
                path,
                relative: item_relative,
                kind,
            }),
            Err(source) => listing.errors.push(WalkError { path, source }),
        }
    }
    if empty {
        listing.entries.push(SourceEntry {
            path: dir,
            relative,
            kind: SourceKind::EmptyDir,
        });
    }
    listing
}

/// The kind of a non-folder entry; `size` is asked only for regular files.
fn classify(
    path: &Path,
    file_type: std::fs::FileType,
    size: impl FnOnce() -> io::Result<u64>,
) -> io::Result<SourceKind> {
    if file_type.is_symlink() {
        Ok(SourceKind::Symlink {
            target: std::fs::read_link(path)?,
        })
    } else if file_type.is_file() {
        Ok(SourceKind::File { size: size()? })
    } else {
        Ok(SourceKind::Special {
            what: crate::fsx::special_kind(&file_type),
        })
    }
}

/// The last component of a root as the user named it (`mail/` → `mail`,
/// `.` → the folder's real name).
fn root_name(root: &Path) -> PathBuf {
    match root.file_name() {
        Some(name) => PathBuf::from(name),
        None => std::fs::canonicalize(root)
            .ok()
            .and_then(|p| p.file_name().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("root")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_symlinks_and_empty_dirs_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("case");
        std::fs::create_dir_all(root.join("b/deep")).unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        std::fs::write(root.join("a-c"), b"x").unwrap();
        std::fs::write(root.join("a"), b"").unwrap();
        std::fs::write(root.join("b/deep/f"), b"123").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", root.join("link")).unwrap();
        let (entries, errors) = walk(&root);
        assert!(errors.is_empty());
        let rel: Vec<_> = entries
            .iter()
            .map(|e| e.relative.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            rel,
            [
                "case/a",
                "case/a-c",
                "case/b/deep/f",
                "case/empty",
                "case/link"
            ]
        );
        assert_eq!(entries[2].kind, SourceKind::File { size: 3 });
        assert_eq!(entries[3].kind, SourceKind::EmptyDir);
        assert_eq!(
            entries[4].kind,
            SourceKind::Symlink {
                target: "/etc/passwd".into()
            }
        );
    }

    #[test]
    fn single_file_root_is_its_own_entry() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("disk.img");
        std::fs::write(&file, b"abc").unwrap();
        let (entries, errors) = walk(&file);
        assert!(errors.is_empty());
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].relative, PathBuf::from("disk.img"));
    }

    #[test]
    fn sizes_can_be_skipped_and_depth_costs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().join("case");
        for _ in 0..100 {
            deep.push("d");
        }
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("f"), b"12345").unwrap();
        let root = dir.path().join("case");
        let (sized, errors) = walk(&root);
        assert!(errors.is_empty());
        assert_eq!(sized.len(), 1);
        assert_eq!(sized[0].kind, SourceKind::File { size: 5 });
        let options = WalkOptions {
            skip_file_sizes: true,
        };
        let (unsized_entries, _) = walk_with(&root, options);
        assert_eq!(unsized_entries[0].kind, SourceKind::File { size: 0 });
        assert_eq!(unsized_entries[0].path, sized[0].path);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_root_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::fs::write(dir.path().join("real/f"), b"x").unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("link")).unwrap();
        let (entries, errors) = walk(&dir.path().join("link"));
        assert!(errors.is_empty());
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries[0].kind,
            SourceKind::Symlink {
                target: "real".into()
            }
        );
    }

    #[test]
    fn missing_root_is_an_error() {
        let (entries, errors) = walk(Path::new("/nonexistent/exhibit-test"));
        assert!(entries.is_empty());
        assert_eq!(errors.len(), 1);
    }
}
