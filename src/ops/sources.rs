//! What the sources of an operation hold, walked once without following a
//! link, in the order the operation uses them. `seal` and `plan` take them
//! as a bag's payload (`collect_sources`): bag order, and a refusal
//! ([`SourcesError`]) for anything a bag cannot carry. `hash` takes every
//! file under each path ([`list_files`]): path order, and what is not hashed
//! reported beside the files, never refused.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::format::paths::{BagPath, PathError};
use crate::format::seal::SymlinkRecord;
use crate::walk::{walk_with, Listing, SourceEntry, SourceKind, WalkError, WalkOptions};

/// Why the sources cannot be sealed (or planned) as they are.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    #[error("{}: {reason}", path.display())]
    Source { path: PathBuf, reason: String },
    #[error("two sources are both named {0:?}: each source goes to data/<its name>, rename one")]
    DuplicateSource(String),
    #[error("{}: {what} cannot be sealed (only regular files, folders and symbolic links)", path.display())]
    SpecialFile { path: PathBuf, what: &'static str },
    #[error("{0}")]
    Name(#[from] PathError),
}

/// Each root walked in turn, with what below it could not be listed.
fn walk_each(
    roots: &[PathBuf],
    options: WalkOptions,
) -> impl Iterator<Item = (&PathBuf, Listing, Vec<WalkError>)> {
    roots.iter().map(move |root| {
        let (listing, errors) = walk_with(root, options);
        (root, listing, errors)
    })
}

// ---------------------------------------------------------------------------
// a bag's payload: seal and plan

/// One payload file, made from its listing entry when its turn comes.
pub(crate) struct PayloadFile {
    pub(crate) bag_path: BagPath,
    pub(crate) source: PathBuf,
    pub(crate) size: u64,
}

/// What the sources hold, in bag order.
pub(crate) struct Sources {
    listings: Vec<Listing>,
    /// The payload files in bag order, as (listing, entry) indices.
    pub(crate) payload: Vec<(u32, u32)>,
    pub(crate) symlinks: Vec<SymlinkRecord>,
    pub(crate) empty_directories: Vec<String>,
}

impl Sources {
    fn entry(&self, index: usize) -> SourceEntry<'_> {
        let (listing, row) = self.payload[index];
        self.listings[listing as usize].get(row as usize)
    }

    pub(crate) fn size(&self, index: usize) -> u64 {
        match self.entry(index).kind {
            SourceKind::File { size } => size,
            _ => 0,
        }
    }

    pub(crate) fn total_bytes(&self) -> u64 {
        (0..self.payload.len()).map(|i| self.size(i)).sum()
    }

    pub(crate) fn file(&self, index: usize) -> Result<PayloadFile, SourcesError> {
        let entry = self.entry(index);
        Ok(PayloadFile {
            bag_path: BagPath::from_source(entry.relative)?,
            source: entry.path(),
            size: self.size(index),
        })
    }

    pub(crate) fn files(
        &self,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<PayloadFile>, SourcesError> {
        range.into_par_iter().map(|i| self.file(i)).collect()
    }
}

pub(crate) fn collect_sources(sources: &[PathBuf]) -> Result<Sources, SourcesError> {
    collect_sources_with(sources, WalkOptions::default())
}

/// [`collect_sources`], walking with `options`.
pub(crate) fn collect_sources_with(
    sources: &[PathBuf],
    options: WalkOptions,
) -> Result<Sources, SourcesError> {
    let mut listings = Vec::new();
    let mut root_names = BTreeSet::new();
    for (_, listing, errors) in walk_each(sources, options) {
        if let Some(error) = errors.into_iter().next() {
            return Err(SourcesError::Source {
                path: error.path,
                reason: error.source.to_string(),
            });
        }
        if !listing.is_empty() {
            let root = listing
                .get(0)
                .relative
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            if let Some(root) = root {
                if !root_names.insert(root.clone()) {
                    return Err(SourcesError::DuplicateSource(root));
                }
            }
        }
        listings.push(listing);
    }
    let mut payload = Vec::new();
    let mut symlinks = Vec::new();
    let mut empty_directories = Vec::new();
    for (l, listing) in listings.iter().enumerate() {
        // Every name checked before anything is written; the first refusal
        // in path order is the one reported.
        let refused = listing.par_iter().find_map_first(|entry| {
            if let SourceKind::Special { what } = entry.kind {
                return Some(SourcesError::SpecialFile {
                    path: entry.path(),
                    what,
                });
            }
            BagPath::from_source(entry.relative)
                .err()
                .map(SourcesError::from)
        });
        if let Some(error) = refused {
            return Err(error);
        }
        let l = index_u32(l)?;
        for (r, entry) in listing.iter().enumerate() {
            match entry.kind {
                SourceKind::File { .. } => payload.push((l, index_u32(r)?)),
                SourceKind::Symlink { target } => {
                    let target = target.to_str().ok_or_else(|| SourcesError::Source {
                        path: entry.path(),
                        reason: "symbolic link target is not valid UTF-8".into(),
                    })?;
                    symlinks.push(SymlinkRecord {
                        path: BagPath::from_source(entry.relative)?.as_str().into(),
                        target: target.into(),
                    });
                }
                SourceKind::EmptyDir => empty_directories
                    .push(BagPath::from_source(entry.relative)?.as_str().to_string()),
                SourceKind::Special { .. } => {}
            }
        }
    }
    // One listing is in bag order already; several are merged by the same
    // bytes (each bag path is `data/` and the relative path).
    if listings.len() > 1 {
        let bytes = |&(l, r): &(u32, u32)| {
            listings[l as usize]
                .get(r as usize)
                .relative
                .as_os_str()
                .as_encoded_bytes()
        };
        payload.par_sort_unstable_by(|a, b| bytes(a).cmp(bytes(b)));
    }
    symlinks.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    empty_directories.sort();
    Ok(Sources {
        listings,
        payload,
        symlinks,
        empty_directories,
    })
}

fn index_u32(index: usize) -> Result<u32, SourcesError> {
    u32::try_from(index).map_err(|_| SourcesError::Source {
        path: PathBuf::from("."),
        reason: "more than 4,294,967,295 entries in one source".into(),
    })
}

// ---------------------------------------------------------------------------
// every file under some paths: hash

/// How [`list_files`] names the files under a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// Below the path as it was given.
    AsGiven,
    /// Below the path made absolute with every link resolved, as hashdeep
    /// names files (`-r` without `-l`): its audit only matches a name
    /// written the same way. A path that cannot be resolved keeps its
    /// name as given.
    Resolved,
}

/// Something under a path that [`list_files`] leaves out, in the order
/// found: each path's listing errors, then its links and special files.
#[derive(Debug)]
pub enum Skipped {
    /// A path that could not be listed (its files are not hashed).
    Unlisted(WalkError),
    /// A symbolic link: never followed.
    Symlink { path: PathBuf, target: PathBuf },
    /// A device, socket or FIFO: never read.
    Special { path: PathBuf, what: &'static str },
}

/// One path's listing, and the resolved folder its files are named under
/// ([`Naming::Resolved`]).
struct Root {
    listing: Listing,
    resolved: Option<PathBuf>,
}

impl Root {
    fn path(&self, entry: &SourceEntry<'_>) -> PathBuf {
        let path = entry.path();
        match (&self.resolved, path.strip_prefix(self.listing.root())) {
            (Some(base), Ok(below)) if !below.as_os_str().is_empty() => base.join(below),
            (Some(base), _) => base.clone(),
            (None, _) => path,
        }
    }
}

/// The files to hash, in output order (by path bytes). One path's listing
/// is in that order already and is read in place (a few dozen bytes a
/// file); files of several paths are merged into one sorted list of
/// paths, each file once.
pub struct FileList {
    files: Files,
    unlisted: usize,
}

enum Files {
    One(Root, Vec<u32>),
    Merged(Vec<(PathBuf, u64)>),
}

/// Walks every path in the order given, handing what is left out to
/// `skipped` as it is found, and lists the regular files under them.
/// With [`WalkOptions::skip_file_sizes`], every size is 0.
pub fn list_files(
    paths: &[PathBuf],
    naming: Naming,
    options: WalkOptions,
    mut skipped: impl FnMut(Skipped),
) -> FileList {
    let mut roots = Vec::new();
    let mut unlisted = 0;
    for (root, listing, errors) in walk_each(paths, options) {
        let resolved = match naming {
            Naming::Resolved => std::fs::canonicalize(root).ok(),
            Naming::AsGiven => None,
        };
        unlisted += errors.len();
        for error in errors {
            skipped(Skipped::Unlisted(error));
        }
        for entry in listing.iter() {
            match entry.kind {
                SourceKind::Symlink { target } => skipped(Skipped::Symlink {
                    path: entry.path(),
                    target: target.into(),
                }),
                SourceKind::Special { what } => skipped(Skipped::Special {
                    path: entry.path(),
                    what,
                }),
                SourceKind::File { .. } | SourceKind::EmptyDir => {}
            }
        }
        roots.push(Root { listing, resolved });
    }
    FileList {
        files: Files::new(roots),
        unlisted,
    }
}

fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl FileList {
    /// How many files there are to hash.
    pub fn len(&self) -> usize {
        match &self.files {
            Files::One(_, rows) => rows.len(),
            Files::Merged(files) => files.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many paths could not be listed ([`Skipped::Unlisted`]).
    pub fn unlisted(&self) -> usize {
        self.unlisted
    }

    /// File `index`'s size when listed (0 when sizes were skipped).
    pub fn size(&self, index: usize) -> u64 {
        match &self.files {
            Files::One(root, rows) => match root.listing.get(rows[index] as usize).kind {
                SourceKind::File { size } => size,
                _ => 0,
            },
            Files::Merged(files) => files[index].1,
        }
    }

    /// The bytes of every file when listed.
    pub fn total_bytes(&self) -> u64 {
        (0..self.len()).map(|i| self.size(i)).sum()
    }

    /// File `index`: its path, as named, and its size when listed.
    pub fn get(&self, index: usize) -> (PathBuf, u64) {
        match &self.files {
            Files::One(root, rows) => {
                let entry = root.listing.get(rows[index] as usize);
                (root.path(&entry), self.size(index))
            }
            Files::Merged(files) => files[index].clone(),
        }
    }
}

impl Files {
    fn new(mut roots: Vec<Root>) -> Self {
        let is_file = |e: &SourceEntry<'_>| matches!(e.kind, SourceKind::File { .. });
        if roots.len() == 1 {
            let root = roots.remove(0);
            let rows = (0..root.listing.len())
                .filter(|&i| is_file(&root.listing.get(i)))
                .map(|i| i as u32)
                .collect();
            return Files::One(root, rows);
        }
        let mut files: Vec<(PathBuf, u64)> = roots
            .iter()
            .flat_map(|root| {
                root.listing.iter().filter(is_file).map(|e| {
                    let SourceKind::File { size } = e.kind else {
                        unreachable!("filtered to files")
                    };
                    (root.path(&e), size)
                })
            })
            .collect();
        files.par_sort_by(|a, b| path_bytes(&a.0).cmp(path_bytes(&b.0)));
        files.dedup_by(|a, b| a.0 == b.0);
        Files::Merged(files)
    }
}
