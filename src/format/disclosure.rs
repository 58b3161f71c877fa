//! The disclosure document (`exhibit/disclosure.json`): what a disclosure
//! bundle needs to prove each of its files part of the original seal,
//! without the manifests or salts of the files left out.
//!
//! It is not signed: every value in it is checked against the signed seal
//! statement (its SHA-256, `merkle_root`, `file_count`), so editing it can
//! only make a proof fail.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::digest::{Blake3Digest, Salt, Sha256Digest};
use crate::format::document::{parse_document, to_document_bytes, DocumentError};
use crate::format::merkle::{self, LeafEncoding, LeafInput};
use crate::format::paths::BagPath;
use crate::format::seal::{SealStatement, SealVersion};
use crate::problem::{Problem, ProblemCode};

/// `type` of a disclosure document, version 1.
pub const DISCLOSURE_TYPE: &str = "exhibit.disclosure/1";
/// Where it lives in a disclosure bundle; its presence makes one.
pub const DISCLOSURE_PATH: &str = "exhibit/disclosure.json";

/// One disclosed file: its leaf input, where the leaf is, and the path up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosedFile {
    /// Bag path (`data/...`), raw (JSON-escaped, not percent-encoded).
    pub path: String,
    pub size: u64,
    pub sha256: Sha256Digest,
    pub blake3: Blake3Digest,
    pub salt: Salt,
    /// 0-based position of the leaf among the sealed files (sorted path
    /// order).
    pub leaf_index: u64,
    /// RFC 6962 audit path, from the leaf's sibling up to a child of the
    /// root.
    pub audit_path: Vec<Sha256Digest>,
}

impl DisclosedFile {
    /// Whether its path is one a bag can hold under `data/` (an entry
    /// that is not is invalid, and nothing else is said of it).
    pub fn has_payload_path(&self) -> bool {
        BagPath::parse(&self.path).is_ok_and(|path| path.is_payload())
    }

    /// The leaf hash this entry claims (leaf encoding 2).
    pub fn leaf(&self) -> merkle::Hash {
        LeafEncoding::V2
            .leaf(&LeafInput {
                path: &self.path,
                size: self.size,
                sha256: &self.sha256.0,
                blake3: &self.blake3.0,
                salt: Some(&self.salt.0),
            })
            .expect("a salt is given")
    }
}

/// The disclosure document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    #[serde(rename = "type")]
    pub doc_type: String,
    /// SHA-256 of the exact bytes of `exhibit/seal.json`.
    pub seal_sha256: Sha256Digest,
    /// The seal's `payload.merkle_leaf` (`exhibit.merkle-leaf/2`).
    pub merkle_leaf: String,
    /// The number of leaves: the seal's `file_count`.
    pub tree_size: u64,
    /// Sorted by `leaf_index` (which is path order).
    pub files: Vec<DisclosedFile>,
}

impl Disclosure {
    pub fn to_bytes(&self) -> Vec<u8> {
        to_document_bytes(self)
    }

    /// Parses stored bytes; the values are checked by [`Disclosure::check`].
    pub fn parse(bytes: &[u8]) -> Result<Self, DocumentError> {
        let doc: Disclosure = parse_document(bytes, DISCLOSURE_PATH, "a disclosure document")?;
        if doc.doc_type != DISCLOSURE_TYPE {
            return Err(DocumentError::WrongType {
                file: DISCLOSURE_PATH.into(),
                expected: DISCLOSURE_TYPE,
                found: doc.doc_type,
            });
        }
        Ok(doc)
    }

    /// The first entry for each path (a repeated path is invalid, and only
    /// its first entry has its proof checked).
    pub fn first_entries(&self) -> std::collections::HashMap<&str, &DisclosedFile> {
        let mut first = std::collections::HashMap::new();
        for file in &self.files {
            first.entry(file.path.as_str()).or_insert(file);
        }
        first
    }

    /// Everything that can be checked without the files themselves: the
    /// document belongs to this seal, its tree is the sealed tree, every
    /// entry names a distinct leaf in range, in order, and every audit path
    /// leads from the entry's leaf to the signed `merkle_root`.
    pub fn check(&self, seal_bytes: &[u8], statement: &SealStatement) -> Vec<Problem> {
        let mut problems = Vec::new();
        let invalid = |problems: &mut Vec<Problem>, path: &str, message: String| {
            problems.push(Problem::new(
                ProblemCode::DisclosureInvalid,
                Some(path),
                message,
            ))
        };
        if statement.version() != SealVersion::V2 {
            invalid(
                &mut problems,
                DISCLOSURE_PATH,
                format!(
                    "the seal is {}: only salted seals ({}) can be disclosed",
                    statement.doc_type,
                    SealVersion::V2.doc_type()
                ),
            );
            return problems;
        }
        let seal_sha256 = Sha256Digest::of(seal_bytes);
        if self.seal_sha256 != seal_sha256 {
            invalid(
                &mut problems,
                DISCLOSURE_PATH,
                format!(
                    "made for the seal statement with SHA-256 {}, this bundle's is {seal_sha256}: proofs from another bundle",
                    self.seal_sha256
                ),
            );
        }
        if self.merkle_leaf != statement.payload.merkle_leaf {
            invalid(
                &mut problems,
                DISCLOSURE_PATH,
                format!(
                    "leaf encoding {:?}, the seal uses {:?}",
                    self.merkle_leaf, statement.payload.merkle_leaf
                ),
            );
        }
        let sealed = statement.payload.file_count;
        if self.tree_size != sealed {
            invalid(
                &mut problems,
                DISCLOSURE_PATH,
                format!(
                    "tree size {}, but the seal has {sealed} files",
                    self.tree_size
                ),
            );
        }
        if self.files.is_empty() {
            invalid(&mut problems, DISCLOSURE_PATH, "discloses no file".into());
        }
        let mut indices = BTreeSet::new();
        let mut paths = BTreeSet::new();
        let mut previous: Option<&DisclosedFile> = None;
        for file in &self.files {
            if !file.has_payload_path() {
                invalid(
                    &mut problems,
                    &file.path,
                    "not a payload path (data/...) that a bag can hold".into(),
                );
                continue;
            }
            if !paths.insert(file.path.as_str()) {
                invalid(&mut problems, &file.path, "listed twice".into());
                continue;
            }
            if !indices.insert(file.leaf_index) {
                invalid(
                    &mut problems,
                    &file.path,
                    format!("leaf index {} is given to two files", file.leaf_index),
                );
                continue;
            }
            if file.leaf_index >= sealed {
                invalid(
                    &mut problems,
                    &file.path,
                    format!(
                        "leaf index {} is out of range: the seal has {sealed} files",
                        file.leaf_index
                    ),
                );
                continue;
            }
            if let Some(before) = previous {
                let in_order = before.leaf_index < file.leaf_index
                    && before.path.as_bytes() < file.path.as_bytes();
                if !in_order {
                    invalid(
                        &mut problems,
                        &file.path,
                        format!(
                            "leaf {} comes after leaf {} ({:?}): entries must be in leaf and path order",
                            file.leaf_index, before.leaf_index, before.path
                        ),
                    );
                }
            }
            previous = Some(file);
            let proof: Vec<merkle::Hash> = file.audit_path.iter().map(|h| h.0).collect();
            if let Err(e) = merkle::verify_inclusion(
                file.leaf_index,
                sealed,
                &file.leaf(),
                &proof,
                &statement.payload.merkle_root.0,
            ) {
                problems.push(Problem::new(
                    ProblemCode::DisclosureProof,
                    Some(&file.path),
                    format!("inclusion proof does not reach the sealed Merkle root: {e}"),
                ));
            }
        }
        problems
    }
}
