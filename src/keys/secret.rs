//! Secret keys: PKCS#8 PEM, plain or passphrase-encrypted (PBES2), signing.

use std::fmt;
use std::path::Path;

use ed25519_dalek::SigningKey;
use pkcs8::der::asn1::OctetStringRef;
use pkcs8::der::pem::PemLabel;
use pkcs8::der::{Decode, Reader, SliceReader};
use pkcs8::pkcs5::pbes2::{self, Kdf, Pbkdf2Prf};
use pkcs8::spki::{AlgorithmIdentifierRef, ObjectIdentifier};
use pkcs8::{EncryptedPrivateKeyInfo, LineEnding, PrivateKeyInfo, SecretDocument};
use rand_core::{OsRng, RngCore};
use zeroize::Zeroizing;

use super::pem::{check_algorithm, parse_pem, read_key_file, PemKind};
use super::public::{public_from_spki_der, PublicKey};
use super::{KeyError, PBKDF2_ITERATIONS};

/// An Ed25519 secret key; its bytes are wiped from memory when dropped.
pub struct SecretKey(pub(super) SigningKey);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({})", self.public_key().key_id())
    }
}

impl SecretKey {
    /// A new key from the operating system's random number generator.
    pub fn generate() -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(seed.as_mut());
        SecretKey(SigningKey::from_bytes(&seed))
    }

    /// The key from its 32-byte RFC 8032 seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SecretKey(SigningKey::from_bytes(seed))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// A pure Ed25519 signature (RFC 8032) over `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.0.sign(message).to_bytes()
    }

    /// A 32-byte key for another purpose, derived from the 32-byte seed
    /// with HKDF-SHA256 (RFC 5869: no salt, the seed as input keying
    /// material, `info` naming the purpose). One-way: neither the seed nor
    /// the signing key can be computed from it, and keys for different
    /// `info` strings are independent of each other.
    pub fn derive_key(&self, info: &[u8]) -> Zeroizing<[u8; 32]> {
        let hkdf = hkdf::Hkdf::<sha2::Sha256>::new(None, self.0.as_bytes());
        let mut out = Zeroizing::new([0u8; 32]);
        hkdf.expand(info, out.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        out
    }

    /// Loads a PKCS#8 PEM secret key, plain or encrypted. `passphrase` is
    /// called only when the file is encrypted.
    pub fn load(
        path: &Path,
        passphrase: &dyn Fn() -> Result<Zeroizing<String>, KeyError>,
    ) -> Result<Self, KeyError> {
        let text = read_key_file(path)?;
        Self::from_pkcs8_pem_named(&text, path, passphrase)
    }

    /// Parses a PKCS#8 PEM secret key; `origin` names it in errors.
    pub fn from_pkcs8_pem_named(
        pem: &str,
        origin: &Path,
        passphrase: &dyn Fn() -> Result<Zeroizing<String>, KeyError>,
    ) -> Result<Self, KeyError> {
        let block = parse_pem(pem, origin)?;
        match block.kind {
            PemKind::Pkcs8 => secret_from_pkcs8_der(&block.der, origin),
            PemKind::EncryptedPkcs8 => secret_from_encrypted_der(&block.der, origin, passphrase),
            PemKind::Spki => Err(KeyError::PublicGivenForSecret {
                path: origin.to_path_buf(),
            }),
        }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, version 1 without the
    /// public key, as OpenSSL writes it), or with a passphrase
    /// `-----BEGIN ENCRYPTED PRIVATE KEY-----`: PBES2 with
    /// PBKDF2-HMAC-SHA256 ([`PBKDF2_ITERATIONS`], 16-byte random salt) and
    /// AES-256-CBC (random IV), which `openssl pkey -passin` opens.
    pub fn to_pkcs8_pem(&self, passphrase: Option<&[u8]>) -> Result<Zeroizing<String>, KeyError> {
        let encode_err = |e: &dyn fmt::Display| KeyError::Encode(e.to_string());
        // privateKey is an OCTET STRING holding the OCTET STRING of the seed.
        let mut inner = Zeroizing::new([0u8; 34]);
        inner[0] = 0x04;
        inner[1] = 0x20;
        inner[2..].copy_from_slice(self.0.as_bytes());
        let info = PrivateKeyInfo::new(ed25519_dalek::pkcs8::ALGORITHM_ID, &inner[..]);
        let pem = match passphrase {
            None => SecretDocument::encode_msg(&info)
                .map_err(|e| encode_err(&e))?
                .to_pem(PrivateKeyInfo::PEM_LABEL, LineEnding::LF),
            Some(passphrase) => {
                let mut salt = [0u8; 16];
                let mut iv = [0u8; 16];
                OsRng.fill_bytes(&mut salt);
                OsRng.fill_bytes(&mut iv);
                let params =
                    pbes2::Parameters::pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, &iv)
                        .map_err(|e| encode_err(&e))?;
                info.encrypt_with_params(params, passphrase)
                    .map_err(|e| encode_err(&e))?
                    .to_pem(EncryptedPrivateKeyInfo::PEM_LABEL, LineEnding::LF)
            }
        };
        pem.map_err(|e| encode_err(&e))
    }
}

pub(super) fn secret_from_pkcs8_der(der: &[u8], origin: &Path) -> Result<SecretKey, KeyError> {
    let info = PrivateKeyInfo::from_der(der)
        .map_err(|e| KeyError::malformed(origin, format!("not a valid PKCS#8 structure: {e}")))?;
    check_algorithm(&info.algorithm, origin)?;
    let pair = ed25519_dalek::pkcs8::KeypairBytes::try_from(info)
        .map_err(|e| KeyError::malformed(origin, format!("not a valid Ed25519 key: {e}")))?;
    // Also rejects a file whose embedded public key is not this key's.
    let key = SigningKey::try_from(&pair).map_err(|_| {
        KeyError::malformed(
            origin,
            "the public key inside does not match the secret key",
        )
    })?;
    Ok(SecretKey(key))
}

pub(super) fn secret_from_encrypted_der(
    der: &[u8],
    origin: &Path,
    passphrase: &dyn Fn() -> Result<Zeroizing<String>, KeyError>,
) -> Result<SecretKey, KeyError> {
    let encrypted = match EncryptedPrivateKeyInfo::from_der(der) {
        Ok(encrypted) => encrypted,
        Err(e) => {
            // Well-formed outside but unreadable inside: an encryption
            // scheme the pkcs5 crate does not know (DES, RC2, ...).
            return Err(match encryption_oid(der) {
                Some(oid) => KeyError::UnsupportedEncryption {
                    path: origin.to_path_buf(),
                    scheme: describe_encryption(oid),
                },
                None => KeyError::malformed(
                    origin,
                    format!("not a valid encrypted PKCS#8 structure: {e}"),
                ),
            });
        }
    };
    check_encryption_supported(&encrypted, origin)?;
    let passphrase = passphrase()?;
    // A wrong passphrase shows as bad padding or, rarely, as garbage that
    // is not DER; both mean the same to the user.
    let wrong = || KeyError::WrongPassphrase {
        path: origin.to_path_buf(),
    };
    let document = encrypted
        .decrypt(passphrase.as_bytes())
        .map_err(|_| wrong())?;
    if PrivateKeyInfo::from_der(document.as_bytes()).is_err() {
        return Err(wrong());
    }
    secret_from_pkcs8_der(document.as_bytes(), origin)
}

/// Refuses, before asking for a passphrase, schemes we cannot decrypt.
pub(super) fn check_encryption_supported(
    encrypted: &EncryptedPrivateKeyInfo<'_>,
    origin: &Path,
) -> Result<(), KeyError> {
    let unsupported = |scheme: &str| KeyError::UnsupportedEncryption {
        path: origin.to_path_buf(),
        scheme: scheme.to_string(),
    };
    let Some(params) = encrypted.encryption_algorithm.pbes2() else {
        return Err(unsupported("legacy PBES1 encryption"));
    };
    match &params.kdf {
        Kdf::Pbkdf2(pbkdf2) if pbkdf2.prf == Pbkdf2Prf::HmacWithSha1 => {
            Err(unsupported("PBKDF2 with HMAC-SHA1"))
        }
        _ => Ok(()),
    }
}

/// The outer algorithm OID of an EncryptedPrivateKeyInfo, when only its
/// inner parameters are unknown to us.
pub(super) fn encryption_oid(der: &[u8]) -> Option<ObjectIdentifier> {
    let mut reader = SliceReader::new(der).ok()?;
    let oid = reader
        .sequence(|seq| {
            let algorithm: AlgorithmIdentifierRef<'_> = seq.decode()?;
            let _data: OctetStringRef<'_> = seq.decode()?;
            Ok(algorithm)
        })
        .ok()?
        .oid;
    reader.finish(()).ok()?;
    Some(oid)
}

pub(super) fn describe_encryption(oid: ObjectIdentifier) -> String {
    if oid == pbes2::PBES2_OID {
        "a PBES2 cipher or key derivation other than AES-CBC with PBKDF2-HMAC-SHA2 or scrypt"
            .to_string()
    } else if oid.to_string().starts_with("1.2.840.113549.1.12.1.") {
        format!("legacy PKCS#12 password-based encryption ({oid})")
    } else if oid.to_string().starts_with("1.2.840.113549.1.5.") {
        format!("legacy PBES1 encryption ({oid})")
    } else {
        format!("encryption algorithm {oid}")
    }
}

/// Loads the public key of a `.pub` or `.key` file (for `exhibit key id`);
/// `passphrase` is called only for an encrypted secret key.
pub fn load_any_public(
    path: &Path,
    passphrase: &dyn Fn() -> Result<Zeroizing<String>, KeyError>,
) -> Result<PublicKey, KeyError> {
    let text = read_key_file(path)?;
    let block = parse_pem(&text, path)?;
    match block.kind {
        PemKind::Spki => public_from_spki_der(&block.der, path),
        PemKind::Pkcs8 => Ok(secret_from_pkcs8_der(&block.der, path)?.public_key()),
        PemKind::EncryptedPkcs8 => {
            Ok(secret_from_encrypted_der(&block.der, path, passphrase)?.public_key())
        }
    }
}
