//! Sealing across machines, in three steps: `plan` walks the sources once
//! and splits the payload into shards; `hash --plan` (in `ops::hash`)
//! hashes one shard where the data is and writes a part; `seal --plan`
//! checks the parts against the plan here ([`check_parts`]), then runs the
//! normal seal over the plan's sources, which compares every file it
//! copies with what its shard found (`ops::planned`). Plans and parts are
//! read one line at a time: nothing here holds more than one record per
//! file of one shard, and the merge holds nothing per file at all.

use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::Digest as _;

use crate::digest::Sha256Digest;
use crate::format::plan::{
    split_shards, FileIdentity, HashedFile, PartHeader, PlanEnd, PlanHeader, PlannedFile, Shard,
    MAX_HEADER_LINE, MAX_RECORD_LINE, PLAN_TYPE,
};
use crate::ops::planned::{io_error, Lines};
pub use crate::ops::planned::{PlanError, PlannedSeal, PART_SUFFIX};
use crate::ops::sources::{collect_sources_with, PayloadFile};
use crate::ops::{write_working_file, Observer};
use crate::walk::WalkOptions;

/// Files listed and stat-ed between two writes of the plan's records.
const BATCH: usize = 4096;

// ---------------------------------------------------------------------------
// plan

/// What `plan` needs.
pub struct PlanRequest<'a> {
    pub sources: &'a [PathBuf],
    pub output: &'a Path,
    pub shards: usize,
}

/// What was planned.
#[derive(Debug, Clone)]
pub struct PlanSummary {
    pub files: u64,
    pub bytes: u64,
    pub shards: Vec<Shard>,
    /// SHA-256 of the plan file, which every part records.
    pub plan_sha256: Sha256Digest,
}

/// Walks the sources (with the rules of `seal`: same order, same refusals),
/// records each payload file's identity, and writes the plan atomically.
pub fn make_plan(
    request: &PlanRequest<'_>,
    observer: &dyn Observer,
) -> Result<PlanSummary, PlanError> {
    if request.shards == 0 {
        return Err(PlanError::NoShards);
    }
    if std::fs::symlink_metadata(request.output).is_ok() {
        return Err(PlanError::OutputExists(request.output.into()));
    }
    let sources = request
        .sources
        .iter()
        .map(|s| plan_source(s))
        .collect::<Result<Vec<_>, _>>()?;
    // The walk reads no sizes: each file's one `stat` is the plan's own,
    // below, which gives its size with the rest of its identity.
    let options = WalkOptions {
        skip_file_sizes: true,
    };
    let mut walked = collect_sources_with(&sources, options)?;
    let root_names: Vec<String> = sources
        .iter()
        .map(|s| {
            s.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    // The records, a run of files at a time as `seal` lists them, each
    // stat-ed as it comes, go to a scratch file; the shards (in the header,
    // before them) need every size first. The plan holds 8 bytes a file
    // beyond `seal`'s compact listing.
    let count = walked.payload.len();
    let scratch = tempfile::tempfile_in(crate::fsx::parent_or_dot(request.output))
        .map_err(io_error(request.output))?;
    let mut records = BufWriter::with_capacity(1 << 20, scratch);
    let mut sizes = Vec::with_capacity(count);
    for start in (0..count).step_by(BATCH) {
        let run = walked
            .files(start..count.min(start + BATCH))?
            .into_par_iter()
            .map(|file| plan_file(file, &root_names))
            .collect::<Result<Vec<_>, _>>()?;
        for file in run {
            sizes.push(file.identity.size);
            records
                .write_all(&file.to_line())
                .map_err(io_error(request.output))?;
        }
    }
    let symlinks = std::mem::take(&mut walked.symlinks);
    let empty_directories = std::mem::take(&mut walked.empty_directories);
    drop(walked);
    let mut records = records
        .into_inner()
        .map_err(|e| io_error(request.output)(e.into_error()))?;
    records
        .seek(SeekFrom::Start(0))
        .map_err(io_error(request.output))?;
    let shards = split_shards(&sizes, request.shards);
    let header = PlanHeader {
        doc_type: PLAN_TYPE.into(),
        sources: sources
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect(),
        files: count as u64,
        bytes: sizes.iter().sum(),
        shards: shards.clone(),
        symlinks: Some(symlinks),
        empty_directories: Some(empty_directories),
    };
    drop(sizes);
    let written = write_working_file(request.output, false, observer, |out, body| {
        let mut put = |bytes: &[u8]| -> io::Result<()> {
            body.update(bytes);
            out.write_all(bytes)
        };
        put(&header.to_line())?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = records.read(&mut buf)?;
            if n == 0 {
                break;
            }
            put(&buf[..n])?;
        }
        let end = PlanEnd::new(Sha256Digest(body.clone().finalize().into())).to_line();
        body.update(&end);
        out.write_all(&end)
    });
    let plan_sha256 = written.map_err(written_error(request.output))?;
    Ok(PlanSummary {
        files: header.files,
        bytes: header.bytes,
        shards,
        plan_sha256,
    })
}

/// Why a working file could not be written: the error of a file read for
/// it (travelled out of the writer through `io::Error::other`), or the
/// write's own.
pub(crate) fn written_error(target: &Path) -> impl FnOnce(io::Error) -> PlanError + '_ {
    move |error| match error.downcast::<PlanError>() {
        Ok(inner) => inner,
        Err(error) => PlanError::Io {
            path: target.into(),
            error,
        },
    }
}

/// One listed file's plan record: its source, and its identity now.
fn plan_file(file: PayloadFile, root_names: &[String]) -> Result<PlannedFile, PlanError> {
    let root = file
        .bag_path
        .strip_data()
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    let source = root_names
        .iter()
        .position(|name| name == root)
        .ok_or_else(|| PlanError::Source {
            path: file.source.clone(),
            reason: "belongs to no source".into(),
        })?;
    let meta = std::fs::symlink_metadata(&file.source).map_err(|e| PlanError::Source {
        path: file.source.clone(),
        reason: e.to_string(),
    })?;
    if !meta.is_file() {
        return Err(PlanError::Changed {
            path: file.source,
            since: "it was listed",
            what: "it is no longer a regular file".into(),
        });
    }
    Ok(PlannedFile {
        path: file.bag_path,
        source,
        identity: identity_of(&meta),
    })
}

/// A source as the plan names it: absolute (every machine opens the same
/// path) and UTF-8 (the plan is JSON), with its own name as its last part.
fn plan_source(source: &Path) -> Result<PathBuf, PlanError> {
    let refuse = |reason: &str| PlanError::Source {
        path: source.into(),
        reason: reason.into(),
    };
    let absolute = std::path::absolute(source).map_err(|e| refuse(&e.to_string()))?;
    let absolute = if absolute.file_name().is_some() {
        absolute
    } else {
        std::fs::canonicalize(&absolute).map_err(|e| refuse(&e.to_string()))?
    };
    if absolute.to_str().is_none() {
        return Err(refuse("a plan can only name sources whose paths are UTF-8"));
    }
    Ok(absolute)
}

#[cfg(unix)]
pub(crate) fn identity_of(meta: &std::fs::Metadata) -> FileIdentity {
    use std::os::unix::fs::MetadataExt;
    FileIdentity {
        size: meta.len(),
        mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
        dev: meta.dev(),
        ino: meta.ino(),
    }
}

#[cfg(not(unix))]
pub(crate) fn identity_of(meta: &std::fs::Metadata) -> FileIdentity {
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    FileIdentity {
        size: meta.len(),
        mtime_ns,
        dev: 0,
        ino: 0,
    }
}

// ---------------------------------------------------------------------------
// reading plans

/// What a first pass over a plan finds without parsing its records: the
/// header, the file's SHA-256 once its last line has been checked against
/// the bytes before it, and where each shard's records begin.
pub(crate) struct ScannedPlan {
    path: PathBuf,
    pub(crate) header: PlanHeader,
    pub(crate) sha256: Sha256Digest,
    /// Byte offset of each shard's first record.
    shard_offsets: Vec<u64>,
}

impl ScannedPlan {
    /// Shard `index` of the plan, or why there is none.
    pub(crate) fn shard(&self, index: u64) -> Result<Shard, PlanError> {
        let shards = &self.header.shards;
        shards
            .get(index as usize)
            .copied()
            .ok_or(PlanError::NoSuchShard {
                shard: index,
                shards: shards.len() as u64,
            })
    }
}

pub(crate) fn scan_plan(path: &Path) -> Result<ScannedPlan, PlanError> {
    let mut lines = Lines::open(path, true)?;
    if !lines.next_line(MAX_HEADER_LINE)? {
        return Err(lines.malformed("empty file, not an exhibit plan"));
    }
    let header = PlanHeader::parse(lines.line()).map_err(lines.line_error())?;
    let mut shard_offsets = Vec::with_capacity(header.shards.len());
    let mut records = 0u64;
    loop {
        // The header's shards cover the files in order (checked when it
        // was parsed), so each starts where the one before it ends.
        while header
            .shards
            .get(shard_offsets.len())
            .is_some_and(|shard| shard.first == records)
        {
            shard_offsets.push(lines.position);
        }
        let before = lines.hasher.clone();
        if !lines.next_line(MAX_RECORD_LINE)? {
            return Err(lines.malformed(format!(
                "the plan ends after {records} of its {} files, without its last line (truncated?)",
                header.files
            )));
        }
        let Some(end) = PlanEnd::parse(lines.line()) else {
            records += 1;
            continue;
        };
        let end = end.map_err(lines.line_error())?;
        let body = Sha256Digest(before.map(|h| h.finalize().into()).unwrap_or_default());
        if end.body_sha256 != body {
            return Err(PlanError::PlanEdited {
                path: path.into(),
                recorded: end.body_sha256,
                actual: body,
            });
        }
        if records != header.files || shard_offsets.len() != header.shards.len() {
            return Err(lines.malformed(format!(
                "{records} files listed, the header says {}",
                header.files
            )));
        }
        if lines.next_line(MAX_RECORD_LINE)? {
            return Err(lines.malformed("a line after the plan's last line"));
        }
        let sha256 = Sha256Digest(
            lines
                .hasher
                .map(|h| h.finalize().into())
                .unwrap_or_default(),
        );
        return Ok(ScannedPlan {
            path: path.into(),
            header,
            sha256,
            shard_offsets,
        });
    }
}

/// One shard's records of a scanned plan, parsed one at a time.
pub(crate) struct PlanRange {
    lines: Lines,
    sources: usize,
}

impl PlanRange {
    pub(crate) fn open(plan: &ScannedPlan, shard: usize) -> Result<PlanRange, PlanError> {
        let first = plan.header.shards[shard].first;
        // Line 1 is the header; the record at position i is line i + 2.
        let lines = Lines::open_at(&plan.path, false, plan.shard_offsets[shard], first + 1)?;
        Ok(PlanRange {
            lines,
            sources: plan.header.sources.len(),
        })
    }

    /// The next record of the shard (the caller knows how many it holds).
    pub(crate) fn next_file(&mut self) -> Result<PlannedFile, PlanError> {
        if !self.lines.next_line(MAX_RECORD_LINE)? {
            return Err(self
                .lines
                .malformed("the plan ends before its shards do (changed while read?)"));
        }
        PlannedFile::parse(self.lines.line(), self.sources).map_err(self.lines.line_error())
    }
}

// ---------------------------------------------------------------------------
// merge

/// Reads the plan and every `*.part` in `parts_dir`, and checks: the plan
/// is intact; each part is of this plan; every shard has a part; the parts
/// of one shard (retries) are identical; every record of a part is well
/// formed and is the planned file at its planned position with its planned
/// size. Shards are checked in parallel, each holding one line per part at
/// a time; the first failure in shard order is the one reported.
pub fn check_parts(plan: &Path, parts_dir: &Path) -> Result<PlannedSeal, PlanError> {
    // Pass 1, bytes only: the plan is intact; its digest is what parts
    // must name.
    check_scanned_parts(&scan_plan(plan)?, parts_dir)
}

/// [`check_parts`] of a plan already scanned.
pub(crate) fn check_scanned_parts(
    scanned: &ScannedPlan,
    parts_dir: &Path,
) -> Result<PlannedSeal, PlanError> {
    let by_shard = find_parts(scanned, parts_dir)?;
    // Pass 2: every record against the plan, retries against each other.
    let checked: Vec<Result<(), PlanError>> = by_shard
        .par_iter()
        .enumerate()
        .map(|(shard, parts)| check_shard(scanned, shard, parts, |_| Ok(())))
        .collect();
    checked.into_iter().collect::<Result<(), _>>()?;
    let header = &scanned.header;
    Ok(PlannedSeal {
        sources: header.sources.iter().map(PathBuf::from).collect(),
        parts: by_shard.into_iter().map(|mut p| p.swap_remove(0)).collect(),
        files: header.files,
        bytes: header.bytes,
        plan_sha256: scanned.sha256,
    })
}

/// Pass 1 over the parts in `parts_dir`, their first lines only: each of
/// this plan, of a shard it has, with that shard's run; every shard with
/// at least one. The parts of each shard, in name order.
pub(crate) fn find_parts(
    scanned: &ScannedPlan,
    parts_dir: &Path,
) -> Result<Vec<Vec<PathBuf>>, PlanError> {
    let header = &scanned.header;
    let plan_sha256 = scanned.sha256;
    let shards = header.shards.len() as u64;

    // Which part is for which shard.
    let mut by_shard: Vec<Vec<PathBuf>> = vec![Vec::new(); header.shards.len()];
    let items = std::fs::read_dir(parts_dir).map_err(io_error(parts_dir))?;
    let mut names = Vec::new();
    for item in items {
        let item = item.map_err(io_error(parts_dir))?;
        let name = item.file_name();
        let is_part = name
            .to_str()
            .is_some_and(|n| n.ends_with(PART_SUFFIX) && !n.starts_with('.'));
        if is_part {
            names.push(item.path());
        }
    }
    names.sort();
    for path in names {
        let mut lines = Lines::open(&path, false)?;
        if !lines.next_line(MAX_RECORD_LINE)? {
            return Err(lines.malformed("empty file, not a part"));
        }
        let part = PartHeader::parse(lines.line()).map_err(lines.line_error())?;
        if part.plan_sha256 != plan_sha256 || part.shards != shards {
            return Err(PlanError::OtherPlan {
                path,
                found: part.plan_sha256,
                expected: plan_sha256,
            });
        }
        let Some(planned) = header.shards.get(part.shard as usize) else {
            return Err(lines.malformed(format!("shard {} is not in the plan", part.shard)));
        };
        if part.first != planned.first || part.files != planned.files {
            return Err(PlanError::WrongRange {
                path,
                shard: part.shard,
                first: planned.first,
                files: planned.files,
            });
        }
        by_shard[part.shard as usize].push(path);
    }
    if let Some(shard) = by_shard.iter().position(Vec::is_empty) {
        return Err(PlanError::MissingShard {
            dir: parts_dir.into(),
            shard: shard as u64,
        });
    }
    Ok(by_shard)
}

/// One shard's parts (a first and its retries) against the plan's records,
/// each record, once checked, handed to `each` in order (the finish takes
/// them into the bundle in the same pass).
pub(crate) fn check_shard<E: From<PlanError>>(
    plan: &ScannedPlan,
    shard: usize,
    paths: &[PathBuf],
    mut each: impl FnMut(HashedFile) -> Result<(), E>,
) -> Result<(), E> {
    let mut parts = paths
        .iter()
        .map(|p| {
            let mut lines = Lines::open(p, false)?;
            lines.next_line(MAX_RECORD_LINE)?;
            Ok(lines)
        })
        .collect::<Result<Vec<_>, PlanError>>()?;
    let planned = plan.header.shards[shard];
    let mut records = PlanRange::open(plan, shard)?;
    for index in planned.first..planned.first + planned.files {
        let file = records.next_file()?;
        let (first, rest) = parts.split_first_mut().expect("every shard has a part");
        if !first.next_line(MAX_RECORD_LINE)? {
            return Err(first
                .malformed(format!(
                    "the part ends before {} (truncated?)",
                    file.path.as_str()
                ))
                .into());
        }
        let line = first.line();
        for other in rest.iter_mut() {
            if !other.next_line(MAX_RECORD_LINE)? || other.line() != line {
                return Err(PlanError::ConflictingParts {
                    file: file.path.as_str().into(),
                    shard: shard as u64,
                    first: first.path.clone(),
                    second: other.path.clone(),
                }
                .into());
            }
        }
        let record = HashedFile::parse(line).map_err(first.line_error())?;
        check_record(first, &record, index, &file)?;
        each(record)?;
    }
    for part in &mut parts {
        if part.next_line(MAX_RECORD_LINE)? {
            return Err(part.malformed("more records than the shard's files").into());
        }
    }
    Ok(())
}

fn check_record(
    part: &Lines,
    record: &HashedFile,
    index: u64,
    planned: &PlannedFile,
) -> Result<(), PlanError> {
    let mismatch = |reason: String| PlanError::PartMismatch {
        path: part.path.clone(),
        line: part.number,
        reason,
    };
    if record.index != index || record.path != planned.path {
        return Err(mismatch(format!(
            "{} at position {}, the plan has {} at {index}",
            record.path.as_str(),
            record.index,
            planned.path.as_str()
        )));
    }
    if record.digest.size != planned.identity.size {
        return Err(mismatch(format!(
            "{}: {} bytes, planned {}",
            record.path.as_str(),
            record.digest.size,
            planned.identity.size
        )));
    }
    Ok(())
}
