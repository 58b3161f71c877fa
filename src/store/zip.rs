//! Zip bundles, read in place: the structure accounted for byte by byte
//! (`zip_layout`), cross-checked against an independent reader (rawzip),
//! and entries streamed from their byte ranges with sizes and CRC checked.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use super::append::sidecar;
use super::zip_layout::{self, ReadAt, Record};
use super::{Bundle, ByteSource, Entry, EntryKind, OpenError, Source};
use crate::limits::MAX_DEFLATE_RATIO;
use crate::problem::{Problem, ProblemCode};

const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;
const S_IFREG: u32 = 0o100000;
const S_IFDIR: u32 = 0o040000;

/// A zip file opened for reading, with what a journal beside it says.
pub(super) struct OpenedZip {
    pub source: Arc<dyn ByteSource>,
    pub len: u64,
    pub warnings: Vec<Problem>,
    /// The journal of an interrupted append, when there is one.
    journal: Option<std::path::PathBuf>,
}

impl OpenedZip {
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        let file = File::open(path).map_err(|source| OpenError::Io {
            path: path.into(),
            error: source,
        })?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        // What is judged is the file as it is: a journal beside it (left by
        // an interrupted append) can make the verdict worse, never better.
        let journal = Some(sidecar(path, ".journal")).filter(|j| j.exists());
        let mut warnings = Vec::new();
        if let Some(journal) = &journal {
            warnings.push(Problem::new(
                ProblemCode::ZipInterruptedAppend,
                Some(&journal.display().to_string()),
                format!(
                    "an append to this zip was interrupted (or is running); the zip is judged as it \
                     is; if it does not verify, `exhibit recover {}` rolls the append back",
                    path.display()
                ),
            ));
        }
        Ok(OpenedZip {
            source: Arc::new(file),
            len,
            warnings,
            journal,
        })
    }

    /// A zip from elsewhere: no journal can sit beside it.
    pub fn from_source(source: Arc<dyn ByteSource>) -> Self {
        OpenedZip {
            len: source.size(),
            source,
            warnings: Vec::new(),
            journal: None,
        }
    }

    /// "Not a bundle", pointing at `exhibit recover` after an interrupted
    /// append.
    pub fn not_bundle(&self, path: &Path, reason: String) -> OpenError {
        OpenError::NotABundle {
            path: path.into(),
            reason: match &self.journal {
                Some(journal) => format!(
                    "{reason}; an interrupted append left {}: `exhibit recover {}` rolls it back",
                    journal.display(),
                    path.display()
                ),
                None => reason,
            },
        }
    }
}

pub(super) fn open(path: &Path) -> Result<Bundle, OpenError> {
    open_source(path, OpenedZip::open(path)?)
}

pub(super) fn open_source(path: &Path, opened: OpenedZip) -> Result<Bundle, OpenError> {
    let not_bundle = |reason: String| opened.not_bundle(path, reason);
    let (file, file_len) = (&*opened.source, opened.len);
    let layout = zip_layout::account(file, file_len).map_err(|r| not_bundle(r.into()))?;
    let mut problems = layout.problems;
    // A standard reader must read the same entries from it.
    problems.extend(cross_check(file, &layout.records));
    // Entries whose data cannot be located were reported; nothing reads them.
    let mut records = layout.records;
    records.retain(|r| r.data_start.is_some());
    let top = find_top(&records, &mut problems).map_err(|reason| not_bundle(reason.into()))?;
    let entries = bag_entries(records, &top, file_len, &mut problems);
    Ok(Bundle::zip(
        path,
        opened,
        top,
        entries,
        problems,
        super::Listing::Full,
    ))
}

/// An independent reader's reading of the central directory (rawzip,
/// which locates the end record and walks the records itself) must match
/// ours: the same entries in the same order, with the same name, sizes, CRC
/// and local-header offset. Both read the directory in file order, so the
/// comparison streams: nothing is held per entry.
fn cross_check(source: &dyn ByteSource, records: &[Record]) -> Vec<Problem> {
    let refuse = |e: &dyn std::fmt::Display| {
        vec![Problem::new(
            ProblemCode::ZipLayout,
            None,
            format!("standard zip readers refuse this file ({e})"),
        )]
    };
    let mut buffer = vec![0u8; rawzip::RECOMMENDED_BUFFER_SIZE];
    let archive = match rawzip::ZipLocator::new().locate_in_reader(
        Independent(source),
        &mut buffer,
        source.size(),
    ) {
        Ok(archive) => archive,
        Err((_, e)) => return refuse(&e),
    };
    let mut problems = Vec::new();
    let mut theirs = archive.entries(&mut buffer);
    let mut ours = records.iter();
    let mut index = 0u64;
    loop {
        let their = match theirs.next_entry() {
            Ok(Some(their)) => their,
            Ok(None) => break,
            Err(e) => {
                problems.push(Problem::new(
                    ProblemCode::ZipEntry,
                    None,
                    format!("zip entry #{index} cannot be read by standard zip readers ({e})"),
                ));
                break;
            }
        };
        index += 1;
        let name = their.file_path();
        let name: &[u8] = name.as_ref();
        let same = ours.next().is_some_and(|ours| {
            ours.name == name
                && ours.header_start == their.local_header_offset()
                && ours.size == their.uncompressed_size_hint()
                && ours.compressed_size == their.compressed_size_hint()
                && ours.crc32 == their.crc32()
        });
        if !same {
            problems.push(Problem::new(
                ProblemCode::ZipLayout,
                Some(&String::from_utf8_lossy(name)),
                "standard zip readers read this entry differently",
            ));
        }
    }
    if ours.next().is_some() {
        problems.push(Problem::new(
            ProblemCode::ZipLayout,
            None,
            format!(
                "standard zip readers read only {index} of the {} entries",
                records.len()
            ),
        ));
    }
    problems
}

/// What kind of entry a record is: a name ending in `/` or a Unix folder
/// mode is a folder; Unix link and special modes are what they say.
pub(super) fn record_kind(record: &Record) -> EntryKind {
    let mode = record.unix_mode.map(|m| m & S_IFMT);
    if record.name.ends_with(b"/") || mode == Some(S_IFDIR) {
        EntryKind::Directory
    } else if mode == Some(S_IFLNK) {
        EntryKind::Symlink
    } else if mode.is_none() || mode == Some(S_IFREG) || mode == Some(0) {
        EntryKind::File
    } else {
        EntryKind::Special(super::SpecialKind::Other)
    }
}

/// The one top-level folder that holds `bagit.txt`; `Err` with the reason
/// when there is none (not a bundle at all).
pub(super) fn find_top(
    raw: &[Record],
    problems: &mut Vec<Problem>,
) -> Result<String, &'static str> {
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

/// The bundle's entries, sorted by name bytes. Made in place: an entry is
/// no larger than a record, so the records' buffer becomes the entries'
/// (records and entries are never both held whole; the rest is given
/// back), and the sort takes no buffer.
fn bag_entries(
    records: Vec<Record>,
    top: &str,
    file_len: u64,
    problems: &mut Vec<Problem>,
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = records
        .into_iter()
        .filter_map(|record| bag_entry(record, top, file_len, problems))
        .collect();
    // In place (a stable sort would take a buffer of half the entries); a
    // name given twice keeps its entries in file order.
    let offset = |e: &Entry| match e.source {
        Source::Zip { data_start, .. } => data_start,
        _ => 0,
    };
    entries.sort_unstable_by(|a, b| {
        (a.name.as_bytes(), offset(a)).cmp(&(b.name.as_bytes(), offset(b)))
    });
    entries.shrink_to_fit();
    entries
}

/// The bundle entry a central directory record stands for, named relative
/// to the bag folder `top`; None for the folder itself and for what is not
/// in it (reported).
pub(super) fn bag_entry(
    mut e: Record,
    top: &str,
    file_len: u64,
    problems: &mut Vec<Problem>,
) -> Option<Entry> {
    let kind = record_kind(&e);
    // The record's name buffer becomes the entry's: no second copy.
    let full = match String::from_utf8(std::mem::take(&mut e.name)) {
        Ok(full) => full,
        Err(e) => {
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            problems.push(Problem::new(
                ProblemCode::PathEncoding,
                Some(&lossy),
                "zip entry name is not valid UTF-8",
            ));
            return None;
        }
    };
    let in_bag = full
        .strip_prefix(top)
        .and_then(|rest| rest.strip_prefix('/'))
        .map(|rest| {
            (
                rest.is_empty(),
                rest.strip_suffix('/').unwrap_or(rest).len(),
            )
        });
    let name = match in_bag {
        Some((true, _)) => return None,
        Some((false, len)) => {
            let mut name = full;
            name.drain(..top.len() + 1);
            name.truncate(len);
            name
        }
        None => {
            if full.strip_prefix(top) != Some("/") {
                problems.push(Problem::new(
                    ProblemCode::ZipLayout,
                    Some(&full),
                    format!("entry outside the bag folder {top:?}"),
                ));
            }
            return None;
        }
    };
    if kind == EntryKind::Directory {
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
        kind,
        size: e.size,
        source,
    })
}

/// Why an entry's data must not be read.
#[derive(Debug, thiserror::Error)]
enum Unreadable {
    #[error("unsupported compression method {0}")]
    Method(u16),
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
fn entry_data(e: &Record, file_len: u64) -> Result<Source, Unreadable> {
    let deflated = match e.method {
        0 => false,
        8 => true,
        other => return Err(Unreadable::Method(other)),
    };
    // Always known here: entries without it were dropped.
    let data_start = e.data_start.ok_or(Unreadable::NoLocalHeader)?;
    if e.encrypted() {
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
        crc32: e.crc32,
    })
}

/// The independent reader's view of a source.
struct Independent<'a>(&'a dyn ByteSource);

impl rawzip::ReaderAt for Independent<'_> {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.0.read_at(buf, offset)
    }
}

impl ReadAt for dyn ByteSource + '_ {
    fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        while !buf.is_empty() {
            match self.read_at(buf, offset)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }
}

/// Reads one byte range of a shared file with positioned reads, so many
/// entries of one zip can be read in parallel.
pub(super) struct RangeReader {
    pub(super) source: Arc<dyn ByteSource>,
    pub(super) pos: u64,
    pub(super) end: u64,
}

impl Read for RangeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = (self.end.saturating_sub(self.pos)).min(buf.len() as u64) as usize;
        if want == 0 {
            return Ok(0);
        }
        let n = self.source.read_at(&mut buf[..want], self.pos)?;
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

/// Where files have no positioned read (WebAssembly, where the browser's
/// files come through another source): the file system is not there.
#[cfg(not(any(unix, windows)))]
pub(super) fn read_at(_file: &File, _buf: &mut [u8], _offset: u64) -> io::Result<usize> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no positioned reads on this platform",
    ))
}

/// Yields exactly the declared number of bytes, failing on more or fewer,
/// and checks the CRC-32 the central directory gives when the data ends (a
/// zip whose CRC is wrong is one `unzip -t` rejects).
pub(super) struct ExactSize {
    pub(super) inner: Box<dyn Read + Send>,
    pub(super) remaining: u64,
    pub(super) name: String,
    pub(super) crc32: u32,
    pub(super) hasher: crc32fast::Hasher,
    /// The end was reached and checked.
    pub(super) done: bool,
    /// Where a wrong CRC is noted instead of failing the read.
    pub(super) crc_check: Option<super::CrcCheck>,
}

impl Read for ExactSize {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        if self.remaining == 0 {
            self.done = true;
            // One probe byte: data beyond the declared size is a lie.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? != 0 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: more data than its declared size", self.name),
                ));
            }
            let actual = std::mem::take(&mut self.hasher).finalize();
            if actual != self.crc32 {
                if let Some(check) = &self.crc_check {
                    check.record_mismatch();
                    return Ok(0);
                }
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{}: CRC-32 {actual:08x} does not match the {:08x} the zip records",
                        self.name, self.crc32
                    ),
                ));
            }
            return Ok(0);
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
        self.hasher.update(&buf[..n]);
        self.remaining -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What keeps a million-entry zip from holding its records and its
    /// entries at once: the one buffer is reused.
    #[test]
    fn entries_are_made_in_the_records_buffer() {
        // An entry fits in a record's room (64 bytes and 80 today).
        assert!(std::mem::size_of::<Entry>() <= std::mem::size_of::<Record>());
        assert!(std::mem::size_of::<Entry>() <= 64);
        let records: Vec<Record> = (0..100u64)
            .map(|i| Record {
                name: format!("b/data/f{i}").into_bytes(),
                flags: 0,
                method: 0,
                crc32: 0,
                compressed_size: 1,
                size: 1,
                header_start: i * 64,
                unix_mode: None,
                data_start: Some(i * 64 + 40),
            })
            .collect();
        let buffer = records.as_ptr() as usize;
        let mut problems = Vec::new();
        let entries = bag_entries(records, "b", 1 << 20, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries.len(), 100);
        assert_eq!(entries.as_ptr() as usize, buffer);
        assert_eq!(entries[0].name, "data/f0");
        assert!(entries.windows(2).all(|w| w[0].name < w[1].name));
    }
}
