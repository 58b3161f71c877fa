//! Public keys: SPKI PEM, strict Ed25519 verification.

use std::fmt;
use std::path::Path;

use ed25519_dalek::{Signature, VerifyingKey};
use pkcs8::der::Decode;
use pkcs8::spki::SubjectPublicKeyInfoRef;

use super::id::KeyId;
use super::pem::{check_algorithm, parse_pem, pem_encode, read_key_file, PemKind};
use super::KeyError;

/// An Ed25519 public key that strict verification accepts: a canonical
/// encoding of a point that is not of small order.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub(super) VerifyingKey);

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

impl PublicKey {
    /// Checks 32 raw bytes; `origin` names where they came from in errors.
    pub fn from_bytes(bytes: &[u8; 32], origin: &Path) -> Result<Self, KeyError> {
        let weak = |detail: &str| KeyError::WeakKey {
            path: origin.to_path_buf(),
            detail: detail.to_string(),
        };
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| {
            KeyError::malformed(origin, "the public key is not a point on the curve")
        })?;
        // One key, one encoding, one key id.
        if key.to_edwards().compress().as_bytes() != bytes {
            return Err(weak("non-canonical point encoding"));
        }
        if key.is_weak() {
            return Err(weak("small-order point"));
        }
        Ok(PublicKey(key))
    }

    /// Parses an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`).
    pub fn from_spki_pem(pem: &str) -> Result<Self, KeyError> {
        Self::from_spki_pem_named(pem, Path::new("public key"))
    }

    /// Like [`PublicKey::from_spki_pem`], naming `origin` (the file or
    /// record the PEM came from) in errors.
    pub fn from_spki_pem_named(pem: &str, origin: &Path) -> Result<Self, KeyError> {
        let block = parse_pem(pem, origin)?;
        match block.kind {
            PemKind::Spki => public_from_spki_der(&block.der, origin),
            PemKind::Pkcs8 | PemKind::EncryptedPkcs8 => Err(KeyError::SecretGivenForPublic {
                path: origin.to_path_buf(),
            }),
        }
    }

    /// SPKI PEM with LF line ends, as `openssl pkey -pubout` writes it.
    pub fn to_spki_pem(&self) -> String {
        // The DER is fixed: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) }.
        let mut der = Vec::with_capacity(44);
        der.extend_from_slice(&[
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ]);
        der.extend_from_slice(self.0.as_bytes());
        pem_encode("PUBLIC KEY", &der)
    }

    /// The 32 raw public-key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn key_id(&self) -> KeyId {
        KeyId::of_public_key_bytes(self.0.as_bytes())
    }

    /// Strict Ed25519 verification (RFC 8032 with canonical S, and no
    /// small-order R or public key), so a signature cannot be altered into
    /// another valid one.
    pub fn verify_strict(&self, message: &[u8], signature: &[u8; 64]) -> Result<(), KeyError> {
        let signature = Signature::from_bytes(signature);
        self.0
            .verify_strict(message, &signature)
            .map_err(|_| KeyError::BadSignature {
                key_id: self.key_id(),
            })
    }

    /// Loads a `.pub` file (SPKI PEM).
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = read_key_file(path)?;
        Self::from_spki_pem_named(&text, path)
    }
}

pub(super) fn public_from_spki_der(der: &[u8], origin: &Path) -> Result<PublicKey, KeyError> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| {
        KeyError::malformed(origin, format!("not a valid public key structure: {e}"))
    })?;
    check_algorithm(&spki.algorithm, origin)?;
    let raw = spki
        .subject_public_key
        .as_bytes()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| KeyError::malformed(origin, "the public key is not 32 bytes"))?;
    PublicKey::from_bytes(&raw, origin)
}
