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

use std::io;
use std::path::{Path, PathBuf};

mod files;
mod id;
mod identity;
mod pem;
#[cfg(feature = "native")]
mod pkcs11;
mod pkcs12;
mod public;
mod secret;

pub use files::{save_key_pair, KeyFiles};
pub use id::{KeyId, KeyIdParseError};
pub use identity::{identity_path, load_identity, load_identity_for, public_key_path, Identity};
#[cfg(feature = "native")]
pub use pkcs11::{open_token_signer, TokenUri};
pub use pkcs12::load_cert_signer;

/// What signs: an Ed25519 key (a signature record), or an X.509
/// certificate with its key (a detached CMS signature, `.p7s`).
#[derive(Clone, Copy)]
pub enum Signer<'a> {
    Key(&'a SecretKey),
    Cert(&'a crate::tsp::CertSigner),
}

impl Signer<'_> {
    /// The key id, or the certificate id (SHA-256 of its DER).
    pub fn id(&self) -> KeyId {
        match self {
            Signer::Key(key) => key.public_key().key_id(),
            Signer::Cert(cert) => cert.id(),
        }
    }
}
pub use public::PublicKey;
pub use secret::{load_any_public, SecretKey};

/// PBKDF2-HMAC-SHA256 iterations used when we encrypt a secret key
/// (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;

/// The `type` written in identity files.
pub const IDENTITY_TYPE: &str = "exhibit.identity/1";

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
    /// A PKCS#11 module, token or object that cannot sign.
    #[error("{what}: {detail}")]
    Pkcs11 { what: String, detail: String },
    /// A PKCS#12 file that cannot sign: damaged, no key, or a certificate
    /// that is not the key's.
    #[error("{}: {detail}", path.display())]
    Pkcs12 { path: PathBuf, detail: String },
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

#[cfg(test)]
mod tests;
