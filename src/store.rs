//! Where a bundle lives: a folder, or a zip file holding one top-level
//! folder. Reading lists entries and streams them (a zip is read in place,
//! never extracted); writing stages a new bundle under a temporary name and
//! renames it at the end; appending adds signature and custody files without
//! rewriting the payload, crash-safely.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::digest::{hash_stream, FileDigest, PIPELINE_THRESHOLD};
use crate::report::{Problem, ProblemCode};
use crate::time::UtcTime;

/// Deflate cannot expand data more than about 1032 times; a zip entry that
/// declares more is lying (a zip bomb) and is not read.
const MAX_DEFLATE_RATIO: u64 = 1100;

/// Large entries' data starts on a multiple of this in a zip we write.
const PAGE_SIZE: u16 = 4096;

/// Gathers headers and small files into fewer writes. Smaller than the
/// hashing pipeline's buffers, so large files' chunks bypass it and go to
/// the kernel straight from their page-aligned buffers (an unaligned copy
/// into the page cache is several times slower; see digest::PAGE).
const ZIP_WRITE_BUFFER: usize = 64 << 10;

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

/// What an entry of the bundle is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Directory,
    Symlink,
    /// A device, FIFO or socket (directory bundles only).
    Special(&'static str),
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

#[derive(Debug, Clone)]
enum Source {
    /// A file of a directory bundle, at the bag root joined with its name.
    Dir,
    Zip {
        data_start: u64,
        compressed_size: u64,
        deflated: bool,
    },
    None,
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
    zip_file: Option<Arc<File>>,
    /// The zip's top-level folder (empty for directory bundles).
    pub top: String,
}

impl Bundle {
    /// Opens a directory or zip bundle. Fails only when the input cannot be
    /// recognised as a bag at all; anything else is listed as a problem.
    pub fn open(path: &Path) -> Result<Bundle, OpenError> {
        let io = |source| OpenError::Io {
            path: path.to_path_buf(),
            error: source,
        };
        let meta = fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return open_directory(path);
        }
        if !meta.is_file() {
            return Err(OpenError::NotABundle {
                path: path.into(),
                reason: "neither a folder nor a zip file".into(),
            });
        }
        if sidecar(path, ".journal").exists() {
            // An append may be running: wait for it (best effort: on
            // read-only media there is no lock to take).
            let _running = acquire_lock(path, &|| {});
        }
        open_zip(path)
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

    /// Streams an entry's content. A zip entry yields at most its declared
    /// size and fails if its data is longer or shorter.
    pub fn open_entry(&self, entry: &Entry) -> Result<Box<dyn Read + Send>, StoreError> {
        match (&entry.source, &self.zip_file) {
            (Source::Dir, _) => {
                let file =
                    open_regular_file(&self.path.join(&entry.name)).map_err(io_err(&entry.name))?;
                Ok(Box::new(file))
            }
            (
                Source::Zip {
                    data_start,
                    compressed_size,
                    deflated,
                },
                Some(file),
            ) => {
                let raw = RangeReader {
                    file: Arc::clone(file),
                    pos: *data_start,
                    end: data_start.saturating_add(*compressed_size),
                };
                let inner: Box<dyn Read + Send> = if *deflated {
                    Box::new(flate2::read::DeflateDecoder::new(raw))
                } else {
                    Box::new(raw)
                };
                Ok(Box::new(ExactSize {
                    inner,
                    remaining: entry.size,
                    name: entry.name.clone(),
                }))
            }
            _ => Err(StoreError::Io {
                path: entry.name.clone(),
                error: io::Error::other("entry has no data"),
            }),
        }
    }

    /// The bag root of a directory bundle.
    pub fn root_dir(&self) -> Option<&Path> {
        match self.form {
            BundleForm::Directory => Some(&self.path),
            BundleForm::Zip => None,
        }
    }
}

fn open_directory(path: &Path) -> Result<Bundle, OpenError> {
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

#[cfg(unix)]
fn special_kind(file_type: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "special file"
}

const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;
const S_IFREG: u32 = 0o100000;
const S_IFDIR: u32 = 0o040000;

fn open_zip(path: &Path) -> Result<Bundle, OpenError> {
    let not_bundle = |reason: String| OpenError::NotABundle {
        path: path.into(),
        reason,
    };
    let file = File::open(path).map_err(|source| OpenError::Io {
        path: path.into(),
        error: source,
    })?;
    // After an interrupted append, read the zip as it was before it: the
    // bundle is never modified by reading (writers roll back under the lock).
    let journal = read_journal(path).ok().flatten();
    let mut warnings = Vec::new();
    let (file_len, reader): (u64, Box<dyn ReadSeek + '_>) = match &journal {
        Some(journal) => {
            warnings.push(Problem::new(
                ProblemCode::ZipInterruptedAppend,
                None,
                "an append to this zip was interrupted; reading it as it was before that append",
            ));
            let view = JournaledView {
                file: &file,
                journal,
                pos: 0,
            };
            (journal.original_len, Box::new(Windowed::new(view)))
        }
        None => (
            file.metadata().map(|m| m.len()).unwrap_or(0),
            Box::new(Windowed::new(&file)),
        ),
    };
    let archive = ZipArchive::new(reader)
        .map_err(|e| not_bundle(format!("not a readable zip file ({e})")))?;

    // Raw names first, to find the folder that holds the bag. Only the
    // central directory is read here; each local header is read once, by
    // check_zip_structure, which also finds where each entry's data starts.
    let mut raw = Vec::with_capacity(archive.len());
    let mut problems = Vec::new();
    for index in 0..archive.len() {
        match archive.by_index_data(index) {
            Ok(entry) => {
                let mode = entry.unix_mode().map(|m| m & S_IFMT);
                let kind = if entry.name_raw().ends_with(b"/") || mode == Some(S_IFDIR) {
                    EntryKind::Directory
                } else if mode == Some(S_IFLNK) {
                    EntryKind::Symlink
                } else if mode.is_none() || mode == Some(S_IFREG) || mode == Some(0) {
                    EntryKind::File
                } else {
                    EntryKind::Special("special file")
                };
                raw.push(RawZipEntry {
                    name: entry.name_raw().to_vec(),
                    header_start: entry.header_start(),
                    kind,
                    size: entry.size(),
                    compressed_size: entry.compressed_size(),
                    data_start: None,
                    method: entry.compression(),
                    encrypted: entry.encrypted(),
                });
            }
            Err(e) => problems.push(Problem::new(
                ProblemCode::ZipEntry,
                archive
                    .name_for_index(index)
                    .and_then(Result::ok)
                    .as_deref(),
                format!("zip entry #{index} cannot be read: {e}"),
            )),
        }
    }
    let (archive_offset, cd_start) = (archive.offset(), archive.central_directory_start());
    drop(archive);
    problems.extend(check_zip_structure(
        &file,
        &mut raw,
        archive_offset,
        cd_start,
    ));
    // Entries whose data cannot be located were reported; nothing reads them.
    raw.retain(|e| e.data_start.is_some());

    let mut tops: Vec<&[u8]> = raw
        .iter()
        .filter_map(|e| {
            e.name
                .strip_suffix(b"/bagit.txt")
                .filter(|top| !top.contains(&b'/') && !top.is_empty())
        })
        .collect();
    tops.sort();
    tops.dedup();
    let top = match tops.first() {
        Some(top) => String::from_utf8(top.to_vec())
            .map_err(|_| not_bundle("top-level folder name is not UTF-8".into()))?,
        None => return Err(not_bundle("no top-level folder holding bagit.txt".into())),
    };
    if tops.len() > 1 {
        problems.push(Problem::new(
            ProblemCode::ZipLayout,
            None,
            format!(
                "{} top-level folders hold a bagit.txt; verifying {top:?}",
                tops.len()
            ),
        ));
    }
    let prefix = format!("{top}/");
    if !crate::paths::BagPath::parse(&top).is_ok_and(|p| p.components().count() == 1) {
        problems.push(Problem::new(
            ProblemCode::PathUnsafe,
            Some(&top),
            "unsafe top-level folder name",
        ));
    }

    let mut entries = Vec::with_capacity(raw.len());
    for e in raw {
        let Ok(full) = String::from_utf8(e.name.clone()) else {
            let lossy = String::from_utf8_lossy(&e.name).into_owned();
            problems.push(Problem::new(
                ProblemCode::PathEncoding,
                Some(&lossy),
                "zip entry name is not valid UTF-8",
            ));
            continue;
        };
        let Some(name) = full.strip_prefix(&prefix) else {
            if full != prefix {
                problems.push(Problem::new(
                    ProblemCode::ZipLayout,
                    Some(&full),
                    format!("entry outside the bag folder {top:?}"),
                ));
            }
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let name = name.strip_suffix('/').unwrap_or(name).to_string();
        if e.kind == EntryKind::Directory {
            if e.size > 0 || e.compressed_size > 0 {
                problems.push(Problem::new(
                    ProblemCode::ZipEntry,
                    Some(&name),
                    "directory entry carries data",
                ));
            }
            entries.push(Entry {
                name,
                kind: EntryKind::Directory,
                size: 0,
                source: Source::None,
            });
            continue;
        }
        let deflated = match e.method {
            CompressionMethod::Stored => false,
            CompressionMethod::Deflated => true,
            other => {
                problems.push(Problem::new(
                    ProblemCode::ZipEntry,
                    Some(&name),
                    format!("unsupported compression method {other:?}"),
                ));
                entries.push(Entry {
                    name,
                    kind: e.kind,
                    size: e.size,
                    source: Source::None,
                });
                continue;
            }
        };
        // Always known here: entries without it were dropped above.
        let Some(data_start) = e.data_start else {
            continue;
        };
        let mut source = Source::Zip {
            data_start,
            compressed_size: e.compressed_size,
            deflated,
        };
        let lie = if e.encrypted {
            Some("entry is encrypted".to_string())
        } else if data_start
            .checked_add(e.compressed_size)
            .is_none_or(|end| end > file_len)
        {
            Some("entry data runs past the end of the zip file".to_string())
        } else if !deflated && e.size != e.compressed_size {
            Some(format!(
                "stored entry declares {} bytes but holds {}",
                e.size, e.compressed_size
            ))
        } else if deflated
            && e.size
                > e.compressed_size
                    .saturating_mul(MAX_DEFLATE_RATIO)
                    .max(1 << 20)
        {
            Some(format!(
                "declared size {} is impossible for {} compressed bytes (zip bomb)",
                e.size, e.compressed_size
            ))
        } else {
            None
        };
        if let Some(reason) = lie {
            problems.push(Problem::new(ProblemCode::ZipEntry, Some(&name), reason));
            source = Source::None;
        }
        entries.push(Entry {
            name,
            kind: e.kind,
            size: e.size,
            source,
        });
    }
    entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    Ok(Bundle {
        path: path.into(),
        form: BundleForm::Zip,
        entries,
        problems,
        warnings,
        zip_file: Some(Arc::new(file)),
        top,
    })
}

/// A read buffer that survives seeks: the zip crate seeks about to find the
/// end records, then reads the central directory in many small reads, and
/// a plain `BufReader` would throw its buffer away at every seek.
struct Windowed<R> {
    inner: R,
    buf: Vec<u8>,
    /// File offset of `buf[0]`.
    start: u64,
    pos: u64,
}

impl<R: Read + Seek> Windowed<R> {
    const WINDOW: usize = 64 << 10;

    fn new(inner: R) -> Self {
        Windowed {
            inner,
            buf: Vec::new(),
            start: 0,
            pos: 0,
        }
    }
}

impl<R: Read + Seek> Read for Windowed<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let in_window = self.pos >= self.start && self.pos < self.start + self.buf.len() as u64;
        if !in_window {
            self.inner.seek(SeekFrom::Start(self.pos))?;
            self.buf.resize(Self::WINDOW, 0);
            let mut filled = 0;
            while filled < self.buf.len() {
                match self.inner.read(&mut self.buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            self.buf.truncate(filled);
            self.start = self.pos;
            if filled == 0 {
                return Ok(0);
            }
        }
        let offset = (self.pos - self.start) as usize;
        let n = (self.buf.len() - offset).min(out.len());
        out[..n].copy_from_slice(&self.buf[offset..offset + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for Windowed<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(n) => n,
            SeekFrom::End(_) => self.inner.seek(to)?,
            SeekFrom::Current(d) => self.pos.checked_add_signed(d).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "seek before the start")
            })?,
        };
        Ok(self.pos)
    }
}

/// Longest run of bytes allowed between two entries: a data descriptor
/// (signature, CRC and zip64 sizes) and never room for a hidden entry, whose
/// local header alone takes 30 bytes.
const MAX_ZIP_GAP: u64 = 24;

/// What the zip crate does not check, and a verifier must: every central
/// directory record points at a local header with the same name and sizes,
/// and the entries tile the file up to the central directory without
/// overlaps or gaps. A gap is where a second entry of the same name hides
/// (the crate keeps one entry per name); an overlap lets two names share
/// bytes. Only the local header's fixed 30 bytes and its name are read.
fn check_zip_structure(
    file: &File,
    entries: &mut [RawZipEntry],
    offset: u64,
    cd_start: u64,
) -> Vec<Problem> {
    let shown = |name: &[u8]| String::from_utf8_lossy(name).into_owned();
    // One positioned read per entry (fixed fields and name), in parallel:
    // a bundle of a million small files has a million local headers.
    let headers: Vec<(Option<String>, Option<u64>)> = entries
        .par_iter()
        .map(|e| read_local_header(file, e))
        .collect();
    let mut problems = Vec::new();
    let mut spans = Vec::with_capacity(entries.len());
    for (e, (reason, data_start)) in entries.iter_mut().zip(headers) {
        if let Some(reason) = reason {
            problems.push(Problem::new(
                ProblemCode::ZipEntry,
                Some(&shown(&e.name)),
                reason,
            ));
        }
        e.data_start = data_start;
        // An entry without a readable header spans its header alone.
        let end = data_start.map_or(e.header_start.saturating_add(30), |start| {
            start.saturating_add(e.compressed_size)
        });
        spans.push((e.header_start, end, &e.name));
    }
    spans.sort();
    let mut expected = offset;
    let mut previous: Option<&[u8]> = None;
    for (start, end, name) in spans {
        if start < expected {
            let other = previous.map(shown).unwrap_or_default();
            problems.push(Problem::new(
                ProblemCode::ZipLayout,
                Some(&shown(name)),
                format!("overlaps entry {other:?}"),
            ));
        } else if start - expected > MAX_ZIP_GAP {
            problems.push(Problem::new(
                ProblemCode::ZipLayout,
                Some(&shown(name)),
                format!(
                    "{} unlisted bytes before this entry: a hidden or duplicate entry?",
                    start - expected
                ),
            ));
        }
        expected = expected.max(end);
        previous = Some(name);
    }
    if cd_start > expected && cd_start - expected > MAX_ZIP_GAP {
        problems.push(Problem::new(
            ProblemCode::ZipLayout,
            None,
            format!(
                "{} unlisted bytes before the central directory: a hidden or duplicate entry?",
                cd_start - expected
            ),
        ));
    }
    problems
}

/// Reads an entry's local header and checks it against the central
/// directory: same name, same sizes. Returns the problem, if any, and where
/// the entry's data starts (after the header's name and extra field).
fn read_local_header(file: &File, e: &RawZipEntry) -> (Option<String>, Option<u64>) {
    let mut header = vec![0u8; 30 + e.name.len()];
    if read_exact_at(file, &mut header, e.header_start).is_err() || header[..4] != *b"PK\x03\x04" {
        return (
            Some("no local header where the central directory points".to_string()),
            None,
        );
    }
    let field16 = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
    let field32 = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let Some(data_start) = e
        .header_start
        .checked_add(30 + u64::from(field16(26)) + u64::from(field16(28)))
        .filter(|start| start.checked_add(e.compressed_size).is_some())
    else {
        return (Some("data beyond any possible file size".to_string()), None);
    };
    let name = &header[30..];
    let reason = if field16(26) as usize != e.name.len() || name != e.name {
        Some(format!(
            "local header names {:?}",
            String::from_utf8_lossy(name)
        ))
    } else if field16(6) & 0x8 == 0
        && field32(18) != u32::MAX
        && field32(22) != u32::MAX
        && (u64::from(field32(18)) != e.compressed_size || u64::from(field32(22)) != e.size)
    {
        Some(format!(
            "local header says {} bytes ({} stored), the central directory {} ({})",
            field32(22),
            field32(18),
            e.size,
            e.compressed_size
        ))
    } else {
        None
    };
    (reason, Some(data_start))
}

fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_at(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

struct RawZipEntry {
    name: Vec<u8>,
    header_start: u64,
    kind: EntryKind,
    size: u64,
    compressed_size: u64,
    /// Known once the local header has been read (check_zip_structure).
    data_start: Option<u64>,
    method: CompressionMethod,
    encrypted: bool,
}

/// Reads one byte range of a shared file with positioned reads, so many
/// entries of one zip can be read in parallel.
struct RangeReader {
    file: Arc<File>,
    pos: u64,
    end: u64,
}

impl Read for RangeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = (self.end.saturating_sub(self.pos)).min(buf.len() as u64) as usize;
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(&self.file, &mut buf[..want], self.pos)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "zip file is truncated",
            ));
        }
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

/// Yields exactly the declared number of bytes, failing on more or fewer.
struct ExactSize {
    inner: Box<dyn Read + Send>,
    remaining: u64,
    name: String,
}

impl Read for ExactSize {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            // One probe byte: data beyond the declared size is a lie.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: more data than its declared size", self.name),
                )),
            };
        }
        let want = self.remaining.min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "{}: {} bytes short of its declared size",
                    self.name, self.remaining
                ),
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------
// Writing a new bundle

/// A bundle being written under a temporary name beside its final path.
/// Dropping it without [`StagedBundle::commit`] removes everything.
pub struct StagedBundle {
    out: PathBuf,
    kind: Staging,
}

enum Staging {
    Directory(tempfile::TempDir),
    Zip {
        writer: Box<ZipWriter<BufWriter<File>>>,
        temp: tempfile::TempPath,
        top: String,
        options: SimpleFileOptions,
    },
}

impl StagedBundle {
    /// Starts a bundle that will appear at `out` (which must not exist).
    pub fn create(out: &Path, time: UtcTime) -> Result<Self, StoreError> {
        if fs::symlink_metadata(out).is_ok() {
            return Err(StoreError::OutputExists { path: out.into() });
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "bundle".into());
        let prefix = format!(".{name}.partial-");
        let kind = match BundleForm::for_output(out) {
            BundleForm::Directory => Staging::Directory(
                tempfile::Builder::new()
                    .prefix(&prefix)
                    .tempdir_in(&parent)
                    .map_err(io_err(parent.display()))?,
            ),
            BundleForm::Zip => {
                let temp = tempfile::Builder::new()
                    .prefix(&prefix)
                    .tempfile_in(&parent)
                    .map_err(io_err(parent.display()))?;
                let (file, temp) = temp.into_parts();
                let top = out
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "bundle".into());
                Staging::Zip {
                    writer: Box::new(ZipWriter::new(BufWriter::with_capacity(
                        ZIP_WRITE_BUFFER,
                        file,
                    ))),
                    temp,
                    top,
                    options: zip_options(time),
                }
            }
        };
        Ok(StagedBundle {
            out: out.into(),
            kind,
        })
    }

    /// The temporary path, so an interrupt handler can remove it.
    pub fn temp_path(&self) -> &Path {
        match &self.kind {
            Staging::Directory(dir) => dir.path(),
            Staging::Zip { temp, .. } => temp,
        }
    }

    /// The bag root of a directory bundle being written, for writers that
    /// fill it in parallel.
    pub fn directory_root(&self) -> Option<&Path> {
        match &self.kind {
            Staging::Directory(dir) => Some(dir.path()),
            Staging::Zip { .. } => None,
        }
    }

    /// Copies `source` to `name` while hashing it (one read pass).
    pub fn write_stream(
        &mut self,
        name: &str,
        size_hint: u64,
        source: &mut (dyn Read + Send),
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<FileDigest, StoreError> {
        match &mut self.kind {
            Staging::Directory(dir) => {
                copy_into_directory(dir.path(), name, size_hint, source, progress)
            }
            Staging::Zip {
                writer,
                top,
                options,
                ..
            } => {
                let full = format!("{top}/{name}");
                let mut options = options.large_file(size_hint >= u32::MAX as u64 / 2);
                if size_hint >= PIPELINE_THRESHOLD {
                    // Data that starts on a page boundary, like the buffers
                    // it comes from, is copied into the page cache several
                    // times faster (see digest::PAGE); the padding is a
                    // standard Data Stream Alignment field (APPNOTE 4.6.11).
                    options = options.with_alignment(PAGE_SIZE);
                }
                writer
                    .start_file(full.as_str(), options)
                    .map_err(zip_err(&full))?;
                hash_stream(source, size_hint, Some(writer), progress).map_err(io_err(name))
            }
        }
    }

    /// Creates the payload folder `data/`, which a bag must have even when
    /// the payload is empty.
    pub fn write_payload_dir(&mut self) -> Result<(), StoreError> {
        match &mut self.kind {
            Staging::Directory(dir) => {
                fs::create_dir_all(dir.path().join("data")).map_err(io_err("data"))
            }
            Staging::Zip {
                writer,
                top,
                options,
                ..
            } => {
                let name = format!("{top}/data/");
                writer
                    .add_directory(name.as_str(), options.unix_permissions(0o755))
                    .map_err(zip_err(&name))
            }
        }
    }

    /// Writes a small file held in memory.
    pub fn write_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.write_stream(name, bytes.len() as u64, &mut &bytes[..], &|_| {})
            .map(|_| ())
    }

    /// Finishes the bundle and renames it to its final path.
    pub fn commit(self) -> Result<PathBuf, StoreError> {
        let out = self.out;
        match self.kind {
            Staging::Directory(dir) => {
                if fs::symlink_metadata(&out).is_ok() {
                    return Err(StoreError::OutputExists { path: out });
                }
                sync_dir(dir.path());
                // Temporary folders are private (0700); a bundle is not.
                set_mode(dir.path(), 0o755);
                let temp = dir.keep();
                if let Err(source) = fs::rename(&temp, &out) {
                    let _ = fs::remove_dir_all(&temp);
                    return Err(StoreError::Io {
                        path: out.display().to_string(),
                        error: source,
                    });
                }
            }
            Staging::Zip { writer, temp, .. } => {
                let buffered = writer.finish().map_err(zip_err(out.display()))?;
                let file = buffered.into_inner().map_err(|e| StoreError::Io {
                    path: out.display().to_string(),
                    error: e.into_error(),
                })?;
                file.sync_all().map_err(io_err(out.display()))?;
                set_mode(&temp, 0o644);
                temp.persist_noclobber(&out).map_err(|e| StoreError::Io {
                    path: out.display().to_string(),
                    error: e.error,
                })?;
            }
        }
        if let Some(parent) = out.parent() {
            sync_dir(if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            });
        }
        Ok(out)
    }
}

/// Copies one file into a directory bag (used in parallel by `seal`).
pub fn copy_into_directory(
    root: &Path,
    name: &str,
    size_hint: u64,
    source: &mut (dyn Read + Send),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FileDigest, StoreError> {
    let path = root.join(name);
    let create = || OpenOptions::new().write(true).create_new(true).open(&path);
    // Folders are made only when missing: creating files is the expensive
    // part of copying many small files, do not add syscalls to it.
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(io_err(name))?;
            }
            create()
        }
        other => other,
    }
    .map_err(io_err(name))?;
    hash_stream(source, size_hint, Some(&mut file), progress).map_err(io_err(name))
}

/// Opens a payload file of a directory bundle, which must be a regular
/// file: a FIFO would block and a symlink would lead outside the bag. The
/// file is opened without following a final symlink and without blocking,
/// then checked through its descriptor, so nothing can be swapped in
/// between the check and the read (and the path is resolved once).
fn open_regular_file(path: &Path) -> io::Result<File> {
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

fn zip_options(time: UtcTime) -> SimpleFileOptions {
    let (year, month, day, hour, minute, second) = time.civil();
    // Zip timestamps cannot go before 1980; clamp so any --time works.
    let stamp = if year < 1980 {
        zip::DateTime::default()
    } else {
        zip::DateTime::from_date_and_time(
            year as u16,
            month as u8,
            day as u8,
            hour as u8,
            minute as u8,
            second as u8,
        )
        .unwrap_or_default()
    };
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(stamp)
        .unix_permissions(0o644)
}

fn zip_err(path: impl std::fmt::Display) -> impl FnOnce(zip::result::ZipError) -> StoreError {
    let path = path.to_string();
    move |e| StoreError::Zip {
        path,
        reason: e.to_string(),
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

fn sync_dir(path: &Path) {
    // Best effort: not every platform can fsync a folder.
    if let Ok(dir) = File::open(path) {
        let _ = dir.sync_all();
    }
}

// ---------------------------------------------------------------------------
// Appending to an existing bundle

/// An exclusive lock on a bundle for appending (a lock file beside it,
/// released when dropped or when the process dies).
pub struct AppendLock {
    _file: File,
    path: PathBuf,
}

impl Drop for AppendLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Takes the bundle's lock file exclusively, waiting if another process
/// holds it.
fn acquire_lock(path: &Path, on_wait: &dyn Fn()) -> Result<AppendLock, StoreError> {
    let lock_path = sidecar(path, ".lock");
    let shown = || lock_path.display().to_string();
    let mut waited = false;
    loop {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(shown()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                if !waited {
                    on_wait();
                    waited = true;
                }
                file.lock().map_err(io_err(shown()))?;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(StoreError::Io {
                    path: shown(),
                    error: e,
                })
            }
        }
        // The holder before us deletes the lock file when it is done; a
        // lock on a deleted file protects nothing, so take it again.
        if same_file(&file, &lock_path) {
            return Ok(AppendLock {
                _file: file,
                path: lock_path,
            });
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

fn sidecar(bundle: &Path, suffix: &str) -> PathBuf {
    let mut name = bundle
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    bundle.with_file_name(name)
}

impl Bundle {
    /// Takes the bundle's append lock, waiting while another process holds
    /// it (`on_wait` is called once if it has to wait).
    pub fn lock(path: &Path, on_wait: &dyn Fn()) -> Result<AppendLock, StoreError> {
        let lock = acquire_lock(path, on_wait)?;
        rollback_interrupted_append(path).map_err(io_err(path.display()))?;
        Ok(lock)
    }

    /// Adds new small files (signature records, custody events). Existing
    /// files are never rewritten; a name that exists is refused. The lock
    /// must be held. A zip gains entries without its payload being copied.
    pub fn append(
        &self,
        _lock: &AppendLock,
        files: &[(String, Vec<u8>)],
        time: UtcTime,
    ) -> Result<(), StoreError> {
        match self.form {
            // Each file is renamed into place without clobbering.
            BundleForm::Directory => {
                for (name, bytes) in files {
                    write_new_file_atomically(&self.path, name, bytes)?;
                }
                Ok(())
            }
            BundleForm::Zip => {
                if let Some((name, _)) = files.iter().find(|(name, _)| self.find(name).is_some()) {
                    return Err(StoreError::Exists { path: name.clone() });
                }
                append_to_zip(&self.path, &self.top, files, time)
            }
        }
    }
}

impl Bundle {
    /// Deletes a file left by an interrupted append to a directory bundle
    /// (zip appends are journaled and cannot leave one).
    pub fn remove_orphan(&self, _lock: &AppendLock, name: &str) -> Result<(), StoreError> {
        match self.form {
            BundleForm::Directory => {
                let path = self.path.join(name);
                fs::remove_file(&path).map_err(io_err(name))?;
                sync_dir(path.parent().unwrap_or(&self.path));
                Ok(())
            }
            BundleForm::Zip => Err(StoreError::Exists { path: name.into() }),
        }
    }
}

/// Temporary file, fsync, rename without clobbering, fsync the folder.
fn write_new_file_atomically(root: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let target = root.join(name);
    let parent = target.parent().unwrap_or(root);
    fs::create_dir_all(parent).map_err(io_err(name))?;
    // The temporary file lives beside the bag, not in it: a crash must not
    // leave a stray file inside the bundle.
    let mut temp = tempfile::Builder::new()
        .prefix(".exhibit-append-")
        .tempfile_in(sidecar_dir(root))
        .map_err(io_err(name))?;
    CrashPoint(temp.as_file_mut())
        .write_all(bytes)
        .map_err(io_err(name))?;
    temp.as_file().sync_all().map_err(io_err(name))?;
    temp.persist_noclobber(&target)
        .map_err(|e| match e.error.kind() {
            io::ErrorKind::AlreadyExists => StoreError::Exists { path: name.into() },
            _ => StoreError::Io {
                path: name.into(),
                error: e.error,
            },
        })?;
    sync_dir(parent);
    Ok(())
}

/// The folder that holds the bundle (where lock, journal and temporary
/// files go).
fn sidecar_dir(bundle: &Path) -> &Path {
    match bundle.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Test hook for crash safety: when `EXHIBIT_TEST_CRASH_AFTER_BYTES` is
/// set, the process aborts (as if killed) once that many bytes have been
/// written by an append, in the middle of a write if need be. Tests use it
/// to prove that an interrupted append leaves the old or the new bundle.
struct CrashPoint<W>(W);

fn crash_budget() -> &'static std::sync::atomic::AtomicU64 {
    static BUDGET: std::sync::OnceLock<std::sync::atomic::AtomicU64> = std::sync::OnceLock::new();
    BUDGET.get_or_init(|| {
        let limit = std::env::var("EXHIBIT_TEST_CRASH_AFTER_BYTES")
            .ok()
            .and_then(|v| v.parse().ok());
        std::sync::atomic::AtomicU64::new(limit.unwrap_or(u64::MAX))
    })
}

impl<W: Write> Write for CrashPoint<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        use std::sync::atomic::Ordering;
        let budget = crash_budget();
        let left = budget.load(Ordering::SeqCst);
        if (buf.len() as u64) < left {
            let n = self.0.write(buf)?;
            budget.fetch_sub(n as u64, Ordering::SeqCst);
            return Ok(n);
        }
        let _ = self.0.write_all(&buf[..left as usize]);
        std::process::abort();
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Seek> Seek for CrashPoint<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

impl<W: Read> Read for CrashPoint<W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

/// Journal layout: magic, original length (u64 LE), offset of the old
/// central directory (u64 LE), then the old bytes from that offset to the
/// end. Writing new entries overwrites only that tail, so restoring it and
/// truncating gives back the old zip exactly.
const JOURNAL_MAGIC: &[u8; 16] = b"exhibit-journal1";

fn append_to_zip(
    path: &Path,
    top: &str,
    files: &[(String, Vec<u8>)],
    time: UtcTime,
) -> Result<(), StoreError> {
    let shown = path.display().to_string();
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io_err(&shown))?;
    let original_len = file.metadata().map_err(io_err(&shown))?.len();
    let cd_start = {
        let archive = ZipArchive::new(io::BufReader::new(&file)).map_err(zip_err(&shown))?;
        archive.central_directory_start()
    };
    if cd_start > original_len {
        return Err(StoreError::Zip {
            path: shown,
            reason: "central directory offset past end of file".into(),
        });
    }
    let mut tail = Vec::with_capacity((original_len - cd_start) as usize);
    file.seek(SeekFrom::Start(cd_start))
        .map_err(io_err(&shown))?;
    (&file)
        .take(original_len - cd_start)
        .read_to_end(&mut tail)
        .map_err(io_err(&shown))?;

    let journal_path = sidecar(path, ".journal");
    let mut journal = Vec::with_capacity(tail.len() + 32);
    journal.extend_from_slice(JOURNAL_MAGIC);
    journal.extend_from_slice(&original_len.to_le_bytes());
    journal.extend_from_slice(&cd_start.to_le_bytes());
    journal.extend_from_slice(&tail);
    {
        let mut j = File::create(&journal_path).map_err(io_err(journal_path.display()))?;
        CrashPoint(&mut j)
            .write_all(&journal)
            .map_err(io_err(journal_path.display()))?;
        j.sync_all().map_err(io_err(journal_path.display()))?;
    }
    sync_dir(sidecar_dir(path));

    file.seek(SeekFrom::Start(0)).map_err(io_err(&shown))?;
    // New entries go where the old central directory starts (the journal
    // holds it), so the entries keep tiling the file with no dead bytes.
    let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let target = WriteFrom {
        inner: CrashPoint(file),
        start: cd_start,
        armed: Arc::clone(&armed),
        moved: false,
    };
    let mut writer = ZipWriter::new_append(target).map_err(zip_err(&shown))?;
    armed.store(true, std::sync::atomic::Ordering::SeqCst);
    let options = zip_options(time);
    for (name, bytes) in files {
        let full = format!("{top}/{name}");
        writer
            .start_file(full.as_str(), options)
            .map_err(zip_err(&full))?;
        writer.write_all(bytes).map_err(io_err(&full))?;
    }
    let WriteFrom {
        inner: CrashPoint(mut file),
        ..
    } = writer.finish().map_err(zip_err(&shown))?;
    let end = file.stream_position().map_err(io_err(&shown))?;
    file.set_len(end).map_err(io_err(&shown))?;
    file.sync_all().map_err(io_err(&shown))?;
    fs::remove_file(&journal_path).map_err(io_err(journal_path.display()))?;
    sync_dir(sidecar_dir(path));
    Ok(())
}

/// Moves to `start` before the first operation once armed: the zip crate
/// opens an archive for appending by reading it, then writes wherever the
/// reading stopped.
struct WriteFrom<W> {
    inner: W,
    start: u64,
    armed: Arc<std::sync::atomic::AtomicBool>,
    moved: bool,
}

impl<W: Seek> WriteFrom<W> {
    fn arrive(&mut self) -> io::Result<()> {
        if !self.moved && self.armed.load(std::sync::atomic::Ordering::SeqCst) {
            self.inner.seek(SeekFrom::Start(self.start))?;
            self.moved = true;
        }
        Ok(())
    }
}

impl<W: Write + Seek> Write for WriteFrom<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.arrive()?;
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Seek> Seek for WriteFrom<W> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.arrive()?;
        self.inner.seek(to)
    }
}

impl<W: Read + Seek> Read for WriteFrom<W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arrive()?;
        self.inner.read(buf)
    }
}

/// A complete journal: the zip's length and central directory before an
/// append that has not finished.
struct Journal {
    original_len: u64,
    cd_start: u64,
    tail: Vec<u8>,
}

/// Reads the journal beside `path`; `Ok(None)` when there is none or when it
/// was cut short (then the append never touched the zip).
fn read_journal(path: &Path) -> io::Result<Option<Journal>> {
    let journal = match fs::read(sidecar(path, ".journal")) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if journal.len() < 32 || &journal[..16] != JOURNAL_MAGIC {
        return Ok(None);
    }
    let word = |range: std::ops::Range<usize>| {
        u64::from_le_bytes(journal[range].try_into().unwrap_or_default())
    };
    let (original_len, cd_start) = (word(16..24), word(24..32));
    let tail = journal[32..].to_vec();
    if cd_start.checked_add(tail.len() as u64) != Some(original_len) {
        return Ok(None);
    }
    Ok(Some(Journal {
        original_len,
        cd_start,
        tail,
    }))
}

/// Undoes an append that was interrupted before it completed. Called only
/// by writers holding the lock: reading never modifies a bundle.
fn rollback_interrupted_append(path: &Path) -> io::Result<()> {
    let journal_path = sidecar(path, ".journal");
    if let Some(journal) = read_journal(path)? {
        let mut file = OpenOptions::new().write(true).open(path)?;
        file.seek(SeekFrom::Start(journal.cd_start))?;
        file.write_all(&journal.tail)?;
        file.set_len(journal.original_len)?;
        file.sync_all()?;
    }
    match fs::remove_file(&journal_path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The zip as it was before an interrupted append: its own bytes up to the
/// old central directory, then the old directory from the journal.
struct JournaledView<'a> {
    file: &'a File,
    journal: &'a Journal,
    pos: u64,
}

impl Read for JournaledView<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Journal {
            original_len,
            cd_start,
            tail,
        } = self.journal;
        if self.pos >= *original_len {
            return Ok(0);
        }
        if self.pos < *cd_start {
            let want = (cd_start - self.pos).min(buf.len() as u64) as usize;
            let n = read_at(self.file, &mut buf[..want], self.pos)?;
            self.pos += n as u64;
            return Ok(n);
        }
        let from = (self.pos - cd_start) as usize;
        let n = (tail.len() - from).min(buf.len());
        buf[..n].copy_from_slice(&tail[from..from + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for JournaledView<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = self.journal.original_len as i128;
        let target = match to {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(d) => len + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if target < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            ));
        }
        self.pos = target as u64;
        Ok(self.pos)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

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
