//! `seal --plan PLAN --shard I -o OUT`: one shard of a plan copied and
//! hashed straight into the bundle being built at OUT's work folder
//! (`store::WorkFolder`), in one read of each file, and its part written
//! there. The digests are of the bytes written, as a plain seal's are; the
//! finish (`finish.rs`) then writes only metadata.

use std::io::{self, Read as _, Write};
use std::path::Path;

use rayon::prelude::*;

use super::{BATCH_BYTES, BATCH_FILES};
use crate::digest::{hash_bytes, read_full, FileDigest, PIPELINE_THRESHOLD};
use crate::format::plan::{HashedFile, PartHeader, PlannedFile, Written, PART_TYPE};
use crate::ops::hash::{check_read_size, hash_in_order, open_planned, ShardSummary};
use crate::ops::plan::{scan_plan, written_error, PlanRange, ScannedPlan};
use crate::ops::planned::{io_error, PlanError};
use crate::ops::{write_working_file, Observer};
use crate::store::{rewrite_into_directory, BundleForm, ShardZip, WorkFolder, ZipPlacement};

/// What `seal --plan --shard` needs.
pub struct SealShardRequest<'a> {
    pub plan: &'a Path,
    pub shard: u64,
    /// The bundle the finish will write (`.zip`: a zip bundle).
    pub output: &'a Path,
    /// Write a zip's entries into a segment file of the shard's own (for
    /// file systems that cannot take concurrent writers to one file).
    pub segment: bool,
}

/// Copies and hashes one shard's files into the bundle being built, then
/// writes its part (atomically: complete or absent; a rerun replaces it).
/// Refuses, as `hash --plan` does, a changed plan and a file that is not
/// the one planned.
pub fn seal_shard(
    request: &SealShardRequest<'_>,
    observer: &dyn Observer,
) -> Result<ShardSummary, PlanError> {
    let plan = scan_plan(request.plan)?;
    let shards = plan.header.shards.len() as u64;
    let shard = plan.shard(request.shard)?;
    if std::fs::symlink_metadata(request.output).is_ok() {
        return Err(PlanError::BundleExists(request.output.into()));
    }
    let work = WorkFolder::for_output(request.output, &plan.sha256);
    work.prepare()?;
    let zip = work.form() == BundleForm::Zip;
    // A zip's entries go where the files before them end: every shard
    // places the files of the shards before its own.
    let mut placement = ZipPlacement::new(request.output);
    if zip {
        for before in 0..request.shard as usize {
            let mut range = PlanRange::open(&plan, before)?;
            for _ in 0..plan.header.shards[before].files {
                let file = range.next_file()?;
                placement.place(file.path.as_str(), file.identity.size)?;
            }
        }
    }
    let base = placement.end();
    let mut range = PlanRange::open(&plan, request.shard as usize)?;
    let mut files = Vec::with_capacity(shard.files as usize);
    for _ in 0..shard.files {
        let file = range.next_file()?;
        let place = if zip {
            placement.place(file.path.as_str(), file.identity.size)?
        } else {
            (0, 0)
        };
        files.push(Placed {
            file,
            header: place.0,
            data: place.1,
        });
    }

    let segment = (zip && request.segment)
        .then(|| tempfile::NamedTempFile::new_in(work.root().join("segments")))
        .transpose()
        .map_err(io_error(work.root()))?;
    let target = match (&segment, zip) {
        (Some(temp), _) => {
            let file = temp.as_file().try_clone().map_err(io_error(temp.path()))?;
            Target::Zip(ShardZip::segment(file, temp.path(), base))
        }
        (None, true) => Target::Zip(ShardZip::in_place(&work.staged())?),
        (None, false) => Target::Folder(work.staged()),
    };
    let header = PartHeader {
        doc_type: PART_TYPE.into(),
        plan_sha256: plan.sha256,
        shard: request.shard,
        shards,
        first: shard.first,
        files: shard.files,
        written: Some(if segment.is_some() {
            Written::Segment
        } else {
            Written::InPlace
        }),
    };
    observer.start("sealing", shard.bytes);
    let progress = |n| observer.advance(n);
    let written = write_working_file(&work.part(request.shard), true, observer, |out, _| {
        out.write_all(&header.to_line())?;
        let mut record = |i: usize, digest: FileDigest, crc32: Option<u32>| {
            let record = HashedFile {
                index: shard.first + i as u64,
                path: files[i].file.path.clone(),
                digest,
                crc32,
            };
            out.write_all(&record.to_line())
        };
        match &target {
            Target::Zip(zip) => {
                let runs = ZipRuns {
                    plan: &plan,
                    zip,
                    placement: &placement,
                    progress: &progress,
                };
                runs.write(&files, &mut record)
            }
            Target::Folder(root) => hash_in_order(
                files.len(),
                |i| &files[i].file,
                |file| copy_into_folder(&plan, root, file, &progress),
                |i, _, result| {
                    let digest = result.map_err(io::Error::other)?;
                    record(i, digest, None)
                },
            ),
        }?;
        // The part says the files are there: they must be on disk first.
        if let Target::Zip(zip) = &target {
            zip.sync()
                .map_err(|e| io::Error::other(PlanError::from(e)))?;
        }
        if let Some(temp) = segment {
            temp.persist(work.segment(request.shard))
                .map_err(|e| e.error)?;
        }
        Ok(())
    });
    observer.finish();
    written.map_err(written_error(&work.part(request.shard)))?;
    Ok(ShardSummary {
        shard: request.shard,
        shards,
        files: shard.files,
        bytes: shard.bytes,
        plan_sha256: plan.sha256,
    })
}

/// A planned file and, in a zip, where its entry and its data start.
struct Placed {
    file: PlannedFile,
    header: u64,
    data: u64,
}

/// Where a shard writes its files.
enum Target {
    Zip(ShardZip),
    /// The bag root of the folder bundle being built.
    Folder(std::path::PathBuf),
}

/// Copies one planned file into the folder bundle if it is still the file
/// the plan recorded.
fn copy_into_folder(
    plan: &ScannedPlan,
    root: &Path,
    file: &PlannedFile,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FileDigest, PlanError> {
    let (path, mut handle) = open_planned(&plan.header.sources, file)?;
    let size = file.identity.size;
    let digest = rewrite_into_directory(root, file.path.as_str(), size, &mut handle, progress)?;
    check_read_size(&path, file, digest.size)?;
    Ok(digest)
}

/// A shard's files written into a zip: runs of small files read whole,
/// hashed in parallel and written as one run of entries (one write, not
/// two a file: positioned writes to a shared file cost a lock each);
/// large files streamed through the hashing pipeline into their entry.
struct ZipRuns<'a> {
    plan: &'a ScannedPlan,
    zip: &'a ShardZip,
    placement: &'a ZipPlacement,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl ZipRuns<'_> {
    /// Writes every file, handing each one's digest and CRC-32 to `record`
    /// in order.
    fn write(
        &self,
        files: &[Placed],
        record: &mut dyn FnMut(usize, FileDigest, Option<u32>) -> io::Result<()>,
    ) -> io::Result<()> {
        let failed = |e: PlanError| io::Error::other(e);
        let mut buffer = Vec::new();
        let mut next = 0;
        while next < files.len() {
            let run = small_run(&files[next..]);
            if run == 0 {
                let (digest, crc) = self.stream(&files[next]).map_err(failed)?;
                record(next, digest, Some(crc))?;
                next += 1;
                continue;
            }
            let read = self
                .run(&files[next..next + run], &mut buffer)
                .map_err(failed)?;
            for (i, (digest, crc)) in read.into_iter().enumerate() {
                record(next + i, digest, Some(crc))?;
            }
            next += run;
        }
        Ok(())
    }

    /// A large file, streamed into its entry.
    fn stream(&self, placed: &Placed) -> Result<(FileDigest, u32), PlanError> {
        let file = &placed.file;
        let (path, mut handle) = open_planned(&self.plan.header.sources, file)?;
        let (digest, crc) = self.zip.write_entry(
            self.placement,
            file.path.as_str(),
            file.identity.size,
            placed.header,
            &mut handle,
            self.progress,
        )?;
        check_read_size(&path, file, digest.size)?;
        Ok((digest, crc))
    }

    /// A run of small files, consecutive in the zip: each read into its
    /// place in `buffer` behind its header, then the whole run written.
    fn run(
        &self,
        run: &[Placed],
        buffer: &mut Vec<u8>,
    ) -> Result<Vec<(FileDigest, u32)>, PlanError> {
        let (first, last) = (&run[0], &run[run.len() - 1]);
        let end = last.data + last.file.identity.size;
        buffer.clear();
        buffer.resize((end - first.header) as usize, 0);
        let mut slots = Vec::with_capacity(run.len());
        let mut rest = buffer.as_mut_slice();
        for placed in run {
            let len = (placed.data - placed.header + placed.file.identity.size) as usize;
            let (slot, tail) = rest.split_at_mut(len);
            slots.push(slot);
            rest = tail;
        }
        let read = run
            .par_iter()
            .zip(slots)
            .map(|(placed, slot)| self.read_into(placed, slot))
            .collect::<Result<Vec<_>, PlanError>>()?;
        self.zip.write_run(first.header, buffer)?;
        Ok(read)
    }

    /// One small file read into its slot (its header, then its data).
    fn read_into(&self, placed: &Placed, slot: &mut [u8]) -> Result<(FileDigest, u32), PlanError> {
        let file = &placed.file;
        let (path, mut handle) = open_planned(&self.plan.header.sources, file)?;
        let (header, data) = slot.split_at_mut((placed.data - placed.header) as usize);
        let io_failed = |e: io::Error| PlanError::Source {
            path: path.clone(),
            reason: e.to_string(),
        };
        let (n, at_end) = read_full(&mut handle, data).map_err(io_failed)?;
        let longer = !at_end && handle.read(&mut [0u8; 1]).map_err(io_failed)? > 0;
        check_read_size(&path, file, n as u64 + u64::from(longer))?;
        (self.progress)(n as u64);
        let crc = crc32fast::hash(data);
        let size = file.identity.size;
        let bytes = self
            .placement
            .local_header(file.path.as_str(), size, placed.header, crc)?;
        header.copy_from_slice(&bytes);
        Ok((hash_bytes(data), crc))
    }
}

/// How many files from the start of `files` make the next run of small
/// files (0: the first is large, and is streamed).
fn small_run(files: &[Placed]) -> usize {
    let mut bytes = 0u64;
    files
        .iter()
        .take(BATCH_FILES)
        .take_while(|placed| {
            let size = placed.file.identity.size;
            bytes += size;
            size < PIPELINE_THRESHOLD && bytes <= BATCH_BYTES
        })
        .count()
        .max(usize::from(
            files
                .first()
                .is_some_and(|p| p.file.identity.size < PIPELINE_THRESHOLD),
        ))
}
