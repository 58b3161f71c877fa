//! Every byte of a zip file, accounted for. The zip crate reads archives
//! leniently (it skips a prefix, keeps one entry per name, trusts the end
//! record's sizes); a verifier must not. This module parses the end records,
//! the central directory and each local header and data descriptor itself,
//! and checks that they tile the file exactly — local headers, data and
//! descriptors from byte 0 up to the central directory, then the central
//! directory, the zip64 records if any, and the end record as the last
//! bytes — and that every field given twice (in the local header and the
//! central directory, in the end record and the zip64 record) agrees. What
//! does not is a problem; a file without an end record is not a zip at all.
//!
//! Pure over [`ReadAt`], so the same code runs on a file and, when fuzzed,
//! on bytes in memory.

use std::io;

use rayon::prelude::*;

use crate::problem::{Problem, ProblemCode};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const DATA_DESCRIPTOR: u32 = 0x0807_4b50;
const END_RECORD: u32 = 0x0605_4b50;
const ZIP64_END_RECORD: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;

const END_RECORD_LEN: u64 = 22;
const ZIP64_LOCATOR_LEN: u64 = 20;
const ZIP64_END_RECORD_LEN: u64 = 56;
const CENTRAL_HEADER_LEN: usize = 46;
const LOCAL_HEADER_LEN: usize = 30;
/// Records whose local headers one worker checks at a time.
const LOCAL_CHECK_CHUNK: usize = 4096;
/// Largest end-record comment: its length is a 16-bit field.
const MAX_COMMENT: u64 = 0xFFFF;

/// Extra field ids we look inside.
const ZIP64_EXTRA: u16 = 0x0001;
/// Info-ZIP Unicode Path: a second name that some readers prefer.
const UNICODE_PATH_EXTRA: u16 = 0x7075;

/// General-purpose flag bits.
const FLAG_ENCRYPTED: u16 = 1 << 0;
const FLAG_DATA_DESCRIPTOR: u16 = 1 << 3;
const FLAG_UTF8: u16 = 1 << 11;

/// Positioned reads of exactly `buf.len()` bytes.
pub trait ReadAt: Sync {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()>;
}

impl ReadAt for [u8] {
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let start = usize::try_from(offset).map_err(|_| io::ErrorKind::UnexpectedEof)?;
        let end = start
            .checked_add(buf.len())
            .filter(|end| *end <= self.len())
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        buf.copy_from_slice(&self[start..end]);
        Ok(())
    }
}

/// One central directory record, checked against its local header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: Vec<u8>,
    pub flags: u16,
    pub method: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub size: u64,
    pub header_start: u64,
    /// Unix mode bits, when the record was made on Unix.
    pub unix_mode: Option<u32>,
    /// Where the data starts, once the local header has been read; None
    /// when there is no usable local header (reported).
    pub data_start: Option<u64>,
}

impl Record {
    pub fn encrypted(&self) -> bool {
        self.flags & FLAG_ENCRYPTED != 0
    }
}

/// What [`account`] found: the records in central-directory order, where
/// the central directory starts, and everything that does not add up.
#[derive(Debug, Default)]
pub struct Layout {
    pub records: Vec<Record>,
    pub cd_start: u64,
    pub problems: Vec<Problem>,
}

/// Reads and checks the whole structure of a zip of `len` bytes. `Err` only
/// when no end record can be found: then it is not a zip at all.
pub fn account(source: &(impl ReadAt + ?Sized), len: u64) -> Result<Layout, &'static str> {
    let mut layout = Layout::default();
    let end = find_end_record(source, len, &mut layout.problems)?;
    let directory = directory_bounds(source, &end, &mut layout.problems);
    layout.cd_start = directory.start;
    layout.records = read_central_directory(source, &directory, &mut layout.problems);
    if layout.records.len() as u64 != directory.entries {
        layout.problems.push(structure(format!(
            "the end record counts {} entries, the central directory holds {}",
            directory.entries,
            layout.records.len()
        )));
    }
    // In chunks, each record updated in place and the end of its span
    // noted beside it (0: none): a result per record held for the whole
    // directory would cost more than the records themselves.
    let mut ends = vec![0u64; layout.records.len()];
    let chunks: Vec<Vec<Problem>> = layout
        .records
        .par_chunks_mut(LOCAL_CHECK_CHUNK)
        .zip(ends.par_chunks_mut(LOCAL_CHECK_CHUNK))
        .map(|(chunk, ends)| {
            let mut problems = Vec::new();
            for (record, end) in chunk.iter_mut().zip(ends) {
                let (data_start, span, found) = check_local(source, record);
                record.data_start = data_start;
                *end = span.map_or(0, |s| s.end);
                problems.extend(found);
            }
            problems
        })
        .collect();
    layout.problems.extend(chunks.into_iter().flatten());
    check_tiling(
        &layout.records,
        &ends,
        directory.start,
        &mut layout.problems,
    );
    drop(ends);
    check_duplicate_names(&layout.records, &mut layout.problems);
    Ok(layout)
}

/// The end records and the central directory of a zip of `len` bytes,
/// streamed: `visit` is given each record in directory order and keeps what
/// it wants, so nothing is held per record here. Checks what [`account`]
/// checks of the end records, the directory's bounds and its record count;
/// not the local headers (see [`check_local_header`], for the records
/// kept), the tiling or duplicate names. `Err` as for [`account`].
pub fn scan(
    source: &(impl ReadAt + ?Sized),
    len: u64,
    visit: &mut dyn FnMut(Record),
) -> Result<Vec<Problem>, &'static str> {
    let mut problems = Vec::new();
    let end = find_end_record(source, len, &mut problems)?;
    let directory = directory_bounds(source, &end, &mut problems);
    let Some(count) = visit_central_directory(source, &directory, &mut problems, visit) else {
        return Ok(problems);
    };
    if count != directory.entries {
        problems.push(structure(format!(
            "the end record counts {} entries, the central directory holds {count}",
            directory.entries
        )));
    }
    Ok(problems)
}

/// Reads one record's local header (and data descriptor) and checks them
/// against the record, as [`account`] does for every record; sets its
/// `data_start` and returns its problems.
pub fn check_local_header(source: &(impl ReadAt + ?Sized), record: &mut Record) -> Vec<Problem> {
    let (data_start, _, problems) = check_local(source, record);
    record.data_start = data_start;
    problems
}

fn structure(message: String) -> Problem {
    Problem::new(ProblemCode::ZipLayout, None, message)
}

fn entry_problem(name: &[u8], message: String) -> Problem {
    Problem::new(
        ProblemCode::ZipEntry,
        Some(&String::from_utf8_lossy(name)),
        message,
    )
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(word)
}

/// The end record and where it is.
struct EndRecord {
    at: u64,
    disk: u16,
    directory_disk: u16,
    entries_on_disk: u16,
    entries: u16,
    cd_size: u32,
    cd_offset: u32,
}

/// The end record is the last 22 bytes of the file plus its comment. The
/// last signature whose comment ends exactly at the end of the file is it;
/// with none, the last signature at all (and the bytes after its comment
/// are reported).
fn find_end_record(
    source: &(impl ReadAt + ?Sized),
    len: u64,
    problems: &mut Vec<Problem>,
) -> Result<EndRecord, &'static str> {
    if len < END_RECORD_LEN {
        return Err("too short to be a zip file");
    }
    let window = len.min(END_RECORD_LEN + MAX_COMMENT + 64 * 1024);
    let start = len - window;
    let mut tail = vec![0u8; window as usize];
    source
        .read_exact_at(&mut tail, start)
        .map_err(|_| "cannot read the end of the file")?;
    let signature = END_RECORD.to_le_bytes();
    let candidates: Vec<usize> = (0..=tail.len() - END_RECORD_LEN as usize)
        .rev()
        .filter(|&i| tail[i..i + 4] == signature)
        .collect();
    let exact = candidates
        .iter()
        .copied()
        .find(|&i| i as u64 + END_RECORD_LEN + u64::from(u16_at(&tail, i + 20)) == window);
    let Some(i) = exact.or_else(|| candidates.first().copied()) else {
        return Err("no zip end record");
    };
    let b = &tail[i..];
    let at = start + i as u64;
    let comment = u64::from(u16_at(b, 20));
    let ends = at + END_RECORD_LEN + comment;
    if ends > len {
        problems.push(structure(format!(
            "the end record's comment runs {} bytes past the end of the file",
            ends - len
        )));
    } else if ends < len {
        problems.push(structure(format!(
            "{} bytes after the end record: not part of the zip",
            len - ends
        )));
    }
    if comment > 0 {
        problems.push(structure(format!(
            "a zip comment of {comment} bytes, which the seal does not cover"
        )));
    }
    Ok(EndRecord {
        at,
        disk: u16_at(b, 4),
        directory_disk: u16_at(b, 6),
        entries_on_disk: u16_at(b, 8),
        entries: u16_at(b, 10),
        cd_size: u32_at(b, 12),
        cd_offset: u32_at(b, 16),
    })
}

/// Where the central directory is, how many records it says it holds, and
/// where it must end (at the zip64 end record, or at the end record).
struct Directory {
    start: u64,
    end: u64,
    entries: u64,
}

fn directory_bounds(
    source: &(impl ReadAt + ?Sized),
    end: &EndRecord,
    problems: &mut Vec<Problem>,
) -> Directory {
    if end.disk != 0 || end.directory_disk != 0 || end.entries_on_disk != end.entries {
        problems.push(structure(
            "the end record describes a zip split over several disks".into(),
        ));
    }
    let plain = Directory {
        start: u64::from(end.cd_offset),
        end: end.at,
        entries: u64::from(end.entries),
    };
    let needs_zip64 =
        end.entries == 0xFFFF || end.cd_size == 0xFFFF_FFFF || end.cd_offset == 0xFFFF_FFFF;
    let locator = read_zip64_locator(source, end.at);
    let directory = match (needs_zip64, locator) {
        (_, Some(zip64_at)) => match read_zip64_end(source, zip64_at, end.at, problems) {
            Some(directory) => directory,
            None => return plain,
        },
        (true, None) => {
            problems.push(structure(
                "the end record defers to a zip64 end record that is not there".into(),
            ));
            return plain;
        }
        (false, None) => {
            let size = u64::from(end.cd_size);
            if plain.start.checked_add(size) != Some(plain.end) {
                problems.push(structure(format!(
                    "the end record says the central directory has {size} bytes from offset {}, \
                     but it ends at {}",
                    plain.start, plain.end
                )));
            }
            return plain;
        }
    };
    // Where the zip64 record holds the true value, the plain one must be
    // its 16- or 32-bit form or the "see zip64" marker.
    let agrees16 = |plain: u16, full: u64| plain == 0xFFFF || u64::from(plain) == full;
    let agrees32 = |plain: u32, full: u64| plain == 0xFFFF_FFFF || u64::from(plain) == full;
    if !agrees16(end.entries, directory.entries)
        || !agrees32(end.cd_offset, directory.start)
        || !agrees32(end.cd_size, directory.end - directory.start)
    {
        problems.push(structure(
            "the end record and the zip64 end record disagree".into(),
        ));
    }
    directory
}

/// The zip64 end record's offset, from the locator just before the end
/// record, when there is one.
fn read_zip64_locator(source: &(impl ReadAt + ?Sized), end_at: u64) -> Option<u64> {
    let at = end_at.checked_sub(ZIP64_LOCATOR_LEN)?;
    let mut b = [0u8; ZIP64_LOCATOR_LEN as usize];
    source.read_exact_at(&mut b, at).ok()?;
    (u32_at(&b, 0) == ZIP64_LOCATOR).then(|| u64_at(&b, 8))
}

fn read_zip64_end(
    source: &(impl ReadAt + ?Sized),
    at: u64,
    end_at: u64,
    problems: &mut Vec<Problem>,
) -> Option<Directory> {
    let locator_at = end_at - ZIP64_LOCATOR_LEN;
    let mut b = [0u8; ZIP64_END_RECORD_LEN as usize];
    if source.read_exact_at(&mut b, at).is_err() || u32_at(&b, 0) != ZIP64_END_RECORD {
        problems.push(structure(
            "no zip64 end record where the locator points".into(),
        ));
        return None;
    }
    // The record's own size counts from after its first 12 bytes; any
    // extensible data must end exactly at the locator.
    let record_end = at
        .checked_add(12)
        .and_then(|s| s.checked_add(u64_at(&b, 4)));
    if u64_at(&b, 4) < ZIP64_END_RECORD_LEN - 12 || record_end != Some(locator_at) {
        problems.push(structure(
            "the zip64 end record does not end at its locator".into(),
        ));
    }
    if u32_at(&b, 16) != 0 || u32_at(&b, 20) != 0 || u64_at(&b, 24) != u64_at(&b, 32) {
        problems.push(structure(
            "the zip64 end record describes a zip split over several disks".into(),
        ));
    }
    let (entries, size, start) = (u64_at(&b, 32), u64_at(&b, 40), u64_at(&b, 48));
    if start.checked_add(size) != Some(at) {
        problems.push(structure(format!(
            "the zip64 end record says the central directory has {size} bytes from offset \
             {start}, but it ends at {at}"
        )));
    }
    Some(Directory {
        start,
        end: at,
        entries,
    })
}

/// Reads the central directory records from `directory.start` up to
/// `directory.end`; they must fill it exactly. Streamed through a window,
/// never held whole: a million records take over 100 MB.
fn read_central_directory(
    source: &(impl ReadAt + ?Sized),
    directory: &Directory,
    problems: &mut Vec<Problem>,
) -> Vec<Record> {
    // Exactly as many as the end record says (a growing vector would hold
    // up to twice that), but no more than the directory's bytes can hold.
    let fit = (directory.end.saturating_sub(directory.start)) / CENTRAL_HEADER_LEN as u64;
    let mut records = Vec::with_capacity(usize::try_from(directory.entries.min(fit)).unwrap_or(0));
    visit_central_directory(source, directory, problems, &mut |record| {
        records.push(record)
    });
    records
}

/// Parses the central directory's records in order, handing each to
/// `visit`; a record that does not parse ends the walk (reported). Returns
/// how many were read, or None when the directory's bounds are impossible.
fn visit_central_directory(
    source: &(impl ReadAt + ?Sized),
    directory: &Directory,
    problems: &mut Vec<Problem>,
    visit: &mut dyn FnMut(Record),
) -> Option<u64> {
    if directory.start > directory.end {
        problems.push(structure(
            "the central directory starts after the end record".into(),
        ));
        return None;
    }
    let mut window = Window::new(source, directory.start, directory.end);
    let mut count = 0u64;
    while window.pos < directory.end {
        let at = window.pos;
        match parse_central_header(&mut window) {
            Ok(record) => {
                count += 1;
                visit(record);
            }
            Err(reason) => {
                problems.push(structure(format!(
                    "central directory offset {at}: {reason}"
                )));
                break;
            }
        }
    }
    Some(count)
}

/// Sequential reads of a byte range, a megabyte at a time.
struct Window<'s, S: ReadAt + ?Sized> {
    source: &'s S,
    pos: u64,
    end: u64,
    buf: Vec<u8>,
    buf_start: u64,
}

impl<'s, S: ReadAt + ?Sized> Window<'s, S> {
    const CHUNK: u64 = 1 << 20;

    fn new(source: &'s S, start: u64, end: u64) -> Self {
        Window {
            source,
            pos: start,
            end,
            buf: Vec::new(),
            buf_start: start,
        }
    }

    /// The next `n` bytes of the range.
    fn take(&mut self, n: usize) -> Result<&[u8], &'static str> {
        let want_end = self
            .pos
            .checked_add(n as u64)
            .filter(|e| *e <= self.end)
            .ok_or("record runs past the end of the central directory")?;
        let buf_end = self.buf_start + self.buf.len() as u64;
        if self.pos < self.buf_start || want_end > buf_end {
            let len = (self.end - self.pos).min(Self::CHUNK.max(n as u64));
            self.buf.resize(len as usize, 0);
            self.source
                .read_exact_at(&mut self.buf, self.pos)
                .map_err(|_| "the central directory cannot be read")?;
            self.buf_start = self.pos;
        }
        let from = (self.pos - self.buf_start) as usize;
        self.pos = want_end;
        Ok(&self.buf[from..from + n])
    }
}

/// One central directory record.
fn parse_central_header<S: ReadAt + ?Sized>(
    window: &mut Window<'_, S>,
) -> Result<Record, &'static str> {
    let fixed: [u8; CENTRAL_HEADER_LEN] = window
        .take(CENTRAL_HEADER_LEN)?
        .try_into()
        .map_err(|_| "short record")?;
    let b = &fixed[..];
    if u32_at(b, 0) != CENTRAL_HEADER {
        return Err("not a central directory record");
    }
    let name_len = usize::from(u16_at(b, 28));
    let extra_len = usize::from(u16_at(b, 30));
    let comment_len = usize::from(u16_at(b, 32));
    let variable = window.take(name_len + extra_len + comment_len)?;
    let name = variable[..name_len].to_vec();
    let extra = &variable[name_len..name_len + extra_len];
    let mut size = u64::from(u32_at(b, 24));
    let mut compressed_size = u64::from(u32_at(b, 20));
    let mut header_start = u64::from(u32_at(b, 42));
    let mut disk = u32::from(u16_at(b, 34));
    let fields = extra_fields(extra).ok_or("malformed extra field")?;
    if let Some(zip64) = fields
        .iter()
        .find(|(id, _)| *id == ZIP64_EXTRA)
        .map(|f| f.1)
    {
        // Present in this order, and only for the fields that overflowed.
        let mut values = zip64.chunks_exact(8).map(|c| u64_at(c, 0));
        let mut take = |value: &mut u64, marker: u64| -> Result<(), &'static str> {
            if *value == marker {
                *value = values.next().ok_or("zip64 extra field too short")?;
            }
            Ok(())
        };
        take(&mut size, 0xFFFF_FFFF)?;
        take(&mut compressed_size, 0xFFFF_FFFF)?;
        take(&mut header_start, 0xFFFF_FFFF)?;
        let mut disk64 = u64::from(disk);
        take(&mut disk64, 0xFFFF)?;
        disk = u32::try_from(disk64).unwrap_or(u32::MAX);
    }
    if disk != 0 {
        return Err("record on another disk");
    }
    let made_on_unix = u16_at(b, 4) >> 8 == 3;
    Ok(Record {
        name,
        flags: u16_at(b, 8),
        method: u16_at(b, 10),
        crc32: u32_at(b, 16),
        compressed_size,
        size,
        header_start,
        unix_mode: made_on_unix.then(|| u32_at(b, 38) >> 16),
        data_start: None,
    })
}

/// The (id, data) pairs of an extra field block; None when they do not
/// fill it exactly.
fn extra_fields(mut extra: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    let mut fields = Vec::new();
    while !extra.is_empty() {
        if extra.len() < 4 {
            return None;
        }
        let (id, len) = (u16_at(extra, 0), usize::from(u16_at(extra, 2)));
        let data = extra.get(4..4 + len)?;
        fields.push((id, data));
        extra = &extra[4 + len..];
    }
    Some(fields)
}

/// The bytes one entry occupies: local header, data, data descriptor.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u64,
    end: u64,
}

/// Reads a record's local header (and data descriptor) and checks them
/// against the record. Returns where the data starts, the entry's span, and
/// its problems.
fn check_local(
    source: &(impl ReadAt + ?Sized),
    record: &Record,
) -> (Option<u64>, Option<Span>, Vec<Problem>) {
    let mut problems = Vec::new();
    let fail = |message: &str| {
        (
            None,
            None,
            vec![entry_problem(&record.name, message.to_string())],
        )
    };
    let mut fixed = [0u8; LOCAL_HEADER_LEN];
    if source
        .read_exact_at(&mut fixed, record.header_start)
        .is_err()
        || u32_at(&fixed, 0) != LOCAL_HEADER
    {
        return fail("no local header where the central directory points");
    }
    let name_len = usize::from(u16_at(&fixed, 26));
    let extra_len = usize::from(u16_at(&fixed, 28));
    let mut variable = vec![0u8; name_len + extra_len];
    let variable_at = record.header_start + LOCAL_HEADER_LEN as u64;
    if source.read_exact_at(&mut variable, variable_at).is_err() {
        return fail("local header runs past the end of the file");
    }
    let (name, extra) = variable.split_at(name_len);
    let Some(data_start) = variable_at
        .checked_add(variable.len() as u64)
        .filter(|start| start.checked_add(record.compressed_size).is_some())
    else {
        return fail("data beyond any possible file size");
    };
    if name != record.name.as_slice() {
        problems.push(entry_problem(
            &record.name,
            format!("local header names {:?}", String::from_utf8_lossy(name)),
        ));
    }
    let flags = u16_at(&fixed, 6);
    if flags != record.flags || u16_at(&fixed, 8) != record.method {
        problems.push(entry_problem(
            &record.name,
            "local header and central directory disagree on flags or compression method".into(),
        ));
    }
    let Some(fields) = extra_fields(extra) else {
        return fail("malformed extra field in the local header");
    };
    problems.extend(name_problems(record, &fields));
    let zip64 = fields
        .iter()
        .find(|(id, _)| *id == ZIP64_EXTRA)
        .map(|f| f.1);
    let local_size = local_sizes(&fixed, zip64);
    let data_end = data_start + record.compressed_size;
    let end = if flags & FLAG_DATA_DESCRIPTOR == 0 {
        if local_size != Some((record.crc32, record.compressed_size, record.size)) {
            problems.push(entry_problem(
                &record.name,
                format!(
                    "local header and central directory disagree on CRC or sizes \
                     (central directory: {} bytes, {} stored)",
                    record.size, record.compressed_size
                ),
            ));
        }
        data_end
    } else {
        match read_descriptor(source, data_end, zip64.is_some(), record) {
            Ok(len) => data_end + len,
            Err(message) => {
                problems.push(entry_problem(&record.name, message.into()));
                data_end
            }
        }
    };
    let span = Span {
        start: record.header_start,
        end,
    };
    (Some(data_start), Some(span), problems)
}

/// CRC, compressed and uncompressed size from a local header, taking the
/// zip64 extra field where the 32-bit fields say so.
fn local_sizes(fixed: &[u8], zip64: Option<&[u8]>) -> Option<(u32, u64, u64)> {
    let crc = u32_at(fixed, 14);
    let (mut compressed, mut size) = (u64::from(u32_at(fixed, 18)), u64::from(u32_at(fixed, 22)));
    if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
        // A local header's zip64 field holds both sizes, uncompressed first.
        let zip64 = zip64.filter(|z| z.len() >= 16)?;
        size = u64_at(zip64, 0);
        compressed = u64_at(zip64, 8);
    }
    Some((crc, compressed, size))
}

/// Names that readers could take differently: a non-ASCII name without the
/// UTF-8 flag (read as CP437 by some), or a second, Unicode name beside it.
fn name_problems(record: &Record, fields: &[(u16, &[u8])]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !record.name.is_ascii() && record.flags & FLAG_UTF8 == 0 {
        problems.push(entry_problem(
            &record.name,
            "non-ASCII name without the UTF-8 flag: zip readers disagree on what it says".into(),
        ));
    }
    if fields.iter().any(|(id, _)| *id == UNICODE_PATH_EXTRA) {
        problems.push(entry_problem(
            &record.name,
            "a second (Unicode path) name beside the entry's name: readers disagree on it".into(),
        ));
    }
    problems
}

/// Checks the data descriptor after an entry's data against the central
/// directory; returns its length.
fn read_descriptor(
    source: &(impl ReadAt + ?Sized),
    at: u64,
    zip64: bool,
    record: &Record,
) -> Result<u64, &'static str> {
    let mut b = [0u8; 24];
    let size_len = if zip64 { 8 } else { 4 };
    let body = 4 + 2 * size_len;
    let signed = source.read_exact_at(&mut b[..4], at).is_ok() && u32_at(&b, 0) == DATA_DESCRIPTOR;
    let (skip, len) = if signed { (4, 4 + body) } else { (0, body) };
    source
        .read_exact_at(&mut b[..body], at + skip)
        .map_err(|_| "data descriptor runs past the end of the file")?;
    let field = |i: usize| {
        if zip64 {
            u64_at(&b, 4 + 8 * i)
        } else {
            u64::from(u32_at(&b, 4 + 4 * i))
        }
    };
    if (u32_at(&b, 0), field(0), field(1)) != (record.crc32, record.compressed_size, record.size) {
        return Err("data descriptor and central directory disagree on CRC or sizes");
    }
    Ok(len as u64)
}

/// The entries must tile the file from byte 0 to the central directory:
/// a gap is where a hidden entry could sit, an overlap lets two names share
/// bytes.
/// `ends[i]` is where record `i`'s span ends (0: it has none).
fn check_tiling(records: &[Record], ends: &[u64], cd_start: u64, problems: &mut Vec<Problem>) {
    let span = |i: usize| Span {
        start: records[i].header_start,
        end: ends[i],
    };
    let mut order: Vec<u32> = (0..records.len())
        .filter(|&i| ends[i] != 0)
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    // Usually in file order already; otherwise sorted (4 bytes a span).
    let key = |i: &u32| {
        let s = span(*i as usize);
        (s.start, s.end)
    };
    if !order.is_sorted_by_key(key) {
        order.sort_unstable_by_key(key);
    }
    let mut expected = 0u64;
    for span in order.iter().map(|&i| span(i as usize)) {
        if span.start < expected {
            problems.push(structure(format!(
                "two entries share bytes {}..{}",
                span.start,
                expected.min(span.end)
            )));
        } else if span.start > expected {
            let what = if expected == 0 {
                "before the first entry"
            } else {
                "between two entries"
            };
            problems.push(structure(format!(
                "{} bytes {what} (offset {expected}) that no entry accounts for",
                span.start - expected
            )));
        }
        expected = expected.max(span.end);
    }
    if expected < cd_start {
        problems.push(structure(format!(
            "{} bytes before the central directory (offset {expected}) that no entry accounts for",
            cd_start - expected
        )));
    } else if expected > cd_start {
        problems.push(structure(format!(
            "entry data runs {} bytes into the central directory",
            expected - cd_start
        )));
    }
}

/// Many readers keep one entry per name; a name given twice is reported
/// here, whatever its offsets.
fn check_duplicate_names(records: &[Record], problems: &mut Vec<Problem>) {
    // Indices, not slices: 4 bytes a record.
    let name = |i: &u32| records[*i as usize].name.as_slice();
    let mut order: Vec<u32> = (0..records.len())
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    order.sort_unstable_by(|a, b| name(a).cmp(name(b)));
    let mut reported: Option<&[u8]> = None;
    for pair in order.windows(2) {
        let pair = [name(&pair[0]), name(&pair[1])];
        if pair[0] == pair[1] && reported != Some(pair[0]) {
            problems.push(Problem::new(
                ProblemCode::PathDuplicate,
                Some(&String::from_utf8_lossy(pair[0])),
                "listed more than once in the zip's central directory",
            ));
            reported = Some(pair[0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn zip_of(files: &[(&str, &[u8])], options: SimpleFileOptions) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in files {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn stored() -> SimpleFileOptions {
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
    }

    fn codes(layout: &Layout) -> Vec<&'static str> {
        layout.problems.iter().map(|p| p.code.as_str()).collect()
    }

    #[test]
    fn a_clean_zip_is_accounted_for() {
        for options in [
            stored(),
            stored().large_file(true),
            SimpleFileOptions::default(),
        ] {
            let bytes = zip_of(&[("b/a.txt", b"alpha"), ("b/c", b"")], options);
            let layout = account(bytes.as_slice(), bytes.len() as u64).unwrap();
            assert!(layout.problems.is_empty(), "{:?}", layout.problems);
            assert_eq!(layout.records.len(), 2);
            assert_eq!(layout.records[0].name, b"b/a.txt");
            assert_eq!(layout.records[0].size, 5);
        }
    }

    #[test]
    fn prefix_trailing_bytes_and_wrong_directory_size_are_caught() {
        let bytes = zip_of(&[("b/a.txt", b"alpha")], stored());
        let mut prefixed = vec![0u8; 4096];
        prefixed.extend_from_slice(&bytes);
        let layout = account(prefixed.as_slice(), prefixed.len() as u64).unwrap();
        assert!(
            codes(&layout).contains(&"zip.layout"),
            "{:?}",
            layout.problems
        );

        let mut trailing = bytes.clone();
        trailing.extend_from_slice(b"junk");
        let layout = account(trailing.as_slice(), trailing.len() as u64).unwrap();
        assert!(codes(&layout).contains(&"zip.layout"));

        for delta in [1u32, 1 << 31] {
            let mut wrong = bytes.clone();
            let at = wrong.len() - 22 + 12;
            let size = u32_at(&wrong, at).wrapping_add(delta);
            wrong[at..at + 4].copy_from_slice(&size.to_le_bytes());
            let layout = account(wrong.as_slice(), wrong.len() as u64).unwrap();
            assert!(codes(&layout).contains(&"zip.layout"), "{delta}");
        }
        assert!(account(&b"not a zip at all"[..], 16).is_err());
    }

    #[test]
    fn a_record_listed_twice_is_a_duplicate() {
        let bytes = zip_of(&[("b/a.txt", b"alpha")], stored());
        let layout = account(bytes.as_slice(), bytes.len() as u64).unwrap();
        let cd = layout.cd_start as usize;
        let end = bytes.len() - 22;
        let record = bytes[cd..end].to_vec();
        let mut doubled = bytes[..end].to_vec();
        doubled.extend_from_slice(&record);
        let mut eocd = bytes[end..].to_vec();
        eocd[8..10].copy_from_slice(&2u16.to_le_bytes());
        eocd[10..12].copy_from_slice(&2u16.to_le_bytes());
        let size = (record.len() * 2) as u32;
        eocd[12..16].copy_from_slice(&size.to_le_bytes());
        doubled.extend_from_slice(&eocd);
        let layout = account(doubled.as_slice(), doubled.len() as u64).unwrap();
        let found = codes(&layout);
        assert!(found.contains(&"path.duplicate"), "{found:?}");
        assert!(found.contains(&"zip.layout"), "{found:?}");
    }
}
