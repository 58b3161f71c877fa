//! Verification: every check of SPEC.md, in order, over an opened bundle.
//! A problem is data in the [`Report`], never an early return, so the
//! receiver gets the full list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::digest::{FileDigest, Sha256Digest};
use crate::format::bag::{BagInfo, TagEncoding};
use crate::format::disclosure::DISCLOSURE_PATH;
use crate::ops::Observer;
use crate::problem::{Problem, ProblemCode};
use crate::report::{BundleKind, Outcome, Report, TrustUsed};
use crate::store::{Bundle, EntryKind, StoreError};
use crate::trust::TrustSet;

mod chain;
mod declaration;
mod disclosure;
mod entries;
mod evidence_record;
mod manifests;
mod merkle_root;
mod missing;
mod parts;
mod payload;
mod rules;
mod seal;
mod signatures;
mod split;
mod tag_manifests;
mod tags;
mod timestamps;
mod trust;
mod validation;

use declaration::Fetched;
use manifests::{Bits, Manifest};
use merkle_root::{MerkleOutcome, MerklePlan};
use rules::Rules;
use signatures::{is_cert_signature, is_signature_record};
use tags::stream_digest;

pub use evidence_record::{is_covered_tag_file, tag_digests};
pub use parts::{verify_parts, Recorded};
pub use split::{check_share, verify_shard, ShareRequest, ShareSummary, SplitError};

/// Payload files hashed between progress checkpoints (bounds memory).
const HASH_BATCH: usize = 4096;

/// How to verify.
pub struct VerifyOptions<'a> {
    pub trust: &'a TrustSet,
    /// Called with the number of payload bytes hashed so far, in steps.
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// When set, every payload file is also written below its folder
    /// (without the `data/` prefix) during the same read pass.
    pub extract_to: Option<&'a CopyOut<'a>>,
    /// Hash the payload (false: tag files and signatures only, for `inspect`).
    pub hash_payload: bool,
    /// The payload as the parts of a split verification recorded it: its
    /// digests are taken from there instead of read here.
    pub recorded: Option<&'a Recorded>,
}

/// Where `extract` copies the payload while it is verified, and the first
/// write that failed there: a full target disk is the target's failure,
/// never a finding about the evidence. Once a write failed, or a file
/// failed its check, no other file is copied: the copy will be thrown away.
pub struct CopyOut<'a> {
    root: &'a Path,
    failed: std::sync::OnceLock<StoreError>,
    doomed: std::sync::atomic::AtomicBool,
}

impl<'a> CopyOut<'a> {
    pub fn new(root: &'a Path) -> Self {
        CopyOut {
            root,
            failed: std::sync::OnceLock::new(),
            doomed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// A file failed its check: the rest is hashed, not copied.
    fn doom(&self) {
        self.doomed
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    fn is_doomed(&self) -> bool {
        self.doomed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The first write that failed, if one did.
    pub fn failure(self) -> Option<StoreError> {
        self.failed.into_inner()
    }
}

/// Total payload bytes a verification will read (for progress bars).
pub fn payload_bytes(bundle: &Bundle) -> u64 {
    bundle
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::File && e.name.starts_with("data/"))
        .fold(0u64, |total, e| total.saturating_add(e.size))
}

/// `exhibit verify`: every check, the payload hashed, progress shown; the
/// report lists every payload file (`Report::payload`).
pub fn verify_bundle(bundle: &Bundle, trust: &TrustSet, observer: &dyn Observer) -> Report {
    verify_bundle_with(bundle, trust, observer, true)
}

/// [`verify_bundle`], listing every payload file in the report only when
/// `payload_rows` (about 100 bytes a file: only a JSON or HTML report, or an
/// export, needs them).
pub fn verify_bundle_with(
    bundle: &Bundle,
    trust: &TrustSet,
    observer: &dyn Observer,
    payload_rows: bool,
) -> Report {
    verify_observed(bundle, trust, observer, payload_rows, None)
}

/// Every check with progress shown, each payload file's digests read from
/// the bundle or, with `recorded`, taken from the parts of a split
/// verification (`verify --parts`).
pub(super) fn verify_observed(
    bundle: &Bundle,
    trust: &TrustSet,
    observer: &dyn Observer,
    payload_rows: bool,
    recorded: Option<&Recorded>,
) -> Report {
    observer.start("verifying", payload_bytes(bundle));
    let report = verify_with(
        bundle,
        &VerifyOptions {
            trust,
            progress: &|n| observer.advance(n),
            extract_to: None,
            hash_payload: true,
            recorded,
        },
        payload_rows,
    );
    observer.finish();
    report
}

/// [`verify_bundle_with`], and the bundle as received (its size and, for a
/// zip, the SHA-256 of the file: [`Bundle::as_received`]) read from the
/// handle the checks read, while they run: what a report says was received
/// is what was checked, not a second reading taken after the verdict.
pub fn verify_as_received(
    bundle: &Bundle,
    trust: &TrustSet,
    observer: &dyn Observer,
    payload_rows: bool,
) -> (Report, Result<(u64, Option<Sha256Digest>), StoreError>) {
    rayon::join(
        || verify_bundle_with(bundle, trust, observer, payload_rows),
        || bundle.as_received(),
    )
}

/// Every check but hashing the payload: tag files, seal statement,
/// signatures and custody (what `inspect`, `custody log|replay|add` need).
pub fn verify_without_payload(bundle: &Bundle, trust: &TrustSet) -> Report {
    verify(
        bundle,
        &VerifyOptions {
            trust,
            progress: &|_| {},
            extract_to: None,
            hash_payload: false,
            recorded: None,
        },
    )
}

/// Runs every check `options` asks for and returns the report, with every
/// payload file listed in it.
pub fn verify(bundle: &Bundle, options: &VerifyOptions<'_>) -> Report {
    verify_with(bundle, options, true)
}

/// [`verify`], listing the payload files in `Report::payload` only when
/// `payload_rows`.
pub fn verify_with(bundle: &Bundle, options: &VerifyOptions<'_>, payload_rows: bool) -> Report {
    let mut v = Verification::new(bundle);
    v.check_entries();
    v.check_declaration();
    v.check_bag_info();
    v.load_fetch();
    v.load_manifests();
    // Opened with its tag files only (inspect, disclose): no payload listing
    // to hold the manifests against; the tag manifests are cheap.
    let listed = bundle.payload_listed();
    if listed {
        v.check_fetch_listed();
    }
    if options.hash_payload && listed {
        v.prepare_merkle();
        v.check_payload(options, payload_rows);
    }
    if options.hash_payload || !listed {
        v.check_tag_manifests();
    }
    if v.is_exhibit() {
        v.check_seal(options);
    }
    v.finish()
}

/// The index of `name` in the sorted payload.
pub(super) fn payload_index(payload: &[&crate::store::Entry], name: &str) -> Option<usize> {
    payload
        .binary_search_by(|e| e.name.as_bytes().cmp(name.as_bytes()))
        .ok()
}

pub(super) struct Verification<'b> {
    bundle: &'b Bundle,
    report: Report,
    /// Payload files present (validated names), sorted by path bytes.
    payload: Vec<&'b crate::store::Entry>,
    /// Non-payload regular files present.
    tags: BTreeMap<String, &'b crate::store::Entry>,
    manifests: Vec<Manifest>,
    blake3_manifest: Option<Manifest>,
    bag_info_bytes: Option<Vec<u8>>,
    bag_info: Option<BagInfo>,
    /// Actual digests of the payload, in `payload` order: kept only for a
    /// disclosure bundle (its files are compared with their leaf inputs).
    digests: Vec<Option<FileDigest>>,
    /// How the Merkle root is folded while hashing, and what it gave.
    merkle_plan: MerklePlan,
    merkle: Option<MerkleOutcome>,
    /// SHA-256 of tag files already read whole as streams (manifests).
    tag_sha256: BTreeMap<String, Sha256Digest>,
    /// Tag files already reported as unreadable.
    unreadable: BTreeSet<String>,
    /// Certificate signers (seal and custody), as a trust policy judges them.
    certificates: BTreeMap<crate::keys::KeyId, trust::CertificateFacts>,
    /// The bag has `exhibit/`: it claims to be made by exhibit.
    exhibit: bool,
    rules: Rules,
    /// The encoding tag files are read in.
    encoding: TagEncoding,
    /// Payload files `fetch.txt` lists, by path.
    fetch: BTreeMap<String, Fetched>,
    /// The CRLs and OCSP responses of `exhibit/validation/` that parse.
    validation: Vec<Vec<u8>>,
    /// Tag files a sound evidence record covers, and since when (Unix
    /// seconds) it proves they existed.
    record_proves: BTreeMap<String, i64>,
    /// When that record's last archive time-stamp expires.
    record_holds_until: Option<i64>,
    /// The earliest moment a proof checked so far lapses.
    proof_until: Option<i64>,
    /// Certificate signers (seal: by key id; custody: by sequence) whose
    /// proof does not count, and why.
    discounted_signers: BTreeMap<crate::keys::KeyId, String>,
    discounted_events: BTreeMap<u64, String>,
}

impl<'b> Verification<'b> {
    pub(super) fn new(bundle: &'b Bundle) -> Self {
        let report = Report {
            bundle: bundle.path.display().to_string(),
            status: Outcome::Failed,
            kind: BundleKind::Bagit,
            case_id: None,
            exhibit_id: None,
            sealed_at: None,
            statement: None,
            file_count: 0,
            total_bytes: 0,
            signers: Vec::new(),
            trusted_signers: Vec::new(),
            custody: Vec::new(),
            custody_head: None,
            disclosure: None,
            problems: bundle.problems.clone(),
            warnings: bundle.warnings.clone(),
            trust: TrustUsed::default(),
            payload: Vec::new(),
            evidence_record: None,
            proof_expires: None,
            untrusted_proofs: Vec::new(),
        };
        let exhibit = bundle
            .entries
            .iter()
            .any(|e| e.name == "exhibit" || e.name.starts_with("exhibit/"));
        Verification {
            bundle,
            report,
            payload: Vec::new(),
            tags: BTreeMap::new(),
            manifests: Vec::new(),
            blake3_manifest: None,
            bag_info_bytes: None,
            bag_info: None,
            digests: Vec::new(),
            merkle_plan: MerklePlan::None,
            merkle: None,
            tag_sha256: BTreeMap::new(),
            unreadable: BTreeSet::new(),
            certificates: BTreeMap::new(),
            exhibit,
            rules: Rules::for_bag(exhibit, None),
            encoding: TagEncoding::Utf8,
            fetch: BTreeMap::new(),
            validation: Vec::new(),
            record_proves: BTreeMap::new(),
            record_holds_until: None,
            proof_until: None,
            discounted_signers: BTreeMap::new(),
            discounted_events: BTreeMap::new(),
        }
    }

    pub(super) fn warning(
        &mut self,
        code: ProblemCode,
        path: Option<&str>,
        message: impl Into<String>,
    ) {
        self.report.warnings.push(Problem::new(code, path, message));
    }

    pub(super) fn problem(
        &mut self,
        code: ProblemCode,
        path: Option<&str>,
        message: impl Into<String>,
    ) {
        self.report.problems.push(Problem::new(code, path, message));
    }

    /// A disclosure bundle (`exhibit disclose`): part of a seal's payload
    /// with inclusion proofs, checked by [`Verification::check_disclosure`].
    pub(super) fn is_disclosure(&self) -> bool {
        self.tags.contains_key(DISCLOSURE_PATH)
    }

    pub(super) fn is_exhibit(&self) -> bool {
        self.exhibit
    }

    pub(super) fn finish(mut self) -> Report {
        self.report.finish();
        self.report
    }
}
