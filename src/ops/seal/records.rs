//! The per-file records a seal writes — both manifests, the salts file and
//! the Merkle tree — built as each file is copied. Lines go to temporary
//! files beside the output (hashed as they are written) and the tree is
//! folded as it grows, so sealing a million files holds nothing per file
//! beyond the source listing.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use crate::digest::{hex32, Blake3Digest, FileDigest, Sha256Digest};
use crate::format::bag::push_manifest_line;
use crate::format::merkle::{self, LeafEncoding, LeafInput, RootBuilder};
use crate::format::salt::Salter;
use crate::ops::planned::DigestCheck;
use crate::ops::sources::PayloadFile;
use crate::store::StoreError;

/// The leaf encoding new seals use.
pub(super) const ENCODING: LeafEncoding = LeafEncoding::V2;

pub(super) struct PayloadRecords {
    sha256: Spill,
    blake3: Spill,
    salts: Spill,
    salter: Salter,
    tree: RootBuilder,
    total_bytes: u64,
    /// `seal --plan`: every file's digests checked against its part.
    pub(super) planned: Option<DigestCheck>,
}

/// What [`PayloadRecords::finish`] gives: each list ready to be copied into
/// the bundle, with its digest, and the tree's root.
pub(super) struct Records {
    pub sha256_manifest: Spilled,
    pub blake3_manifest: Spilled,
    pub salts: Spilled,
    pub merkle_root: Sha256Digest,
    pub file_count: u64,
    pub total_bytes: u64,
}

impl PayloadRecords {
    /// Temporary files go in `folder` (the output's), not a RAM-backed
    /// temporary folder: a million files' manifests are hundreds of MB.
    pub fn create(folder: &Path, salter: Salter) -> Result<Self, StoreError> {
        Ok(PayloadRecords {
            sha256: Spill::create(folder)?,
            blake3: Spill::create(folder)?,
            salts: Spill::create(folder)?,
            salter,
            tree: RootBuilder::new(),
            total_bytes: 0,
            planned: None,
        })
    }

    /// The next files in bag order, copied, with their digests.
    pub fn add(
        &mut self,
        files: &[PayloadFile],
        digests: &[FileDigest],
    ) -> Result<(), super::SealError> {
        if let Some(planned) = &mut self.planned {
            for (file, digest) in files.iter().zip(digests) {
                planned.check(file, digest).map_err(Box::new)?;
            }
        }
        let paths: Vec<&str> = files.iter().map(|f| f.bag_path.as_str()).collect();
        self.add_paths(&paths, digests)
    }

    /// Records files, by bag path, whose digests were taken elsewhere (by
    /// the shards of a plan).
    pub fn add_paths(
        &mut self,
        paths: &[&str],
        digests: &[FileDigest],
    ) -> Result<(), super::SealError> {
        let salter = &self.salter;
        // The salts (an HMAC each) and leaves are the costly part: in
        // parallel, a chunk of files to a task, whose lines are gathered in
        // one buffer per list (buffers made on one thread and freed on
        // another cost a lock each in the allocator).
        let chunks: Vec<ChunkLines> = paths
            .par_chunks(LINES_CHUNK)
            .zip(digests.par_chunks(LINES_CHUNK))
            .map(|(paths, digests)| {
                let mut chunk = ChunkLines::default();
                let mut hex = [0u8; 64];
                for (&path, digest) in paths.iter().zip(digests) {
                    let salt = salter.salt(path);
                    let leaf = ENCODING
                        .leaf(&LeafInput {
                            path,
                            size: digest.size,
                            sha256: &digest.sha256.0,
                            blake3: &digest.blake3.0,
                            salt: Some(&salt),
                        })
                        .expect("a format-2 leaf has its salt");
                    push_manifest_line(&mut chunk.sha256, hex32(&digest.sha256.0, &mut hex), path);
                    push_manifest_line(&mut chunk.blake3, hex32(&digest.blake3.0, &mut hex), path);
                    push_manifest_line(&mut chunk.salts, hex32(&salt, &mut hex), path);
                    chunk.leaves.push(leaf);
                }
                chunk
            })
            .collect();
        for chunk in chunks {
            self.sha256.write(&chunk.sha256)?;
            self.blake3.write(&chunk.blake3)?;
            self.salts.write(&chunk.salts)?;
            for leaf in chunk.leaves {
                self.tree.push(leaf);
            }
        }
        self.total_bytes += digests.iter().map(|d| d.size).sum::<u64>();
        Ok(())
    }

    pub fn finish(self) -> Result<Records, StoreError> {
        Ok(Records {
            file_count: self.tree.len(),
            merkle_root: Sha256Digest(self.tree.root()),
            sha256_manifest: self.sha256.finish()?,
            blake3_manifest: self.blake3.finish()?,
            salts: self.salts.finish()?,
            total_bytes: self.total_bytes,
        })
    }
}

/// Files whose manifest and salt lines one task makes.
const LINES_CHUNK: usize = 256;

/// The lines of a chunk of files for each list, and their leaves.
#[derive(Default)]
struct ChunkLines {
    sha256: Vec<u8>,
    blake3: Vec<u8>,
    salts: Vec<u8>,
    leaves: Vec<merkle::Hash>,
}

/// A list being written to an unnamed temporary file, hashed on the way.
struct Spill {
    out: BufWriter<File>,
    sha256: Sha256,
    blake3: blake3::Hasher,
    size: u64,
}

/// A finished list: its file, at the start, and its digest.
pub(super) struct Spilled {
    pub file: File,
    pub digest: FileDigest,
}

fn spill_error(error: io::Error) -> StoreError {
    StoreError::Io {
        path: "temporary manifest".into(),
        error,
    }
}

impl Spill {
    fn create(folder: &Path) -> Result<Self, StoreError> {
        let file = tempfile::tempfile_in(folder).map_err(|error| StoreError::Io {
            path: folder.display().to_string(),
            error,
        })?;
        Ok(Spill {
            out: BufWriter::with_capacity(256 << 10, file),
            sha256: Sha256::new(),
            blake3: blake3::Hasher::new(),
            size: 0,
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        self.out.write_all(bytes).map_err(spill_error)?;
        self.sha256.update(bytes);
        self.blake3.update(bytes);
        self.size += bytes.len() as u64;
        Ok(())
    }

    fn finish(self) -> Result<Spilled, StoreError> {
        let mut file = self
            .out
            .into_inner()
            .map_err(|e| spill_error(e.into_error()))?;
        file.rewind().map_err(spill_error)?;
        Ok(Spilled {
            file,
            digest: FileDigest {
                size: self.size,
                sha256: Sha256Digest(self.sha256.finalize().into()),
                blake3: Blake3Digest(*self.blake3.finalize().as_bytes()),
            },
        })
    }
}
