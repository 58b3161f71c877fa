//! `exhibit renew`: the bundle's RFC 4998 evidence record
//! (`exhibit/evidence-record.ers`, `format::evidence_record`) started or
//! renewed with one archive time-stamp — over a hash tree of the bundle's
//! tag files the first time and with `--hash` (hash-tree renewal), over the
//! previous archive time-stamp otherwise (time-stamp renewal). The
//! time-stamp is asked of a TSA, or written as a query and attached from
//! its answer later. Online, the validation material of the new
//! time-stamp's TSA chain is fetched too (`ops::ltv`).
//!
//! The record is checked before it is written and replaced crash-safely
//! under the append lock ([`Bundle::replace`]); any failure leaves the
//! bundle unchanged.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::format::evidence_record::{self, EvidenceRecord, Pending, EVIDENCE_RECORD_PATH};
use crate::fsx::{write_atomically, Overwrite};
use crate::limits::MAX_VALIDATION_BYTES;
use crate::ops::ltv::{self, AddedMaterial, LtvError};
use crate::ops::timestamp::{ask_for_digest, TsaError};
use crate::ops::verify::tag_digests;
use crate::ops::Observer;
use crate::problem::Problem;
use crate::store::{Bundle, NewFile, OpenError, StoreError};
use crate::time::UtcTime;
use crate::trust::TrustSet;
use crate::tsp::http::Authority;
use crate::tsp::{self, GenTime, HashAlgorithm, Query};

/// Where the archive time-stamp comes from.
pub enum StampSource<'a> {
    /// Asked of this TSA; the validation material of its chain is fetched
    /// with this timeout per request.
    Online(&'a dyn Authority, Duration),
    /// The query written into this folder (`evidence-record.tsq`).
    RequestDir(&'a Path),
    /// This `TimeStampResp` file (path, bytes), the answer to that query.
    Attach(&'a Path, &'a [u8]),
}

/// What `exhibit renew` is asked to do.
pub struct RenewRequest<'a> {
    pub bundle: &'a Path,
    pub source: StampSource<'a>,
    /// `--hash`: a hash-tree renewal (a new chain) with this algorithm;
    /// the first record uses it too (SHA-256 by default).
    pub hash: Option<HashAlgorithm>,
    /// Roots that complete the new time-stamp's chain, for its validation
    /// material.
    pub trust: &'a TrustSet,
    pub time: UtcTime,
}

/// Which renewal was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// The first archive time-stamp: the record is new.
    Started,
    /// A new archive time-stamp over the previous one.
    TimeStamp,
    /// A new chain over the tag files and the previous chains.
    HashTree,
}

/// What `exhibit renew` did.
#[derive(Debug, Clone)]
pub enum RenewOutcome {
    Renewed {
        renewal: Renewal,
        algorithm: HashAlgorithm,
        /// Tag files the new archive time-stamp covers (hash-tree: all of
        /// them; time-stamp renewal: none directly).
        covered: usize,
        gen_time: GenTime,
        tsa: String,
        material: Vec<AddedMaterial>,
    },
    QueryWritten(PathBuf),
}

/// Why the record was not renewed (the bundle is unchanged).
#[derive(Debug, thiserror::Error)]
pub enum RenewError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: does not verify; the evidence record was not renewed", bundle.display())]
    DoesNotVerify {
        bundle: PathBuf,
        problems: Vec<Problem>,
    },
    /// The record in the bundle cannot be renewed (it does not parse).
    #[error("{EVIDENCE_RECORD_PATH}: {0}; not renewed")]
    Record(String),
    #[error(transparent)]
    Tsa(#[from] TsaError),
    #[error(transparent)]
    Material(#[from] LtvError),
    #[error("{}: {reason}; nothing attached", file.display())]
    Attach { file: PathBuf, reason: String },
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

crate::ops::refused_unless_verified!(RenewError);

/// The file name of the query `--request-dir` writes.
pub const QUERY_FILE: &str = "evidence-record.tsq";

/// `exhibit renew`.
pub fn renew(
    request: &RenewRequest<'_>,
    observer: &dyn Observer,
) -> Result<RenewOutcome, RenewError> {
    let path = request.bundle;
    let (lock, bundle) =
        crate::ops::lock_checked(path, observer, |problems| RenewError::DoesNotVerify {
            bundle: path.into(),
            problems,
        })?;
    let record = match bundle.find(EVIDENCE_RECORD_PATH) {
        None => None,
        Some(entry) => {
            let bytes = bundle.read_entry(entry, MAX_VALIDATION_BYTES)?;
            Some(EvidenceRecord::from_der(&bytes).map_err(|e| RenewError::Record(e.to_string()))?)
        }
    };
    let digests_with = |algorithm| -> Result<Vec<Vec<u8>>, StoreError> {
        Ok(tag_digests(&bundle, algorithm)?
            .into_iter()
            .map(|(_, digest)| digest)
            .collect())
    };
    let (renewal, pending, covered): (Renewal, Pending, usize) = match (&record, request.hash) {
        (None, hash) => {
            let digests = digests_with(hash.unwrap_or(HashAlgorithm::Sha256))?;
            let covered = digests.len();
            let algorithm = hash.unwrap_or(HashAlgorithm::Sha256);
            let pending =
                evidence_record::start(algorithm, &digests).map_err(RenewError::Record)?;
            (Renewal::Started, pending, covered)
        }
        (Some(record), Some(algorithm)) => {
            let digests = digests_with(algorithm)?;
            let covered = digests.len();
            let pending = evidence_record::renew_hash_tree(record, algorithm, &digests)
                .map_err(RenewError::Record)?;
            (Renewal::HashTree, pending, covered)
        }
        (Some(record), None) => (
            Renewal::TimeStamp,
            evidence_record::renew_time_stamp(record),
            0,
        ),
    };
    let algorithm = pending.algorithm;
    let (response, material) = match &request.source {
        StampSource::RequestDir(dir) => {
            let query = Query::for_digest(algorithm, &pending.imprint);
            let file = dir.join(QUERY_FILE);
            let io = |error| RenewError::Io {
                path: file.clone(),
                error,
            };
            std::fs::create_dir_all(dir).map_err(io)?;
            write_atomically(&file, &query.der, 0o644, Overwrite::Allow).map_err(io)?;
            return Ok(RenewOutcome::QueryWritten(file));
        }
        StampSource::Online(authority, timeout) => {
            let (response, _) = ask_for_digest(*authority, algorithm, &pending.imprint)?;
            let mut material = Vec::new();
            for link in ltv::token_links(&response, request.trust.tsa_roots()) {
                if let Some(found) = ltv::fetch(&link, *timeout)? {
                    material.push(found);
                }
            }
            (response, material)
        }
        StampSource::Attach(file, bytes) => {
            let refuse = |reason: String| RenewError::Attach {
                file: file.to_path_buf(),
                reason,
            };
            let facts = tsp::check_response(bytes, &[])
                .map_err(|e| refuse(format!("not a usable time-stamp response: {e}")))?;
            facts
                .check_covers_digest(algorithm, &pending.imprint)
                .map_err(|reason| {
                    refuse(format!(
                        "does not answer this bundle's pending {} renewal ({reason}); \
                         ask again with --request-dir (and the same --hash)",
                        match renewal {
                            Renewal::Started => "first",
                            Renewal::TimeStamp => "time-stamp",
                            Renewal::HashTree => "hash-tree",
                        }
                    ))
                })?;
            (bytes.to_vec(), Vec::new())
        }
    };
    let facts =
        tsp::check_response(&response, &[]).map_err(|e| RenewError::Record(e.to_string()))?;
    let token = tsp::token_of_response(&response).map_err(|e| RenewError::Record(e.to_string()))?;
    let renewed = pending.complete(token).map_err(RenewError::Record)?;
    bundle.replace(
        &lock,
        &NewFile {
            name: EVIDENCE_RECORD_PATH.to_string(),
            bytes: renewed.to_der(),
        },
        request.time,
    )?;
    // Reopened: a zip rewritten by the replacement has new offsets.
    let bundle = Bundle::open(path)?;
    let new_files: Vec<NewFile> = material
        .iter()
        .filter(|(file, _)| bundle.find(&file.name).is_none())
        .map(|(file, _)| file.clone())
        .collect();
    if !new_files.is_empty() {
        bundle.append(&lock, &new_files, request.time)?;
    }
    Ok(RenewOutcome::Renewed {
        renewal,
        algorithm,
        covered,
        gen_time: facts.gen_time,
        tsa: facts.tsa,
        material: material.into_iter().map(|(_, added)| added).collect(),
    })
}
