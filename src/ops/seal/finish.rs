//! `seal --plan PLAN --finish -o OUT`: the bundle whose payload the
//! shards wrote (`shard.rs`) gets its metadata, by the same code as a plain
//! seal, and is renamed into place. The parts are checked as for `--parts`
//! (each planned file once, sizes as planned, parts of this plan, retries
//! identical); their digests make the manifests, salts and Merkle root; no
//! payload byte is read. Segment files are copied into the zip file to file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};

use rayon::prelude::*;

use super::{
    build_bag_info, salter, write_metadata, PayloadRecords, SealError, SealRequest, SealSummary,
    Walked,
};
use crate::digest::FileDigest;
use crate::format::bag::{PayloadOxum, BAGIT_TXT};
use crate::format::paths::BagPath;
use crate::format::plan::{PartHeader, Written, MAX_RECORD_LINE};
use crate::ops::plan::{check_shard, find_parts, scan_plan, ScannedPlan};
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
    let mut records = PayloadRecords::create(work.root(), salter(request))?;
    observer.start("finishing", 0);
    // The parts are read and checked against the plan on one thread while
    // this one takes their records in.
    let segments = std::thread::scope(|scope| {
        let (sender, received) = std::sync::mpsc::sync_channel(4);
        let reader = scope.spawn(|| read_parts(&scanned, &parts, zip, sender));
        let taken = take_in(received, &mut staged, &mut records);
        // A failed reader stops sending: its failure is the first.
        match reader.join() {
            Ok(read) => read?,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        taken
    })?;
    // Each segment to its own place: copied side by side.
    segments
        .par_iter()
        .map(|&(shard, start, end)| {
            join_segment(&work.staged(), &work.segment(shard), start, end - start)
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
        records.finish()?,
        &bag_info,
        walked,
        observer,
    )?;
    // The bundle is in place; what is left (parts, segments) was working
    // material, and a leftover folder is harmless.
    let _ = work.remove();
    Ok(summary)
}

/// What the part reader hands over: a shard begins (and how its shard
/// wrote), or the next checked records, each its bag path, digest and, in
/// a zip, CRC-32.
enum Read {
    Shard { shard: u64, written: Written },
    Records(Vec<(BagPath, FileDigest, u32)>),
}

/// Reads every shard's part in order (the first of identical retries),
/// checks each record against the plan and hands them over a batch at a
/// time. Stops quietly when the taker has stopped.
fn read_parts(
    scanned: &ScannedPlan,
    parts: &[Vec<PathBuf>],
    zip: bool,
    sender: SyncSender<Read>,
) -> Result<(), SealError> {
    for (shard, retries) in parts.iter().enumerate() {
        let first = &retries[0];
        let mut lines = Lines::open(first, false)?;
        lines.next_line(MAX_RECORD_LINE)?;
        let header = PartHeader::parse(lines.line()).map_err(lines.line_error())?;
        let written = header
            .written
            .ok_or_else(|| PlanError::NotWritten(first.clone()))?;
        let begin = Read::Shard {
            shard: shard as u64,
            written,
        };
        if sender.send(begin).is_err() {
            return Ok(());
        }
        let mut batch = Vec::with_capacity(BATCH);
        check_shard(scanned, shard, retries, |record| {
            let crc = match record.crc32 {
                Some(crc) => crc,
                None if !zip => 0,
                None => {
                    return Err(PlanError::Malformed {
                        path: first.clone(),
                        // Line 1 is the header.
                        line: record.index - header.first + 2,
                        reason: format!(
                            "{}: no crc32 (a zip's shards record the CRC-32 of what they wrote)",
                            record.path.as_str()
                        ),
                    });
                }
            };
            batch.push((record.path, record.digest, crc));
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // A taker that stopped has its own failure to report.
                let _ = sender.send(Read::Records(full));
            }
            Ok(())
        })?;
        if !batch.is_empty() && sender.send(Read::Records(batch)).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Takes the records handed over into the zip's directory (each entry a
/// shard wrote) and into the manifests, salts and Merkle tree; returns
/// where each shard that wrote a segment begins and ends in the zip.
fn take_in(
    received: Receiver<Read>,
    staged: &mut StagedBundle,
    records: &mut PayloadRecords,
) -> Result<Vec<(u64, u64, u64)>, SealError> {
    let mut segments = Vec::new();
    let mut open: Option<(u64, u64)> = None;
    let zip = staged.directory_root().is_none();
    for read in received {
        match read {
            Read::Shard { shard, written } => {
                if let Some((shard, start)) = open.take() {
                    segments.push((shard, start, staged.position()));
                }
                if zip && written == Written::Segment {
                    open = Some((shard, staged.position()));
                }
            }
            Read::Records(batch) => {
                if zip {
                    for (path, digest, crc) in &batch {
                        staged.adopt_payload(path.as_str(), digest.size, *crc)?;
                    }
                }
                let names: Vec<&str> = batch.iter().map(|(path, ..)| path.as_str()).collect();
                let digests: Vec<FileDigest> = batch.iter().map(|(_, digest, _)| *digest).collect();
                records.add_paths(&names, &digests)?;
            }
        }
    }
    if let Some((shard, start)) = open {
        segments.push((shard, start, staged.position()));
    }
    Ok(segments)
}
