//! The result of an operation as data: every problem found, every signer,
//! the custody timeline (`custody`), each signature's time-stamp token
//! (`timestamp`). Rendered as JSON here, as HTML by [`html`] and as CASE
//! JSON-LD by [`case`]; the CLI renders text.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::i18n::{Lang, Texts};
use crate::keys::KeyId;
use crate::problem::Problem;
use crate::t;
use crate::time::UtcTime;
use crate::tsp::GenTime;

pub mod case;
mod custody;
pub mod hashdeep;
mod html;
mod timestamp;
pub mod words;

pub use custody::CustodyEntry;
pub use html::{PageContext, Received, TrustSource, PAYLOAD_ROWS_SHOWN};
pub use timestamp::{ArchiveStampReport, EvidenceRecordReport, TimestampReport};

/// Overall outcome, mapped to exit codes 0 / 1 / 3 by the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Verified,
    Failed,
    Untrusted,
}

/// A seal signer as the bundle claims it, and what we could establish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerReport {
    /// `ed25519` (a key) or `x509` (a certificate).
    pub kind: SignerKind,
    /// The key id, or for a certificate its id (SHA-256 of its DER).
    pub key_id: KeyId,
    /// For a certificate signer: what the certificate says.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateReport>,
    /// Claimed, not proven: only the key is proven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    pub signed_at: Option<UtcTime>,
    /// The signature verifies over `exhibit/seal.json`.
    pub valid: bool,
    /// The signature counts: a `--trust` key, or a key the trust policy
    /// allows to seal at the signing time.
    pub trusted: bool,
    /// Why it does not count: `not listed`, `role`, `expired`, `not yet
    /// valid`, `revoked`, `time not proven`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untrusted_reason: Option<String>,
    /// When a trusted RFC 3161 token proves the signature existed: its
    /// `genTime`. Omitted when unproven (no token, or not trusted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proven_time: Option<GenTime>,
    /// The signature's time-stamp token, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<TimestampReport>,
}

/// How a seal signature was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignerKind {
    Ed25519,
    X509,
}

/// A certificate signer as its certificate and path describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateReport {
    /// RFC 4514, as the certificate says.
    pub subject: String,
    pub issuer: String,
    /// Lowercase hex of the serial number's bytes.
    pub serial: String,
    /// The `--ca` root its path reaches (its subject), or null.
    pub root: Option<String>,
    /// Why it reaches no root, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_reason: Option<String>,
    /// The certificate claims to be qualified (ETSI QcCompliance).
    pub qualified: bool,
    /// What the bundle's validation material says of its chain at the
    /// time that matters: `good`, `revoked` or `not-checked`.
    pub revocation: &'static str,
    /// Revoked or not checked: which certificate and why; good: a
    /// certificate revoked only later, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_detail: Option<String>,
    /// The certificate's validity.
    pub not_before: Option<UtcTime>,
    pub not_after: Option<UtcTime>,
    /// When its path was checked: `proven` (the time a trusted token
    /// proves) or `claimed` (the signing time the signature states).
    pub checked_at: &'static str,
}

impl From<&crate::tsp::DetachedFacts> for CertificateReport {
    fn from(facts: &crate::tsp::DetachedFacts) -> Self {
        let (root, path_reason) = match &facts.path {
            crate::tsp::PathEnd::Trusted { root } => (Some(root.clone()), None),
            crate::tsp::PathEnd::Untrusted { reason } => (None, Some(reason.clone())),
        };
        CertificateReport {
            subject: facts.subject.clone(),
            issuer: facts.issuer.clone(),
            serial: facts.serial.clone(),
            root,
            path_reason,
            qualified: facts.qualified,
            revocation: "not-checked",
            revocation_detail: None,
            not_before: facts.not_before,
            not_after: facts.not_after,
            checked_at: "claimed",
        }
    }
}

/// The trust decisions a report applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustUsed {
    /// Distinct trusted seal signatures needed.
    pub min_signers: usize,
    /// With a policy, every custody event must be by a trusted key.
    pub custody_must_be_trusted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyUsed>,
}

impl Default for TrustUsed {
    fn default() -> Self {
        TrustUsed {
            min_signers: 1,
            custody_must_be_trusted: false,
            policy: None,
        }
    }
}

/// The policy file a decision came from, so a reader knows which rules
/// were applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyUsed {
    pub path: String,
    pub sha256: crate::digest::Sha256Digest,
}

/// What kind of bundle a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleKind {
    /// A bundle with a seal (`exhibit/`).
    Exhibit,
    /// A plain BagIt bag: nobody sealed it.
    Bagit,
}

impl BundleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BundleKind::Exhibit => "exhibit",
            BundleKind::Bagit => "bagit",
        }
    }
}

/// The `schema` of each JSON report: a script can tell which report it
/// reads, and which version of its members.
pub const VERIFICATION_SCHEMA: &str = "exhibit.verification/1";
pub const INSPECTION_SCHEMA: &str = "exhibit.inspection/1";
pub const CUSTODY_TIMELINE_SCHEMA: &str = "exhibit.custody-timeline/1";

/// What a disclosure bundle holds of its seal (`exhibit disclose`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureSummary {
    /// Files in the disclosure document.
    pub disclosed: u64,
    /// Files the seal covers (`file_count`).
    pub sealed: u64,
    /// SHA-256 of `exhibit/disclosure.json`, which `disclose --key` names in
    /// its custody event.
    pub proof_sha256: crate::digest::Sha256Digest,
}

/// Everything `verify` established about one bundle.
#[derive(Debug, Clone)]
pub struct Report {
    pub bundle: String,
    pub status: Outcome,
    pub kind: BundleKind,
    pub case_id: Option<String>,
    pub exhibit_id: Option<String>,
    pub sealed_at: Option<UtcTime>,
    /// The parsed seal statement, when it could be read.
    pub statement: Option<crate::format::seal::SealStatement>,
    pub file_count: u64,
    pub total_bytes: u64,
    pub signers: Vec<SignerReport>,
    /// Valid seal signers that match a `--trust` key.
    pub trusted_signers: Vec<KeyId>,
    pub custody: Vec<CustodyEntry>,
    /// `<sequence>:<sha256 of the last event>`, to compare out of band.
    pub custody_head: Option<String>,
    /// Set for a disclosure bundle.
    pub disclosure: Option<DisclosureSummary>,
    pub problems: Vec<Problem>,
    /// Reported but not failing (e.g. custody times going backwards).
    pub warnings: Vec<Problem>,
    /// What trust was applied (the policy, the threshold).
    pub trust: TrustUsed,
    /// Every payload file found, with the size and SHA-256 this run read,
    /// sorted by path bytes; empty when the payload was not hashed.
    pub payload: Vec<PayloadRow>,
    /// The RFC 4998 evidence record, when the bundle has one.
    pub evidence_record: Option<EvidenceRecordReport>,
    /// The earliest moment at which some proof of the bundle lapses
    /// unless renewed (a certificate that expires, not covered by an
    /// evidence record that holds longer).
    pub proof_expires: Option<UtcTime>,
    /// Why a proof the verdict rests on does not count although the
    /// bundle is intact (a revoked certificate; under a policy's
    /// `[validation]`, revocation not checked or a lapsed proof): the
    /// outcome is at best untrusted. Each is also a warning.
    pub untrusted_proofs: Vec<String>,
}

/// One payload file as this run read it (about 100 bytes each, so a
/// million files stay near 100 MB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayloadRow {
    /// The bag path (`data/...`).
    pub path: String,
    /// Bytes read.
    pub size: u64,
    /// SHA-256 of those bytes; `None` when the file could not be read to
    /// its end (a `payload.unreadable` problem says why).
    pub sha256: Option<crate::digest::Sha256Digest>,
}

/// The JSON form: `verified` is derived from `status` (true only when
/// everything checks out and a seal signer is trusted), never stored.
impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Report", 21)?;
        s.serialize_field("schema", VERIFICATION_SCHEMA)?;
        s.serialize_field("bundle", &self.bundle)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("verified", &self.verified())?;
        s.serialize_field("kind", &self.kind)?;
        let optional = [("case_id", &self.case_id), ("exhibit_id", &self.exhibit_id)];
        for (name, value) in optional {
            match value {
                Some(value) => s.serialize_field(name, value)?,
                None => s.skip_field(name)?,
            }
        }
        match &self.sealed_at {
            Some(at) => s.serialize_field("sealed_at", at)?,
            None => s.skip_field("sealed_at")?,
        }
        match &self.statement {
            Some(statement) => {
                s.serialize_field("statement", statement)?;
                // The forensic images the seal checked, as it recorded them.
                s.serialize_field("acquisition", &statement.acquisition)?;
            }
            None => {
                s.skip_field("statement")?;
                s.skip_field("acquisition")?;
            }
        }
        s.serialize_field("file_count", &self.file_count)?;
        s.serialize_field("total_bytes", &self.total_bytes)?;
        match &self.disclosure {
            Some(disclosure) => s.serialize_field("disclosure", disclosure)?,
            None => s.skip_field("disclosure")?,
        }
        s.serialize_field("signers", &self.signers)?;
        s.serialize_field("trusted_signers", &self.trusted_signers)?;
        s.serialize_field("trust", &self.trust)?;
        s.serialize_field("custody", &self.custody)?;
        match &self.custody_head {
            Some(head) => s.serialize_field("custody_head", head)?,
            None => s.skip_field("custody_head")?,
        }
        match &self.evidence_record {
            Some(record) => s.serialize_field("evidence_record", record)?,
            None => s.skip_field("evidence_record")?,
        }
        match &self.proof_expires {
            Some(at) => s.serialize_field("proof_expires", at)?,
            None => s.skip_field("proof_expires")?,
        }
        s.serialize_field("problems", &self.problems)?;
        s.serialize_field("warnings", &self.warnings)?;
        s.serialize_field("payload", &self.payload)?;
        s.end()
    }
}

/// The custody log as `custody log` and `custody replay` show it. Neither
/// hashes the payload; only `replay` (which takes `--trust`) gives a
/// status, and it is about the seal signatures and the custody chain.
#[derive(Debug, Clone, Serialize)]
pub struct CustodyTimeline {
    pub schema: &'static str,
    pub bundle: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Outcome>,
    /// Always false: the payload bytes were not re-hashed.
    pub payload_checked: bool,
    /// `custody` in JSON, as in every other report.
    #[serde(rename = "custody")]
    pub events: Vec<CustodyEntry>,
    /// `custody_head` in JSON, as in every other report.
    #[serde(rename = "custody_head", skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    pub signers: Vec<SignerReport>,
    /// The trust decisions applied (the policy and its SHA-256), as in
    /// `verify --json`.
    pub trust: TrustUsed,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// What `inspect` shows: what the bundle says about itself, with the
/// signatures and custody links checked, but no verdict: the payload was
/// not hashed, so nothing here says the evidence is intact.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub schema: &'static str,
    pub bundle: String,
    pub kind: BundleKind,
    /// Always false: inspect does not hash the payload.
    pub payload_checked: bool,
    /// Always false: inspect does not list the payload files either (names,
    /// the manifests' lines, the Merkle root are `verify`'s).
    pub payload_listed: bool,
    /// A zip's payload records as its central directory counts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload_entries: Option<PayloadEntries>,
    /// Seal signatures and custody events were checked.
    pub signatures_checked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exhibit_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sealed_at: Option<UtcTime>,
    /// The seal statement, with the file count and size it claims
    /// (`statement.payload`): inspect counts nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<crate::format::seal::SealStatement>,
    /// The forensic images the seal checked, as its statement records them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acquisition: Option<Vec<crate::format::acquisition::Acquisition>>,
    /// Set for a disclosure bundle (its proofs were checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<DisclosureSummary>,
    pub signers: Vec<SignerReport>,
    pub custody: Vec<CustodyEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custody_head: Option<String>,
    /// The evidence record, when the bundle has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_record: Option<EvidenceRecordReport>,
    /// The earliest moment some proof lapses unless the bundle is renewed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof_expires: Option<UtcTime>,
    /// What the checks that ran found wrong.
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// A zip's payload records (folders left out) and their declared sizes, as
/// its central directory lists them: neither names nor data checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PayloadEntries {
    pub files: u64,
    pub bytes: u64,
}

impl From<Report> for Inspection {
    fn from(report: Report) -> Self {
        Inspection {
            schema: INSPECTION_SCHEMA,
            bundle: report.bundle,
            kind: report.kind,
            payload_checked: false,
            payload_listed: false,
            payload_entries: None,
            signatures_checked: true,
            case_id: report.case_id,
            exhibit_id: report.exhibit_id,
            sealed_at: report.sealed_at,
            acquisition: report.statement.as_ref().map(|s| s.acquisition.clone()),
            statement: report.statement,
            disclosure: report.disclosure,
            signers: report.signers,
            custody: report.custody,
            custody_head: report.custody_head,
            evidence_record: report.evidence_record,
            proof_expires: report.proof_expires,
            problems: report.problems,
            warnings: report.warnings,
        }
    }
}

impl From<Report> for CustodyTimeline {
    fn from(report: Report) -> Self {
        CustodyTimeline {
            schema: CUSTODY_TIMELINE_SCHEMA,
            bundle: report.bundle,
            status: Some(report.status),
            payload_checked: false,
            events: report.custody,
            head: report.custody_head,
            signers: report.signers,
            trust: report.trust,
            problems: report.problems,
            warnings: report.warnings,
        }
    }
}

/// The distinct keys with a valid, trusted seal signature, sorted.
pub fn trusted_keys(signers: &[SignerReport]) -> Vec<KeyId> {
    let mut trusted: Vec<KeyId> = signers
        .iter()
        .filter(|s| s.valid && s.trusted)
        .map(|s| s.key_id)
        .collect();
    trusted.sort();
    trusted.dedup();
    trusted
}

impl Report {
    /// Why an intact bundle is not trusted, in a few words (`None` unless
    /// the outcome is untrusted): the decisive reason, so a page's banner
    /// and its trust check say the same thing.
    pub fn untrusted_reason(&self) -> Option<String> {
        self.untrusted_reason_in(&Texts::new(Lang::En))
    }

    /// Why an intact bundle is not trusted, in the words of `texts` (the
    /// report's own reason, whose proofs are quoted as the JSON gives them).
    pub fn untrusted_reason_in(&self, texts: &Texts) -> Option<String> {
        let report = self;
        if report.status != Outcome::Untrusted {
            return None;
        }
        let (trusted, needed) = (report.trusted_signers.len(), report.trust.min_signers);
        let untrusted_events: Vec<String> = report
            .custody
            .iter()
            .filter(|e| !e.trusted)
            .map(|e| {
                t!(
                    texts,
                    "reason-event",
                    sequence = e.sequence.to_string(),
                    reason = policy_reason(texts, e.untrusted_reason.as_deref())
                )
            })
            .collect();
        Some(if let Some(proof) = report.untrusted_proofs.first() {
            t!(texts, "reason-proof-does-not-count", proof = proof.as_str())
        } else if trusted == 0 {
            t!(texts, "reason-no-trusted-key")
        } else if trusted < needed {
            t!(
                texts,
                "reason-too-few-signers",
                trusted = trusted.to_string(),
                needed = needed.to_string()
            )
        } else if report.trust.custody_must_be_trusted && !untrusted_events.is_empty() {
            t!(
                texts,
                "reason-custody-not-trusted",
                events = untrusted_events.join(&t!(texts, "list-separator"))
            )
        } else {
            t!(texts, "reason-no-trusted-key")
        })
    }

    /// Decides the outcome from problems and trust, as SPEC.md defines it.
    /// Verified needs no problem, at least `min_signers` distinct trusted
    /// seal signers, and, under a policy, every custody event by a key
    /// trusted for custody at its time.
    pub fn finish(&mut self) {
        self.trusted_signers = trusted_keys(&self.signers);
        let custody_trusted =
            !self.trust.custody_must_be_trusted || self.custody.iter().all(|e| e.trusted);
        self.status = if !self.problems.is_empty() {
            Outcome::Failed
        } else if self.trusted_signers.len() < self.trust.min_signers.max(1)
            || !custody_trusted
            || !self.untrusted_proofs.is_empty()
        {
            Outcome::Untrusted
        } else {
            Outcome::Verified
        };
    }

    /// True only when everything checks out and a seal signer is trusted.
    pub fn verified(&self) -> bool {
        self.status == Outcome::Verified
    }
}

/// The trust policy's word for why it does not trust a key, in the words
/// of `texts`; a reason it has no word for (a certificate path's) as it is.
pub fn policy_reason(texts: &Texts, reason: Option<&str>) -> String {
    let id = match reason {
        None | Some("invalid signature") => "policy-reason-invalid-signature",
        Some("revoked") => "policy-reason-revoked",
        Some("expired") => "policy-reason-expired",
        Some("not yet valid") => "policy-reason-not-yet-valid",
        Some("role") => "policy-reason-role",
        Some("time not proven") => "policy-reason-time-not-proven",
        Some("unknown key") => "policy-reason-unknown-key",
        Some(other) => return other.to_string(),
    };
    texts.get(id, &[])
}
