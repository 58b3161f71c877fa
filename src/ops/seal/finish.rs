//! `seal --plan PLAN --finish -o OUT`: the bundle whose payload the
//! shards wrote (`shard.rs`) gets its metadata, by the same code as a plain
//! seal, and is renamed into place. The parts are checked as for `--parts`
//! (each planned file once, sizes as planned, parts of this plan, retries
//! identical); their digests make the manifests, salts and Merkle root; no
//! payload byte is read. Segment files are copied into the zip file to file.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{
    build_bag_info, salter, write_metadata, PayloadRecords, SealError, SealRequest, SealSummary,
    Walked,
};
use crate::digest::FileDigest;
use crate::format::bag::{PayloadOxum, BAGIT_TXT};
use crate::format::paths::BagPath;
use crate::format::plan::{HashedFile, PartHeader, Written, MAX_RECORD_LINE};
use crate::ops::plan::{check_shard, find_parts, scan_plan};
use crate::ops::planned::{Lines, PlanError};
use crate::ops::Observer;
use crate::store::{join_segment, BundleForm, StagedBundle, StoreError, WorkFolder};

/// Part records taken in at a time (their manifest lines and leaves are
/// made in parallel).
const BATCH: usize = 4096;

/// Finishes the bundle the shards of `plan` wrote for `request.output`.
/// Forensic images among the files are not checked: that would read them.
pub fn seal_finish(
    request: &SealRequest<'_>,
    plan: &Path,
    observer: &dyn Observer,
) -> Result<SealSummary, SealError> {
    if std::fs::symlink_metadata(request.output).is_ok() {
        return Err(SealError::OutputExists(request.output.into()));
    }
    let scanned = scan_plan(plan)?;
    let work = WorkFolder::for_output(request.output, &scanned.sha256);
    if !work.parts().is_dir() {
        return Err(PlanError::NoWorkFolder(work.root().into()).into());
    }
    let (Some(symlinks), Some(empty_directories)) = (
        scanned.header.symlinks.as_deref(),
        scanned.header.empty_directories.as_deref(),
    ) else {
        return Err(PlanError::PlanTooOld(plan.into()).into());
    };
    // The parts' first lines now; their records below, each checked
    // against the plan as it is taken into the bundle.
    let parts = find_parts(&scanned, &work.parts())?;
    let bag_info = build_bag_info(
        request,
        PayloadOxum {
            octets: scanned.header.bytes,
            streams: scanned.header.files,
        },
    )?
    .to_bytes();

    // Not handed to the observer as a temporary path: an interrupt must
    // not remove what the shards wrote; the finish can be run again.
    let mut staged = StagedBundle::resume(request.output, &work.staged(), request.time)?;
    staged.write_bytes("bagit.txt", BAGIT_TXT.as_bytes())?;
    staged.write_payload_dir()?;
    let zip = work.form() == BundleForm::Zip;
    let mut intake = Intake {
        records: PayloadRecords::create(work.root(), salter(request))?,
        zip,
        paths: Vec::with_capacity(BATCH),
        digests: Vec::with_capacity(BATCH),
        part: Default::default(),
        first: 0,
    };
    let mut segments = Vec::new();
    observer.start("finishing", 0);
    for (shard, retries) in parts.iter().enumerate() {
        let start = staged.position();
        let first = &retries[0];
        let mut lines = Lines::open(first, false)?;
        lines.next_line(MAX_RECORD_LINE)?;
        let header = PartHeader::parse(lines.line()).map_err(lines.line_error())?;
        let written = header
            .written
            .ok_or_else(|| PlanError::NotWritten(first.clone()))?;
        intake.part = first.clone();
        intake.first = header.first;
        check_shard(&scanned, shard, retries, |record| {
            intake.take(record, &mut staged)
        })?;
        intake.flush()?;
        if zip && written == Written::Segment {
            segments.push((shard as u64, start, staged.position()));
        }
    }
    // Each segment to its own place: copied side by side.
    segments
        .par_iter()
        .map(|&(shard, start, end)| {
            let segment = work.segment(shard);
            let copied = join_segment(&work.staged(), &segment, start)?;
            if copied != end - start {
                return Err(StoreError::Zip {
                    path: segment.display().to_string(),
                    reason: format!(
                        "shard {shard}'s segment is {copied} bytes, its files take {}",
                        end - start
                    ),
                });
            }
            Ok(())
        })
        .collect::<Result<(), StoreError>>()?;
    observer.finish();
    staged.write_bytes("bag-info.txt", &bag_info)?;
    let walked = Walked {
        symlinks,
        empty_directories,
        acquisition: Vec::new(),
    };
    let summary = write_metadata(
        staged,
        request,
        intake.records.finish()?,
        &bag_info,
        walked,
        observer,
    )?;
    // The bundle is in place; what is left (parts, segments) was working
    // material, and a leftover folder is harmless.
    let _ = work.remove();
    Ok(summary)
}

/// Where the finish takes each checked part record: into the zip's
/// directory (taking in the entry a shard wrote) and, a batch at a time,
/// into the manifests, salts and Merkle tree.
struct Intake {
    records: PayloadRecords,
    zip: bool,
    paths: Vec<BagPath>,
    digests: Vec<FileDigest>,
    /// The part being taken in, and the plan position of its first file.
    part: PathBuf,
    first: u64,
}

impl Intake {
    fn take(&mut self, record: HashedFile, staged: &mut StagedBundle) -> Result<(), SealError> {
        if self.zip {
            let crc = record.crc32.ok_or_else(|| PlanError::Malformed {
                path: self.part.clone(),
                // Line 1 is the header.
                line: record.index - self.first + 2,
                reason: format!(
                    "{}: no crc32 (a zip's shards record the CRC-32 of what they wrote)",
                    record.path.as_str()
                ),
            })?;
            staged.adopt_payload(record.path.as_str(), record.digest.size, crc)?;
        }
        self.paths.push(record.path);
        self.digests.push(record.digest);
        if self.paths.len() == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), SealError> {
        let names: Vec<&str> = self.paths.iter().map(BagPath::as_str).collect();
        self.records.add_paths(&names, &self.digests)?;
        self.paths.clear();
        self.digests.clear();
        Ok(())
    }
}
