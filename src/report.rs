//! The result of a verification as data: every problem found, every
//! signer, the custody timeline. Rendered as text or JSON by the CLI.

use serde::Serialize;

use crate::keys::KeyId;
use crate::time::UtcTime;

macro_rules! problem_codes {
    ($($(#[$doc:meta])* $variant:ident => $code:literal,)*) => {
        /// Stable identifiers of everything `verify` can find wrong. The
        /// strings are part of the JSON contract and listed in `docs/FORMAT.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ProblemCode {
            $($(#[$doc])* $variant,)*
        }

        impl ProblemCode {
            /// Every code, in documentation order.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];

            /// The stable string form (`payload.missing`, ...).
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $code,)*
                }
            }
        }
    };
}

problem_codes! {
    /// `bagit.txt` is not a valid BagIt declaration.
    BagDeclaration => "bag.declaration",
    /// `bag-info.txt` is missing (exhibit bundles) or unparseable.
    BagInfo => "bag.bag-info",
    /// No payload manifest at all.
    NoManifest => "bag.no-manifest",
    /// A manifest or tag manifest cannot be parsed.
    ManifestInvalid => "bag.manifest-invalid",
    /// A manifest uses an algorithm this tool cannot compute.
    ManifestUnsupported => "bag.manifest-unsupported",
    /// Payload-Oxum disagrees with the payload.
    OxumMismatch => "bag.oxum-mismatch",
    /// `fetch.txt` present: the payload is not all in the bag.
    Fetch => "bag.fetch",
    /// A tag file listed in a tag manifest is missing or differs.
    TagMismatch => "bag.tag-mismatch",
    /// A path that could escape the bag or is not a clean relative path.
    PathUnsafe => "path.unsafe",
    /// A name that is not valid UTF-8.
    PathEncoding => "path.encoding",
    /// Two entries with the same name, or names that collide on extraction.
    PathDuplicate => "path.duplicate",
    /// A symbolic link, device, FIFO or other non-regular entry.
    PathNotRegular => "path.not-regular",
    /// A file the manifests list is not in the bag.
    PayloadMissing => "payload.missing",
    /// A payload file no manifest lists.
    PayloadUnlisted => "payload.unlisted",
    /// A payload file whose digest differs from a manifest.
    PayloadDigestMismatch => "payload.digest-mismatch",
    /// A payload file that could not be read to its end.
    PayloadUnreadable => "payload.unreadable",
    /// The zip layout is not one top-level folder holding the bag.
    ZipLayout => "zip.layout",
    /// A zip entry that is encrypted, uses an unsupported compression
    /// method, or whose stored sizes do not match its data.
    ZipEntry => "zip.entry",
    /// `exhibit/seal.json` is missing.
    SealMissing => "seal.missing",
    /// `exhibit/seal.json` cannot be parsed or has the wrong type/version.
    SealInvalid => "seal.invalid",
    /// A tag file digest in the seal statement does not match.
    SealTagDigestMismatch => "seal.tag-digest-mismatch",
    /// File count or total bytes in the seal statement do not match.
    SealPayloadMismatch => "seal.payload-mismatch",
    /// The Merkle root in the seal statement does not match the payload.
    SealMerkleMismatch => "seal.merkle-mismatch",
    /// A file under `exhibit/` that the format does not define.
    SealUnexpectedFile => "seal.unexpected-file",
    /// No seal signature at all.
    SignatureNone => "signature.none",
    /// A signature record cannot be parsed, names the wrong key or file.
    SignatureInvalid => "signature.invalid",
    /// A signature that does not verify.
    SignatureBad => "signature.bad",
    /// The custody log is missing, has gaps or unparseable events.
    CustodyInvalid => "custody.invalid",
    /// A custody event's link to its predecessor or to the seal is wrong.
    CustodyLink => "custody.link",
    /// A custody event's signature is missing, invalid or by another key.
    CustodySignature => "custody.signature",
    /// A hand-over rule is broken (receive by a key not named, ...).
    CustodyHandover => "custody.handover",
    /// A custody event's time is earlier than its predecessor's (warning).
    CustodyTimeBackwards => "custody.time-backwards",
    /// The custody log does not end at the head the caller expected.
    CustodyHeadMismatch => "custody.head-mismatch",
}

impl Serialize for ProblemCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One thing that does not check out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: ProblemCode,
    /// The bag path (or custody event file) concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn new(code: ProblemCode, path: Option<&str>, message: impl Into<String>) -> Self {
        Problem {
            code,
            path: path.map(str::to_owned),
            message: message.into(),
        }
    }
}

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
    pub key_id: KeyId,
    /// Claimed, not proven: only the key is proven.
    pub name: Option<String>,
    pub organization: Option<String>,
    pub signed_at: Option<UtcTime>,
    /// The signature verifies over `exhibit/seal.json`.
    pub valid: bool,
    /// The key matches one of the `--trust` keys.
    pub trusted: bool,
}

/// One custody event as shown in timelines and reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustodyEntry {
    pub sequence: u64,
    pub action: String,
    pub time: UtcTime,
    pub actor_key_id: KeyId,
    pub actor_name: Option<String>,
    pub actor_organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_key_id: Option<KeyId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The signature verifies and is by the actor's key.
    pub signature_valid: bool,
    /// The actor's key matches a `--trust` key.
    pub trusted: bool,
}

/// Everything `verify` established about one bundle.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub bundle: String,
    pub status: Outcome,
    /// True only when everything checks out and a seal signer is trusted.
    pub verified: bool,
    /// `exhibit` for bundles with a seal, `bagit` for plain bags.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exhibit_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sealed_at: Option<UtcTime>,
    /// The parsed seal statement, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<crate::seal::SealStatement>,
    pub file_count: u64,
    pub total_bytes: u64,
    pub signers: Vec<SignerReport>,
    pub trusted_signers: Vec<KeyId>,
    pub custody: Vec<CustodyEntry>,
    /// `<sequence>:<sha256 of the last event>`, to compare out of band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custody_head: Option<String>,
    pub problems: Vec<Problem>,
    /// Reported but not failing (e.g. custody times going backwards).
    pub warnings: Vec<Problem>,
}

impl Report {
    /// Decides the outcome from problems and trust, as SPEC.md defines it.
    pub fn finish(&mut self) {
        self.trusted_signers = self
            .signers
            .iter()
            .filter(|s| s.valid && s.trusted)
            .map(|s| s.key_id)
            .collect();
        self.status = if !self.problems.is_empty() {
            Outcome::Failed
        } else if self.trusted_signers.is_empty() {
            Outcome::Untrusted
        } else {
            Outcome::Verified
        };
        self.verified = self.status == Outcome::Verified;
    }
}
