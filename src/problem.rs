//! Problem codes: the stable names of everything a check can find wrong.
//! A leaf module: the storage layer, the format rules and the reports all
//! speak this vocabulary, and it depends on nothing of theirs.

use serde::Serialize;

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
    /// A plain bag's manifest lists a path more than once: a problem with
    /// different digests or in BagIt 1.0, a warning before 1.0 when the
    /// digests agree.
    ManifestDuplicate => "bag.manifest-duplicate",
    /// A plain bag's manifest lines in a form other tools write and RFC
    /// 8493 does not define (md5sum's `*`, a leading `./`), read as meant
    /// (warning).
    ManifestNonstandard => "bag.manifest-nonstandard",
    /// Payload-Oxum disagrees with the payload.
    OxumMismatch => "bag.oxum-mismatch",
    /// `fetch.txt` in an exhibit bundle; in a plain bag, a `fetch.txt`
    /// that cannot be read or lists a file no manifest does; warning: files
    /// it lists are not in the bag (not checked).
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
    /// An operating-system metadata file (`.DS_Store`, `Thumbs.db`, ...)
    /// in a plain bag's payload, or listed and absent (warning).
    PayloadOsFile => "payload.os-file",
    /// An append to a zip bundle was interrupted; the bundle is read as it
    /// was before it (warning).
    ZipInterruptedAppend => "zip.interrupted-append",
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
    /// The custody log does not pass through the head the caller expected.
    CustodyHeadMismatch => "custody.head-mismatch",
    /// An event added after the head the caller expected (warning: the
    /// receiver's own events come after the head the sender passed on).
    CustodyAfterHead => "custody.after-head",
    /// A time-stamp token that is malformed, not granted, or whose
    /// signature, TSA certificate or certificate path does not hold.
    TimestampInvalid => "timestamp.invalid",
    /// A sound token that does not cover the signature it is stored for.
    TimestampMismatch => "timestamp.mismatch",
    /// A token stored for a signature the bundle does not hold.
    TimestampOrphan => "timestamp.orphan",
    /// A sound token whose TSA chains to no `--tsa-ca` root: its time is
    /// not proven (warning).
    TimestampUntrusted => "timestamp.untrusted",
    /// A signature claims a `signed_at` more than a minute after its
    /// token's genTime (warning).
    TimestampClaimedLater => "timestamp.claimed-later",
    /// A file under `exhibit/validation/` that is not the DER CRL or OCSP
    /// response its name says.
    ValidationInvalid => "validation.invalid",
    /// A certificate a signature or token relies on was revoked before the
    /// time it must prove (warning; the proof does not count).
    RevocationRevoked => "revocation.revoked",
    /// A certificate a signature or token relies on was revoked after the
    /// time it must prove, for a reason that leaves it counting (warning).
    RevocationRevokedLater => "revocation.revoked-later",
    /// No usable CRL or OCSP response in the bundle for a certificate a
    /// trusted signature or token relies on (warning).
    RevocationNotChecked => "revocation.not-checked",
    /// A proof whose certificates have expired by the moment judged, with
    /// no evidence record renewed in time covering it (warning).
    ProofLapsed => "proof.lapsed",
    /// An evidence record that does not parse, covers other bytes, or
    /// whose time-stamps or hash trees do not hold.
    EvidenceRecordInvalid => "evidence-record.invalid",
    /// A sound evidence record that does not hold at the moment judged: a
    /// time-stamp untrusted, revoked, or renewed after it expired (warning).
    EvidenceRecordLapsed => "evidence-record.lapsed",
    /// A disclosure document that cannot be used: unparseable, for another
    /// seal, a tree size other than the sealed count, a leaf index out of
    /// range or given twice, or a disclosed file it does not list.
    DisclosureInvalid => "disclosure.invalid",
    /// An inclusion proof that does not lead to the sealed Merkle root.
    DisclosureProof => "disclosure.proof",
    /// A disclosed file that is not the one its leaf input describes.
    DisclosureFileMismatch => "disclosure.file-mismatch",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_string() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ProblemCode::ALL {
            assert!(seen.insert(code.as_str()), "{code:?}");
            assert!(code.as_str().contains('.'));
        }
    }

    #[test]
    fn every_code_is_in_the_format_documentation() {
        let format = include_str!("../docs/FORMAT.md");
        let table = &format[format.find(". Problem codes\n").unwrap_or(0)..];
        for code in ProblemCode::ALL {
            let row = format!("| `{}` |", code.as_str());
            assert!(
                table.contains(&row),
                "{} missing from the problem codes of docs/FORMAT.md",
                code.as_str()
            );
        }
    }
}
