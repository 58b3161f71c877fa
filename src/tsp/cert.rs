//! Certificates as a token carries them or a receiver trusts them, and the
//! path from a TSA's certificate to a trusted root, every link checked at
//! the time the token states (`genTime`), never at the time of checking.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode, Sequence};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::Certificate;

use super::oid;
use super::signature::{self, Hash};

/// Longest certificate path followed from a TSA certificate to a root.
const MAX_PATH: usize = 8;

/// Extensions whose meaning is understood here; any other critical
/// extension makes a certificate unusable (RFC 5280 4.2).
const UNDERSTOOD: &[ObjectIdentifier] = &[
    oid::KEY_USAGE,
    oid::BASIC_CONSTRAINTS,
    oid::EXT_KEY_USAGE,
    oid::SUBJECT_ALT_NAME,
    oid::CERTIFICATE_POLICIES,
    oid::SUBJECT_KEY_ID,
    oid::AUTHORITY_KEY_ID,
    oid::QC_STATEMENTS,
];

/// One statement of a `QCStatements` extension (RFC 3739).
#[derive(Sequence)]
struct QcStatement {
    statement_id: ObjectIdentifier,
    #[asn1(optional = "true")]
    statement_info: Option<der::Any>,
}

/// A certificate with its exact bytes (hashed by ESS, compared with roots)
/// and the exact bytes of its `tbsCertificate` (what its issuer signed).
#[derive(Debug, Clone)]
pub struct Cert {
    pub(crate) parsed: Certificate,
    pub(crate) der: Vec<u8>,
    tbs: Vec<u8>,
}

/// Two certificates are the same when their bytes are.
impl PartialEq for Cert {
    fn eq(&self, other: &Cert) -> bool {
        self.der == other.der
    }
}

impl Eq for Cert {}

/// The three parts of a certificate, each kept as it was encoded.
#[derive(Sequence)]
struct CertParts<'a> {
    tbs: AnyRef<'a>,
    algorithm: AnyRef<'a>,
    signature: AnyRef<'a>,
}

impl Cert {
    pub(crate) fn from_der(der: &[u8]) -> Result<Cert, String> {
        let parsed = Certificate::from_der(der).map_err(|e| format!("certificate: {e}"))?;
        let parts = CertParts::from_der(der).map_err(|e| format!("certificate: {e}"))?;
        let tbs = parts.tbs.to_der().map_err(|e| e.to_string())?;
        Ok(Cert {
            parsed,
            der: der.to_vec(),
            tbs,
        })
    }

    /// The subject as an RFC 4514 string (`CN=Test TSA,O=Unit`).
    pub fn subject(&self) -> String {
        self.parsed.tbs_certificate.subject.to_string()
    }

    /// The subject's attributes as (short name, value) pairs: `CN`, `O`,
    /// `OU`, `C`, `L`, `ST`, `serialNumber` (others by OID), values as text.
    pub(crate) fn subject_attributes(&self) -> Vec<(String, String)> {
        let short = |id: &ObjectIdentifier| match id.to_string().as_str() {
            "2.5.4.3" => "CN".to_string(),
            "2.5.4.10" => "O".to_string(),
            "2.5.4.11" => "OU".to_string(),
            "2.5.4.6" => "C".to_string(),
            "2.5.4.7" => "L".to_string(),
            "2.5.4.8" => "ST".to_string(),
            "2.5.4.5" => "serialNumber".to_string(),
            other => other.to_string(),
        };
        self.parsed
            .tbs_certificate
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .filter_map(|atv| Some((short(&atv.oid), text_of(&atv.value)?)))
            .collect()
    }

    /// The policy OIDs of its certificatePolicies extension.
    pub(crate) fn policy_oids(&self) -> Vec<String> {
        match self.extension::<x509_cert::ext::pkix::CertificatePolicies>(oid::CERTIFICATE_POLICIES)
        {
            Ok(Some((_, policies))) => policies
                .0
                .iter()
                .map(|p| p.policy_identifier.to_string())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The first value of a subject attribute (`2.5.4.3` commonName,
    /// `2.5.4.10` organizationName), when it is UTF-8 or printable text.
    pub(crate) fn subject_attribute(&self, id: ObjectIdentifier) -> Option<String> {
        self.parsed
            .tbs_certificate
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .filter(|atv| atv.oid == id)
            .find_map(|atv| text_of(&atv.value))
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        self.parsed.tbs_certificate.issuer.to_string()
    }

    /// The exact DER of the certificate.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub(crate) fn is_self_issued(&self) -> bool {
        self.parsed.tbs_certificate.subject == self.parsed.tbs_certificate.issuer
    }

    /// `notBefore <= at <= notAfter`, in whole seconds since the epoch.
    pub(crate) fn check_valid_at(&self, at: i64, at_text: &str) -> Result<(), String> {
        let validity = &self.parsed.tbs_certificate.validity;
        let not_before = validity.not_before.to_unix_duration().as_secs() as i64;
        let not_after = validity.not_after.to_unix_duration().as_secs() as i64;
        if at < not_before || at > not_after {
            return Err(format!(
                "certificate {:?} is valid from {} to {}, not at {at_text}",
                self.subject(),
                validity.not_before,
                validity.not_after
            ));
        }
        Ok(())
    }

    pub(crate) fn extension<T: for<'a> Decode<'a>>(
        &self,
        id: ObjectIdentifier,
    ) -> Result<Option<(bool, T)>, String> {
        let extensions = self.parsed.tbs_certificate.extensions.iter().flatten();
        let mut found = extensions.filter(|e| e.extn_id == id);
        let Some(extension) = found.next() else {
            return Ok(None);
        };
        if found.next().is_some() {
            return Err(format!(
                "certificate {:?} has extension {id} twice",
                self.subject()
            ));
        }
        let value = T::from_der(extension.extn_value.as_bytes())
            .map_err(|e| format!("certificate {:?}: extension {id}: {e}", self.subject()))?;
        Ok(Some((extension.critical, value)))
    }

    pub(crate) fn check_critical_extensions(&self) -> Result<(), String> {
        let extensions = self.parsed.tbs_certificate.extensions.iter().flatten();
        match extensions
            .filter(|e| e.critical)
            .find(|e| !UNDERSTOOD.contains(&e.extn_id))
        {
            Some(unknown) => Err(format!(
                "certificate {:?} has a critical extension {} that is not understood",
                self.subject(),
                unknown.extn_id
            )),
            None => Ok(()),
        }
    }

    /// RFC 3161 2.3: the TSA's certificate has exactly one extended key
    /// usage, `id-kp-timeStamping`, in a critical extension; a key usage,
    /// when present, allows signing.
    pub fn check_tsa_usage(&self) -> Result<(), String> {
        self.check_critical_extensions()?;
        let who = self.subject();
        match self.extension::<ExtendedKeyUsage>(oid::EXT_KEY_USAGE)? {
            Some((true, usage)) if usage.0 == [oid::KP_TIME_STAMPING] => {}
            Some((false, _)) => {
                return Err(format!(
                    "TSA certificate {who:?}: extended key usage is not marked critical"
                ))
            }
            Some((true, usage)) => {
                let listed: Vec<String> = usage.0.iter().map(ToString::to_string).collect();
                return Err(format!(
                    "TSA certificate {who:?}: extended key usage must be timeStamping only, not {}",
                    listed.join(", ")
                ));
            }
            None => {
                return Err(format!(
                    "TSA certificate {who:?} has no extended key usage timeStamping"
                ))
            }
        }
        if let Some((_, usage)) = self.extension::<KeyUsage>(oid::KEY_USAGE)? {
            let signing = KeyUsages::DigitalSignature | KeyUsages::NonRepudiation;
            if (usage.0 & signing).is_empty() {
                return Err(format!(
                    "TSA certificate {who:?}: key usage does not allow signatures"
                ));
            }
        }
        Ok(())
    }

    /// The algorithm its key signs with (RSA, or ECDSA on P-256 or P-384).
    #[cfg_attr(not(feature = "native"), allow(dead_code))]
    pub(crate) fn key_algorithm(&self) -> Result<super::KeyAlgorithm, String> {
        let spki = &self.parsed.tbs_certificate.subject_public_key_info;
        let curve = || {
            spki.algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        };
        match spki.algorithm.oid {
            oid::RSA_ENCRYPTION => Ok(super::KeyAlgorithm::Rsa),
            oid::EC_PUBLIC_KEY if curve() == Some(oid::SECP256R1) => Ok(super::KeyAlgorithm::P256),
            oid::EC_PUBLIC_KEY if curve() == Some(oid::SECP384R1) => Ok(super::KeyAlgorithm::P384),
            other => Err(format!(
                "certificate {:?} has a {other} key (RSA, ECDSA P-256 and P-384 sign)",
                self.subject()
            )),
        }
    }

    /// A signer's certificate: every critical extension understood, and a
    /// key usage, when present, that allows signatures (digitalSignature
    /// or nonRepudiation).
    pub(crate) fn check_signer_usage(&self) -> Result<(), String> {
        self.check_critical_extensions()?;
        if let Some((_, usage)) = self.extension::<KeyUsage>(oid::KEY_USAGE)? {
            let signing = KeyUsages::DigitalSignature | KeyUsages::NonRepudiation;
            if (usage.0 & signing).is_empty() {
                return Err(format!(
                    "certificate {:?}: key usage allows neither digitalSignature nor nonRepudiation",
                    self.subject()
                ));
            }
        }
        Ok(())
    }

    /// The certificate says it is qualified: a QcCompliance statement
    /// (ETSI EN 319 412-5) in its QCStatements. A claim of the certificate,
    /// vouched for only by the root it chains to.
    pub(crate) fn is_qualified(&self) -> bool {
        matches!(
            self.extension::<Vec<QcStatement>>(oid::QC_STATEMENTS),
            Ok(Some((_, statements))) if statements.iter().any(|s| s.statement_id == oid::QC_COMPLIANCE)
        )
    }

    /// May this certificate issue others? `anchor`: a root the receiver
    /// named, which may be an old v1 certificate without extensions.
    fn check_may_issue(&self, anchor: bool) -> Result<(), String> {
        self.check_critical_extensions()?;
        let who = self.subject();
        match self.extension::<BasicConstraints>(oid::BASIC_CONSTRAINTS)? {
            Some((_, constraints)) if constraints.ca => {}
            None if anchor => {}
            _ => return Err(format!("certificate {who:?} is not a CA certificate")),
        }
        if let Some((_, usage)) = self.extension::<KeyUsage>(oid::KEY_USAGE)? {
            if !usage.0.contains(KeyUsages::KeyCertSign) {
                return Err(format!(
                    "certificate {who:?}: key usage does not allow signing certificates"
                ));
            }
        }
        Ok(())
    }

    /// Does `signature` over `message` (bytes as encoded) verify with this
    /// certificate's key, under the stated `algorithm`?
    pub(crate) fn verifies(
        &self,
        algorithm: &spki::AlgorithmIdentifierOwned,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), String> {
        signature::verify(
            &self.parsed.tbs_certificate.subject_public_key_info,
            algorithm,
            None,
            message,
            signature,
        )
    }

    /// Did `issuer` sign this certificate?
    pub(crate) fn signed_by(&self, issuer: &Cert) -> bool {
        self.parsed.tbs_certificate.issuer == issuer.parsed.tbs_certificate.subject
            && self.parsed.signature_algorithm == self.parsed.tbs_certificate.signature
            && signature::verify(
                &issuer.parsed.tbs_certificate.subject_public_key_info,
                &self.parsed.signature_algorithm,
                None,
                &self.tbs,
                self.parsed.signature.raw_bytes(),
            )
            .is_ok()
    }

    /// `hash` of the whole certificate (ESS `certHash`).
    pub(crate) fn hash(&self, hash: Hash) -> Vec<u8> {
        hash.digest(&self.der)
    }
}

/// A name attribute's value as text, when it is UTF-8 or printable text.
fn text_of(value: &der::Any) -> Option<String> {
    value
        .decode_as::<der::asn1::Utf8StringRef<'_>>()
        .map(|s| s.as_str().to_string())
        .or_else(|_| {
            value
                .decode_as::<der::asn1::PrintableStringRef<'_>>()
                .map(|s| s.as_str().to_string())
        })
        .ok()
}

/// Where a TSA certificate's path ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathEnd {
    /// At this root, named by the receiver; every certificate on the way
    /// was valid at `genTime`.
    Trusted { root: String },
    /// At no root the receiver named (the reason says where it stopped).
    Untrusted { reason: String },
}

/// Follows issuers from `signer` (already checked as a TSA certificate)
/// through `intermediates` (the token's other certificates) to one of
/// `roots`. A path that reaches a root but holds a certificate that was not
/// valid at `at`, or a CA certificate that may not issue, is an error: the
/// token states a time at which its own certificates did not hold.
///
/// Also returns the certificates followed, signer first, then each
/// intermediate, then the root when it ended at one (where it stopped,
/// when it did not), so their revocation can be judged one by one.
pub(crate) fn path_to_root(
    signer: &Cert,
    intermediates: &[Cert],
    roots: &[Cert],
    at: i64,
    at_text: &str,
    anchor: &str,
) -> Result<(PathEnd, Vec<Cert>), String> {
    let mut current = signer;
    let mut path: Vec<&Cert> = vec![signer];
    // The first certificate on the way that does not hold; it matters
    // only if the path reaches a root.
    let mut broken: Option<String> = None;
    let end = loop {
        if let Some(root) = roots.iter().find(|r| r.der == current.der) {
            break PathEnd::Trusted {
                root: root.subject(),
            };
        }
        if let Some(root) = roots.iter().find(|r| current.signed_by(r)) {
            if let Err(e) = root
                .check_may_issue(true)
                .and_then(|()| root.check_valid_at(at, at_text))
            {
                broken.get_or_insert(e);
            }
            path.push(root);
            break PathEnd::Trusted {
                root: root.subject(),
            };
        }
        let next = intermediates.iter().find(|c| {
            !path.iter().any(|p| p.der == c.der) && !c.is_self_issued() && current.signed_by(c)
        });
        let Some(next) = next else {
            let reason = if roots.is_empty() {
                format!("no trusted {anchor} was given")
            } else if current.is_self_issued() {
                format!(
                    "its certificate path ends at {:?}, which is not a trusted {anchor}",
                    current.subject()
                )
            } else {
                format!(
                    "no trusted {anchor} issued {:?} (issuer {:?})",
                    current.subject(),
                    current.issuer()
                )
            };
            break PathEnd::Untrusted { reason };
        };
        if path.len() >= MAX_PATH {
            break PathEnd::Untrusted {
                reason: format!("no trusted {anchor} within {MAX_PATH} certificates"),
            };
        }
        if let Err(e) = next
            .check_may_issue(false)
            .and_then(|()| next.check_valid_at(at, at_text))
        {
            broken.get_or_insert(e);
        }
        path.push(next);
        current = next;
    };
    match (end, broken) {
        (PathEnd::Trusted { .. }, Some(broken)) => Err(broken),
        (end, _) => Ok((end, path.into_iter().cloned().collect())),
    }
}

/// Every certificate in a PEM file (`-----BEGIN CERTIFICATE-----` blocks).
pub fn certificates_from_pem(pem: &[u8]) -> Result<Vec<Cert>, String> {
    let parsed = Certificate::load_pem_chain(pem).map_err(|e| e.to_string())?;
    if parsed.is_empty() {
        return Err("no certificate in the file".into());
    }
    parsed
        .iter()
        .map(|c| {
            c.to_der()
                .map_err(|e| e.to_string())
                .and_then(|d| Cert::from_der(&d))
        })
        .collect()
}
