//! Verification split across machines: `verify --shard I/N` reads one share
//! of the payload into a part (this file); `verify --parts` combines the
//! parts into the verdict (`parts.rs`). Every machine computes the same
//! split from the bundle alone: runs of consecutive payload files in
//! payload order, balanced by bytes as a plan's shards are.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::format::plan::{split_shards, Shard};
use crate::format::verify_part::{
    is_identity_tag, BundleIdentity, FileRead, PartHeader, TagDigest, MAX_SHARES, VERIFY_PART_TYPE,
};
use crate::limits::MAX_MANIFEST_BYTES;
use crate::ops::write_working_file;
use crate::ops::{Observer, OpError, Refusal};
use crate::store::{Bundle, StoreError};

use super::payload::hash_entry;
use super::tags::stream_sha256;
use super::{Verification, VerifyOptions, HASH_BATCH};

/// Why a share could not be read into a part, or parts could not be
/// combined: every one is input that cannot be used (exit 2), never a
/// verdict about the evidence.
#[derive(Debug, thiserror::Error)]
pub enum SplitError {
    #[error("there is no share {shard} of {shards} (shares are numbered from 0 to {last})", last = shards.saturating_sub(1))]
    NoSuchShare { shard: u64, shards: u64 },
    #[error("a payload is split into 1 to {MAX_SHARES} shares, not {shards}")]
    ShareCount { shards: u64 },
    #[error(transparent)]
    Bundle(#[from] StoreError),
    #[error("{}: cannot write the part: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
    #[error("{}: cannot read: {error}", path.display())]
    Read { path: PathBuf, error: io::Error },
    #[error("{}: no part (*.part) in it", dir.display())]
    NoParts { dir: PathBuf },
    #[error("{}: line {line}: {reason}", part.display())]
    Malformed {
        part: PathBuf,
        line: u64,
        reason: String,
    },
    #[error("{}: a part of another bundle, or of this one before its manifests, seal or bag-info.txt changed", part.display())]
    Foreign { part: PathBuf },
    #[error("{}: a part of {shards} shares, but {} is of {expected}", part.display(), other.display())]
    MixedShares {
        part: PathBuf,
        shards: u64,
        other: PathBuf,
        expected: u64,
    },
    #[error("{}: share {shard} of {shards} does not hold the files this bundle's split gives it", part.display())]
    WrongShare {
        part: PathBuf,
        shard: u64,
        shards: u64,
    },
    #[error("{}: no part for share {shard} of {shards}", dir.display())]
    MissingShare {
        dir: PathBuf,
        shard: u64,
        shards: u64,
    },
    #[error("{}: share {shard} of {shards} conflicts with {} (the same share read differently)", part.display(), other.display())]
    Conflict {
        part: PathBuf,
        other: PathBuf,
        shard: u64,
        shards: u64,
    },
    #[error("{}: share {shard} of {shards}, line {line}: records {found:?} where the bundle's payload has {expected:?}", part.display())]
    Misplaced {
        part: PathBuf,
        shard: u64,
        shards: u64,
        line: u64,
        expected: String,
        found: String,
    },
    #[error("{}: share {shard} of {shards}: {reason}", part.display())]
    Incomplete {
        part: PathBuf,
        shard: u64,
        shards: u64,
        reason: String,
    },
    #[error("the bundle's payload could not be listed: its parts cannot be placed")]
    NotListed,
}

impl OpError for SplitError {
    fn refusal(&self) -> Refusal {
        Refusal::Unusable
    }
}

/// `verify --shard`: which share, and where its part goes.
pub struct ShareRequest<'a> {
    pub shard: u64,
    pub shards: u64,
    pub output: &'a Path,
}

/// What a share's part holds.
#[derive(Debug, Clone, Copy)]
pub struct ShareSummary {
    pub shard: u64,
    pub shards: u64,
    pub first: u64,
    pub files: u64,
    /// Listed bytes of its files.
    pub bytes: u64,
    /// Files that could not be read to their end (recorded as such).
    pub unreadable: u64,
}

/// Checks a share number against a share count.
pub fn check_share(shard: u64, shards: u64) -> Result<(), SplitError> {
    if shards == 0 || shards > MAX_SHARES {
        return Err(SplitError::ShareCount { shards });
    }
    if shard >= shards {
        return Err(SplitError::NoSuchShare { shard, shards });
    }
    Ok(())
}

impl Verification<'_> {
    /// What a part records of this bundle: the SHA-256 of each tag file
    /// that lists, describes or seals the payload (noted when a check read
    /// it already, so combining reads no manifest twice), and the payload
    /// listing's file count and bytes.
    pub(super) fn identity(&self) -> Result<BundleIdentity, StoreError> {
        let mut tag_files = Vec::new();
        for (name, entry) in self.tags.iter().filter(|(n, _)| is_identity_tag(n)) {
            let sha256 = match self.tag_sha256.get(name) {
                Some(digest) => *digest,
                None => stream_sha256(self.bundle, entry, MAX_MANIFEST_BYTES)?,
            };
            tag_files.push(TagDigest {
                path: name.clone(),
                sha256,
            });
        }
        // BTreeMap keys are in byte order already.
        Ok(BundleIdentity {
            tag_files,
            files: self.payload.len() as u64,
            bytes: self
                .payload
                .iter()
                .fold(0u64, |total, e| total.saturating_add(e.size)),
        })
    }

    /// The manifest algorithms a share computes beside SHA-256 and BLAKE3:
    /// every payload manifest's that exhibit can compute, sorted.
    pub(super) fn other_algorithms(&self) -> Vec<String> {
        let mut algorithms: Vec<String> = self
            .tags_by_algorithm(crate::format::bag::manifest_algorithm)
            .into_iter()
            .map(|(_, algorithm)| algorithm)
            .filter(|a| a != "sha256" && crate::digest::manifest_hasher(a).is_some())
            .collect();
        algorithms.sort();
        algorithms.dedup();
        algorithms
    }

    /// The shares of this bundle's payload.
    pub(super) fn shares(&self, shards: u64) -> Vec<Shard> {
        let sizes: Vec<u64> = self.payload.iter().map(|e| e.size).collect();
        split_shards(&sizes, usize::try_from(shards).unwrap_or(usize::MAX))
    }
}

/// `exhibit verify BUNDLE --shard I/N -o PART`: reads share I of N of the
/// payload (each file hashed once, as plain verify hashes it) and writes
/// what it read to PART, under a temporary name beside it renamed at the
/// end. No verdict: `verify --parts` gives it.
pub fn verify_shard(
    bundle: &Bundle,
    request: &ShareRequest<'_>,
    observer: &dyn Observer,
) -> Result<ShareSummary, SplitError> {
    check_share(request.shard, request.shards)?;
    let mut v = Verification::new(bundle);
    v.check_entries();
    let identity = v.identity()?;
    let others = v.other_algorithms();
    let others: Vec<&str> = others.iter().map(String::as_str).collect();
    let shares = v.shares(request.shards);
    let Some(share) = usize::try_from(request.shard)
        .ok()
        .and_then(|i| shares.get(i).copied())
    else {
        return Err(SplitError::NoSuchShare {
            shard: request.shard,
            shards: request.shards,
        });
    };
    let header = PartHeader {
        doc_type: VERIFY_PART_TYPE.into(),
        bundle: identity,
        shard: request.shard,
        shards: request.shards,
        first: share.first,
        files: share.files,
    };
    // The share's files; `first + files` is within the payload (split).
    let first = usize::try_from(share.first).unwrap_or(usize::MAX);
    let files = usize::try_from(share.files).unwrap_or(0);
    let entries = v
        .payload
        .get(first..first.saturating_add(files))
        .unwrap_or(&[]);
    let bytes = entries
        .iter()
        .fold(0u64, |total, e| total.saturating_add(e.size));
    observer.start("verifying", bytes);
    let progress = |n| observer.advance(n);
    let options = VerifyOptions {
        trust: &crate::trust::TrustSet::default(),
        progress: &progress,
        extract_to: None,
        hash_payload: true,
        recorded: None,
    };
    let mut unreadable = 0u64;
    // A dot name, which `--parts` never reads, until complete.
    let written = write_working_file(request.output, true, observer, |out, _| {
        out.write_all(&header.to_line())?;
        for batch in entries.chunks(HASH_BATCH) {
            let reads: Vec<FileRead> = batch
                .par_iter()
                .map(|entry| FileRead {
                    path: entry.name.clone(),
                    read: hash_entry(bundle, entry, &others, &options).map_err(|e| e.to_string()),
                })
                .collect();
            for read in reads {
                unreadable += u64::from(read.read.is_err());
                out.write_all(&read.to_line())?;
            }
        }
        Ok(())
    });
    observer.finish();
    written.map_err(|error| SplitError::Write {
        path: request.output.to_path_buf(),
        error,
    })?;
    Ok(ShareSummary {
        shard: request.shard,
        shards: request.shards,
        first: share.first,
        files: share.files,
        bytes,
        unreadable,
    })
}
