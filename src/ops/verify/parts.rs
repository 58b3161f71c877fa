//! `verify --parts DIR`: the parts of a split verification combined into
//! the verdict plain verify gives. Every check runs as in plain verify;
//! only the payload bytes are not read: each file's digests as read come
//! from its share's part, read a line at a time in step with the payload,
//! and go through the same comparison (`payload.rs`).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::format::plan::Shard;
use crate::format::verify_part::{
    BundleIdentity, FileRead, PartHeader, ReadDigests, MAX_PART_LINE,
};
use crate::ops::Observer;
use crate::report::Report;
use crate::store::{Bundle, Entry, StoreError};
use crate::trust::TrustSet;

use super::split::SplitError;

/// A part file found in the folder, with its header.
struct Candidate {
    path: PathBuf,
    header: PartHeader,
}

/// The part being read, a line at a time.
struct Open {
    share: usize,
    reader: BufReader<File>,
    /// Lines read so far (the header is line 1).
    line: u64,
    /// Records still to come.
    left: u64,
}

/// Where combining stands.
enum State {
    /// Parts found, not yet held against the bundle.
    Found(Vec<Candidate>),
    /// One part per share (in share order), the split, the algorithms each
    /// record carries besides SHA-256 and BLAKE3, and the part being read.
    Reading {
        parts: Vec<Candidate>,
        shares: Vec<Shard>,
        others: Vec<String>,
        open: Option<Open>,
        /// Shares read to their end.
        done: usize,
    },
    Failed(SplitError),
}

/// The payload as the parts recorded it, handed to the payload check batch
/// by batch in payload order; the first thing wrong with the parts is kept
/// and ends the combination as unusable input.
pub struct Recorded {
    dir: PathBuf,
    state: Mutex<State>,
}

/// `exhibit verify BUNDLE --parts DIR`: every check of plain verify, the
/// payload's digests taken from the parts in DIR (`*.part`, names not
/// starting with a dot). The report is what plain verify gives for the same
/// bundle and trust; `Err` when the parts cannot give it (a share missing,
/// a part of another bundle or malformed, two parts of one share that
/// disagree).
pub fn verify_parts(
    bundle: &Bundle,
    trust: &TrustSet,
    observer: &dyn Observer,
    payload_rows: bool,
    dir: &Path,
) -> Result<Report, SplitError> {
    let recorded = Recorded::find(dir)?;
    let report = super::verify_observed(bundle, trust, observer, payload_rows, Some(&recorded));
    recorded.finish()?;
    Ok(report)
}

/// The first line of a file, at most [`MAX_PART_LINE`] bytes with its end.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    line.clear();
    reader
        .take(MAX_PART_LINE as u64 + 1)
        .read_until(b'\n', line)
}

fn malformed(part: &Path, line: u64, reason: impl Into<String>) -> SplitError {
    SplitError::Malformed {
        part: part.to_path_buf(),
        line,
        reason: reason.into(),
    }
}

/// Reads one line of `part` (line number `number`), refusing one too long.
fn next_line(
    reader: &mut BufReader<File>,
    part: &Path,
    number: u64,
    line: &mut Vec<u8>,
) -> Result<usize, SplitError> {
    let n = read_line(reader, line).map_err(|error| SplitError::Read {
        path: part.to_path_buf(),
        error,
    })?;
    if n > MAX_PART_LINE {
        return Err(malformed(
            part,
            number,
            format!("longer than {MAX_PART_LINE} bytes"),
        ));
    }
    Ok(n)
}

fn open_part(part: &Path) -> Result<BufReader<File>, SplitError> {
    File::open(part)
        .map(|f| BufReader::with_capacity(1 << 20, f))
        .map_err(|error| SplitError::Read {
            path: part.to_path_buf(),
            error,
        })
}

/// A part's header (its first line).
fn read_header(part: &Path, reader: &mut BufReader<File>) -> Result<PartHeader, SplitError> {
    let mut line = Vec::new();
    if next_line(reader, part, 1, &mut line)? == 0 {
        return Err(malformed(part, 1, "empty: no header"));
    }
    PartHeader::parse(&line).map_err(|e| malformed(part, 1, e.0))
}

/// Whether two files hold the same bytes.
fn same_bytes(a: &Path, b: &Path) -> Result<bool, SplitError> {
    let (mut a_reader, mut b_reader) = (open_part(a)?, open_part(b)?);
    loop {
        let a_buf = a_reader.fill_buf().map_err(|error| SplitError::Read {
            path: a.to_path_buf(),
            error,
        })?;
        let b_buf = b_reader.fill_buf().map_err(|error| SplitError::Read {
            path: b.to_path_buf(),
            error,
        })?;
        let n = a_buf.len().min(b_buf.len());
        if n == 0 {
            return Ok(a_buf.is_empty() && b_buf.is_empty());
        }
        if a_buf[..n] != b_buf[..n] {
            return Ok(false);
        }
        a_reader.consume(n);
        b_reader.consume(n);
    }
}

impl Recorded {
    /// The parts in `dir`, each header read and checked on its own.
    pub fn find(dir: &Path) -> Result<Recorded, SplitError> {
        let read_error = |error| SplitError::Read {
            path: dir.to_path_buf(),
            error,
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_error)? {
            let entry = entry.map_err(read_error)?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || !name.ends_with(".part") {
                continue;
            }
            // Files only (a link to one too), as `seal --plan` reads its parts.
            let path = entry.path();
            if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                paths.push(path);
            }
        }
        // Messages name the same part whatever order the folder lists.
        paths.sort();
        if paths.is_empty() {
            return Err(SplitError::NoParts { dir: dir.into() });
        }
        let mut found = Vec::with_capacity(paths.len());
        for path in paths {
            let header = read_header(&path, &mut open_part(&path)?)?;
            found.push(Candidate { path, header });
        }
        Ok(Recorded {
            dir: dir.into(),
            state: Mutex::new(State::Found(found)),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Holds the parts against the bundle, before its payload is taken
    /// from them: one bundle, one share count, every share once (identical
    /// copies accepted), each share the files the split gives it.
    pub(super) fn begin(
        &self,
        identity: Result<BundleIdentity, StoreError>,
        shares: impl FnOnce(u64) -> Vec<Shard>,
        others: Vec<String>,
    ) {
        let mut state = self.lock();
        let State::Found(found) =
            std::mem::replace(&mut *state, State::Failed(SplitError::NotListed))
        else {
            return;
        };
        *state = match self.place(found, identity, shares, others) {
            Ok(reading) => reading,
            Err(error) => State::Failed(error),
        };
    }

    fn place(
        &self,
        found: Vec<Candidate>,
        identity: Result<BundleIdentity, StoreError>,
        shares: impl FnOnce(u64) -> Vec<Shard>,
        others: Vec<String>,
    ) -> Result<State, SplitError> {
        let identity = identity?;
        let Some(first) = found.first() else {
            return Err(SplitError::NoParts {
                dir: self.dir.clone(),
            });
        };
        let shards = first.header.shards;
        for candidate in &found {
            if candidate.header.bundle != identity {
                return Err(SplitError::Foreign {
                    part: candidate.path.clone(),
                });
            }
            if candidate.header.shards != shards {
                return Err(SplitError::MixedShares {
                    part: candidate.path.clone(),
                    shards: candidate.header.shards,
                    other: first.path.clone(),
                    expected: shards,
                });
            }
        }
        let split = shares(shards);
        let mut by_share: BTreeMap<u64, Vec<Candidate>> = BTreeMap::new();
        for candidate in found {
            let header = &candidate.header;
            let expected = usize::try_from(header.shard)
                .ok()
                .and_then(|i| split.get(i));
            if expected.is_none_or(|s| s.first != header.first || s.files != header.files) {
                return Err(SplitError::WrongShare {
                    part: candidate.path.clone(),
                    shard: header.shard,
                    shards,
                });
            }
            by_share.entry(header.shard).or_default().push(candidate);
        }
        let mut parts = Vec::with_capacity(split.len());
        for shard in 0..shards {
            let Some(mut copies) = by_share.remove(&shard) else {
                return Err(SplitError::MissingShare {
                    dir: self.dir.clone(),
                    shard,
                    shards,
                });
            };
            let kept = copies.remove(0);
            // A retried job wrote the same bytes again; anything else
            // read the share differently.
            for copy in copies {
                if !same_bytes(&kept.path, &copy.path)? {
                    return Err(SplitError::Conflict {
                        part: copy.path,
                        other: kept.path,
                        shard,
                        shards,
                    });
                }
            }
            parts.push(kept);
        }
        Ok(State::Reading {
            parts,
            shares: split,
            others,
            open: None,
            done: 0,
        })
    }

    /// The records of payload files `base..base + batch.len()`, in order:
    /// each file's digests as read, or why it could not be read. Once the
    /// parts failed, every file is "not read" (the report is discarded).
    pub(super) fn take(&self, base: usize, batch: &[&Entry]) -> Vec<Result<ReadDigests, String>> {
        let mut state = self.lock();
        if !matches!(*state, State::Reading { .. }) {
            return not_read(batch.len());
        }
        let lines = match lines_of(&mut state, base, batch.len()) {
            Ok(lines) => lines,
            Err(error) => {
                *state = State::Failed(error);
                return not_read(batch.len());
            }
        };
        let State::Reading { parts, others, .. } = &*state else {
            return not_read(batch.len());
        };
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        let parsed: Vec<Result<Result<ReadDigests, String>, SplitError>> = lines
            .par_iter()
            .zip(batch)
            .map(|((share, number, line), entry)| {
                let part = &parts[*share];
                let record = FileRead::parse(line, &others)
                    .map_err(|e| malformed(&part.path, *number, e.0))?;
                if record.path != entry.name {
                    return Err(SplitError::Misplaced {
                        part: part.path.clone(),
                        shard: part.header.shard,
                        shards: part.header.shards,
                        line: *number,
                        expected: entry.name.clone(),
                        found: record.path,
                    });
                }
                Ok(record.read)
            })
            .collect();
        let mut reads = Vec::with_capacity(parsed.len());
        for read in parsed {
            match read {
                Ok(read) => reads.push(read),
                Err(error) => {
                    *state = State::Failed(error);
                    return not_read(batch.len());
                }
            }
        }
        reads
    }

    /// After the payload check: every part read to its end, nothing wrong.
    pub(super) fn finish(self) -> Result<(), SplitError> {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        // Shares after the last file (empty ones) still hold only a header.
        advance_to(&mut state, usize::MAX)?;
        match state {
            State::Found(_) => Err(SplitError::NotListed),
            State::Failed(error) => Err(error),
            State::Reading { .. } => Ok(()),
        }
    }
}

fn not_read(n: usize) -> Vec<Result<ReadDigests, String>> {
    (0..n).map(|_| Err("not read".to_owned())).collect()
}

/// The raw record lines of payload files `base..base + count`, with the
/// share each came from and its line number.
fn lines_of(
    state: &mut State,
    base: usize,
    count: usize,
) -> Result<Vec<(usize, u64, Vec<u8>)>, SplitError> {
    let mut lines = Vec::with_capacity(count);
    for index in base..base + count {
        advance_to(state, index)?;
        let State::Reading {
            parts,
            open: Some(open),
            ..
        } = state
        else {
            return Err(SplitError::NotListed);
        };
        let part = &parts[open.share];
        open.line += 1;
        let mut line = Vec::new();
        if next_line(&mut open.reader, &part.path, open.line, &mut line)? == 0 {
            return Err(SplitError::Incomplete {
                part: part.path.clone(),
                shard: part.header.shard,
                shards: part.header.shards,
                reason: format!(
                    "truncated: {} of {} records",
                    part.header.files - open.left,
                    part.header.files
                ),
            });
        }
        open.left -= 1;
        lines.push((open.share, open.line, line));
    }
    Ok(lines)
}

/// Makes the part that holds payload file `index` the open one (closing
/// the ones before it, each read to its end); `usize::MAX` closes them all.
fn advance_to(state: &mut State, index: usize) -> Result<(), SplitError> {
    let State::Reading {
        parts,
        shares,
        open,
        done,
        ..
    } = state
    else {
        return Ok(());
    };
    loop {
        if let Some(current) = open {
            let shard = shares[current.share];
            let end = shard.first.saturating_add(shard.files);
            if (index as u64) < end && index != usize::MAX {
                return Ok(());
            }
            close(&parts[current.share], current)?;
            *open = None;
            *done += 1;
        }
        if *done >= parts.len() {
            return match index {
                usize::MAX => Ok(()),
                _ => Err(SplitError::NotListed),
            };
        }
        let part = &parts[*done];
        let mut reader = open_part(&part.path)?;
        if read_header(&part.path, &mut reader)? != part.header {
            return Err(malformed(&part.path, 1, "changed while it was read"));
        }
        *open = Some(Open {
            share: *done,
            reader,
            line: 1,
            left: part.header.files,
        });
    }
}

/// A part read to its last record must end there.
fn close(part: &Candidate, open: &mut Open) -> Result<(), SplitError> {
    let incomplete = |reason: String| SplitError::Incomplete {
        part: part.path.clone(),
        shard: part.header.shard,
        shards: part.header.shards,
        reason,
    };
    if open.left > 0 {
        return Err(incomplete(format!("{} records were not read", open.left)));
    }
    let mut line = Vec::new();
    if next_line(&mut open.reader, &part.path, open.line + 1, &mut line)? > 0 {
        return Err(incomplete(format!(
            "more records than the {} its header says",
            part.header.files
        )));
    }
    Ok(())
}
