//! `exhibit disclose`: a new bundle holding part of a sealed payload, with
//! an RFC 6962 inclusion proof per file against the signed Merkle root, and
//! nothing that names, sizes or hashes a file left out.
//!
//! Only the disclosed files are read; the other files' leaves come from the
//! sealed manifests and salts (O(n) small lines), and every subtree root is
//! computed once, whatever the number of files disclosed. With a key, a
//! `disclose` custody event naming the disclosure document's SHA-256 is
//! appended to the source bundle (under its lock) before the log is copied.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::digest::{Blake3Digest, Salt, Sha256Digest};
use crate::format::bag::{self, write_manifest};
use crate::format::custody::{Action, CUSTODY_DIR};
use crate::format::disclosure::{DisclosedFile, Disclosure, DISCLOSURE_PATH, DISCLOSURE_TYPE};
use crate::format::document::Party;
use crate::format::merkle::{self, LeafInput};
use crate::format::paths::BagPath;
use crate::format::salt::MERKLE_SALTS_PATH;
use crate::format::seal::{SealStatement, SealVersion, BLAKE3_MANIFEST_PATH, SEAL_PATH};
use crate::format::signature::SIGNATURES_DIR;
use crate::keys::SecretKey;
use crate::limits::{MAX_DOCUMENT_BYTES, MAX_MANIFEST_BYTES, MAX_RECORD_BYTES, MAX_TAG_BYTES};
use crate::ops::custody::{append_event, AddRequest, AppendError, Appended};
use crate::ops::verify::verify_without_payload;
use crate::ops::Observer;
use crate::problem::{Problem, ProblemCode};
use crate::report::BundleKind;
use crate::store::{AppendLock, Bundle, Entry, EntryKind, OpenError, StagedBundle, StoreError};
use crate::time::UtcTime;
use crate::trust::TrustSet;

/// Folder of RFC 3161 tokens, copied as they are when present.
const TIMESTAMPS_DIR: &str = "exhibit/timestamps";

/// Who records the disclosure in the custody log.
pub struct DiscloseCustody<'a> {
    pub key: &'a SecretKey,
    pub actor: Party,
    /// Free text, recorded before the file count and proof digest.
    pub note: Option<String>,
}

/// What to disclose, from where, to where.
pub struct DiscloseRequest<'a> {
    pub bundle: &'a Path,
    /// Payload paths as `extract` writes them (`mail/inbox/42.eml`), or
    /// folders (every file below them).
    pub paths: &'a [String],
    /// `.zip` for a zip, else a folder; must not exist.
    pub output: &'a Path,
    /// With a key: append a `disclose` event first, and include it.
    pub custody: Option<DiscloseCustody<'a>>,
    pub time: UtcTime,
}

/// What was disclosed.
#[derive(Debug, Clone)]
pub struct DiscloseSummary {
    pub output: PathBuf,
    pub disclosed: u64,
    pub sealed: u64,
    pub bytes: u64,
    /// SHA-256 of `exhibit/disclosure.json`.
    pub proof_sha256: Sha256Digest,
    /// The custody event appended to the source bundle, if any.
    pub event: Option<Appended>,
}

/// Why nothing was disclosed (the output does not exist; the source bundle
/// gained no event).
#[derive(Debug, thiserror::Error)]
pub enum DiscloseError {
    /// The request cannot be carried out as asked (exit 2).
    #[error("{0}")]
    Usage(String),
    /// A format-1 seal has unsalted leaves: its proofs would confirm
    /// guessed files (exit 2).
    #[error("{}: sealed in format 1 ({}), whose Merkle leaves have no salts: a proof would let anyone confirm a guessed file left out. Only bundles sealed in format 2 ({}) can be disclosed", bundle.display(), SealVersion::V1.doc_type(), SealVersion::V2.doc_type())]
    FormatOne { bundle: PathBuf },
    /// The source bundle (or a disclosed file) does not check out (exit 1).
    #[error("{}: does not verify; nothing disclosed", bundle.display())]
    DoesNotVerify {
        bundle: PathBuf,
        problems: Vec<Problem>,
    },
    /// The custody event could not be appended (a refusal is exit 1).
    #[error(transparent)]
    Custody(AppendError),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One sealed payload file, as the sealed manifests and salts describe it.
struct Leaf<'b> {
    entry: &'b Entry,
    sha256: [u8; 32],
    blake3: [u8; 32],
    salt: [u8; 32],
}

impl Leaf<'_> {
    fn input(&self) -> LeafInput<'_> {
        LeafInput {
            path: &self.entry.name,
            size: self.entry.size,
            sha256: &self.sha256,
            blake3: &self.blake3,
            salt: Some(&self.salt),
        }
    }
}

pub fn disclose(
    request: DiscloseRequest<'_>,
    observer: &dyn Observer,
) -> Result<DiscloseSummary, DiscloseError> {
    if request.paths.is_empty() {
        return Err(DiscloseError::Usage(
            "nothing to disclose: name files or folders".into(),
        ));
    }
    if std::fs::symlink_metadata(request.output).is_ok() {
        return Err(StoreError::OutputExists {
            path: request.output.into(),
        }
        .into());
    }
    let path = request.bundle;
    // Appending: the lock first, then read what it protects.
    let lock = match &request.custody {
        Some(_) => Some(Bundle::lock(path, &|| observer.waiting_for_lock())?),
        None => None,
    };
    let bundle = Bundle::open(path)?;
    let (statement, seal_bytes) = check_source(&bundle)?;
    let leaves = sealed_leaves(&bundle, &statement)?;
    let selected = select(&leaves, request.paths)?;

    let hashes: Vec<merkle::Hash> = leaves
        .iter()
        .map(|l| {
            statement
                .leaf_encoding()
                .leaf(&l.input())
                .expect("format 2 leaves have salts")
        })
        .collect();
    let (root, paths) = merkle::inclusion_proofs(&hashes, &selected).expect("indices in range");
    if root != statement.payload.merkle_root.0 {
        return Err(does_not_verify(
            path,
            Problem::new(
                ProblemCode::SealMerkleMismatch,
                Some(SEAL_PATH),
                format!(
                    "the sealed manifests and salts give Merkle root {}, the seal statement says {}",
                    hex::encode(root),
                    statement.payload.merkle_root
                ),
            ),
        ));
    }
    let document = Disclosure {
        doc_type: DISCLOSURE_TYPE.into(),
        seal_sha256: Sha256Digest::of(&seal_bytes),
        merkle_leaf: statement.payload.merkle_leaf.clone(),
        tree_size: statement.payload.file_count,
        files: selected
            .iter()
            .zip(paths)
            .map(|(&i, audit_path)| {
                let leaf = &leaves[i];
                DisclosedFile {
                    path: leaf.entry.name.clone(),
                    size: leaf.entry.size,
                    sha256: Sha256Digest(leaf.sha256),
                    blake3: Blake3Digest(leaf.blake3),
                    salt: Salt(leaf.salt),
                    leaf_index: i as u64,
                    audit_path: audit_path.into_iter().map(Sha256Digest).collect(),
                }
            })
            .collect(),
    };
    let document_bytes = document.to_bytes();
    let proof_sha256 = Sha256Digest::of(&document_bytes);

    let mut staged = StagedBundle::create(request.output, request.time)?;
    let temp = staged.temp_path().to_path_buf();
    observer.staging(&temp);
    let written =
        write_disclosure(&mut staged, &bundle, &leaves, &selected, observer).and_then(|bytes| {
            let event = match (&request.custody, &lock) {
                (Some(custody), Some(lock)) => Some(record(
                    &request,
                    custody,
                    &bundle,
                    lock,
                    &document,
                    proof_sha256,
                )?),
                _ => None,
            };
            // Reopened after the append: the log as it is now.
            let bundle = match event {
                Some(_) => Bundle::open(path)?,
                None => bundle,
            };
            write_tags(&mut staged, &bundle, &document_bytes, &document)?;
            let output = staged.commit()?;
            Ok(DiscloseSummary {
                output,
                disclosed: document.files.len() as u64,
                sealed: statement.payload.file_count,
                bytes,
                proof_sha256,
                event,
            })
        });
    observer.staged(&temp);
    written
}

fn does_not_verify(bundle: &Path, problem: Problem) -> DiscloseError {
    DiscloseError::DoesNotVerify {
        bundle: bundle.into(),
        problems: vec![problem],
    }
}

/// The source must be a full format-2 bundle whose seal, tag files,
/// signatures and custody log check out (its payload is not read: only
/// the disclosed files will be, as they are copied).
fn check_source(bundle: &Bundle) -> Result<(SealStatement, Vec<u8>), DiscloseError> {
    let report = verify_without_payload(bundle, &TrustSet::default());
    let path = &bundle.path;
    if report.kind == BundleKind::Bagit {
        return Err(DiscloseError::Usage(format!(
            "{}: a plain BagIt bag, not sealed: nothing to prove a disclosure against",
            path.display()
        )));
    }
    if report.disclosure.is_some() {
        return Err(DiscloseError::Usage(format!(
            "{}: already a disclosure bundle; disclose from the full bundle",
            path.display()
        )));
    }
    if let Some(statement) = &report.statement {
        if statement.version() == SealVersion::V1 {
            return Err(DiscloseError::FormatOne {
                bundle: path.clone(),
            });
        }
    }
    if !report.problems.is_empty() {
        return Err(DiscloseError::DoesNotVerify {
            bundle: path.clone(),
            problems: report.problems,
        });
    }
    let statement = report
        .statement
        .expect("a bundle without problems has a statement");
    let seal_bytes = read(bundle, SEAL_PATH, MAX_DOCUMENT_BYTES)?;
    Ok((statement, seal_bytes))
}

fn read(bundle: &Bundle, name: &str, limit: u64) -> Result<Vec<u8>, DiscloseError> {
    let entry = bundle.find(name).ok_or_else(|| {
        does_not_verify(
            &bundle.path,
            Problem::new(ProblemCode::SealMissing, Some(name), "missing"),
        )
    })?;
    Ok(bundle.read_entry(entry, limit)?)
}

/// Every sealed payload file with its leaf data, in leaf (path) order:
/// sizes from the bundle's listing, digests and salts from the sealed
/// manifests and salts file (whose SHA-256 the seal names, checked by
/// [`check_source`]). No payload file is read.
fn sealed_leaves<'b>(
    bundle: &'b Bundle,
    statement: &SealStatement,
) -> Result<Vec<Leaf<'b>>, DiscloseError> {
    let payload: Vec<&Entry> = bundle
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::File && e.name.starts_with("data/"))
        .collect();
    let mut problems = Vec::new();
    let mut columns = Vec::new();
    for name in [
        "manifest-sha256.txt",
        BLAKE3_MANIFEST_PATH,
        MERKLE_SALTS_PATH,
    ] {
        let bytes = read(bundle, name, MAX_MANIFEST_BYTES)?;
        let lines = bag::parse_manifest_file(name, &bytes, 64).map_err(|e| {
            does_not_verify(
                &bundle.path,
                Problem::new(ProblemCode::ManifestInvalid, Some(name), e.to_string()),
            )
        })?;
        let by_path: HashMap<&str, &str> = lines
            .iter()
            .map(|l| (l.path.as_str(), l.digest.as_str()))
            .collect();
        let mut column = Vec::with_capacity(payload.len());
        let mut matched = 0;
        for entry in &payload {
            let mut value = [0u8; 32];
            match by_path.get(entry.name.as_str()) {
                Some(hex) => {
                    hex::decode_to_slice(hex, &mut value).expect("64 hex digits");
                    matched += 1;
                }
                None => problems.push(Problem::new(
                    ProblemCode::PayloadUnlisted,
                    Some(&entry.name),
                    format!("not listed in {name}"),
                )),
            }
            column.push(value);
        }
        if by_path.len() > matched {
            let present: BTreeSet<&str> = payload.iter().map(|e| e.name.as_str()).collect();
            for listed in by_path.keys().filter(|p| !present.contains(**p)) {
                problems.push(Problem::new(
                    ProblemCode::PayloadMissing,
                    Some(listed),
                    format!("listed in {name} but not in the bag"),
                ));
            }
        }
        columns.push(column);
    }
    if payload.len() as u64 != statement.payload.file_count {
        problems.push(Problem::new(
            ProblemCode::SealPayloadMismatch,
            Some(SEAL_PATH),
            format!(
                "sealed {} files; the bag holds {}",
                statement.payload.file_count,
                payload.len()
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(DiscloseError::DoesNotVerify {
            bundle: bundle.path.clone(),
            problems,
        });
    }
    let salts = columns.pop().expect("three columns");
    let blake3 = columns.pop().expect("three columns");
    let sha256 = columns.pop().expect("three columns");
    Ok(payload
        .into_iter()
        .zip(sha256)
        .zip(blake3)
        .zip(salts)
        .map(|(((entry, sha256), blake3), salt)| Leaf {
            entry,
            sha256,
            blake3,
            salt,
        })
        .collect())
}

/// Leaf indices of the files the paths name, sorted. Each path must name a
/// payload file or a folder holding at least one.
fn select(leaves: &[Leaf<'_>], paths: &[String]) -> Result<Vec<usize>, DiscloseError> {
    let mut selected = BTreeSet::new();
    for given in paths {
        let relative = given.trim_end_matches('/');
        let bag_path = BagPath::parse(&format!("data/{relative}"))
            .ok()
            .filter(|_| !relative.is_empty());
        let Some(bag_path) = bag_path else {
            return Err(DiscloseError::Usage(format!(
                "{given:?}: not a payload path (as `extract` writes them, e.g. mail/inbox/42.eml)"
            )));
        };
        let name = bag_path.as_str();
        let folder = format!("{name}/");
        let start = leaves.partition_point(|l| l.entry.name.as_str() < name);
        let mut found = false;
        for (i, leaf) in leaves.iter().enumerate().skip(start) {
            let leaf_name = leaf.entry.name.as_str();
            if leaf_name == name || leaf_name.starts_with(&folder) {
                selected.insert(i);
                found = true;
            } else if !leaf_name.starts_with(name) {
                // Sorted by bytes: everything below `name/` or equal to it
                // sorts before the first name that does not start with it.
                break;
            }
        }
        if !found {
            return Err(DiscloseError::Usage(format!(
                "{given:?}: no such file or folder in the bundle's payload"
            )));
        }
    }
    Ok(selected.into_iter().collect())
}

/// `bag-info.txt` and `bagit.txt` as sealed, then the disclosed files,
/// each checked against its sealed leaf data as it is copied. Returns the
/// payload bytes written.
fn write_disclosure(
    staged: &mut StagedBundle,
    bundle: &Bundle,
    leaves: &[Leaf<'_>],
    selected: &[usize],
    observer: &dyn Observer,
) -> Result<u64, DiscloseError> {
    staged.write_bytes(
        bag::BAG_INFO_NAME,
        &read(bundle, bag::BAG_INFO_NAME, MAX_TAG_BYTES)?,
    )?;
    staged.write_bytes(
        bag::BAGIT_TXT_NAME,
        &read(bundle, bag::BAGIT_TXT_NAME, MAX_TAG_BYTES)?,
    )?;
    staged.write_payload_dir()?;
    let total: u64 = selected.iter().map(|&i| leaves[i].entry.size).sum();
    observer.start("disclosing", total);
    let copied = copy_files(staged, bundle, leaves, selected, observer);
    observer.finish();
    copied.map(|()| total)
}

fn copy_files(
    staged: &mut StagedBundle,
    bundle: &Bundle,
    leaves: &[Leaf<'_>],
    selected: &[usize],
    observer: &dyn Observer,
) -> Result<(), DiscloseError> {
    let mut problems = Vec::new();
    for &i in selected {
        let leaf = &leaves[i];
        let name = &leaf.entry.name;
        let (mut reader, crc) = bundle.open_payload(leaf.entry)?;
        let digest =
            staged.write_stream(name, leaf.entry.size, &mut reader, &|n| observer.advance(n))?;
        if crc.mismatched() {
            problems.push(Problem::new(
                ProblemCode::ZipEntry,
                Some(name),
                "data does not have the CRC-32 the zip records",
            ));
        }
        if digest.size != leaf.entry.size
            || digest.sha256.0 != leaf.sha256
            || digest.blake3.0 != leaf.blake3
        {
            problems.push(Problem::new(
                ProblemCode::PayloadDigestMismatch,
                Some(name),
                "not the file that was sealed (size, SHA-256 or BLAKE3 differ from the manifests)",
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DiscloseError::DoesNotVerify {
            bundle: bundle.path.clone(),
            problems,
        })
    }
}

/// Appends the `disclose` event to the source bundle.
fn record(
    request: &DiscloseRequest<'_>,
    custody: &DiscloseCustody<'_>,
    bundle: &Bundle,
    lock: &AppendLock,
    document: &Disclosure,
    proof_sha256: Sha256Digest,
) -> Result<Appended, DiscloseError> {
    let what = format!(
        "disclosed {} of {} sealed files; {DISCLOSURE_PATH} sha256 {proof_sha256}",
        document.files.len(),
        document.tree_size
    );
    let note = match &custody.note {
        Some(note) => format!("{note}; {what}"),
        None => what,
    };
    append_event(
        bundle,
        lock,
        AddRequest {
            bundle: request.bundle,
            key: custody.key,
            actor: custody.actor.clone(),
            action: Action::Disclose,
            recipient: None,
            note: Some(note),
            location: None,
            time: request.time,
            tsa: None,
        },
    )
    .map_err(DiscloseError::Custody)
}

/// The rest, byte for byte as in the source (custody log, seal statement,
/// signature records, timestamp tokens), the disclosure document, and a
/// manifest of the disclosed files only; in path order.
fn write_tags(
    staged: &mut StagedBundle,
    bundle: &Bundle,
    document_bytes: &[u8],
    document: &Disclosure,
) -> Result<(), DiscloseError> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let copied = |name: &str| {
        [CUSTODY_DIR, SIGNATURES_DIR, TIMESTAMPS_DIR]
            .iter()
            .any(|dir| name.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
    };
    for entry in &bundle.entries {
        if entry.kind == EntryKind::File && copied(&entry.name) {
            files.insert(
                entry.name.clone(),
                bundle.read_entry(entry, MAX_RECORD_BYTES)?,
            );
        }
    }
    files.insert(
        SEAL_PATH.into(),
        read(bundle, SEAL_PATH, MAX_DOCUMENT_BYTES)?,
    );
    files.insert(DISCLOSURE_PATH.into(), document_bytes.to_vec());
    let sha256: Vec<String> = document.files.iter().map(|f| f.sha256.to_hex()).collect();
    let manifest = write_manifest(
        sha256
            .iter()
            .zip(&document.files)
            .map(|(hex, f)| (hex.as_str(), f.path.as_str())),
    );
    files.insert("manifest-sha256.txt".into(), manifest);
    for (name, bytes) in &files {
        staged.write_bytes(name, bytes)?;
    }
    Ok(())
}
