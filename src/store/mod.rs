//! Where a bundle lives: a folder, or a zip file holding one top-level
//! folder. Reading lists entries and streams them (a zip is read in place,
//! never extracted); writing stages a new bundle under a temporary name and
//! renames it at the end; appending adds signature and custody files without
//! rewriting the payload, crash-safely.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::digest::Sha256Digest;
use crate::problem::Problem;

mod append;
mod dir;
mod light;
mod planned;
mod replace;
mod stage;
mod zip;
pub mod zip_layout;
mod zip_write;

#[cfg(feature = "crash-points")]
pub use append::crash_points;
pub use append::{AppendLock, Journal};
pub use light::{Listing, PayloadCount, PayloadListing};
pub use planned::{join_segment, ShardZip, WorkFolder, ZipPlacement};
pub use stage::{copy_into_directory, rewrite_into_directory, StagedBundle, StagedFolder};

/// The two forms a bundle can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleForm {
    Directory,
    Zip,
}

impl BundleForm {
    /// `OUT` ending in `.zip` (any case) gives a zip bundle.
    pub fn for_output(path: &Path) -> Self {
        match path.extension() {
            Some(ext) if ext.eq_ignore_ascii_case("zip") => BundleForm::Zip,
            _ => BundleForm::Directory,
        }
    }
}

/// Input that cannot be recognised as a bundle at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: io::Error },
    #[error("{}: not a bundle: {reason}", path.display())]
    NotABundle { path: PathBuf, reason: String },
}

/// A failure while reading or writing inside a bundle.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {error}")]
    Io { path: String, error: io::Error },
    /// Writing a copy failed (a full disk, say); the source read well.
    #[error("{path}: cannot write it: {error}")]
    Write { path: String, error: io::Error },
    #[error("{path}: {size} bytes is more than the {limit} bytes allowed for this file")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: already exists in the bundle")]
    Exists { path: String },
    #[error("{}: already exists", path.display())]
    OutputExists { path: PathBuf },
    #[error("{path}: {reason}")]
    Zip { path: String, reason: String },
}

fn io_err(path: impl std::fmt::Display) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.to_string();
    move |source| StoreError::Io {
        path,
        error: source,
    }
}

/// Whether an entry read through [`Bundle::open_payload`] had the CRC-32
/// its zip records; known once the reader reached the end.
#[derive(Debug, Clone, Default)]
pub struct CrcCheck(Arc<std::sync::atomic::AtomicBool>);

impl CrcCheck {
    pub fn mismatched(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn record_mismatch(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A small file to add to a bundle (a signature record, a custody event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Its bag path (`exhibit/custody/000002.json`).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What an entry of the bundle is (one byte or two: a bundle has millions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Directory,
    Symlink,
    /// A device, FIFO or socket (directory bundles), or a zip entry with
    /// another Unix file type.
    Special(SpecialKind),
}

/// Which kind of special file an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialKind {
    Fifo,
    Socket,
    BlockDevice,
    CharacterDevice,
    Other,
}

impl SpecialKind {
    /// From the name the directory walk gives.
    pub fn from_name(what: &str) -> SpecialKind {
        match what {
            "FIFO" => SpecialKind::Fifo,
            "socket" => SpecialKind::Socket,
            "block device" => SpecialKind::BlockDevice,
            "character device" => SpecialKind::CharacterDevice,
            _ => SpecialKind::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SpecialKind::Fifo => "FIFO",
            SpecialKind::Socket => "socket",
            SpecialKind::BlockDevice => "block device",
            SpecialKind::CharacterDevice => "character device",
            SpecialKind::Other => "special file",
        }
    }
}

impl std::fmt::Display for SpecialKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of a bundle, named relative to the bag root. The name is not
/// yet validated: `verify` checks it before trusting it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
    /// Declared size (zip: uncompressed size from the central directory).
    pub size: u64,
    source: Source,
}

/// Where an entry's data is (24 bytes: the variant sits in `deflated`).
#[derive(Debug, Clone)]
enum Source {
    /// A file of a directory bundle, at the bag root joined with its name.
    Dir,
    /// A file of a folder bundle handed in as sources: `Bundle::given[i]`.
    Given(u32),
    Zip {
        data_start: u64,
        compressed_size: u64,
        /// CRC-32 of the uncompressed data, from the central directory.
        crc32: u32,
        deflated: bool,
    },
    None,
}

/// Where a bundle's bytes come from when they are not read through this
/// machine's file system: a zip file, or one file of a folder bundle, that
/// a browser's person chose, read in slices. Positioned reads, so entries
/// can be read in parallel and nothing is read whole.
pub trait ByteSource: Send + Sync {
    /// Its length in bytes.
    fn size(&self) -> u64;
    /// Reads at `offset`, as `pread` does: 0 at the end.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
}

impl ByteSource for fs::File {
    fn size(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        zip::read_at(self, buf, offset)
    }
}

impl std::fmt::Debug for dyn ByteSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "source of {} bytes", self.size())
    }
}

/// A zip held in memory (small bundles, tests).
impl ByteSource for Vec<u8> {
    fn size(&self) -> u64 {
        self.as_slice().len() as u64
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.as_slice().len());
        let n = buf.len().min(self.as_slice().len() - start);
        buf[..n].copy_from_slice(&self[start..start + n]);
        Ok(n)
    }
}

/// An opened bundle: its form and its listing.
#[derive(Debug)]
pub struct Bundle {
    pub path: PathBuf,
    pub form: BundleForm,
    /// Entries sorted by name bytes (duplicates kept: they are a problem).
    pub entries: Vec<Entry>,
    /// Layout problems found while listing (zip structure, encodings).
    pub problems: Vec<Problem>,
    /// Things worth telling the reader that do not fail verification.
    pub warnings: Vec<Problem>,
    zip_file: Option<Arc<dyn ByteSource>>,
    /// The files of a folder bundle opened with [`Bundle::open_folder_sources`].
    given: Vec<Arc<dyn ByteSource>>,
    /// The zip's top-level folder (empty for directory bundles).
    pub top: String,
    /// Every entry, or the tag files only (`Bundle::open_tag_files`).
    pub listing: Listing,
}

impl Bundle {
    /// A folder bundle as listed (`entries` sorted by name bytes).
    fn directory(
        path: &Path,
        entries: Vec<Entry>,
        problems: Vec<Problem>,
        listing: Listing,
    ) -> Bundle {
        Bundle {
            path: path.into(),
            form: BundleForm::Directory,
            entries,
            problems,
            warnings: Vec::new(),
            zip_file: None,
            given: Vec::new(),
            top: String::new(),
            listing,
        }
    }

    /// A zip bundle as listed, holding the zip open for its entries' bytes.
    fn zip(
        path: &Path,
        opened: zip::OpenedZip,
        top: String,
        entries: Vec<Entry>,
        problems: Vec<Problem>,
        listing: Listing,
    ) -> Bundle {
        Bundle {
            path: path.into(),
            form: BundleForm::Zip,
            entries,
            problems,
            warnings: opened.warnings,
            zip_file: Some(opened.source),
            given: Vec::new(),
            top,
            listing,
        }
    }

    /// Opens a directory or zip bundle. Fails only when the input cannot be
    /// recognised as a bag at all; anything else is listed as a problem.
    pub fn open(path: &Path) -> Result<Bundle, OpenError> {
        let io = |source| OpenError::Io {
            path: path.to_path_buf(),
            error: source,
        };
        let meta = fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return dir::open(path);
        }
        if !meta.is_file() {
            return Err(OpenError::NotABundle {
                path: path.into(),
                reason: "neither a folder nor a zip file".into(),
            });
        }
        if append::sidecar(path, ".journal").exists() {
            // An append may be running: wait for it (best effort: on
            // read-only media there is no lock to take).
            let _running = append::acquire_lock(path, &|| {});
        }
        zip::open(path)
    }

    /// Opens a zip bundle from a source other than a file on this machine
    /// (a browser's file): checked exactly as [`Bundle::open`] checks a
    /// zip file; `name` is what messages call it.
    pub fn open_zip_source(name: &Path, source: Arc<dyn ByteSource>) -> Result<Bundle, OpenError> {
        zip::open_source(name, zip::OpenedZip::from_source(source))
    }

    /// Opens a folder bundle from its files as a browser presents a chosen
    /// folder: `(name from the bag root, bytes)` for each regular file (a
    /// browser shows no links, empty folders or special files, so neither
    /// can this listing). Names are checked as a folder's names are.
    pub fn open_folder_sources(
        name: &Path,
        files: Vec<(String, Arc<dyn ByteSource>)>,
    ) -> Result<Bundle, OpenError> {
        if !files.iter().any(|(file, _)| file == "bagit.txt") {
            return Err(OpenError::NotABundle {
                path: name.into(),
                reason: "no bagit.txt in the folder".into(),
            });
        }
        let mut entries = Vec::with_capacity(files.len());
        let mut given = Vec::with_capacity(files.len());
        for (file, source) in files {
            let Ok(index) = u32::try_from(given.len()) else {
                return Err(OpenError::NotABundle {
                    path: name.into(),
                    reason: "more files than a bundle can hold".into(),
                });
            };
            entries.push(Entry {
                name: file,
                kind: EntryKind::File,
                size: source.size(),
                source: Source::Given(index),
            });
            given.push(source);
        }
        entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        let mut bundle = Bundle::directory(name, entries, Vec::new(), Listing::Full);
        bundle.given = given;
        Ok(bundle)
    }

    /// The first entry with exactly this name.
    pub fn find(&self, name: &str) -> Option<&Entry> {
        let i = self.entries.partition_point(|e| e.name.as_str() < name);
        self.entries.get(i).filter(|e| e.name == name)
    }

    /// Reads a whole entry, refusing anything larger than `limit` bytes.
    pub fn read_entry(&self, entry: &Entry, limit: u64) -> Result<Vec<u8>, StoreError> {
        if entry.size > limit {
            return Err(StoreError::TooLarge {
                path: entry.name.clone(),
                size: entry.size,
                limit,
            });
        }
        let reader = self.open_entry(entry)?;
        let mut bytes = Vec::with_capacity(entry.size as usize);
        reader
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(io_err(&entry.name))?;
        if bytes.len() as u64 > limit {
            return Err(StoreError::TooLarge {
                path: entry.name.clone(),
                size: bytes.len() as u64,
                limit,
            });
        }
        Ok(bytes)
    }

    /// The bundle as received: for a zip, the length and SHA-256 of the
    /// file, read from the very file handle the checks read (so a file
    /// replaced at the same path cannot be the one described); for a
    /// folder, the bytes of the regular files as listed for the checks.
    pub fn as_received(&self) -> Result<(u64, Option<Sha256Digest>), StoreError> {
        let Some(file) = &self.zip_file else {
            let bytes = self
                .entries
                .iter()
                .filter(|e| e.kind == EntryKind::File)
                .fold(0u64, |total, e| total.saturating_add(e.size));
            return Ok((bytes, None));
        };
        // Positioned reads: the checks may be reading the same handle.
        let mut hasher = sha2::Sha256::default();
        let mut buf = vec![0u8; 1 << 20];
        let mut offset = 0u64;
        loop {
            match file.read_at(&mut buf, offset) {
                Ok(0) => break,
                Ok(n) => {
                    sha2::Digest::update(&mut hasher, &buf[..n]);
                    offset += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    return Err(StoreError::Io {
                        path: self.path.display().to_string(),
                        error,
                    })
                }
            }
        }
        Ok((
            offset,
            Some(Sha256Digest(sha2::Digest::finalize(hasher).into())),
        ))
    }

    /// Streams an entry's content. A zip entry yields exactly its declared
    /// size, failing if its data is longer or shorter or its CRC-32 is not
    /// the one the zip records.
    pub fn open_entry(&self, entry: &Entry) -> Result<Box<dyn Read + Send>, StoreError> {
        self.open_entry_with(entry, None)
    }

    /// [`Bundle::open_entry`] for payload checks: a wrong CRC-32 does not
    /// fail the read (so the digests still say what changed) but is noted
    /// in the returned [`CrcCheck`] (always fine for folder bundles).
    pub fn open_payload(
        &self,
        entry: &Entry,
    ) -> Result<(Box<dyn Read + Send>, CrcCheck), StoreError> {
        let check = CrcCheck::default();
        let reader = self.open_entry_with(entry, Some(check.clone()))?;
        Ok((reader, check))
    }

    fn open_entry_with(
        &self,
        entry: &Entry,
        crc_check: Option<CrcCheck>,
    ) -> Result<Box<dyn Read + Send>, StoreError> {
        match (&entry.source, &self.zip_file) {
            (Source::Given(index), _) => {
                let source = self
                    .given
                    .get(*index as usize)
                    .ok_or_else(|| StoreError::Io {
                        path: entry.name.clone(),
                        error: io::Error::other("entry has no data"),
                    })?;
                Ok(Box::new(zip::RangeReader {
                    source: Arc::clone(source),
                    pos: 0,
                    end: entry.size,
                }))
            }
            (Source::Dir, _) => {
                let file = dir::open_regular_file(&self.path.join(&entry.name))
                    .map_err(io_err(&entry.name))?;
                Ok(Box::new(file))
            }
            (
                Source::Zip {
                    data_start,
                    compressed_size,
                    deflated,
                    crc32,
                },
                Some(file),
            ) => {
                let raw = zip::RangeReader {
                    source: Arc::clone(file),
                    pos: *data_start,
                    end: data_start.saturating_add(*compressed_size),
                };
                let inner: Box<dyn Read + Send> = if *deflated {
                    Box::new(flate2::read::DeflateDecoder::new(raw))
                } else {
                    Box::new(raw)
                };
                Ok(Box::new(zip::ExactSize {
                    inner,
                    remaining: entry.size,
                    name: entry.name.clone(),
                    crc32: *crc32,
                    hasher: crc32fast::Hasher::new(),
                    done: false,
                    crc_check,
                }))
            }
            _ => Err(StoreError::Io {
                path: entry.name.clone(),
                error: io::Error::other("entry has no data"),
            }),
        }
    }
}
