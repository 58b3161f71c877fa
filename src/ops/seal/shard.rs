//! `seal --plan PLAN --shard I -o OUT`: one shard of a plan copied and
//! hashed straight into the bundle being built at OUT's work folder
//! (`store::WorkFolder`), in one read of each file, and its part written
//! there. The digests are of the bytes written, as a plain seal's are; the
//! finish (`finish.rs`) then writes only metadata.

use std::io::{self, Write};
use std::path::Path;

use crate::digest::FileDigest;
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
        let start = if zip {
            placement.place(file.path.as_str(), file.identity.size)?
        } else {
            0
        };
        files.push((file, start));
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
        hash_in_order(
            files.len(),
            |i| &files[i],
            |(file, start)| copy_planned(&plan, &target, &placement, file, *start, &progress),
            |i, (file, _), result| {
                let (digest, crc32) = result.map_err(io::Error::other)?;
                let record = HashedFile {
                    index: shard.first + i as u64,
                    path: file.path.clone(),
                    digest,
                    crc32,
                };
                out.write_all(&record.to_line())
            },
        )?;
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

/// Where a shard writes its files.
enum Target {
    Zip(ShardZip),
    /// The bag root of the folder bundle being built.
    Folder(std::path::PathBuf),
}

/// Copies one planned file into the bundle if it is still the file the
/// plan recorded; its digest, and for a zip the CRC-32 of its bytes.
fn copy_planned(
    plan: &ScannedPlan,
    target: &Target,
    placement: &ZipPlacement,
    file: &PlannedFile,
    header_start: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(FileDigest, Option<u32>), PlanError> {
    let (path, mut handle) = open_planned(&plan.header.sources, file)?;
    let size = file.identity.size;
    let (digest, crc) = match target {
        Target::Zip(zip) => {
            let (digest, crc) = zip.write_entry(
                placement,
                file.path.as_str(),
                size,
                header_start,
                &mut handle,
                progress,
            )?;
            (digest, Some(crc))
        }
        Target::Folder(root) => (
            rewrite_into_directory(root, file.path.as_str(), size, &mut handle, progress)?,
            None,
        ),
    };
    check_read_size(&path, file, digest.size)?;
    Ok((digest, crc))
}
