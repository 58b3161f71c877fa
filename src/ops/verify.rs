//! Verification: every check of SPEC.md, in order, over an opened bundle.
//! A problem is data in the [`Report`], never an early return, so the
//! receiver gets the full list.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Read, Write};
use std::path::Path;

use rayon::prelude::*;
use sha2::digest::DynDigest;

use crate::digest::{hash_stream, FileDigest, Sha256Digest};
use crate::format::bag::{self, BagInfo, ManifestLine, TagEncoding};
use crate::format::custody::{self, CUSTODY_DIR};
use crate::format::disclosure::DISCLOSURE_PATH;
use crate::format::merkle::{self, LeafInput};
use crate::format::paths::{self, BagPath};
use crate::format::salt::MERKLE_SALTS_PATH;
use crate::format::seal::{SealStatement, SealVersion, BLAKE3_MANIFEST_PATH, SEAL_PATH};
use crate::format::signature::{SignatureRecord, SIGNATURES_DIR};
use crate::format::timestamp::{self, TokenTarget};
use crate::limits::{
    MAX_DOCUMENT_BYTES, MAX_MANIFEST_BYTES, MAX_RECORD_BYTES, MAX_TAG_BYTES, MAX_TOKEN_BYTES,
};
use crate::ops::Observer;
use crate::problem::{Problem, ProblemCode};
use crate::report::{
    BundleKind, CustodyEntry, Outcome, PayloadRow, PolicyUsed, Report, SignerReport,
    TimestampReport, TrustUsed,
};
use crate::store::{copy_into_directory, Bundle, EntryKind, StoreError};
use crate::trust::{Role, SigningTime, TrustSet};

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
    observer.start("verifying", payload_bytes(bundle));
    let report = verify_with(
        bundle,
        &VerifyOptions {
            trust,
            progress: &|n| observer.advance(n),
            extract_to: None,
            hash_payload: true,
        },
        payload_rows,
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

/// How strictly a bag is read: the one place where a bag made by exhibit
/// (it has `exhibit/`) and a plain bag made by another tool are told apart.
/// An exhibit bundle is held to exactly what exhibit writes; a plain bag
/// gets what RFC 8493 and the drafts before it (0.93 to 0.97) allow, and
/// the forms BagIt linters only warn about are warnings, not problems.
/// docs/FORMAT.md ("Plain BagIt bags") lists the differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rules {
    /// BagIt versions `bagit.txt` may declare.
    versions: &'static [&'static str],
    /// Tag files are read in the encoding `bagit.txt` declares; otherwise
    /// it must declare UTF-8.
    declared_encoding: bool,
    /// The bag metadata file, and whether it must be present.
    info_file: &'static str,
    info_required: bool,
    /// Manifest lines as other tools write them (md5sum's `*`, a leading
    /// `./`) are read as meant, with a warning; otherwise the prefix is
    /// part of the path (which then names no payload file).
    foreign_manifest_forms: bool,
    /// A path listed twice in one manifest: `None`, the manifest is
    /// invalid; `Some(warn)`, each repeat is a problem, or only a warning
    /// when it repeats the same digest and `warn`.
    repeats: Option<bool>,
    /// `fetch.txt` is read (a holey bag: its files may be absent); otherwise
    /// it is a problem.
    fetch: bool,
    /// A listed file that is absent, but whose name differs only by case or
    /// Unicode normalization from a file in the bag, names that file.
    name_aliases: bool,
    /// Operating-system metadata files (`.DS_Store`, ...) are warned about,
    /// and may be listed yet absent.
    os_files: bool,
}

impl Rules {
    /// The rules for an exhibit bundle, or for a plain bag of `version`
    /// (`None`: `bagit.txt` unreadable).
    fn for_bag(exhibit: bool, version: Option<(u32, u32)>) -> Rules {
        if exhibit {
            return Rules {
                versions: &["1.0", "0.97"],
                declared_encoding: false,
                info_file: bag::BAG_INFO_NAME,
                info_required: true,
                foreign_manifest_forms: false,
                repeats: None,
                fetch: false,
                name_aliases: false,
                os_files: false,
            };
        }
        let version = version.unwrap_or((1, 0));
        Rules {
            versions: &bag::SUPPORTED_VERSIONS,
            declared_encoding: true,
            info_file: if version < (0, 96) {
                bag::PACKAGE_INFO_NAME
            } else {
                bag::BAG_INFO_NAME
            },
            info_required: false,
            foreign_manifest_forms: true,
            // RFC 8493 made a repeated line an error; the drafts did not.
            repeats: Some(version < (1, 0)),
            fetch: true,
            name_aliases: true,
            os_files: true,
        }
    }
}

/// A payload manifest, held compactly: a million lines would take some
/// 170 bytes each in a map of strings. The digest of each payload file
/// sits at its index in `Verification::payload`; only lines that name no
/// payload file (absent files, other spellings), which stay rare, are kept
/// by name.
struct Manifest {
    file: String,
    algorithm: String,
    /// Digest bytes: `width` per payload file, in payload order; empty
    /// when `streamed`.
    width: usize,
    digests: Vec<u8>,
    /// The manifest lists its paths in payload order (exhibit writes it
    /// so): its digests are not held but read again while hashing, one
    /// batch at a time ([`LineCursor`]).
    streamed: bool,
    /// Which payload files it lists, a bit each.
    listed: Bits,
    /// The line listing each payload file (to name a repeat); empty when
    /// `streamed` (a repeat is out of order, so never streamed).
    lines: Vec<u32>,
    /// Lines naming no payload file: path to (lowercase hex digest, line).
    others: BTreeMap<String, (String, usize)>,
    /// Files in the bag that this manifest lists under another spelling of
    /// their name (case, normalization): name in the bag to listed name.
    aliases: HashMap<Box<str>, Box<str>>,
}

impl Manifest {
    fn new(file: &str, algorithm: &str, width: usize, files: usize, streamed: bool) -> Manifest {
        Manifest {
            file: file.into(),
            algorithm: algorithm.into(),
            width,
            digests: if streamed {
                Vec::new()
            } else {
                vec![0; width * files]
            },
            streamed,
            listed: Bits::new(files),
            lines: if streamed { Vec::new() } else { vec![0; files] },
            others: BTreeMap::new(),
            aliases: HashMap::new(),
        }
    }

    fn digest_at(&self, index: usize) -> Option<&[u8]> {
        let at = index * self.width;
        self.listed
            .get(index)
            .then(|| self.digests.get(at..at + self.width))
            .flatten()
    }

    /// Whether the manifest lists `path` (payload file `index`, if it is one).
    fn lists(&self, index: Option<usize>, path: &str) -> bool {
        match index {
            Some(i) => self.listed.get(i),
            None => self.others.contains_key(path),
        }
    }

    /// The hex digest listed for `path` (payload file `index`, if it is one).
    fn listed_hex(&self, index: Option<usize>, path: &str) -> Option<String> {
        match index {
            Some(i) => self.digest_at(i).map(hex::encode),
            None => self.others.get(path).map(|(d, _)| d.clone()),
        }
    }

    /// The digest listed for payload file `index` named `name`, under its
    /// name or an alias.
    /// `window` holds the digests of a streamed manifest for the batch
    /// starting at payload index `base`.
    fn listed<'m>(
        &'m self,
        index: usize,
        name: &str,
        window: &'m [u8],
        base: usize,
    ) -> Option<std::borrow::Cow<'m, [u8]>> {
        if self.streamed {
            let at = index.checked_sub(base)? * self.width;
            return self
                .listed
                .get(index)
                .then(|| window.get(at..at + self.width))
                .flatten()
                .map(std::borrow::Cow::Borrowed);
        }
        if let Some(d) = self.digest_at(index) {
            return Some(std::borrow::Cow::Borrowed(d));
        }
        let alias = self.aliases.get(name)?;
        let (hex_digest, _) = self.others.get(&**alias)?;
        hex::decode(hex_digest).ok().map(std::borrow::Cow::Owned)
    }
}

/// One bit per payload file.
struct Bits(Vec<u64>);

impl Bits {
    fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
}

/// A manifest to be streamed is not in payload order.
struct Unsorted;

/// Reads a streamed manifest (or the salts) again while the payload is
/// hashed: its lines come in payload order, so the digests of one batch of
/// files are taken from it just before the batch is hashed. The bytes are
/// hashed again and must be the ones read the first time.
struct LineCursor {
    name: String,
    hex_len: usize,
    lines: bag::TextLines<HashingReader<io::Take<Box<dyn Read + Send>>>>,
    /// The next line: (path, lowercase hex digest).
    pending: Option<(String, String)>,
    /// The end was reached, or the file could not be read again.
    done: bool,
    failed: bool,
}

impl LineCursor {
    fn open(bundle: &Bundle, entry: &crate::store::Entry, hex_len: usize) -> LineCursor {
        let (reader, failed): (Box<dyn Read + Send>, bool) = match bundle.open_entry(entry) {
            Ok(reader) => (reader, false),
            Err(_) => (Box::new(io::empty()), true),
        };
        let reader = HashingReader {
            inner: reader.take(MAX_MANIFEST_BYTES + 1),
            hasher: <sha2::Sha256 as sha2::Digest>::new(),
            count: 0,
        };
        LineCursor {
            name: entry.name.clone(),
            hex_len,
            lines: bag::TextLines::new(&entry.name, reader),
            pending: None,
            done: failed,
            failed,
        }
    }

    /// The next line, read on first need.
    fn peek(&mut self) -> Option<&(String, String)> {
        while self.pending.is_none() && !self.done {
            match self.lines.next_line() {
                Ok(Some((number, line))) => {
                    match bag::parse_manifest_line(&self.name, number, line, self.hex_len) {
                        Ok(Some(line)) => self.pending = Some((line.path, line.digest)),
                        Ok(None) => {}
                        Err(_) => (self.done, self.failed) = (true, true),
                    }
                }
                Ok(None) => self.done = true,
                Err(_) => (self.done, self.failed) = (true, true),
            }
        }
        self.pending.as_ref()
    }

    /// Writes the digest listed for `path` into `out`; false when the
    /// manifest does not list it. Paths must be asked in payload order.
    fn digest_for(&mut self, path: &str, out: &mut [u8]) -> bool {
        while let Some((listed, digest)) = self.peek() {
            match listed.as_str().cmp(path) {
                std::cmp::Ordering::Less => self.pending = None,
                std::cmp::Ordering::Equal => {
                    let found = hex::decode_to_slice(digest, out).is_ok();
                    self.pending = None;
                    return found;
                }
                std::cmp::Ordering::Greater => return false,
            }
        }
        false
    }

    /// Reads to the end; the SHA-256 of what was read, `None` when it
    /// could not be read again.
    fn finish(mut self) -> Option<Sha256Digest> {
        while self.peek().is_some() {
            self.pending = None;
        }
        let reader = self.lines.into_inner();
        if self.failed || reader.count > MAX_MANIFEST_BYTES {
            return None;
        }
        Some(Sha256Digest(sha2::Digest::finalize(reader.hasher).into()))
    }
}

/// The index of `name` in the sorted payload.
fn payload_index(payload: &[&crate::store::Entry], name: &str) -> Option<usize> {
    payload
        .binary_search_by(|e| e.name.as_bytes().cmp(name.as_bytes()))
        .ok()
}

/// What the Merkle root check needs, prepared before the payload is hashed
/// so each leaf is folded in as its file is read (no digest is kept).
enum MerklePlan {
    /// Not an exhibit bundle with a readable statement (or a disclosure).
    None,
    /// Leaves of this encoding; salts (format 2) aligned with the payload.
    Fold {
        encoding: merkle::LeafEncoding,
        salts: Option<Salts>,
    },
    /// Format 2, but the salts cannot be used: problems to report if the
    /// root would have been computed.
    NoSalts(Vec<Problem>),
}

/// `exhibit/merkle-salts.txt`, aligned with the payload.
struct Salts {
    /// 32 bytes per payload file; empty when `streamed` (read again while
    /// hashing, like a streamed manifest).
    salts: Vec<u8>,
    streamed: bool,
    present: Bits,
    /// Paths with a salt that are not payload files.
    extra: Vec<String>,
}

impl Salts {
    /// The salt of payload file `index`; `window` holds those of a
    /// streamed file for the batch starting at `base`.
    fn get<'s>(&'s self, index: usize, window: &'s [u8], base: usize) -> Option<&'s [u8; 32]> {
        if !self.present.get(index) {
            return None;
        }
        let (held, at) = if self.streamed {
            (window, index.checked_sub(base)? * 32)
        } else {
            (&self.salts[..], index * 32)
        };
        held.get(at..at + 32)?.try_into().ok()
    }
}

/// The outcome of folding the leaves while hashing.
enum MerkleOutcome {
    Root(merkle::Hash),
    /// Some payload files could not be read.
    Unreadable,
    /// Files without a salt.
    Unsalted(Vec<String>),
    /// Salts unusable (problems reported when this is reached).
    NoSalts(Vec<Problem>),
}

/// A file `fetch.txt` lists.
struct Fetched {
    line: usize,
    length: Option<u64>,
}

/// Listed payload files that are not in the bag and were excused (a holey
/// bag's, operating-system files): `Payload-Oxum` counts them too.
#[derive(Debug)]
struct Unchecked {
    seen: BTreeSet<String>,
    files: u64,
    known_bytes: u64,
    /// Every excused file's size is known (from `fetch.txt`).
    sizes_known: bool,
}

impl Default for Unchecked {
    fn default() -> Self {
        Unchecked {
            seen: BTreeSet::new(),
            files: 0,
            known_bytes: 0,
            sizes_known: true,
        }
    }
}

impl Unchecked {
    /// Counts a file once, however many manifests list it.
    fn add(&mut self, path: &str, length: Option<u64>) {
        if !self.seen.insert(path.to_owned()) {
            return;
        }
        self.files += 1;
        match length {
            Some(n) => self.known_bytes = self.known_bytes.saturating_add(n),
            None => self.sizes_known = false,
        }
    }
}

/// What loading a manifest found besides its digests.
#[derive(Default)]
struct Found {
    markers: usize,
    dot_slashes: usize,
    /// Lines that repeat a path listed before (the first line is kept).
    repeats: Vec<Repeat>,
    /// The first repeat, as the error an exhibit bundle's manifest gets.
    duplicate: Option<bag::BagError>,
    /// Lines whose path is not a clean payload path: (line, path).
    rejected: Vec<(usize, String)>,
    /// Rejected paths already seen: path to (line, digest).
    rejected_seen: HashMap<String, (usize, String)>,
    /// The last path, while every path so far came after the one before.
    last: Option<String>,
    /// A path came at or before the one before it: the manifest cannot be
    /// streamed in payload order.
    unsorted: bool,
}

struct Repeat {
    path: String,
    line: usize,
    first_line: usize,
    same_digest: bool,
}

impl Found {
    /// Files one manifest line into `manifest`.
    fn add(
        &mut self,
        manifest: &mut Manifest,
        payload: &[&crate::store::Entry],
        line: bag::ManifestLine,
    ) {
        if manifest.streamed {
            if self.unsorted || self.last.as_deref() >= Some(line.path.as_str()) {
                // Read again, held whole (a repeat is found then too).
                self.unsorted = true;
                return;
            }
            self.last = Some(line.path.clone());
        }
        let first = match payload_index(payload, &line.path) {
            Some(i) if manifest.streamed => {
                manifest.listed.set(i);
                return;
            }
            Some(i) => {
                let width = manifest.width;
                let slot = &mut manifest.digests[i * width..(i + 1) * width];
                if !manifest.listed.get(i) {
                    // Checked as hex digits of the right length when parsed.
                    let _ = hex::decode_to_slice(&line.digest, slot);
                    manifest.listed.set(i);
                    manifest.lines[i] = u32::try_from(line.line).unwrap_or(u32::MAX);
                    return;
                }
                (manifest.lines[i] as usize, hex::encode(slot) == line.digest)
            }
            None if BagPath::parse(&line.path).is_ok_and(|p| p.is_payload()) => {
                match manifest.others.get(&line.path) {
                    Some((digest, first)) => (*first, *digest == line.digest),
                    None => {
                        manifest.others.insert(line.path, (line.digest, line.line));
                        return;
                    }
                }
            }
            None => match self.rejected_seen.get(&line.path) {
                Some((first, digest)) => (*first, *digest == line.digest),
                None => {
                    self.rejected.push((line.line, line.path.clone()));
                    self.rejected_seen
                        .insert(line.path, (line.line, line.digest));
                    return;
                }
            },
        };
        let (first_line, same_digest) = first;
        if self.duplicate.is_none() {
            self.duplicate = Some(bag::duplicate_entry(
                &manifest.file,
                &line.path,
                line.line,
                first_line,
            ));
        }
        self.repeats.push(Repeat {
            path: line.path,
            line: line.line,
            first_line,
            same_digest,
        });
    }
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
    /// The bag has `exhibit/`: it claims to be made by exhibit.
    exhibit: bool,
    rules: Rules,
    /// The encoding tag files are read in.
    encoding: TagEncoding,
    /// Payload files `fetch.txt` lists, by path.
    fetch: BTreeMap<String, Fetched>,
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
            trust: TrustUsed::default(),
            payload: Vec::new(),
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
            exhibit,
            rules: Rules::for_bag(exhibit, None),
            encoding: TagEncoding::Utf8,
            fetch: BTreeMap::new(),
        }
    }

    fn warning(&mut self, code: ProblemCode, path: Option<&str>, message: impl Into<String>) {
        self.report.warnings.push(Problem::new(code, path, message));
    }

    fn problem(&mut self, code: ProblemCode, path: Option<&str>, message: impl Into<String>) {
        self.report.problems.push(Problem::new(code, path, message));
    }

    /// Warns of the md5sum and sha256sum forms a foreign manifest's lines
    /// used (a binary-mode `*`, a leading `./`), read as the tools meant them.
    fn warn_foreign_forms(&mut self, name: &str, markers: usize, dot_slashes: usize) {
        let lines = if markers == 1 {
            "line puts"
        } else {
            "lines put"
        };
        if markers > 0 {
            self.warning(
                ProblemCode::ManifestNonstandard,
                Some(name),
                format!(
                    "{markers} {lines} md5sum's binary-mode '*' before the path; read as a marker, not part of the name"
                ),
            );
        }
        let paths = if dot_slashes == 1 {
            "line starts"
        } else {
            "lines start"
        };
        if dot_slashes > 0 {
            self.warning(
                ProblemCode::ManifestNonstandard,
                Some(name),
                format!("{dot_slashes} {paths} the path with './'; read relative to the bag root"),
            );
        }
    }

    /// A disclosure bundle (`exhibit disclose`): part of a seal's payload
    /// with inclusion proofs, checked by [`Verification::check_disclosure`].
    fn is_disclosure(&self) -> bool {
        self.tags.contains_key(DISCLOSURE_PATH)
    }

    fn is_exhibit(&self) -> bool {
        self.exhibit
    }

    /// Step 1a: every entry has a clean name, is a regular file or folder,
    /// and appears once.
    fn check_entries(&mut self) {
        let bundle = self.bundle;
        let mut previous: Option<&str> = None;
        // Payload files by a hash of their folded name (8 bytes a file, not
        // a map of keys): only names whose hashes meet are compared.
        let fold_state = std::collections::hash_map::RandomState::new();
        let mut folded: Vec<(u32, u32)> = Vec::new();
        // At most one per entry: reserved once, not doubled on the way.
        let files = bundle
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::File && e.name.starts_with("data/"))
            .count();
        folded.reserve_exact(files);
        self.payload.reserve_exact(files);
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
                // Exhibit keeps NFC and NFD spellings apart and says so in
                // its format; a plain bag is told about both kinds.
                let key = self.fold_key(&path);
                let hash = std::hash::BuildHasher::hash_one(&fold_state, &key);
                // Truncated: a chance meeting only costs comparing two keys.
                let index = u32::try_from(self.payload.len()).unwrap_or(u32::MAX);
                folded.push((hash as u32, index));
                self.payload.push(entry);
            } else {
                self.tags.insert(entry.name.clone(), entry);
            }
        }
        self.check_folded_names(folded);
    }

    /// The key two payload names collide under: letter case in an exhibit
    /// bundle (it keeps NFC and NFD spellings apart and says so in its
    /// format), case and Unicode normalization in a plain bag.
    fn fold_key(&self, path: &BagPath) -> String {
        if self.rules.name_aliases {
            paths::alias_key(path.as_str())
        } else {
            paths::case_fold_key(path)
        }
    }

    /// Warns about payload names that collide once folded: each name about
    /// the one before it, in payload order. `folded` is (key hash, index).
    fn check_folded_names(&mut self, mut folded: Vec<(u32, u32)>) {
        folded.sort_unstable();
        let mut found: Vec<(usize, Problem)> = Vec::new();
        for group in folded.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            // Same hash: compare the keys themselves, in payload order.
            let mut keyed: Vec<(String, usize)> = group
                .iter()
                .filter_map(|&(_, i)| {
                    let i = i as usize;
                    let path = BagPath::parse(&self.payload.get(i)?.name).ok()?;
                    Some((self.fold_key(&path), i))
                })
                .collect();
            keyed.sort_unstable();
            for pair in keyed.windows(2).filter(|p| p[0].0 == p[1].0) {
                let (other, name) = (&self.payload[pair[0].1].name, &self.payload[pair[1].1].name);
                let how = paths::alias_difference(other, name);
                let collide = if how == "letter case" {
                    "case-insensitive"
                } else {
                    "normalizing"
                };
                found.push((
                    pair[1].1,
                    Problem::new(
                        ProblemCode::PathDuplicate,
                        Some(name),
                        format!("differs from {other:?} only by {how}; they collide on {collide} file systems"),
                    ),
                ));
            }
        }
        found.sort_by_key(|(i, _)| *i);
        self.report
            .warnings
            .extend(found.into_iter().map(|(_, p)| p));
    }

    /// Reads a tag file; a file that cannot be read (or is over `limit`) is
    /// reported once, however many checks ask for it.
    fn read_tag(&mut self, name: &str, limit: u64) -> Option<Vec<u8>> {
        let entry = *self.tags.get(name)?;
        match self.bundle.read_entry(entry, limit) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.tag_unreadable(name, e);
                None
            }
        }
    }

    /// Reports a tag file that cannot be read, once.
    fn tag_unreadable(&mut self, name: &str, e: StoreError) {
        if !self.unreadable.insert(name.to_string()) {
            return;
        }
        let code = if name.starts_with("exhibit/") {
            ProblemCode::SealInvalid
        } else {
            ProblemCode::ManifestInvalid
        };
        self.problem(code, Some(name), e.to_string());
    }

    /// Calls `each` with every line of a payload manifest (or the salts),
    /// in file order. A UTF-8 file is streamed, never held whole, and its
    /// SHA-256 noted for the seal's tag digests; a plain bag's file in
    /// another declared encoding is small and decoded whole. `None` when it
    /// cannot be read (`Err` with the read error); `Some(Err)` with the
    /// error the whole-file parser gives (an undecodable line anywhere
    /// before a malformed one).
    fn manifest_lines(
        &mut self,
        name: &str,
        hex_len: usize,
        encoding: TagEncoding,
        each: &mut dyn FnMut(bag::ManifestLine),
    ) -> Result<Result<(), bag::BagError>, StoreError> {
        let Some(entry) = self.tags.get(name).copied() else {
            return Err(StoreError::Io {
                path: name.into(),
                error: io::ErrorKind::NotFound.into(),
            });
        };
        if encoding != TagEncoding::Utf8 {
            let bytes = self.bundle.read_entry(entry, MAX_MANIFEST_BYTES)?;
            let parsed = bag::decode_tag_file(name, &bytes, encoding)
                .and_then(|text| bag::parse_manifest_lines(name, &text, hex_len));
            return Ok(parsed.map(|lines| lines.into_iter().for_each(each)));
        }
        if entry.size > MAX_MANIFEST_BYTES {
            return Err(StoreError::TooLarge {
                path: name.into(),
                size: entry.size,
                limit: MAX_MANIFEST_BYTES,
            });
        }
        let reader = HashingReader {
            inner: self.bundle.open_entry(entry)?.take(MAX_MANIFEST_BYTES + 1),
            hasher: <sha2::Sha256 as sha2::Digest>::new(),
            count: 0,
        };
        let mut lines = bag::TextLines::new(name, reader);
        let mut failed: Option<bag::BagError> = None;
        loop {
            match lines.next_line() {
                Ok(None) => break,
                Ok(Some(_)) if failed.is_some() => {}
                Ok(Some((number, line))) => {
                    match bag::parse_manifest_line(name, number, line, hex_len) {
                        Ok(Some(line)) => each(line),
                        Ok(None) => {}
                        Err(e) => failed = Some(e),
                    }
                }
                Err(bag::TextLinesError::Bag(e)) => return Ok(Err(e)),
                Err(bag::TextLinesError::Io(error)) => {
                    return Err(StoreError::Io {
                        path: name.into(),
                        error,
                    })
                }
            }
        }
        let reader = lines.into_inner();
        if reader.count > MAX_MANIFEST_BYTES {
            return Err(StoreError::TooLarge {
                path: name.into(),
                size: reader.count,
                limit: MAX_MANIFEST_BYTES,
            });
        }
        let digest = Sha256Digest(sha2::Digest::finalize(reader.hasher).into());
        self.tag_sha256.insert(name.to_owned(), digest);
        Ok(failed.map_or(Ok(()), Err))
    }

    /// A tag file's SHA-256, streamed (or noted when it was streamed
    /// before); `None` when it is missing or unreadable (reported).
    fn tag_sha256(&mut self, name: &str, limit: u64) -> Option<Sha256Digest> {
        if let Some(digest) = self.tag_sha256.get(name) {
            return Some(*digest);
        }
        let entry = *self.tags.get(name)?;
        match stream_sha256(self.bundle, entry, limit) {
            Ok(digest) => Some(digest),
            Err(e) => {
                self.tag_unreadable(name, e);
                None
            }
        }
    }

    /// A tag file's text in the bag's tag file encoding (UTF-8 is
    /// borrowed, not copied); a file that does not decode is a problem with
    /// `code`.
    fn decode_tag<'t>(
        &mut self,
        name: &str,
        bytes: &'t [u8],
        code: ProblemCode,
    ) -> Option<std::borrow::Cow<'t, str>> {
        match bag::decode_tag_file(name, bytes, self.encoding) {
            Ok(text) => Some(text),
            Err(e) => {
                self.problem(code, Some(name), e.to_string());
                None
            }
        }
    }

    /// Step 1b: `bagit.txt`; it decides the [`Rules`] and the encoding.
    fn check_declaration(&mut self) {
        let name = bag::BAGIT_TXT_NAME;
        match self.read_tag(name, MAX_TAG_BYTES) {
            Some(bytes) => match bag::parse_bagit_txt(&bytes) {
                Ok(declaration) => {
                    self.rules = Rules::for_bag(self.exhibit, Some(declaration.version_number()));
                    if !self.rules.versions.contains(&declaration.version.as_str()) {
                        self.problem(
                            ProblemCode::BagDeclaration,
                            Some(name),
                            format!(
                                "BagIt version {} in an exhibit bundle (exhibit bundles are BagIt {})",
                                declaration.version,
                                self.rules.versions.join(" or ")
                            ),
                        );
                    }
                    if self.rules.declared_encoding {
                        self.encoding = declaration.tag_encoding;
                    } else if declaration.tag_encoding != TagEncoding::Utf8 {
                        self.problem(
                            ProblemCode::BagDeclaration,
                            Some(name),
                            format!(
                                "tag file character encoding {:?} in an exhibit bundle (exhibit bundles are UTF-8)",
                                declaration.encoding
                            ),
                        );
                    }
                }
                Err(e) => self.problem(ProblemCode::BagDeclaration, Some(name), e.to_string()),
            },
            None => self.problem(
                ProblemCode::BagDeclaration,
                Some(name),
                "bagit.txt is missing",
            ),
        }
        if self.tags.contains_key(bag::FETCH_NAME) && !self.rules.fetch {
            self.problem(
                ProblemCode::Fetch,
                Some(bag::FETCH_NAME),
                "fetch.txt lists payload held outside the bag; exhibit bundles hold all of it",
            );
        }
    }

    /// Step 1c: `bag-info.txt` (required in exhibit bundles;
    /// `package-info.txt` in plain bags before BagIt 0.96).
    fn check_bag_info(&mut self) {
        let name = self.rules.info_file;
        match self.read_tag(name, MAX_TAG_BYTES) {
            Some(bytes) => {
                let text = self.decode_tag(name, &bytes, ProblemCode::BagInfo);
                match text.map(|text| BagInfo::parse_text(name, &text)) {
                    Some(Ok(info)) => {
                        if let Some(Err(e)) = info.payload_oxum() {
                            self.problem(ProblemCode::OxumMismatch, Some(name), e.to_string());
                        }
                        self.bag_info = Some(info)
                    }
                    Some(Err(e)) => self.problem(ProblemCode::BagInfo, Some(name), e.to_string()),
                    None => {}
                }
                self.bag_info_bytes = Some(bytes);
            }
            None if self.rules.info_required => self.problem(
                ProblemCode::BagInfo,
                Some(name),
                format!("{name} is missing"),
            ),
            None => {}
        }
    }

    /// Step 1d (plain bags): `fetch.txt`, the payload files held elsewhere.
    /// Each must be a payload path; whether it is listed in the manifests
    /// is checked once they are loaded.
    fn load_fetch(&mut self) {
        let name = bag::FETCH_NAME;
        if !self.rules.fetch {
            return;
        }
        let Some(bytes) = self.read_tag(name, MAX_MANIFEST_BYTES) else {
            return;
        };
        let Some(text) = self.decode_tag(name, &bytes, ProblemCode::Fetch) else {
            return;
        };
        let lines = match bag::parse_fetch_text(name, &text) {
            Ok(lines) => lines,
            Err(e) => return self.problem(ProblemCode::Fetch, Some(name), e.to_string()),
        };
        for line in lines {
            if self.is_payload_path(name, line.line, &line.path) {
                self.fetch.insert(
                    line.path,
                    Fetched {
                        line: line.line,
                        length: line.length,
                    },
                );
            }
        }
    }

    /// Every file `fetch.txt` lists must be listed in every payload
    /// manifest (RFC 8493 section 2.2.3).
    fn check_fetch_listed(&mut self) {
        let mut unlisted = Vec::new();
        for (path, fetched) in &self.fetch {
            let index = payload_index(&self.payload, path);
            let missing_from: Vec<&str> = self
                .manifests
                .iter()
                .filter(|m| !m.lists(index, path))
                .map(|m| m.file.as_str())
                .collect();
            if !missing_from.is_empty() {
                unlisted.push(format!(
                    "line {}: {path:?} is not listed in {}",
                    fetched.line,
                    missing_from.join(", ")
                ));
            }
        }
        for message in unlisted {
            self.problem(ProblemCode::Fetch, Some(bag::FETCH_NAME), message);
        }
    }

    /// Whether a path a manifest or `fetch.txt` lists (at `line` of
    /// `file`) is a clean payload path; reports it when not.
    fn is_payload_path(&mut self, file: &str, line: usize, path: &str) -> bool {
        match BagPath::parse(path) {
            Ok(parsed) if parsed.is_payload() => true,
            Ok(_) => {
                self.problem(
                    ProblemCode::PathUnsafe,
                    Some(path),
                    format!("{file} line {line}: lists a file outside data/"),
                );
                false
            }
            Err(e) => {
                self.problem(
                    ProblemCode::PathUnsafe,
                    Some(path),
                    format!("{file} line {line}: {e}"),
                );
                false
            }
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

    /// A payload manifest: streamed in an exhibit bundle when it lists its
    /// paths in payload order, else (or when it does not) held whole.
    fn load_manifest(&mut self, name: &str, algorithm: &str) -> Option<Manifest> {
        if new_hasher(algorithm).is_none() && algorithm != "blake3" {
            self.problem(
                ProblemCode::ManifestUnsupported,
                Some(name),
                format!("cannot compute {algorithm} digests"),
            );
            return None;
        }
        if !self.bundle.payload_listed() {
            // Found but not read: the seal's tag digest binds it.
            let width = bag::digest_hex_len(algorithm)? / 2;
            return Some(Manifest::new(name, algorithm, width, 0, false));
        }
        if self.is_exhibit() {
            match self.read_manifest(name, algorithm, true) {
                Err(Unsorted) => {}
                Ok(manifest) => return manifest,
            }
        }
        self.read_manifest(name, algorithm, false).ok().flatten()
    }

    /// Reads a payload manifest (`streamed`: without its digests);
    /// `Err(Unsorted)`, with nothing reported, when a streamed manifest is
    /// not in payload order.
    fn read_manifest(
        &mut self,
        name: &str,
        algorithm: &str,
        streamed: bool,
    ) -> Result<Option<Manifest>, Unsorted> {
        let Some(hex_len) = bag::digest_hex_len(algorithm) else {
            return Ok(None);
        };
        let rules = self.rules;
        let payload = std::mem::take(&mut self.payload);
        let mut manifest = Manifest::new(name, algorithm, hex_len / 2, payload.len(), streamed);
        let mut found = Found::default();
        let read = self.manifest_lines(name, hex_len, self.encoding, &mut |mut line| {
            if rules.foreign_manifest_forms {
                let (path, prefixes) = bag::foreign_path_prefixes(&line.path);
                if prefixes != bag::ForeignPrefixes::default() {
                    found.markers += usize::from(prefixes.binary_marker);
                    found.dot_slashes += usize::from(prefixes.dot_slash);
                    line.path = path.to_owned();
                }
            }
            found.add(&mut manifest, &payload, line);
        });
        self.payload = payload;
        let parsed = match read {
            Ok(parsed) => parsed,
            Err(e) => {
                self.tag_unreadable(name, e);
                return Ok(None);
            }
        };
        if found.unsorted {
            return Err(Unsorted);
        }
        if let Err(e) = parsed.and(found.duplicate.map_or(Ok(()), Err)) {
            if rules.repeats.is_none() || !matches!(e, bag::BagError::DuplicateEntry { .. }) {
                self.problem(ProblemCode::ManifestInvalid, Some(name), e.to_string());
                return Ok(None);
            }
        }
        if rules.foreign_manifest_forms {
            self.warn_foreign_forms(name, found.markers, found.dot_slashes);
        }
        if let Some(warn_same_digest) = rules.repeats {
            found
                .repeats
                .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            for repeat in found.repeats {
                let at = format!(
                    "{name} line {}: listed again (first at line {})",
                    repeat.line, repeat.first_line
                );
                let path = Some(repeat.path.as_str());
                if !repeat.same_digest {
                    let message = format!("{at} with a different digest");
                    self.problem(ProblemCode::ManifestDuplicate, path, message);
                } else if warn_same_digest {
                    let message = format!("{at} with the same digest");
                    self.warning(ProblemCode::ManifestDuplicate, path, message);
                } else {
                    let message = format!("{at}; BagIt 1.0 lists each file once");
                    self.problem(ProblemCode::ManifestDuplicate, path, message);
                }
            }
        }
        // Paths that are not clean payload paths, as the lines that list them.
        found.rejected.sort_by_key(|(line, _)| *line);
        for (line, path) in found.rejected {
            self.is_payload_path(name, line, &path);
        }
        Ok(Some(manifest))
    }

    /// A (tag) manifest's lines as the [`Rules`] read them: in an exhibit
    /// bundle exactly as written and a repeated path makes the file
    /// invalid; in a plain bag with md5sum's `*` and a leading `./` read as
    /// meant (one warning per file), and one line kept per path.
    fn read_manifest_lines(&mut self, name: &str, hex_len: usize) -> Option<Vec<ManifestLine>> {
        let bytes = self.read_tag(name, MAX_MANIFEST_BYTES)?;
        let text = self.decode_tag(name, &bytes, ProblemCode::ManifestInvalid)?;
        let parsed = if self.rules.foreign_manifest_forms {
            bag::parse_manifest_lines(name, &text, hex_len)
        } else {
            bag::parse_manifest_text(name, &text, hex_len)
        };
        let mut lines = match parsed {
            Ok(lines) => lines,
            Err(e) => {
                self.problem(ProblemCode::ManifestInvalid, Some(name), e.to_string());
                return None;
            }
        };
        if self.rules.foreign_manifest_forms {
            let (mut markers, mut dot_slashes) = (0usize, 0usize);
            for line in &mut lines {
                let (path, found) = bag::foreign_path_prefixes(&line.path);
                if found != bag::ForeignPrefixes::default() {
                    markers += usize::from(found.binary_marker);
                    dot_slashes += usize::from(found.dot_slash);
                    line.path = path.to_owned();
                }
            }
            self.warn_foreign_forms(name, markers, dot_slashes);
        }
        if let Some(warn_same_digest) = self.rules.repeats {
            lines = self.drop_repeats(name, lines, warn_same_digest);
        }
        Some(lines)
    }

    /// Keeps the first line of each path; reports every later one.
    fn drop_repeats(
        &mut self,
        name: &str,
        lines: Vec<ManifestLine>,
        warn_same_digest: bool,
    ) -> Vec<ManifestLine> {
        // Sorting indices costs 8 bytes a line, less than a set of paths.
        let mut order: Vec<usize> = (0..lines.len()).collect();
        order.sort_by(|&a, &b| lines[a].path.cmp(&lines[b].path).then(a.cmp(&b)));
        let mut repeat = vec![false; lines.len()];
        let mut first = None;
        for pair in order.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if lines[a].path != lines[b].path {
                first = None;
                continue;
            }
            let first = *first.get_or_insert(a);
            repeat[b] = true;
            let (kept, again) = (&lines[first], &lines[b]);
            let at = format!(
                "{name} line {}: listed again (first at line {})",
                again.line, kept.line
            );
            let path = Some(again.path.as_str());
            if kept.digest != again.digest {
                let message = format!("{at} with a different digest");
                self.problem(ProblemCode::ManifestDuplicate, path, message);
            } else if warn_same_digest {
                let message = format!("{at} with the same digest");
                self.warning(ProblemCode::ManifestDuplicate, path, message);
            } else {
                let message = format!("{at}; BagIt 1.0 lists each file once");
                self.problem(ProblemCode::ManifestDuplicate, path, message);
            }
        }
        lines
            .into_iter()
            .zip(repeat)
            .filter_map(|(line, repeat)| (!repeat).then_some(line))
            .collect()
    }

    /// Listed files that are not in the bag: a problem each, except what
    /// the [`Rules`] of a plain bag excuse: files `fetch.txt` holds
    /// elsewhere and operating-system metadata files (not checked, counted
    /// in the returned [`Unchecked`]), and names that are another spelling
    /// (case, Unicode normalization) of a file in the bag.
    fn check_missing(&mut self) -> Unchecked {
        let rules = self.rules;
        // Files in the bag by alias key, made only when a name is missing.
        let mut by_alias: Option<HashMap<String, Vec<&str>>> = None;
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut unchecked = Unchecked::default();
        let mut os_absent: BTreeMap<String, (&'static str, Vec<String>)> = BTreeMap::new();
        // Listed name -> (name in the bag, how they differ, manifests).
        let mut aliased: BTreeMap<String, (String, &'static str, Vec<String>)> = BTreeMap::new();
        let payload = &self.payload;
        for manifest in self
            .manifests
            .iter_mut()
            .chain(self.blake3_manifest.as_mut())
        {
            // Sorted already; only these name no file in the bag.
            let listed_missing: Vec<String> = manifest.others.keys().cloned().collect();
            for path in &listed_missing {
                let path = path.as_str();
                if let Some(fetched) = self.fetch.get(path) {
                    unchecked.add(path, fetched.length);
                    continue;
                }
                if rules.os_files {
                    if let Some(what) = paths::os_metadata_file(path) {
                        unchecked.add(path, None);
                        let entry = os_absent
                            .entry(path.to_owned())
                            .or_insert((what, Vec::new()));
                        entry.1.push(manifest.file.clone());
                        continue;
                    }
                }
                if rules.name_aliases {
                    let by_alias = by_alias.get_or_insert_with(|| {
                        let mut map: HashMap<String, Vec<&str>> = HashMap::new();
                        for entry in payload.iter() {
                            map.entry(paths::alias_key(&entry.name))
                                .or_default()
                                .push(&entry.name);
                        }
                        map
                    });
                    let digest = manifest.listed_hex(None, path);
                    let candidates = by_alias
                        .get(&paths::alias_key(path))
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    // The same file listed twice under two spellings.
                    let twice = candidates
                        .iter()
                        .find(|c| manifest.listed_hex(payload_index(payload, c), c) == digest);
                    // Or listed once, under a spelling other than the bag's.
                    let renamed = match candidates {
                        [only]
                            if !manifest.lists(payload_index(payload, only), only)
                                && !manifest.aliases.contains_key(*only) =>
                        {
                            Some(only)
                        }
                        _ => None,
                    };
                    if let Some(in_bag) = twice.or(renamed) {
                        if renamed.is_some() && twice.is_none() {
                            manifest.aliases.insert((*in_bag).into(), path.into());
                        }
                        let entry = aliased.entry(path.to_owned()).or_insert_with(|| {
                            (
                                in_bag.to_string(),
                                paths::alias_difference(path, in_bag),
                                Vec::new(),
                            )
                        });
                        entry.2.push(manifest.file.clone());
                        continue;
                    }
                }
                missing
                    .entry(path.to_owned())
                    .or_default()
                    .push(manifest.file.clone());
            }
        }
        for (path, files) in missing {
            self.problem(
                ProblemCode::PayloadMissing,
                Some(&path),
                format!("listed in {} but not in the bag", files.join(", ")),
            );
        }
        for (path, (in_bag, how, files)) in aliased {
            let message = format!(
                "listed in {} as a spelling of {in_bag:?} that differs only by {how}; \
                 read as that file (they are one file on case-insensitive or normalizing file systems)",
                files.join(", ")
            );
            self.warning(ProblemCode::PathDuplicate, Some(&path), message);
        }
        for (path, (what, files)) in os_absent {
            let message = format!(
                "{what}, listed in {} but not in the bag (copying tools often leave these out); not checked",
                files.join(", ")
            );
            self.warning(ProblemCode::PayloadOsFile, Some(&path), message);
        }
        if rules.os_files {
            let present_os: Vec<(String, &'static str)> = self
                .payload
                .iter()
                .filter_map(|e| Some((e.name.clone(), paths::os_metadata_file(&e.name)?)))
                .collect();
            for (path, what) in present_os {
                let message = format!("{what} in the payload; checked like any payload file, but probably not meant as evidence");
                self.warning(ProblemCode::PayloadOsFile, Some(&path), message);
            }
        }
        let fetched_absent = self
            .fetch
            .keys()
            .filter(|p| payload_index(&self.payload, p).is_none())
            .count();
        if fetched_absent > 0 {
            let message = format!(
                "{fetched_absent} of the {} files listed in fetch.txt are not in the bag (a holey bag); they were not checked",
                self.fetch.len()
            );
            self.warning(ProblemCode::Fetch, Some(bag::FETCH_NAME), message);
        }
        unchecked
    }

    /// Before hashing (exhibit bundles): the seal's leaf encoding and, for
    /// format 2, the salts, so each leaf is folded into the root as its
    /// file is read. Problems are only noted here; the seal checks read
    /// and report the statement and salts themselves.
    fn prepare_merkle(&mut self) {
        if !self.is_exhibit() || self.is_disclosure() || !self.tags.contains_key(SEAL_PATH) {
            return;
        }
        let Some(statement) = self
            .read_tag(SEAL_PATH, MAX_DOCUMENT_BYTES)
            .and_then(|bytes| SealStatement::parse(&bytes).ok())
        else {
            return;
        };
        let encoding = statement.leaf_encoding();
        self.merkle_plan = match statement.version() {
            SealVersion::V1 => MerklePlan::Fold {
                encoding,
                salts: None,
            },
            SealVersion::V2 => match self
                .load_salts(true)
                .unwrap_or_else(|| self.load_salts(false).unwrap_or(Err(Vec::new())))
            {
                Ok(salts) => MerklePlan::Fold {
                    encoding,
                    salts: Some(salts),
                },
                Err(problems) => MerklePlan::NoSalts(problems),
            },
        };
    }

    /// Step 2: every payload file is listed, present, and matches.
    fn check_payload(&mut self, options: &VerifyOptions<'_>, payload_rows: bool) {
        let unchecked = self.check_missing();
        let all_manifests: Vec<&Manifest> = self
            .manifests
            .iter()
            .chain(self.blake3_manifest.as_ref())
            .collect();
        let mut problems = Vec::new();

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
        let (encoding, salts) = match &self.merkle_plan {
            MerklePlan::Fold { encoding, salts } => (Some(*encoding), salts.as_ref()),
            _ => (None, None),
        };
        // Each worker hashes a file, compares it with every manifest and
        // makes its Merkle leaf, so nothing but the outcome is kept.
        let check_file = |index: usize,
                          entry: &crate::store::Entry,
                          windows: &[Vec<u8>],
                          salt_window: &[u8],
                          base: usize|
         -> Checked {
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
                    return Checked {
                        digest: None,
                        leaf: None,
                        problems: vec![problem],
                    };
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
            for (m, manifest) in all_manifests.iter().enumerate() {
                let actual: &[u8] = match manifest.algorithm.as_str() {
                    "sha256" => &digest.sha256.0,
                    "blake3" => &digest.blake3.0,
                    other => extra
                        .iter()
                        .find(|(a, _)| a == other)
                        .map(|(_, d)| d.as_slice())
                        .unwrap_or_default(),
                };
                match manifest.listed(index, &entry.name, &windows[m], base) {
                    None => problems.push(Problem::new(
                        ProblemCode::PayloadUnlisted,
                        Some(&entry.name),
                        format!("not listed in {}", manifest.file),
                    )),
                    Some(listed) if *listed != *actual => problems.push(Problem::new(
                        ProblemCode::PayloadDigestMismatch,
                        Some(&entry.name),
                        format!(
                            "{} is {}, {} says {}",
                            manifest.algorithm,
                            hex::encode(actual),
                            manifest.file,
                            hex::encode(&*listed)
                        ),
                    )),
                    Some(_) => {}
                }
            }
            let leaf = encoding.map(|encoding| {
                encoding.leaf(&LeafInput {
                    path: &entry.name,
                    size: digest.size,
                    sha256: &digest.sha256.0,
                    blake3: &digest.blake3.0,
                    salt: salts.and_then(|s| s.get(index, salt_window, base)),
                })
            });
            Checked {
                digest: Some(digest),
                leaf,
                problems,
            }
        };
        let keep_digests = self.is_disclosure();
        let mut digests = Vec::new();
        let mut rows = Vec::new();
        let (mut total, mut all_read) = (0u64, true);
        let mut root = merkle::RootBuilder::new();
        let mut unsalted = Vec::new();
        let payload = &self.payload;
        let tags = &self.tags;
        let cursor = |name: &str, hex_len: usize| {
            tags.get(name)
                .map(|entry| LineCursor::open(bundle, entry, hex_len))
        };
        let mut cursors: Vec<Option<LineCursor>> = all_manifests
            .iter()
            .map(|m| m.streamed.then(|| cursor(&m.file, 2 * m.width)).flatten())
            .collect();
        let mut salt_cursor = salts
            .filter(|s| s.streamed)
            .and_then(|_| cursor(MERKLE_SALTS_PATH, 64));
        for (batch_index, batch) in payload.chunks(HASH_BATCH).enumerate() {
            let start = batch_index * HASH_BATCH;
            // The streamed digests (and salts) of this batch, in order.
            let take = |cursor: &mut Option<LineCursor>, width: usize| {
                let Some(cursor) = cursor else {
                    return Vec::new();
                };
                let mut window = vec![0u8; width * batch.len()];
                for (slot, entry) in window.chunks_exact_mut(width).zip(batch) {
                    cursor.digest_for(&entry.name, slot);
                }
                window
            };
            let windows: Vec<Vec<u8>> = all_manifests
                .iter()
                .zip(&mut cursors)
                .map(|(m, c)| take(c, m.width))
                .collect();
            let salt_window = take(&mut salt_cursor, 32);
            let results: Vec<Checked> = batch
                .par_iter()
                .enumerate()
                .map(|(i, entry)| check_file(start + i, entry, &windows, &salt_window, start))
                .collect();
            for (entry, checked) in batch.iter().zip(results) {
                let digest = checked.digest;
                total = total.saturating_add(digest.map_or(0, |d| d.size));
                all_read &= digest.is_some();
                match checked.leaf {
                    Some(Some(leaf)) => root.push(leaf),
                    Some(None) => unsalted.push(entry.name.clone()),
                    None => {}
                }
                if payload_rows {
                    rows.push(PayloadRow {
                        path: entry.name.clone(),
                        size: digest.map_or(0, |d| d.size),
                        sha256: digest.map(|d| d.sha256),
                    });
                }
                if keep_digests {
                    digests.push(digest);
                }
                problems.extend(checked.problems);
            }
        }
        // A streamed file must have been the same bytes both times.
        let streamed = all_manifests
            .iter()
            .map(|m| m.file.as_str())
            .zip(cursors)
            .chain(std::iter::once((MERKLE_SALTS_PATH, salt_cursor)));
        for (name, cursor) in streamed {
            let Some(cursor) = cursor else { continue };
            if cursor.finish() != self.tag_sha256.get(name).copied() {
                let code = if name.starts_with("exhibit/") {
                    ProblemCode::SealInvalid
                } else {
                    ProblemCode::ManifestInvalid
                };
                problems.push(Problem::new(
                    code,
                    Some(name),
                    "changed while it was read: its digests cannot be trusted",
                ));
            }
        }
        self.digests = digests;
        self.report.payload = rows;
        self.report.file_count = self.payload.len() as u64;
        self.report.total_bytes = total;
        self.merkle = match std::mem::replace(&mut self.merkle_plan, MerklePlan::None) {
            MerklePlan::None => None,
            MerklePlan::NoSalts(_) if !all_read => Some(MerkleOutcome::Unreadable),
            MerklePlan::NoSalts(problems) => Some(MerkleOutcome::NoSalts(problems)),
            MerklePlan::Fold { salts, .. } if all_read => {
                if let Some(salts) = salts {
                    for path in salts.extra {
                        self.report.problems.push(Problem::new(
                            ProblemCode::SealInvalid,
                            Some(&path),
                            format!(
                                "{MERKLE_SALTS_PATH} has a salt for a file that is not in the bag"
                            ),
                        ));
                    }
                }
                Some(if unsalted.is_empty() {
                    MerkleOutcome::Root(root.root())
                } else {
                    MerkleOutcome::Unsalted(unsalted)
                })
            }
            MerklePlan::Fold { .. } => Some(MerkleOutcome::Unreadable),
        };

        // An unparseable Payload-Oxum was reported with bag-info.txt.
        // A disclosure bundle keeps the sealed bag-info.txt, whose
        // Payload-Oxum counts the sealed payload (check_disclosure).
        let info = self.bag_info.as_ref().filter(|_| !self.is_disclosure());
        if let Some(Some(Ok(oxum))) = info.map(BagInfo::payload_oxum) {
            let (bytes, files) = (self.report.total_bytes, self.report.file_count);
            let streams = files.saturating_add(unchecked.files);
            let octets = bytes.saturating_add(unchecked.known_bytes);
            let fits = oxum.streams == streams
                && if unchecked.sizes_known {
                    oxum.octets == octets
                } else {
                    oxum.octets >= octets
                };
            if !fits {
                let message = if unchecked.files == 0 {
                    format!("Payload-Oxum says {oxum}, the payload is {bytes}.{files}")
                } else {
                    let absent = if unchecked.sizes_known {
                        format!("{} bytes", unchecked.known_bytes)
                    } else {
                        format!("at least {} bytes", unchecked.known_bytes)
                    };
                    format!(
                        "Payload-Oxum says {oxum}, the payload is {bytes}.{files} in the bag \
                         and {} files not in it ({absent})",
                        unchecked.files
                    )
                };
                problems.push(Problem::new(
                    ProblemCode::OxumMismatch,
                    Some(self.rules.info_file),
                    message,
                ));
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
            let Some(lines) = self.read_manifest_lines(&name, hex_len) else {
                continue;
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
                // Streamed: a tag manifest lists the payload manifests.
                let actual = match new_hasher(&algorithm) {
                    Some(mut hasher) => {
                        stream_digest(self.bundle, entry, MAX_MANIFEST_BYTES, &mut *hasher)
                            .map(hex::encode)
                    }
                    None => continue,
                };
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
                || timestamp::parse_token_path(name).is_some()
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
        self.check_signatures(&seal_bytes);
        self.check_custody(&seal_bytes);
        self.check_custody_anchor();
        self.check_timestamps(options.trust);
        self.decide_trust(options.trust);
    }

    /// Every time-stamp token: sound, covering the signature it is stored
    /// for, and where its TSA's certificate path ends. Reads only the
    /// tokens and the small records they cover, never the payload.
    fn check_timestamps(&mut self, trust: &TrustSet) {
        let tokens: Vec<(String, TokenTarget)> = self
            .tags
            .keys()
            .filter_map(|name| Some((name.clone(), timestamp::parse_token_path(name)?)))
            .collect();
        for (name, target) in tokens {
            let record_path = target.record_path();
            if !self.tags.contains_key(&record_path) {
                self.problem(
                    ProblemCode::TimestampOrphan,
                    Some(&name),
                    format!("covers no signature in the bundle: {record_path} does not exist"),
                );
                continue;
            }
            let token = match self.bundle.read_entry(self.tags[&name], MAX_TOKEN_BYTES) {
                Ok(bytes) => bytes,
                Err(e) => {
                    self.problem(ProblemCode::TimestampInvalid, Some(&name), e.to_string());
                    continue;
                }
            };
            // A record that cannot be read or parsed is reported by the
            // signature or custody checks; its token has nothing to cover.
            let Some(record) = self
                .read_tag(&record_path, MAX_RECORD_BYTES)
                .and_then(|bytes| SignatureRecord::parse(&bytes, &record_path).ok())
            else {
                continue;
            };
            let check = timestamp::check_token(&name, &token, &record, target, trust.tsa_roots());
            let found = TimestampReport::from(&check);
            self.report.problems.extend(check.problems);
            self.report.warnings.extend(check.warnings);
            let proven_time = found.proven_time();
            let slot = match target {
                TokenTarget::Seal(key_id) => self
                    .report
                    .signers
                    .iter_mut()
                    .find(|s| s.key_id == key_id)
                    .map(|s| (&mut s.timestamp, &mut s.proven_time)),
                TokenTarget::Custody(sequence) => self
                    .report
                    .custody
                    .iter_mut()
                    .find(|e| e.sequence == sequence)
                    .map(|e| (&mut e.timestamp, &mut e.proven_time)),
            };
            if let Some((report, proven)) = slot {
                *report = Some(found);
                *proven = proven_time;
            }
        }
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
                self.tag_sha256(name, MAX_MANIFEST_BYTES)
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
        let total = self.report.total_bytes;
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
        match self.merkle.take() {
            Some(MerkleOutcome::Root(root)) => {
                let root = Sha256Digest(root);
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
            }
            Some(MerkleOutcome::Unreadable) => self.problem(
                ProblemCode::SealMerkleMismatch,
                Some(SEAL_PATH),
                "Merkle root not computed: payload files unreadable",
            ),
            Some(MerkleOutcome::Unsalted(paths)) => {
                for path in paths {
                    self.problem(
                        ProblemCode::SealMerkleMismatch,
                        Some(SEAL_PATH),
                        format!(
                            "Merkle root not computed: {MERKLE_SALTS_PATH} has no salt for {path:?}"
                        ),
                    );
                }
            }
            Some(MerkleOutcome::NoSalts(problems)) => self.report.problems.extend(problems),
            // The statement read before hashing is the one checked here.
            None => {}
        }
    }

    /// `exhibit/merkle-salts.txt`, streamed, each salt at its file's index
    /// in the payload (`streamed`: not held, read again while hashing);
    /// `Err` with the problems (not yet reported) when it is missing,
    /// unreadable or malformed; `None` when `streamed` but its paths are
    /// not in payload order.
    fn load_salts(&mut self, streamed: bool) -> Option<Result<Salts, Vec<Problem>>> {
        let name = MERKLE_SALTS_PATH;
        if !self.tags.contains_key(name) {
            return Some(Err(vec![Problem::new(
                ProblemCode::SealMissing,
                Some(name),
                "the salts of the Merkle leaves are missing",
            )]));
        }
        let payload = std::mem::take(&mut self.payload);
        let mut salts = Salts {
            salts: if streamed {
                Vec::new()
            } else {
                vec![0; 32 * payload.len()]
            },
            streamed,
            present: Bits::new(payload.len()),
            extra: Vec::new(),
        };
        // Lines kept to name a repeat, as the whole-file parser does.
        let mut lines: Vec<u32> = if streamed {
            Vec::new()
        } else {
            vec![0; payload.len()]
        };
        let mut extra_lines: BTreeMap<String, usize> = BTreeMap::new();
        let mut duplicate: Option<bag::BagError> = None;
        let (mut last, mut unsorted): (Option<String>, bool) = (None, false);
        let read = self.manifest_lines(name, 64, TagEncoding::Utf8, &mut |line| {
            if streamed {
                if unsorted || last.as_deref() >= Some(line.path.as_str()) {
                    unsorted = true;
                    return;
                }
                last = Some(line.path.clone());
                if let Some(i) = payload_index(&payload, &line.path) {
                    salts.present.set(i);
                } else {
                    extra_lines.insert(line.path, line.line);
                }
                return;
            }
            let first = match payload_index(&payload, &line.path) {
                Some(i) if !salts.present.get(i) => {
                    let slot = &mut salts.salts[i * 32..(i + 1) * 32];
                    let _ = hex::decode_to_slice(&line.digest, slot);
                    salts.present.set(i);
                    lines[i] = u32::try_from(line.line).unwrap_or(u32::MAX);
                    return;
                }
                Some(i) => lines[i] as usize,
                None => match extra_lines.get(&line.path) {
                    Some(first) => *first,
                    None => {
                        extra_lines.insert(line.path, line.line);
                        return;
                    }
                },
            };
            if duplicate.is_none() {
                duplicate = Some(bag::duplicate_entry(name, &line.path, line.line, first));
            }
        });
        self.payload = payload;
        // An unreadable file is reported by the seal's tag digest check.
        let Ok(parsed) = read else {
            return Some(Err(Vec::new()));
        };
        if unsorted {
            return None;
        }
        if let Err(e) = parsed.and(duplicate.map_or(Ok(()), Err)) {
            return Some(Err(vec![Problem::new(
                ProblemCode::SealInvalid,
                Some(name),
                e.to_string(),
            )]));
        }
        salts.extra = extra_lines.into_keys().collect();
        Some(Ok(salts))
    }

    fn check_signatures(&mut self, seal_bytes: &[u8]) {
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
                trusted: false,
                untrusted_reason: None,
                proven_time: None,
                timestamp: None,
            });
        }
    }

    /// Step 6: which seal signatures count, and (with a policy) whether
    /// every custody event is by a key trusted for custody at its time.
    /// Decided last, once every signature and time is known.
    fn decide_trust(&mut self, trust: &TrustSet) {
        // A proven time is the genTime of a trusted token, to the second
        // below it (policy windows are whole seconds).
        let proven = |time: Option<crate::tsp::GenTime>| {
            time.and_then(|t| crate::time::UtcTime::from_unix_seconds(t.unix_seconds()).ok())
        };
        for signer in &mut self.report.signers {
            let time = SigningTime {
                claimed: signer.signed_at,
                proven: proven(signer.proven_time),
            };
            let decision = trust.decide(&signer.key_id, Role::Seal, time);
            signer.trusted = signer.valid && decision.is_ok();
            signer.untrusted_reason = decision.err().map(|r| r.as_str().to_string());
        }
        for event in &mut self.report.custody {
            let time = SigningTime {
                claimed: Some(event.time),
                proven: proven(event.proven_time),
            };
            let decision = trust.decide(&event.actor_key_id, Role::Custody, time);
            event.trusted = event.signature_valid && decision.is_ok();
            event.untrusted_reason = decision.err().map(|r| r.as_str().to_string());
        }
        self.report.trust = TrustUsed {
            min_signers: trust.min_signers(),
            custody_must_be_trusted: trust.policy().is_some(),
            policy: trust.policy().map(|p| PolicyUsed {
                path: p.path.display().to_string(),
                sha256: p.sha256,
            }),
        };
    }

    fn check_custody(&mut self, seal_bytes: &[u8]) {
        let names: Vec<String> = self
            .tags
            .keys()
            .filter(|n| n.starts_with(CUSTODY_DIR))
            .cloned()
            .collect();
        let events = custody::gather_events(names.iter().map(String::as_str), |name| {
            self.read_tag(name, MAX_RECORD_BYTES)
        });
        // Trust is decided in decide_trust, with each event's time.
        let chain = custody::check_chain(&events, seal_bytes);
        self.report.problems.extend(chain.problems);
        self.report.warnings.extend(chain.warnings);
        self.report.custody = chain.events.iter().map(CustodyEntry::from).collect();
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

/// What checking one payload file gave.
struct Checked {
    /// `None` when it could not be read to its end.
    digest: Option<FileDigest>,
    /// Its Merkle leaf when the root is folded (`Some(None)`: no salt).
    leaf: Option<Option<merkle::Hash>>,
    problems: Vec<Problem>,
}

/// Counts and hashes the bytes read through it.
struct HashingReader<R> {
    inner: R,
    hasher: sha2::Sha256,
    count: u64,
}

impl<R: io::Read> io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

/// The SHA-256 of an entry, streamed; over `limit` bytes is an error.
fn stream_sha256(
    bundle: &Bundle,
    entry: &crate::store::Entry,
    limit: u64,
) -> Result<Sha256Digest, StoreError> {
    let mut hasher = new_hasher("sha256").ok_or_else(|| StoreError::Io {
        path: entry.name.clone(),
        error: io::Error::other("no SHA-256"),
    })?;
    let digest = stream_digest(bundle, entry, limit, &mut *hasher)?;
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&digest);
    Ok(Sha256Digest(bytes))
}

/// An entry's digest under `hasher`, streamed; over `limit` bytes is the
/// error [`Bundle::read_entry`] gives.
fn stream_digest(
    bundle: &Bundle,
    entry: &crate::store::Entry,
    limit: u64,
    hasher: &mut (dyn DynDigest + Send),
) -> Result<Box<[u8]>, StoreError> {
    let too_large = |size| StoreError::TooLarge {
        path: entry.name.clone(),
        size,
        limit,
    };
    if entry.size > limit {
        return Err(too_large(entry.size));
    }
    let mut reader = bundle.open_entry(entry)?.take(limit + 1);
    let mut buf = vec![0u8; 64 << 10];
    let mut count = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                return Err(StoreError::Io {
                    path: entry.name.clone(),
                    error,
                })
            }
        };
        hasher.update(&buf[..n]);
        count += n as u64;
    }
    if count > limit {
        return Err(too_large(count));
    }
    Ok(hasher.finalize_reset())
}

/// What one read pass over a payload entry computed.
struct EntryDigests {
    /// SHA-256 and BLAKE3.
    digest: FileDigest,
    /// `(algorithm, digest)` for the other manifest algorithms.
    foreign: Vec<(String, Vec<u8>)>,
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
        .map(|(a, h)| (a, h.finalize().into_vec()))
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
