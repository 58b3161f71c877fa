//! The seal statement (`exhibit/seal.json`): what was sealed, by which
//! case, when and how. Stored as the exact bytes that are signed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::digest::Sha256Digest;
use crate::format::document::{
    parse_document, to_document_bytes, unique_keys, DocumentError, Party,
};
use crate::time::UtcTime;

/// `type` of a seal statement, version 1.
pub const SEAL_TYPE: &str = "exhibit.seal/1";
/// Name of the Merkle leaf encoding used by `payload.merkle_root`.
pub const MERKLE_LEAF_ENCODING: &str = "exhibit.merkle-leaf/1";
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
    /// Always [`MERKLE_LEAF_ENCODING`] in version 1.
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
}

impl SealStatement {
    /// The exact bytes stored in `exhibit/seal.json` and signed.
    pub fn to_bytes(&self) -> Vec<u8> {
        to_document_bytes(self)
    }

    /// Parses stored bytes into a checked statement.
    pub fn parse(bytes: &[u8]) -> Result<Self, DocumentError> {
        let statement: SealStatement = parse_document(bytes, SEAL_PATH, "a seal statement")?;
        if statement.doc_type != SEAL_TYPE {
            return Err(DocumentError::WrongType {
                file: SEAL_PATH.into(),
                expected: SEAL_TYPE,
                found: statement.doc_type,
            });
        }
        if statement.payload.merkle_leaf != MERKLE_LEAF_ENCODING {
            return Err(DocumentError::Invalid {
                file: SEAL_PATH.into(),
                reason: format!(
                    "unknown Merkle leaf encoding {:?}",
                    statement.payload.merkle_leaf
                ),
            });
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
                bag_info: Sha256Digest::of(b"c"),
            },
            symlinks: vec![],
            empty_directories: vec![],
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
        let deep = "[".repeat(100_000);
        assert!(SealStatement::parse(deep.as_bytes()).is_err());
    }
}
