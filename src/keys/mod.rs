//! Ed25519 signing keys: loading and saving in the standard formats
//! (PKCS#8 PEM secret keys, plain or passphrase-encrypted, and SPKI PEM
//! public keys, as `openssl genpkey -algorithm ed25519` makes them), key ids,
//! signing, and strict verification.
//!
//! Everything that signs or verifies goes through this module, so the rules
//! live in one place: strict Ed25519 (`verify_strict`: no malleable
//! signatures, no small-order keys), and a key id that is the SHA-256 of the
//! 32 raw public-key bytes.
//!
//! The module never prompts: a passphrase is asked for through a callback,
//! and only when the key file is encrypted.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use pkcs8::der::asn1::OctetStringRef;
use pkcs8::der::pem::PemLabel;
use pkcs8::der::{Decode, Reader, SliceReader};
use pkcs8::pkcs5::pbes2::{self, Kdf, Pbkdf2Prf};
use pkcs8::spki::{AlgorithmIdentifierRef, ObjectIdentifier, SubjectPublicKeyInfoRef};
use pkcs8::{EncryptedPrivateKeyInfo, LineEnding, PrivateKeyInfo, SecretDocument};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::limits::MAX_KEY_FILE_BYTES;

/// PBKDF2-HMAC-SHA256 iterations used when we encrypt a secret key
/// (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;

/// The `type` written in identity files.
pub const IDENTITY_TYPE: &str = "exhibit.identity/1";

const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const OID_X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");

const MAKE_A_KEY: &str = "exhibit signs with Ed25519 keys only (make one with `exhibit keygen` or `openssl genpkey -algorithm ed25519`)";

/// Everything that can go wrong with a key. Each message names the file
/// (or, for keys that arrive inside another document, what the caller said
/// they are).
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file is missing, unreadable or cannot be written.
    #[error("{action} {}: {cause}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        cause: io::Error,
    },
    /// The file is not PEM text at all.
    #[error("{}: not a PEM key file ({detail})", path.display())]
    NotPem { path: PathBuf, detail: String },
    /// PEM, but cut short or damaged.
    #[error("{}: damaged or truncated key ({detail})", path.display())]
    Malformed { path: PathBuf, detail: String },
    /// A key, but not an Ed25519 one (RSA, EC P-256, OpenSSH format, ...).
    #[error("{}: this is {found}; {hint}", path.display())]
    WrongKeyType {
        path: PathBuf,
        found: String,
        hint: String,
    },
    /// A public key where the secret key is needed.
    #[error("{}: this is a public key; the secret key (.key) is needed here", path.display())]
    PublicGivenForSecret { path: PathBuf },
    /// A secret key where a public key is expected.
    #[error("{}: this is a secret key; give the public key (.pub) here and keep the secret key private", path.display())]
    SecretGivenForPublic { path: PathBuf },
    /// The passphrase does not open the encrypted key.
    #[error("{}: wrong passphrase", path.display())]
    WrongPassphrase { path: PathBuf },
    /// The key is encrypted and no passphrase could be obtained.
    #[error("{} is encrypted and no passphrase is available: {reason}", path.display())]
    PassphraseUnavailable { path: PathBuf, reason: String },
    /// Encrypted with a scheme we cannot (or will not) decrypt.
    #[error("{}: encrypted with {scheme}, which exhibit cannot open; re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in FILE -out NEW.key`", path.display())]
    UnsupportedEncryption { path: PathBuf, scheme: String },
    /// A small-order or non-canonical public key, refused by strict Ed25519.
    #[error("{}: weak Ed25519 public key refused ({detail})", path.display())]
    WeakKey { path: PathBuf, detail: String },
    /// The signature does not verify under strict Ed25519.
    #[error("signature does not verify under key {key_id}")]
    BadSignature { key_id: KeyId },
    /// A key file that would be overwritten.
    #[error("{} exists", path.display())]
    AlreadyExists { path: PathBuf },
    /// The identity file beside a key cannot be used.
    #[error("{}: unusable identity file ({detail})", path.display())]
    Identity { path: PathBuf, detail: String },
    /// Encoding a key failed (should not happen for a valid key).
    #[error("cannot encode the secret key: {0}")]
    Encode(String),
}

impl KeyError {
    fn read(path: &Path, source: io::Error) -> Self {
        KeyError::Io {
            path: path.to_path_buf(),
            action: "cannot read",
            cause: source,
        }
    }

    fn write(path: &Path, source: io::Error) -> Self {
        KeyError::Io {
            path: path.to_path_buf(),
            action: "cannot write",
            cause: source,
        }
    }

    fn malformed(path: &Path, detail: impl Into<String>) -> Self {
        KeyError::Malformed {
            path: path.to_path_buf(),
            detail: detail.into(),
        }
    }

    fn wrong_type(path: &Path, found: impl Into<String>) -> Self {
        KeyError::WrongKeyType {
            path: path.to_path_buf(),
            found: found.into(),
            hint: MAKE_A_KEY.to_string(),
        }
    }
}

// ---------------------------------------------------------------------------
// Key id

/// The SHA-256 of the 32 raw Ed25519 public-key bytes. Shown and stored as
/// 64 lowercase hex digits; `short()` is for display only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 32]);

impl KeyId {
    /// The key id of raw public-key bytes.
    pub fn of_public_key_bytes(bytes: &[u8; 32]) -> Self {
        KeyId(Sha256::digest(bytes).into())
    }

    /// The first 16 hex digits, for display; files always store the full id.
    pub fn short(&self) -> String {
        hex::encode(&self.0[..8])
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// A string that is not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a key id (64 lowercase hex digits expected)")]
pub struct KeyIdParseError;

impl FromStr for KeyId {
    type Err = KeyIdParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Lowercase only, so one key has exactly one spelling in our files.
        if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(KeyIdParseError);
        }
        let mut id = [0u8; 32];
        hex::decode_to_slice(s, &mut id).map_err(|_| KeyIdParseError)?;
        Ok(KeyId(id))
    }
}

impl Serialize for KeyId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------
// Public keys

/// An Ed25519 public key that strict verification accepts: a canonical
/// encoding of a point that is not of small order.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(VerifyingKey);

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

fn public_from_spki_der(der: &[u8], origin: &Path) -> Result<PublicKey, KeyError> {
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

// ---------------------------------------------------------------------------
// Claimed identity

/// Who the key holder says they are. A claim, not proof: only a trusted
/// public key proves who signed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

impl Identity {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.organization.is_none()
    }
}

/// The identity file as stored (`NAME.id.json`).
#[derive(Debug, Serialize, Deserialize)]
struct IdentityFile {
    #[serde(rename = "type")]
    kind: String,
    key_id: KeyId,
    #[serde(flatten)]
    identity: Identity,
}

/// The identity file beside a secret key: `NAME.id.json` for `NAME.key`
/// (or `FILE.id.json` when the key file does not end in `.key`).
pub fn identity_path(key_path: &Path) -> PathBuf {
    sibling_path(key_path, ".id.json")
}

/// The public key file beside a secret key: `NAME.pub` for `NAME.key`
/// (or `FILE.pub` when the key file does not end in `.key`).
pub fn public_key_path(key_path: &Path) -> PathBuf {
    sibling_path(key_path, ".pub")
}

fn sibling_path(key_path: &Path, suffix: &str) -> PathBuf {
    let mut name = key_path.as_os_str().to_owned();
    if key_path.extension().is_some_and(|ext| ext == "key") {
        name = key_path.with_extension("").into_os_string();
    }
    name.push(suffix);
    PathBuf::from(name)
}

/// The claimed identity kept beside `key_path`; a missing file gives
/// `Identity::default()`.
pub fn load_identity(key_path: &Path) -> Result<Identity, KeyError> {
    Ok(read_identity_file(key_path)?
        .map(|file| file.identity)
        .unwrap_or_default())
}

/// Like [`load_identity`], but refuses an identity file written for a
/// different key (e.g. left behind when the key was replaced by hand).
pub fn load_identity_for(key_path: &Path, key_id: &KeyId) -> Result<Identity, KeyError> {
    match read_identity_file(key_path)? {
        None => Ok(Identity::default()),
        Some(file) if file.key_id == *key_id => Ok(file.identity),
        Some(file) => Err(KeyError::Identity {
            path: identity_path(key_path),
            detail: format!("it belongs to key {}, not to key {key_id}", file.key_id),
        }),
    }
}

fn read_identity_file(key_path: &Path) -> Result<Option<IdentityFile>, KeyError> {
    let path = identity_path(key_path);
    let bytes = match read_limited(&path) {
        Ok(bytes) => bytes,
        Err(KeyError::Io { cause, .. }) if cause.kind() == io::ErrorKind::NotFound => {
            return Ok(None)
        }
        Err(err) => return Err(err),
    };
    let file: IdentityFile = serde_json::from_slice(&bytes).map_err(|e| KeyError::Identity {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    if file.kind != IDENTITY_TYPE {
        return Err(KeyError::Identity {
            path,
            detail: format!("type is {:?}, expected {IDENTITY_TYPE:?}", file.kind),
        });
    }
    Ok(Some(file))
}

fn identity_json(identity: &Identity, key_id: KeyId) -> Result<String, KeyError> {
    let file = IdentityFile {
        kind: IDENTITY_TYPE.to_string(),
        key_id,
        identity: identity.clone(),
    };
    let mut text =
        serde_json::to_string_pretty(&file).map_err(|e| KeyError::Encode(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

// ---------------------------------------------------------------------------
// Secret keys

/// An Ed25519 secret key; its bytes are wiped from memory when dropped.
pub struct SecretKey(SigningKey);

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

fn secret_from_pkcs8_der(der: &[u8], origin: &Path) -> Result<SecretKey, KeyError> {
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

fn secret_from_encrypted_der(
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
fn check_encryption_supported(
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
fn encryption_oid(der: &[u8]) -> Option<ObjectIdentifier> {
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

fn describe_encryption(oid: ObjectIdentifier) -> String {
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

// ---------------------------------------------------------------------------
// Saving

/// The files of one key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    /// `NAME.key`: PKCS#8 PEM, mode 0600.
    pub secret: PathBuf,
    /// `NAME.pub`: SPKI PEM.
    pub public: PathBuf,
    /// `NAME.id.json`: claimed identity (written only when there is one).
    pub identity: PathBuf,
}

impl KeyFiles {
    pub fn for_key(key_path: &Path) -> Self {
        KeyFiles {
            secret: key_path.to_path_buf(),
            public: public_key_path(key_path),
            identity: identity_path(key_path),
        }
    }

    /// Those of the three files that exist already.
    pub fn existing(&self) -> Vec<&Path> {
        [&self.secret, &self.public, &self.identity]
            .into_iter()
            .filter(|path| path.symlink_metadata().is_ok())
            .map(PathBuf::as_path)
            .collect()
    }
}

/// Writes `NAME.key` (mode 0600 from creation), `NAME.pub` and, when the
/// identity is not empty, `NAME.id.json`. Each file is written to a
/// temporary name, synced and renamed, so none is ever seen half-written.
/// Without `overwrite`, an existing file is refused (also when it appears
/// while we write); with it, a stale identity file is removed.
pub fn save_key_pair(
    key_path: &Path,
    secret: &SecretKey,
    passphrase: Option<&[u8]>,
    identity: &Identity,
    overwrite: bool,
) -> Result<KeyFiles, KeyError> {
    let files = KeyFiles::for_key(key_path);
    if !overwrite {
        if let Some(path) = files.existing().first() {
            return Err(KeyError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
    }
    let public = secret.public_key();
    let secret_pem = secret.to_pkcs8_pem(passphrase)?;
    let secret_tmp = write_temp(&files.secret, secret_pem.as_bytes(), 0o600)?;
    let public_tmp = write_temp(&files.public, public.to_spki_pem().as_bytes(), 0o644)?;
    let identity_tmp = if identity.is_empty() {
        None
    } else {
        let text = identity_json(identity, public.key_id())?;
        Some(write_temp(&files.identity, text.as_bytes(), 0o644)?)
    };

    commit_temp(secret_tmp, &files.secret, overwrite)?;
    commit_temp(public_tmp, &files.public, overwrite)?;
    match identity_tmp {
        Some(tmp) => commit_temp(tmp, &files.identity, overwrite)?,
        None => match fs::remove_file(&files.identity) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(KeyError::write(&files.identity, e)),
        },
    }
    sync_parent(&files.secret);
    Ok(files)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn write_temp(
    path: &Path,
    contents: &[u8],
    mode: u32,
) -> Result<tempfile::NamedTempFile, KeyError> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".exhibit-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Set at open(2), so the secret key is never readable by others.
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut tmp = builder
        .tempfile_in(parent_dir(path))
        .map_err(|e| KeyError::write(path, e))?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| KeyError::write(path, e))?;
    Ok(tmp)
}

fn commit_temp(tmp: tempfile::NamedTempFile, path: &Path, overwrite: bool) -> Result<(), KeyError> {
    let result = if overwrite {
        tmp.persist(path).map(drop)
    } else {
        tmp.persist_noclobber(path).map(drop)
    };
    result.map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            KeyError::AlreadyExists {
                path: path.to_path_buf(),
            }
        } else {
            KeyError::write(path, e.error)
        }
    })
}

/// Makes the renames durable. Best effort: some file systems cannot sync a
/// directory, and the files themselves are already synced.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(parent_dir(path)) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

// ---------------------------------------------------------------------------
// Reading files and PEM

fn read_limited(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let file = File::open(path).map_err(|e| KeyError::read(path, e))?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| KeyError::read(path, e))?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(KeyError::NotPem {
            path: path.to_path_buf(),
            detail: format!("larger than {MAX_KEY_FILE_BYTES} bytes, too large to be a key file"),
        });
    }
    Ok(bytes)
}

fn read_key_file(path: &Path) -> Result<Zeroizing<String>, KeyError> {
    let bytes = read_limited(path)?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Zeroizing::new(text.to_string())),
        Err(_) => Err(KeyError::NotPem {
            path: path.to_path_buf(),
            detail: if bytes.first() == Some(&0x30) {
                "binary, probably DER; convert it with `openssl pkey -inform DER -in FILE -out FILE.pem`"
                    .to_string()
            } else {
                "binary data, not text".to_string()
            },
        }),
    }
}

/// The kinds of PEM block we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PemKind {
    /// `PRIVATE KEY`: PKCS#8 PrivateKeyInfo.
    Pkcs8,
    /// `ENCRYPTED PRIVATE KEY`: PKCS#8 EncryptedPrivateKeyInfo.
    EncryptedPkcs8,
    /// `PUBLIC KEY`: SubjectPublicKeyInfo.
    Spki,
}

struct PemBlock {
    kind: PemKind,
    der: Zeroizing<Vec<u8>>,
}

/// Finds the first PEM block, classifies it by label (refusing other key
/// types with a clear message) and decodes its base64 body. Text around the
/// block is ignored, as RFC 7468 allows.
fn parse_pem(text: &str, origin: &Path) -> Result<PemBlock, KeyError> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let Some((begin, label)) = lines.iter().enumerate().find_map(|(i, line)| {
        let label = line.strip_prefix("-----BEGIN ")?.strip_suffix("-----")?;
        Some((i, label))
    }) else {
        return Err(not_pem(text, origin));
    };
    let kind = match label {
        "PRIVATE KEY" => PemKind::Pkcs8,
        "ENCRYPTED PRIVATE KEY" => PemKind::EncryptedPkcs8,
        "PUBLIC KEY" => PemKind::Spki,
        other => return Err(foreign_pem(other, &lines[begin + 1..], origin)),
    };
    let end_line = format!("-----END {label}-----");
    let Some(end) = lines[begin + 1..].iter().position(|line| *line == end_line) else {
        return Err(KeyError::malformed(
            origin,
            format!("no \"{end_line}\" line; the file is cut short"),
        ));
    };
    let body = &lines[begin + 1..begin + 1 + end];
    if body.iter().any(|line| line.contains(':')) {
        return Err(KeyError::malformed(origin, "unexpected PEM header lines"));
    }
    let base64_text = Zeroizing::new(body.concat());
    if base64_text.is_empty() {
        return Err(KeyError::malformed(origin, "the PEM block is empty"));
    }
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(base64_text.as_bytes())
        .map_err(|_| KeyError::malformed(origin, "the base64 text is damaged"))?;
    Ok(PemBlock {
        kind,
        der: Zeroizing::new(der),
    })
}

fn not_pem(text: &str, origin: &Path) -> KeyError {
    let first = text.trim_start();
    if first.starts_with("ssh-") || first.starts_with("ecdsa-sha2-") {
        return KeyError::WrongKeyType {
            path: origin.to_path_buf(),
            found: "an OpenSSH public key".to_string(),
            hint: "exhibit reads SPKI PEM public keys (\"-----BEGIN PUBLIC KEY-----\"); docs/KEYS.md shows how to convert an OpenSSH Ed25519 public key".to_string(),
        };
    }
    KeyError::NotPem {
        path: origin.to_path_buf(),
        detail: if first.is_empty() {
            "the file is empty".to_string()
        } else {
            "no \"-----BEGIN ...-----\" line".to_string()
        },
    }
}

/// A PEM block that is not PKCS#8 or SPKI: say what it is.
fn foreign_pem(label: &str, rest: &[&str], origin: &Path) -> KeyError {
    let found = match label {
        "RSA PRIVATE KEY" | "RSA PUBLIC KEY" => "an RSA key".to_string(),
        "EC PRIVATE KEY" | "EC PARAMETERS" => match sec1_curve(rest) {
            Some(curve) => format!("an EC {curve} key"),
            None => "an EC (elliptic-curve) key".to_string(),
        },
        "DSA PRIVATE KEY" => "a DSA key".to_string(),
        "OPENSSH PRIVATE KEY" => {
            return KeyError::WrongKeyType {
                path: origin.to_path_buf(),
                found: "an OpenSSH-format private key".to_string(),
                hint: "exhibit reads PKCS#8 PEM keys (\"-----BEGIN PRIVATE KEY-----\"); make one with `exhibit keygen` or `openssl genpkey -algorithm ed25519`".to_string(),
            };
        }
        "SSH2 PUBLIC KEY" => "an SSH2 public key".to_string(),
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            return KeyError::WrongKeyType {
                path: origin.to_path_buf(),
                found: "an X.509 certificate".to_string(),
                hint: "give the key itself (extract the public key with `openssl x509 -in FILE -pubkey -noout`)".to_string(),
            };
        }
        label if label.starts_with("PGP ") => "an OpenPGP key".to_string(),
        label => format!("a PEM \"{label}\" block"),
    };
    KeyError::wrong_type(origin, found)
}

/// The named curve inside a SEC1 (`EC PRIVATE KEY` / `EC PARAMETERS`) body,
/// found by its OID, for a more helpful message.
fn sec1_curve(rest: &[&str]) -> Option<&'static str> {
    use base64::Engine as _;
    let body: String = rest
        .iter()
        .take_while(|line| !line.starts_with("-----END "))
        .copied()
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .ok()?;
    [
        (OID_P256, "P-256"),
        (OID_P384, "P-384"),
        (OID_P521, "P-521"),
        (OID_SECP256K1, "secp256k1"),
    ]
    .into_iter()
    .find(|(oid, _)| {
        der.windows(oid.as_bytes().len())
            .any(|w| w == oid.as_bytes())
    })
    .map(|(_, name)| name)
}

/// Accepts Ed25519 (with absent parameters, RFC 8410); names anything else.
fn check_algorithm(algorithm: &AlgorithmIdentifierRef<'_>, origin: &Path) -> Result<(), KeyError> {
    let oid = algorithm.oid;
    if oid == OID_ED25519 {
        if algorithm.parameters.is_some() {
            return Err(KeyError::malformed(
                origin,
                "Ed25519 algorithm identifier with parameters",
            ));
        }
        return Ok(());
    }
    let found = if oid == OID_RSA || oid == OID_RSA_PSS {
        "an RSA key".to_string()
    } else if oid == OID_EC {
        let curve = algorithm.parameters_oid().ok();
        match curve {
            Some(c) if c == OID_P256 => "an EC P-256 key".to_string(),
            Some(c) if c == OID_P384 => "an EC P-384 key".to_string(),
            Some(c) if c == OID_P521 => "an EC P-521 key".to_string(),
            Some(c) if c == OID_SECP256K1 => "an EC secp256k1 key".to_string(),
            Some(c) => format!("an EC key on curve {c}"),
            None => "an EC (elliptic-curve) key".to_string(),
        }
    } else if oid == OID_ED448 {
        "an Ed448 key".to_string()
    } else if oid == OID_X25519 {
        "an X25519 key (for key agreement, not signing)".to_string()
    } else if oid == OID_X448 {
        "an X448 key (for key agreement, not signing)".to_string()
    } else if oid == OID_DSA {
        "a DSA key".to_string()
    } else {
        format!("a key of algorithm {oid}")
    };
    Err(KeyError::wrong_type(origin, found))
}

/// PEM with 64-column lines and LF line ends.
fn pem_encode(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::Verifier as _;

    fn no_passphrase() -> Result<Zeroizing<String>, KeyError> {
        panic!("passphrase asked for a key that is not encrypted")
    }

    fn unhex<const N: usize>(text: &str) -> [u8; N] {
        let mut out = [0u8; N];
        hex::decode_to_slice(text, &mut out).expect("test vector hex");
        out
    }

    /// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2.
    const RFC8032: [(&str, &str, &str, &str); 2] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        ),
    ];

    #[test]
    fn rfc8032_vectors_sign_and_verify() {
        for (seed, public, message, signature) in RFC8032 {
            let secret = SecretKey::from_seed(&unhex(seed));
            let message = hex::decode(message).unwrap();
            assert_eq!(hex::encode(secret.public_key().to_bytes()), public);
            let made = secret.sign(&message);
            assert_eq!(hex::encode(made), signature);
            secret.public_key().verify_strict(&message, &made).unwrap();
            let mut other = message.clone();
            other.push(0);
            assert!(matches!(
                secret.public_key().verify_strict(&other, &made),
                Err(KeyError::BadSignature { .. })
            ));
        }
    }

    /// Adds the group order L to the little-endian scalar S (bytes 32..64):
    /// the same signature with a non-canonical S, which lax verifiers accept.
    fn add_group_order(signature: &mut [u8; 64]) {
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for (byte, l) in signature[32..].iter_mut().zip(L) {
            let sum = u16::from(*byte) + u16::from(l) + carry;
            *byte = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(carry, 0);
    }

    #[test]
    fn strict_verification_rejects_non_canonical_s() {
        let (seed, _, message, signature) = RFC8032[1];
        let public = SecretKey::from_seed(&unhex(seed)).public_key();
        let message = hex::decode(message).unwrap();
        let mut malleated: [u8; 64] = unhex(signature);
        add_group_order(&mut malleated);
        assert_ne!(malleated, unhex::<64>(signature));
        assert!(matches!(
            public.verify_strict(&message, &malleated),
            Err(KeyError::BadSignature { .. })
        ));
    }

    /// Encodings of points of small order (1, 2, 4 and 8) on edwards25519.
    const SMALL_ORDER: [&str; 7] = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    ];

    #[test]
    fn small_order_public_keys_are_refused() {
        for encoding in SMALL_ORDER {
            let bytes: [u8; 32] = unhex(encoding);
            assert!(
                VerifyingKey::from_bytes(&bytes).unwrap().is_weak(),
                "{encoding} should be of small order"
            );
            let err = PublicKey::from_bytes(&bytes, Path::new("k.pub")).unwrap_err();
            assert!(matches!(err, KeyError::WeakKey { .. }), "{encoding}: {err}");
            let mut der = vec![
                0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
            ];
            der.extend_from_slice(&bytes);
            let pem = pem_encode("PUBLIC KEY", &der);
            assert!(matches!(
                PublicKey::from_spki_pem(&pem),
                Err(KeyError::WeakKey { .. })
            ));
        }
    }

    #[test]
    fn strict_verification_rejects_small_order_public_key() {
        // With the identity point as public key, R = identity and S = 0
        // satisfy the plain verification equation for every message.
        let identity: [u8; 32] = unhex(SMALL_ORDER[0]);
        let key = VerifyingKey::from_bytes(&identity).unwrap();
        let mut forged = [0u8; 64];
        forged[0] = 1;
        let message = b"any message at all";
        assert!(
            key.verify(message, &Signature::from_bytes(&forged)).is_ok(),
            "the lax check accepts the forgery"
        );
        let public = PublicKey(key);
        assert!(matches!(
            public.verify_strict(message, &forged),
            Err(KeyError::BadSignature { .. })
        ));
    }

    #[test]
    fn non_canonical_public_key_encoding_is_refused() {
        // y = p + k (p = 2^255 - 19) encodes the same point as y = k; for
        // k >= 2 those points are not of small order, so only the
        // canonical-encoding check can catch them.
        let mut checked = 0;
        for k in 2u8..=18 {
            let mut bytes = [0xffu8; 32];
            bytes[0] = 0xed + k;
            bytes[31] = 0x7f;
            let Ok(key) = VerifyingKey::from_bytes(&bytes) else {
                continue;
            };
            assert!(!key.is_weak());
            let err = PublicKey::from_bytes(&bytes, Path::new("k.pub")).unwrap_err();
            assert!(err.to_string().contains("non-canonical"), "{err}");
            checked += 1;
        }
        assert!(checked > 0, "no non-canonical encoding decompressed");
    }

    #[test]
    fn key_id_text_forms() {
        let public = SecretKey::from_seed(&unhex(RFC8032[0].0)).public_key();
        let id = public.key_id();
        let expected = hex::encode(Sha256::digest(public.to_bytes()));
        assert_eq!(id.to_string(), expected);
        assert_eq!(id.short(), expected[..16]);
        assert_eq!(expected.parse::<KeyId>().unwrap(), id);
        assert!(expected.to_uppercase().parse::<KeyId>().is_err());
        assert!(expected[..63].parse::<KeyId>().is_err());
        assert!(format!("{expected}0").parse::<KeyId>().is_err());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{expected}\""));
        assert_eq!(serde_json::from_str::<KeyId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<KeyId>("\"00\"").is_err());
    }

    #[test]
    fn pem_round_trips() {
        let secret = SecretKey::generate();
        let public = secret.public_key();
        let spki = public.to_spki_pem();
        assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA"));
        assert!(spki.ends_with("\n-----END PUBLIC KEY-----\n"));
        assert_eq!(PublicKey::from_spki_pem(&spki).unwrap(), public);

        let pem = secret.to_pkcs8_pem(None).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"));
        let again =
            SecretKey::from_pkcs8_pem_named(&pem, Path::new("k.key"), &no_passphrase).unwrap();
        assert_eq!(again.public_key(), public);
    }

    #[test]
    fn encrypted_pem_round_trips_and_refuses_wrong_passphrase() {
        let secret = SecretKey::generate();
        let pem = secret.to_pkcs8_pem(Some(b"correct horse")).unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        let right = || Ok(Zeroizing::new("correct horse".to_string()));
        let again = SecretKey::from_pkcs8_pem_named(&pem, Path::new("k.key"), &right).unwrap();
        assert_eq!(again.public_key(), secret.public_key());
        let wrong = || Ok(Zeroizing::new("battery staple".to_string()));
        let err = SecretKey::from_pkcs8_pem_named(&pem, Path::new("k.key"), &wrong).unwrap_err();
        assert!(matches!(err, KeyError::WrongPassphrase { .. }), "{err}");
        assert_eq!(err.to_string(), "k.key: wrong passphrase");
    }

    #[test]
    fn public_and_secret_are_not_interchangeable() {
        let secret = SecretKey::generate();
        let spki = secret.public_key().to_spki_pem();
        let err =
            SecretKey::from_pkcs8_pem_named(&spki, Path::new("a.pub"), &no_passphrase).unwrap_err();
        assert!(matches!(err, KeyError::PublicGivenForSecret { .. }));
        assert!(err.to_string().starts_with("a.pub: "));
        let pem = secret.to_pkcs8_pem(None).unwrap();
        let err = PublicKey::from_spki_pem_named(&pem, Path::new("a.key")).unwrap_err();
        assert!(matches!(err, KeyError::SecretGivenForPublic { .. }));
        assert!(err.to_string().starts_with("a.key: "));
    }

    #[test]
    fn embedded_public_key_must_match() {
        let secret = SecretKey::generate();
        let other = SecretKey::generate();
        let pair = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: secret.0.to_bytes(),
            public_key: Some(ed25519_dalek::pkcs8::PublicKeyBytes(
                other.public_key().to_bytes(),
            )),
        };
        use pkcs8::EncodePrivateKey as _;
        let pem = pair.to_pkcs8_pem(LineEnding::LF).unwrap();
        let err =
            SecretKey::from_pkcs8_pem_named(&pem, Path::new("k.key"), &no_passphrase).unwrap_err();
        assert!(matches!(err, KeyError::Malformed { .. }), "{err}");
    }

    #[test]
    fn damaged_pem_is_reported() {
        let pem = SecretKey::generate().to_pkcs8_pem(None).unwrap();
        let origin = Path::new("k.key");
        let cut = &pem[..pem.len() / 2];
        let err = SecretKey::from_pkcs8_pem_named(cut, origin, &no_passphrase).unwrap_err();
        assert!(matches!(err, KeyError::Malformed { .. }), "{err}");
        let lines: Vec<&str> = pem.lines().collect();
        let short = format!("{}\nMC4CAQAw\n{}\n", lines[0], lines[lines.len() - 1]);
        let err = SecretKey::from_pkcs8_pem_named(&short, origin, &no_passphrase).unwrap_err();
        assert!(matches!(err, KeyError::Malformed { .. }), "{err}");
        let err = SecretKey::from_pkcs8_pem_named("hello", origin, &no_passphrase).unwrap_err();
        assert!(matches!(err, KeyError::NotPem { .. }), "{err}");
        let err = SecretKey::from_pkcs8_pem_named("", origin, &no_passphrase).unwrap_err();
        assert!(matches!(err, KeyError::NotPem { .. }), "{err}");
    }

    #[test]
    fn foreign_formats_are_named() {
        let origin = Path::new("k");
        let cases = [
            ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "OpenSSH"),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n", "RSA"),
            ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE user@host\n", "OpenSSH public key"),
            ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "certificate"),
        ];
        for (text, word) in cases {
            let err = load_any_public_text(text, origin).unwrap_err();
            assert!(matches!(err, KeyError::WrongKeyType { .. }), "{err}");
            assert!(err.to_string().contains(word), "{err}");
        }
    }

    fn load_any_public_text(text: &str, origin: &Path) -> Result<PublicKey, KeyError> {
        let block = parse_pem(text, origin)?;
        match block.kind {
            PemKind::Spki => public_from_spki_der(&block.der, origin),
            _ => Ok(secret_from_pkcs8_der(&block.der, origin)?.public_key()),
        }
    }

    #[test]
    fn sibling_paths() {
        assert_eq!(
            public_key_path(Path::new("a/ex.key")),
            Path::new("a/ex.pub")
        );
        assert_eq!(
            identity_path(Path::new("a/ex.key")),
            Path::new("a/ex.id.json")
        );
        assert_eq!(public_key_path(Path::new("ex")), Path::new("ex.pub"));
        assert_eq!(
            public_key_path(Path::new("ex.pem")),
            Path::new("ex.pem.pub")
        );
        assert_eq!(identity_path(Path::new("ex")), Path::new("ex.id.json"));
    }
}
