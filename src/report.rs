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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
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

impl Report {
    /// A self-contained HTML page (no scripts, no external resources) for
    /// people who read reports in a browser or print them for a court file.
    pub fn to_html(&self) -> String {
        let mut page = String::new();
        let status = match self.status {
            Outcome::Verified => (
                "VERIFIED",
                "ok",
                "intact, and the seal is signed by a trusted key",
            ),
            Outcome::Untrusted => (
                "UNTRUSTED",
                "warn",
                "intact, but no trusted key signed the seal",
            ),
            Outcome::Failed => (
                "FAILED",
                "bad",
                "the evidence does not match what was sealed (see problems)",
            ),
        };
        page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.push_str(&format!(
            "<title>exhibit verification: {}</title>\n",
            escape(&self.bundle)
        ));
        page.push_str(
            "<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}\
             td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}code{font-size:.9em}\
             .ok{background:#d7f5d7}.warn{background:#fff2c2}.bad{background:#f8d0d0}.status{padding:.6em;font-size:1.3em}</style>\n",
        );
        page.push_str("</head>\n<body>\n");
        page.push_str(&format!(
            "<h1>Verification report</h1>\n<p class=\"status {}\"><strong>{}</strong>: {}</p>\n",
            status.1, status.0, status.2
        ));
        page.push_str("<table>\n");
        let mut row = |label: &str, value: String| {
            page.push_str(&format!("<tr><th>{label}</th><td>{value}</td></tr>\n"));
        };
        row("Bundle", format!("<code>{}</code>", escape(&self.bundle)));
        row("Kind", escape(self.kind));
        if let Some(case) = &self.case_id {
            row("Case", escape(case));
        }
        if let Some(exhibit) = &self.exhibit_id {
            row("Exhibit", escape(exhibit));
        }
        if let Some(statement) = &self.statement {
            if let Some(description) = &statement.description {
                row("Description", escape(description));
            }
            let examiner = [
                statement.examiner.name.as_deref(),
                statement.examiner.organization.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            if !examiner.is_empty() {
                row("Examiner (claimed)", escape(&examiner));
            }
            row(
                "Merkle root",
                format!("<code>{}</code>", statement.payload.merkle_root),
            );
            for (key, value) in &statement.metadata {
                row(&escape(key), escape(value));
            }
        }
        if let Some(sealed_at) = &self.sealed_at {
            row("Sealed at", sealed_at.to_string());
        }
        row(
            "Payload",
            format!("{} files, {} bytes", self.file_count, self.total_bytes),
        );
        if let Some(head) = &self.custody_head {
            row("Custody log head", format!("<code>{}</code>", escape(head)));
        }
        page.push_str("</table>\n");

        page.push_str("<h2>Seal signers</h2>\n");
        if self.signers.is_empty() {
            page.push_str("<p>None.</p>\n");
        } else {
            page.push_str("<table>\n<tr><th>Key id</th><th>Claimed name</th><th>Claimed organization</th><th>Signed at</th><th>Signature</th><th>Trusted</th></tr>\n");
            for s in &self.signers {
                page.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td></tr>\n",
                    s.key_id,
                    escape(s.name.as_deref().unwrap_or("")),
                    escape(s.organization.as_deref().unwrap_or("")),
                    s.signed_at.map(|t| t.to_string()).unwrap_or_default(),
                    if s.valid { "ok" } else { "bad" },
                    if s.valid { "valid" } else { "INVALID" },
                    if s.trusted { "ok" } else { "warn" },
                    if s.trusted { "yes" } else { "no" },
                ));
            }
            page.push_str("</table>\n");
        }

        page.push_str("<h2>Chain of custody</h2>\n");
        if self.custody.is_empty() {
            page.push_str("<p>No events.</p>\n");
        } else {
            page.push_str("<table>\n<tr><th>#</th><th>Time (UTC)</th><th>Action</th><th>Actor (claimed)</th><th>Actor key</th><th>Recipient key</th><th>Note</th><th>Location</th><th>Signature</th></tr>\n");
            for e in &self.custody {
                page.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
                    e.sequence,
                    e.time,
                    escape(&e.action),
                    escape(e.actor_name.as_deref().unwrap_or("")),
                    e.actor_key_id.short(),
                    if e.trusted { " (trusted)" } else { "" },
                    e.recipient_key_id.map(|k| k.short()).unwrap_or_default(),
                    escape(e.note.as_deref().unwrap_or("")),
                    escape(e.location.as_deref().unwrap_or("")),
                    if e.signature_valid { "ok" } else { "bad" },
                    if e.signature_valid { "valid" } else { "INVALID" },
                ));
            }
            page.push_str("</table>\n");
        }

        for (title, list) in [("Problems", &self.problems), ("Warnings", &self.warnings)] {
            page.push_str(&format!("<h2>{title}</h2>\n"));
            if list.is_empty() {
                page.push_str("<p>None.</p>\n");
                continue;
            }
            page.push_str(
                "<table>\n<tr><th>Code</th><th>File or event</th><th>Message</th></tr>\n",
            );
            for p in list {
                page.push_str(&format!(
                    "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
                    p.code.as_str(),
                    escape(p.path.as_deref().unwrap_or("")),
                    escape(&p.message)
                ));
            }
            page.push_str("</table>\n");
        }
        page.push_str(&format!(
            "<p><small>Produced by exhibit {}. Names and organizations are claims made by the key holders; \
             only key ids are proven. Compare key ids with the senders through another channel.</small></p>\n",
            env!("CARGO_PKG_VERSION")
        ));
        page.push_str("</body>\n</html>\n");
        page
    }
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push_str(&format!("&#x{:x};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_hostile_text() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(escape("a\u{1b}b"), "a&#x1b;b");
    }

    #[test]
    fn every_code_has_a_distinct_string() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ProblemCode::ALL {
            assert!(seen.insert(code.as_str()), "{code:?}");
            assert!(code.as_str().contains('.'));
        }
    }
}
