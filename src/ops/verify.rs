//! Verification: every check of SPEC.md, in order, over an opened bundle.
//! A problem is data in the [`Report`], never an early return, so the
//! receiver gets the full list.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;
use sha2::digest::DynDigest;

use crate::digest::{hash_stream, FileDigest, Sha256Digest};
use crate::format::bag::{self, BagInfo};
use crate::format::custody::{self, CUSTODY_DIR};
use crate::format::disclosure::DISCLOSURE_PATH;
use crate::format::merkle::{self, LeafInput};
use crate::format::paths::BagPath;
use crate::format::salt::MERKLE_SALTS_PATH;
use crate::format::seal::{SealStatement, SealVersion, BLAKE3_MANIFEST_PATH, SEAL_PATH};
use crate::format::signature::{SignatureRecord, SIGNATURES_DIR};
use crate::limits::{MAX_DOCUMENT_BYTES, MAX_MANIFEST_BYTES, MAX_RECORD_BYTES, MAX_TAG_BYTES};
use crate::ops::Observer;
use crate::problem::{Problem, ProblemCode};
use crate::report::{BundleKind, Outcome, Report, SignerReport};
use crate::store::{copy_into_directory, Bundle, EntryKind, StoreError};
use crate::trust::TrustSet;

mod disclosure;

/// Payload files hashed between progress checkpoints (bounds memory).
const HASH_BATCH: usize = 4096;

/// How to verify.
pub struct VerifyOptions<'a> {
    pub trust: &'a TrustSet,
    /// Called with the number of payload bytes hashed so far, in steps.
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// When set, every payload file is also written below this folder
    /// (without the `data/` prefix) during the same read pass.
    pub extract_to: Option<&'a Path>,
    /// Hash the payload (false: tag files and signatures only, for `inspect`).
    pub hash_payload: bool,
}

/// Total payload bytes a verification will read (for progress bars).
pub fn payload_bytes(bundle: &Bundle) -> u64 {
    bundle
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::File && e.name.starts_with("data/"))
        .fold(0u64, |total, e| total.saturating_add(e.size))
}

/// `exhibit verify`: every check, the payload hashed, progress shown.
pub fn verify_bundle(bundle: &Bundle, trust: &TrustSet, observer: &dyn Observer) -> Report {
    observer.start("verifying", payload_bytes(bundle));
    let report = verify(
        bundle,
        &VerifyOptions {
            trust,
            progress: &|n| observer.advance(n),
            extract_to: None,
            hash_payload: true,
        },
    );
    observer.finish();
    report
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
        },
    )
}

/// Runs every check `options` asks for and returns the report.
pub fn verify(bundle: &Bundle, options: &VerifyOptions<'_>) -> Report {
    let mut v = Verification::new(bundle);
    v.check_entries();
    v.check_declaration();
    v.check_bag_info();
    v.load_manifests();
    if options.hash_payload {
        v.check_payload(options);
        v.check_tag_manifests();
    }
    if v.is_exhibit() {
        v.check_seal(options);
    }
    v.finish()
}

struct Manifest {
    file: String,
    algorithm: String,
    /// Path to lowercase hex digest (boxed: a million of these add up).
    digests: HashMap<Box<str>, Box<str>>,
}

struct Verification<'b> {
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
    /// Actual digests of the payload, in `payload` order.
    digests: Vec<Option<FileDigest>>,
    /// Tag files already reported as unreadable.
    unreadable: BTreeSet<String>,
}

impl<'b> Verification<'b> {
    fn new(bundle: &'b Bundle) -> Self {
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
        };
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
            unreadable: BTreeSet::new(),
        }
    }

    fn problem(&mut self, code: ProblemCode, path: Option<&str>, message: impl Into<String>) {
        self.report.problems.push(Problem::new(code, path, message));
    }

    /// A disclosure bundle (`exhibit disclose`): part of a seal's payload
    /// with inclusion proofs, checked by [`Verification::check_disclosure`].
    fn is_disclosure(&self) -> bool {
        self.tags.contains_key(DISCLOSURE_PATH)
    }

    fn is_exhibit(&self) -> bool {
        self.bundle
            .entries
            .iter()
            .any(|e| e.name == "exhibit" || e.name.starts_with("exhibit/"))
    }

    /// Step 1a: every entry has a clean name, is a regular file or folder,
    /// and appears once.
    fn check_entries(&mut self) {
        let bundle = self.bundle;
        let mut previous: Option<&str> = None;
        let mut folded: HashMap<String, &str> = HashMap::new();
        for entry in &bundle.entries {
            if previous == Some(entry.name.as_str()) {
                self.problem(
                    ProblemCode::PathDuplicate,
                    Some(&entry.name),
                    "entry appears more than once",
                );
                continue;
            }
            previous = Some(&entry.name);
            let path = match BagPath::parse(&entry.name) {
                Ok(path) => path,
                Err(e) => {
                    self.problem(ProblemCode::PathUnsafe, Some(&entry.name), e.to_string());
                    continue;
                }
            };
            match entry.kind {
                EntryKind::Directory => continue,
                EntryKind::File => {}
                EntryKind::Symlink => {
                    self.problem(
                        ProblemCode::PathNotRegular,
                        Some(&entry.name),
                        "symbolic link in the bundle (not followed)",
                    );
                    continue;
                }
                EntryKind::Special(what) => {
                    self.problem(
                        ProblemCode::PathNotRegular,
                        Some(&entry.name),
                        format!("{what} in the bundle (not read)"),
                    );
                    continue;
                }
            }
            if path.is_payload() {
                let key = crate::format::paths::case_fold_key(&path);
                if let Some(other) = folded.insert(key, &entry.name) {
                    self.report.warnings.push(Problem::new(
                        ProblemCode::PathDuplicate,
                        Some(&entry.name),
                        format!("differs from {other:?} only by letter case; they collide on case-insensitive file systems"),
                    ));
                }
                self.payload.push(entry);
            } else {
                self.tags.insert(entry.name.clone(), entry);
            }
        }
    }

    /// Reads a tag file; a file that cannot be read (or is over `limit`) is
    /// reported once, however many checks ask for it.
    fn read_tag(&mut self, name: &str, limit: u64) -> Option<Vec<u8>> {
        let entry = *self.tags.get(name)?;
        match self.bundle.read_entry(entry, limit) {
            Ok(bytes) => Some(bytes),
            Err(_) if self.unreadable.contains(name) => None,
            Err(e) => {
                self.unreadable.insert(name.to_string());
                let code = if name.starts_with("exhibit/") {
                    ProblemCode::SealInvalid
                } else {
                    ProblemCode::ManifestInvalid
                };
                self.problem(code, Some(name), e.to_string());
                None
            }
        }
    }

    /// Step 1b: `bagit.txt`.
    fn check_declaration(&mut self) {
        match self.read_tag(bag::BAGIT_TXT_NAME, MAX_TAG_BYTES) {
            Some(bytes) => {
                if let Err(e) = bag::parse_bagit_txt(&bytes) {
                    self.problem(
                        ProblemCode::BagDeclaration,
                        Some(bag::BAGIT_TXT_NAME),
                        e.to_string(),
                    );
                }
            }
            None => self.problem(
                ProblemCode::BagDeclaration,
                Some(bag::BAGIT_TXT_NAME),
                "bagit.txt is missing",
            ),
        }
        if self.tags.contains_key("fetch.txt") {
            self.problem(
                ProblemCode::Fetch,
                Some("fetch.txt"),
                "fetch.txt lists payload held outside the bag; not supported",
            );
        }
    }

    /// Step 1c: `bag-info.txt` (required in exhibit bundles).
    fn check_bag_info(&mut self) {
        match self.read_tag(bag::BAG_INFO_NAME, MAX_TAG_BYTES) {
            Some(bytes) => {
                match BagInfo::parse(&bytes) {
                    Ok(info) => {
                        if let Some(Err(e)) = info.payload_oxum() {
                            self.problem(
                                ProblemCode::OxumMismatch,
                                Some(bag::BAG_INFO_NAME),
                                e.to_string(),
                            );
                        }
                        self.bag_info = Some(info)
                    }
                    Err(e) => self.problem(
                        ProblemCode::BagInfo,
                        Some(bag::BAG_INFO_NAME),
                        e.to_string(),
                    ),
                }
                self.bag_info_bytes = Some(bytes);
            }
            None if self.is_exhibit() => self.problem(
                ProblemCode::BagInfo,
                Some(bag::BAG_INFO_NAME),
                "bag-info.txt is missing",
            ),
            None => {}
        }
    }

    /// Tag files whose name gives a digest algorithm (`manifest-md5.txt`),
    /// with that algorithm in lower case.
    fn tags_by_algorithm(&self, algorithm: fn(&str) -> Option<&str>) -> Vec<(String, String)> {
        self.tags
            .keys()
            .filter_map(|name| Some((name.clone(), algorithm(name)?.to_ascii_lowercase())))
            .collect()
    }

    /// Step 1d: every payload manifest (and exhibit's BLAKE3 manifest).
    fn load_manifests(&mut self) {
        for (name, algorithm) in self.tags_by_algorithm(bag::manifest_algorithm) {
            if let Some(manifest) = self.load_manifest(&name, &algorithm) {
                self.manifests.push(manifest);
            }
        }
        if self.manifests.is_empty()
            && !self
                .report
                .problems
                .iter()
                .any(|p| p.code == ProblemCode::ManifestInvalid)
        {
            self.problem(
                ProblemCode::NoManifest,
                None,
                "no payload manifest (manifest-<algorithm>.txt)",
            );
        }
        // A disclosure bundle has no BLAKE3 manifest: its leaf inputs say.
        if self.is_exhibit() && !self.is_disclosure() {
            if self.tags.contains_key(BLAKE3_MANIFEST_PATH) {
                self.blake3_manifest = self.load_manifest(BLAKE3_MANIFEST_PATH, "blake3");
            } else {
                self.problem(
                    ProblemCode::SealMissing,
                    Some(BLAKE3_MANIFEST_PATH),
                    "BLAKE3 manifest is missing",
                );
            }
        }
    }

    fn load_manifest(&mut self, name: &str, algorithm: &str) -> Option<Manifest> {
        if new_hasher(algorithm).is_none() && algorithm != "blake3" {
            self.problem(
                ProblemCode::ManifestUnsupported,
                Some(name),
                format!("cannot compute {algorithm} digests"),
            );
            return None;
        }
        let hex_len = bag::digest_hex_len(algorithm)?;
        let bytes = self.read_tag(name, MAX_MANIFEST_BYTES)?;
        let lines = match bag::parse_manifest_file(name, &bytes, hex_len) {
            Ok(lines) => lines,
            Err(e) => {
                self.problem(ProblemCode::ManifestInvalid, Some(name), e.to_string());
                return None;
            }
        };
        let mut digests = HashMap::with_capacity(lines.len());
        for line in lines {
            match BagPath::parse(&line.path) {
                Ok(path) if path.is_payload() => {
                    digests.insert(line.path.into_boxed_str(), line.digest.into_boxed_str());
                }
                Ok(_) => self.problem(
                    ProblemCode::PathUnsafe,
                    Some(&line.path),
                    format!("{name} line {}: lists a file outside data/", line.line),
                ),
                Err(e) => self.problem(
                    ProblemCode::PathUnsafe,
                    Some(&line.path),
                    format!("{name} line {}: {e}", line.line),
                ),
            }
        }
        Some(Manifest {
            file: name.into(),
            algorithm: algorithm.into(),
            digests,
        })
    }

    /// Step 2: every payload file is listed, present, and matches.
    fn check_payload(&mut self, options: &VerifyOptions<'_>) {
        let all_manifests: Vec<&Manifest> = self
            .manifests
            .iter()
            .chain(self.blake3_manifest.as_ref())
            .collect();
        let mut problems = Vec::new();

        // Listed but missing.
        let present: BTreeSet<&str> = self.payload.iter().map(|e| e.name.as_str()).collect();
        let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for manifest in &all_manifests {
            for path in manifest.digests.keys() {
                if !present.contains(&**path) {
                    missing.entry(path).or_default().push(&manifest.file);
                }
            }
        }
        for (path, files) in &missing {
            problems.push(Problem::new(
                ProblemCode::PayloadMissing,
                Some(path),
                format!("listed in {} but not in the bag", files.join(", ")),
            ));
        }

        // Present: listed everywhere, and hashes match.
        let foreign: Vec<&str> = self
            .manifests
            .iter()
            .map(|m| m.algorithm.as_str())
            .filter(|a| *a != "sha256")
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let bundle = self.bundle;
        // Each worker hashes a file and compares it with every manifest, so
        // nothing but collecting the outcome waits between batches.
        let check_file = |entry: &&crate::store::Entry| -> (Option<FileDigest>, Vec<Problem>) {
            let EntryDigests {
                digest,
                foreign: extra,
                crc_mismatch,
            } = match hash_entry(bundle, entry, &foreign, options) {
                Ok(digests) => digests,
                Err(e) => {
                    let problem = Problem::new(
                        ProblemCode::PayloadUnreadable,
                        Some(&entry.name),
                        e.to_string(),
                    );
                    return (None, vec![problem]);
                }
            };
            let mut problems = Vec::new();
            if crc_mismatch {
                problems.push(Problem::new(
                    ProblemCode::ZipEntry,
                    Some(&entry.name),
                    "data does not have the CRC-32 the zip records (unzip -t rejects it)",
                ));
            }
            for manifest in &all_manifests {
                let actual = match manifest.algorithm.as_str() {
                    "sha256" => digest.sha256.to_hex(),
                    "blake3" => digest.blake3.to_hex(),
                    other => extra
                        .iter()
                        .find(|(a, _)| a == other)
                        .map(|(_, d)| d.clone())
                        .unwrap_or_default(),
                };
                match manifest.digests.get(entry.name.as_str()) {
                    None => problems.push(Problem::new(
                        ProblemCode::PayloadUnlisted,
                        Some(&entry.name),
                        format!("not listed in {}", manifest.file),
                    )),
                    Some(listed) if **listed != *actual => problems.push(Problem::new(
                        ProblemCode::PayloadDigestMismatch,
                        Some(&entry.name),
                        format!(
                            "{} is {actual}, {} says {listed}",
                            manifest.algorithm, manifest.file
                        ),
                    )),
                    Some(_) => {}
                }
            }
            (Some(digest), problems)
        };
        let mut digests = Vec::with_capacity(self.payload.len());
        for batch in self.payload.chunks(HASH_BATCH) {
            let results: Vec<_> = batch.par_iter().map(check_file).collect();
            for (digest, file_problems) in results {
                digests.push(digest);
                problems.extend(file_problems);
            }
        }
        self.digests = digests;
        self.report.file_count = self.payload.len() as u64;
        self.report.total_bytes = self.digests.iter().flatten().map(|d| d.size).sum();

        // A disclosure bundle keeps the sealed bag-info.txt, whose
        // Payload-Oxum counts the sealed payload (check_disclosure).
        if let Some(info) = self.bag_info.as_ref().filter(|_| !self.is_disclosure()) {
            match info.payload_oxum() {
                Some(Ok(oxum))
                    if oxum.octets != self.report.total_bytes
                        || oxum.streams != self.report.file_count =>
                {
                    problems.push(Problem::new(
                        ProblemCode::OxumMismatch,
                        Some(bag::BAG_INFO_NAME),
                        format!(
                            "Payload-Oxum says {oxum}, the payload is {}.{}",
                            self.report.total_bytes, self.report.file_count
                        ),
                    ));
                }
                Some(Ok(_)) => {}
                // An unparseable Payload-Oxum was reported with bag-info.txt.
                Some(Err(_)) | None => {}
            }
        }
        self.report.problems.extend(problems);
    }

    /// Step 2b: every tag manifest present is correct.
    fn check_tag_manifests(&mut self) {
        for (name, algorithm) in self.tags_by_algorithm(bag::tagmanifest_algorithm) {
            let (Some(hex_len), Some(_)) =
                (bag::digest_hex_len(&algorithm), new_hasher(&algorithm))
            else {
                self.problem(
                    ProblemCode::ManifestUnsupported,
                    Some(&name),
                    format!("cannot compute {algorithm} digests"),
                );
                continue;
            };
            let Some(bytes) = self.read_tag(&name, MAX_MANIFEST_BYTES) else {
                continue;
            };
            let lines = match bag::parse_manifest_file(&name, &bytes, hex_len) {
                Ok(lines) => lines,
                Err(e) => {
                    self.problem(ProblemCode::ManifestInvalid, Some(&name), e.to_string());
                    continue;
                }
            };
            for line in lines {
                let Some(entry) = self.tags.get(&line.path).copied() else {
                    let what = if line.path.starts_with("data/") {
                        "lists a payload file"
                    } else {
                        "lists a tag file that is missing"
                    };
                    self.problem(
                        ProblemCode::TagMismatch,
                        Some(&line.path),
                        format!("{name} line {}: {what}", line.line),
                    );
                    continue;
                };
                let actual = self
                    .bundle
                    .read_entry(entry, MAX_MANIFEST_BYTES)
                    .map(|bytes| {
                        let mut hasher = new_hasher(&algorithm).expect("checked above");
                        hasher.update(&bytes);
                        hex::encode(hasher.finalize())
                    });
                match actual {
                    Ok(actual) if actual == line.digest => {}
                    Ok(actual) => self.problem(
                        ProblemCode::TagMismatch,
                        Some(&line.path),
                        format!("{algorithm} is {actual}, {name} says {}", line.digest),
                    ),
                    Err(e) => {
                        self.problem(ProblemCode::TagMismatch, Some(&line.path), e.to_string())
                    }
                }
            }
        }
    }

    /// Steps 3–6: seal statement, signatures, custody, trust.
    fn check_seal(&mut self, options: &VerifyOptions<'_>) {
        self.report.kind = BundleKind::Exhibit;
        let disclosure = self.is_disclosure();
        let known = |name: &str| {
            name == SEAL_PATH
                || (!disclosure && (name == BLAKE3_MANIFEST_PATH || name == MERKLE_SALTS_PATH))
                || (disclosure && name == DISCLOSURE_PATH)
                || is_signature_record(name)
                || custody::parse_event_file_name(name).is_some()
        };
        let unexpected: Vec<String> = self
            .tags
            .keys()
            .filter(|n| n.starts_with("exhibit/") && !known(n))
            .cloned()
            .collect();
        // Tag files outside exhibit/ are allowed by BagIt but not sealed:
        // say so, so nobody relies on them.
        let unsealed: Vec<String> = self
            .tags
            .keys()
            .filter(|n| !n.starts_with("exhibit/"))
            .filter(|n| {
                !matches!(
                    n.as_str(),
                    "bagit.txt" | "bag-info.txt" | "manifest-sha256.txt"
                )
            })
            .cloned()
            .collect();
        for name in unsealed {
            self.report.warnings.push(Problem::new(
                ProblemCode::SealUnexpectedFile,
                Some(&name),
                "tag file not covered by the seal; do not rely on its content",
            ));
        }
        for name in unexpected {
            self.problem(
                ProblemCode::SealUnexpectedFile,
                Some(&name),
                "file not defined by the exhibit format",
            );
        }

        let Some(seal_bytes) = self.read_tag(SEAL_PATH, MAX_DOCUMENT_BYTES) else {
            if !self.tags.contains_key(SEAL_PATH) {
                self.problem(
                    ProblemCode::SealMissing,
                    Some(SEAL_PATH),
                    "seal statement is missing",
                );
            }
            return;
        };
        let statement = match SealStatement::parse(&seal_bytes) {
            Ok(statement) => Some(statement),
            Err(e) => {
                self.problem(ProblemCode::SealInvalid, Some(SEAL_PATH), e.to_string());
                None
            }
        };
        match &statement {
            Some(statement) if disclosure => {
                self.check_disclosure(statement, &seal_bytes, options.hash_payload)
            }
            Some(statement) => self.check_statement(statement, options.hash_payload),
            None => {}
        }
        self.check_signatures(&seal_bytes, options.trust);
        self.check_custody(&seal_bytes, options.trust);
        self.check_custody_anchor();
    }

    /// The seal event must be by a key that validly signed the seal, or a
    /// whole new log could be written for someone else's seal.
    fn check_custody_anchor(&mut self) {
        let Some(first) = self.report.custody.first().filter(|e| e.sequence == 1) else {
            return;
        };
        let anchored = self
            .report
            .signers
            .iter()
            .any(|s| s.valid && s.key_id == first.actor_key_id);
        if !anchored {
            let message = format!(
                "the seal event is by key {}, which has no valid signature on the seal",
                first.actor_key_id
            );
            let path = custody::event_paths(1).event;
            self.problem(ProblemCode::CustodySignature, Some(&path), message);
        }
    }

    /// What the statement says about the case, into the report.
    fn record_statement(&mut self, statement: &SealStatement, payload_hashed: bool) {
        self.report.case_id = Some(statement.case_id.clone());
        self.report.exhibit_id = Some(statement.exhibit_id.clone());
        self.report.sealed_at = Some(statement.sealed_at);
        self.report.statement = Some(statement.clone());
        if !payload_hashed {
            self.report.file_count = statement.payload.file_count;
            self.report.total_bytes = statement.payload.total_bytes;
        }
    }

    fn check_statement(&mut self, statement: &SealStatement, payload_hashed: bool) {
        self.record_statement(statement, payload_hashed);
        let mut tag_checks = vec![
            ("manifest-sha256.txt", statement.tag_digests.manifest_sha256),
            (BLAKE3_MANIFEST_PATH, statement.tag_digests.manifest_blake3),
        ];
        match statement.tag_digests.merkle_salts {
            Some(salts) => tag_checks.push((MERKLE_SALTS_PATH, salts)),
            None if self.tags.contains_key(MERKLE_SALTS_PATH) => self.problem(
                ProblemCode::SealUnexpectedFile,
                Some(MERKLE_SALTS_PATH),
                format!("a {} bundle has no salts", statement.doc_type),
            ),
            None => {}
        }
        tag_checks.push((bag::BAG_INFO_NAME, statement.tag_digests.bag_info));
        for (name, expected) in tag_checks {
            let actual = if name == bag::BAG_INFO_NAME {
                self.bag_info_bytes.as_deref().map(Sha256Digest::of)
            } else {
                self.read_tag(name, MAX_MANIFEST_BYTES)
                    .map(|b| Sha256Digest::of(&b))
            };
            match actual {
                Some(actual) if actual == expected => {}
                Some(actual) => self.problem(
                    ProblemCode::SealTagDigestMismatch,
                    Some(name),
                    format!("SHA-256 is {actual}, the seal statement says {expected}"),
                ),
                None => self.problem(
                    ProblemCode::SealTagDigestMismatch,
                    Some(name),
                    "sealed tag file is missing",
                ),
            }
        }
        if !payload_hashed {
            return;
        }
        let count = self.payload.len() as u64;
        let total: u64 = self.digests.iter().flatten().map(|d| d.size).sum();
        if count != statement.payload.file_count || total != statement.payload.total_bytes {
            self.problem(
                ProblemCode::SealPayloadMismatch,
                Some(SEAL_PATH),
                format!(
                    "sealed {} files, {} bytes; the bag holds {count} files, {total} bytes",
                    statement.payload.file_count, statement.payload.total_bytes
                ),
            );
        }
        if self.digests.iter().all(Option::is_some) {
            let Some(leaves) = self.payload_leaves(statement) else {
                return;
            };
            let root = Sha256Digest(merkle::root(&leaves));
            if root != statement.payload.merkle_root {
                self.problem(
                    ProblemCode::SealMerkleMismatch,
                    Some(SEAL_PATH),
                    format!(
                        "payload Merkle root is {root}, the seal statement says {}",
                        statement.payload.merkle_root
                    ),
                );
            }
        } else {
            self.problem(
                ProblemCode::SealMerkleMismatch,
                Some(SEAL_PATH),
                "Merkle root not computed: payload files unreadable",
            );
        }
    }

    /// The leaf of every payload file as read, in the seal's leaf encoding
    /// (format 2: with its salt from `exhibit/merkle-salts.txt`). `None`,
    /// with the problem reported, when a salt is missing.
    fn payload_leaves(&mut self, statement: &SealStatement) -> Option<Vec<merkle::Hash>> {
        let salts = match statement.version() {
            SealVersion::V1 => None,
            SealVersion::V2 => Some(self.load_salts()?),
        };
        let encoding = statement.leaf_encoding();
        let mut leaves = Vec::with_capacity(self.payload.len());
        let mut unsalted = Vec::new();
        for (entry, d) in self.payload.iter().zip(self.digests.iter().flatten()) {
            let salt = salts.as_ref().and_then(|s| s.get(entry.name.as_str()));
            let input = LeafInput {
                path: &entry.name,
                size: d.size,
                sha256: &d.sha256.0,
                blake3: &d.blake3.0,
                salt,
            };
            match encoding.leaf(&input) {
                Some(leaf) => leaves.push(leaf),
                None => unsalted.push(entry.name.clone()),
            }
        }
        if let Some(salts) = &salts {
            let present: BTreeSet<&str> = self.payload.iter().map(|e| e.name.as_str()).collect();
            let mut extra: Vec<String> = salts
                .keys()
                .filter(|p| !present.contains(&***p))
                .map(|p| p.to_string())
                .collect();
            extra.sort();
            for path in extra {
                self.problem(
                    ProblemCode::SealInvalid,
                    Some(&path),
                    format!("{MERKLE_SALTS_PATH} has a salt for a file that is not in the bag"),
                );
            }
        }
        for path in &unsalted {
            self.problem(
                ProblemCode::SealMerkleMismatch,
                Some(SEAL_PATH),
                format!("Merkle root not computed: {MERKLE_SALTS_PATH} has no salt for {path:?}"),
            );
        }
        unsalted.is_empty().then_some(leaves)
    }

    /// `exhibit/merkle-salts.txt` as path to salt; `None` (reported) when
    /// it is missing, unreadable or malformed.
    fn load_salts(&mut self) -> Option<HashMap<Box<str>, [u8; 32]>> {
        if !self.tags.contains_key(MERKLE_SALTS_PATH) {
            self.problem(
                ProblemCode::SealMissing,
                Some(MERKLE_SALTS_PATH),
                "the salts of the Merkle leaves are missing",
            );
            return None;
        }
        let bytes = self.read_tag(MERKLE_SALTS_PATH, MAX_MANIFEST_BYTES)?;
        let lines = match bag::parse_manifest_file(MERKLE_SALTS_PATH, &bytes, 64) {
            Ok(lines) => lines,
            Err(e) => {
                self.problem(
                    ProblemCode::SealInvalid,
                    Some(MERKLE_SALTS_PATH),
                    e.to_string(),
                );
                return None;
            }
        };
        let mut salts = HashMap::with_capacity(lines.len());
        for line in lines {
            let mut salt = [0u8; 32];
            hex::decode_to_slice(&line.digest, &mut salt).expect("64 hex digits, checked");
            salts.insert(line.path.into_boxed_str(), salt);
        }
        Some(salts)
    }

    fn check_signatures(&mut self, seal_bytes: &[u8], trust: &TrustSet) {
        let names: Vec<String> = self
            .tags
            .keys()
            .filter(|n| is_signature_record(n))
            .cloned()
            .collect();
        if names.is_empty() {
            self.problem(
                ProblemCode::SignatureNone,
                Some(SIGNATURES_DIR),
                "the seal has no signature",
            );
        }
        for name in names {
            let Some(bytes) = self.read_tag(&name, MAX_RECORD_BYTES) else {
                continue;
            };
            let record = match SignatureRecord::parse(&bytes, &name) {
                Ok(record) => record,
                Err(e) => {
                    self.problem(ProblemCode::SignatureInvalid, Some(&name), e.to_string());
                    continue;
                }
            };
            let expected_name = crate::format::signature::signature_path(&record.key_id);
            if name != expected_name {
                self.problem(
                    ProblemCode::SignatureInvalid,
                    Some(&name),
                    format!(
                        "record for key {} must be named {expected_name}",
                        record.key_id
                    ),
                );
            }
            let valid = match record.check(SEAL_PATH, seal_bytes) {
                Ok(_) => true,
                Err(e) => {
                    self.problem(ProblemCode::SignatureBad, Some(&name), e.to_string());
                    false
                }
            };
            self.report.signers.push(SignerReport {
                key_id: record.key_id,
                name: record.signer.name.clone(),
                organization: record.signer.organization.clone(),
                signed_at: Some(record.signed_at),
                valid,
                trusted: trust.contains(&record.key_id),
            });
        }
    }

    fn check_custody(&mut self, seal_bytes: &[u8], trust: &TrustSet) {
        let names: Vec<String> = self
            .tags
            .keys()
            .filter(|n| n.starts_with(CUSTODY_DIR))
            .cloned()
            .collect();
        let events = custody::gather_events(names.iter().map(String::as_str), |name| {
            self.read_tag(name, MAX_RECORD_BYTES)
        });
        let chain = custody::check_chain(&events, seal_bytes, &|id| trust.contains(id));
        self.report.problems.extend(chain.problems);
        self.report.warnings.extend(chain.warnings);
        self.report.custody = chain.entries;
        self.report.custody_head = chain
            .head
            .map(|(seq, digest)| custody::format_head(seq, &digest));
    }

    fn finish(mut self) -> Report {
        self.report.finish();
        self.report
    }
}

/// `exhibit/signatures/<anything>.json` (the name itself is checked later).
fn is_signature_record(name: &str) -> bool {
    name.strip_prefix(SIGNATURES_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|file| file.ends_with(".json") && !file.contains('/'))
}

/// What one read pass over a payload entry computed.
struct EntryDigests {
    /// SHA-256 and BLAKE3.
    digest: FileDigest,
    /// `(algorithm, hex)` for the other manifest algorithms.
    foreign: Vec<(String, String)>,
    /// A zip entry whose data does not have the CRC-32 the zip records.
    crc_mismatch: bool,
}

/// Why a payload entry could not be read to its end.
#[derive(Debug, thiserror::Error)]
enum EntryReadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Hashes one payload entry (SHA-256, BLAKE3 and any other manifest
/// algorithms in the same pass), copying it out when extracting.
fn hash_entry(
    bundle: &Bundle,
    entry: &crate::store::Entry,
    foreign: &[&str],
    options: &VerifyOptions<'_>,
) -> Result<EntryDigests, EntryReadError> {
    let (mut reader, crc) = bundle.open_payload(entry)?;
    let mut extra = ExtraHashers(
        foreign
            .iter()
            .filter_map(|a| new_hasher(a).map(|h| (a.to_string(), h)))
            .collect(),
    );
    let digest = match options.extract_to {
        Some(root) => {
            let relative = entry.name.strip_prefix("data/").unwrap_or(&entry.name);
            let mut tee = TeeReader {
                inner: &mut reader,
                hashers: &mut extra,
            };
            copy_into_directory(root, relative, entry.size, &mut tee, options.progress)?
        }
        None => {
            let sink: Option<&mut (dyn Write + Send)> = if extra.0.is_empty() {
                None
            } else {
                Some(&mut extra)
            };
            hash_stream(&mut reader, entry.size, sink, options.progress)?
        }
    };
    let foreign = extra
        .0
        .into_iter()
        .map(|(a, h)| (a, hex::encode(h.finalize())))
        .collect();
    Ok(EntryDigests {
        digest,
        foreign,
        crc_mismatch: crc.mismatched(),
    })
}

/// Digests for manifest algorithms other than SHA-256 and BLAKE3.
fn new_hasher(algorithm: &str) -> Option<Box<dyn DynDigest + Send>> {
    Some(match algorithm {
        "md5" => Box::new(md5::Md5::default()),
        "sha1" => Box::new(sha1::Sha1::default()),
        "sha224" => Box::new(sha2::Sha224::default()),
        "sha256" => Box::new(sha2::Sha256::default()),
        "sha384" => Box::new(sha2::Sha384::default()),
        "sha512" => Box::new(sha2::Sha512::default()),
        _ => return None,
    })
}

struct ExtraHashers(Vec<(String, Box<dyn DynDigest + Send>)>);

impl Write for ExtraHashers {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for (_, hasher) in &mut self.0 {
            hasher.update(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Feeds every byte read to the foreign-algorithm hashers (extraction
/// copies through the pipeline, so they see the bytes on the read side).
struct TeeReader<'a> {
    inner: &'a mut Box<dyn io::Read + Send>,
    hashers: &'a mut ExtraHashers,
}

impl io::Read for TeeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.hashers.0.is_empty() {
            self.hashers.write_all(&buf[..n])?;
        }
        Ok(n)
    }
}
