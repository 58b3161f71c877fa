//! Signature records (`exhibit/signatures/<key_id>.json`,
//! `exhibit/custody/NNNNNN.sig`): one key's Ed25519 signature over the
//! exact stored bytes of one file.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::format::document::{parse_document, to_document_bytes, DocumentError, Party};
use crate::format::seal::SEAL_PATH;
use crate::keys::{KeyId, PublicKey, SecretKey};
use crate::time::UtcTime;

/// `type` of a signature record, version 1.
pub const SIGNATURE_TYPE: &str = "exhibit.signature/1";
/// Folder of seal signature records.
pub const SIGNATURES_DIR: &str = "exhibit/signatures";

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

    /// A seal signature: over the exact bytes of `exhibit/seal.json`.
    pub fn for_seal(key: &SecretKey, signer: Party, seal_bytes: &[u8], signed_at: UtcTime) -> Self {
        SignatureRecord::create(key, signer, SEAL_PATH, seal_bytes, signed_at)
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
        let raw = self.signature_bytes()?;
        key.verify_strict(message, &raw)
            .map_err(|_| SignatureError::DoesNotVerify(self.key_id))?;
        Ok(key)
    }
}

impl SignatureRecord {
    /// The 64 raw signature bytes (what a time-stamp token covers).
    pub fn signature_bytes(&self) -> Result<[u8; 64], SignatureError> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(self.signature.as_bytes())
            .map_err(|_| SignatureError::BadEncoding)?;
        raw.try_into().map_err(|_| SignatureError::BadEncoding)
    }
}

/// Bag path of the seal signature record of `key_id`.
pub fn signature_path(key_id: &KeyId) -> String {
    format!("{SIGNATURES_DIR}/{key_id}.json")
}

/// Where a certificate's seal signature is stored: a detached CMS
/// signature named by the certificate's id (SHA-256 of its DER).
pub fn cert_signature_path(cert_id: &KeyId) -> String {
    format!("{SIGNATURES_DIR}/{cert_id}.p7s")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Vec<u8> {
        b"{\"type\": \"exhibit.seal/1\"}\n".to_vec()
    }

    #[test]
    fn signature_record_checks() {
        let key = SecretKey::generate();
        let message = message();
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
