//! Reading key files and PEM, and telling a user what a foreign key file is.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use pkcs8::spki::AlgorithmIdentifierRef;
use pkcs8::spki::ObjectIdentifier;
use zeroize::Zeroizing;

use super::KeyError;
use crate::limits::MAX_KEY_FILE_BYTES;

/// Algorithm ids of the key types a user may hand us by mistake.
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

pub(super) fn read_limited(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyError> {
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

pub(super) fn read_key_file(path: &Path) -> Result<Zeroizing<String>, KeyError> {
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
pub(super) enum PemKind {
    /// `PRIVATE KEY`: PKCS#8 PrivateKeyInfo.
    Pkcs8,
    /// `ENCRYPTED PRIVATE KEY`: PKCS#8 EncryptedPrivateKeyInfo.
    EncryptedPkcs8,
    /// `PUBLIC KEY`: SubjectPublicKeyInfo.
    Spki,
}

pub(super) struct PemBlock {
    pub(super) kind: PemKind,
    pub(super) der: Zeroizing<Vec<u8>>,
}

/// Finds the first PEM block, classifies it by label (refusing other key
/// types with a clear message) and decodes its base64 body. Text around the
/// block is ignored, as RFC 7468 allows.
pub(super) fn parse_pem(text: &str, origin: &Path) -> Result<PemBlock, KeyError> {
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

pub(super) fn not_pem(text: &str, origin: &Path) -> KeyError {
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
pub(super) fn foreign_pem(label: &str, rest: &[&str], origin: &Path) -> KeyError {
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
                hint: "a TSA's root certificate is given with --tsa-ca FILE.pem; a signer is given by its public key (NAME.pub)".to_string(),
            };
        }
        label if label.starts_with("PGP ") => "an OpenPGP key".to_string(),
        label => format!("a PEM \"{label}\" block"),
    };
    KeyError::wrong_type(origin, found)
}

/// The named curve inside a SEC1 (`EC PRIVATE KEY` / `EC PARAMETERS`) body,
/// found by its OID, for a more helpful message.
pub(super) fn sec1_curve(rest: &[&str]) -> Option<&'static str> {
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
pub(super) fn check_algorithm(
    algorithm: &AlgorithmIdentifierRef<'_>,
    origin: &Path,
) -> Result<(), KeyError> {
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
pub(super) fn pem_encode(label: &str, der: &[u8]) -> String {
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
