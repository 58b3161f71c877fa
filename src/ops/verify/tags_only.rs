//! What verification does differently for a bundle opened with its tag
//! files only (`Bundle::open_tag_files`, for `inspect` and `disclose`), and
//! the streamed reads of large tag files. Such a bundle lists no payload
//! entry, so nothing holds a manifest's lines against the payload: the
//! manifests are not parsed (their SHA-256 against the seal's `tag_digests`
//! is what binds them), the payload and `fetch.txt` listing checks and the
//! Merkle root are left to `verify`. Tag files are hashed as they are read,
//! never held whole: a manifest of a million files is over 100 MB.

use std::collections::HashMap;
use std::io::{self, Read};

use sha2::{Digest, Sha256};

use crate::digest::Sha256Digest;
use crate::problem::ProblemCode;
use crate::store::{Bundle, Entry, StoreError};

use super::{new_hasher, Manifest, Verification};

/// A manifest that was found but not read: no line to compare.
pub(super) fn unread_manifest(name: &str, algorithm: &str) -> Manifest {
    Manifest {
        file: name.into(),
        algorithm: algorithm.into(),
        digests: HashMap::new(),
        aliases: HashMap::new(),
    }
}

/// Feeds an entry's bytes to `sink`, refusing more than `limit` bytes.
fn stream_entry(
    bundle: &Bundle,
    entry: &Entry,
    limit: u64,
    sink: &mut dyn FnMut(&[u8]),
) -> Result<(), StoreError> {
    let too_large = |size| StoreError::TooLarge {
        path: entry.name.clone(),
        size,
        limit,
    };
    if entry.size > limit {
        return Err(too_large(entry.size));
    }
    let mut reader = bundle.open_entry(entry)?.take(limit.saturating_add(1));
    let mut buf = vec![0u8; 256 << 10];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                return Err(StoreError::Io {
                    path: entry.name.clone(),
                    error,
                })
            }
        };
        total += n as u64;
        if total > limit {
            return Err(too_large(total));
        }
        sink(&buf[..n]);
    }
}

/// Lowercase hex digest of an entry in a manifest algorithm (one that
/// `new_hasher` knows), streamed.
pub(super) fn digest_entry(
    bundle: &Bundle,
    entry: &Entry,
    limit: u64,
    algorithm: &str,
) -> Result<String, StoreError> {
    let mut hasher = new_hasher(algorithm).ok_or_else(|| StoreError::Io {
        path: entry.name.clone(),
        error: io::Error::other(format!("cannot compute {algorithm} digests")),
    })?;
    stream_entry(bundle, entry, limit, &mut |chunk| hasher.update(chunk))?;
    Ok(hex::encode(hasher.finalize()))
}

impl Verification<'_> {
    /// SHA-256 of a tag file, streamed; a file that cannot be read (or is
    /// over `limit`) is reported once, as by `read_tag`.
    pub(super) fn hash_tag(&mut self, name: &str, limit: u64) -> Option<Sha256Digest> {
        let entry = *self.tags.get(name)?;
        let mut hasher = Sha256::new();
        match stream_entry(self.bundle, entry, limit, &mut |chunk| hasher.update(chunk)) {
            Ok(()) => Some(Sha256Digest(hasher.finalize().into())),
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
}
