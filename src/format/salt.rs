//! Merkle leaf salts (seal format 2): one 256-bit salt per payload file,
//! derived from the sealing key and the seal's identity, kept in
//! `exhibit/merkle-salts.txt`.
//!
//! A salt must be unpredictable to anyone without the sealing key (or a
//! disclosed file's neighbours in the tree would confirm a guessed file),
//! yet sealing must stay reproducible. So salts are not drawn at random:
//!
//! - `salt_key = HKDF-SHA256(salt = none, ikm = the 32-byte Ed25519 seed,
//!   info = "exhibit.merkle-salt-key/1")`, 32 bytes;
//! - `salt = HMAC-SHA256(salt_key, message)`, where `message` is
//!   `"exhibit.merkle-salt/1" 0x00`, then `u64be(len(x)) || x` for each of
//!   case id, exhibit id, `sealed_at` (its canonical text) and the bag path,
//!   in that order (all UTF-8).
//!
//! The length prefixes make the message unambiguous whatever the fields
//! hold; the case, exhibit and time make the same file in another seal get
//! another salt. HMAC is a PRF and HKDF one-way, so salts reveal nothing
//! about the salt key, let alone the signing key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::keys::SecretKey;
use crate::time::UtcTime;

/// Where the salts live in a full bundle (never in a disclosure bundle).
pub const MERKLE_SALTS_PATH: &str = "exhibit/merkle-salts.txt";
/// HKDF `info` of the salt key.
pub const SALT_KEY_INFO: &[u8] = b"exhibit.merkle-salt-key/1";
/// First bytes of every salt message.
pub const SALT_MESSAGE_PREFIX: &[u8] = b"exhibit.merkle-salt/1\0";

/// Derives the salts of one seal. Holds the HMAC state after the fields all
/// salts of the seal share, so a salt costs one HMAC over the path.
pub struct Salter {
    prefix: Hmac<Sha256>,
}

impl Salter {
    /// The salter of the seal of `case_id`/`exhibit_id` at `sealed_at`,
    /// made with `key`.
    pub fn new(key: &SecretKey, case_id: &str, exhibit_id: &str, sealed_at: UtcTime) -> Self {
        let salt_key = key.derive_key(SALT_KEY_INFO);
        Self::with_salt_key(salt_key.as_ref(), case_id, exhibit_id, sealed_at)
    }

    /// The salter of a seal by a certificate, whose key may never leave its
    /// token: a random salt key. The salts are kept in the bundle either
    /// way; only a seal by an Ed25519 key can be made again identically.
    pub fn random(case_id: &str, exhibit_id: &str, sealed_at: UtcTime) -> Self {
        use rand_core::RngCore;
        let mut salt_key = zeroize::Zeroizing::new([0u8; 32]);
        rand_core::OsRng.fill_bytes(&mut *salt_key);
        Self::with_salt_key(&*salt_key, case_id, exhibit_id, sealed_at)
    }

    fn with_salt_key(salt_key: &[u8], case_id: &str, exhibit_id: &str, sealed_at: UtcTime) -> Self {
        let mut prefix =
            Hmac::<Sha256>::new_from_slice(salt_key).expect("HMAC takes any key length");
        prefix.update(SALT_MESSAGE_PREFIX);
        for field in [case_id, exhibit_id, &sealed_at.to_string()] {
            update_field(&mut prefix, field);
        }
        Salter { prefix }
    }

    /// The salt of the payload file at `bag_path` (`data/...`).
    pub fn salt(&self, bag_path: &str) -> [u8; 32] {
        let mut mac = self.prefix.clone();
        update_field(&mut mac, bag_path);
        mac.finalize().into_bytes().into()
    }
}

fn update_field(mac: &mut Hmac<Sha256>, field: &str) {
    mac.update(&(field.len() as u64).to_be_bytes());
    mac.update(field.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salter(case: &str, exhibit: &str, time: &str) -> Salter {
        let key = SecretKey::from_seed(&[7u8; 32]);
        Salter::new(&key, case, exhibit, UtcTime::parse_canonical(time).unwrap())
    }

    #[test]
    fn salt_vector() {
        // Computed independently (Python hmac/hashlib) from the module docs.
        let s = salter("42", "A1", "2026-11-22T10:00:00Z");
        assert_eq!(hex::encode(s.salt("data/disk.img")), SALT_VECTOR);
    }

    const SALT_VECTOR: &str = "63384357ab3c14c3ae38cca02c422ca19326132d80de666451dd201651915289";

    #[test]
    fn every_field_and_the_key_change_the_salt() {
        let base = salter("42", "A1", "2026-11-22T10:00:00Z").salt("data/x");
        assert_eq!(
            base,
            salter("42", "A1", "2026-11-22T10:00:00Z").salt("data/x")
        );
        for other in [
            salter("43", "A1", "2026-11-22T10:00:00Z").salt("data/x"),
            salter("42", "A2", "2026-11-22T10:00:00Z").salt("data/x"),
            salter("42", "A1", "2026-11-22T10:00:01Z").salt("data/x"),
            salter("42", "A1", "2026-11-22T10:00:00Z").salt("data/y"),
            // Moving bytes between fields is another message.
            salter("4", "2A1", "2026-11-22T10:00:00Z").salt("data/x"),
        ] {
            assert_ne!(base, other);
        }
        let other_key = Salter::new(
            &SecretKey::from_seed(&[8u8; 32]),
            "42",
            "A1",
            UtcTime::parse_canonical("2026-11-22T10:00:00Z").unwrap(),
        );
        assert_ne!(base, other_key.salt("data/x"));
    }
}
