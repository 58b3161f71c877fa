//! `hash` and `hash --plan`: SHA-256 and BLAKE3 of files, read on all
//! cores through one pipeline (`hash_in_order` over
//! [`crate::digest::hash_stream`]). `hash` hands each file's digest, or why
//! it could not be read, to its caller in path order, for output in any
//! form; `hash --plan` hashes one shard of a plan into a part file.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::digest::{hash_stream, FileDigest, Sha256Digest};
use crate::format::plan::{HashedFile, PartHeader, PlannedFile, PART_TYPE};
use crate::ops::plan::{identity_of, scan_plan, written_error, PlanRange};
use crate::ops::planned::PlanError;
use crate::ops::sources::{list_files, FileList, Naming, Skipped};
use crate::ops::{write_working_file, Observer};
use crate::walk::WalkOptions;

/// Files hashed between two hand-overs of results, in order: bounds memory
/// for trees of millions of files.
const BATCH: usize = 4096;

/// The one hashing pipeline of `hash` and `hash --plan`: files `0..count`
/// (`file` makes each) read by `read` on all cores, `BATCH` at a time, each
/// result handed to `take` in order, so results are written as they come.
pub(crate) fn hash_in_order<T: Send + Sync, R: Send, E>(
    count: usize,
    file: impl Fn(usize) -> T + Sync + Send,
    read: impl Fn(&T) -> R + Sync + Send,
    mut take: impl FnMut(usize, T, R) -> Result<(), E>,
) -> Result<(), E> {
    for start in (0..count).step_by(BATCH) {
        let batch: Vec<T> = (start..count.min(start + BATCH))
            .into_par_iter()
            .map(&file)
            .collect();
        let results: Vec<R> = batch.par_iter().map(&read).collect();
        for (i, (file, result)) in batch.into_iter().zip(results).enumerate() {
            take(start + i, file, result)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// hash

/// What `hash` reads.
pub struct HashRequest<'a> {
    pub paths: &'a [PathBuf],
    pub naming: Naming,
    /// Tell the observer how many bytes there are and each one read. The
    /// total costs a `stat` per file while listing; without progress, each
    /// file's size comes from reading it.
    pub progress: bool,
}

/// What `hash` found beside the digests it handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashSummary {
    /// Files hashed or tried.
    pub files: u64,
    /// Paths that could not be listed ([`Skipped::Unlisted`]).
    pub unlisted: u64,
    /// Files whose read failed (each handed over with its error).
    pub unreadable: u64,
}

/// Lists every regular file under the request's paths, handing what is
/// left out (links, special files, what could not be listed) to `skipped`
/// as it is found. Reads no file.
pub fn list(request: &HashRequest<'_>, skipped: impl FnMut(Skipped)) -> FileList {
    // Sizes are only needed for the observer's total; without it, each
    // file's size comes from reading it, which saves a `stat` per file.
    let options = WalkOptions {
        skip_file_sizes: !request.progress,
    };
    list_files(request.paths, request.naming, options, skipped)
}

/// Hashes every file of `files` on all cores and hands each one's path (as
/// named) and digest, or the error its read stopped on, to `each`, in path
/// order. An error from `each` (its output failed) stops the run.
pub fn hash_files<E>(
    request: &HashRequest<'_>,
    files: &FileList,
    observer: &dyn Observer,
    mut each: impl FnMut(&Path, io::Result<FileDigest>) -> Result<(), E>,
) -> Result<HashSummary, E> {
    observer.start("hashing", files.total_bytes());
    let advance = |n| observer.advance(n);
    let silent = |_| {};
    let progress: &(dyn Fn(u64) + Sync) = if request.progress { &advance } else { &silent };
    let mut unreadable = 0;
    let hashed = hash_in_order(
        files.len(),
        |i| files.get(i),
        |(path, size)| {
            let mut file = File::open(path)?;
            hash_stream(&mut file, *size, None, progress)
        },
        |_, (path, _), result| {
            unreadable += u64::from(result.is_err());
            each(&path, result)
        },
    );
    observer.finish();
    hashed?;
    Ok(HashSummary {
        files: files.len() as u64,
        unlisted: files.unlisted() as u64,
        unreadable,
    })
}

// ---------------------------------------------------------------------------
// hash one shard of a plan

/// What `hash --plan` needs.
pub struct ShardRequest<'a> {
    pub plan: &'a Path,
    pub shard: u64,
    pub output: &'a Path,
}

/// What one shard's run did.
#[derive(Debug, Clone)]
pub struct ShardSummary {
    pub shard: u64,
    pub shards: u64,
    pub files: u64,
    pub bytes: u64,
    pub plan_sha256: Sha256Digest,
}

/// Hashes the files of one shard on all cores and writes the part
/// atomically (a rerun replaces it). Refuses a plan whose bytes were
/// changed, and a file whose size, modification time or inode number
/// differ from the plan's, or whose length read differs from its size.
pub fn hash_shard(
    request: &ShardRequest<'_>,
    observer: &dyn Observer,
) -> Result<ShardSummary, PlanError> {
    let plan = scan_plan(request.plan)?;
    let shards = plan.header.shards.len() as u64;
    let shard = plan.shard(request.shard)?;
    // Only this shard's records are parsed.
    let mut range = PlanRange::open(&plan, request.shard as usize)?;
    let files = (0..shard.files)
        .map(|_| range.next_file())
        .collect::<Result<Vec<_>, _>>()?;
    let sources = plan.header.sources;
    let plan_sha256 = plan.sha256;

    let header = PartHeader {
        doc_type: PART_TYPE.into(),
        plan_sha256,
        shard: request.shard,
        shards,
        first: shard.first,
        files: shard.files,
        written: None,
    };
    observer.start("hashing", shard.bytes);
    let progress = |n| observer.advance(n);
    let written = write_working_file(request.output, true, observer, |out, _| {
        out.write_all(&header.to_line())?;
        hash_in_order(
            files.len(),
            |i| &files[i],
            |file| hash_planned(&sources, file, &progress),
            |i, file, result| {
                let digest = result.map_err(io::Error::other)?;
                let record = HashedFile {
                    index: shard.first + i as u64,
                    path: file.path.clone(),
                    digest,
                    crc32: None,
                };
                out.write_all(&record.to_line())
            },
        )
    });
    observer.finish();
    written.map_err(written_error(request.output))?;
    Ok(ShardSummary {
        shard: request.shard,
        shards,
        files: shard.files,
        bytes: shard.bytes,
        plan_sha256,
    })
}

/// One planned file, hashed if it is still the file the plan recorded.
fn hash_planned(
    sources: &[String],
    file: &PlannedFile,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FileDigest, PlanError> {
    let (path, mut handle) = open_planned(sources, file)?;
    let digest = hash_stream(&mut handle, file.identity.size, None, progress).map_err(|e| {
        PlanError::Source {
            path: path.clone(),
            reason: e.to_string(),
        }
    })?;
    check_read_size(&path, file, digest.size)?;
    Ok(digest)
}

/// Opens a planned file if it is still the file the plan recorded: the
/// same size, modification time and inode number, a regular file.
pub(crate) fn open_planned(
    sources: &[String],
    file: &PlannedFile,
) -> Result<(PathBuf, File), PlanError> {
    let path = source_path(sources, file);
    let source_error = |e: io::Error| PlanError::Source {
        path: path.clone(),
        reason: e.to_string(),
    };
    let handle = open_no_follow(&path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            PlanError::Changed {
                path: path.clone(),
                since: "the plan was made",
                what: "it is gone".into(),
            }
        } else {
            source_error(e)
        }
    })?;
    let meta = handle.metadata().map_err(source_error)?;
    let now = identity_of(&meta);
    let planned = file.identity;
    let changed = |what: String| PlanError::Changed {
        path: path.clone(),
        since: "the plan was made",
        what,
    };
    if !meta.is_file() {
        return Err(changed("it is no longer a regular file".into()));
    }
    // Not the device number: a network file system has another on every
    // machine that mounts it, for the same file.
    if (now.size, now.mtime_ns, now.ino) != (planned.size, planned.mtime_ns, planned.ino) {
        return Err(changed(format!(
            "planned {} bytes, modified {} ns, inode {}; now {} bytes, {} ns, inode {}",
            planned.size, planned.mtime_ns, planned.ino, now.size, now.mtime_ns, now.ino
        )));
    }
    Ok((path, handle))
}

/// A planned file read to its end must have been its planned size.
pub(crate) fn check_read_size(path: &Path, file: &PlannedFile, read: u64) -> Result<(), PlanError> {
    if read != file.identity.size {
        return Err(PlanError::Changed {
            path: path.into(),
            since: "the plan was made",
            what: format!("planned {} bytes, {} read", file.identity.size, read),
        });
    }
    Ok(())
}

/// The on-disk path of a planned file: its source, joined with the bag
/// path below the source's own name.
fn source_path(sources: &[String], file: &PlannedFile) -> PathBuf {
    let mut path = PathBuf::from(&sources[file.source]);
    let rest = file.path.strip_data().unwrap_or_default();
    for component in rest.split('/').skip(1) {
        path.push(component);
    }
    path
}

/// Opens a payload file without following a final symbolic link and
/// without blocking on a FIFO put in its place.
fn open_no_follow(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}
