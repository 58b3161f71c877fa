//! Digests beside the one-pass SHA-256 + BLAKE3 pipeline: the other
//! algorithms a BagIt manifest may name, and readers that hash what passes
//! through them, so a file's digest is taken in the read that uses it.

use std::io::{self, Read, Write};

use sha2::digest::DynDigest;
use sha2::Sha256;

use super::Sha256Digest;

/// A hasher for a manifest algorithm (`md5`, `sha1`, `sha224`, `sha256`,
/// `sha384`, `sha512`); `None` for one exhibit cannot compute this way.
pub fn manifest_hasher(algorithm: &str) -> Option<Box<dyn DynDigest + Send>> {
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

/// Reads `reader` to its end into `hasher`; the number of bytes read.
pub fn digest_to_end(reader: &mut dyn Read, hasher: &mut dyn DynDigest) -> io::Result<u64> {
    let mut buf = vec![0u8; 64 << 10];
    let mut count = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(count),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        count += n as u64;
    }
}

/// Counts and hashes (SHA-256) the bytes read through it.
pub struct Sha256Reader<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
}

impl<R> Sha256Reader<R> {
    pub fn new(inner: R) -> Self {
        Sha256Reader {
            inner,
            hasher: Sha256::default(),
            count: 0,
        }
    }

    /// Bytes read so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The SHA-256 of every byte read.
    pub fn digest(self) -> Sha256Digest {
        Sha256Digest(sha2::Digest::finalize(self.hasher).into())
    }
}

impl<R: Read> Read for Sha256Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

/// Digests under the manifest algorithms other than SHA-256 and BLAKE3,
/// fed as a `Write` sink beside the main pipeline.
pub struct OtherDigests(Vec<(String, Box<dyn DynDigest + Send>)>);

impl OtherDigests {
    /// One hasher per algorithm exhibit can compute; the others are left
    /// out (their manifests are reported as unsupported).
    pub fn new(algorithms: &[&str]) -> Self {
        OtherDigests(
            algorithms
                .iter()
                .filter_map(|a| manifest_hasher(a).map(|h| (a.to_string(), h)))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(algorithm, digest)` of every byte written.
    pub fn finish(self) -> Vec<(String, Vec<u8>)> {
        self.0
            .into_iter()
            .map(|(a, h)| (a, h.finalize().into_vec()))
            .collect()
    }
}

impl Write for OtherDigests {
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

/// Feeds every byte read to `sink` (when the bytes are copied on through
/// the pipeline, other digests see them on the read side).
pub struct TeeReader<'a, R> {
    pub inner: R,
    pub sink: &'a mut OtherDigests,
}

impl<R: Read> Read for TeeReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.sink.is_empty() {
            self.sink.write_all(&buf[..n])?;
        }
        Ok(n)
    }
}
