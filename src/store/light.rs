//! A light open, for commands that read a bundle's tag files and never its
//! payload listing (`inspect`, `disclose`). [`Bundle::open`] lists and
//! checks every entry, which for a million payload files costs seconds and
//! hundreds of MB; [`Bundle::open_tag_files`] lists only what is outside
//! `data/`:
//!
//! - a zip: the end records and the central directory are read as
//!   [`Bundle::open`] reads them, but streamed, keeping only the records
//!   outside `<top>/data/` (whose local headers are then checked) and a
//!   count and byte total of the payload records. Not checked: the payload
//!   records' local headers and names, the tiling of the file, duplicate
//!   payload names, the zip crate's cross-check (docs/FORMAT.md, section 12).
//! - a folder: the bag root and every folder in it but `data/`; `data/` is
//!   not read at all (nothing is counted: that would cost a `stat` per file).
//!
//! [`Bundle::list_payload`] then gives, when a command needs them, every
//! payload file's name and size and the entries of a few chosen files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::append::{acquire_lock, sidecar};
use super::dir::dir_entry;
use super::zip::{bag_entry, find_top, record_kind, OpenedZip};
use super::zip_layout::{self, Record};
use super::{Bundle, ByteSource, Entry, EntryKind, OpenError, Source, StoreError};
use crate::format::paths::BagPath;
use crate::limits::MAX_TAG_ENTRIES;
use crate::problem::{Problem, ProblemCode};
use crate::walk::{walk, SourceKind};

/// What a bundle's listing holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Every entry ([`Bundle::open`]).
    Full,
    /// Only the entries outside `data/` ([`Bundle::open_tag_files`]).
    TagFiles {
        /// A zip's payload records, counted from its central directory;
        /// `None` for a folder, whose `data/` is not read.
        payload: Option<PayloadCount>,
    },
}

/// The records a zip's central directory lists below `<top>/data/`, folders
/// left out: what the directory declares, neither names nor data checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PayloadCount {
    pub files: u64,
    pub bytes: u64,
}

/// Every payload file of a bundle (see [`Bundle::list_payload`]).
#[derive(Debug, Default)]
pub struct PayloadListing {
    /// Bag path and declared size of every payload file, sorted by path
    /// bytes (a name given twice is a problem, and kept once).
    pub files: Vec<(String, u64)>,
    /// Readable entries of the files the caller chose, sorted by name.
    pub kept: Vec<Entry>,
    /// Names, kinds and entries that `verify` would report.
    pub problems: Vec<Problem>,
}

/// Distinct top-level folders whose payload records are counted apart;
/// the rest are counted together (they are all outside the bag anyway).
const MAX_COUNTED_TOPS: usize = 64;

impl Bundle {
    /// Opens a directory or zip bundle listing only its tag files (module
    /// documentation). Fails as [`Bundle::open`] does, and when more than
    /// [`MAX_TAG_ENTRIES`] entries are outside `data/`.
    pub fn open_tag_files(path: &Path) -> Result<Bundle, OpenError> {
        let meta = fs::metadata(path).map_err(|error| OpenError::Io {
            path: path.to_path_buf(),
            error,
        })?;
        if meta.is_dir() {
            return open_dir(path);
        }
        if !meta.is_file() {
            return Err(OpenError::NotABundle {
                path: path.into(),
                reason: "neither a folder nor a zip file".into(),
            });
        }
        if sidecar(path, ".journal").exists() {
            // As in Bundle::open: wait for a running append (best effort).
            let _running = acquire_lock(path, &|| {});
        }
        open_zip(path)
    }

    /// Whether every entry is listed (false after [`Bundle::open_tag_files`]:
    /// checks that compare the payload with the manifests cannot run).
    pub fn payload_listed(&self) -> bool {
        self.listing == Listing::Full
    }

    /// Every payload file's bag path and size, from the zip's central
    /// directory or the folder's `data/`, and a readable entry for each
    /// file `keep` chooses (by bag path). Names and kinds are checked as
    /// `verify` checks them; nothing else is held per file.
    pub fn list_payload(&self, keep: &dyn Fn(&str) -> bool) -> Result<PayloadListing, StoreError> {
        let mut listing = match &self.zip_file {
            Some(source) => self.list_zip_payload(&**source, keep)?,
            None => list_dir_payload(&self.path, keep),
        };
        listing
            .files
            .sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut twice = Vec::new();
        listing.files.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                twice.push(later.0.clone());
            }
            same
        });
        twice.dedup();
        for name in twice {
            listing.problems.push(Problem::new(
                ProblemCode::PathDuplicate,
                Some(&name),
                "entry appears more than once",
            ));
        }
        listing
            .kept
            .sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        listing.kept.dedup_by(|a, b| a.name == b.name);
        Ok(listing)
    }

    fn list_zip_payload(
        &self,
        file: &dyn ByteSource,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<PayloadListing, StoreError> {
        let file_len = file.size();
        let prefix = format!("{}/data/", self.top);
        let mut listing = PayloadListing::default();
        let mut chosen = Vec::new();
        // The structure was judged by the open; only the records matter here.
        zip_layout::scan(file, file_len, &mut |record| {
            if !record.name.starts_with(prefix.as_bytes())
                || record_kind(&record) == EntryKind::Directory
            {
                return;
            }
            let Some(name) = std::str::from_utf8(&record.name[self.top.len() + 1..]).ok() else {
                listing.problems.push(Problem::new(
                    ProblemCode::PathEncoding,
                    Some(&String::from_utf8_lossy(&record.name)),
                    "zip entry name is not valid UTF-8",
                ));
                return;
            };
            if let Some(problem) = payload_name_problem(name, &record_kind(&record)) {
                listing.problems.push(problem);
                return;
            }
            if keep(name) {
                chosen.push(record.clone());
            }
            listing.files.push((name.to_owned(), record.size));
        })
        .map_err(|reason| StoreError::Zip {
            path: self.path.display().to_string(),
            reason: reason.into(),
        })?;
        for mut record in chosen {
            listing
                .problems
                .extend(zip_layout::check_local_header(file, &mut record));
            if record.data_start.is_none() {
                continue;
            }
            if let Some(entry) = bag_entry(record, &self.top, file_len, &mut listing.problems) {
                listing.kept.push(entry);
            }
        }
        Ok(listing)
    }
}

/// What `verify` reports about a payload entry's name or kind, if anything.
fn payload_name_problem(name: &str, kind: &EntryKind) -> Option<Problem> {
    if let Err(e) = BagPath::parse(name) {
        return Some(Problem::new(
            ProblemCode::PathUnsafe,
            Some(name),
            e.to_string(),
        ));
    }
    let what = match kind {
        EntryKind::File | EntryKind::Directory => return None,
        EntryKind::Symlink => "symbolic link in the bundle (not followed)",
        EntryKind::Special(what) => what.as_str(),
    };
    Some(Problem::new(
        ProblemCode::PathNotRegular,
        Some(name),
        format!("{what} in the payload (not read)"),
    ))
}

fn list_dir_payload(root: &Path, keep: &dyn Fn(&str) -> bool) -> PayloadListing {
    let mut listing = PayloadListing::default();
    let (found, errors) = walk(&root.join("data"));
    listing
        .problems
        .extend(errors.iter().map(|e| unreadable(root, &e.path, &e.source)));
    for item in found.iter() {
        let entry = match dir_entry(item.relative, item.kind) {
            Ok(entry) => entry,
            Err(problem) => {
                listing.problems.push(problem);
                continue;
            }
        };
        if entry.kind == EntryKind::Directory {
            continue;
        }
        if let Some(problem) = payload_name_problem(&entry.name, &entry.kind) {
            listing.problems.push(problem);
            continue;
        }
        listing.files.push((entry.name.clone(), entry.size));
        if keep(&entry.name) {
            listing.kept.push(entry);
        }
    }
    listing
}

fn unreadable(root: &Path, path: &Path, error: &std::io::Error) -> Problem {
    let name = path.strip_prefix(root).unwrap_or(path);
    Problem::new(
        ProblemCode::PayloadUnreadable,
        Some(&name.to_string_lossy()),
        format!("cannot list: {error}"),
    )
}

/// A walked item as an entry named from the bag root (`relative` starts
/// with the walked folder's own name, itself in the bag root).
fn too_many(path: &Path) -> OpenError {
    OpenError::NotABundle {
        path: path.into(),
        reason: format!(
            "more than {MAX_TAG_ENTRIES} entries outside the payload folder data/ (exhibit writes \
             a few per signature and custody event)"
        ),
    }
}

/// The bag root listed, every folder in it walked but `data/`.
fn open_dir(path: &Path) -> Result<Bundle, OpenError> {
    match fs::symlink_metadata(path.join("bagit.txt")) {
        Ok(meta) if meta.is_file() => {}
        _ => {
            return Err(OpenError::NotABundle {
                path: path.into(),
                reason: "no bagit.txt in the folder".into(),
            })
        }
    }
    let items = fs::read_dir(path).map_err(|error| OpenError::Io {
        path: path.into(),
        error,
    })?;
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for item in items {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                problems.push(unreadable(path, path, &e));
                continue;
            }
        };
        let item_path = item.path();
        let file_type = match item.file_type() {
            Ok(file_type) => file_type,
            Err(e) => {
                problems.push(unreadable(path, &item_path, &e));
                continue;
            }
        };
        let relative = PathBuf::from(item.file_name());
        if file_type.is_dir() {
            if relative.as_os_str() == "data" {
                // The payload folder: there, not read.
                entries.push(Entry {
                    name: "data".into(),
                    kind: EntryKind::Directory,
                    size: 0,
                    source: Source::None,
                });
                continue;
            }
            let (found, errors) = walk(&item_path);
            problems.extend(errors.iter().map(|e| unreadable(path, &e.path, &e.source)));
            for found in found.iter() {
                match dir_entry(found.relative, found.kind) {
                    Ok(entry) => entries.push(entry),
                    Err(problem) => problems.push(problem),
                }
            }
        } else {
            let kind = if file_type.is_symlink() {
                SourceKind::Symlink {
                    target: Path::new(""),
                }
            } else if file_type.is_file() {
                match item.metadata() {
                    Ok(meta) => SourceKind::File { size: meta.len() },
                    Err(e) => {
                        problems.push(unreadable(path, &item_path, &e));
                        continue;
                    }
                }
            } else {
                SourceKind::Special {
                    what: crate::fsx::special_kind(&file_type),
                }
            };
            match dir_entry(&relative, kind) {
                Ok(entry) => entries.push(entry),
                Err(problem) => problems.push(problem),
            }
        }
        if entries.len() > MAX_TAG_ENTRIES {
            return Err(too_many(path));
        }
    }
    entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    Ok(Bundle::directory(
        path,
        entries,
        problems,
        Listing::TagFiles { payload: None },
    ))
}

/// The top-level folder of a record below some `<top>/data/`, if it is.
fn payload_top(name: &[u8]) -> Option<&[u8]> {
    let slash = name.iter().position(|&b| b == b'/')?;
    name[slash + 1..]
        .starts_with(b"data/")
        .then_some(&name[..slash])
}

/// The central directory streamed; only the records outside `<top>/data/`
/// kept (and their local headers checked).
fn open_zip(path: &Path) -> Result<Bundle, OpenError> {
    let opened = OpenedZip::open(path)?;
    let not_bundle = |reason: String| opened.not_bundle(path, reason);
    let (file, file_len) = (&*opened.source, opened.len);
    let mut kept: Vec<Record> = Vec::new();
    let mut overflow = false;
    // Payload records per top-level folder: (files, bytes, records).
    let mut counted: BTreeMap<Vec<u8>, (PayloadCount, u64)> = BTreeMap::new();
    let mut stray = 0u64;
    let mut problems = zip_layout::scan(file, file_len, &mut |record| {
        let Some(top) = payload_top(&record.name) else {
            if kept.len() < MAX_TAG_ENTRIES {
                kept.push(record);
            } else {
                overflow = true;
            }
            return;
        };
        if !counted.contains_key(top) {
            if counted.len() >= MAX_COUNTED_TOPS {
                stray += 1;
                return;
            }
            counted.insert(top.to_vec(), Default::default());
        }
        let Some(slot) = counted.get_mut(top) else {
            return;
        };
        slot.1 += 1;
        if record_kind(&record) != EntryKind::Directory {
            slot.0.files += 1;
            slot.0.bytes = slot.0.bytes.saturating_add(record.size);
        }
    })
    .map_err(|reason| not_bundle(reason.into()))?;
    if overflow {
        return Err(too_many(path));
    }
    for record in &mut kept {
        problems.extend(zip_layout::check_local_header(file, record));
    }
    // Entries whose data cannot be located were reported; nothing reads them.
    kept.retain(|r| r.data_start.is_some());
    let top = find_top(&kept, &mut problems).map_err(|reason| not_bundle(reason.into()))?;
    let payload = counted
        .remove(top.as_bytes())
        .map(|(count, _)| count)
        .unwrap_or_default();
    let outside = counted.values().map(|(_, records)| records).sum::<u64>() + stray;
    if outside > 0 {
        problems.push(Problem::new(
            ProblemCode::ZipLayout,
            None,
            format!("{outside} entries below a data/ folder outside the bag folder {top:?}"),
        ));
    }
    let mut entries: Vec<Entry> = kept
        .into_iter()
        .filter_map(|r| bag_entry(r, &top, file_len, &mut problems))
        .collect();
    entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    Ok(Bundle::zip(
        path,
        opened,
        top,
        entries,
        problems,
        Listing::TagFiles {
            payload: Some(payload),
        },
    ))
}
