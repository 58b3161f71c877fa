//! `seal`: turns source files and folders into a new bundle in one read
//! pass per file (copied while SHA-256 and BLAKE3 are computed), then writes
//! the manifests, the seal statement, its signature and the first custody
//! event. The bundle appears at its final path only when complete.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::digest::{hash_bytes, hash_stream, FileDigest, Sha256Digest, PIPELINE_THRESHOLD};
use crate::format::bag::{write_manifest, BagError, BagInfo, PayloadOxum, BAGIT_TXT};
use crate::format::custody::{sign_event, Action, NewEvent};
use crate::format::document::Party;
use crate::format::merkle::{self, LeafInput};
use crate::format::paths::{BagPath, PathError};
use crate::format::salt::{Salter, MERKLE_SALTS_PATH};
use crate::format::seal::{
    PayloadSummary, SealStatement, SymlinkRecord, TagDigests, Tool, BLAKE3_MANIFEST_PATH,
    SEAL_PATH, SEAL_TYPE,
};
use crate::format::signature::{signature_path, SignatureRecord};
use crate::format::timestamp::TokenTarget;
use crate::keys::{KeyId, SecretKey};
use crate::ops::timestamp::{fetch_token, TsaError};
use crate::ops::Observer;
use crate::store::{copy_into_directory, StagedBundle, StoreError};
use crate::time::UtcTime;
use crate::tsp::http::Authority;
use crate::walk::{walk, SourceKind};

/// Small files are read whole, hashed in parallel, then written in order;
/// a batch holds at most this many bytes.
const BATCH_BYTES: u64 = 8 << 20;
const BATCH_FILES: usize = 4096;

/// Labels `seal` writes itself; `--meta` may not override them.
const RESERVED_LABELS: &[&str] = &[
    "Bag-Software-Agent",
    "Bagging-Date",
    "External-Identifier",
    "External-Description",
    "Source-Organization",
    "Contact-Name",
    "Payload-Oxum",
    "Case-Id",
    "Exhibit-Id",
    "Bag-Size",
    "Bag-Group-Identifier",
    "Bag-Count",
];

/// Everything `seal` needs to know.
pub struct SealRequest<'a> {
    pub sources: &'a [PathBuf],
    pub output: &'a Path,
    pub key: &'a SecretKey,
    /// Claimed identity of the key holder (signature record, custody actor).
    pub signer: Party,
    pub case_id: String,
    pub exhibit_id: String,
    pub examiner: Party,
    pub description: Option<String>,
    pub metadata: Vec<(String, String)>,
    pub time: UtcTime,
    /// Time-stamp the seal signature and the seal event's signature with
    /// this TSA; if it fails, nothing is sealed.
    pub tsa: Option<&'a dyn Authority>,
}

/// What was sealed.
#[derive(Debug, Clone)]
pub struct SealSummary {
    pub output: PathBuf,
    pub file_count: u64,
    pub total_bytes: u64,
    pub key_id: KeyId,
    pub merkle_root: Sha256Digest,
    pub symlinks: usize,
    pub empty_directories: usize,
}

/// Why a bundle could not be sealed (nothing is left at the output path).
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("{}: {reason}", path.display())]
    Source { path: PathBuf, reason: String },
    #[error("two sources are both named {0:?}: each source goes to data/<its name>, rename one")]
    DuplicateSource(String),
    #[error("{}: {what} cannot be sealed (only regular files, folders and symbolic links)", path.display())]
    SpecialFile { path: PathBuf, what: &'static str },
    #[error("{}: changed while being sealed ({expected} bytes when listed, {actual} when read)", path.display())]
    Changed {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    #[error("{}: is inside the source {}; the next seal of that source would include it; write the bundle elsewhere", output.display(), inside.display())]
    OutputInsideSource { output: PathBuf, inside: PathBuf },
    #[error("{}: already exists; choose a new output path", .0.display())]
    OutputExists(PathBuf),
    #[error("{0}")]
    Name(#[from] PathError),
    #[error("metadata: {0}")]
    Metadata(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tsa(#[from] TsaError),
}

impl From<BagError> for SealError {
    fn from(e: BagError) -> Self {
        SealError::Metadata(e.to_string())
    }
}

struct PayloadFile {
    bag_path: BagPath,
    source: PathBuf,
    size: u64,
}

/// The checks that need no key and read no data, so a mistake is caught
/// before a passphrase is asked for or a byte is hashed: every source
/// exists, the output does not, and the output is not inside (or equal to)
/// a source.
pub fn check_paths(sources: &[PathBuf], output: &Path) -> Result<(), SealError> {
    if std::fs::symlink_metadata(output).is_ok() {
        return Err(SealError::OutputExists(output.into()));
    }
    let output_abs = absolute_beside(output);
    for source in sources {
        if let Err(error) = std::fs::symlink_metadata(source) {
            return Err(source_error(source, error));
        }
        let source_abs = std::fs::canonicalize(source).unwrap_or_else(|_| source.clone());
        if output_abs
            .as_deref()
            .is_some_and(|out| out.starts_with(&source_abs))
        {
            return Err(SealError::OutputInsideSource {
                output: output.into(),
                inside: source.clone(),
            });
        }
    }
    Ok(())
}

/// Where `path` will be, with its folder resolved (the path itself does not
/// exist yet).
fn absolute_beside(path: &Path) -> Option<PathBuf> {
    let folder = std::fs::canonicalize(crate::fsx::parent_or_dot(path)).ok()?;
    Some(folder.join(path.file_name()?))
}

/// Temporary outputs that an earlier, interrupted seal to the same path
/// left beside it (`.NAME.partial-*`). Never removed here: one may belong
/// to a seal that is still running.
pub fn stale_partials(output: &Path) -> Vec<PathBuf> {
    let Some(name) = output.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.partial-");
    let folder = crate::fsx::parent_or_dot(output);
    let Ok(items) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = items
        .filter_map(Result::ok)
        .filter(|item| item.file_name().to_string_lossy().starts_with(&prefix))
        .map(|item| item.path())
        .collect();
    found.sort();
    found
}

/// Seals `request.sources` into a new bundle at `request.output`. The
/// observer learns the temporary path before anything is written (so an
/// interrupt can remove it) and sees the payload bytes as they are read.
pub fn seal(request: &SealRequest<'_>, observer: &dyn Observer) -> Result<SealSummary, SealError> {
    check_paths(request.sources, request.output)?;
    let sources = collect_sources(request.sources)?;
    let total_bytes: u64 = sources.payload.iter().map(|f| f.size).sum();
    let bag_info = build_bag_info(
        request,
        PayloadOxum {
            octets: total_bytes,
            streams: sources.payload.len() as u64,
        },
    )?;
    let staged = StagedBundle::create(request.output, request.time)?;
    let temp = staged.temp_path().to_path_buf();
    observer.staging(&temp);
    observer.start("sealing", total_bytes);
    let sealed = write_bundle(staged, request, &sources, &bag_info.to_bytes(), &|n| {
        observer.advance(n)
    });
    observer.finish();
    observer.staged(&temp);
    sealed
}

/// Writes every file of the new bundle in bag order, then renames it into
/// place.
fn write_bundle(
    mut staged: StagedBundle,
    request: &SealRequest<'_>,
    sources: &Sources,
    bag_info_bytes: &[u8],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SealSummary, SealError> {
    let Sources {
        payload,
        symlinks,
        empty_directories,
    } = sources;
    let total_bytes: u64 = payload.iter().map(|f| f.size).sum();
    // Zip entries are written in path order: these two sort before data/.
    staged.write_bytes("bag-info.txt", bag_info_bytes)?;
    staged.write_bytes("bagit.txt", BAGIT_TXT.as_bytes())?;
    staged.write_payload_dir()?;
    let digests = copy_payload(&mut staged, payload, progress)?;

    // The manifests are streamed twice, to hash them and to write them,
    // rather than held: each takes about 128 bytes per file, needed just
    // when the zip writer's own list of entries is at its largest. The
    // salts (32 bytes per file) are kept: each leaf needs its own.
    let salter = Salter::new(
        request.key,
        &request.case_id,
        &request.exhibit_id,
        request.time,
    );
    let salts: Vec<[u8; 32]> = payload
        .par_iter()
        .map(|f| salter.salt(f.bag_path.as_str()))
        .collect();
    let sha256_hex = |i: usize| digests[i].sha256.to_hex();
    let blake3_hex = |i: usize| digests[i].blake3.to_hex();
    let salt_hex = |i: usize| hex::encode(salts[i]);
    let sha256_manifest = || ManifestLines::new(payload, &sha256_hex);
    let blake3_manifest = || ManifestLines::new(payload, &blake3_hex);
    let salts_file = || ManifestLines::new(payload, &salt_hex);
    let encoding = merkle::LeafEncoding::V2;
    let merkle_root = Sha256Digest(merkle::root(
        &payload
            .iter()
            .zip(&digests)
            .zip(&salts)
            .map(|((f, d), salt)| {
                let input = LeafInput {
                    path: f.bag_path.as_str(),
                    size: d.size,
                    sha256: &d.sha256.0,
                    blake3: &d.blake3.0,
                    salt: Some(salt),
                };
                encoding.leaf(&input).expect("every leaf has a salt")
            })
            .collect::<Vec<_>>(),
    ));

    let manifest_sha256 = sha256_manifest().digest()?;
    let manifest_blake3 = blake3_manifest().digest()?;
    let merkle_salts = salts_file().digest()?;
    let statement = SealStatement {
        doc_type: SEAL_TYPE.into(),
        case_id: request.case_id.clone(),
        exhibit_id: request.exhibit_id.clone(),
        description: request.description.clone(),
        examiner: request.examiner.clone(),
        metadata: request.metadata.iter().cloned().collect(),
        sealed_at: request.time,
        tool: Tool::this(),
        payload: PayloadSummary {
            file_count: payload.len() as u64,
            total_bytes,
            merkle_root,
            merkle_leaf: encoding.name().into(),
        },
        tag_digests: TagDigests {
            manifest_sha256: manifest_sha256.sha256,
            manifest_blake3: manifest_blake3.sha256,
            merkle_salts: Some(merkle_salts.sha256),
            bag_info: Sha256Digest::of(bag_info_bytes),
        },
        symlinks: symlinks.clone(),
        empty_directories: empty_directories.clone(),
    };
    let seal_bytes = statement.to_bytes();
    let key_id = request.key.public_key().key_id();
    let signature = SignatureRecord::for_seal(
        request.key,
        request.signer.clone(),
        &seal_bytes,
        request.time,
    );
    let seal_event = NewEvent {
        sequence: 1,
        action: Action::Seal,
        actor: request.signer.clone(),
        time: request.time,
        note: None,
        location: None,
        recipient: None,
    };
    let seal_event = sign_event(request.key, seal_event, &seal_bytes, None);
    let event_paths = seal_event.paths();
    // Asked after the payload is copied (the signatures cover it) and
    // before anything is renamed into place: a TSA that fails leaves no
    // bundle behind.
    let tokens = match request.tsa {
        Some(authority) => {
            let seal_token = fetch_token(authority, &own_signature(&signature.to_bytes()))?;
            let event_token = fetch_token(authority, &own_signature(&seal_event.signature))?;
            Some((seal_token, event_token))
        }
        None => None,
    };

    // In path order, so a zip bundle's entries are sorted.
    staged.write_bytes(&event_paths.event, &seal_event.event)?;
    staged.write_bytes(&event_paths.signature, &seal_event.signature)?;
    if let Some((_, event_token)) = &tokens {
        staged.write_bytes(&TokenTarget::Custody(1).token_path(), &event_token.response)?;
    }
    staged.write_stream(
        BLAKE3_MANIFEST_PATH,
        manifest_blake3.size,
        &mut blake3_manifest(),
        &|_| {},
    )?;
    staged.write_stream(
        MERKLE_SALTS_PATH,
        merkle_salts.size,
        &mut salts_file(),
        &|_| {},
    )?;
    staged.write_bytes(SEAL_PATH, &seal_bytes)?;
    staged.write_bytes(&signature_path(&key_id), &signature.to_bytes())?;
    if let Some((seal_token, _)) = &tokens {
        staged.write_bytes(
            &TokenTarget::Seal(key_id).token_path(),
            &seal_token.response,
        )?;
    }
    staged.write_stream(
        "manifest-sha256.txt",
        manifest_sha256.size,
        &mut sha256_manifest(),
        &|_| {},
    )?;
    let output = staged.commit()?;

    Ok(SealSummary {
        output,
        file_count: payload.len() as u64,
        total_bytes,
        key_id,
        merkle_root,
        symlinks: symlinks.len(),
        empty_directories: empty_directories.len(),
    })
}

/// The raw signature bytes of a record this process has just made.
fn own_signature(record: &[u8]) -> [u8; 64] {
    SignatureRecord::parse(record, "new signature record")
        .ok()
        .and_then(|r| r.signature_bytes().ok())
        .expect("a record made here parses and holds 64 signature bytes")
}

/// One manifest (or the salts file), produced line by line as it is read,
/// never held whole: line `i` is `hex(i)` and the path of file `i`.
struct ManifestLines<'a> {
    files: std::iter::Enumerate<std::slice::Iter<'a, PayloadFile>>,
    hex: &'a (dyn Fn(usize) -> String + Sync),
    line: Vec<u8>,
    read: usize,
}

impl<'a> ManifestLines<'a> {
    fn new(payload: &'a [PayloadFile], hex: &'a (dyn Fn(usize) -> String + Sync)) -> Self {
        ManifestLines {
            files: payload.iter().enumerate(),
            hex,
            line: Vec::new(),
            read: 0,
        }
    }

    /// Size and digests of the whole manifest.
    fn digest(mut self) -> Result<FileDigest, StoreError> {
        hash_stream(&mut self, 0, None, &|_| {}).map_err(|error| StoreError::Io {
            path: "manifest".into(),
            error,
        })
    }
}

impl Read for ManifestLines<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read == self.line.len() {
            let Some((i, file)) = self.files.next() else {
                return Ok(0);
            };
            self.line = write_manifest([((self.hex)(i).as_str(), file.bag_path.as_str())]);
            self.read = 0;
        }
        let n = buf.len().min(self.line.len() - self.read);
        buf[..n].copy_from_slice(&self.line[self.read..self.read + n]);
        self.read += n;
        Ok(n)
    }
}

/// What the sources hold, in bag order.
struct Sources {
    payload: Vec<PayloadFile>,
    symlinks: Vec<SymlinkRecord>,
    empty_directories: Vec<String>,
}

fn collect_sources(sources: &[PathBuf]) -> Result<Sources, SealError> {
    let mut payload = Vec::new();
    let mut symlinks = Vec::new();
    let mut empty_directories = Vec::new();
    let mut root_names = std::collections::BTreeSet::new();
    for source in sources {
        let (entries, errors) = walk(source);
        if let Some(error) = errors.into_iter().next() {
            return Err(SealError::Source {
                path: error.path,
                reason: error.source.to_string(),
            });
        }
        if let Some(first) = entries.first() {
            let root = first
                .relative
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            if let Some(root) = root {
                if !root_names.insert(root.clone()) {
                    return Err(SealError::DuplicateSource(root));
                }
            }
        }
        for entry in entries {
            let bag_path = BagPath::from_source(&entry.relative)?;
            match entry.kind {
                SourceKind::File { size } => payload.push(PayloadFile {
                    bag_path,
                    source: entry.path,
                    size,
                }),
                SourceKind::Symlink { target } => {
                    let target = target.to_str().ok_or_else(|| SealError::Source {
                        path: entry.path.clone(),
                        reason: "symbolic link target is not valid UTF-8".into(),
                    })?;
                    symlinks.push(SymlinkRecord {
                        path: bag_path.as_str().into(),
                        target: target.into(),
                    });
                }
                SourceKind::EmptyDir => empty_directories.push(bag_path.as_str().to_string()),
                SourceKind::Special { what } => {
                    return Err(SealError::SpecialFile {
                        path: entry.path,
                        what,
                    })
                }
            }
        }
    }
    payload.sort_by(|a, b| {
        a.bag_path
            .as_str()
            .as_bytes()
            .cmp(b.bag_path.as_str().as_bytes())
    });
    symlinks.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    empty_directories.sort();
    Ok(Sources {
        payload,
        symlinks,
        empty_directories,
    })
}

fn build_bag_info(request: &SealRequest<'_>, oxum: PayloadOxum) -> Result<BagInfo, SealError> {
    let mut info = BagInfo::new();
    info.push(
        "Bag-Software-Agent",
        &format!("exhibit {}", env!("CARGO_PKG_VERSION")),
    )?;
    info.push("Bagging-Date", &request.time.date_string())?;
    info.push(
        "External-Identifier",
        &format!("{}/{}", request.case_id, request.exhibit_id),
    )?;
    info.push("Case-Id", &request.case_id)?;
    info.push("Exhibit-Id", &request.exhibit_id)?;
    if let Some(org) = &request.examiner.organization {
        info.push("Source-Organization", org)?;
    }
    if let Some(name) = &request.examiner.name {
        info.push("Contact-Name", name)?;
    }
    if let Some(description) = &request.description {
        info.push("External-Description", description)?;
    }
    info.push("Payload-Oxum", &oxum.to_string())?;
    let mut seen = std::collections::BTreeSet::new();
    for (label, value) in &request.metadata {
        if !seen.insert(label.to_ascii_lowercase()) {
            return Err(SealError::Metadata(format!("--meta {label}: given twice")));
        }
        if RESERVED_LABELS
            .iter()
            .any(|r| r.eq_ignore_ascii_case(label))
        {
            return Err(SealError::Metadata(format!(
                "--meta {label}: this label is written by exhibit itself"
            )));
        }
        info.push(label, value)?;
    }
    Ok(info)
}

/// Copies and hashes every payload file; digests come back in payload order.
fn copy_payload(
    staged: &mut StagedBundle,
    payload: &[PayloadFile],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<FileDigest>, SealError> {
    let check = |file: &PayloadFile, digest: FileDigest| {
        if digest.size == file.size {
            Ok(digest)
        } else {
            Err(SealError::Changed {
                path: file.source.clone(),
                expected: file.size,
                actual: digest.size,
            })
        }
    };
    if let Some(root) = staged.directory_root() {
        // Directory bundle: every file is independent, copy them in parallel.
        let root = root.to_path_buf();
        return payload
            .par_iter()
            .map(|file| {
                let mut source =
                    File::open(&file.source).map_err(|e| source_error(&file.source, e))?;
                let digest = copy_into_directory(
                    &root,
                    file.bag_path.as_str(),
                    file.size,
                    &mut source,
                    progress,
                )?;
                check(file, digest)
            })
            .collect();
    }

    // Zip bundle: entries must be written one after another, in order.
    // Large files stream through the hashing pipeline straight into the
    // zip; runs of small files are read and hashed in parallel while the
    // previous run is being written.
    let mut digests = Vec::with_capacity(payload.len());
    let mut pending: Option<ReadRun<'_>> = None;
    let mut rest = payload;
    while !rest.is_empty() || pending.is_some() {
        let large = rest.first().is_some_and(|f| f.size >= PIPELINE_THRESHOLD);
        let run_len = if large { 0 } else { small_run_len(rest) };
        let (run, after) = rest.split_at(run_len);
        let (written, read) = rayon::join(
            || -> Result<(), SealError> {
                if let Some((files, contents)) = pending.take() {
                    for (file, (bytes, digest)) in files.iter().zip(contents) {
                        staged.write_bytes(file.bag_path.as_str(), &bytes)?;
                        digests.push(check(file, digest)?);
                    }
                }
                Ok(())
            },
            || read_small_files(run, progress),
        );
        written?;
        pending = if run.is_empty() {
            None
        } else {
            Some((run, read?))
        };
        rest = after;
        if large && pending.is_none() {
            let file = &rest[0];
            let mut source = File::open(&file.source).map_err(|e| source_error(&file.source, e))?;
            let digest =
                staged.write_stream(file.bag_path.as_str(), file.size, &mut source, progress)?;
            digests.push(check(file, digest)?);
            rest = &rest[1..];
        }
    }
    Ok(digests)
}

/// A run of small files and their contents and digests, read ahead.
type ReadRun<'a> = (&'a [PayloadFile], Vec<(Vec<u8>, FileDigest)>);

fn small_run_len(files: &[PayloadFile]) -> usize {
    let mut bytes = 0u64;
    files
        .iter()
        .take(BATCH_FILES)
        .take_while(|f| {
            bytes += f.size;
            f.size < PIPELINE_THRESHOLD && bytes <= BATCH_BYTES
        })
        .count()
        .max(usize::from(
            files.first().is_some_and(|f| f.size < PIPELINE_THRESHOLD),
        ))
}

fn read_small_files(
    files: &[PayloadFile],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<(Vec<u8>, FileDigest)>, SealError> {
    files
        .par_iter()
        .map(|file| {
            let bytes = fs::read(&file.source).map_err(|e| source_error(&file.source, e))?;
            let digest = hash_bytes(&bytes);
            progress(bytes.len() as u64);
            Ok((bytes, digest))
        })
        .collect()
}

fn source_error(path: &Path, error: std::io::Error) -> SealError {
    SealError::Source {
        path: path.into(),
        reason: error.to_string(),
    }
}
