//! Enumerates source files and folders without ever following a symbolic
//! link. Used by `hash`, `seal`, `extract` and for folder bundles; the
//! result is sorted by path bytes so every run over the same tree produces
//! the same order.
//!
//! A listing of a million files is held compactly: every relative path in
//! one byte arena and a 24-byte row per entry (about 45 bytes a file in
//! all), rather than two owned paths per entry (about 200).

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// What a source path turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind<'a> {
    /// A regular file and its size when it was listed.
    File { size: u64 },
    /// A symbolic link; recorded, never followed.
    Symlink { target: &'a Path },
    /// A folder with nothing in it (BagIt cannot carry it as payload).
    EmptyDir,
    /// A device, socket or FIFO: never read.
    Special { what: &'static str },
}

/// One entry found under a source root, borrowed from its [`Listing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceEntry<'a> {
    /// The path below the root's parent: the root's own name, then the rest.
    /// `seal` puts the entry at `data/<relative>`.
    pub relative: &'a Path,
    pub kind: SourceKind<'a>,
    root: &'a Path,
}

impl SourceEntry<'_> {
    /// Where it is on disk: the root as given, joined with the part of
    /// `relative` below the root's name.
    pub fn path(&self) -> PathBuf {
        let mut below = self.relative.components();
        below.next();
        let below = below.as_path();
        if below.as_os_str().is_empty() {
            self.root.to_path_buf()
        } else {
            self.root.join(below)
        }
    }
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

/// Everything found under one root, sorted by path bytes.
#[derive(Debug, Default)]
pub struct Listing {
    root: PathBuf,
    /// Every entry's relative path, one after another.
    names: Vec<u8>,
    rows: Vec<Row>,
    /// Symbolic link targets, indexed by their row's `value`.
    targets: Vec<PathBuf>,
    /// Kinds of special files, indexed by their row's `value`.
    specials: Vec<&'static str>,
}

#[derive(Debug, Clone, Copy)]
struct Row {
    start: u64,
    len: u32,
    kind: RowKind,
    /// A file's size; an index into `targets` or `specials`.
    value: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    File,
    Symlink,
    EmptyDir,
    Special,
}

impl Listing {
    /// The root as it was given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Entry `index` (in path order). Panics when out of range, like a slice.
    pub fn get(&self, index: usize) -> SourceEntry<'_> {
        let row = self.rows[index];
        let kind = match row.kind {
            RowKind::File => SourceKind::File { size: row.value },
            RowKind::Symlink => SourceKind::Symlink {
                target: &self.targets[row.value as usize],
            },
            RowKind::EmptyDir => SourceKind::EmptyDir,
            RowKind::Special => SourceKind::Special {
                what: self.specials[row.value as usize],
            },
        };
        SourceEntry {
            relative: Path::new(os_str(self.name_bytes(&row))),
            kind,
            root: &self.root,
        }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = SourceEntry<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn par_iter(&self) -> impl IndexedParallelIterator<Item = SourceEntry<'_>> + '_ {
        (0..self.len()).into_par_iter().map(|i| self.get(i))
    }

    fn name_bytes(&self, row: &Row) -> &[u8] {
        &self.names[row.start as usize..row.start as usize + row.len as usize]
    }

    fn push(&mut self, relative: &Path, kind: SourceKind<'_>) {
        let bytes = relative.as_os_str().as_encoded_bytes();
        let (kind, value) = match kind {
            SourceKind::File { size } => (RowKind::File, size),
            SourceKind::Symlink { target } => {
                self.targets.push(target.to_path_buf());
                (RowKind::Symlink, self.targets.len() as u64 - 1)
            }
            SourceKind::EmptyDir => (RowKind::EmptyDir, 0),
            SourceKind::Special { what } => {
                self.specials.push(what);
                (RowKind::Special, self.specials.len() as u64 - 1)
            }
        };
        self.rows.push(Row {
            start: self.names.len() as u64,
            len: bytes.len() as u32,
            kind,
            value,
        });
        self.names.extend_from_slice(bytes);
    }

    /// Moves `other`'s entries to the end of this listing.
    fn append(&mut self, other: Listing) {
        let (base, targets, specials) = (
            self.names.len() as u64,
            self.targets.len() as u64,
            self.specials.len() as u64,
        );
        self.names.extend_from_slice(&other.names);
        self.rows.extend(other.rows.into_iter().map(|mut row| {
            row.start += base;
            match row.kind {
                RowKind::Symlink => row.value += targets,
                RowKind::Special => row.value += specials,
                RowKind::File | RowKind::EmptyDir => {}
            }
            row
        }));
        self.targets.extend(other.targets);
        self.specials.extend(other.specials);
    }

    /// Sorts the rows by path bytes, then lays the names out in that order
    /// too (so [`Listing::drain_back`] can give their room back), with no
    /// spare capacity left from growing.
    fn sort(&mut self) {
        let names = &self.names;
        let bytes = |row: &Row| &names[row.start as usize..row.start as usize + row.len as usize];
        // Paths are unique, so an unstable sort gives the one order.
        self.rows
            .par_sort_unstable_by(|a, b| bytes(a).cmp(bytes(b)));
        let mut sorted = Vec::with_capacity(self.names.len());
        for row in &mut self.rows {
            let start = sorted.len() as u64;
            sorted.extend_from_slice(bytes(row));
            row.start = start;
        }
        self.names = sorted;
        self.rows.shrink_to_fit();
    }

    /// Hands every entry to `take`, last first, giving each one's room back
    /// as it goes: a caller that turns a listing into something else never
    /// holds both whole.
    pub fn drain_back(mut self, mut take: impl FnMut(SourceEntry<'_>)) {
        const SHRINK_EVERY: usize = 1 << 16;
        let mut since_shrink = 0;
        while let Some(last) = self.rows.len().checked_sub(1) {
            take(self.get(last));
            let row = self.rows.swap_remove(last);
            self.names.truncate(row.start as usize);
            since_shrink += 1;
            if since_shrink == SHRINK_EVERY {
                self.rows.shrink_to_fit();
                self.names.shrink_to_fit();
                since_shrink = 0;
            }
        }
    }
}

/// The bytes of one name, back as an `OsStr`: they were taken from one
/// whole `OsStr`, so they are its exact encoding.
#[cfg(unix)]
fn os_str(bytes: &[u8]) -> &OsStr {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(bytes)
}

#[cfg(not(unix))]
fn os_str(bytes: &[u8]) -> &OsStr {
    // Elsewhere a name that is not UTF-8 reads back with U+FFFD in it
    // (`seal` refuses such names anyway).
    OsStr::new(std::str::from_utf8(bytes).unwrap_or("\u{fffd}"))
}

/// Lists everything under `root` (or `root` itself when it is not a folder).
/// Entries come back sorted by path bytes; listing errors are returned
/// beside them so one unreadable folder does not stop the rest.
pub fn walk(root: &Path) -> (Listing, Vec<WalkError>) {
    walk_with(root, WalkOptions::default())
}

/// [`walk`] with options. Folders are read in parallel, one level of the
/// tree at a time (no recursion, so depth costs no stack); the kind of each
/// entry comes from the folder listing itself, without a `stat` per entry.
pub fn walk_with(root: &Path, options: WalkOptions) -> (Listing, Vec<WalkError>) {
    let root_name = root_name(root);
    let mut listing = Listing {
        root: root.to_path_buf(),
        ..Listing::default()
    };
    let mut errors = Vec::new();
    let meta = match std::fs::symlink_metadata(root) {
        Ok(meta) => meta,
        Err(source) => {
            errors.push(WalkError {
                path: root.to_path_buf(),
                source,
            });
            return (listing, errors);
        }
    };
    if !meta.is_dir() {
        let target;
        match classify(root, meta.file_type(), || Ok(meta.len())) {
            Ok(Classified::Link(link)) => {
                target = link;
                listing.push(&root_name, SourceKind::Symlink { target: &target });
            }
            Ok(Classified::Other(kind)) => listing.push(&root_name, kind),
            Err(source) => errors.push(WalkError {
                path: root.to_path_buf(),
                source,
            }),
        }
        return (listing, errors);
    }

    let mut level = vec![(root.to_path_buf(), root_name)];
    while !level.is_empty() {
        let found: Vec<Found> = level
            .into_par_iter()
            .map(|(dir, relative)| list_dir(dir, relative, options))
            .collect();
        level = Vec::new();
        for part in found {
            listing.append(part.listing);
            errors.extend(part.errors);
            level.extend(part.subdirs);
        }
    }
    listing.sort();
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    (listing, errors)
}

/// What one folder holds: entries, errors, and the folders to read next.
#[derive(Default)]
struct Found {
    listing: Listing,
    errors: Vec<WalkError>,
    subdirs: Vec<(PathBuf, PathBuf)>,
}

fn list_dir(dir: PathBuf, relative: PathBuf, options: WalkOptions) -> Found {
    let mut found = Found::default();
    let items = match std::fs::read_dir(&dir) {
        Ok(items) => items,
        Err(source) => {
            found.errors.push(WalkError { path: dir, source });
            return found;
        }
    };
    let mut empty = true;
    for item in items {
        empty = false;
        let item = match item {
            Ok(item) => item,
            Err(source) => {
                found.errors.push(WalkError {
                    path: dir.clone(),
                    source,
                });
                continue;
            }
        };
        let file_type = match item.file_type() {
            Ok(file_type) => file_type,
            Err(source) => {
                found.errors.push(WalkError {
                    path: item.path(),
                    source,
                });
                continue;
            }
        };
        let item_relative = relative.join(item.file_name());
        if file_type.is_dir() {
            found.subdirs.push((item.path(), item_relative));
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
        let path = item.path();
        match classify(&path, file_type, size) {
            Ok(Classified::Link(target)) => found
                .listing
                .push(&item_relative, SourceKind::Symlink { target: &target }),
            Ok(Classified::Other(kind)) => found.listing.push(&item_relative, kind),
            Err(source) => found.errors.push(WalkError { path, source }),
        }
    }
    if empty {
        found.listing.push(&relative, SourceKind::EmptyDir);
    }
    found
}

enum Classified {
    Link(PathBuf),
    Other(SourceKind<'static>),
}

/// The kind of a non-folder entry; `size` is asked only for regular files.
fn classify(
    path: &Path,
    file_type: std::fs::FileType,
    size: impl FnOnce() -> io::Result<u64>,
) -> io::Result<Classified> {
    if file_type.is_symlink() {
        Ok(Classified::Link(std::fs::read_link(path)?))
    } else if file_type.is_file() {
        Ok(Classified::Other(SourceKind::File { size: size()? }))
    } else {
        Ok(Classified::Other(SourceKind::Special {
            what: crate::fsx::special_kind(&file_type),
        }))
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
        assert_eq!(entries.get(2).kind, SourceKind::File { size: 3 });
        assert_eq!(entries.get(2).path(), root.join("b/deep/f"));
        assert_eq!(entries.get(3).kind, SourceKind::EmptyDir);
        assert_eq!(entries.get(3).path(), root.join("empty"));
        assert_eq!(
            entries.get(4).kind,
            SourceKind::Symlink {
                target: Path::new("/etc/passwd")
            }
        );
    }

    #[test]
    fn order_is_by_whole_path_bytes_across_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("case");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(root.join("a b")).unwrap();
        std::fs::write(root.join("a/b"), b"1").unwrap();
        std::fs::write(root.join("a b/c"), b"2").unwrap();
        std::fs::write(root.join("a.txt"), b"3").unwrap();
        std::fs::write(root.join("a-b"), b"4").unwrap();
        let (entries, errors) = walk(&root);
        assert!(errors.is_empty());
        let rel: Vec<_> = entries
            .iter()
            .map(|e| e.relative.to_string_lossy().into_owned())
            .collect();
        // ' ' < '-' < '.' < '/': a folder's files sort after "a.txt".
        assert_eq!(rel, ["case/a b/c", "case/a-b", "case/a.txt", "case/a/b"]);
        assert_eq!(entries.get(3).path(), root.join("a/b"));
    }

    #[test]
    fn single_file_root_is_its_own_entry() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("disk.img");
        std::fs::write(&file, b"abc").unwrap();
        let (entries, errors) = walk(&file);
        assert!(errors.is_empty());
        assert_eq!(entries.len(), 1);
        assert_eq!(entries.get(0).relative, Path::new("disk.img"));
        assert_eq!(entries.get(0).path(), file);
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
        assert_eq!(sized.get(0).kind, SourceKind::File { size: 5 });
        let options = WalkOptions {
            skip_file_sizes: true,
        };
        let (unsized_entries, _) = walk_with(&root, options);
        assert_eq!(unsized_entries.get(0).kind, SourceKind::File { size: 0 });
        assert_eq!(unsized_entries.get(0).path(), sized.get(0).path());
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
            entries.get(0).kind,
            SourceKind::Symlink {
                target: Path::new("real")
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
