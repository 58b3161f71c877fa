//! Zip bundles, read in place: the central directory, each entry's local
//! header (checked against it), and the byte ranges of entry data.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use zip::{CompressionMethod, ZipArchive};

use super::append::{read_journal, JournaledView};
use super::{Bundle, BundleForm, Entry, EntryKind, OpenError, Source};
use crate::limits::{MAX_DEFLATE_RATIO, MAX_ZIP_GAP};
use crate::problem::{Problem, ProblemCode};

const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;
const S_IFREG: u32 = 0o100000;
const S_IFDIR: u32 = 0o040000;

pub(super) fn open(path: &Path) -> Result<Bundle, OpenError> {
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
    let (mut raw, mut problems) = list_central_directory(&archive);
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
    let top = find_top(&raw, &mut problems).map_err(|reason| not_bundle(reason.into()))?;
    let mut entries: Vec<Entry> = raw
        .into_iter()
        .filter_map(|e| bag_entry(e, &top, file_len, &mut problems))
        .collect();
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

/// Every central directory record, as the zip crate reads it.
fn list_central_directory<R: Read + Seek>(
    archive: &ZipArchive<R>,
) -> (Vec<RawZipEntry>, Vec<Problem>) {
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
    (raw, problems)
}

/// The one top-level folder that holds `bagit.txt`; `Err` with the reason
/// when there is none (not a bundle at all).
fn find_top(raw: &[RawZipEntry], problems: &mut Vec<Problem>) -> Result<String, &'static str> {
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
        Some(top) => {
            String::from_utf8(top.to_vec()).map_err(|_| "top-level folder name is not UTF-8")?
        }
        None => return Err("no top-level folder holding bagit.txt"),
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
    if !crate::format::paths::BagPath::parse(&top).is_ok_and(|p| p.components().count() == 1) {
        problems.push(Problem::new(
            ProblemCode::PathUnsafe,
            Some(&top),
            "unsafe top-level folder name",
        ));
    }
    Ok(top)
}

/// The bundle entry a central directory record stands for, named relative
/// to the bag folder `top`; None for the folder itself and for what is not
/// in it (reported).
fn bag_entry(
    e: RawZipEntry,
    top: &str,
    file_len: u64,
    problems: &mut Vec<Problem>,
) -> Option<Entry> {
    let Ok(full) = String::from_utf8(e.name.clone()) else {
        let lossy = String::from_utf8_lossy(&e.name).into_owned();
        problems.push(Problem::new(
            ProblemCode::PathEncoding,
            Some(&lossy),
            "zip entry name is not valid UTF-8",
        ));
        return None;
    };
    let prefix = format!("{top}/");
    let Some(name) = full.strip_prefix(&prefix) else {
        if full != prefix {
            problems.push(Problem::new(
                ProblemCode::ZipLayout,
                Some(&full),
                format!("entry outside the bag folder {top:?}"),
            ));
        }
        return None;
    };
    if name.is_empty() {
        return None;
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
        return Some(Entry {
            name,
            kind: EntryKind::Directory,
            size: 0,
            source: Source::None,
        });
    }
    let source = match entry_data(&e, file_len) {
        Ok(source) => source,
        Err(reason) => {
            problems.push(Problem::new(
                ProblemCode::ZipEntry,
                Some(&name),
                reason.to_string(),
            ));
            Source::None
        }
    };
    Some(Entry {
        name,
        kind: e.kind,
        size: e.size,
        source,
    })
}

/// Why an entry's data must not be read.
#[derive(Debug, thiserror::Error)]
enum Unreadable {
    #[error("unsupported compression method {0:?}")]
    Method(CompressionMethod),
    #[error("no local header")]
    NoLocalHeader,
    #[error("entry is encrypted")]
    Encrypted,
    #[error("entry data runs past the end of the zip file")]
    PastEnd,
    #[error("stored entry declares {declared} bytes but holds {held}")]
    StoredSize { declared: u64, held: u64 },
    #[error("declared size {declared} is impossible for {compressed} compressed bytes (zip bomb)")]
    Bomb { declared: u64, compressed: u64 },
}

/// Where an entry's data is and how to read it, or why it must not be read:
/// an unsupported method, encryption, or sizes that lie.
fn entry_data(e: &RawZipEntry, file_len: u64) -> Result<Source, Unreadable> {
    let deflated = match e.method {
        CompressionMethod::Stored => false,
        CompressionMethod::Deflated => true,
        other => return Err(Unreadable::Method(other)),
    };
    // Always known here: entries without it were dropped.
    let data_start = e.data_start.ok_or(Unreadable::NoLocalHeader)?;
    if e.encrypted {
        return Err(Unreadable::Encrypted);
    }
    if data_start
        .checked_add(e.compressed_size)
        .is_none_or(|end| end > file_len)
    {
        return Err(Unreadable::PastEnd);
    }
    if !deflated && e.size != e.compressed_size {
        return Err(Unreadable::StoredSize {
            declared: e.size,
            held: e.compressed_size,
        });
    }
    if deflated
        && e.size
            > e.compressed_size
                .saturating_mul(MAX_DEFLATE_RATIO)
                .max(1 << 20)
    {
        return Err(Unreadable::Bomb {
            declared: e.size,
            compressed: e.compressed_size,
        });
    }
    Ok(Source::Zip {
        data_start,
        compressed_size: e.compressed_size,
        deflated,
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
pub(super) struct RangeReader {
    pub(super) file: Arc<File>,
    pub(super) pos: u64,
    pub(super) end: u64,
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
pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
pub(super) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

/// Yields exactly the declared number of bytes, failing on more or fewer.
pub(super) struct ExactSize {
    pub(super) inner: Box<dyn Read + Send>,
    pub(super) remaining: u64,
    pub(super) name: String,
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
