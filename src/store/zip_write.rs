//! Writes the zips exhibit seals: stored entries only, no data descriptors,
//! no encryption, no comments.
//!
//! Why not the zip crate's `ZipWriter`: it keeps every entry's record (a few
//! hundred bytes plus the name) in memory until `finish` writes the central
//! directory, over half a gigabyte for a million files. Here each central
//! directory record goes, as soon as its entry is complete, to an anonymous
//! temporary file beside the output (a large folder's directory would not
//! fit in memory either), and is copied after the last entry: memory does
//! not grow with the number of entries, only counters do. The bytes are the
//! ones the zip crate (9.x) writes for the same entries and options
//! (docs/FORMAT.md section 12), which the tests below check against it; the
//! zip crate still reads bundles and appends to them.
//!
//! Names are not checked for duplicates (that would need every name in
//! memory): callers write distinct bag paths.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use super::StoreError;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_RECORD: u32 = 0x0605_4b50;
const ZIP64_END_RECORD: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const LOCAL_HEADER_LEN: u64 = 30;
const CENTRAL_HEADER_LEN: usize = 46;

/// Sizes and offsets from here on need zip64 fields (the crate's threshold).
const ZIP64_BYTES: u64 = u32::MAX as u64;
/// More entries than this need zip64 end records.
const ZIP64_ENTRIES: u64 = u16::MAX as u64;
const ZIP64_EXTRA: u16 = 0x0001;
/// Data Stream Alignment (APPNOTE 4.6.11).
const ALIGNMENT_EXTRA: u16 = 0xA11E;
/// Large entries' data starts on a multiple of this.
pub(super) const PAGE_SIZE: u16 = 4096;

/// "Made by" Unix, in the high byte.
const MADE_BY_UNIX: u16 = 3 << 8;
const FLAG_UTF8: u16 = 1 << 11;
const MODE_FILE: u32 = 0o100_644;
const MODE_DIRECTORY: u32 = 0o040_755;

/// Gathers headers and small files into fewer writes. Smaller than the
/// hashing pipeline's buffers, so large files' chunks bypass it and go to
/// the kernel straight from their page-aligned buffers (an unaligned copy
/// into the page cache is several times slower; see digest::PAGE).
const WRITE_BUFFER: usize = 64 << 10;

/// What an entry is; files carry the two choices the caller makes from the
/// expected size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntryKind {
    /// `large`: zip64 sizes from the start (the size may reach 4 GiB);
    /// `align`: pad the local header so the data starts on a page boundary.
    File {
        large: bool,
        align: bool,
    },
    Directory,
}

/// The fixed fields of one entry, as both of its headers give them.
struct Header<'a> {
    name: &'a [u8],
    kind: EntryKind,
    time: u16,
    date: u16,
}

impl Header<'_> {
    fn large(&self) -> bool {
        matches!(self.kind, EntryKind::File { large: true, .. })
    }

    fn version_needed(&self) -> u16 {
        match self.kind {
            EntryKind::File { large: true, .. } => 45,
            EntryKind::Directory => 20,
            EntryKind::File { .. } => 10,
        }
    }

    fn flags(&self) -> u16 {
        if self.name.is_ascii() {
            0
        } else {
            FLAG_UTF8
        }
    }

    fn external_attributes(&self) -> u32 {
        match self.kind {
            EntryKind::Directory => MODE_DIRECTORY << 16,
            EntryKind::File { .. } => MODE_FILE << 16,
        }
    }

    /// Length of the central-directory record's zip64 field (0: none).
    fn central_zip64_len(&self, header_start: u64) -> usize {
        let sizes = if self.large() { 16 } else { 0 };
        let offset = if header_start >= ZIP64_BYTES { 8 } else { 0 };
        match sizes + offset {
            0 => 0,
            n => 4 + n,
        }
    }

    /// The local header with CRC and sizes still zero (patched by
    /// [`patch_local`] once the data is written).
    fn encode_local(&self, out: &mut Vec<u8>, header_start: u64) -> Result<(), &'static str> {
        let zip64_len: u64 = if self.large() { 20 } else { 0 };
        let extra_end = header_start + LOCAL_HEADER_LEN + self.name.len() as u64 + zip64_len;
        let align = u64::from(PAGE_SIZE);
        let mut pad = 0;
        if let EntryKind::File { align: true, .. } = self.kind {
            let unaligned = extra_end % align;
            if unaligned != 0 {
                pad = align - unaligned;
                // The field itself takes 6 bytes.
                while pad < 6 {
                    pad += align;
                }
            }
        }
        let extra_len = u16::try_from(zip64_len + pad).map_err(|_| "extra field too long")?;
        let name_len = u16::try_from(self.name.len()).map_err(|_| "name too long")?;
        let sizes = if self.large() { u32::MAX } else { 0 };
        put32(out, LOCAL_HEADER);
        put16(out, self.version_needed());
        put16(out, self.flags());
        put16(out, 0); // stored
        put16(out, self.time);
        put16(out, self.date);
        put32(out, 0);
        put32(out, sizes);
        put32(out, sizes);
        put16(out, name_len);
        put16(out, extra_len);
        out.extend_from_slice(self.name);
        if self.large() {
            put16(out, ZIP64_EXTRA);
            put16(out, 16);
            put64(out, 0);
            put64(out, 0);
        }
        if pad > 0 {
            put16(out, ALIGNMENT_EXTRA);
            put16(out, (pad - 4) as u16);
            put16(out, PAGE_SIZE);
            out.resize(out.len() + pad as usize - 6, 0);
        }
        Ok(())
    }

    fn encode_central(&self, out: &mut Vec<u8>, header_start: u64, crc: u32, size: u64) {
        let zip64_len = self.central_zip64_len(header_start);
        let size32 = if self.large() {
            u32::MAX
        } else {
            // Below 4 GiB: the writer refuses more for a non-zip64 entry.
            size.min(ZIP64_BYTES) as u32
        };
        let version = self.version_needed();
        put32(out, CENTRAL_HEADER);
        put16(out, MADE_BY_UNIX | version);
        put16(out, version);
        put16(out, self.flags());
        put16(out, 0); // stored
        put16(out, self.time);
        put16(out, self.date);
        put32(out, crc);
        put32(out, size32);
        put32(out, size32);
        put16(out, self.name.len() as u16);
        put16(out, zip64_len as u16);
        put16(out, 0); // comment
        put16(out, 0); // disk
        put16(out, 0); // internal attributes
        put32(out, self.external_attributes());
        put32(out, header_start.min(ZIP64_BYTES) as u32);
        out.extend_from_slice(self.name);
        if zip64_len > 0 {
            put16(out, ZIP64_EXTRA);
            put16(out, zip64_len as u16 - 4);
            if self.large() {
                put64(out, size);
                put64(out, size);
            }
            if header_start >= ZIP64_BYTES {
                put64(out, header_start);
            }
        }
    }
}

/// CRC-32 and sizes of a finished entry, as they go at byte 14 of its local
/// header, and for a zip64 entry the sizes of its zip64 field (at byte 4 of
/// that field, right after the name).
fn patch_local(large: bool, crc: u32, size: u64) -> ([u8; 12], Option<[u8; 16]>) {
    let size32 = if large { u32::MAX } else { size as u32 };
    let mut fixed = [0u8; 12];
    fixed[..4].copy_from_slice(&crc.to_le_bytes());
    fixed[4..8].copy_from_slice(&size32.to_le_bytes());
    fixed[8..].copy_from_slice(&size32.to_le_bytes());
    let zip64 = large.then(|| {
        let mut sizes = [0u8; 16];
        sizes[..8].copy_from_slice(&size.to_le_bytes());
        sizes[8..].copy_from_slice(&size.to_le_bytes());
        sizes
    });
    (fixed, zip64)
}

/// The zip64 end record and locator when needed, then the end record.
fn encode_end(
    out: &mut Vec<u8>,
    entries: u64,
    central_start: u64,
    central_len: u64,
    version_needed: u16,
) {
    let zip64 = entries > ZIP64_ENTRIES || central_start.max(central_len) > ZIP64_BYTES;
    if zip64 {
        put32(out, ZIP64_END_RECORD);
        put64(out, 44); // size of the rest of the record
        put16(out, version_needed);
        put16(out, version_needed);
        put32(out, 0);
        put32(out, 0);
        put64(out, entries);
        put64(out, entries);
        put64(out, central_len);
        put64(out, central_start);
        put32(out, ZIP64_LOCATOR);
        put32(out, 0);
        put64(out, central_start + central_len);
        put32(out, 1);
    }
    let count = entries.min(ZIP64_ENTRIES) as u16;
    put32(out, END_RECORD);
    put16(out, 0);
    put16(out, 0);
    put16(out, count);
    put16(out, count);
    put32(
        out,
        if zip64 {
            u32::MAX
        } else {
            central_len.min(ZIP64_BYTES) as u32
        },
    );
    put32(out, central_start.min(ZIP64_BYTES) as u32);
    put16(out, 0); // comment
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The entry being written.
struct Current {
    name: String,
    kind: EntryKind,
    header_start: u64,
    crc: crc32fast::Hasher,
    size: u64,
}

/// A zip being written, one entry after another. Data goes through
/// [`Write`] between [`ZipStream::start_file`] and
/// [`ZipStream::finish_file`].
pub(super) struct ZipStream {
    out: File,
    /// Bytes not yet handed to the kernel; they end at `pos`.
    buf: Vec<u8>,
    /// Length of the zip so far, `buf` included.
    pos: u64,
    central: BufWriter<File>,
    central_len: u64,
    entries: u64,
    /// Highest version needed of any entry (for the zip64 end record).
    version_needed: u16,
    time: u16,
    date: u16,
    current: Option<Current>,
    scratch: Vec<u8>,
    /// The output as named in messages.
    shown: String,
}

impl ZipStream {
    /// Writes a zip into `out` (empty), keeping the central directory in
    /// `central` (an empty scratch file) until [`ZipStream::finish`].
    pub(super) fn new(out: File, central: File, time: zip::DateTime, shown: String) -> Self {
        ZipStream {
            out,
            buf: Vec::with_capacity(WRITE_BUFFER),
            pos: 0,
            central: BufWriter::with_capacity(WRITE_BUFFER, central),
            central_len: 0,
            entries: 0,
            version_needed: 10,
            time: time.timepart(),
            date: time.datepart(),
            current: None,
            scratch: Vec::new(),
            shown,
        }
    }

    fn header<'a>(&self, name: &'a str, kind: EntryKind) -> Header<'a> {
        Header {
            name: name.as_bytes(),
            kind,
            time: self.time,
            date: self.date,
        }
    }

    /// Starts an entry (finishing the one before); a file's data follows
    /// through [`Write`].
    pub(super) fn start_file(&mut self, name: &str, kind: EntryKind) -> Result<(), StoreError> {
        self.finish_file()?;
        let header = self.header(name, kind);
        let header_start = self.pos;
        // Both headers must fit their 16-bit lengths; the central one is
        // the longer.
        if CENTRAL_HEADER_LEN + name.len() + header.central_zip64_len(header_start)
            > u16::MAX as usize
        {
            return Err(StoreError::Zip {
                path: name.into(),
                reason: "name too long for a zip entry".into(),
            });
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let encoded = header.encode_local(&mut scratch, header_start);
        let version = header.version_needed();
        let written = encoded
            .map_err(|reason| StoreError::Zip {
                path: name.into(),
                reason: reason.into(),
            })
            .and_then(|()| self.put(&scratch).map_err(io_err(name)));
        self.scratch = scratch;
        written?;
        self.version_needed = self.version_needed.max(version);
        self.current = Some(Current {
            name: name.into(),
            kind,
            header_start,
            crc: crc32fast::Hasher::new(),
            size: 0,
        });
        Ok(())
    }

    /// Adds a folder entry (`name` ends with `/`).
    pub(super) fn add_directory(&mut self, name: &str) -> Result<(), StoreError> {
        self.start_file(name, EntryKind::Directory)?;
        self.finish_file()
    }

    /// Completes the current entry, if any: its local header gets the CRC
    /// and sizes, the central directory its record.
    pub(super) fn finish_file(&mut self) -> Result<(), StoreError> {
        let Some(entry) = self.current.take() else {
            return Ok(());
        };
        let crc = entry.crc.finalize();
        let large = matches!(entry.kind, EntryKind::File { large: true, .. });
        let start = entry.header_start;
        let (fixed, zip64) = patch_local(large, crc, entry.size);
        let name_end = start + LOCAL_HEADER_LEN + entry.name.len() as u64;
        let mut result = self.patch(start + 14, &fixed);
        if let Some(sizes) = zip64 {
            result = result.and_then(|()| self.patch(name_end + 4, &sizes));
        }
        let header = self.header(&entry.name, entry.kind);
        self.scratch.clear();
        header.encode_central(&mut self.scratch, start, crc, entry.size);
        result = result.and_then(|()| self.central.write_all(&self.scratch));
        result.map_err(io_err(&entry.name))?;
        self.central_len += self.scratch.len() as u64;
        self.entries += 1;
        Ok(())
    }

    /// Writes the central directory and end records after the last entry;
    /// returns the file, not yet flushed to disk.
    pub(super) fn finish(mut self) -> Result<File, StoreError> {
        self.finish_file()?;
        let shown = std::mem::take(&mut self.shown);
        self.finish_inner().map_err(io_err(shown))
    }

    fn finish_inner(mut self) -> io::Result<File> {
        self.flush_buf()?;
        let central_start = self.pos;
        let mut central = self.central.into_inner().map_err(|e| e.into_error())?;
        central.seek(SeekFrom::Start(0))?;
        // File to file: the kernel copies (copy_file_range), no user buffer.
        let copied = io::copy(&mut central, &mut self.out)?;
        if copied != self.central_len {
            return Err(io::Error::other(
                "the central directory was not copied whole",
            ));
        }
        let mut end = Vec::new();
        encode_end(
            &mut end,
            self.entries,
            central_start,
            self.central_len,
            self.version_needed,
        );
        self.out.write_all(&end)?;
        Ok(self.out)
    }

    /// Appends bytes at the end of the zip.
    fn put(&mut self, data: &[u8]) -> io::Result<()> {
        if self.buf.len() + data.len() > WRITE_BUFFER {
            self.flush_buf()?;
        }
        if data.len() >= WRITE_BUFFER {
            // Straight from the caller's (page-aligned) buffer.
            self.out.write_all(data)?;
            self.pos += data.len() as u64;
            self.start_writeback();
        } else {
            self.buf.extend_from_slice(data);
            self.pos += data.len() as u64;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
            self.start_writeback();
        }
        Ok(())
    }

    /// Overwrites bytes already written at `at`, in the buffer or the file.
    fn patch(&mut self, at: u64, bytes: &[u8]) -> io::Result<()> {
        let buffered_from = self.pos - self.buf.len() as u64;
        let in_file = buffered_from.saturating_sub(at).min(bytes.len() as u64) as usize;
        if in_file > 0 {
            write_all_at(&self.out, &bytes[..in_file], at, buffered_from)?;
        }
        if in_file < bytes.len() {
            let from = (at + in_file as u64 - buffered_from) as usize;
            let rest = &bytes[in_file..];
            self.buf
                .get_mut(from..from + rest.len())
                .ok_or_else(|| io::Error::other("patch beyond the end of the zip"))?
                .copy_from_slice(rest);
        }
        Ok(())
    }

    /// Asks the kernel to start writing back what was written since the
    /// last request, without waiting for it.
    fn start_writeback(&mut self) {}
}

impl Write for ZipStream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let Some(entry) = self.current.as_mut() else {
            return Err(io::Error::other("no zip entry started"));
        };
        entry.size += data.len() as u64;
        if !matches!(entry.kind, EntryKind::File { large: true, .. }) && entry.size >= ZIP64_BYTES {
            return Err(io::Error::other(
                "the file grew past 4 GiB while being written without zip64 sizes",
            ));
        }
        entry.crc.update(data);
        self.put(data)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn io_err(path: impl std::fmt::Display) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.to_string();
    move |error| StoreError::Io { path, error }
}

/// A positioned write that leaves the file position where sequential
/// writes continue (`end`).
#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], at: u64, _end: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(not(unix))]
fn write_all_at(mut file: &File, bytes: &[u8], at: u64, end: u64) -> io::Result<()> {
    file.seek(SeekFrom::Start(at))?;
    file.write_all(bytes)?;
    file.seek(SeekFrom::Start(end)).map(|_| ())
}
