//! The seal statement (`exhibit/seal.json`) and signature records
//! (`exhibit/signatures/<key_id>.json`, `exhibit/custody/NNNNNN.sig`).
//!
//! A signed document is stored as the exact bytes that were signed; parsing
//! turns those bytes into a checked value (right type and version, canonical
//! fields), and verification always runs over the stored bytes, never over a
//! re-serialization.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::digest::Sha256Digest;
use crate::keys::{Identity, KeyId, PublicKey, SecretKey};
use crate::time::UtcTime;

/// `type` of a seal statement, version 1.
pub const SEAL_TYPE: &str = "exhibit.seal/1";
/// `type` of a signature record, version 1.
pub const SIGNATURE_TYPE: &str = "exhibit.signature/1";
/// Name of the Merkle leaf encoding used by `payload.merkle_root`.
pub const MERKLE_LEAF_ENCODING: &str = "exhibit.merkle-leaf/1";
/// Where the seal statement lives in the bag.
pub const SEAL_PATH: &str = "exhibit/seal.json";
/// Where the BLAKE3 payload manifest lives in the bag.
pub const BLAKE3_MANIFEST_PATH: &str = "exhibit/manifest-blake3.txt";
/// Folder of seal signature records.
pub const SIGNATURES_DIR: &str = "exhibit/signatures";

/// Largest signed JSON document read from a bundle (seal statements carry
/// the symlink and empty-folder lists, so they can be long).
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

/// A claimed name and organization (of an examiner, signer or actor).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

impl From<&Identity> for Party {
    fn from(identity: &Identity) -> Self {
        Party {
            name: identity.name.clone(),
            organization: identity.organization.clone(),
        }
    }
}

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

/// A signed document that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("{file}: not valid JSON for {expected}: {reason}")]
    Malformed {
        file: String,
        expected: &'static str,
        reason: String,
    },
    #[error("{file}: type is {found:?}, expected {expected:?}")]
    WrongType {
        file: String,
        expected: &'static str,
        found: String,
    },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
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

/// A signature by one key over the exact bytes of one stored file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureRecord {
    #[serde(rename = "type")]
    pub doc_type: String,
    /// The bag path of the signed file (`exhibit/seal.json`, `exhibit/custody/000002.json`).
    pub signed_file: String,
    pub key_id: KeyId,
    /// SPKI PEM of the signing key.
    pub public_key: String,
    /// Standard base64 of the 64-byte Ed25519 signature.
    pub signature: String,
    /// Claimed, not proven.
    pub signer: Party,
    pub signed_at: UtcTime,
}

/// Why a signature record does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("record signs {found:?}, not {expected:?}")]
    WrongFile { expected: String, found: String },
    #[error("public key cannot be used: {0}")]
    BadKey(String),
    #[error("key_id {claimed} is not the id of the enclosed public key ({actual})")]
    KeyIdMismatch { claimed: KeyId, actual: KeyId },
    #[error("signature is not 64 bytes of standard base64")]
    BadEncoding,
    #[error("signature by key {0} does not verify")]
    DoesNotVerify(KeyId),
}

impl SignatureRecord {
    /// Signs `message` (the stored bytes of `signed_file`).
    pub fn create(
        key: &SecretKey,
        signer: Party,
        signed_file: &str,
        message: &[u8],
        signed_at: UtcTime,
    ) -> Self {
        let public = key.public_key();
        SignatureRecord {
            doc_type: SIGNATURE_TYPE.into(),
            signed_file: signed_file.into(),
            key_id: public.key_id(),
            public_key: public.to_spki_pem(),
            signature: base64::engine::general_purpose::STANDARD.encode(key.sign(message)),
            signer,
            signed_at,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        to_document_bytes(self)
    }

    /// Parses a stored record; `file` names it in errors.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Self, DocumentError> {
        let record: SignatureRecord = parse_document(bytes, file, "a signature record")?;
        if record.doc_type != SIGNATURE_TYPE {
            return Err(DocumentError::WrongType {
                file: file.into(),
                expected: SIGNATURE_TYPE,
                found: record.doc_type,
            });
        }
        Ok(record)
    }

    /// Checks that this record is a valid strict Ed25519 signature, by the
    /// key it encloses, over `message` as the stored bytes of `signed_file`.
    pub fn check(&self, signed_file: &str, message: &[u8]) -> Result<PublicKey, SignatureError> {
        if self.signed_file != signed_file {
            return Err(SignatureError::WrongFile {
                expected: signed_file.into(),
                found: self.signed_file.clone(),
            });
        }
        let key = PublicKey::from_spki_pem(&self.public_key)
            .map_err(|e| SignatureError::BadKey(e.to_string()))?;
        if key.key_id() != self.key_id {
            return Err(SignatureError::KeyIdMismatch {
                claimed: self.key_id,
                actual: key.key_id(),
            });
        }
        let raw = base64::engine::general_purpose::STANDARD
            .decode(self.signature.as_bytes())
            .map_err(|_| SignatureError::BadEncoding)?;
        let raw: [u8; 64] = raw.try_into().map_err(|_| SignatureError::BadEncoding)?;
        key.verify_strict(message, &raw)
            .map_err(|_| SignatureError::DoesNotVerify(self.key_id))?;
        Ok(key)
    }
}

/// A JSON object as a map, refusing a key given twice (serde would keep the
/// last one silently, so two readers could disagree on what was signed).
fn unique_keys<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of strings")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate key {key:?}")));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Visitor)
}

/// Pretty JSON with a final newline: readable in court, one spelling.
pub(crate) fn to_document_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

pub(crate) fn parse_document<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
    file: &str,
    expected: &'static str,
) -> Result<T, DocumentError> {
    serde_json::from_slice(bytes).map_err(|e| DocumentError::Malformed {
        file: file.into(),
        expected,
        reason: e.to_string(),
    })
}

/// Bag path of the seal signature record of `key_id`.
pub fn signature_path(key_id: &KeyId) -> String {
    format!("{SIGNATURES_DIR}/{key_id}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn signature_record_checks() {
        let key = SecretKey::generate();
        let message = statement().to_bytes();
        let at = UtcTime::parse_canonical("2026-11-22T09:41:00Z").unwrap();
        let record = SignatureRecord::create(&key, Party::default(), SEAL_PATH, &message, at);
        let parsed = SignatureRecord::parse(&record.to_bytes(), "sig.json").unwrap();
        assert_eq!(
            parsed.check(SEAL_PATH, &message).unwrap().key_id(),
            key.public_key().key_id()
        );
        assert!(matches!(
            parsed.check("exhibit/custody/000001.json", &message),
            Err(SignatureError::WrongFile { .. })
        ));
        let mut tampered = message.clone();
        tampered[10] ^= 1;
        assert!(matches!(
            parsed.check(SEAL_PATH, &tampered),
            Err(SignatureError::DoesNotVerify(_))
        ));
        let mut other = parsed.clone();
        other.public_key = SecretKey::generate().public_key().to_spki_pem();
        assert!(matches!(
            other.check(SEAL_PATH, &message),
            Err(SignatureError::KeyIdMismatch { .. })
        ));
        let mut garbled = parsed;
        garbled.signature = "not base64!".into();
        assert!(matches!(
            garbled.check(SEAL_PATH, &message),
            Err(SignatureError::BadEncoding)
        ));
    }
}
