//! The signature algorithms a TSA or its CA may use: RSA PKCS#1 v1.5 and
//! PSS, ECDSA on P-256 and P-384, each with SHA-256, SHA-384 or SHA-512.
//! Anything else is refused by name, never silently skipped.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use sha2::Digest;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::oid;

/// Digest algorithms, as named in CMS and X.509.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    /// Only for the certificate hash of an ESS `SigningCertificate` (v1),
    /// where RFC 2634 fixes it; never for a signature.
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The digest named by an `AlgorithmIdentifier` OID (SHA-1 excluded).
    pub(crate) fn for_signatures(oid: &ObjectIdentifier) -> Option<Hash> {
        match *oid {
            oid::SHA256 => Some(Hash::Sha256),
            oid::SHA384 => Some(Hash::Sha384),
            oid::SHA512 => Some(Hash::Sha512),
            _ => None,
        }
    }

    pub(crate) fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => sha1::Sha1::digest(bytes).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(bytes).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }
}

/// Smallest RSA modulus accepted: anything shorter is forgeable today.
const MIN_RSA_BITS: usize = 2048;

/// Checks `signature` over `message` by the key in `spki`. `algorithm` is
/// the signature algorithm as stated (a CMS `signatureAlgorithm` or a
/// certificate's); `digest` is the CMS `digestAlgorithm`, which is what
/// `rsaEncryption` and `id-ecPublicKey` leave the hash to.
pub(crate) fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    digest: Option<Hash>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let need_digest = || digest.ok_or_else(|| format!("{} names no digest", algorithm.oid));
    match algorithm.oid {
        oid::RSA_ENCRYPTION => rsa_pkcs1(spki, need_digest()?, message, signature),
        oid::SHA256_WITH_RSA => rsa_pkcs1(spki, Hash::Sha256, message, signature),
        oid::SHA384_WITH_RSA => rsa_pkcs1(spki, Hash::Sha384, message, signature),
        oid::SHA512_WITH_RSA => rsa_pkcs1(spki, Hash::Sha512, message, signature),
        oid::RSASSA_PSS => rsa_pss(spki, algorithm, message, signature),
        oid::ECDSA_WITH_SHA256 => ecdsa(spki, Hash::Sha256, message, signature),
        oid::ECDSA_WITH_SHA384 => ecdsa(spki, Hash::Sha384, message, signature),
        oid::ECDSA_WITH_SHA512 => ecdsa(spki, Hash::Sha512, message, signature),
        oid::EC_PUBLIC_KEY => ecdsa(spki, need_digest()?, message, signature),
        other => Err(format!(
            "signature algorithm {other} is not supported (RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256/P-384 with SHA-256/384/512 are)"
        )),
    }
}

fn rsa_key(spki: &SubjectPublicKeyInfoOwned) -> Result<rsa::RsaPublicKey, String> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::traits::PublicKeyParts;
    if !matches!(spki.algorithm.oid, oid::RSA_ENCRYPTION | oid::RSASSA_PSS) {
        return Err(format!(
            "an RSA signature, but the key is {}",
            spki.algorithm.oid
        ));
    }
    let key = rsa::RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes())
        .map_err(|e| format!("RSA public key: {e}"))?;
    if key.n().bits() < MIN_RSA_BITS {
        return Err(format!(
            "RSA key of {} bits is too short (at least {MIN_RSA_BITS})",
            key.n().bits()
        ));
    }
    Ok(key)
}

fn rsa_pkcs1(
    spki: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let key = rsa_key(spki)?;
    let scheme = match hash {
        Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        Hash::Sha1 => return Err("SHA-1 signatures are not accepted".into()),
    };
    key.verify(scheme, &hash.digest(message), signature)
        .map_err(|_| format!("RSA PKCS#1 v1.5 {} signature does not verify", hash.name()))
}

/// RSASSA-PSS with the parameters the algorithm identifier gives; the mask
/// generation function must be MGF1 with the same digest.
fn rsa_pss(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let params = algorithm
        .parameters
        .as_ref()
        .ok_or("RSA-PSS without parameters (SHA-1 defaults are not accepted)")?
        .to_der()
        .map_err(|e| e.to_string())?;
    let params = rsa::pkcs1::RsaPssParams::from_der(&params)
        .map_err(|e| format!("RSA-PSS parameters: {e}"))?;
    let hash = Hash::for_signatures(&params.hash.oid)
        .ok_or_else(|| format!("RSA-PSS with digest {}", params.hash.oid))?;
    let mgf_hash = params.mask_gen.parameters.as_ref().map(|p| p.oid);
    if params.mask_gen.oid != oid::MGF1 || mgf_hash != Some(params.hash.oid) {
        return Err("RSA-PSS mask generation must be MGF1 with the signature's digest".into());
    }
    let salt = usize::from(params.salt_len);
    let scheme = match hash {
        Hash::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
        Hash::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
        Hash::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
        Hash::Sha1 => unreachable!("for_signatures never names SHA-1"),
    };
    rsa_key(spki)?
        .verify(scheme, &hash.digest(message), signature)
        .map_err(|_| format!("RSA-PSS {} signature does not verify", hash.name()))
}

fn ecdsa(
    spki: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    use ecdsa::signature::hazmat::PrehashVerifier;
    if hash == Hash::Sha1 {
        return Err("SHA-1 signatures are not accepted".into());
    }
    if spki.algorithm.oid != oid::EC_PUBLIC_KEY {
        return Err(format!(
            "an ECDSA signature, but the key is {}",
            spki.algorithm.oid
        ));
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .ok_or("EC key without a named curve")?;
    let point = spki.subject_public_key.raw_bytes();
    let prehash = hash.digest(message);
    let fails = |_| format!("ECDSA {} signature does not verify", hash.name());
    match curve {
        oid::SECP256R1 => {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|e| format!("P-256 public key: {e}"))?;
            let signature = p256::ecdsa::Signature::from_der(signature)
                .map_err(|e| format!("ECDSA signature encoding: {e}"))?;
            key.verify_prehash(&prehash, &signature).map_err(fails)
        }
        oid::SECP384R1 => {
            let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|e| format!("P-384 public key: {e}"))?;
            let signature = p384::ecdsa::Signature::from_der(signature)
                .map_err(|e| format!("ECDSA signature encoding: {e}"))?;
            key.verify_prehash(&prehash, &signature).map_err(fails)
        }
        other => Err(format!(
            "EC curve {other} is not supported (P-256 and P-384 are)"
        )),
    }
}
