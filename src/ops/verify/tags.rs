//! Reading tag files: each read once, an unreadable one reported once, digests streamed.

use std::io::Read;

use sha2::digest::DynDigest;

use crate::digest::Sha256Digest;
use crate::format::bag::{self};
use crate::problem::ProblemCode;
use crate::store::{Bundle, StoreError};

use crate::digest::digest_to_end;

use super::Verification;

/// The SHA-256 of an entry, streamed; over `limit` bytes is an error.
pub(super) fn stream_sha256(
    bundle: &Bundle,
    entry: &crate::store::Entry,
    limit: u64,
) -> Result<Sha256Digest, StoreError> {
    let mut hasher = sha2::Sha256::default();
    let digest = stream_digest(bundle, entry, limit, &mut hasher)?;
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&digest);
    Ok(Sha256Digest(bytes))
}

/// An entry's digest under `hasher`, streamed; over `limit` bytes is the
/// error [`Bundle::read_entry`] gives.
pub(super) fn stream_digest(
    bundle: &Bundle,
    entry: &crate::store::Entry,
    limit: u64,
    hasher: &mut dyn DynDigest,
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
    let count = digest_to_end(&mut reader, hasher).map_err(|error| StoreError::Io {
        path: entry.name.clone(),
        error,
    })?;
    if count > limit {
        return Err(too_large(count));
    }
    Ok(hasher.finalize_reset())
}

impl Verification<'_> {
    /// Reads a tag file; a file that cannot be read (or is over `limit`) is
    /// reported once, however many checks ask for it.
    pub(super) fn read_tag(&mut self, name: &str, limit: u64) -> Option<Vec<u8>> {
        let entry = *self.tags.get(name)?;
        match self.bundle.read_entry(entry, limit) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.tag_unreadable(name, e);
                None
            }
        }
    }

    /// Whether `name` is present but could not be read (already reported:
    /// no other check reports it again, as missing or as different).
    pub(super) fn is_unreadable(&self, name: &str) -> bool {
        self.unreadable.contains(name)
    }

    /// Reports a tag file that cannot be read, once.
    pub(super) fn tag_unreadable(&mut self, name: &str, e: StoreError) {
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

    /// A tag file's SHA-256, streamed (or noted when it was streamed
    /// before); `None` when it is missing or unreadable (reported).
    pub(super) fn tag_sha256(&mut self, name: &str, limit: u64) -> Option<Sha256Digest> {
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
    pub(super) fn decode_tag<'t>(
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

    /// Tag files whose name gives a digest algorithm (`manifest-md5.txt`),
    /// with that algorithm in lower case.
    pub(super) fn tags_by_algorithm(
        &self,
        algorithm: fn(&str) -> Option<&str>,
    ) -> Vec<(String, String)> {
        self.tags
            .keys()
            .filter_map(|name| Some((name.clone(), algorithm(name)?.to_ascii_lowercase())))
            .collect()
    }
}
