//! Writes the zips exhibit seals: stored entries only, no data descriptors,
//! no encryption, no comments.
//!
//! Why not the zip crate's `ZipWriter`: it keeps every entry's record (a few
//! hundred bytes plus the name) in memory until `finish` writes the central
//! directory, hundreds of megabytes for a million files. Here each central
//! directory record goes, as soon as its entry is complete, to an anonymous
//! temporary file beside the output (not in a temporary folder, which may be
//! held in memory), and is copied after the last entry: memory does not grow
//! with the number of entries, only counters do. The bytes are the ones the
//! zip crate (9.x) writes for the same entries and options (docs/FORMAT.md
//! section 12), which the tests below check against it; the zip crate still
//! reads bundles and appends to them.
//!
//! Data is written straight from the caller's buffers (the hashing
//! pipeline's page-aligned ones) to page-aligned offsets, and flushed to
//! disk in the background as it goes, so the one fsync at commit is short.
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
/// Writeback is started every this many bytes, so the fsync at commit finds
/// little left to do: with much memory the kernel would otherwise start
/// writing only when the file is complete, after all the hashing.
const WRITEBACK_STEP: u64 = 32 << 20;

/// The MS-DOS date 1980-01-01, the earliest a zip can give (time 00:00:00).
const EPOCH_DATE: u16 = (1 << 5) | 1;

/// Which time an entry carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stamp {
    /// The sealing time: tag files, the folder entry.
    Sealing,
    /// 1980-01-01 00:00:00, on every payload file: its entry may be
    /// written by a shard before the sealing time is fixed
    /// (`seal --plan --shard`), and a plain seal writes the same bytes.
    Epoch,
}

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

/// Both headers must fit their 16-bit lengths; the central one is the
/// longer.
fn check_name_fits(header: &Header<'_>, header_start: u64) -> Result<(), StoreError> {
    if CENTRAL_HEADER_LEN + header.name.len() + header.central_zip64_len(header_start)
        > u16::MAX as usize
    {
        return Err(StoreError::Zip {
            path: String::from_utf8_lossy(header.name).into_owned(),
            reason: "name too long for a zip entry".into(),
        });
    }
    Ok(())
}

/// Length of `header`'s local header at `header_start`, alignment included.
fn local_len(
    header: &Header<'_>,
    header_start: u64,
    scratch: &mut Vec<u8>,
) -> Result<u64, StoreError> {
    scratch.clear();
    header
        .encode_local(scratch, header_start)
        .map_err(|reason| StoreError::Zip {
            path: String::from_utf8_lossy(header.name).into_owned(),
            reason: reason.into(),
        })?;
    Ok(scratch.len() as u64)
}

/// What a payload file's entry is, from its size.
pub(super) fn file_kind(size: u64) -> EntryKind {
    EntryKind::File {
        large: size >= u32::MAX as u64 / 2,
        // Data that starts on a page boundary, like the buffers it comes
        // from, is copied into the page cache several times faster (see
        // digest::PAGE); the padding is a standard Data Stream Alignment
        // field (APPNOTE 4.6.11).
        align: size >= crate::digest::PIPELINE_THRESHOLD,
    }
}

/// Where a payload file's entry goes when it starts at `header_start`: the
/// length of its local header (the data follows it), exactly as
/// [`ZipStream`] writes it.
pub(super) fn planned_entry(name: &str, size: u64, header_start: u64) -> Result<u64, StoreError> {
    let header = Header {
        name: name.as_bytes(),
        kind: file_kind(size),
        time: 0,
        date: EPOCH_DATE,
    };
    check_name_fits(&header, header_start)?;
    local_len(&header, header_start, &mut Vec::new())
}

/// The complete local header of a payload file whose data, `size` bytes
/// with this CRC-32, follows it at `header_start` + its length: the bytes
/// [`ZipStream`] leaves there once the entry is finished.
pub(super) fn planned_local_header(
    name: &str,
    size: u64,
    header_start: u64,
    crc: u32,
) -> Result<Vec<u8>, StoreError> {
    let kind = file_kind(size);
    let header = Header {
        name: name.as_bytes(),
        kind,
        time: 0,
        date: EPOCH_DATE,
    };
    let mut out = Vec::new();
    local_len(&header, header_start, &mut out)?;
    let large = matches!(kind, EntryKind::File { large: true, .. });
    let (fixed, zip64) = patch_local(large, crc, size);
    out[14..26].copy_from_slice(&fixed);
    if let Some(sizes) = zip64 {
        let at = LOCAL_HEADER_LEN as usize + name.len() + 4;
        out[at..at + 16].copy_from_slice(&sizes);
    }
    Ok(out)
}

/// Where a zip is written: appended to, and patched in place.
pub(super) trait ZipOutput: Write {
    /// Overwrites bytes already written at `at`; appending continues at
    /// `end` afterwards.
    fn write_all_at(&mut self, bytes: &[u8], at: u64, end: u64) -> io::Result<()>;

    /// Appending continues at `pos`, past bytes written by someone else.
    fn skip_to(&mut self, pos: u64) -> io::Result<()>;
}

impl ZipOutput for File {
    #[cfg(unix)]
    fn write_all_at(&mut self, bytes: &[u8], at: u64, _end: u64) -> io::Result<()> {
        // A positioned write: the file position stays at the end.
        std::os::unix::fs::FileExt::write_all_at(self, bytes, at)
    }

    #[cfg(not(unix))]
    fn write_all_at(&mut self, bytes: &[u8], at: u64, end: u64) -> io::Result<()> {
        self.seek(SeekFrom::Start(at))?;
        self.write_all(bytes)?;
        self.seek(SeekFrom::Start(end)).map(|_| ())
    }

    fn skip_to(&mut self, pos: u64) -> io::Result<()> {
        self.seek(SeekFrom::Start(pos)).map(|_| ())
    }
}

/// A thread that flushes the output to disk when asked, while the writer
/// goes on. (Starting writeback without waiting, as `sync_file_range` does,
/// would need unsafe code.)
struct Writeback {
    wake: std::sync::mpsc::SyncSender<()>,
    thread: std::thread::JoinHandle<io::Result<()>>,
}

impl Writeback {
    fn start(file: File) -> Option<Self> {
        let (wake, requests) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("zip-writeback".into())
            .spawn(move || {
                // The first failure is kept: it may not be reported again
                // to the final fsync, which shares this file description.
                for () in requests {
                    file.sync_data()?;
                }
                Ok(())
            })
            .ok()?;
        Some(Writeback { wake, thread })
    }

    /// At most one request waits; more while a flush runs add nothing.
    fn request(&self) {
        let _ = self.wake.try_send(());
    }

    /// Waits for the flush under way and reports any failure.
    fn finish(self) -> io::Result<()> {
        drop(self.wake);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writeback thread panicked")))
    }
}

/// The entry being written.
struct Current {
    name: String,
    kind: EntryKind,
    stamp: Stamp,
    header_start: u64,
    crc: crc32fast::Hasher,
    size: u64,
}

/// A zip being written, one entry after another. Data goes through
/// [`Write`] between [`ZipStream::start_file`] and
/// [`ZipStream::finish_file`].
pub(super) struct ZipStream<W: ZipOutput = File> {
    out: W,
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
    writeback: Option<Writeback>,
    /// Writeback has been asked for up to here.
    written_back: u64,
    /// The output as named in messages.
    shown: String,
    /// Entries were taken in since the last write: the output's position
    /// must move to where the buffer starts before bytes go to it.
    skipped: bool,
}

impl<W: ZipOutput> ZipStream<W> {
    /// Writes a zip into `out` (empty), keeping the central directory in
    /// `central` (an empty scratch file) until [`ZipStream::finish`].
    pub(super) fn new(out: W, central: File, time: zip::DateTime, shown: String) -> Self {
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
            writeback: None,
            written_back: 0,
            shown,
            skipped: false,
        }
    }

    /// Flushes `file` (another handle on the output) to disk in the
    /// background as the zip grows.
    pub(super) fn with_writeback(mut self, file: File) -> Self {
        self.writeback = Writeback::start(file);
        self
    }

    fn header<'a>(&self, name: &'a str, kind: EntryKind, stamp: Stamp) -> Header<'a> {
        let (time, date) = match stamp {
            Stamp::Sealing => (self.time, self.date),
            Stamp::Epoch => (0, EPOCH_DATE),
        };
        Header {
            name: name.as_bytes(),
            kind,
            time,
            date,
        }
    }

    /// Starts an entry (finishing the one before); a file's data follows
    /// through [`Write`].
    pub(super) fn start_file(
        &mut self,
        name: &str,
        kind: EntryKind,
        stamp: Stamp,
    ) -> Result<(), StoreError> {
        self.finish_file()?;
        let header = self.header(name, kind, stamp);
        let header_start = self.pos;
        check_name_fits(&header, header_start)?;
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
            stamp,
            header_start,
            crc: crc32fast::Hasher::new(),
            size: 0,
        });
        Ok(())
    }

    /// Where the next entry starts.
    pub(super) fn position(&self) -> u64 {
        self.pos
    }

    /// Adds a folder entry (`name` ends with `/`).
    pub(super) fn add_directory(&mut self, name: &str) -> Result<(), StoreError> {
        self.start_file(name, EntryKind::Directory, Stamp::Sealing)?;
        self.finish_file()
    }

    /// Takes into the zip a payload entry that `seal --plan --shard` wrote
    /// where this one would have started it ([`planned_entry`]): nothing is
    /// written but its central directory record; the next entry starts
    /// after its data.
    pub(super) fn adopt_file(
        &mut self,
        name: &str,
        kind: EntryKind,
        crc: u32,
        size: u64,
    ) -> Result<(), StoreError> {
        self.finish_file()?;
        let header = self.header(name, kind, Stamp::Epoch);
        let header_start = self.pos;
        check_name_fits(&header, header_start)?;
        let local_len = local_len(&header, header_start, &mut self.scratch)?;
        self.flush_buf().map_err(io_err(name))?;
        self.scratch.clear();
        header.encode_central(&mut self.scratch, header_start, crc, size);
        self.central
            .write_all(&self.scratch)
            .map_err(io_err(name))?;
        self.central_len += self.scratch.len() as u64;
        self.entries += 1;
        self.version_needed = self.version_needed.max(header.version_needed());
        self.pos = header_start + local_len + size;
        // Moved to lazily: a run of entries taken in costs no syscall each.
        self.skipped = true;
        Ok(())
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
        let header = self.header(&entry.name, entry.kind, entry.stamp);
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
    pub(super) fn finish(mut self) -> Result<W, StoreError> {
        self.finish_file()?;
        let shown = std::mem::take(&mut self.shown);
        self.finish_inner().map_err(io_err(shown))
    }

    fn finish_inner(mut self) -> io::Result<W> {
        self.flush_buf()?;
        if let Some(writeback) = self.writeback.take() {
            writeback.finish()?;
        }
        self.settle()?;
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
            self.settle()?;
            self.out.write_all(data)?;
            self.pos += data.len() as u64;
            self.start_writeback();
        } else {
            self.buf.extend_from_slice(data);
            self.pos += data.len() as u64;
        }
        Ok(())
    }

    /// Moves the output to where the buffer starts, after entries taken in.
    fn settle(&mut self) -> io::Result<()> {
        if self.skipped {
            self.out.skip_to(self.pos - self.buf.len() as u64)?;
            self.skipped = false;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.settle()?;
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
            self.out
                .write_all_at(&bytes[..in_file], at, buffered_from)?;
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

    /// Has what was written since the last request flushed to disk, without
    /// waiting for it.
    fn start_writeback(&mut self) {
        let written = self.pos - self.buf.len() as u64;
        if let Some(writeback) = &self.writeback {
            if written - self.written_back >= WRITEBACK_STEP {
                writeback.request();
                self.written_back = written;
            }
        }
    }
}

impl<W: ZipOutput> Write for ZipStream<W> {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::{Cursor, Read};

    use super::*;
    use crate::digest::{hash_stream, PIPELINE_THRESHOLD};
    use crate::store::stage::{zip_options, zip_stamp};
    use crate::store::zip_layout;
    use crate::store::StagedBundle;
    use crate::time::UtcTime;

    enum Spec {
        File {
            name: String,
            data: Vec<u8>,
            large: bool,
            align: bool,
        },
        Dir(String),
    }

    fn file(name: &str, data: Vec<u8>) -> Spec {
        Spec::File {
            name: name.into(),
            data,
            large: false,
            align: false,
        }
    }

    fn time() -> UtcTime {
        UtcTime::parse_rfc3339("2026-11-22T10:00:00Z").unwrap()
    }

    fn pattern(len: usize, seed: usize) -> Vec<u8> {
        (0..len).map(|i| ((i * 31 + seed) % 251) as u8).collect()
    }

    /// Payload files carry the zip epoch, as staging stamps them.
    fn stamp_of(name: &str) -> Stamp {
        if name.contains("/data/") {
            Stamp::Epoch
        } else {
            Stamp::Sealing
        }
    }

    /// Options as staging set them when it wrote zips with the zip crate.
    fn crate_options(large: bool, align: bool) -> SimpleFileOptions {
        let options = zip_options(time()).large_file(large);
        if align {
            options.with_alignment(PAGE_SIZE)
        } else {
            options
        }
    }

    use zip::write::SimpleFileOptions;

    /// The oracle: what the zip crate writes for these entries.
    fn with_zip_crate(specs: &[Spec]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for spec in specs {
            match spec {
                Spec::Dir(name) => writer
                    .add_directory(name.as_str(), zip_options(time()).unix_permissions(0o755))
                    .unwrap(),
                Spec::File {
                    name,
                    data,
                    large,
                    align,
                } => {
                    let mut options = crate_options(*large, *align);
                    if stamp_of(name) == Stamp::Epoch {
                        options = options.last_modified_time(zip::DateTime::default());
                    }
                    writer.start_file(name.as_str(), options).unwrap();
                    writer.write_all(data).unwrap();
                }
            }
        }
        writer.finish().unwrap().into_inner()
    }

    /// The same entries through [`ZipStream`], fed as staging feeds it.
    fn with_zip_stream(specs: &[Spec]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.zip");
        let out = File::create_new(&path).unwrap();
        let central = tempfile::tempfile_in(dir.path()).unwrap();
        let flusher = out.try_clone().unwrap();
        let mut zip = ZipStream::new(out, central, zip_stamp(time()), "out.zip".into())
            .with_writeback(flusher);
        for spec in specs {
            match spec {
                Spec::Dir(name) => zip.add_directory(name).unwrap(),
                Spec::File {
                    name,
                    data,
                    large,
                    align,
                } => {
                    let kind = EntryKind::File {
                        large: *large,
                        align: *align,
                    };
                    zip.start_file(name, kind, stamp_of(name)).unwrap();
                    let hint = if *align {
                        PIPELINE_THRESHOLD
                    } else {
                        data.len() as u64
                    };
                    let digest =
                        hash_stream(&mut &data[..], hint, Some(&mut zip), &|_| {}).unwrap();
                    assert_eq!(digest.size, data.len() as u64);
                    zip.finish_file().unwrap();
                }
            }
        }
        zip.finish().unwrap().sync_all().unwrap();
        std::fs::read(&path).unwrap()
    }

    /// Both ways give the same bytes, which exhibit's own reader accounts
    /// for without a problem and the zip crate reads back entry by entry.
    fn check(specs: &[Spec]) -> Vec<u8> {
        let ours = with_zip_stream(specs);
        let theirs = with_zip_crate(specs);
        assert_eq!(ours.len(), theirs.len(), "lengths differ");
        if let Some(at) = ours.iter().zip(&theirs).position(|(a, b)| a != b) {
            panic!("first difference at byte {at}");
        }
        let layout = zip_layout::account(&ours[..], ours.len() as u64).unwrap();
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        assert_eq!(layout.records.len(), specs.len());
        let mut archive = zip::ZipArchive::new(Cursor::new(&ours[..])).unwrap();
        assert_eq!(archive.len(), specs.len());
        for (index, spec) in specs.iter().enumerate() {
            let mut entry = archive.by_index(index).unwrap();
            let (name, data) = match spec {
                Spec::Dir(name) => (name, &[][..]),
                Spec::File { name, data, .. } => (name, &data[..]),
            };
            assert_eq!(entry.name().unwrap(), name.as_str());
            assert_eq!(entry.size(), data.len() as u64);
            assert_eq!(entry.crc32(), crc32fast::hash(data));
            let mut read = Vec::new();
            entry.read_to_end(&mut read).unwrap();
            assert!(read == data, "{name}: other data read back");
        }
        ours
    }

    #[test]
    fn small_files_and_the_folder_entry_as_the_zip_crate_writes_them() {
        let specs = [
            file("b/bag-info.txt", b"Bag-Software-Agent: exhibit\n".to_vec()),
            file("b/bagit.txt", pattern(61, 1)),
            Spec::Dir("b/data/".into()),
            file("b/data/empty", Vec::new()),
            file("b/data/caf\u{e9} \u{65e5}\u{672c}.txt", pattern(1000, 2)),
            file("b/data/\u{1f600}", pattern(5, 3)),
            // Larger than the write buffer: written past it, header patched
            // in the file rather than in the buffer.
            file("b/data/z", pattern(300_000, 4)),
            file("b/manifest-sha256.txt", pattern(77, 5)),
        ];
        let bytes = check(&specs);
        let layout = zip_layout::account(&bytes[..], bytes.len() as u64).unwrap();
        let flags: Vec<u16> = layout.records.iter().map(|r| r.flags).collect();
        assert_eq!(flags, [0, 0, 0, 0, FLAG_UTF8, FLAG_UTF8, 0, 0]);
    }

    #[test]
    fn large_files_data_starts_on_a_page_as_the_zip_crate_writes_it() {
        let specs = [
            file("b/bagit.txt", pattern(33, 1)),
            Spec::File {
                name: "b/data/big".into(),
                data: pattern(PIPELINE_THRESHOLD as usize + 12_345, 2),
                large: false,
                align: true,
            },
            file("b/data/odd", pattern(4097, 3)),
            Spec::File {
                name: "b/data/big2".into(),
                // Past the step at which writeback starts in the background.
                data: pattern(WRITEBACK_STEP as usize + PIPELINE_THRESHOLD as usize, 4),
                large: false,
                align: true,
            },
        ];
        let bytes = check(&specs);
        let layout = zip_layout::account(&bytes[..], bytes.len() as u64).unwrap();
        for index in [1, 3] {
            let start = layout.records[index].data_start.unwrap();
            assert_eq!(start % u64::from(PAGE_SIZE), 0, "entry {index}");
        }
    }

    #[test]
    fn zip64_entries_as_the_zip_crate_writes_them() {
        // Files of 2 GiB or more get zip64 sizes from the start; the
        // encoding does not depend on the actual size (see the sparse test
        // below for sizes and offsets past 4 GiB).
        let specs = [
            file("b/bagit.txt", pattern(33, 1)),
            Spec::File {
                name: "b/data/l".into(),
                data: pattern(1000, 2),
                large: true,
                align: false,
            },
            Spec::File {
                name: "b/data/\u{e9}mpty".into(),
                data: Vec::new(),
                large: true,
                align: false,
            },
            Spec::File {
                name: "b/data/la".into(),
                data: pattern(PIPELINE_THRESHOLD as usize + 1, 3),
                large: true,
                align: true,
            },
        ];
        check(&specs);
    }

    #[test]
    fn more_than_65535_entries_get_zip64_end_records_as_the_zip_crate_writes_them() {
        let mut specs = vec![Spec::Dir("b/data/".into())];
        specs.extend((0..70_000).map(|i| file(&format!("b/data/{i:05}"), pattern(i % 7, i))));
        let bytes = check(&specs);
        let end = bytes.len() - 22 - 20 - 56;
        assert_eq!(&bytes[end..end + 4], &ZIP64_END_RECORD.to_le_bytes());
    }

    #[test]
    fn a_staged_zip_bundle_is_what_staging_wrote_with_the_zip_crate() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.zip");
        let big = pattern(PIPELINE_THRESHOLD as usize + 999, 9);
        let mut staged = StagedBundle::create(&out, time()).unwrap();
        staged.write_bytes("bag-info.txt", b"x: y\n").unwrap();
        staged
            .write_bytes("bagit.txt", b"BagIt-Version: 1.0\n")
            .unwrap();
        staged.write_payload_dir().unwrap();
        staged
            .write_stream("data/big", big.len() as u64, &mut &big[..], &|_| {})
            .unwrap();
        staged.write_bytes("data/\u{e9}", b"").unwrap();
        staged.commit().unwrap();
        let expected = with_zip_crate(&[
            file("b/bag-info.txt", b"x: y\n".to_vec()),
            file("b/bagit.txt", b"BagIt-Version: 1.0\n".to_vec()),
            Spec::Dir("b/data/".into()),
            Spec::File {
                name: "b/data/big".into(),
                data: big.clone(),
                large: false,
                align: true,
            },
            file("b/data/\u{e9}", Vec::new()),
        ]);
        assert!(std::fs::read(&out).unwrap() == expected);
    }

    #[test]
    fn a_name_too_long_for_a_header_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = File::create_new(dir.path().join("o.zip")).unwrap();
        let central = tempfile::tempfile_in(dir.path()).unwrap();
        let mut zip = ZipStream::new(out, central, zip_stamp(time()), "o.zip".into());
        let name = "n".repeat(70_000);
        let kind = EntryKind::File {
            large: false,
            align: false,
        };
        assert!(matches!(
            zip.start_file(&name, kind, Stamp::Sealing),
            Err(StoreError::Zip { .. })
        ));
    }

    /// Remembers every byte written except long runs (file data), so an
    /// archive of several GiB can be compared by its headers.
    #[derive(Default)]
    struct Sparse {
        pos: u64,
        end: u64,
        bytes: BTreeMap<u64, u8>,
    }

    const DATA_WRITE: usize = 1 << 20;

    impl Sparse {
        fn record(&mut self, bytes: &[u8], at: u64) {
            if bytes.len() < DATA_WRITE {
                for (i, b) in bytes.iter().enumerate() {
                    self.bytes.insert(at + i as u64, *b);
                }
            }
        }
    }

    impl Write for Sparse {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.record(buf, self.pos);
            self.pos += buf.len() as u64;
            self.end = self.end.max(self.pos);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Seek for Sparse {
        fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
            self.pos = match to {
                SeekFrom::Start(p) => p,
                SeekFrom::End(d) => self.end.checked_add_signed(d).unwrap(),
                SeekFrom::Current(d) => self.pos.checked_add_signed(d).unwrap(),
            };
            Ok(self.pos)
        }
    }

    impl ZipOutput for Sparse {
        fn write_all_at(&mut self, bytes: &[u8], at: u64, end: u64) -> io::Result<()> {
            assert_eq!(end, self.pos);
            self.record(bytes, at);
            Ok(())
        }

        fn skip_to(&mut self, _pos: u64) -> io::Result<()> {
            Err(io::Error::other("not used"))
        }
    }

    #[test]
    fn sizes_and_offsets_past_4_gib_as_the_zip_crate_writes_them() {
        // 4.5 GiB of zeros, written in 1 MiB pieces and never stored.
        let zeros = vec![0u8; DATA_WRITE];
        let big_len = 4608 * DATA_WRITE as u64;
        let small = [
            ("t/bagit.txt", pattern(40, 1)),
            ("t/data/\u{e9}", pattern(9, 2)),
        ];

        let mut theirs = zip::ZipWriter::new(Sparse::default());
        theirs
            .start_file(small[0].0, crate_options(false, false))
            .unwrap();
        theirs.write_all(&small[0].1).unwrap();
        theirs
            .start_file("t/data/big", crate_options(true, true))
            .unwrap();
        for _ in 0..big_len / DATA_WRITE as u64 {
            theirs.write_all(&zeros).unwrap();
        }
        // After 4 GiB: the offset needs a zip64 field, the sizes do not.
        theirs
            .start_file(small[1].0, crate_options(false, false))
            .unwrap();
        theirs.write_all(&small[1].1).unwrap();
        theirs
            .add_directory("t/data/", zip_options(time()).unix_permissions(0o755))
            .unwrap();
        let theirs = theirs.finish().unwrap();

        let dir = tempfile::tempdir().unwrap();
        let central = tempfile::tempfile_in(dir.path()).unwrap();
        let mut ours = ZipStream::new(Sparse::default(), central, zip_stamp(time()), "".into());
        let plain = EntryKind::File {
            large: false,
            align: false,
        };
        ours.start_file(small[0].0, plain, Stamp::Sealing).unwrap();
        ours.write_all(&small[0].1).unwrap();
        let large = EntryKind::File {
            large: true,
            align: true,
        };
        ours.start_file("t/data/big", large, Stamp::Sealing)
            .unwrap();
        for _ in 0..big_len / DATA_WRITE as u64 {
            ours.write_all(&zeros).unwrap();
        }
        ours.start_file(small[1].0, plain, Stamp::Sealing).unwrap();
        ours.write_all(&small[1].1).unwrap();
        ours.add_directory("t/data/").unwrap();
        let ours = ours.finish().unwrap();

        assert_eq!(ours.end, theirs.end);
        assert!(ours.end > big_len);
        assert_eq!(ours.bytes.len(), theirs.bytes.len());
        if let Some((at, _)) = ours.bytes.iter().zip(&theirs.bytes).find(|(a, b)| a != b) {
            panic!("first difference at byte {}", at.0);
        }
        // The end records are zip64 ones.
        let zip64_end = ours.end - 22 - 20 - 56;
        let signature: Vec<u8> = (0..4).map(|i| ours.bytes[&(zip64_end + i)]).collect();
        assert_eq!(signature, ZIP64_END_RECORD.to_le_bytes());
    }
}
