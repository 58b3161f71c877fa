//! Signatures by an X.509 certificate: a detached CMS SignedData in the
//! CAdES-B-B profile (ETSI EN 319 122-1) over exactly the bytes an Ed25519
//! signature covers. Signed attributes: content-type (id-data),
//! message-digest, signing-time (claimed) and signing-certificate-v2; the
//! signer's certificate and its chain are included. `openssl cms -verify
//! -binary -content FILE` checks what [`check_detached`] checks.
//!
//! It shares the CMS reading of time-stamp tokens (the parent module): the
//! signed attributes checked as encoded, the ESS binding, the path to a root.

use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode};
use sha2::Digest as _;
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::time::Time;

use super::cert::{self, Cert, PathEnd};
use super::signature::{self, Hash};
use super::{
    check_one_signer, invalid, malformed, oid, single_attribute, EssCertIdV2, IssuerSerial,
    SignedDataParts, SignerKind, SigningCertificateV2, TokenError,
};
use crate::keys::KeyId;
use crate::time::UtcTime;

/// `id-data`: what a detached signature's content is (RFC 5652).
const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
/// `id-signingTime` (RFC 5652 11.3).
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");

/// A signer's detached signature, for the checks every CMS signature shares.
const DETACHED_SIGNER: SignerKind = SignerKind {
    what: "the signature",
    one: "a signature file holds exactly one",
    content_type: ID_DATA,
    content_name: "the signed file",
    no_certificate:
        "the signature does not include its signer's certificate, so it cannot be checked",
};

/// A certificate's id: the SHA-256 of its DER, as 64 lowercase hex digits
/// (the name of its signature file, `exhibit/signatures/<id>.p7s`).
pub fn cert_id(cert: &Cert) -> KeyId {
    KeyId(sha2::Sha256::digest(&cert.der).into())
}

/// The algorithm of a certificate's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA, signing with PKCS#1 v1.5 and SHA-256.
    Rsa,
    /// ECDSA P-256 with SHA-256.
    P256,
    /// ECDSA P-384 with SHA-384.
    P384,
}

/// A key that signs where it lives (a PKCS#11 token) and never leaves it.
pub trait ExternalKey: Send + Sync {
    fn algorithm(&self) -> KeyAlgorithm;
    /// A signature over `message`: PKCS#1 v1.5 with SHA-256 for RSA, a DER
    /// ECDSA signature with the curve's hash for EC.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String>;
}

/// The private key of a certificate: in memory (a PKCS#12 file), or on a
/// token.
enum SigningKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    External(Box<dyn ExternalKey>),
}

impl SigningKey {
    fn from_pkcs8(der: &[u8]) -> Result<(SigningKey, Vec<u8>), String> {
        use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
        if let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
            let bits = rsa::traits::PublicKeyParts::n(&key).bits();
            if !(2048..=4096).contains(&bits) {
                return Err(format!(
                    "an RSA key of {bits} bits (2048 to 4096 are accepted)"
                ));
            }
            let public = rsa::RsaPublicKey::from(&key)
                .to_public_key_der()
                .map_err(|e| e.to_string())?;
            return Ok((SigningKey::Rsa(Box::new(key)), public.into_vec()));
        }
        if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            let public = p256::PublicKey::from(key.verifying_key())
                .to_public_key_der()
                .map_err(|e| e.to_string())?;
            return Ok((SigningKey::P256(key), public.into_vec()));
        }
        if let Ok(key) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
            let public = p384::PublicKey::from(key.verifying_key())
                .to_public_key_der()
                .map_err(|e| e.to_string())?;
            return Ok((SigningKey::P384(key), public.into_vec()));
        }
        Err("the key is neither RSA nor ECDSA P-256 or P-384".into())
    }

    fn algorithm(&self) -> KeyAlgorithm {
        match self {
            SigningKey::Rsa(_) => KeyAlgorithm::Rsa,
            SigningKey::P256(_) => KeyAlgorithm::P256,
            SigningKey::P384(_) => KeyAlgorithm::P384,
            SigningKey::External(key) => key.algorithm(),
        }
    }

    /// The digest its signatures use (also for the message digest).
    fn hash(&self) -> Hash {
        match self.algorithm() {
            KeyAlgorithm::Rsa | KeyAlgorithm::P256 => Hash::Sha256,
            KeyAlgorithm::P384 => Hash::Sha384,
        }
    }

    /// Signs `message` (the DER of the signed attributes); the signature and
    /// the `signatureAlgorithm` that names it.
    fn sign(&self, message: &[u8]) -> Result<(Vec<u8>, AlgorithmIdentifierOwned), String> {
        use ecdsa::signature::Signer as _;
        let algorithm = |oid: ObjectIdentifier, null: bool| AlgorithmIdentifierOwned {
            oid,
            parameters: null.then(|| Any::from(der::asn1::Null)),
        };
        let bytes = match self {
            SigningKey::Rsa(key) => {
                let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new((**key).clone());
                let signature: rsa::pkcs1v15::Signature = signer.sign(message);
                rsa::signature::SignatureEncoding::to_vec(&signature)
            }
            SigningKey::P256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            SigningKey::P384(key) => {
                let signature: p384::ecdsa::Signature = key.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            SigningKey::External(key) => key.sign(message)?,
        };
        let named = match self.algorithm() {
            KeyAlgorithm::Rsa => algorithm(oid::SHA256_WITH_RSA, true),
            KeyAlgorithm::P256 => algorithm(oid::ECDSA_WITH_SHA256, false),
            KeyAlgorithm::P384 => algorithm(oid::ECDSA_WITH_SHA384, false),
        };
        Ok((bytes, named))
    }
}

/// A certificate with its private key: what signs with `--cert`.
pub struct CertSigner {
    key: SigningKey,
    cert: Cert,
    /// The certificates between it and its root, included in signatures.
    chain: Vec<Cert>,
}

impl CertSigner {
    /// The key (PKCS#8 DER) and the certificate it belongs to; refused
    /// when the certificate holds another public key.
    pub fn new(pkcs8_der: &[u8], cert: Cert, chain: Vec<Cert>) -> Result<CertSigner, String> {
        let (key, public) = SigningKey::from_pkcs8(pkcs8_der)?;
        let spki = cert
            .parsed
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| e.to_string())?;
        if spki != public {
            return Err(format!(
                "the certificate {:?} is not the private key's (another public key)",
                cert.subject()
            ));
        }
        let chain = chain.into_iter().filter(|c| c.der != cert.der).collect();
        Ok(CertSigner { key, cert, chain })
    }

    /// A key on a token and the certificate it belongs to. Whether they
    /// belong together shows in the first signature, which is checked
    /// against the certificate before it is used.
    pub fn external(key: Box<dyn ExternalKey>, cert: Cert, chain: Vec<Cert>) -> CertSigner {
        let chain = chain.into_iter().filter(|c| c.der != cert.der).collect();
        CertSigner {
            key: SigningKey::External(key),
            cert,
            chain,
        }
    }

    /// More certificates to include (`--cert-chain`), each once.
    pub fn with_chain(mut self, more: Vec<Cert>) -> CertSigner {
        for extra in more {
            if extra.der != self.cert.der && !self.chain.iter().any(|c| c.der == extra.der) {
                self.chain.push(extra);
            }
        }
        self
    }

    pub fn id(&self) -> KeyId {
        cert_id(&self.cert)
    }

    pub fn subject(&self) -> String {
        self.cert.subject()
    }

    /// The name and organization the certificate gives its holder (its
    /// subject's commonName and organizationName), as the claimed party of
    /// what it signs.
    pub fn holder(&self) -> (Option<String>, Option<String>) {
        const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
        const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
        (
            self.cert.subject_attribute(COMMON_NAME),
            self.cert.subject_attribute(ORGANIZATION),
        )
    }

    /// A detached CAdES-B-B signature over `content`, claimed to be made at
    /// `signing_time`: the DER of a CMS `ContentInfo` (a `.p7s` file).
    pub fn sign_detached(&self, content: &[u8], signing_time: UtcTime) -> Result<Vec<u8>, String> {
        use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
        use cms::content_info::{CmsVersion, ContentInfo};
        use cms::signed_data::{
            CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo,
            SignerInfos,
        };
        let failed = |e: der::Error| e.to_string();
        let hash = self.key.hash();
        let digest_algorithm = AlgorithmIdentifierOwned {
            oid: match hash {
                Hash::Sha384 => oid::SHA384,
                _ => oid::SHA256,
            },
            parameters: None,
        };
        let tbs = &self.cert.parsed.tbs_certificate;
        let attribute = |oid: ObjectIdentifier, value: Any| -> Result<Attribute, String> {
            let mut values = SetOfVec::new();
            values.insert(value).map_err(failed)?;
            Ok(Attribute { oid, values })
        };
        fn encoded<T: Encode>(value: &T) -> Result<Any, String> {
            let der = value.to_der().map_err(|e| e.to_string())?;
            Any::from_der(&der).map_err(|e| e.to_string())
        }
        let signing_certificate = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                hash_algorithm: None,
                cert_hash: OctetString::new(self.cert.hash(Hash::Sha256)).map_err(failed)?,
                issuer_serial: Some(IssuerSerial {
                    issuer: vec![GeneralName::DirectoryName(tbs.issuer.clone())],
                    serial_number: tbs.serial_number.clone(),
                }),
            }],
            policies: None,
        };
        let since_epoch = u64::try_from(signing_time.unix_seconds())
            .map_err(|_| "a signing time before 1970".to_string())?;
        let time =
            Time::try_from(std::time::UNIX_EPOCH + std::time::Duration::from_secs(since_epoch))
                .map_err(failed)?;
        let mut attributes: SetOfVec<Attribute> = SetOfVec::new();
        for (oid, value) in [
            (oid::CONTENT_TYPE, encoded(&ID_DATA)?),
            (SIGNING_TIME, encoded(&time)?),
            (
                oid::MESSAGE_DIGEST,
                encoded(&OctetString::new(hash.digest(content)).map_err(failed)?)?,
            ),
            (oid::SIGNING_CERTIFICATE_V2, encoded(&signing_certificate)?),
        ] {
            attributes.insert(attribute(oid, value)?).map_err(failed)?;
        }
        let signed_bytes = attributes.to_der().map_err(failed)?;
        let (signature, signature_algorithm) = self.key.sign(&signed_bytes)?;
        // A key that is not the certificate's (a token object under the
        // wrong label) would write a signature that never verifies.
        signature::verify(
            &tbs.subject_public_key_info,
            &signature_algorithm,
            Some(hash),
            &signed_bytes,
            &signature,
        )
        .map_err(|e| format!("the key does not sign for this certificate ({e})"))?;
        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer.clone(),
                serial_number: tbs.serial_number.clone(),
            }),
            digest_alg: digest_algorithm.clone(),
            signed_attrs: Some(attributes),
            signature_algorithm,
            signature: OctetString::new(signature).map_err(failed)?,
            unsigned_attrs: None,
        };
        let mut certificates = SetOfVec::new();
        for cert in std::iter::once(&self.cert).chain(&self.chain) {
            certificates
                .insert(CertificateChoices::Certificate(cert.parsed.clone()))
                .map_err(failed)?;
        }
        let mut digest_algorithms = SetOfVec::new();
        digest_algorithms.insert(digest_algorithm).map_err(failed)?;
        let signed = SignedData {
            version: CmsVersion::V1,
            digest_algorithms,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_DATA,
                econtent: None,
            },
            certificates: Some(CertificateSet(certificates)),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(failed)?),
        };
        ContentInfo {
            content_type: oid::SIGNED_DATA,
            content: encoded(&signed)?,
        }
        .to_der()
        .map_err(failed)
    }
}

/// `id-aa-signatureTimeStampToken` (RFC 3161 appendix A, CAdES-B-T).
const SIGNATURE_TIME_STAMP: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// The same `.p7s` with the time-stamp token of `response` (a granted
/// TimeStampResp over its signature value) added as the unsigned
/// signature-time-stamp attribute, so CAdES tools find it inside the
/// signature (CAdES-B-T). The signed attributes and the signature are
/// unchanged.
pub fn with_signature_time_stamp(p7s: &[u8], response: &[u8]) -> Result<Vec<u8>, String> {
    use cms::content_info::ContentInfo;
    use cms::signed_data::SignedData;
    let failed = |e: der::Error| e.to_string();
    let token = super::token_of_response(response).map_err(|e| e.to_string())?;
    let info = ContentInfo::from_der(p7s).map_err(failed)?;
    let mut signed: SignedData = info.content.decode_as().map_err(failed)?;
    let signer = signed
        .signer_infos
        .0
        .get(0)
        .cloned()
        .ok_or("the signature has no signer")?;
    let mut values = SetOfVec::new();
    values
        .insert(Any::from_der(&token).map_err(failed)?)
        .map_err(failed)?;
    let mut unsigned = SetOfVec::new();
    unsigned
        .insert(Attribute {
            oid: SIGNATURE_TIME_STAMP,
            values,
        })
        .map_err(failed)?;
    let mut signer = signer;
    signer.unsigned_attrs = Some(unsigned);
    signed.signer_infos =
        cms::signed_data::SignerInfos(SetOfVec::try_from(vec![signer]).map_err(failed)?);
    ContentInfo {
        content_type: oid::SIGNED_DATA,
        content: Any::from_der(&signed.to_der().map_err(failed)?).map_err(failed)?,
    }
    .to_der()
    .map_err(failed)
}

/// The signature value of a `.p7s` and the signing time it claims, read
/// without checking anything (what a time-stamp token covers; whether the
/// signature holds is the signature check's business). `None`: not a CMS
/// signature with one signer.
pub fn signature_value(p7s: &[u8]) -> Option<(Vec<u8>, Option<UtcTime>)> {
    let info = cms::content_info::ContentInfo::from_der(p7s).ok()?;
    let signed: cms::signed_data::SignedData = info.content.decode_as().ok()?;
    let signer = signed.signer_infos.0.get(0)?;
    let claimed = signer.signed_attrs.as_ref().and_then(|attributes| {
        let value = attributes
            .iter()
            .find(|a| a.oid == SIGNING_TIME)?
            .values
            .get(0)?;
        let time = Time::from_der(&value.to_der().ok()?).ok()?;
        UtcTime::from_unix_seconds(time.to_unix_duration().as_secs() as i64).ok()
    });
    Some((signer.signature.as_bytes().to_vec(), claimed))
}

/// What a sound detached signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetachedFacts {
    /// The id of the certificate that signed.
    pub cert_id: KeyId,
    /// Its subject and issuer (RFC 4514) and serial (lowercase hex).
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// The signing-time attribute: claimed by the signer, not proven.
    pub signing_time: Option<UtcTime>,
    /// Where the certificate's path ends, every certificate on it checked
    /// at the signing time.
    pub path: PathEnd,
    /// The certificate claims to be qualified (ETSI EN 319 412-5
    /// QcCompliance statement).
    pub qualified: bool,
    /// The signature value (what a time-stamp token would cover).
    pub signature: Vec<u8>,
    /// The subject's attributes, (short name, value), for policy matching.
    pub subject_attributes: Vec<(String, String)>,
    /// The certificate's policy OIDs (certificatePolicies).
    pub policy_oids: Vec<String>,
    /// Its validity.
    pub not_before: Option<UtcTime>,
    pub not_after: Option<UtcTime>,
    /// The time the path was checked at: the `at` given (a proven time),
    /// else the signing time the signature claims.
    pub checked_at: UtcTime,
    /// The certificates of the path, signer first, then each intermediate,
    /// then the root when it reached one (when it did not: those followed
    /// until it stopped); what revocation is checked over.
    pub chain: Vec<Cert>,
    /// The signature's other certificates, as carried.
    pub carried: Vec<Cert>,
}

/// Checks a `.p7s` (CMS `ContentInfo` holding a SignedData with no
/// content) as a signature over `content` by one certificate: the signed
/// attributes bind the content (content-type id-data, message-digest) and
/// the certificate (signing-certificate-v2 or v1), the signature over them
/// as encoded verifies, the certificate may sign, and its path to `roots`
/// holds at the signing time (`at`: a proven time when the caller has one,
/// else the signing-time attribute, else now).
pub fn check_detached(
    p7s: &[u8],
    content: &[u8],
    roots: &[Cert],
    at: Option<UtcTime>,
) -> Result<DetachedFacts, TokenError> {
    let info = cms::content_info::ContentInfo::from_der(p7s)
        .map_err(malformed("not a DER CMS ContentInfo"))?;
    if info.content_type != oid::SIGNED_DATA {
        return Err(TokenError::Malformed(format!(
            "the file holds {}, not CMS SignedData",
            info.content_type
        )));
    }
    let signed_der = info.content.to_der().map_err(malformed("SignedData"))?;
    let parts = SignedDataParts::from_der(&signed_der).map_err(malformed("SignedData"))?;
    let deduplicated = parts.without_repeated_certificates()?;
    let signed =
        cms::signed_data::SignedData::from_der(deduplicated.as_deref().unwrap_or(&signed_der))
            .map_err(malformed("SignedData"))?;
    let encap = &signed.encap_content_info;
    if encap.econtent_type != ID_DATA || encap.econtent.is_some() {
        return Err(invalid(
            "not a detached signature over data (it holds content of its own)",
        ));
    }
    let (index, certificates) = check_one_signer(&parts, &signed, content, &DETACHED_SIGNER)?;
    let signer_cert = &certificates[index];
    let signer = signed
        .signer_infos
        .0
        .get(0)
        .ok_or_else(|| TokenError::Malformed("no signerInfo".into()))?;
    let attributes = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| TokenError::Malformed("the signature has no signed attributes".into()))?;
    let signing_time = match single_attribute(attributes, SIGNING_TIME, "signing-time")? {
        None => None,
        Some(value) => {
            let der = value
                .to_der()
                .map_err(malformed("signing-time attribute"))?;
            let time = Time::from_der(&der).map_err(malformed("signing-time attribute"))?;
            let seconds = time.to_unix_duration().as_secs() as i64;
            Some(UtcTime::from_unix_seconds(seconds).map_err(|e| invalid(e.to_string()))?)
        }
    };
    signer_cert.check_signer_usage().map_err(invalid)?;
    let at = at.or(signing_time).unwrap_or_else(UtcTime::now);
    let at_seconds = at.unix_seconds();
    let at_text = format!("the signing time {at}");
    signer_cert
        .check_valid_at(at_seconds, &at_text)
        .map_err(invalid)?;
    let others: Vec<Cert> = certificates
        .iter()
        .filter(|c| c.der != signer_cert.der)
        .cloned()
        .collect();
    let (path, chain) =
        cert::path_to_root(signer_cert, &others, roots, at_seconds, &at_text, "CA root")
            .map_err(invalid)?;
    let tbs = &signer_cert.parsed.tbs_certificate;
    Ok(DetachedFacts {
        cert_id: cert_id(signer_cert),
        subject: signer_cert.subject(),
        issuer: tbs.issuer.to_string(),
        serial: hex::encode(tbs.serial_number.as_bytes()),
        signing_time,
        path,
        qualified: signer_cert.is_qualified(),
        signature: signer.signature.as_bytes().to_vec(),
        subject_attributes: signer_cert.subject_attributes(),
        policy_oids: signer_cert.policy_oids(),
        not_before: UtcTime::from_unix_seconds(
            tbs.validity.not_before.to_unix_duration().as_secs() as i64,
        )
        .ok(),
        not_after: UtcTime::from_unix_seconds(
            tbs.validity.not_after.to_unix_duration().as_secs() as i64
        )
        .ok(),
        checked_at: at,
        chain,
        carried: others,
    })
}
