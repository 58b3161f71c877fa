//! Unit tests of key handling.

use std::path::Path;

use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use pkcs8::LineEnding;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::id::KeyId;
use super::identity::{identity_path, public_key_path};
use super::pem::{parse_pem, pem_encode, PemKind};
use super::public::{public_from_spki_der, PublicKey};
use super::secret::{secret_from_pkcs8_der, SecretKey};
use super::KeyError;

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
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
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
    let again = SecretKey::from_pkcs8_pem_named(&pem, Path::new("k.key"), &no_passphrase).unwrap();
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
