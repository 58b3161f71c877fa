//! Verification: every check of SPEC.md, in order, over an opened bundle.
//! A problem is data in the [`Report`], never an early return, so the
//! receiver gets the full list.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};
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
use crate::report::{BundleKind, Outcome, PayloadRow, PolicyUsed, Report, SignerReport, TrustUsed};
use crate::store::{copy_into_directory, Bundle, EntryKind, StoreError};
use crate::trust::{Role, SigningTime, TrustSet};

mod disclosure;
mod tags_only;

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
    v.load_fetch();
    v.load_manifests();
    // Opened with its tag files only (inspect, disclose): no payload listing
    // to hold the manifests against; the tag manifests are cheap.
    let listed = bundle.payload_listed();
    if listed {
        v.check_fetch_listed();
    }
    if options.hash_payload && listed {
        v.check_payload(options);
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

struct Manifest {
    file: String,
    algorithm: String,
    /// Path to lowercase hex digest (boxed: a million of these add up).
    digests: HashMap<Box<str>, Box<str>>,
    /// Files in the bag that this manifest lists under another spelling of
    /// their name (case, normalization): name in the bag to listed name.
    aliases: HashMap<Box<str>, Box<str>>,
}

impl Manifest {
    /// The digest listed for a file in the bag, under its name or an alias.
    fn listed(&self, name: &str) -> Option<&str> {
        self.digests
            .get(name)
            .or_else(|| self.aliases.get(name).and_then(|a| self.digests.get(a)))
            .map(|d| &**d)
    }
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
                // Exhibit keeps NFC and NFD spellings apart and says so in
                // its format; a plain bag is told about both kinds.
                let key = if self.rules.name_aliases {
                    paths::alias_key(&entry.name)
                } else {
                    paths::case_fold_key(&path)
                };
                if let Some(other) = folded.insert(key, &entry.name) {
                    let how = paths::alias_difference(other, &entry.name);
                    let collide = if how == "letter case" {
                        "case-insensitive"
                    } else {
                        "normalizing"
                    };
                    self.report.warnings.push(Problem::new(
                        ProblemCode::PathDuplicate,
                        Some(&entry.name),
                        format!("differs from {other:?} only by {how}; they collide on {collide} file systems"),
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
            let missing_from: Vec<&str> = self
                .manifests
                .iter()
                .filter(|m| !m.digests.contains_key(path.as_str()))
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
        if !self.bundle.payload_listed() {
            return Some(tags_only::unread_manifest(name, algorithm));
        }
        let lines = self.read_manifest_lines(name, hex_len)?;
        let mut digests = HashMap::with_capacity(lines.len());
        for line in lines {
            if self.is_payload_path(name, line.line, &line.path) {
                digests.insert(line.path.into_boxed_str(), line.digest.into_boxed_str());
            }
        }
        Some(Manifest {
            file: name.into(),
            algorithm: algorithm.into(),
            digests,
            aliases: HashMap::new(),
        })
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
            let lines = |n: usize| if n == 1 { "line puts" } else { "lines put" };
            let paths = |n: usize| if n == 1 { "line starts" } else { "lines start" };
            if markers > 0 {
                self.warning(
                    ProblemCode::ManifestNonstandard,
                    Some(name),
                    format!(
                        "{markers} {} md5sum's binary-mode '*' before the path; read as a marker, not part of the name",
                        lines(markers)
                    ),
                );
            }
            if dot_slashes > 0 {
                self.warning(
                    ProblemCode::ManifestNonstandard,
                    Some(name),
                    format!(
                        "{dot_slashes} {} the path with './'; read relative to the bag root",
                        paths(dot_slashes)
                    ),
                );
            }
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
        let present: BTreeSet<&str> = self.payload.iter().map(|e| e.name.as_str()).collect();
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
            let mut listed_missing: Vec<&str> = manifest
                .digests
                .keys()
                .map(|p| &**p)
                .filter(|p| !present.contains(p))
                .collect();
            listed_missing.sort_unstable();
            for path in listed_missing {
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
                    let digest = &manifest.digests[path];
                    let candidates = by_alias
                        .get(&paths::alias_key(path))
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    // The same file listed twice under two spellings.
                    let twice = candidates
                        .iter()
                        .find(|c| manifest.digests.get(**c) == Some(digest));
                    // Or listed once, under a spelling other than the bag's.
                    let renamed = match candidates {
                        [only]
                            if !manifest.digests.contains_key(*only)
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
            .filter(|p| !present.contains(p.as_str()))
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

    /// Step 2: every payload file is listed, present, and matches.
    fn check_payload(&mut self, options: &VerifyOptions<'_>) {
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
                match manifest.listed(&entry.name) {
                    None => problems.push(Problem::new(
                        ProblemCode::PayloadUnlisted,
                        Some(&entry.name),
                        format!("not listed in {}", manifest.file),
                    )),
                    Some(listed) if listed != actual => problems.push(Problem::new(
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
        self.report.payload = self
            .payload
            .iter()
            .zip(&self.digests)
            .map(|(entry, digest)| PayloadRow {
                path: entry.name.clone(),
                size: digest.map_or(0, |d| d.size),
                sha256: digest.map(|d| d.sha256),
            })
            .collect();
        self.report.file_count = self.payload.len() as u64;
        self.report.total_bytes = self.digests.iter().flatten().map(|d| d.size).sum();

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
                let actual =
                    tags_only::digest_entry(self.bundle, entry, MAX_MANIFEST_BYTES, &algorithm);
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
            self.report.problems.extend(check.problems);
            self.report.warnings.extend(check.warnings);
            let proven_time = check.report.proven_time();
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
                *report = Some(check.report);
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
                self.hash_tag(name, MAX_MANIFEST_BYTES)
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
        let chain = custody::check_chain(&events, seal_bytes, &|_| false);
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
