//! Step 2: every payload file is listed, present, and matches; one read pass per file.

use std::collections::BTreeSet;
use std::io::{self, Read, Write};

use rayon::prelude::*;

use crate::digest::{hash_stream, FileDigest, Sha256Digest};
use crate::format::bag;
use crate::format::merkle::LeafEncoding;
use crate::format::merkle::{self, LeafInput};
use crate::format::salt::MERKLE_SALTS_PATH;
use crate::format::verify_part::ReadDigests;
use crate::limits::MAX_MANIFEST_BYTES;
use crate::problem::{Problem, ProblemCode};
use crate::report::PayloadRow;
use crate::store::{copy_into_directory, Bundle, StoreError};

use super::merkle_root::Salts;
use super::missing::Unchecked;
use crate::digest::{OtherDigests, Sha256Reader, TeeReader};
use std::collections::BTreeMap;

use super::{Manifest, MerklePlan, Verification, VerifyOptions, HASH_BATCH};

/// A streamed manifest (or the salts) read again while the payload is
/// hashed: the digests of one batch of files are taken from it just before
/// the batch is hashed. The bytes are hashed again and must be the ones
/// read the first time.
type LineCursor = bag::ManifestCursor<Sha256Reader<io::Take<Box<dyn Read + Send>>>>;

fn open_cursor(bundle: &Bundle, entry: &crate::store::Entry, hex_len: usize) -> LineCursor {
    let (reader, failed): (Box<dyn Read + Send>, bool) = match bundle.open_entry(entry) {
        Ok(reader) => (reader, false),
        Err(_) => (Box::new(io::empty()), true),
    };
    let reader = Sha256Reader::new(reader.take(MAX_MANIFEST_BYTES + 1));
    bag::ManifestCursor::new(&entry.name, reader, hex_len, failed)
}

/// Reads a cursor to the end; the SHA-256 of what was read, `None` when it
/// could not be read again.
fn finish_cursor(cursor: LineCursor) -> Option<Sha256Digest> {
    let reader = cursor.finish()?;
    (reader.count() <= MAX_MANIFEST_BYTES).then(|| reader.digest())
}

/// What checking one payload file gave.
pub(super) struct Checked {
    /// `None` when it could not be read to its end.
    pub(super) digest: Option<FileDigest>,
    /// Its Merkle leaf when the root is folded (`Some(None)`: no salt).
    pub(super) leaf: Option<Option<merkle::Hash>>,
    pub(super) problems: Vec<Problem>,
}

/// Why a payload entry could not be read to its end.
#[derive(Debug, thiserror::Error)]
pub(super) enum EntryReadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] io::Error),
    /// Not read: a write to the extraction target failed before.
    #[error("not read: writing the extracted copy failed")]
    CopyAbandoned,
}

/// Hashes one payload entry (SHA-256, BLAKE3 and any other manifest
/// algorithms in the same pass), copying it out when extracting.
pub(super) fn hash_entry(
    bundle: &Bundle,
    entry: &crate::store::Entry,
    foreign: &[&str],
    options: &VerifyOptions<'_>,
) -> Result<ReadDigests, EntryReadError> {
    let (mut reader, crc) = bundle.open_payload(entry)?;
    let mut other = OtherDigests::new(foreign);
    let digest = match options.extract_to.filter(|out| !out.is_doomed()) {
        Some(out) => {
            if out.failed.get().is_some() {
                return Err(EntryReadError::CopyAbandoned);
            }
            let relative = entry.name.strip_prefix("data/").unwrap_or(&entry.name);
            let mut tee = TeeReader {
                inner: &mut reader,
                sink: &mut other,
            };
            match copy_into_directory(out.root, relative, entry.size, &mut tee, options.progress) {
                Err(failure @ StoreError::Write { .. }) => {
                    let _ = out.failed.set(failure);
                    return Err(EntryReadError::CopyAbandoned);
                }
                copied => copied?,
            }
        }
        None => {
            let sink: Option<&mut (dyn Write + Send)> = if other.is_empty() {
                None
            } else {
                Some(&mut other)
            };
            hash_stream(&mut reader, entry.size, sink, options.progress)?
        }
    };
    let mut other = other.finish();
    other.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ReadDigests {
        digest,
        other,
        crc_mismatch: crc.mismatched(),
    })
}

/// What every worker needs to check one payload file, read-only: each
/// hashes a file, compares it with every manifest and makes its Merkle
/// leaf, so nothing but the outcome is kept.
struct FileCheck<'v> {
    bundle: &'v Bundle,
    options: &'v VerifyOptions<'v>,
    /// The payload manifests, then exhibit's BLAKE3 manifest.
    manifests: Vec<&'v Manifest>,
    /// Manifest algorithms other than SHA-256 (BLAKE3 is always computed).
    foreign: Vec<&'v str>,
    /// The leaf encoding when the Merkle root is folded while hashing.
    encoding: Option<LeafEncoding>,
    salts: Option<&'v Salts>,
}

/// The digests (one window per manifest) and salts that streamed files
/// list for one batch of payload files, starting at payload index `base`.
struct Windows {
    base: usize,
    digests: Vec<Vec<u8>>,
    salts: Vec<u8>,
}

impl FileCheck<'_> {
    /// Reads one payload file here: its digests as read, or why it could
    /// not be read to its end.
    fn read(&self, entry: &crate::store::Entry) -> Result<ReadDigests, String> {
        hash_entry(self.bundle, entry, &self.foreign, self.options).map_err(|e| {
            if let Some(out) = self.options.extract_to {
                out.doom();
            }
            e.to_string()
        })
    }

    /// Holds one payload file as read (here, or on another machine and
    /// recorded in a verify part) against every manifest, and makes its
    /// Merkle leaf: the one comparison both kinds of verification run.
    fn check(
        &self,
        index: usize,
        entry: &crate::store::Entry,
        windows: &Windows,
        read: Result<ReadDigests, String>,
    ) -> Checked {
        let ReadDigests {
            digest,
            other: foreign,
            crc_mismatch,
        } = match read {
            Ok(digests) => digests,
            Err(message) => {
                let problem =
                    Problem::new(ProblemCode::PayloadUnreadable, Some(&entry.name), message);
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
        for (m, manifest) in self.manifests.iter().enumerate() {
            let actual: &[u8] = match manifest.algorithm.as_str() {
                "sha256" => &digest.sha256.0,
                "blake3" => &digest.blake3.0,
                other => foreign
                    .iter()
                    .find(|(a, _)| a == other)
                    .map(|(_, d)| d.as_slice())
                    .unwrap_or_default(),
            };
            let listed = manifest.listed(index, &entry.name, &windows.digests[m], windows.base);
            problems.extend(compare_listed(
                manifest,
                &entry.name,
                listed.as_deref(),
                actual,
            ));
        }
        let leaf = self.encoding.map(|encoding| {
            encoding.leaf(&LeafInput {
                path: &entry.name,
                size: digest.size,
                sha256: &digest.sha256.0,
                blake3: &digest.blake3.0,
                salt: self
                    .salts
                    .and_then(|s| s.get(index, &windows.salts, windows.base)),
            })
        });
        if !problems.is_empty() {
            if let Some(out) = self.options.extract_to {
                out.doom();
            }
        }
        Checked {
            digest: Some(digest),
            leaf,
            problems,
        }
    }
}

/// A file's digest against the one `manifest` lists for it (`None`: not
/// listed).
fn compare_listed(
    manifest: &Manifest,
    path: &str,
    listed: Option<&[u8]>,
    actual: &[u8],
) -> Option<Problem> {
    match listed {
        None => Some(Problem::new(
            ProblemCode::PayloadUnlisted,
            Some(path),
            format!("not listed in {}", manifest.file),
        )),
        Some(listed) if listed != actual => Some(Problem::new(
            ProblemCode::PayloadDigestMismatch,
            Some(path),
            format!(
                "{} is {}, {} says {}",
                manifest.algorithm,
                hex::encode(actual),
                manifest.file,
                hex::encode(listed)
            ),
        )),
        Some(_) => None,
    }
}

/// The streamed manifests and salts, read again batch by batch.
struct Cursors {
    /// One per manifest of [`FileCheck::manifests`] (`None`: held whole).
    manifests: Vec<(String, usize, Option<LineCursor>)>,
    salts: Option<LineCursor>,
}

impl Cursors {
    fn open(v: &Verification<'_>, check: &FileCheck<'_>) -> Cursors {
        let cursor = |name: &str, hex_len: usize| {
            v.tags
                .get(name)
                .map(|entry| open_cursor(v.bundle, entry, hex_len))
        };
        Cursors {
            manifests: check
                .manifests
                .iter()
                .map(|m| {
                    let cursor = m.streamed.then(|| cursor(&m.file, 2 * m.width)).flatten();
                    (m.file.clone(), m.width, cursor)
                })
                .collect(),
            salts: check
                .salts
                .filter(|s| s.streamed)
                .and_then(|_| cursor(MERKLE_SALTS_PATH, 64)),
        }
    }

    /// The streamed digests (and salts) of `batch`, in order.
    fn take(&mut self, batch: &[&crate::store::Entry], base: usize) -> Windows {
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
        Windows {
            base,
            digests: self
                .manifests
                .iter_mut()
                .map(|(_, width, cursor)| take(cursor, *width))
                .collect(),
            salts: take(&mut self.salts, 32),
        }
    }

    /// A streamed file must have been the same bytes both times.
    fn finish(self, first_read: &BTreeMap<String, Sha256Digest>) -> Vec<Problem> {
        let streamed = self
            .manifests
            .into_iter()
            .map(|(name, _, cursor)| (name, cursor))
            .chain(std::iter::once((MERKLE_SALTS_PATH.to_owned(), self.salts)));
        let mut problems = Vec::new();
        for (name, cursor) in streamed {
            let Some(cursor) = cursor else { continue };
            if finish_cursor(cursor) != first_read.get(&name).copied() {
                let code = if name.starts_with("exhibit/") {
                    ProblemCode::SealInvalid
                } else {
                    ProblemCode::ManifestInvalid
                };
                problems.push(Problem::new(
                    code,
                    Some(&name),
                    "changed while it was read: its digests cannot be trusted",
                ));
            }
        }
        problems
    }
}

/// What the read pass over the payload added up.
#[derive(Default)]
struct Tally {
    /// Every file's digest, in payload order (a disclosure bundle only).
    digests: Vec<Option<FileDigest>>,
    rows: Vec<PayloadRow>,
    total: u64,
    /// Every file was read to its end.
    all_read: bool,
    root: merkle::RootBuilder,
    /// Files with no salt (format 2).
    unsalted: Vec<String>,
    problems: Vec<Problem>,
}

impl Tally {
    fn add(
        &mut self,
        batch: &[&crate::store::Entry],
        results: Vec<Checked>,
        payload_rows: bool,
        keep_digests: bool,
    ) {
        for (entry, checked) in batch.iter().zip(results) {
            let digest = checked.digest;
            self.total = self.total.saturating_add(digest.map_or(0, |d| d.size));
            self.all_read &= digest.is_some();
            match checked.leaf {
                Some(Some(leaf)) => self.root.push(leaf),
                Some(None) => self.unsalted.push(entry.name.clone()),
                None => {}
            }
            if payload_rows {
                self.rows.push(PayloadRow {
                    path: entry.name.clone(),
                    size: digest.map_or(0, |d| d.size),
                    sha256: digest.map(|d| d.sha256),
                });
            }
            if keep_digests {
                self.digests.push(digest);
            }
            self.problems.extend(checked.problems);
        }
    }
}

impl Verification<'_> {
    /// Step 2: every payload file is listed, present, and matches.
    pub(super) fn check_payload(&mut self, options: &VerifyOptions<'_>, payload_rows: bool) {
        let unchecked = self.check_missing();
        let mut tally = self.hash_payload(options, payload_rows);
        self.digests = std::mem::take(&mut tally.digests);
        self.report.payload = std::mem::take(&mut tally.rows);
        self.report.file_count = self.payload.len() as u64;
        self.report.total_bytes = tally.total;
        self.fold_merkle_outcome(tally.all_read, tally.root, tally.unsalted);
        tally.problems.extend(self.check_oxum(&unchecked));
        self.report.problems.extend(tally.problems);
    }

    /// One read pass over the payload, a batch of files at a time, each
    /// batch hashed in parallel.
    fn hash_payload(&self, options: &VerifyOptions<'_>, payload_rows: bool) -> Tally {
        let (encoding, salts) = match &self.merkle_plan {
            MerklePlan::Fold { encoding, salts } => (Some(*encoding), salts.as_ref()),
            _ => (None, None),
        };
        let check = FileCheck {
            bundle: self.bundle,
            options,
            manifests: self
                .manifests
                .iter()
                .chain(self.blake3_manifest.as_ref())
                .collect(),
            foreign: self
                .manifests
                .iter()
                .map(|m| m.algorithm.as_str())
                .filter(|a| *a != "sha256")
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            encoding,
            salts,
        };
        if let Some(recorded) = options.recorded {
            recorded.begin(
                self.identity(),
                |shards| self.shares(shards),
                self.other_algorithms(),
            );
        }
        let mut cursors = Cursors::open(self, &check);
        let keep_digests = self.is_disclosure();
        let mut tally = Tally {
            all_read: true,
            ..Tally::default()
        };
        for (batch_index, batch) in self.payload.chunks(HASH_BATCH).enumerate() {
            let start = batch_index * HASH_BATCH;
            let windows = cursors.take(batch, start);
            let results: Vec<Checked> = match options.recorded {
                None => batch
                    .par_iter()
                    .enumerate()
                    .map(|(i, entry)| check.check(start + i, entry, &windows, check.read(entry)))
                    .collect(),
                Some(recorded) => {
                    let reads = recorded.take(start, batch);
                    (options.progress)(batch.iter().map(|e| e.size).sum());
                    batch
                        .par_iter()
                        .zip(reads)
                        .enumerate()
                        .map(|(i, (entry, read))| check.check(start + i, entry, &windows, read))
                        .collect()
                }
            };
            tally.add(batch, results, payload_rows, keep_digests);
        }
        tally.problems.extend(cursors.finish(&self.tag_sha256));
        tally
    }

    /// Payload-Oxum against the payload in the bag and the files listed
    /// but excused from it. An unparseable Payload-Oxum was reported with
    /// bag-info.txt; a disclosure bundle keeps the sealed bag-info.txt,
    /// whose Payload-Oxum counts the sealed payload (check_disclosure).
    fn check_oxum(&self, unchecked: &Unchecked) -> Option<Problem> {
        let info = self.bag_info.as_ref().filter(|_| !self.is_disclosure())?;
        let Some(Ok(oxum)) = info.payload_oxum() else {
            return None;
        };
        let (bytes, files) = (self.report.total_bytes, self.report.file_count);
        let streams = files.saturating_add(unchecked.files);
        let octets = bytes.saturating_add(unchecked.known_bytes);
        let fits = oxum.streams == streams
            && if unchecked.sizes_known {
                oxum.octets == octets
            } else {
                oxum.octets >= octets
            };
        if fits {
            return None;
        }
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
        Some(Problem::new(
            ProblemCode::OxumMismatch,
            Some(self.rules.info_file),
            message,
        ))
    }
}
