//! Key ids: the SHA-256 of the 32 raw Ed25519 public-key bytes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

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
