//! The seal statement (`exhibit/seal.json`): what was sealed, by which
//! case, when and how. Stored as the exact bytes that are signed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::digest::Sha256Digest;
use crate::format::document::{
    parse_document, to_document_bytes, unique_keys, DocumentError, Party,
};
use crate::format::merkle::LeafEncoding;
use crate::time::UtcTime;

/// `type` of the seal statements `seal` writes (format 2).
pub const SEAL_TYPE: &str = SEAL_TYPE_V2;
/// `type` of a format-1 seal statement (unsalted leaves), still verified.
pub const SEAL_TYPE_V1: &str = "exhibit.seal/1";
/// `type` of a format-2 seal statement (salted leaves).
pub const SEAL_TYPE_V2: &str = "exhibit.seal/2";
/// Name of the Merkle leaf encoding of the seals `seal` writes.
pub const MERKLE_LEAF_ENCODING: &str = "exhibit.merkle-leaf/2";
/// Where the seal statement lives in the bag.
pub const SEAL_PATH: &str = "exhibit/seal.json";
/// Where the BLAKE3 payload manifest lives in the bag.
pub const BLAKE3_MANIFEST_PATH: &str = "exhibit/manifest-blake3.txt";

/// The software that wrote a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn this() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// What the seal says about the payload as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadSummary {
    pub file_count: u64,
    pub total_bytes: u64,
    /// RFC 6962 Merkle tree head over one leaf per payload file.
    pub merkle_root: Sha256Digest,
    /// `exhibit.merkle-leaf/1` in format 1, `exhibit.merkle-leaf/2` in
    /// format 2.
    pub merkle_leaf: String,
}

/// SHA-256 of the tag files that carry the per-file digests and metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagDigests {
    #[serde(rename = "manifest-sha256.txt")]
    pub manifest_sha256: Sha256Digest,
    #[serde(rename = "exhibit/manifest-blake3.txt")]
    pub manifest_blake3: Sha256Digest,
    /// `exhibit/merkle-salts.txt`: format 2 only (absent in format 1).
    #[serde(
        rename = "exhibit/merkle-salts.txt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub merkle_salts: Option<Sha256Digest>,
    #[serde(rename = "bag-info.txt")]
    pub bag_info: Sha256Digest,
}

/// A symbolic link found in the source: recorded, never followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymlinkRecord {
    /// Where it would have been in the bag (`data/...`).
    pub path: String,
    /// The link's target exactly as stored in the file system.
    pub target: String,
}

/// The seal statement: what was sealed, by which case, when and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealStatement {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub case_id: String,
    pub exhibit_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub examiner: Party,
    /// `--meta KEY=VALUE` labels, also written to `bag-info.txt`.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub metadata: BTreeMap<String, String>,
    pub sealed_at: UtcTime,
    pub tool: Tool,
    pub payload: PayloadSummary,
    pub tag_digests: TagDigests,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symlinks: Vec<SymlinkRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub empty_directories: Vec<String>,
    /// Forensic images among the payload files, each checked against the
    /// hashes its imager stored when it was sealed (absent when none was, or
    /// with `--image-check none`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acquisition: Vec<super::acquisition::Acquisition>,
}

/// The two seal formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealVersion {
    /// `exhibit.seal/1`: unsalted leaves, no salts file.
    V1,
    /// `exhibit.seal/2`: salted leaves, salts in `exhibit/merkle-salts.txt`.
    V2,
}

impl SealVersion {
    pub fn doc_type(self) -> &'static str {
        match self {
            SealVersion::V1 => SEAL_TYPE_V1,
            SealVersion::V2 => SEAL_TYPE_V2,
        }
    }

    /// The only leaf encoding this format allows.
    pub fn leaf_encoding(self) -> LeafEncoding {
        match self {
            SealVersion::V1 => LeafEncoding::V1,
            SealVersion::V2 => LeafEncoding::V2,
        }
    }
}

impl SealStatement {
    /// The format, from `type` (checked by [`SealStatement::parse`]).
    pub fn version(&self) -> SealVersion {
        if self.doc_type == SEAL_TYPE_V1 {
            SealVersion::V1
        } else {
            SealVersion::V2
        }
    }

    /// The leaf encoding (checked by [`SealStatement::parse`] to be the
    /// one of the format).
    pub fn leaf_encoding(&self) -> LeafEncoding {
        self.version().leaf_encoding()
    }

    /// The exact bytes stored in `exhibit/seal.json` and signed.
    pub fn to_bytes(&self) -> Vec<u8> {
        to_document_bytes(self)
    }

    /// Parses stored bytes into a checked statement.
    pub fn parse(bytes: &[u8]) -> Result<Self, DocumentError> {
        let statement: SealStatement = parse_document(bytes, SEAL_PATH, "a seal statement")?;
        let version = match statement.doc_type.as_str() {
            SEAL_TYPE_V1 => SealVersion::V1,
            SEAL_TYPE_V2 => SealVersion::V2,
            _ => {
                return Err(DocumentError::WrongType {
                    file: SEAL_PATH.into(),
                    expected: SEAL_TYPE,
                    found: statement.doc_type,
                })
            }
        };
        let invalid = |reason: String| {
            Err(DocumentError::Invalid {
                file: SEAL_PATH.into(),
                reason,
            })
        };
        if statement.payload.merkle_leaf != version.leaf_encoding().name() {
            return invalid(format!(
                "Merkle leaf encoding {:?} is not the one of {} ({})",
                statement.payload.merkle_leaf,
                version.doc_type(),
                version.leaf_encoding().name()
            ));
        }
        match (version, &statement.tag_digests.merkle_salts) {
            (SealVersion::V1, Some(_)) => {
                return invalid(format!(
                    "{SEAL_TYPE_V1} has no salts: tag_digests names {}",
                    crate::format::salt::MERKLE_SALTS_PATH
                ))
            }
            (SealVersion::V2, None) => {
                return invalid(format!(
                    "{SEAL_TYPE_V2}: tag_digests must name {}",
                    crate::format::salt::MERKLE_SALTS_PATH
                ))
            }
            _ => {}
        }
        Ok(statement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::document::{DocumentError, Party};

    fn statement() -> SealStatement {
        SealStatement {
            doc_type: SEAL_TYPE.into(),
            case_id: "2026-0042".into(),
            exhibit_id: "A1".into(),
            description: Some("Laptop".into()),
            examiner: Party {
                name: Some("A. Examiner".into()),
                organization: None,
            },
            metadata: BTreeMap::from([("Seizure-Place".into(), "Hanoi".into())]),
            sealed_at: UtcTime::parse_canonical("2026-11-22T09:40:00Z").unwrap(),
            tool: Tool::this(),
            payload: PayloadSummary {
                file_count: 1,
                total_bytes: 3,
                merkle_root: Sha256Digest::of(b"x"),
                merkle_leaf: MERKLE_LEAF_ENCODING.into(),
            },
            tag_digests: TagDigests {
                manifest_sha256: Sha256Digest::of(b"a"),
                manifest_blake3: Sha256Digest::of(b"b"),
                merkle_salts: Some(Sha256Digest::of(b"d")),
                bag_info: Sha256Digest::of(b"c"),
            },
            symlinks: vec![],
            empty_directories: vec![],
            acquisition: Vec::new(),
        }
    }

    #[test]
    fn statement_round_trips_exactly() {
        let s = statement();
        let bytes = s.to_bytes();
        assert_eq!(SealStatement::parse(&bytes).unwrap(), s);
        assert_eq!(SealStatement::parse(&bytes).unwrap().to_bytes(), bytes);
    }

    #[test]
    fn statement_rejects_wrong_type_unknown_fields_and_duplicates() {
        let text = String::from_utf8(statement().to_bytes()).unwrap();
        let wrong = text.replace(SEAL_TYPE, "exhibit.custody-event/1");
        assert!(matches!(
            SealStatement::parse(wrong.as_bytes()),
            Err(DocumentError::WrongType { .. })
        ));
        let extra = text.replacen('{', "{\"extra\": 1,", 1);
        assert!(SealStatement::parse(extra.as_bytes()).is_err());
        let dup = text.replacen('{', "{\"case_id\": \"other\",", 1);
        assert!(SealStatement::parse(dup.as_bytes()).is_err());
        let dup_meta = text.replace(
            "\"Seizure-Place\": \"Hanoi\"",
            "\"Seizure-Place\": \"Hanoi\", \"Seizure-Place\": \"Hue\"",
        );
        assert_ne!(dup_meta, text);
        assert!(SealStatement::parse(dup_meta.as_bytes()).is_err());
        assert!(SealStatement::parse(b"\xff\xfe").is_err());
        // Each format with its own leaf encoding and salts, nothing mixed.
        let v1 = text
            .replace(SEAL_TYPE_V2, SEAL_TYPE_V1)
            .replace("exhibit.merkle-leaf/2", "exhibit.merkle-leaf/1");
        assert!(SealStatement::parse(v1.as_bytes()).is_err(), "salts in v1");
        let mut plain = statement();
        plain.doc_type = SEAL_TYPE_V1.into();
        plain.payload.merkle_leaf = "exhibit.merkle-leaf/1".into();
        plain.tag_digests.merkle_salts = None;
        let plain_bytes = plain.to_bytes();
        let parsed = SealStatement::parse(&plain_bytes).unwrap();
        assert_eq!(parsed.version(), SealVersion::V1);
        assert!(!String::from_utf8_lossy(&plain_bytes).contains("merkle-salts"));
        let mixed = String::from_utf8(plain_bytes)
            .unwrap()
            .replace("exhibit.merkle-leaf/1", "exhibit.merkle-leaf/2");
        assert!(SealStatement::parse(mixed.as_bytes()).is_err());
        let mut unsalted = statement();
        unsalted.tag_digests.merkle_salts = None;
        assert!(SealStatement::parse(&unsalted.to_bytes()).is_err());
        let leaf1 = text.replace("exhibit.merkle-leaf/2", "exhibit.merkle-leaf/1");
        assert!(SealStatement::parse(leaf1.as_bytes()).is_err());
        let deep = "[".repeat(100_000);
        assert!(SealStatement::parse(deep.as_bytes()).is_err());
    }
}
