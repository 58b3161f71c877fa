//! `seal`: turns source files and folders into a new bundle in one read
//! pass per file (copied while SHA-256 and BLAKE3 are computed), then writes
//! the manifests, the seal statement, its signature and the first custody
//! event. The bundle appears at its final path only when complete.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::digest::{hash_bytes, FileDigest, Sha256Digest, PIPELINE_THRESHOLD};
use crate::format::bag::{BagError, BagInfo, PayloadOxum, BAGIT_TXT};
use crate::format::custody::{format_head, sign_event, Action, NewEvent};
use crate::format::document::Party;
use crate::format::salt::{Salter, MERKLE_SALTS_PATH};
use crate::format::seal::{
    PayloadSummary, SealStatement, TagDigests, Tool, BLAKE3_MANIFEST_PATH, SEAL_PATH, SEAL_TYPE,
};
use crate::format::signature::{cert_signature_path, signature_path, SignatureRecord};
use crate::format::timestamp::TokenTarget;
use crate::keys::{KeyId, Signer};
use crate::ops::ltv::material_for_token;
use crate::ops::planned::{PlanError, PlannedSeal};
use crate::ops::sources::{collect_sources, PayloadFile, Sources, SourcesError};
use crate::ops::timestamp::{stamp, TsaError};
use crate::ops::Observer;
use crate::store::{copy_into_directory, StagedBundle, StoreError};
use crate::time::UtcTime;
use crate::tsp::http::Authority;

mod finish;
#[cfg(feature = "native")]
mod images;
mod records;
mod shard;
pub use finish::seal_finish;
use records::{PayloadRecords, Records, Spilled};
pub use shard::{seal_shard, SealShardRequest};

/// Small files are read whole, hashed in parallel, then written in order;
/// a batch holds at most this many bytes and files (and a folder bundle is
/// filled this many files at a time).
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
    /// An Ed25519 key, or an X.509 certificate with its key.
    pub key: Signer<'a>,
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
    /// `seal --plan`: the checked parts; the payload must be the planned
    /// one and every file must read as its shard hashed it.
    pub planned: Option<&'a PlannedSeal>,
    /// Forensic images among the sources: checked against their stored
    /// hashes and recorded in the seal statement.
    pub images: ImageChecks,
    /// Raw images and the logs their imagers wrote (`--acquisition-log
    /// SOURCE=LOG`), each image a file among the sources.
    pub acquisition_logs: &'a [(PathBuf, PathBuf)],
}

/// Whether and how `seal` checks the images among its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageChecks {
    /// `--image-check auto` (true) or `none`.
    pub check: bool,
    /// `--allow-image-mismatch`: seal an image that does not match its
    /// stored hashes, recorded as a mismatch.
    pub allow_mismatch: bool,
}

impl Default for ImageChecks {
    fn default() -> Self {
        ImageChecks {
            check: true,
            allow_mismatch: false,
        }
    }
}

/// What was sealed.
#[derive(Debug, Clone)]
pub struct SealSummary {
    pub output: PathBuf,
    pub file_count: u64,
    pub total_bytes: u64,
    pub key_id: KeyId,
    pub merkle_root: Sha256Digest,
    /// The custody log's head after the seal event (`1:<sha256>`), for the
    /// examiner to pass on by another channel.
    pub custody_head: String,
    pub symlinks: usize,
    pub empty_directories: usize,
    /// The forensic images checked, as the seal statement records them.
    pub acquisition: Vec<crate::format::acquisition::Acquisition>,
}

/// Why a bundle could not be sealed (nothing is left at the output path).
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// The sources cannot be sealed as they are (`ops::sources`).
    #[error(transparent)]
    Sources(#[from] SourcesError),
    #[error("{}: {reason}", path.display())]
    Source { path: PathBuf, reason: String },
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
    #[error("metadata: {0}")]
    Metadata(String),
    #[error("{0}; nothing was sealed")]
    NoSpace(crate::fsx::NotEnoughSpace),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tsa(#[from] TsaError),
    #[error(transparent)]
    Plan(#[from] Box<PlanError>),
    #[error("signing with the certificate: {0}")]
    Certificate(String),
    #[cfg(feature = "native")]
    #[error(transparent)]
    Image(Box<crate::image::ImageError>),
    #[error("{image}: the image does not match the hashes its imager stored ({detail}); nothing was sealed")]
    ImageMismatch { image: String, detail: String },
    #[error("{image}: its segment {} is not among the files being sealed; seal every segment of an image together", segment.display())]
    ImageSegmentLeftOut { image: String, segment: PathBuf },
    #[error("{}: {reason}", log.display())]
    AcquisitionLog { log: PathBuf, reason: String },
    #[error("{}: the image an acquisition log is given for is not among the files being sealed", .0.display())]
    AcquisitionLogImage(PathBuf),
}

// Not `#[from]`: that would make the space error the source too, and the
// one line printed would say it twice.
impl From<crate::fsx::NotEnoughSpace> for SealError {
    fn from(error: crate::fsx::NotEnoughSpace) -> Self {
        SealError::NoSpace(error)
    }
}

impl From<PlanError> for SealError {
    fn from(error: PlanError) -> Self {
        SealError::Plan(Box::new(error))
    }
}

impl From<BagError> for SealError {
    fn from(e: BagError) -> Self {
        SealError::Metadata(e.to_string())
    }
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
    #[cfg(feature = "native")]
    let acquisition = {
        let mut found = images::check_images(request.images, &sources, observer)?;
        found.extend(images::check_logged_images(
            request.images,
            request.acquisition_logs,
            &sources,
            observer,
        )?);
        found.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        found
    };
    #[cfg(not(feature = "native"))]
    let acquisition = Vec::new();
    let total_bytes = sources.total_bytes();
    crate::fsx::check_space(request.output, total_bytes)?;
    let bag_info = build_bag_info(
        request,
        PayloadOxum {
            octets: total_bytes,
            streams: sources.payload.len() as u64,
        },
    )?;
    observer.will_stage();
    let staged = StagedBundle::create(request.output, request.time)?;
    let temp = staged.temp_path().to_path_buf();
    observer.staging(&temp);
    observer.start("sealing", total_bytes);
    let sealed = write_bundle(
        staged,
        request,
        &sources,
        &bag_info.to_bytes(),
        acquisition,
        observer,
    );
    observer.finish();
    observer.staged(&temp);
    sealed
}

/// Writes every file of the new bundle, then renames it into place. In a
/// zip, `bagit.txt` and `data/` come first and the payload right after
/// them, so that every payload entry's place follows from the names and
/// sizes before it (what lets shards write them: `store::planned`); the
/// tag files follow the payload, in path order.
fn write_bundle(
    mut staged: StagedBundle,
    request: &SealRequest<'_>,
    sources: &Sources,
    bag_info_bytes: &[u8],
    acquisition: Vec<crate::format::acquisition::Acquisition>,
    observer: &dyn Observer,
) -> Result<SealSummary, SealError> {
    let progress = &|n| observer.advance(n);
    staged.write_bytes("bagit.txt", BAGIT_TXT.as_bytes())?;
    staged.write_payload_dir()?;
    let mut records =
        PayloadRecords::create(crate::fsx::parent_or_dot(request.output), salter(request))?;
    if let Some(planned) = request.planned {
        records.planned = Some(planned.digest_check().map_err(Box::new)?);
    }
    copy_payload(&mut staged, sources, &mut records, progress)?;
    if let Some(planned) = records.planned.take() {
        planned.finish().map_err(Box::new)?;
    }
    staged.write_bytes("bag-info.txt", bag_info_bytes)?;
    let walked = Walked {
        symlinks: &sources.symlinks,
        empty_directories: &sources.empty_directories,
        acquisition,
    };
    write_metadata(
        staged,
        request,
        records.finish()?,
        bag_info_bytes,
        walked,
        observer,
    )
}

/// The salts of the payload's Merkle leaves: derived from an Ed25519 key
/// (the same sources sealed twice give the same bundle), random with a
/// certificate (its signatures are not deterministic anyway).
fn salter(request: &SealRequest<'_>) -> Salter {
    match request.key {
        Signer::Key(key) => Salter::new(key, &request.case_id, &request.exhibit_id, request.time),
        Signer::Cert(_) => Salter::random(&request.case_id, &request.exhibit_id, request.time),
    }
}

/// What the seal statement records beside the payload files.
struct Walked<'a> {
    symlinks: &'a [crate::format::seal::SymlinkRecord],
    empty_directories: &'a [String],
    acquisition: Vec<crate::format::acquisition::Acquisition>,
}

/// After the payload and `bag-info.txt`: the seal statement, its
/// signature, the first custody event, tokens, the manifests, and the
/// rename into place.
fn write_metadata(
    mut staged: StagedBundle,
    request: &SealRequest<'_>,
    records: Records,
    bag_info_bytes: &[u8],
    walked: Walked<'_>,
    observer: &dyn Observer,
) -> Result<SealSummary, SealError> {
    let Records {
        mut sha256_manifest,
        mut blake3_manifest,
        mut salts,
        merkle_root,
        file_count,
        total_bytes,
    } = records;
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
            file_count,
            total_bytes,
            merkle_root,
            merkle_leaf: records::ENCODING.name().into(),
        },
        tag_digests: TagDigests {
            manifest_sha256: sha256_manifest.digest.sha256,
            manifest_blake3: blake3_manifest.digest.sha256,
            merkle_salts: Some(salts.digest.sha256),
            bag_info: Sha256Digest::of(bag_info_bytes),
        },
        symlinks: walked.symlinks.to_vec(),
        empty_directories: walked.empty_directories.to_vec(),
        acquisition: walked.acquisition,
    };
    let seal_bytes = statement.to_bytes();
    let key_id = request.key.id();
    let certificate = |e: String| SealError::Certificate(e);
    let (signature_file, mut signature) = match request.key {
        Signer::Key(key) => {
            let record =
                SignatureRecord::for_seal(key, request.signer.clone(), &seal_bytes, request.time);
            (signature_path(&key_id), record.to_bytes())
        }
        Signer::Cert(cert) => (
            cert_signature_path(&key_id),
            cert.sign_detached(&seal_bytes, request.time)
                .map_err(certificate)?,
        ),
    };
    let seal_event = NewEvent {
        sequence: 1,
        action: Action::Seal,
        actor: request.signer.clone(),
        time: request.time,
        note: None,
        location: None,
        recipient: None,
    };
    let mut seal_event =
        sign_event(request.key, seal_event, &seal_bytes, None).map_err(certificate)?;
    let event_paths = seal_event.paths();
    // Asked after the payload is copied (the signatures cover it) and
    // before anything is renamed into place: a TSA that fails leaves no
    // bundle behind.
    let tokens = match request.tsa {
        Some(authority) => {
            let seal_token = stamp(authority, &mut signature)?;
            let event_token = stamp(authority, &mut seal_event.signature)?;
            Some((seal_token, event_token))
        }
        None => None,
    };
    // Both tokens are the same TSA's: one chain to ask about.
    let material = match (&tokens, request.tsa) {
        (Some((seal_token, _)), Some(authority)) => {
            material_for_token(&seal_token.response, authority.timeout(), observer)
        }
        _ => Vec::new(),
    };

    // In path order, so a zip bundle's entries are sorted.
    staged.write_bytes(&event_paths.event, &seal_event.event)?;
    staged.write_bytes(&event_paths.signature, &seal_event.signature)?;
    if let Some((_, event_token)) = &tokens {
        staged.write_bytes(&TokenTarget::Custody(1).token_path(), &event_token.response)?;
    }
    copy_spilled(&mut staged, BLAKE3_MANIFEST_PATH, &mut blake3_manifest)?;
    copy_spilled(&mut staged, MERKLE_SALTS_PATH, &mut salts)?;
    staged.write_bytes(SEAL_PATH, &seal_bytes)?;
    staged.write_bytes(&signature_file, &signature)?;
    if let Some((seal_token, _)) = &tokens {
        staged.write_bytes(
            &TokenTarget::Seal(key_id).token_path(),
            &seal_token.response,
        )?;
    }
    for file in &material {
        staged.write_bytes(&file.name, &file.bytes)?;
    }
    copy_spilled(&mut staged, "manifest-sha256.txt", &mut sha256_manifest)?;
    let output = staged.commit()?;

    Ok(SealSummary {
        output,
        file_count,
        total_bytes,
        key_id,
        merkle_root,
        custody_head: format_head(1, &Sha256Digest::of(&seal_event.event)),
        symlinks: statement.symlinks.len(),
        empty_directories: statement.empty_directories.len(),
        acquisition: statement.acquisition,
    })
}

/// Copies a list written while the payload was copied into the bundle,
/// making sure the bytes are the ones its digest (in the seal) covers.
fn copy_spilled(
    staged: &mut StagedBundle,
    name: &str,
    spilled: &mut Spilled,
) -> Result<(), SealError> {
    let written = staged.write_stream(name, spilled.digest.size, &mut spilled.file, &|_| {})?;
    if written != spilled.digest {
        return Err(SealError::Store(StoreError::Io {
            path: name.into(),
            error: std::io::Error::other("temporary copy changed while sealing"),
        }));
    }
    Ok(())
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
            return Err(SealError::Metadata(format!(
                "bag-info label {label}: given twice"
            )));
        }
        if RESERVED_LABELS
            .iter()
            .any(|r| r.eq_ignore_ascii_case(label))
        {
            return Err(SealError::Metadata(format!(
                "bag-info label {label}: written by exhibit itself"
            )));
        }
        info.push(label, value)?;
    }
    Ok(info)
}

/// Copies and hashes every payload file, handing each run of files to
/// `records` in bag order.
fn copy_payload(
    staged: &mut StagedBundle,
    sources: &Sources,
    records: &mut PayloadRecords,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), SealError> {
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
    let count = sources.payload.len();
    if let Some(root) = staged.directory_root() {
        // Directory bundle: every file is independent, copy them in parallel.
        let root = root.to_path_buf();
        for start in (0..count).step_by(BATCH_FILES) {
            let files = sources.files(start..count.min(start + BATCH_FILES))?;
            let digests = files
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
                .collect::<Result<Vec<_>, SealError>>()?;
            records.add(&files, &digests)?;
        }
        return Ok(());
    }

    // Zip bundle: entries must be written one after another, in order.
    // Large files stream through the hashing pipeline straight into the
    // zip; runs of small files are read and hashed in parallel while the
    // previous run is being written.
    let mut pending: Option<ReadRun> = None;
    let mut spare = Vec::new();
    let mut next = 0;
    while next < count || pending.is_some() {
        let large = next < count && sources.size(next) >= PIPELINE_THRESHOLD;
        let run_len = if large {
            0
        } else {
            small_run_len(sources, next)
        };
        let run = next..next + run_len;
        let buffer = std::mem::take(&mut spare);
        let (written, read) = rayon::join(
            || -> Result<Vec<u8>, SealError> {
                let mut freed = Vec::new();
                if let Some((files, run)) = pending.take() {
                    let mut start = 0;
                    for (file, digest) in files.iter().zip(&run.digests) {
                        let end = start + digest.size as usize;
                        staged.write_bytes(file.bag_path.as_str(), &run.bytes[start..end])?;
                        start = end;
                    }
                    records.add(&files, &run.digests)?;
                    freed = run.bytes;
                }
                Ok(freed)
            },
            || -> Result<Option<ReadRun>, SealError> {
                if run.is_empty() {
                    return Ok(None);
                }
                let files = sources.files(run.clone())?;
                let contents = read_small_files(&files, buffer, progress)?;
                Ok(Some((files, contents)))
            },
        );
        spare = written?;
        pending = read?;
        next += run_len;
        if large && pending.is_none() {
            let file = sources.file(next)?;
            let mut source = File::open(&file.source).map_err(|e| source_error(&file.source, e))?;
            let digest =
                staged.write_stream(file.bag_path.as_str(), file.size, &mut source, progress)?;
            records.add(std::slice::from_ref(&file), &[check(&file, digest)?])?;
            next += 1;
        }
    }
    Ok(())
}

/// A run of small files and their contents and digests, read ahead.
type ReadRun = (Vec<PayloadFile>, SmallRun);

/// The contents of a run of small files, one after another, and each
/// one's digest (whose size is its length in `bytes`).
struct SmallRun {
    bytes: Vec<u8>,
    digests: Vec<FileDigest>,
}

/// How many files from `start` make the next run of small files.
fn small_run_len(sources: &Sources, start: usize) -> usize {
    let mut bytes = 0u64;
    let run = (start..sources.payload.len())
        .take(BATCH_FILES)
        .map(|i| sources.size(i))
        .take_while(|&size| {
            bytes += size;
            size < PIPELINE_THRESHOLD && bytes <= BATCH_BYTES
        })
        .count();
    let first_is_small = start < sources.payload.len() && sources.size(start) < PIPELINE_THRESHOLD;
    run.max(usize::from(first_is_small))
}

/// Reads a run of small files into `bytes` (each at the offset its
/// listed size gives) and hashes them, in parallel. The writer hands the
/// buffer back for the run after next: no allocation per file (buffers
/// read on one thread and freed on the writer's made the allocator's
/// locks a visible cost of small-file seals).
fn read_small_files(
    files: &[PayloadFile],
    mut bytes: Vec<u8>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SmallRun, SealError> {
    let total: u64 = files.iter().map(|f| f.size).sum();
    bytes.clear();
    bytes.resize(total as usize, 0);
    let mut slots = Vec::with_capacity(files.len());
    let mut rest = bytes.as_mut_slice();
    for file in files {
        let (slot, tail) = rest.split_at_mut(file.size as usize);
        slots.push(slot);
        rest = tail;
    }
    let digests = files
        .par_iter()
        .zip(slots)
        .map(|(file, slot)| {
            let read =
                read_listed(&file.source, slot).map_err(|e| source_error(&file.source, e))?;
            match read {
                Listed::Whole => {
                    progress(file.size);
                    Ok(hash_bytes(slot))
                }
                Listed::Shorter(n) | Listed::Longer(n) => Err(SealError::Changed {
                    path: file.source.clone(),
                    expected: file.size,
                    actual: n,
                }),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(SmallRun { bytes, digests })
}

/// How a file compared with its listed size when read.
enum Listed {
    Whole,
    Shorter(u64),
    /// Longer: its length now (at least one more byte than listed).
    Longer(u64),
}

/// Reads a file into `slot`, its listed size, and checks that it ends
/// there: two reads for a small file, as `fs::read` costs, without the
/// `statx` it makes to size its buffer.
fn read_listed(path: &Path, slot: &mut [u8]) -> std::io::Result<Listed> {
    let mut file = File::open(path)?;
    let (n, at_end) = crate::digest::read_full(&mut file, slot)?;
    if n < slot.len() {
        return Ok(Listed::Shorter(n as u64));
    }
    if !at_end && file.read(&mut [0u8; 1])? > 0 {
        let now = file.metadata().map_or(n as u64 + 1, |m| m.len());
        return Ok(Listed::Longer(now.max(n as u64 + 1)));
    }
    Ok(Listed::Whole)
}

fn source_error(path: &Path, error: std::io::Error) -> SealError {
    SealError::Source {
        path: path.into(),
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read against its listed size: the same, shorter, longer.
    #[test]
    fn read_listed_tells_a_file_that_changed_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        let mut slot = [0u8; 5];
        assert!(matches!(read_listed(&path, &mut slot), Ok(Listed::Whole)));
        assert_eq!(&slot, b"12345");
        let mut slot = [0u8; 8];
        assert!(matches!(
            read_listed(&path, &mut slot),
            Ok(Listed::Shorter(5))
        ));
        let mut slot = [0u8; 3];
        assert!(matches!(
            read_listed(&path, &mut slot),
            Ok(Listed::Longer(5))
        ));
        let mut slot = [0u8; 0];
        assert!(matches!(
            read_listed(&path, &mut slot),
            Ok(Listed::Longer(5))
        ));
        std::fs::write(&path, b"").unwrap();
        assert!(matches!(read_listed(&path, &mut slot), Ok(Listed::Whole)));
    }
}
