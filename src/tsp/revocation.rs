//! Revocation, judged from stored validation files (DER CRLs, RFC 5280,
//! and DER OCSP responses, RFC 6960), so that a signature's certificates
//! can be shown unrevoked at the time it must prove long after their CA
//! stopped answering. Pure bytes, no I/O ([`super::http`] fetches).
//!
//! The time to prove (`at`) is when the signed thing must have been
//! signed: a time-stamp's time, or a signature's. A piece of material
//! counts for a certificate only when it speaks after that time; then:
//!
//! - A CRL counts when its issuer name is the certificate's issuer; it is
//!   signed, over `tbsCertList` as encoded, by the issuer's key, whose key
//!   usage, when present, allows cRLSign; the issuer's certificate was valid
//!   at the CRL's thisUpdate; thisUpdate is at or after `at`; and it is a
//!   complete CRL: a delta CRL, a CRL scoped by an issuing distribution
//!   point, or one with a critical extension (of the CRL or an entry) not
//!   understood here is unusable, and said to be. A listed serial number is
//!   revoked at its revocationDate, with the entry's reasonCode and
//!   invalidityDate; otherwise the certificate is good.
//! - An OCSP response counts when its status is successful and it is a
//!   basic response; its signature over `tbsResponseData` as encoded
//!   verifies by the issuer itself, or by a responder certificate carried
//!   in it that the issuer signed, whose extended key usage lists
//!   id-kp-OCSPSigning and whose key may sign; the signer's certificate
//!   (and the issuer's) was valid at producedAt; a SingleResponse's CertID
//!   (SHA-1 or SHA-256 of the issuer's subject as encoded and of its
//!   subjectPublicKey bits) names this certificate's issuer and serial; and
//!   its thisUpdate is at or after `at`. Good and revoked (revocationTime,
//!   reason, an invalidityDate single extension) count; unknown is
//!   unusable.
//! - Of several usable pieces, any revocation wins over good, the
//!   earliest revocation first; otherwise good, with the latest issued.
//! - Revoked at or before `at`: [`CertStatus::Revoked`]. Revoked after it:
//!   for keyCompromise, cACompromise or aACompromise the key may have been
//!   in other hands since the compromise time (the invalidityDate when
//!   given, else the revocation time); a compromise at or before `at` is
//!   `Revoked`; a later one is [`CertStatus::RevokedLater`] only when the
//!   signed thing is independently proven (`proven`, a time-stamp on it) to
//!   have existed before the compromise, since a stolen key could have
//!   back-dated it; otherwise `Revoked`. Any other reason, or none, after
//!   `at` is `RevokedLater`: the certificate was sound when it signed.
//!   certificateHold is taken as a revocation at its time (a hold may be
//!   lifted, but nothing here proves it was). An invalidityDate at or before
//!   `at` is `Revoked` whatever the reason: the certificate was invalid
//!   when it signed.
//! - No usable piece: [`CertStatus::NotChecked`], with the reason each one
//!   was unusable.
//!
//! A file larger than [`MAX_VALIDATION_BYTES`] is refused before parsing.

use der::asn1::{AnyRef, GeneralizedTime, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Reader, Sequence, SliceReader, Tag, Tagged};
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, CrlDistributionPoints, CrlReason, ExtendedKeyUsage, KeyUsage,
    KeyUsages,
};
use x509_cert::ext::Extension;
use x509_ocsp::{BasicOcspResponse, OcspResponse, OcspResponseStatus, SingleResponse};

use super::cert::Cert;
use super::oid as common;
use super::signature::Hash;
use crate::limits::{MAX_OCSP_CERTIFICATES, MAX_VALIDATION_BYTES};
use crate::time::UtcTime;

/// Object identifiers of RFC 5280 and RFC 6960 used here.
mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    pub const ISSUER_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.18");
    pub const CRL_NUMBER: Oid = Oid::new_unwrap("2.5.29.20");
    pub const CRL_REASON: Oid = Oid::new_unwrap("2.5.29.21");
    pub const HOLD_INSTRUCTION: Oid = Oid::new_unwrap("2.5.29.23");
    pub const INVALIDITY_DATE: Oid = Oid::new_unwrap("2.5.29.24");
    pub const DELTA_CRL_INDICATOR: Oid = Oid::new_unwrap("2.5.29.27");
    pub const ISSUING_DISTRIBUTION_POINT: Oid = Oid::new_unwrap("2.5.29.28");
    pub const CRL_DISTRIBUTION_POINTS: Oid = Oid::new_unwrap("2.5.29.31");
    pub const FRESHEST_CRL: Oid = Oid::new_unwrap("2.5.29.46");
    pub const AUTHORITY_INFO_ACCESS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.1");
    pub const KP_OCSP_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.9");
    pub const AD_OCSP: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1");
    pub const OCSP_BASIC: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.1");
    pub const OCSP_NONCE: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.2");
}

/// CRL extensions understood; any other critical one makes a CRL unusable.
/// (Delta CRL indicator and issuing distribution point are refused by name.)
const CRL_UNDERSTOOD: &[ObjectIdentifier] = &[
    common::AUTHORITY_KEY_ID,
    oid::CRL_NUMBER,
    oid::ISSUER_ALT_NAME,
    oid::FRESHEST_CRL,
];

/// CRL entry extensions understood (certificateIssuer, of indirect CRLs,
/// is not).
const ENTRY_UNDERSTOOD: &[ObjectIdentifier] =
    &[oid::CRL_REASON, oid::INVALIDITY_DATE, oid::HOLD_INSTRUCTION];

/// OCSP extensions understood (of the response or a single response).
const OCSP_UNDERSTOOD: &[ObjectIdentifier] = &[
    oid::OCSP_NONCE,
    oid::CRL_REASON,
    oid::INVALIDITY_DATE,
    oid::HOLD_INSTRUCTION,
];

// ------------------------------------------------------------ material ---

/// What a stored validation file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialKind {
    Crl,
    Ocsp,
}

impl MaterialKind {
    pub fn name(self) -> &'static str {
        match self {
            MaterialKind::Crl => "CRL",
            MaterialKind::Ocsp => "OCSP response",
        }
    }
}

/// Reads a stored validation file completely (a DER CertificateList, or a
/// DER OCSPResponse whose responseBytes is id-pkix-ocsp-basic): Err(one
/// line) when it is neither or does not parse strictly.
pub fn read_material(der: &[u8]) -> Result<MaterialKind, String> {
    Ok(match Material::read(der)? {
        Material::Crl(_) => MaterialKind::Crl,
        Material::Ocsp(_) => MaterialKind::Ocsp,
    })
}

enum Material {
    Crl(Crl),
    Ocsp(Ocsp),
}

/// A CRL with the exact bytes its issuer signed.
struct Crl {
    list: CertificateList,
    tbs: Vec<u8>,
}

/// A basic OCSP response with the exact bytes its responder signed and
/// the certificates it carries, each as encoded.
struct Ocsp {
    basic: BasicOcspResponse,
    tbs: Vec<u8>,
    certs: Vec<Cert>,
}

/// A signed structure's three parts, each kept as encoded.
#[derive(Sequence)]
struct SignedParts<'a> {
    tbs: AnyRef<'a>,
    algorithm: AnyRef<'a>,
    signature: AnyRef<'a>,
}

/// `BasicOCSPResponse` with its parts kept as encoded.
#[derive(Sequence)]
struct BasicParts<'a> {
    tbs: AnyRef<'a>,
    algorithm: AnyRef<'a>,
    signature: AnyRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    certs: Option<Vec<AnyRef<'a>>>,
}

impl Material {
    fn read(der: &[u8]) -> Result<Material, String> {
        if der.len() as u64 > MAX_VALIDATION_BYTES {
            return Err(format!(
                "{} bytes, larger than the {} MiB a CRL or OCSP response may have",
                der.len(),
                MAX_VALIDATION_BYTES >> 20
            ));
        }
        let neither = "neither a DER CRL nor a DER OCSP response";
        let outer = AnyRef::from_der(der).map_err(|e| format!("{neither}: {e}"))?;
        if outer.tag() != Tag::Sequence {
            return Err(format!("{neither} (it is not a SEQUENCE)"));
        }
        let first = SliceReader::new(outer.value())
            .and_then(|reader| reader.peek_tag())
            .map_err(|e| format!("{neither}: {e}"))?;
        match first {
            Tag::Enumerated => Ocsp::read(der).map(Material::Ocsp),
            Tag::Sequence => Crl::read(der).map(Material::Crl),
            other => Err(format!("{neither} (it starts with {other})")),
        }
    }
}

impl Crl {
    fn read(der: &[u8]) -> Result<Crl, String> {
        let list = CertificateList::from_der(der).map_err(|e| format!("not a DER CRL: {e}"))?;
        let parts = SignedParts::from_der(der).map_err(|e| format!("not a DER CRL: {e}"))?;
        let tbs = parts.tbs.to_der().map_err(|e| format!("CRL: {e}"))?;
        Ok(Crl { list, tbs })
    }

    fn issuer(&self) -> String {
        self.list.tbs_cert_list.issuer.to_string()
    }
}

/// RFC 6960 spelling of a response status.
fn status_name(status: OcspResponseStatus) -> &'static str {
    match status {
        OcspResponseStatus::Successful => "successful",
        OcspResponseStatus::MalformedRequest => "malformedRequest",
        OcspResponseStatus::InternalError => "internalError",
        OcspResponseStatus::TryLater => "tryLater",
        OcspResponseStatus::SigRequired => "sigRequired",
        OcspResponseStatus::Unauthorized => "unauthorized",
    }
}

impl Ocsp {
    fn read(der: &[u8]) -> Result<Ocsp, String> {
        let bad = |e: der::Error| format!("not a DER OCSP response: {e}");
        let response = OcspResponse::from_der(der).map_err(bad)?;
        if response.response_status != OcspResponseStatus::Successful {
            return Err(format!(
                "an OCSP response with status {}: it says nothing of any certificate",
                status_name(response.response_status)
            ));
        }
        let bytes = response
            .response_bytes
            .ok_or("a successful OCSP response without responseBytes")?;
        if bytes.response_type != oid::OCSP_BASIC {
            return Err(format!(
                "an OCSP response of type {}, not id-pkix-ocsp-basic",
                bytes.response_type
            ));
        }
        let inner = bytes.response.as_bytes();
        let bad = |e: der::Error| format!("not a DER BasicOCSPResponse: {e}");
        let basic = BasicOcspResponse::from_der(inner).map_err(bad)?;
        let parts = BasicParts::from_der(inner).map_err(bad)?;
        let tbs = parts.tbs.to_der().map_err(bad)?;
        let raw_certs = parts.certs.unwrap_or_default();
        if raw_certs.len() > MAX_OCSP_CERTIFICATES {
            return Err(format!(
                "an OCSP response carrying {} certificates (at most {MAX_OCSP_CERTIFICATES})",
                raw_certs.len()
            ));
        }
        let certs = raw_certs
            .iter()
            .map(|c| {
                c.to_der()
                    .map_err(|e| e.to_string())
                    .and_then(|d| Cert::from_der(&d))
                    .map_err(|e| format!("OCSP response: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Ocsp { basic, tbs, certs })
    }

    fn responder(&self) -> String {
        match &self.basic.tbs_response_data.responder_id {
            x509_ocsp::ResponderId::ByName(name) => name.to_string(),
            x509_ocsp::ResponderId::ByKey(hash) => format!("key {}", hex::encode(hash.as_bytes())),
        }
    }
}

// ---------------------------------------------------------- locations ---

fn is_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The http(s) URLs of the certificate's CRL distribution points (their
/// fullName URIs), where its CRL can be fetched.
pub fn crl_urls(cert: &Cert) -> Vec<String> {
    let Ok(Some((_, points))) =
        cert.extension::<CrlDistributionPoints>(oid::CRL_DISTRIBUTION_POINTS)
    else {
        return Vec::new();
    };
    points
        .0
        .iter()
        .filter_map(|p: &DistributionPoint| match &p.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .flatten()
        .filter_map(|name| match name {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.as_str().to_string()),
            _ => None,
        })
        .filter(|url| is_http(url))
        .collect()
}

/// The http(s) URLs of the certificate's OCSP responders (authority
/// information access, id-ad-ocsp).
pub fn ocsp_urls(cert: &Cert) -> Vec<String> {
    let Ok(Some((_, access))) =
        cert.extension::<AuthorityInfoAccessSyntax>(oid::AUTHORITY_INFO_ACCESS)
    else {
        return Vec::new();
    };
    access
        .0
        .iter()
        .filter(|a| a.access_method == oid::AD_OCSP)
        .filter_map(|a| match &a.access_location {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.as_str().to_string()),
            _ => None,
        })
        .filter(|url| is_http(url))
        .collect()
}

/// The `CertID` of `cert` under `issuer`, with `hash`.
fn cert_id(cert: &Cert, issuer: &Cert, hash: Hash) -> Result<x509_ocsp::CertId, String> {
    let issuer_tbs = &issuer.parsed.tbs_certificate;
    let name = issuer_tbs.subject.to_der().map_err(|e| e.to_string())?;
    let key = issuer_tbs
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    let failed = |e: der::Error| e.to_string();
    Ok(x509_ocsp::CertId {
        hash_algorithm: spki::AlgorithmIdentifierOwned {
            oid: match hash {
                Hash::Sha1 => oid::SHA1,
                _ => common::SHA256,
            },
            parameters: Some(der::Any::null()),
        },
        issuer_name_hash: OctetString::new(hash.digest(&name)).map_err(failed)?,
        issuer_key_hash: OctetString::new(hash.digest(key)).map_err(failed)?,
        serial_number: cert.parsed.tbs_certificate.serial_number.clone(),
    })
}

/// A DER OCSPRequest for `cert` issued by `issuer`: one request, its CertID
/// hashed with SHA-1 (what responders such as OpenSSL's index by), no
/// nonce (a stored answer is judged by its times, not by freshness),
/// unsigned.
pub fn ocsp_request(cert: &Cert, issuer: &Cert) -> Result<Vec<u8>, String> {
    check_issuer(cert, issuer)?;
    let request = x509_ocsp::OcspRequest {
        tbs_request: x509_ocsp::TbsRequest {
            version: x509_ocsp::Version::V1,
            requestor_name: None,
            request_list: vec![x509_ocsp::Request {
                req_cert: cert_id(cert, issuer, Hash::Sha1)?,
                single_request_extensions: None,
            }],
            request_extensions: None,
        },
        optional_signature: None,
    };
    request.to_der().map_err(|e| e.to_string())
}

fn check_issuer(cert: &Cert, issuer: &Cert) -> Result<(), String> {
    if cert.parsed.tbs_certificate.issuer != issuer.parsed.tbs_certificate.subject {
        return Err(format!(
            "{:?} is not the issuer of {:?} (its issuer is {:?})",
            issuer.subject(),
            cert.subject(),
            cert.issuer()
        ));
    }
    Ok(())
}

// -------------------------------------------------------------- status ---

/// Why a certificate was revoked (RFC 5280 5.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Unspecified,
    KeyCompromise,
    CaCompromise,
    AffiliationChanged,
    Superseded,
    CessationOfOperation,
    CertificateHold,
    RemoveFromCrl,
    PrivilegeWithdrawn,
    AaCompromise,
}

impl Reason {
    /// The RFC 5280 spelling (`keyCompromise`).
    pub fn name(self) -> &'static str {
        match self {
            Reason::Unspecified => "unspecified",
            Reason::KeyCompromise => "keyCompromise",
            Reason::CaCompromise => "cACompromise",
            Reason::AffiliationChanged => "affiliationChanged",
            Reason::Superseded => "superseded",
            Reason::CessationOfOperation => "cessationOfOperation",
            Reason::CertificateHold => "certificateHold",
            Reason::RemoveFromCrl => "removeFromCRL",
            Reason::PrivilegeWithdrawn => "privilegeWithdrawn",
            Reason::AaCompromise => "aACompromise",
        }
    }

    /// A key in other hands: what it signed after the compromise could be
    /// dated at will.
    fn is_compromise(self) -> bool {
        matches!(
            self,
            Reason::KeyCompromise | Reason::CaCompromise | Reason::AaCompromise
        )
    }

    fn of(reason: CrlReason) -> Reason {
        match reason {
            CrlReason::Unspecified => Reason::Unspecified,
            CrlReason::KeyCompromise => Reason::KeyCompromise,
            CrlReason::CaCompromise => Reason::CaCompromise,
            CrlReason::AffiliationChanged => Reason::AffiliationChanged,
            CrlReason::Superseded => Reason::Superseded,
            CrlReason::CessationOfOperation => Reason::CessationOfOperation,
            CrlReason::CertificateHold => Reason::CertificateHold,
            CrlReason::RemoveFromCRL => Reason::RemoveFromCrl,
            CrlReason::PrivilegeWithdrawn => Reason::PrivilegeWithdrawn,
            CrlReason::AaCompromise => Reason::AaCompromise,
        }
    }
}

/// The piece of material a status rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub kind: MaterialKind,
    /// Its position in the material given.
    pub index: usize,
    /// When it was issued: a CRL's thisUpdate, an OCSP response's
    /// thisUpdate (seconds since 1970).
    pub issued: i64,
    /// The subject of the certificate that signed it.
    pub signer: String,
}

/// A certificate's revocation status at the time to prove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertStatus {
    /// Not revoked, said after the time to prove.
    Good { evidence: Evidence },
    /// Revoked at or before the time to prove, or for a key compromise not
    /// proven to come after it: what it signed does not count.
    Revoked {
        at: i64,
        reason: Option<Reason>,
        invalidity: Option<i64>,
        evidence: Evidence,
    },
    /// Revoked after the time to prove for a reason that does not touch
    /// what was proven: still counts.
    RevokedLater {
        at: i64,
        reason: Option<Reason>,
        evidence: Evidence,
    },
    /// No usable material; `why` says what was missing or wrong.
    NotChecked { why: String },
}

impl CertStatus {
    /// Does what the certificate signed at the time to prove still count?
    pub fn counts(&self) -> bool {
        matches!(
            self,
            CertStatus::Good { .. } | CertStatus::RevokedLater { .. }
        )
    }
}

/// A revocation as one piece of material states it.
#[derive(Debug, Clone, Copy)]
struct Revocation {
    at: i64,
    reason: Option<Reason>,
    invalidity: Option<i64>,
}

/// What one usable piece of material says.
struct Finding {
    evidence: Evidence,
    revoked: Option<Revocation>,
}

/// A time in RFC 3339, for messages.
fn text(seconds: i64) -> String {
    UtcTime::from_unix_seconds(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| format!("{seconds} seconds since 1970"))
}

fn seconds(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// The status of `cert` (issued by `issuer`) at `at` (seconds since 1970),
/// judged from `material` (stored DER files) by the rules of this module.
/// `proven`: a time at which the signed thing is independently proven to
/// have existed (a time-stamp on it), if any.
pub fn status_at(
    cert: &Cert,
    issuer: &Cert,
    material: &[Vec<u8>],
    at: i64,
    proven: Option<i64>,
) -> CertStatus {
    if let Err(why) = check_issuer(cert, issuer) {
        return CertStatus::NotChecked { why };
    }
    if material.is_empty() {
        return CertStatus::NotChecked {
            why: "no CRL or OCSP response for it in the bundle".into(),
        };
    }
    let mut findings = Vec::new();
    let mut unusable = Vec::new();
    for (index, der) in material.iter().enumerate() {
        let judged = match Material::read(der) {
            Err(e) => Err(format!("validation file {} is unreadable: {e}", index + 1)),
            Ok(Material::Crl(crl)) => judge_crl(&crl, index, cert, issuer, at),
            Ok(Material::Ocsp(ocsp)) => judge_ocsp(&ocsp, index, cert, issuer, at),
        };
        match judged {
            Ok(finding) => findings.push(finding),
            Err(why) => unusable.push(why),
        }
    }
    let revoked = findings
        .iter()
        .filter_map(|f| f.revoked.map(|r| (r, &f.evidence)))
        .min_by_key(|(r, _)| r.at);
    if let Some((revocation, evidence)) = revoked {
        return classify(revocation, evidence.clone(), at, proven);
    }
    match findings.into_iter().max_by_key(|f| f.evidence.issued) {
        Some(finding) => CertStatus::Good {
            evidence: finding.evidence,
        },
        None => CertStatus::NotChecked {
            why: unusable.join("; "),
        },
    }
}

/// The rules for a revocation against the time to prove.
fn classify(
    revocation: Revocation,
    evidence: Evidence,
    at: i64,
    proven: Option<i64>,
) -> CertStatus {
    let Revocation {
        at: revoked,
        reason,
        invalidity,
    } = revocation;
    let revoked_status = CertStatus::Revoked {
        at: revoked,
        reason,
        invalidity,
        evidence: evidence.clone(),
    };
    if revoked <= at || invalidity.is_some_and(|i| i <= at) {
        return revoked_status;
    }
    if reason.is_some_and(Reason::is_compromise) {
        let compromise = invalidity.unwrap_or(revoked);
        return match proven {
            Some(p) if p < compromise => CertStatus::RevokedLater {
                at: revoked,
                reason,
                evidence,
            },
            _ => revoked_status,
        };
    }
    CertStatus::RevokedLater {
        at: revoked,
        reason,
        evidence,
    }
}

/// Critical extensions not understood, by name, or `Ok`.
fn check_extensions<'a>(
    extensions: impl IntoIterator<Item = &'a Extension>,
    understood: &[ObjectIdentifier],
    what: &str,
) -> Result<(), String> {
    match extensions
        .into_iter()
        .find(|e| e.critical && !understood.contains(&e.extn_id))
    {
        Some(unknown) => Err(format!(
            "{what} has a critical extension {} that is not understood",
            unknown.extn_id
        )),
        None => Ok(()),
    }
}

/// The reasonCode and invalidityDate among CRL entry or single-response
/// extensions.
fn reason_and_invalidity(
    extensions: Option<&Vec<Extension>>,
    what: &str,
) -> Result<(Option<Reason>, Option<i64>), String> {
    let mut reason = None;
    let mut invalidity = None;
    for extension in extensions.into_iter().flatten() {
        let value = extension.extn_value.as_bytes();
        if extension.extn_id == oid::CRL_REASON {
            let code =
                CrlReason::from_der(value).map_err(|e| format!("{what}: reason code: {e}"))?;
            reason = Some(Reason::of(code));
        } else if extension.extn_id == oid::INVALIDITY_DATE {
            let date = GeneralizedTime::from_der(value)
                .map_err(|e| format!("{what}: invalidity date: {e}"))?;
            invalidity = Some(seconds(date.to_unix_duration()));
        }
    }
    Ok((reason, invalidity))
}

fn judge_crl(
    crl: &Crl,
    index: usize,
    cert: &Cert,
    issuer: &Cert,
    at: i64,
) -> Result<Finding, String> {
    let list = &crl.list.tbs_cert_list;
    let what = format!("the CRL by {}", crl.issuer());
    if list.issuer != cert.parsed.tbs_certificate.issuer {
        return Err(format!(
            "{what} is not by {}, the issuer of {}",
            cert.issuer(),
            cert.subject()
        ));
    }
    let extensions = list.crl_extensions.iter().flatten();
    if extensions
        .clone()
        .any(|e| e.extn_id == oid::DELTA_CRL_INDICATOR)
    {
        return Err(format!(
            "{what} is a delta CRL, which lists only changes since another CRL"
        ));
    }
    if extensions
        .clone()
        .any(|e| e.extn_id == oid::ISSUING_DISTRIBUTION_POINT)
    {
        return Err(format!(
            "{what} covers only part of its issuer's certificates (issuing distribution point)"
        ));
    }
    check_extensions(extensions, CRL_UNDERSTOOD, &what)?;
    for entry in list.revoked_certificates.iter().flatten() {
        check_extensions(
            entry.crl_entry_extensions.iter().flatten(),
            ENTRY_UNDERSTOOD,
            &format!("an entry of {what}"),
        )?;
    }
    if crl.list.signature_algorithm != list.signature {
        return Err(format!("{what} names two different signature algorithms"));
    }
    issuer
        .verifies(
            &crl.list.signature_algorithm,
            &crl.tbs,
            crl.list.signature.raw_bytes(),
        )
        .map_err(|e| {
            format!(
                "{what}: its signature does not verify with the key of {} ({e})",
                issuer.subject()
            )
        })?;
    if let Some((_, usage)) = issuer.extension::<KeyUsage>(common::KEY_USAGE)? {
        if !usage.0.contains(KeyUsages::CRLSign) {
            return Err(format!(
                "{what}: the key usage of {} does not allow signing CRLs",
                issuer.subject()
            ));
        }
    }
    let issued = seconds(list.this_update.to_unix_duration());
    issuer
        .check_valid_at(issued, &format!("the CRL's thisUpdate {}", text(issued)))
        .map_err(|e| format!("{what}: {e}"))?;
    if issued < at {
        return Err(format!(
            "{what} was issued {}, before the time to prove {}",
            text(issued),
            text(at)
        ));
    }
    let serial = &cert.parsed.tbs_certificate.serial_number;
    let mut revoked: Option<Revocation> = None;
    for entry in list.revoked_certificates.iter().flatten() {
        if entry.serial_number != *serial {
            continue;
        }
        let (reason, invalidity) = reason_and_invalidity(
            entry.crl_entry_extensions.as_ref(),
            &format!("{what}, entry {}", hex::encode(serial.as_bytes())),
        )?;
        let this = Revocation {
            at: seconds(entry.revocation_date.to_unix_duration()),
            reason,
            invalidity,
        };
        if revoked.is_none_or(|r| this.at < r.at) {
            revoked = Some(this);
        }
    }
    Ok(Finding {
        evidence: Evidence {
            kind: MaterialKind::Crl,
            index,
            issued,
            signer: issuer.subject(),
        },
        revoked,
    })
}

fn judge_ocsp(
    ocsp: &Ocsp,
    index: usize,
    cert: &Cert,
    issuer: &Cert,
    at: i64,
) -> Result<Finding, String> {
    let data = &ocsp.basic.tbs_response_data;
    let what = format!("the OCSP response by {}", ocsp.responder());
    let single = matching_response(&data.responses, cert, issuer)?.ok_or_else(|| {
        format!(
            "{what} answers for other certificates than {} (serial {})",
            cert.subject(),
            hex::encode(cert.parsed.tbs_certificate.serial_number.as_bytes())
        )
    })?;
    check_extensions(
        data.response_extensions.iter().flatten(),
        OCSP_UNDERSTOOD,
        &what,
    )?;
    check_extensions(
        single.single_extensions.iter().flatten(),
        OCSP_UNDERSTOOD,
        &what,
    )?;
    let produced = seconds(data.produced_at.0.to_unix_duration());
    let produced_text = format!("the OCSP response's producedAt {}", text(produced));
    let signer =
        ocsp_signer(ocsp, issuer, produced, &produced_text).map_err(|e| format!("{what}: {e}"))?;
    issuer
        .check_valid_at(produced, &produced_text)
        .map_err(|e| format!("{what}: {e}"))?;
    let issued = seconds(single.this_update.0.to_unix_duration());
    if issued < at {
        return Err(format!(
            "{what} was issued {}, before the time to prove {}",
            text(issued),
            text(at)
        ));
    }
    let revoked = match &single.cert_status {
        x509_ocsp::CertStatus::Good(_) => None,
        x509_ocsp::CertStatus::Unknown(_) => {
            return Err(format!(
                "{what} says the status of {} is unknown",
                cert.subject()
            ))
        }
        x509_ocsp::CertStatus::Revoked(info) => {
            let (_, invalidity) = reason_and_invalidity(single.single_extensions.as_ref(), &what)?;
            Some(Revocation {
                at: seconds(info.revocation_time.0.to_unix_duration()),
                reason: info.revocation_reason.map(Reason::of),
                invalidity,
            })
        }
    };
    Ok(Finding {
        evidence: Evidence {
            kind: MaterialKind::Ocsp,
            index,
            issued,
            signer,
        },
        revoked,
    })
}

/// The single response whose CertID names `cert` under `issuer`.
fn matching_response<'a>(
    responses: &'a [SingleResponse],
    cert: &Cert,
    issuer: &Cert,
) -> Result<Option<&'a SingleResponse>, String> {
    let by_sha1 = cert_id(cert, issuer, Hash::Sha1)?;
    let by_sha256 = cert_id(cert, issuer, Hash::Sha256)?;
    let same = |id: &x509_ocsp::CertId, ours: &x509_ocsp::CertId| {
        id.hash_algorithm.oid == ours.hash_algorithm.oid
            && id.issuer_name_hash == ours.issuer_name_hash
            && id.issuer_key_hash == ours.issuer_key_hash
            && id.serial_number == ours.serial_number
    };
    Ok(responses
        .iter()
        .find(|r| same(&r.cert_id, &by_sha1) || same(&r.cert_id, &by_sha256)))
}

/// Who signed the response (over `tbsResponseData` as encoded): the issuer
/// itself, or a responder it authorized. The subject of the signer.
fn ocsp_signer(
    ocsp: &Ocsp,
    issuer: &Cert,
    produced: i64,
    produced_text: &str,
) -> Result<String, String> {
    let algorithm = &ocsp.basic.signature_algorithm;
    let signature = ocsp.basic.signature.raw_bytes();
    let direct = match issuer.verifies(algorithm, &ocsp.tbs, signature) {
        Ok(()) => return Ok(issuer.subject()),
        Err(e) => e,
    };
    let mut refused = None;
    for responder in &ocsp.certs {
        if responder.verifies(algorithm, &ocsp.tbs, signature).is_err() {
            continue;
        }
        match authorized_responder(responder, issuer, produced, produced_text) {
            Ok(()) => return Ok(responder.subject()),
            Err(e) => {
                refused.get_or_insert(e);
            }
        }
    }
    Err(refused.unwrap_or_else(|| {
        format!(
            "its signature verifies neither with the key of {} ({direct}) nor with a responder certificate it carries",
            issuer.subject()
        )
    }))
}

/// RFC 6960 4.2.2.2: a delegated responder is issued by the CA itself and
/// says so with id-kp-OCSPSigning.
fn authorized_responder(
    responder: &Cert,
    issuer: &Cert,
    produced: i64,
    produced_text: &str,
) -> Result<(), String> {
    let who = responder.subject();
    if !responder.signed_by(issuer) {
        return Err(format!(
            "it is signed by {who:?}, which {:?} did not issue",
            issuer.subject()
        ));
    }
    let listed = match responder.extension::<ExtendedKeyUsage>(common::EXT_KEY_USAGE)? {
        Some((_, usage)) => usage.0.contains(&oid::KP_OCSP_SIGNING),
        None => false,
    };
    if !listed {
        return Err(format!(
            "it is signed by {who:?}, whose extended key usage does not list OCSPSigning"
        ));
    }
    responder.check_signer_usage()?;
    responder.check_valid_at(produced, produced_text)
}

/// The status of every certificate of `chain` (signer first, as in
/// [`super::TokenFacts::chain`]) against the next one as its issuer,
/// except a last self-issued root, which is trusted as given rather than
/// checked. A last certificate that is not self-issued has no issuer to
/// judge it by and is `NotChecked`. Each is (subject, status).
pub fn chain_status(
    chain: &[Cert],
    material: &[Vec<u8>],
    at: i64,
    proven: Option<i64>,
) -> Vec<(String, CertStatus)> {
    let mut statuses = Vec::new();
    for (position, cert) in chain.iter().enumerate() {
        let status = match chain.get(position + 1) {
            Some(issuer) => status_at(cert, issuer, material, at, proven),
            None if cert.is_self_issued() => continue,
            None => CertStatus::NotChecked {
                why: format!(
                    "the certificate of its issuer {:?} is not known",
                    cert.issuer()
                ),
            },
        };
        statuses.push((cert.subject(), status));
    }
    statuses
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tsp::certificates_from_pem;

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!("../../tests/data/revocation/", $name)).to_vec()
        };
    }

    macro_rules! cert {
        ($name:literal) => {
            certificates_from_pem(&fixture!($name)).expect("a fixture certificate")[0].clone()
        };
    }

    fn time(rfc3339: &str) -> i64 {
        UtcTime::parse_rfc3339(rfc3339)
            .expect("a test time")
            .unix_seconds()
    }

    /// The time every test proves, between the fixtures' early revocation
    /// and their later ones.
    fn at() -> i64 {
        time("2026-06-01T00:00:00Z")
    }

    /// `leaf` (issued by the intermediate) judged at [`at`] by the
    /// intermediate's CRL.
    fn by_int_crl(leaf: Cert, proven: Option<i64>) -> CertStatus {
        status_at(
            &leaf,
            &cert!("int.pem"),
            &[fixture!("int.crl")],
            at(),
            proven,
        )
    }

    /// A `Revoked` status's time, reason and invalidity date.
    fn revoked(status: CertStatus) -> (i64, Option<Reason>, Option<i64>) {
        match status {
            CertStatus::Revoked {
                at,
                reason,
                invalidity,
                ..
            } => (at, reason, invalidity),
            other => panic!("expected Revoked, got {other:?}"),
        }
    }

    fn not_checked(status: &CertStatus) -> &str {
        match status {
            CertStatus::NotChecked { why } => why,
            other => panic!("expected NotChecked, got {other:?}"),
        }
    }

    #[test]
    fn a_crl_issued_after_the_time_to_prove_that_does_not_list_it_is_good() {
        let status = status_at(
            &cert!("leaf-good.pem"),
            &cert!("int.pem"),
            &[fixture!("int.crl")],
            at(),
            None,
        );
        assert_eq!(
            status,
            CertStatus::Good {
                evidence: Evidence {
                    kind: MaterialKind::Crl,
                    index: 0,
                    issued: time("2026-10-01T00:00:00Z"),
                    signer: "O=exhibit tests,CN=Revocation Test Intermediate".into(),
                }
            }
        );
        assert!(status.counts());
    }

    #[test]
    fn revoked_before_the_time_to_prove_is_revoked() {
        let (revoked, reason, invalidity) = revoked(by_int_crl(cert!("leaf-early.pem"), None));
        assert_eq!(revoked, time("2026-03-01T00:00:00Z"));
        assert_eq!(reason, Some(Reason::Superseded));
        assert_eq!(invalidity, None);
    }

    #[test]
    fn superseded_after_the_time_to_prove_still_counts() {
        let status = by_int_crl(cert!("leaf-superseded.pem"), None);
        let CertStatus::RevokedLater {
            at: revoked,
            reason,
            ..
        } = &status
        else {
            panic!("expected RevokedLater, got {status:?}");
        };
        assert_eq!(*revoked, time("2026-09-01T00:00:00Z"));
        assert_eq!(*reason, Some(Reason::Superseded));
        assert!(status.counts());
    }

    #[test]
    fn a_later_key_compromise_counts_only_with_proof_of_existence_before_it() {
        let leaf = cert!("leaf-compromised.pem");
        let int = cert!("int.pem");
        let crl = [fixture!("int.crl")];
        let unproven = status_at(&leaf, &int, &crl, at(), None);
        assert!(
            matches!(
                unproven,
                CertStatus::Revoked {
                    reason: Some(Reason::KeyCompromise),
                    ..
                }
            ),
            "{unproven:?}"
        );
        let proven = status_at(&leaf, &int, &crl, at(), Some(time("2026-05-15T00:00:00Z")));
        assert!(
            matches!(
                proven,
                CertStatus::RevokedLater {
                    reason: Some(Reason::KeyCompromise),
                    ..
                }
            ),
            "{proven:?}"
        );
        let proven_too_late =
            status_at(&leaf, &int, &crl, at(), Some(time("2026-09-02T00:00:00Z")));
        assert!(!proven_too_late.counts(), "{proven_too_late:?}");
    }

    #[test]
    fn an_invalidity_date_before_the_time_to_prove_is_revoked_even_with_proof() {
        let status = by_int_crl(
            cert!("leaf-invalidity.pem"),
            Some(time("2026-05-15T00:00:00Z")),
        );
        let (revoked, reason, invalidity) = revoked(status);
        assert_eq!(revoked, time("2026-09-01T00:00:00Z"));
        assert_eq!(reason, Some(Reason::KeyCompromise));
        assert_eq!(invalidity, Some(time("2026-04-01T00:00:00Z")));
    }

    #[test]
    fn a_crl_by_another_ca_is_unusable_and_named() {
        let status = status_at(
            &cert!("leaf-good.pem"),
            &cert!("int.pem"),
            &[fixture!("other.crl")],
            at(),
            None,
        );
        let why = not_checked(&status);
        assert!(
            why.contains("the CRL by O=exhibit tests,CN=Revocation Other CA"),
            "{why}"
        );
        assert!(
            why.contains("is not by O=exhibit tests,CN=Revocation Test Intermediate"),
            "{why}"
        );
    }

    #[test]
    fn a_crl_issued_before_the_time_to_prove_is_unusable() {
        let status = status_at(
            &cert!("leaf-good.pem"),
            &cert!("int.pem"),
            &[fixture!("int-old.crl")],
            at(),
            None,
        );
        let why = not_checked(&status);
        assert!(
            why.contains(
                "was issued 2026-05-01T00:00:00Z, before the time to prove 2026-06-01T00:00:00Z"
            ),
            "{why}"
        );
    }

    #[test]
    fn a_tampered_crl_is_unusable() {
        let mut crl = fixture!("int.crl");
        let date = b"260301000000Z";
        let offset = crl
            .windows(date.len())
            .position(|w| w == date)
            .expect("the early revocation date");
        crl[offset + 3] = b'2';
        assert_eq!(read_material(&crl), Ok(MaterialKind::Crl));
        let status = status_at(
            &cert!("leaf-early.pem"),
            &cert!("int.pem"),
            &[crl],
            at(),
            None,
        );
        let why = not_checked(&status);
        assert!(why.contains("signature does not verify"), "{why}");
    }

    #[test]
    fn an_empty_bundle_says_so() {
        let status = status_at(&cert!("leaf-good.pem"), &cert!("int.pem"), &[], at(), None);
        assert_eq!(
            not_checked(&status),
            "no CRL or OCSP response for it in the bundle"
        );
    }

    #[test]
    fn ocsp_good_and_revoked_signed_by_the_ca() {
        let int = cert!("int.pem");
        let good = status_at(
            &cert!("leaf-good.pem"),
            &int,
            &[fixture!("ocsp-good-ca.der")],
            at(),
            None,
        );
        let CertStatus::Good { evidence } = &good else {
            panic!("expected Good, got {good:?}");
        };
        assert_eq!(evidence.kind, MaterialKind::Ocsp);
        assert_eq!(evidence.signer, int.subject());
        let revoked = status_at(
            &cert!("leaf-superseded.pem"),
            &int,
            &[fixture!("ocsp-revoked-ca.der")],
            at(),
            None,
        );
        assert!(
            matches!(revoked, CertStatus::RevokedLater { reason: Some(Reason::Superseded), at, .. } if at == time("2026-09-01T00:00:00Z")),
            "{revoked:?}"
        );
    }

    #[test]
    fn ocsp_by_a_delegated_responder_needs_ocsp_signing() {
        let leaf = cert!("leaf-good.pem");
        let int = cert!("int.pem");
        let delegated = status_at(
            &leaf,
            &int,
            &[fixture!("ocsp-good-responder.der")],
            at(),
            None,
        );
        let CertStatus::Good { evidence } = &delegated else {
            panic!("expected Good, got {delegated:?}");
        };
        assert_eq!(evidence.signer, cert!("responder.pem").subject());
        let rogue = status_at(&leaf, &int, &[fixture!("ocsp-good-rogue.der")], at(), None);
        let why = not_checked(&rogue);
        assert!(why.contains("does not list OCSPSigning"), "{why}");
    }

    #[test]
    fn ocsp_for_another_certificate_is_unusable() {
        let status = status_at(
            &cert!("leaf-superseded.pem"),
            &cert!("int.pem"),
            &[fixture!("ocsp-good-ca.der")],
            at(),
            None,
        );
        let why = not_checked(&status);
        assert!(why.contains("answers for other certificates"), "{why}");
    }

    #[test]
    fn any_revocation_wins_over_good() {
        let status = status_at(
            &cert!("leaf-superseded.pem"),
            &cert!("int.pem"),
            &[
                fixture!("other.crl"),
                fixture!("ocsp-revoked-ca.der"),
                fixture!("int.crl"),
            ],
            at(),
            None,
        );
        let CertStatus::RevokedLater { evidence, .. } = &status else {
            panic!("expected RevokedLater, got {status:?}");
        };
        assert!(evidence.index == 1 || evidence.index == 2);
    }

    #[test]
    fn material_is_read_strictly() {
        assert_eq!(read_material(&fixture!("int.crl")), Ok(MaterialKind::Crl));
        assert_eq!(
            read_material(&fixture!("ocsp-good-ca.der")),
            Ok(MaterialKind::Ocsp)
        );
        for garbage in [
            &b""[..],
            b"garbage",
            &[0x30, 0x03, 0x02, 0x01, 0x00],
            &cert!("int.pem").der,
        ] {
            assert!(read_material(garbage).is_err(), "{garbage:?}");
        }
        let mut trailing = fixture!("int.crl");
        trailing.push(0);
        assert!(read_material(&trailing).is_err());
        let huge = vec![0u8; MAX_VALIDATION_BYTES as usize + 1];
        let refused = read_material(&huge).expect_err("too large");
        assert!(refused.contains("larger than the 16 MiB"), "{refused}");
        // A responder's refusal says nothing of any certificate.
        let try_later = [0x30, 0x03, 0x0a, 0x01, 0x03];
        let refused = read_material(&try_later).expect_err("tryLater");
        assert!(refused.contains("tryLater"), "{refused}");
    }

    #[test]
    fn a_chain_is_judged_link_by_link() {
        let chain = [cert!("leaf-good.pem"), cert!("int.pem"), cert!("root.pem")];
        let statuses = chain_status(
            &chain,
            &[fixture!("int.crl"), fixture!("root.crl")],
            at(),
            None,
        );
        assert_eq!(statuses.len(), 2);
        assert_eq!(statuses[0].0, "O=exhibit tests,CN=leaf-good");
        assert!(matches!(&statuses[0].1, CertStatus::Good { evidence } if evidence.index == 0));
        assert_eq!(
            statuses[1].0,
            "O=exhibit tests,CN=Revocation Test Intermediate"
        );
        assert!(matches!(&statuses[1].1, CertStatus::Good { evidence } if evidence.index == 1));
        let stopped = chain_status(&chain[..2], &[fixture!("int.crl")], at(), None);
        assert!(not_checked(&stopped[1].1).contains("is not known"));
    }

    #[test]
    fn the_request_names_the_certificate_as_a_responder_does() {
        let request = ocsp_request(&cert!("leaf-good.pem"), &cert!("int.pem")).expect("a request");
        let request = x509_ocsp::OcspRequest::from_der(&request).expect("DER");
        let Ok(Material::Ocsp(answer)) = Material::read(&fixture!("ocsp-good-ca.der")) else {
            panic!("an OCSP response");
        };
        assert_eq!(
            request.tbs_request.request_list[0].req_cert,
            answer.basic.tbs_response_data.responses[0].cert_id
        );
        assert!(ocsp_request(&cert!("leaf-good.pem"), &cert!("root.pem")).is_err());
    }

    #[test]
    fn urls_come_from_the_certificate() {
        let leaf = cert!("leaf-good.pem");
        assert_eq!(crl_urls(&leaf), ["http://crl.example.test/int.crl"]);
        assert_eq!(ocsp_urls(&leaf), ["http://ocsp.example.test/"]);
        assert!(crl_urls(&cert!("root.pem")).is_empty());
    }

    #[test]
    fn every_changed_byte_is_judged_without_panic() {
        let leaf = cert!("leaf-good.pem");
        let int = cert!("int.pem");
        for original in [fixture!("int.crl"), fixture!("ocsp-good-responder.der")] {
            for position in 0..original.len() {
                let mut changed = original.clone();
                changed[position] ^= 0x01;
                let status = status_at(&leaf, &int, &[changed.clone()], at(), None);
                if read_material(&changed).is_err() {
                    assert!(matches!(status, CertStatus::NotChecked { .. }));
                }
                changed.truncate(position);
                let _ = status_at(&leaf, &int, &[changed], at(), None);
            }
        }
    }
}
