//! RFC 3161 time-stamp tokens: what a TSA is asked (a `TimeStampReq`),
//! what it answers (a `TimeStampResp`), and checking a token completely —
//! granted status, the CMS signature over the signed attributes and through
//! them over `TSTInfo`, the ESS binding of the TSA certificate, that
//! certificate's key usage, and its path to a trusted root, every
//! certificate valid at `genTime`. Pure bytes, no I/O; [`http`] asks a TSA.
//!
//! Structures come from RustCrypto's `cms`, `x509-cert` and `x509-tsp`.
//! Three are declared here with `der`'s derive, each for a stated reason:
//! `TSTInfo` (its `genTime` needs [`GenTime`]), the TSP status (cmpv2 0.2
//! declares the `PKIFailureInfo` bit positions as masks, so it reads an
//! OpenSSL `badAlg` rejection as `BadAlg | BadMessageCheck`), and ESS `SigningCertificate`/`-V2` (in no
//! released crate of this line). The signed attributes and certificates are
//! also read as raw elements, so signatures are checked over the bytes as
//! the TSA encoded them, not over a re-encoding.

use std::fmt;

use der::asn1::{
    AnyRef, BitStringRef, Int, ObjectIdentifier, OctetString, SetOfVec, Utf8StringRef,
};
use der::{
    Decode, DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Sequence,
    SliceReader, Tag, Tagged, Writer,
};
use sha2::Digest;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::ext::Extensions;
use x509_cert::serial_number::SerialNumber;

mod cades;
mod cert;
pub mod gen_time;
pub mod http;
pub mod revocation;
mod signature;

pub use cades::{
    cert_id, check_detached, signature_value, with_signature_time_stamp, CertSigner, DetachedFacts,
    ExternalKey, KeyAlgorithm,
};
pub use cert::{certificates_from_pem, Cert, PathEnd};
pub use gen_time::GenTime;

use crate::limits::MAX_TOKEN_CERTIFICATES;
use signature::Hash;

/// Object identifiers used here, spelled out so each can be checked
/// against its RFC.
pub(crate) mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    /// RFC 5652
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// RFC 3161 `id-ct-TSTInfo`
    pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
    /// RFC 2634 `id-aa-signingCertificate`, RFC 5035 `id-aa-signingCertificateV2`
    pub const SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
    pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
    /// RFC 5280
    pub const SUBJECT_KEY_ID: Oid = Oid::new_unwrap("2.5.29.14");
    pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
    pub const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
    pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
    pub const CERTIFICATE_POLICIES: Oid = Oid::new_unwrap("2.5.29.32");
    pub const AUTHORITY_KEY_ID: Oid = Oid::new_unwrap("2.5.29.35");
    pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
    pub const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
    /// RFC 3739 `id-pe-qcStatements`; ETSI EN 319 412-5 `id-etsi-qcs-QcCompliance`
    pub const QC_STATEMENTS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.3");
    pub const QC_COMPLIANCE: Oid = Oid::new_unwrap("0.4.0.1862.1.1");
}

/// The digests a time-stamp imprint (and an evidence record's hash tree)
/// may use. SHA-1 and MD5 are not among them: a token over a broken digest
/// proves nothing about the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    /// Every algorithm, in the order of preference.
    pub const ALL: [HashAlgorithm; 3] = [
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ];

    /// The name in documents and messages: `sha256`, `sha384`, `sha512`.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
        }
    }

    /// The algorithm of a [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<HashAlgorithm> {
        HashAlgorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Its object identifier (NIST, RFC 5754).
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            HashAlgorithm::Sha256 => oid::SHA256,
            HashAlgorithm::Sha384 => oid::SHA384,
            HashAlgorithm::Sha512 => oid::SHA512,
        }
    }

    /// The algorithm an `AlgorithmIdentifier` names, if it is one of these.
    pub fn from_oid(id: &ObjectIdentifier) -> Option<HashAlgorithm> {
        HashAlgorithm::ALL.into_iter().find(|a| a.oid() == *id)
    }

    /// The digest of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> Vec<u8> {
        self.hash().digest(bytes)
    }

    /// Length of its digests in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// A streaming digest, for input read in pieces.
    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            HashAlgorithm::Sha256 => Streaming::Sha256(sha2::Sha256::new()),
            HashAlgorithm::Sha384 => Streaming::Sha384(sha2::Sha384::new()),
            HashAlgorithm::Sha512 => Streaming::Sha512(sha2::Sha512::new()),
        })
    }

    fn hash(self) -> Hash {
        match self {
            HashAlgorithm::Sha256 => Hash::Sha256,
            HashAlgorithm::Sha384 => Hash::Sha384,
            HashAlgorithm::Sha512 => Hash::Sha512,
        }
    }
}

/// A digest of a [`HashAlgorithm`] fed piece by piece.
#[derive(Clone)]
pub struct Hasher(Streaming);

#[derive(Clone)]
enum Streaming {
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            Streaming::Sha256(h) => h.update(bytes),
            Streaming::Sha384(h) => h.update(bytes),
            Streaming::Sha512(h) => h.update(bytes),
        }
    }

    pub fn finalize(self) -> Vec<u8> {
        match self.0 {
            Streaming::Sha256(h) => h.finalize().to_vec(),
            Streaming::Sha384(h) => h.finalize().to_vec(),
            Streaming::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a token covers: SHA-256 of the 64 raw bytes of one signature.
pub type Imprint = [u8; 32];

/// The message imprint for a signature (SHA-256 of its raw bytes).
pub fn imprint_of(signature: &[u8]) -> Imprint {
    sha2::Sha256::digest(signature).into()
}

// ---------------------------------------------------------------- query ---

/// A `TimeStampReq` for one imprint: SHA-256, a random nonce, `certReq`
/// true (the TSA must include its certificate, or the token could not be
/// checked), no policy asked for.
#[derive(Debug, Clone)]
pub struct Query {
    /// The DER bytes to send (`application/timestamp-query`, `.tsq`).
    pub der: Vec<u8>,
    /// The nonce as DER INTEGER content bytes, to compare with the answer.
    pub nonce: Vec<u8>,
}

impl Query {
    /// A query with a fresh random 63-bit nonce.
    pub fn new(imprint: &Imprint) -> Query {
        Query::for_digest(HashAlgorithm::Sha256, imprint)
    }

    /// A query for a `digest` made with `algorithm` (an evidence record's
    /// hash tree may use SHA-384 or SHA-512), with a fresh random nonce.
    pub fn for_digest(algorithm: HashAlgorithm, digest: &[u8]) -> Query {
        use rand_core::RngCore;
        let mut nonce = [0u8; 8];
        rand_core::OsRng.fill_bytes(&mut nonce);
        Query::build(algorithm, digest, nonce)
    }

    /// A query with this nonce (made a positive, minimally encoded INTEGER).
    pub fn with_nonce(imprint: &Imprint, nonce: [u8; 8]) -> Query {
        Query::build(HashAlgorithm::Sha256, imprint, nonce)
    }

    fn build(algorithm: HashAlgorithm, digest: &[u8], mut nonce: [u8; 8]) -> Query {
        nonce[0] = (nonce[0] & 0x7f).max(1);
        let request = x509_tsp::TimeStampReq {
            version: x509_tsp::TspVersion::V1,
            message_imprint: x509_tsp::MessageImprint {
                hash_algorithm: spki::AlgorithmIdentifier {
                    oid: algorithm.oid(),
                    parameters: Some(der::Any::null()),
                },
                hashed_message: OctetString::new(digest.to_vec()).expect("a digest is short"),
            },
            req_policy: None,
            nonce: Some(Int::new(&nonce).expect("a positive minimal integer")),
            cert_req: true,
            extensions: None,
        };
        Query {
            der: request.to_der().expect("a TimeStampReq always encodes"),
            nonce: nonce.to_vec(),
        }
    }
}

// ------------------------------------------------------------- response ---

/// `PKIStatusInfo` (RFC 3161 2.4.2), read with the failure bits by position.
#[derive(Sequence)]
struct StatusInfo<'a> {
    status: u8,
    #[asn1(optional = "true")]
    status_string: Option<Vec<Utf8StringRef<'a>>>,
    #[asn1(optional = "true")]
    fail_info: Option<BitStringRef<'a>>,
}

/// `TimeStampResp` (RFC 3161 2.4.2).
#[derive(Sequence)]
struct TimeStampResp<'a> {
    status: StatusInfo<'a>,
    /// Kept as encoded: an evidence record stores the token's exact bytes.
    #[asn1(optional = "true")]
    time_stamp_token: Option<AnyRef<'a>>,
}

/// The status a TSA answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub code: u8,
    pub text: Vec<String>,
    /// Names of the failure reasons given (`badAlg`, ...).
    pub failures: Vec<&'static str>,
}

/// RFC 3161 `PKIFailureInfo` bits, by position.
const FAILURES: &[(usize, &str)] = &[
    (0, "badAlg"),
    (2, "badRequest"),
    (5, "badDataFormat"),
    (14, "timeNotAvailable"),
    (15, "unacceptedPolicy"),
    (16, "unacceptedExtension"),
    (17, "addInfoNotAvailable"),
    (25, "systemFailure"),
];

impl Status {
    fn read(info: &StatusInfo<'_>) -> Status {
        let text = info
            .status_string
            .iter()
            .flatten()
            .map(|s| s.as_str().to_string())
            .collect();
        let failures = match &info.fail_info {
            Some(bits) => {
                let bytes = bits.raw_bytes();
                let set = |bit: usize| {
                    bytes
                        .get(bit / 8)
                        .is_some_and(|b| b & (0x80 >> (bit % 8)) != 0)
                };
                FAILURES
                    .iter()
                    .filter(|(bit, _)| set(*bit))
                    .map(|(_, name)| *name)
                    .collect()
            }
            None => Vec::new(),
        };
        Status {
            code: info.status,
            text,
            failures,
        }
    }

    /// `granted` (0) or `grantedWithMods` (1): a token follows.
    pub fn granted(&self) -> bool {
        self.code <= 1
    }

    pub fn name(&self) -> &'static str {
        match self.code {
            0 => "granted",
            1 => "grantedWithMods",
            2 => "rejection",
            3 => "waiting",
            4 => "revocationWarning",
            5 => "revocationNotification",
            _ => "unknown status",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {} ({})", self.code, self.name())?;
        if !self.failures.is_empty() {
            write!(f, ", failure {}", self.failures.join(", "))?;
        }
        if !self.text.is_empty() {
            let text: String = self.text.join("; ").chars().take(200).collect();
            write!(f, ": {text:?}")?;
        }
        Ok(())
    }
}

// --------------------------------------------------------------- TSTInfo ---

/// `TSTInfo` (RFC 3161 2.4.2), as x509-tsp declares it but with a
/// `genTime` that may carry fractional seconds.
#[derive(Sequence)]
struct TstInfo {
    version: x509_tsp::TspVersion,
    policy: ObjectIdentifier,
    message_imprint: x509_tsp::MessageImprint,
    serial_number: Int,
    gen_time: GenTime,
    #[asn1(optional = "true")]
    accuracy: Option<x509_tsp::Accuracy>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

// -------------------------------------------------------------- ESS ---

/// `IssuerSerial` (RFC 5035).
#[derive(Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// `ESSCertID` (RFC 2634): SHA-1 of the certificate.
#[derive(Sequence)]
struct EssCertId {
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificate` (RFC 2634).
#[derive(Sequence)]
struct SigningCertificate {
    certs: Vec<EssCertId>,
    #[asn1(optional = "true")]
    policies: Option<der::Any>,
}

/// `ESSCertIDv2` (RFC 5035): the hash algorithm defaults to SHA-256.
#[derive(Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<spki::AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificateV2` (RFC 5035).
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<der::Any>,
}

// ---------------------------------------------------------- raw parts ---

/// The content of a SET, as encoded (so a signature can be checked over
/// exactly those bytes).
struct RawSet<'a>(&'a [u8]);

impl<'a> DecodeValue<'a> for RawSet<'a> {
    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        Ok(RawSet(reader.read_slice(header.length)?))
    }
}

impl EncodeValue for RawSet<'_> {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }
    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(self.0)
    }
}

impl FixedTag for RawSet<'_> {
    const TAG: Tag = Tag::Set;
}

impl<'a> RawSet<'a> {
    /// Each element as encoded.
    fn elements(&self) -> der::Result<Vec<AnyRef<'a>>> {
        let mut reader = SliceReader::new(self.0)?;
        let mut items = Vec::new();
        while !reader.is_finished() {
            items.push(AnyRef::decode(&mut reader)?);
        }
        reader.finish(items)
    }

    /// The whole SET, tag and length included (what a signer signs).
    fn to_set_der(&self) -> der::Result<Vec<u8>> {
        AnyRef::new(Tag::Set, self.0)?.to_der()
    }
}

/// `SignedData` with the parts whose exact bytes matter kept raw.
#[derive(Sequence)]
struct SignedDataParts<'a> {
    version: AnyRef<'a>,
    digest_algorithms: AnyRef<'a>,
    encap_content_info: AnyRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    certificates: Option<RawSet<'a>>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    crls: Option<RawSet<'a>>,
    signer_infos: RawSet<'a>,
}

impl SignedDataParts<'_> {
    /// The same SignedData with each certificate once, in the order given;
    /// `None` when no certificate repeats (the bytes are used as they are).
    fn without_repeated_certificates(&self) -> Result<Option<Vec<u8>>, TokenError> {
        let Some(set) = &self.certificates else {
            return Ok(None);
        };
        let elements = set.elements().map_err(malformed("certificates"))?;
        let mut seen: Vec<Vec<u8>> = Vec::new();
        let mut kept = Vec::new();
        for element in &elements {
            let der = element.to_der().map_err(malformed("certificate"))?;
            if !seen.contains(&der) {
                kept.extend_from_slice(&der);
                seen.push(der);
            }
        }
        if seen.len() == elements.len() {
            return Ok(None);
        }
        let once = SignedDataParts {
            version: self.version,
            digest_algorithms: self.digest_algorithms,
            encap_content_info: self.encap_content_info,
            certificates: Some(RawSet(&kept)),
            crls: self.crls.as_ref().map(|c| RawSet(c.0)),
            signer_infos: RawSet(self.signer_infos.0),
        };
        once.to_der().map(Some).map_err(malformed("SignedData"))
    }
}

/// `SignerInfo` with its signed attributes kept raw.
#[derive(Sequence)]
struct SignerInfoParts<'a> {
    version: AnyRef<'a>,
    sid: AnyRef<'a>,
    digest_algorithm: AnyRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    signed_attrs: Option<RawSet<'a>>,
    signature_algorithm: AnyRef<'a>,
    signature: AnyRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    unsigned_attrs: Option<RawSet<'a>>,
}

// ---------------------------------------------------------------- check ---

/// Why a `TimeStampResp` holds no usable token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not DER, not a TimeStampResp, or not the structure RFC 3161 gives.
    #[error("malformed: {0}")]
    Malformed(String),
    /// The TSA refused: no token.
    #[error("the TSA did not grant a token: {0}")]
    NotGranted(Status),
    /// Well formed, but the signature, the certificate or its binding does
    /// not hold.
    #[error("{0}")]
    Invalid(String),
}

fn malformed(what: &str) -> impl Fn(der::Error) -> TokenError + '_ {
    move |e| TokenError::Malformed(format!("{what}: {e}"))
}

fn invalid(message: impl Into<String>) -> TokenError {
    TokenError::Invalid(message.into())
}

/// What a sound token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFacts {
    pub gen_time: GenTime,
    /// The imprint's hash algorithm and value.
    pub imprint_algorithm: ObjectIdentifier,
    pub imprint: Vec<u8>,
    /// The nonce, as DER INTEGER content bytes.
    pub nonce: Option<Vec<u8>>,
    /// Serial number, lowercase hex of its DER INTEGER content bytes.
    pub serial: String,
    pub policy: String,
    /// Subject of the TSA's certificate (RFC 4514).
    pub tsa: String,
    /// Where the TSA certificate's path ends.
    pub path: PathEnd,
    /// The certificates of the path, TSA first, then each intermediate,
    /// then the root when it reached one (when it did not: those followed
    /// until it stopped); what revocation is checked over.
    pub chain: Vec<Cert>,
    /// The token's other certificates, as carried (a root among them is
    /// not trusted for that; it names whom to ask about revocation).
    pub carried: Vec<Cert>,
}

impl TokenFacts {
    /// Does this token cover `imprint` (SHA-256 of a signature)?
    pub fn check_covers(&self, imprint: &Imprint) -> Result<(), String> {
        if self.imprint_algorithm != oid::SHA256 {
            return Err(format!(
                "the imprint is not SHA-256 (algorithm {})",
                self.imprint_algorithm
            ));
        }
        if self.imprint != imprint {
            return Err(format!(
                "covers imprint {}, not SHA-256 {} of this signature",
                hex::encode(&self.imprint),
                hex::encode(imprint)
            ));
        }
        Ok(())
    }

    /// Does this token cover `digest`, made with `algorithm`? (What an
    /// evidence record's time-stamp must cover: the root of its hash tree.)
    pub fn check_covers_digest(
        &self,
        algorithm: HashAlgorithm,
        digest: &[u8],
    ) -> Result<(), String> {
        if self.imprint_algorithm != algorithm.oid() {
            let named = HashAlgorithm::from_oid(&self.imprint_algorithm)
                .map(|a| a.name().to_string())
                .unwrap_or_else(|| self.imprint_algorithm.to_string());
            return Err(format!("the imprint is {named}, not {}", algorithm.name()));
        }
        if self.imprint != digest {
            return Err(format!(
                "covers imprint {}, not {} {}",
                hex::encode(&self.imprint),
                algorithm.name(),
                hex::encode(digest)
            ));
        }
        Ok(())
    }

    pub fn trusted(&self) -> bool {
        matches!(self.path, PathEnd::Trusted { .. })
    }
}

/// Reads a TimeStampResp and checks its token completely, the certificate
/// path against `roots` (where it ends is in the result; a path that
/// reaches a root through a certificate not valid at `genTime` is an
/// error). Whether it covers a given signature is [`TokenFacts::check_covers`].
pub fn check_response(response: &[u8], roots: &[Cert]) -> Result<TokenFacts, TokenError> {
    check_token(&token_of_response(response)?, roots)
}

/// The token of a granted TimeStampResp: the DER of its CMS ContentInfo,
/// the bytes as they sit in the response (what an RFC 4998 evidence
/// record keeps).
pub fn token_of_response(response: &[u8]) -> Result<Vec<u8>, TokenError> {
    let response =
        TimeStampResp::from_der(response).map_err(malformed("not a DER TimeStampResp"))?;
    let status = Status::read(&response.status);
    if !status.granted() {
        return Err(TokenError::NotGranted(status));
    }
    response
        .time_stamp_token
        .ok_or_else(|| TokenError::Malformed(format!("{status} but no token")))?
        .to_der()
        .map_err(malformed("TimeStampToken"))
}

/// Checks a bare TimeStampToken (a DER CMS ContentInfo holding SignedData,
/// as an RFC 4998 archive time-stamp holds it) as completely as
/// [`check_response`] checks the token of a response.
pub fn check_token(token: &[u8], roots: &[Cert]) -> Result<TokenFacts, TokenError> {
    let token = cms::content_info::ContentInfo::from_der(token)
        .map_err(malformed("not a DER TimeStampToken"))?;
    if token.content_type != oid::SIGNED_DATA {
        return Err(TokenError::Malformed(format!(
            "the token is {}, not CMS SignedData",
            token.content_type
        )));
    }
    let signed_der = token.content.to_der().map_err(malformed("SignedData"))?;
    check_signed_data(&signed_der, roots)
}

fn check_signed_data(signed_der: &[u8], roots: &[Cert]) -> Result<TokenFacts, TokenError> {
    let parts = SignedDataParts::from_der(signed_der).map_err(malformed("SignedData"))?;
    // A certificate repeated in `certificates` (OpenSSL writes the TSA's
    // twice when `certs =` names it too; X.690 allows equal elements in a
    // SET OF) is read once; the strict decode sees every other part as is.
    let deduplicated = parts.without_repeated_certificates()?;
    let signed =
        cms::signed_data::SignedData::from_der(deduplicated.as_deref().unwrap_or(signed_der))
            .map_err(malformed("SignedData"))?;

    // TSTInfo, exactly as signed.
    let encap = &signed.encap_content_info;
    if encap.econtent_type != oid::TST_INFO {
        return Err(TokenError::Malformed(format!(
            "the token holds {}, not TSTInfo",
            encap.econtent_type
        )));
    }
    let content = encap
        .econtent
        .as_ref()
        .ok_or_else(|| TokenError::Malformed("the token has no TSTInfo".into()))?
        .decode_as::<OctetString>()
        .map_err(malformed("eContent"))?;
    let content = content.as_bytes();
    let info = TstInfo::from_der(content).map_err(malformed("TSTInfo"))?;

    // One signer: the TSA (RFC 3161 2.4.2).
    let (signer, certificates) = check_one_signer(&parts, &signed, content, &TOKEN_SIGNER)?;
    let tsa = &certificates[signer];
    tsa.check_tsa_usage().map_err(invalid)?;
    let gen_time = info.gen_time;
    let at = gen_time.unix_seconds();
    let at_text = format!("genTime {gen_time}");
    tsa.check_valid_at(at, &at_text).map_err(invalid)?;
    if let Some(GeneralName::DirectoryName(name)) = &info.tsa {
        if *name != tsa.parsed.tbs_certificate.subject {
            return Err(invalid(format!(
                "TSTInfo names TSA {name:?}, but {:?} signed it",
                tsa.subject()
            )));
        }
    }
    let others: Vec<Cert> = certificates
        .iter()
        .filter(|c| c.der != tsa.der)
        .cloned()
        .collect();
    let (path, chain) =
        cert::path_to_root(tsa, &others, roots, at, &at_text, "TSA root").map_err(invalid)?;

    Ok(TokenFacts {
        gen_time,
        imprint_algorithm: info.message_imprint.hash_algorithm.oid,
        imprint: info.message_imprint.hashed_message.as_bytes().to_vec(),
        nonce: info.nonce.map(|n| n.as_bytes().to_vec()),
        serial: hex::encode(info.serial_number.as_bytes()),
        policy: info.policy.to_string(),
        tsa: tsa.subject(),
        path,
        chain,
        carried: others,
    })
}

/// What a CMS signature is, for the checks and messages of
/// [`check_one_signer`]: a token's TSA, or a signer's detached signature.
struct SignerKind {
    /// "the TSA's signature", "the signature".
    what: &'static str,
    /// More than one signer: "a token has exactly one, the TSA's".
    one: &'static str,
    /// The content type the signed attributes must name, and its name.
    content_type: ObjectIdentifier,
    content_name: &'static str,
    /// No certificate matches the signer identifier.
    no_certificate: &'static str,
}

const TOKEN_SIGNER: SignerKind = SignerKind {
    what: "the TSA's signature",
    one: "a token has exactly one, the TSA's",
    content_type: oid::TST_INFO,
    content_name: "TSTInfo",
    no_certificate: "the token does not include the TSA's certificate, so its signature cannot be checked (ask the TSA with certReq true)",
};

/// A SignedData with exactly one signer, checked as far as it is the same
/// for every CMS signature: its signed attributes bind `content`
/// (content-type and message-digest) and the certificate that signed (ESS
/// signing-certificate), and the signature over them, as encoded,
/// verifies. Returns the index of the signer's certificate among the
/// certificates the SignedData carries, and those certificates.
fn check_one_signer(
    parts: &SignedDataParts<'_>,
    signed: &cms::signed_data::SignedData,
    content: &[u8],
    kind: &SignerKind,
) -> Result<(usize, Vec<Cert>), TokenError> {
    let raw_signers = parts
        .signer_infos
        .elements()
        .map_err(malformed("signerInfos"))?;
    let [raw_signer] = raw_signers.as_slice() else {
        return Err(TokenError::Malformed(format!(
            "{} signatures; {}",
            raw_signers.len(),
            kind.one
        )));
    };
    let signer = signed
        .signer_infos
        .0
        .get(0)
        .ok_or_else(|| TokenError::Malformed("no signerInfo".into()))?;
    let raw_signer_der = raw_signer.to_der().map_err(malformed("signerInfo"))?;
    let raw_signer = SignerInfoParts::from_der(&raw_signer_der).map_err(malformed("signerInfo"))?;
    let (Some(attributes), Some(raw_attributes)) = (&signer.signed_attrs, &raw_signer.signed_attrs)
    else {
        return Err(invalid(format!("{} has no signed attributes", kind.what)));
    };
    let digest = Hash::for_signatures(&signer.digest_alg.oid).ok_or_else(|| {
        invalid(format!(
            "digest algorithm {} is not accepted (SHA-256, SHA-384, SHA-512 are)",
            signer.digest_alg.oid
        ))
    })?;

    // The signed attributes bind the content.
    let content_type = single_attribute(attributes, oid::CONTENT_TYPE, "content-type")?
        .ok_or_else(|| invalid("no content-type attribute"))?
        .decode_as::<ObjectIdentifier>()
        .map_err(malformed("content-type attribute"))?;
    if content_type != kind.content_type {
        return Err(invalid(format!(
            "content-type attribute is {content_type}, not {}",
            kind.content_name
        )));
    }
    let message_digest = single_attribute(attributes, oid::MESSAGE_DIGEST, "message-digest")?
        .ok_or_else(|| invalid("no message-digest attribute"))?
        .decode_as::<OctetString>()
        .map_err(malformed("message-digest attribute"))?;
    if message_digest.as_bytes() != digest.digest(content) {
        return Err(invalid(format!(
            "message-digest attribute is not the {} of {}: the content was changed",
            digest.name(),
            kind.content_name
        )));
    }

    // The signer's certificate, named by the signer identifier.
    let certificates = token_certificates(parts)?;
    let index =
        find_signer(&signer.sid, &certificates).ok_or_else(|| invalid(kind.no_certificate))?;
    let cert = &certificates[index];

    // The signature over the signed attributes, as encoded.
    let signed_bytes = raw_attributes
        .to_set_der()
        .map_err(malformed("signed attributes"))?;
    signature::verify(
        &cert.parsed.tbs_certificate.subject_public_key_info,
        &signer.signature_algorithm,
        Some(digest),
        &signed_bytes,
        signer.signature.as_bytes(),
    )
    .map_err(|e| invalid(format!("{}: {e}", kind.what)))?;
    check_ess_binding(attributes, cert)?;
    Ok((index, certificates))
}

/// The one value of a signed attribute that may appear at most once.
fn single_attribute<'a>(
    attributes: &'a SetOfVec<Attribute>,
    id: ObjectIdentifier,
    name: &str,
) -> Result<Option<&'a der::Any>, TokenError> {
    let mut found = attributes.iter().filter(|a| a.oid == id);
    let Some(attribute) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() || attribute.values.len() != 1 {
        return Err(invalid(format!(
            "the {name} attribute must appear once, with one value"
        )));
    }
    Ok(attribute.values.get(0))
}

/// The X.509 certificates the token carries (other kinds are ignored).
fn token_certificates(parts: &SignedDataParts<'_>) -> Result<Vec<Cert>, TokenError> {
    let Some(set) = &parts.certificates else {
        return Ok(Vec::new());
    };
    let elements = set.elements().map_err(malformed("certificates"))?;
    if elements.len() > MAX_TOKEN_CERTIFICATES {
        return Err(TokenError::Malformed(format!(
            "{} certificates; a token carries at most {MAX_TOKEN_CERTIFICATES}",
            elements.len()
        )));
    }
    let mut certificates = Vec::new();
    for element in elements {
        if element.tag() != Tag::Sequence {
            continue;
        }
        let der = element.to_der().map_err(malformed("certificate"))?;
        certificates.push(Cert::from_der(&der).map_err(TokenError::Malformed)?);
    }
    Ok(certificates)
}

fn find_signer(sid: &cms::signed_data::SignerIdentifier, certificates: &[Cert]) -> Option<usize> {
    use cms::signed_data::SignerIdentifier;
    certificates.iter().position(|c| match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            c.parsed.tbs_certificate.issuer == id.issuer
                && c.parsed.tbs_certificate.serial_number == id.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(key_id) => c
            .parsed
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == oid::SUBJECT_KEY_ID)
            .filter_map(|e| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
            .any(|own| own == *key_id),
    })
}

/// RFC 3161 2.4.1 and RFC 5816: an ESS signing-certificate attribute (v1
/// or v2) whose first entry is the hash, and issuer and serial when given,
/// of the certificate that signed.
fn check_ess_binding(attributes: &SetOfVec<Attribute>, tsa: &Cert) -> Result<(), TokenError> {
    let v2 = single_attribute(
        attributes,
        oid::SIGNING_CERTIFICATE_V2,
        "signingCertificateV2",
    )?;
    let v1 = single_attribute(attributes, oid::SIGNING_CERTIFICATE, "signingCertificate")?;
    let (hash, cert_hash, issuer_serial) = if let Some(value) = v2 {
        let attribute: SigningCertificateV2 = value
            .decode_as()
            .map_err(malformed("signingCertificateV2"))?;
        let first = attribute
            .certs
            .into_iter()
            .next()
            .ok_or_else(|| invalid("signingCertificateV2 lists no certificate"))?;
        let hash = match &first.hash_algorithm {
            None => Hash::Sha256,
            Some(algorithm) => Hash::for_signatures(&algorithm.oid).ok_or_else(|| {
                invalid(format!(
                    "signingCertificateV2 hashes with {}",
                    algorithm.oid
                ))
            })?,
        };
        (hash, first.cert_hash, first.issuer_serial)
    } else if let Some(value) = v1 {
        let attribute: SigningCertificate =
            value.decode_as().map_err(malformed("signingCertificate"))?;
        let first = attribute
            .certs
            .into_iter()
            .next()
            .ok_or_else(|| invalid("signingCertificate lists no certificate"))?;
        (Hash::Sha1, first.cert_hash, first.issuer_serial)
    } else {
        return Err(invalid(
            "no ESS signing-certificate attribute binds the TSA's certificate to its signature",
        ));
    };
    if cert_hash.as_bytes() != tsa.hash(hash) {
        return Err(invalid(format!(
            "the ESS signing-certificate attribute names another certificate than {:?} ({} differs)",
            tsa.subject(),
            hash.name()
        )));
    }
    if let Some(issuer_serial) = issuer_serial {
        let issuer = &tsa.parsed.tbs_certificate.issuer;
        let issuer_matches = issuer_serial
            .issuer
            .iter()
            .any(|n| matches!(n, GeneralName::DirectoryName(name) if name == issuer));
        if !issuer_matches
            || issuer_serial.serial_number != tsa.parsed.tbs_certificate.serial_number
        {
            return Err(invalid(
                "the ESS signing-certificate attribute names another issuer and serial number",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod hash_algorithm_tests {
    use super::*;

    #[test]
    fn names_and_oids_go_both_ways() {
        for algorithm in HashAlgorithm::ALL {
            assert_eq!(HashAlgorithm::from_name(algorithm.name()), Some(algorithm));
            assert_eq!(HashAlgorithm::from_oid(&algorithm.oid()), Some(algorithm));
            assert_eq!(algorithm.digest(b"abc").len(), algorithm.digest_len());
            let mut hasher = algorithm.hasher();
            hasher.update(b"a");
            hasher.update(b"bc");
            assert_eq!(hasher.finalize(), algorithm.digest(b"abc"));
        }
        assert_eq!(HashAlgorithm::from_name("sha1"), None);
        assert_eq!(
            hex::encode(HashAlgorithm::Sha256.digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_query_names_its_algorithm() {
        let digest = HashAlgorithm::Sha384.digest(b"root");
        let query = Query::for_digest(HashAlgorithm::Sha384, &digest);
        let request = x509_tsp::TimeStampReq::from_der(&query.der).expect("a TimeStampReq");
        assert_eq!(request.message_imprint.hash_algorithm.oid, oid::SHA384);
        assert_eq!(request.message_imprint.hashed_message.as_bytes(), digest);
    }
}
