//! `exhibit disclose`: a new bundle holding part of a sealed payload, with
//! an RFC 6962 inclusion proof per file against the signed Merkle root, and
//! nothing that names, sizes or hashes a file left out.
//!
//! Only the disclosed files are read; the other files' leaves come from the
//! sealed manifests and salts (O(n) small lines), and every subtree root is
//! computed once, whatever the number of files disclosed. With a key, a
//! `disclose` custody event naming the disclosure document's SHA-256 is
//! appended to the source bundle (under its lock) before the log is copied.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::digest::{Blake3Digest, Salt, Sha256Digest};
use crate::format::bag::{self, write_manifest};
use crate::format::custody::{Action, CUSTODY_DIR};
use crate::format::disclosure::{DisclosedFile, Disclosure, DISCLOSURE_PATH, DISCLOSURE_TYPE};
use crate::format::document::Party;
use crate::format::merkle::{self, LeafInput};
use crate::format::paths::{percent_decode, BagPath};
use crate::format::salt::MERKLE_SALTS_PATH;
use crate::format::seal::{SealStatement, SealVersion, BLAKE3_MANIFEST_PATH, SEAL_PATH};
use crate::format::signature::SIGNATURES_DIR;
use crate::limits::{
    MAX_DOCUMENT_BYTES, MAX_MANIFEST_BYTES, MAX_MANIFEST_LINE, MAX_RECORD_BYTES, MAX_TAG_BYTES,
};
use crate::ops::custody::{append_event, AddRequest, AppendError, Appended};
use crate::ops::verify::verify_without_payload;
use crate::ops::Observer;
use crate::problem::{Problem, ProblemCode};
use crate::report::BundleKind;
use crate::store::{AppendLock, Bundle, Entry, EntryKind, OpenError, StagedBundle, StoreError};
use crate::time::UtcTime;
use crate::trust::TrustSet;
use crate::tsp::http::Authority;

/// Folder of RFC 3161 tokens, copied as they are when present.
const TIMESTAMPS_DIR: &str = "exhibit/timestamps";

/// Who records the disclosure in the custody log.
pub struct DiscloseCustody<'a> {
    pub key: crate::keys::Signer<'a>,
    pub actor: Party,
    /// Free text, recorded before the file count and proof digest.
    pub note: Option<String>,
    /// Time-stamp the event's signature with this TSA; if it fails, no
    /// event is added and nothing is disclosed.
    pub tsa: Option<&'a dyn Authority>,
}

/// What a disclosure bundle reveals about the files it leaves out: the
/// seal statement it carries gives the count and total size of the whole
/// payload, so the count and total size of the rest follow (with one file
/// left out, its exact size). Names, contents and each size stay hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revealed {
    pub disclosed: u64,
    pub disclosed_bytes: u64,
    pub left_out: u64,
    pub left_out_bytes: u64,
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
    #[error("{0}{suffix}", suffix = if matches!(.0, AppendError::Refused { .. }) { "; nothing disclosed" } else { "" })]
    Custody(AppendError),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl crate::ops::OpError for DiscloseError {
    fn refusal(&self) -> crate::ops::Refusal {
        match self {
            DiscloseError::DoesNotVerify { .. } => crate::ops::Refusal::Verdict,
            DiscloseError::Custody(e) => e.refusal(),
            _ => crate::ops::Refusal::Unusable,
        }
    }

    fn problems(&self) -> &[Problem] {
        match self {
            DiscloseError::DoesNotVerify { problems, .. } => problems,
            DiscloseError::Custody(e) => e.problems(),
            _ => &[],
        }
    }
}

/// A disclosed file, as the sealed manifests and salts describe it.
struct Leaf {
    index: usize,
    path: String,
    size: u64,
    sha256: [u8; 32],
    blake3: [u8; 32],
    salt: [u8; 32],
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
    // Tag files only: the payload is listed once, below, by name and size.
    let bundle = Bundle::open_tag_files(path)?;
    let (statement, seal_bytes) = check_source(&bundle)?;
    let wanted = wanted_paths(request.paths)?;
    let listing = bundle.list_payload(&|name| wanted.iter().any(|w| w.covers(name)))?;
    if !listing.problems.is_empty() {
        return Err(DiscloseError::DoesNotVerify {
            bundle: path.into(),
            problems: listing.problems,
        });
    }
    let selected = select(&listing.files, &wanted)?;
    let (hashes, leaves) = sealed_leaves(&bundle, &statement, &listing.files, &selected)?;
    let (root, paths) = merkle::inclusion_proofs(&hashes, &selected).ok_or_else(|| {
        DiscloseError::Usage(format!("{}: leaf index out of range", path.display()))
    })?;
    drop(hashes);
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
        files: leaves
            .iter()
            .zip(paths)
            .map(|(leaf, audit_path)| DisclosedFile {
                path: leaf.path.clone(),
                size: leaf.size,
                sha256: Sha256Digest(leaf.sha256),
                blake3: Blake3Digest(leaf.blake3),
                salt: Salt(leaf.salt),
                leaf_index: leaf.index as u64,
                audit_path: audit_path.into_iter().map(Sha256Digest).collect(),
            })
            .collect(),
    };
    let document_bytes = document.to_bytes();
    let proof_sha256 = Sha256Digest::of(&document_bytes);
    let disclosed_bytes = leaves.iter().map(|leaf| leaf.size).sum::<u64>();
    observer.will_reveal(&Revealed {
        disclosed: document.files.len() as u64,
        disclosed_bytes,
        left_out: (statement.payload.file_count).saturating_sub(document.files.len() as u64),
        left_out_bytes: statement
            .payload
            .total_bytes
            .saturating_sub(disclosed_bytes),
    });

    observer.will_stage();
    let mut staged = StagedBundle::create(request.output, request.time)?;
    let temp = staged.temp_path().to_path_buf();
    observer.staging(&temp);
    let written = write_disclosure(&mut staged, &bundle, &listing.kept, &leaves, observer)
        .and_then(|bytes| {
            let event = match (&request.custody, &lock) {
                (Some(custody), Some(lock)) => Some(record(
                    &request,
                    custody,
                    &bundle,
                    lock,
                    &document,
                    proof_sha256,
                    observer,
                )?),
                _ => None,
            };
            // Reopened after the append: the log as it is now.
            let bundle = match event {
                Some(_) => Bundle::open_tag_files(path)?,
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
    let statement = report.statement.ok_or_else(|| {
        does_not_verify(
            path,
            Problem::new(
                ProblemCode::SealMissing,
                Some(SEAL_PATH),
                "no seal statement",
            ),
        )
    })?;
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

/// A `PATH` argument as a bag path: a file, or a folder and every file below.
struct Wanted {
    given: String,
    name: String,
    folder: String,
}

impl Wanted {
    fn covers(&self, name: &str) -> bool {
        name == self.name || name.starts_with(&self.folder)
    }
}

fn wanted_paths(paths: &[String]) -> Result<Vec<Wanted>, DiscloseError> {
    paths
        .iter()
        .map(|given| {
            let relative = given.trim_end_matches('/');
            let bag_path = BagPath::parse(&format!("data/{relative}"))
                .ok()
                .filter(|_| !relative.is_empty());
            let Some(bag_path) = bag_path else {
                return Err(DiscloseError::Usage(format!(
                    "{given:?}: not a payload path (as `extract` writes them, e.g. mail/inbox/42.eml)"
                )));
            };
            let name = bag_path.as_str().to_string();
            let folder = format!("{name}/");
            Ok(Wanted {
                given: given.clone(),
                name,
                folder,
            })
        })
        .collect()
}

/// Leaf indices of the files the paths name, sorted. Each path must name a
/// payload file or a folder holding at least one.
fn select(files: &[(String, u64)], wanted: &[Wanted]) -> Result<Vec<usize>, DiscloseError> {
    let mut selected = BTreeSet::new();
    for w in wanted {
        let start = files.partition_point(|f| f.0.as_str() < w.name.as_str());
        let mut found = false;
        for (i, (name, _)) in files.iter().enumerate().skip(start) {
            if w.covers(name) {
                selected.insert(i);
                found = true;
            } else if !name.starts_with(&w.name) {
                // Sorted by bytes: everything below `name/` or equal to it
                // sorts before the first name that does not start with it.
                break;
            }
        }
        if !found {
            return Err(DiscloseError::Usage(format!(
                "{:?}: no such file or folder in the bundle's payload",
                w.given
            )));
        }
    }
    Ok(selected.into_iter().collect())
}

/// One sealed column file (`manifest-sha256.txt`, the BLAKE3 manifest,
/// the salts), read line by line in step with the payload listing: both
/// are in path order as exhibit writes them, so one line is held at a time.
/// Its bytes are hashed as they are read and must be the sealed ones.
struct Column<'a> {
    name: &'static str,
    reader: io::BufReader<Box<dyn Read + Send + 'a>>,
    hasher: Sha256,
    sealed: Sha256Digest,
    line: usize,
    /// Bytes read so far.
    read: u64,
    raw: Vec<u8>,
    /// The line read ahead: its path and value.
    next: Option<(String, [u8; 32])>,
}

impl<'a> Column<'a> {
    fn open(
        bundle: &'a Bundle,
        name: &'static str,
        sealed: Sha256Digest,
    ) -> Result<Column<'a>, DiscloseError> {
        let entry = bundle.find(name).ok_or_else(|| {
            does_not_verify(
                &bundle.path,
                Problem::new(ProblemCode::SealMissing, Some(name), "missing"),
            )
        })?;
        if entry.size > MAX_MANIFEST_BYTES {
            return Err(StoreError::TooLarge {
                path: name.into(),
                size: entry.size,
                limit: MAX_MANIFEST_BYTES,
            }
            .into());
        }
        // One byte past the limit, to tell a file that grew from one that ends.
        let reader: Box<dyn Read + Send> =
            Box::new(bundle.open_entry(entry)?.take(MAX_MANIFEST_BYTES + 1));
        let mut column = Column {
            name,
            reader: io::BufReader::with_capacity(256 << 10, reader),
            hasher: Sha256::new(),
            sealed,
            line: 0,
            read: 0,
            raw: Vec::new(),
            next: None,
        };
        column.advance()?;
        Ok(column)
    }

    /// A line that does not parse (the bundle path is filled in later).
    fn invalid(&self, message: &str) -> DiscloseError {
        DiscloseError::DoesNotVerify {
            bundle: PathBuf::new(),
            problems: vec![Problem::new(
                ProblemCode::ManifestInvalid,
                Some(self.name),
                format!("line {}: {message}", self.line),
            )],
        }
    }

    /// Reads the next non-blank line into `next` (None at the end).
    fn advance(&mut self) -> Result<(), DiscloseError> {
        let previous = self.next.take().map(|(path, _)| path);
        loop {
            self.raw.clear();
            let limit = MAX_MANIFEST_LINE as u64 + 2;
            let n = (&mut self.reader)
                .take(limit)
                .read_until(b'\n', &mut self.raw)
                .map_err(|error| StoreError::Io {
                    path: self.name.into(),
                    error,
                })?;
            if n == 0 {
                return Ok(());
            }
            self.line += 1;
            self.read += n as u64;
            if self.read > MAX_MANIFEST_BYTES {
                return Err(self.invalid("the file is larger than any manifest read"));
            }
            self.hasher.update(&self.raw);
            if n as u64 == limit && self.raw.last() != Some(&b'\n') {
                return Err(self.invalid("longer than any real path"));
            }
            let Ok(text) = std::str::from_utf8(&self.raw) else {
                return Err(self.invalid("not UTF-8"));
            };
            let text = text.trim_end_matches(['\n', '\r']);
            if text.trim_matches([' ', '\t']).is_empty() {
                continue;
            }
            let (path, value) = parse_line(text).map_err(|m| self.invalid(m))?;
            if previous
                .as_deref()
                .is_some_and(|p| p.as_bytes() >= path.as_bytes())
            {
                return Err(DiscloseError::Usage(format!(
                    "{}: line {}: not in path order, as exhibit writes it; `exhibit verify` \
                     checks such a bundle, `disclose` needs the order",
                    self.name, self.line
                )));
            }
            self.next = Some((path, value));
            return Ok(());
        }
    }

    /// The value listed for `name`; listed names that sort before it are
    /// not in the bag, and a name not listed is unlisted (`problems`).
    fn value_for(
        &mut self,
        name: &str,
        problems: &mut Vec<Problem>,
    ) -> Result<Option<[u8; 32]>, DiscloseError> {
        while let Some((path, value)) = &self.next {
            match path.as_bytes().cmp(name.as_bytes()) {
                std::cmp::Ordering::Less => {
                    problems.push(Problem::new(
                        ProblemCode::PayloadMissing,
                        Some(path),
                        format!("listed in {} but not in the bag", self.name),
                    ));
                    self.advance()?;
                }
                std::cmp::Ordering::Equal => {
                    let value = *value;
                    self.advance()?;
                    return Ok(Some(value));
                }
                std::cmp::Ordering::Greater => break,
            }
        }
        problems.push(Problem::new(
            ProblemCode::PayloadUnlisted,
            Some(name),
            format!("not listed in {}", self.name),
        ));
        Ok(None)
    }

    /// The lines left are not in the bag; the bytes read must be the
    /// sealed file's.
    fn finish(mut self, problems: &mut Vec<Problem>) -> Result<(), DiscloseError> {
        while let Some((path, _)) = &self.next {
            problems.push(Problem::new(
                ProblemCode::PayloadMissing,
                Some(path),
                format!("listed in {} but not in the bag", self.name),
            ));
            self.advance()?;
        }
        let actual = Sha256Digest(self.hasher.finalize().into());
        if actual != self.sealed {
            problems.push(Problem::new(
                ProblemCode::SealTagDigestMismatch,
                Some(self.name),
                format!(
                    "SHA-256 of the bytes read is {actual}, the seal statement says {}",
                    self.sealed
                ),
            ));
        }
        Ok(())
    }
}

/// `<64 hex digits><spaces or tabs><path>`, the path percent-decoded.
fn parse_line(text: &str) -> Result<(String, [u8; 32]), &'static str> {
    let (digest, path) = text
        .split_once([' ', '\t'])
        .ok_or("expected \"<digest> <path>\"")?;
    let path = path.trim_start_matches([' ', '\t']);
    if path.is_empty() {
        return Err("missing file path after the digest");
    }
    let value = decode_digest(digest).ok_or("not 64 hex digits before the path")?;
    Ok((percent_decode(path).into_owned(), value))
}

/// Each byte's value as a hex digit (either case); 0xFF for any other.
const HEX_VALUE: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// 64 hex digits as 32 bytes. A table and no branch per digit: a large
/// bundle's manifests and salts hold millions of them, and a general
/// decoder was most of the time spent reading them.
fn decode_digest(digits: &str) -> Option<[u8; 32]> {
    let digits = digits.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut value = [0u8; 32];
    let mut invalid = 0u8;
    for (byte, pair) in value.iter_mut().zip(digits.chunks_exact(2)) {
        let (high, low) = (
            HEX_VALUE[usize::from(pair[0])],
            HEX_VALUE[usize::from(pair[1])],
        );
        invalid |= (high | low) & 0xF0;
        *byte = (high << 4) | (low & 0x0F);
    }
    (invalid == 0).then_some(value)
}

/// The leaf hash of every sealed payload file, in leaf (path) order, and
/// the leaf data of the `selected` ones: sizes from the bundle's listing,
/// digests and salts from the sealed manifests and salts file, streamed in
/// step with it (their bytes must have the SHA-256 the seal names). No
/// payload file is read; 32 bytes are kept per file.
fn sealed_leaves(
    bundle: &Bundle,
    statement: &SealStatement,
    files: &[(String, u64)],
    selected: &[usize],
) -> Result<(Vec<merkle::Hash>, Vec<Leaf>), DiscloseError> {
    let with_bundle = |e: DiscloseError| match e {
        DiscloseError::DoesNotVerify { problems, .. } => DiscloseError::DoesNotVerify {
            bundle: bundle.path.clone(),
            problems,
        },
        other => other,
    };
    let tags = &statement.tag_digests;
    let salts_digest = tags.merkle_salts.ok_or_else(|| DiscloseError::FormatOne {
        bundle: bundle.path.clone(),
    })?;
    let mut columns = [
        ("manifest-sha256.txt", tags.manifest_sha256),
        (BLAKE3_MANIFEST_PATH, tags.manifest_blake3),
        (MERKLE_SALTS_PATH, salts_digest),
    ]
    .into_iter()
    .map(|(name, sealed)| Column::open(bundle, name, sealed))
    .collect::<Result<Vec<_>, _>>()
    .map_err(with_bundle)?;
    let encoding = statement.leaf_encoding();
    let mut problems = Vec::new();
    let mut hashes = Vec::with_capacity(files.len());
    let mut leaves = Vec::with_capacity(selected.len());
    let mut chosen = selected.iter().peekable();
    for (index, (path, size)) in files.iter().enumerate() {
        let mut values = [[0u8; 32]; 3];
        let mut complete = true;
        for (column, value) in columns.iter_mut().zip(&mut values) {
            match column.value_for(path, &mut problems).map_err(with_bundle)? {
                Some(v) => *value = v,
                None => complete = false,
            }
        }
        let [sha256, blake3, salt] = values;
        let input = LeafInput {
            path,
            size: *size,
            sha256: &sha256,
            blake3: &blake3,
            salt: Some(&salt),
        };
        // An incomplete leaf was reported; the root is not compared then.
        hashes.push(
            encoding
                .leaf(&input)
                .filter(|_| complete)
                .unwrap_or_default(),
        );
        if chosen.next_if(|&&i| i == index).is_some() {
            leaves.push(Leaf {
                index,
                path: path.clone(),
                size: *size,
                sha256,
                blake3,
                salt,
            });
        }
    }
    for column in columns {
        column.finish(&mut problems).map_err(with_bundle)?;
    }
    if files.len() as u64 != statement.payload.file_count {
        problems.push(Problem::new(
            ProblemCode::SealPayloadMismatch,
            Some(SEAL_PATH),
            format!(
                "sealed {} files; the bag holds {}",
                statement.payload.file_count,
                files.len()
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(DiscloseError::DoesNotVerify {
            bundle: bundle.path.clone(),
            problems,
        });
    }
    Ok((hashes, leaves))
}

/// `bag-info.txt` and `bagit.txt` as sealed, then the disclosed files,
/// each checked against its sealed leaf data as it is copied. Returns the
/// payload bytes written.
fn write_disclosure(
    staged: &mut StagedBundle,
    bundle: &Bundle,
    entries: &[Entry],
    leaves: &[Leaf],
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
    let total: u64 = leaves.iter().map(|l| l.size).sum();
    observer.start("disclosing", total);
    let copied = copy_files(staged, bundle, entries, leaves, observer);
    observer.finish();
    copied.map(|()| total)
}

/// The disclosed files copied from their entries (`entries`, sorted by
/// name), each checked against its sealed leaf data.
fn copy_files(
    staged: &mut StagedBundle,
    bundle: &Bundle,
    entries: &[Entry],
    leaves: &[Leaf],
    observer: &dyn Observer,
) -> Result<(), DiscloseError> {
    let mut problems = Vec::new();
    for leaf in leaves {
        let name = &leaf.path;
        let found = entries
            .binary_search_by(|e| e.name.as_bytes().cmp(name.as_bytes()))
            .ok()
            .map(|i| &entries[i]);
        let Some(entry) = found else {
            problems.push(Problem::new(
                ProblemCode::PayloadUnreadable,
                Some(name),
                "its entry in the bundle cannot be read",
            ));
            continue;
        };
        let (mut reader, crc) = bundle.open_payload(entry)?;
        let digest = staged.write_stream(name, leaf.size, &mut reader, &|n| observer.advance(n))?;
        if crc.mismatched() {
            problems.push(Problem::new(
                ProblemCode::ZipEntry,
                Some(name),
                "data does not have the CRC-32 the zip records",
            ));
        }
        if digest.size != leaf.size
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
    observer: &dyn Observer,
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
            tsa: custody.tsa,
        },
        observer,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_decode_in_either_case_and_nothing_else_does() {
        let hex = "00ff10Aa".repeat(8);
        let mut expected = [0u8; 32];
        hex::decode_to_slice(&hex, &mut expected).unwrap();
        assert_eq!(decode_digest(&hex), Some(expected));
        for bad in [
            "0".repeat(63),
            "0".repeat(65),
            format!("{}g", "0".repeat(63)),
        ] {
            assert_eq!(decode_digest(&bad), None, "{bad}");
        }
        let line = format!("{hex}  data/a%0Ab");
        assert_eq!(parse_line(&line), Ok(("data/a\nb".to_string(), expected)));
        assert!(parse_line(&hex).is_err());
        assert!(parse_line(&format!("{hex}  ")).is_err());
    }
}
