//! The HTML report: a self-contained page (no scripts, no external
//! resources) for people who read reports in a browser or print them for a
//! court file (A4 print stylesheet). Everything taken from the bundle is
//! escaped, and characters that hide or reorder text (controls, bidi
//! overrides, zero-width marks) are shown as visible `[U+XXXX]` marks.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{BundleKind, Outcome, Report, TimestampReport};
use crate::keys::KeyId;
use crate::time::UtcTime;
use crate::units::{count, human_size};

/// Payload rows the page lists; the full list is in `verify --json`.
pub const PAYLOAD_ROWS_SHOWN: usize = 10_000;

/// What the page says about this run that the [`Report`] does not hold:
/// when the check ran, the bundle as received and the trust sources. The
/// caller (the command line) establishes these; the library reads no clock.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    /// When the check ran (UTC).
    pub checked_at: Option<UtcTime>,
    /// The bundle file or folder as received.
    pub received: Option<Received>,
    /// Each `--trust` file.
    pub trust_sources: Vec<TrustSource>,
    /// Each `--tsa-ca` file: (path as given, SHA-256 of its bytes).
    pub tsa_roots: Vec<(String, String)>,
    /// Each `--ca` file (roots for certificate signers), likewise.
    pub ca_roots: Vec<(String, String)>,
    /// How a reader gets the JSON report, which lists every payload file
    /// (the command line, which only the caller knows).
    pub json_command: Option<String>,
    /// What ran the check, when not the command line (the verification
    /// page, with the SHA-256 of the module it ran).
    pub tool: Option<String>,
}

/// The bundle as it was received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The path as given.
    pub path: String,
    /// `zip` or `folder`.
    pub form: &'static str,
    /// Bytes: of the zip file, or of all files in the folder.
    pub size: u64,
    /// SHA-256 of the zip file (none for a folder).
    pub sha256: Option<String>,
}

/// One `--trust` file.
#[derive(Debug, Clone)]
pub struct TrustSource {
    pub file: String,
    pub key_id: KeyId,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

impl Report {
    /// The whole page, without what only the caller knows (time of the
    /// check, the bundle as received, trust files).
    pub fn to_html(&self) -> String {
        self.to_html_page(&PageContext::default())
    }

    /// The whole page.
    pub fn to_html_page(&self, context: &PageContext) -> String {
        let mut page = String::new();
        head(&mut page, self);
        this_check(&mut page, self, context);
        summary(&mut page, self);
        checks(&mut page, self);
        proves(&mut page, self);
        signers(&mut page, self, context);
        trust_sources(&mut page, self, context);
        custody(&mut page, self);
        custody_drawing(&mut page, self);
        long_term(&mut page, self);
        problems(&mut page, self);
        payload(&mut page, self, context);
        footer(&mut page);
        page
    }
}

/// The document head and the verdict.
fn head(page: &mut String, report: &Report) {
    let untrusted = format!(
        "intact, but {}",
        report.untrusted_reason().unwrap_or_default()
    );
    let status = match report.status {
        Outcome::Verified => (
            "VERIFIED",
            "ok",
            "intact, and the seal is signed by a trusted key",
        ),
        Outcome::Untrusted => ("UNTRUSTED", "warn", untrusted.as_str()),
        Outcome::Failed => (
            "FAILED",
            "bad",
            "the evidence does not match what was sealed (see problems)",
        ),
    };
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str(&format!(
        "<title>exhibit verification: {}</title>\n",
        escape_plain(&report.bundle)
    ));
    page.push_str(STYLE);
    page.push_str("</head>\n<body>\n");
    page.push_str(&format!(
        "<h1>Verification report</h1>\n<p class=\"status {}\"><strong>{}</strong>: {}</p>\n",
        status.1,
        status.0,
        escape(status.2)
    ));
}

/// Screen and print (A4) styles; rows never split across pages and table
/// headings repeat on each page.
const STYLE: &str = "<style>\n\
body{font-family:\"Noto Sans\",\"DejaVu Sans\",sans-serif;margin:2em;max-width:70em;color:#000}\n\
table{border-collapse:collapse;margin:1em 0}\n\
td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}\n\
.free{overflow-wrap:anywhere;min-width:10em}\n\
code,.hash{font-family:\"Noto Sans Mono\",\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:.9em}\n\
code{unicode-bidi:isolate;direction:ltr}\n\
code.problem{white-space:nowrap}\n\
.hash{word-break:break-all}\n\
.ok{background:#d7f5d7}.warn{background:#fff2c2}.bad{background:#f8d0d0}.na{background:#eee}\n\
.status{padding:.6em;font-size:1.3em;border:2px solid #000}\n\
.mark{border:1px solid #c00;color:#c00;font-family:monospace;font-size:.8em;padding:0 .1em}\n\
table.payload td{font-size:.8em}\n\
svg{max-width:100%;height:auto}\n\
@page{size:A4;margin:15mm 12mm}\n\
@media print{\n\
body{margin:0;max-width:none;font-size:9pt}\n\
tr,.status,svg,li{break-inside:avoid;page-break-inside:avoid}\n\
thead{display:table-header-group}\n\
h2{break-after:avoid;page-break-after:avoid}\n\
table{width:100%}\n\
.ok,.warn,.bad,.na{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n\
}\n\
</style>\n";

/// When and how this check ran: time, tool version, the bundle as received.
fn this_check(page: &mut String, report: &Report, context: &PageContext) {
    page.push_str("<h2>This check</h2>\n<table>\n");
    let mut row = |label: &str, value: String| {
        let _ = writeln!(page, "<tr><th>{label}</th><td>{value}</td></tr>");
    };
    if let Some(at) = &context.checked_at {
        row("Checked at (UTC)", at.to_string());
    }
    let tool = match &context.tool {
        Some(tool) => tool.clone(),
        None => format!("exhibit {}", env!("CARGO_PKG_VERSION")),
    };
    row("Tool", escape(&tool));
    match &context.received {
        Some(received) => {
            row(
                "Bundle as received",
                format!("<code>{}</code>", escape(&received.path)),
            );
            row("Form", escape(received.form));
            row("Size", human_size(received.size));
            if let Some(sha256) = &received.sha256 {
                row(
                    "SHA-256 of the file",
                    format!("<span class=\"hash\">{}</span>", escape(sha256)),
                );
            }
        }
        None => row("Bundle", format!("<code>{}</code>", escape(&report.bundle))),
    }
    page.push_str("</table>\n");
}

/// What the bundle is: case, exhibit, seal, payload, custody head.
fn summary(page: &mut String, report: &Report) {
    page.push_str("<table>\n");
    let mut row = |label: &str, value: String| {
        page.push_str(&format!("<tr><th>{label}</th><td>{value}</td></tr>\n"));
    };
    row("Bundle", format!("<code>{}</code>", escape(&report.bundle)));
    row("Kind", escape(report.kind.as_str()));
    if let Some(case) = &report.case_id {
        row("Case", escape(case));
    }
    if let Some(exhibit) = &report.exhibit_id {
        row("Exhibit", escape(exhibit));
    }
    if let Some(statement) = &report.statement {
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
    if let Some(sealed_at) = &report.sealed_at {
        row("Sealed at", sealed_at.to_string());
    }
    row(
        "Payload",
        format!(
            "{}, {}",
            count(report.file_count, "file"),
            human_size(report.total_bytes)
        ),
    );
    if let Some(head) = &report.custody_head {
        row("Custody log head", format!("<code>{}</code>", escape(head)));
    }
    page.push_str("</table>\n");
}

/// The six checks of a verification, in order.
const CHECKS: [&str; 6] = [
    "1. The bag is well formed (BagIt required files present and parseable; safe names; zip structure)",
    "2. Every payload file's SHA-256 and BLAKE3 match; nothing missing, extra or renamed; sizes and Payload-Oxum match",
    "3. The seal statement's digests of the manifests and bag-info.txt match; the Merkle root matches the payload",
    "4. Every seal signature is valid for seal.json",
    "5. The custody chain: sequence, hash links, signatures, this seal, hand-overs, times",
    "6. Trust: a seal signer matches a trusted key",
];

/// Which of [`CHECKS`] (0-based) a problem code belongs to.
fn check_of(code: &str) -> usize {
    match code {
        "payload.missing"
        | "payload.unlisted"
        | "payload.digest-mismatch"
        | "payload.unreadable"
        | "payload.os-file"
        | "bag.oxum-mismatch" => 1,
        "bag.tag-mismatch" => 2,
        _ if code.starts_with("seal.") => 2,
        _ if code.starts_with("validation.") || code.starts_with("evidence-record.") => 2,
        _ if code.starts_with("signature.") => 3,
        _ if code.starts_with("custody.") => 4,
        _ => 0,
    }
}

/// Each check with its result, derived from the problem codes found.
fn checks(page: &mut String, report: &Report) {
    let mut problems = [0usize; 6];
    let mut warnings = [0usize; 6];
    let mut codes: [BTreeMap<&str, usize>; 6] = Default::default();
    for p in &report.problems {
        let i = check_of(p.code.as_str());
        problems[i] += 1;
        *codes[i].entry(p.code.as_str()).or_default() += 1;
    }
    for p in &report.warnings {
        warnings[check_of(p.code.as_str())] += 1;
    }
    page.push_str(
        "<h2>Checks</h2>\n<table>\n<thead><tr><th>Check</th><th>Result</th></tr></thead>\n",
    );
    let plain = report.kind == BundleKind::Bagit;
    for (i, title) in CHECKS.iter().enumerate() {
        let (class, result) = if problems[i] > 0 {
            let list: Vec<String> = codes[i]
                .iter()
                .map(|(code, n)| {
                    format!("<code class=\"problem\">{code}</code>\u{a0}\u{d7}\u{a0}{n}")
                })
                .collect();
            ("bad", format!("FAILED: {}", list.join(", ")))
        } else if plain && (2..=5).contains(&i) {
            (
                "na",
                "not applicable: a plain BagIt bag, nobody sealed it".to_string(),
            )
        } else if i == 5 {
            if report.trusted_signers.is_empty() {
                (
                    "warn",
                    "NOT ESTABLISHED: no trusted key matches a valid seal signer".to_string(),
                )
            } else {
                let ids: Vec<String> = report.trusted_signers.iter().map(|k| k.short()).collect();
                match report.untrusted_reason() {
                    // The page never says trusted where the verdict says not.
                    Some(reason) => (
                        "warn",
                        format!(
                            "NOT ESTABLISHED: trusted signer {}, but {}",
                            ids.join(", "),
                            escape(&reason)
                        ),
                    ),
                    None => ("ok", format!("passed: trusted signer {}", ids.join(", "))),
                }
            }
        } else if warnings[i] > 0 {
            (
                "warn",
                format!("passed, with {} warning(s) (below)", warnings[i]),
            )
        } else {
            ("ok", "passed: no problem found".to_string())
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"{class}\">{result}</td></tr>",
            escape(title)
        );
    }
    page.push_str("</table>\n");
}

/// One row per seal signature: the identity claimed in the record, the
/// key that is proven, and whether (and through which file) it is trusted.
fn signers(page: &mut String, report: &Report, context: &PageContext) {
    page.push_str("<h2>Seal signers</h2>\n");
    if report.signers.is_empty() {
        page.push_str("<p>None.</p>\n");
        return;
    }
    page.push_str("<table>\n<thead><tr><th>Key id (proven by the signature)</th><th>Claimed name</th><th>Claimed organization</th><th>Signed at (claimed: the signer&#39;s clock)</th><th>Signature</th><th>Trusted identity</th><th>Proven time (RFC 3161)</th></tr></thead>\n");
    for s in &report.signers {
        let sources: Vec<String> = context
            .trust_sources
            .iter()
            .filter(|t| t.key_id == s.key_id)
            .map(|t| format!("<code>{}</code>", escape(&t.file)))
            .collect();
        let policy_name = report
            .trust
            .policy
            .as_ref()
            .map(|p| format!(" (trust policy <code>{}</code>)", escape(&p.path)));
        let trusted = match (&s.certificate, s.trusted) {
            (Some(certificate), _) => {
                certificate_cell(certificate, s.trusted, s.untrusted_reason.as_deref())
            }
            (None, _) => match (s.trusted, sources.is_empty(), &s.untrusted_reason) {
                (true, false, _) => format!("trusted: the key in {}", sources.join(", ")),
                (true, true, _) => format!("trusted{}", policy_name.unwrap_or_default()),
                (false, _, Some(reason)) if report.trust.policy.is_some() => {
                    format!("not trusted: {}", escape(reason))
                }
                (false, _, _) => "not trusted: the signer is only who it claims to be".to_string(),
            },
        };
        let _ = writeln!(
            page,
            "<tr><td class=\"hash\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td>{}</tr>",
            s.key_id,
            escape(s.name.as_deref().unwrap_or("")),
            escape(s.organization.as_deref().unwrap_or("")),
            s.signed_at.map(|t| t.to_string()).unwrap_or_default(),
            if s.valid { "ok" } else { "bad" },
            if s.valid { "valid" } else { "INVALID" },
            if s.trusted { "ok" } else { "warn" },
            trusted,
            timestamp_cell(s.timestamp.as_ref()),
        );
    }
    page.push_str("</table>\n");
}

/// A certificate signer: whose certificate, by whom, and the root it
/// reaches; what is not checked yet is said.
fn certificate_cell(
    certificate: &super::CertificateReport,
    trusted: bool,
    untrusted_reason: Option<&str>,
) -> String {
    let who = format!(
        "certificate of <code>{}</code>, issued by <code>{}</code>, serial <span class=\"hash\">{}</span>",
        escape(&certificate.subject),
        escape(&certificate.issuer),
        escape(&certificate.serial)
    );
    let qualified = if certificate.qualified {
        "; the certificate says it is qualified (EU QcCompliance)"
    } else {
        ""
    };
    let verdict = match (trusted, &certificate.root, untrusted_reason) {
        (true, Some(root), _) => format!("trusted: chains to root <code>{}</code>", escape(root)),
        (true, None, _) => "trusted by the trust policy".to_string(),
        (false, _, Some(reason)) => format!("not trusted: {}", escape(reason)),
        (false, _, None) => "not trusted".to_string(),
    };
    let revocation = revocation_words(
        certificate.revocation,
        certificate.revocation_detail.as_deref(),
    );
    format!("{verdict}; {who}{qualified}; {revocation}")
}

/// What the validation material says of a chain, in words.
fn revocation_words(state: &str, detail: Option<&str>) -> String {
    match (state, detail) {
        ("good", None) => "not revoked at the time it proves (CRL/OCSP in the bundle)".to_string(),
        ("good", Some(later)) => format!("not revoked at the time it proves; {}", escape(later)),
        ("revoked", detail) => format!("REVOKED: {}", escape(detail.unwrap_or(""))),
        _ => "revocation not checked (no CRL or OCSP response in the bundle)".to_string(),
    }
}

/// The evidence record and when the bundle's proof lapses unless renewed.
fn long_term(page: &mut String, report: &Report) {
    if report.evidence_record.is_none() && report.proof_expires.is_none() {
        return;
    }
    page.push_str("<h2>Long-term proof</h2>\n");
    if let Some(record) = &report.evidence_record {
        let verdict = match &record.lapsed {
            None => format!(
                "<p class=\"ok\">The evidence record (RFC 4998) holds: {} tag files proven to exist since {}.</p>\n",
                record.covers.len(),
                record.proven_since.map(|t| t.to_string()).unwrap_or_default()
            ),
            Some(why) => format!(
                "<p class=\"warn\">The evidence record proves nothing at the moment judged: {}</p>\n",
                escape(why)
            ),
        };
        page.push_str(&verdict);
        page.push_str("<table>\n<thead><tr><th>Archive time-stamp</th><th>Hash</th><th>Time (TSA)</th><th>TSA</th><th>Revocation</th><th>Certificates expire</th></tr></thead>\n");
        for stamp in &record.stamps {
            page.push_str(&format!(
                "<tr><td>{}.{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                stamp.chain,
                stamp.stamp,
                stamp.algorithm,
                stamp.gen_time,
                escape(&stamp.tsa),
                stamp.revocation,
                stamp.expires.map(|t| t.to_string()).unwrap_or_default()
            ));
        }
        page.push_str("</table>\n");
    }
    if let Some(until) = &report.proof_expires {
        page.push_str(&format!(
            "<p>The earliest moment a proof here lapses unless the bundle is renewed (<code>exhibit renew</code>): {until}.</p>\n"
        ));
    }
}

/// The `--trust` files this check used, with their SHA-256, so the trust
/// decision can be traced to the exact files.
fn trust_sources(page: &mut String, report: &Report, context: &PageContext) {
    page.push_str("<h2>Trust sources</h2>\n");
    if let Some(policy) = &report.trust.policy {
        let _ = writeln!(
            page,
            "<p>Trust policy <code>{}</code>, SHA-256 <span class=\"hash\">{}</span>: {} trusted seal signature(s) needed; every custody event must be by a key it trusts for custody.</p>",
            escape(&policy.path),
            policy.sha256,
            report.trust.min_signers
        );
    }
    for (what, roots) in [
        (
            "Root file for certificate signers (--ca)",
            &context.ca_roots,
        ),
        ("TSA root file", &context.tsa_roots),
    ] {
        if roots.is_empty() {
            continue;
        }
        let _ = writeln!(
            page,
            "<table>\n<thead><tr><th>{what}</th><th>SHA-256 of the file</th></tr></thead>"
        );
        for (file, sha256) in roots {
            let _ = writeln!(
                page,
                "<tr><td><code>{}</code></td><td class=\"hash\">{}</td></tr>",
                escape(file),
                escape(sha256)
            );
        }
        page.push_str("</table>\n");
    }
    if context.trust_sources.is_empty() && report.trust.policy.is_some() {
        return;
    }
    if context.trust_sources.is_empty() && !context.ca_roots.is_empty() {
        page.push_str("<p>No trusted key was given: only certificate signers can be trusted by this check, through the roots above.</p>\n");
        return;
    }
    if context.trust_sources.is_empty() {
        page.push_str("<p>No trusted key was given: no signer can be trusted by this check.</p>\n");
        return;
    }
    page.push_str("<table>\n<thead><tr><th>Trusted key file</th><th>Key id</th><th>SHA-256 of the file</th></tr></thead>\n");
    for t in &context.trust_sources {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td class=\"hash\">{}</td><td class=\"hash\">{}</td></tr>",
            escape(&t.file),
            t.key_id,
            escape(&t.sha256)
        );
    }
    page.push_str("</table>\n");
}

/// One row per custody event.
fn custody(page: &mut String, report: &Report) {
    page.push_str("<h2>Chain of custody</h2>\n");
    if report.custody.is_empty() {
        page.push_str("<p>No events.</p>\n");
    } else {
        page.push_str("<table>\n<thead><tr><th>#</th><th>Time (UTC)</th><th>Action</th><th>Actor (claimed)</th><th>Actor key</th><th>Recipient key</th><th>Note</th><th>Location</th><th>Signature</th><th>Proven time (RFC 3161)</th></tr></thead>\n");
        for e in &report.custody {
            page.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code>{}</td><td><code>{}</code></td><td class=\"free\">{}</td><td class=\"free\">{}</td><td class=\"{}\">{}</td>{}</tr>\n",
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
                timestamp_cell(e.timestamp.as_ref()),
            ));
        }
        page.push_str("</table>\n");
    }
}

/// The proven time, the TSA and whether it is trusted, as one table cell.
fn timestamp_cell(token: Option<&TimestampReport>) -> String {
    let Some(token) = token else {
        return "<td class=\"warn\">no token: time not proven</td>".into();
    };
    let time = token.gen_time.map(|t| t.to_string()).unwrap_or_default();
    let tsa = escape(token.tsa.as_deref().unwrap_or(""));
    match (token.valid, token.trusted) {
        (true, true) => format!(
            "<td class=\"ok\">{time}<br>TSA {tsa} (trusted, root {}; {})</td>",
            escape(token.root.as_deref().unwrap_or("")),
            revocation_words(
                token.revocation.unwrap_or("not-checked"),
                token.revocation_detail.as_deref()
            )
        ),
        (true, false) if token.revocation == Some("revoked") => format!(
            "<td class=\"bad\">{time} (unproven)<br>TSA {tsa}: {}</td>",
            revocation_words("revoked", token.revocation_detail.as_deref())
        ),
        (true, false) => {
            format!("<td class=\"warn\">{time} (unproven)<br>TSA {tsa} (not trusted)</td>")
        }
        (false, _) => format!(
            "<td class=\"bad\">INVALID token <code>{}</code></td>",
            escape(&token.file)
        ),
    }
}

/// Every problem and warning.
fn problems(page: &mut String, report: &Report) {
    for (title, list) in [
        ("Problems", &report.problems),
        ("Warnings", &report.warnings),
    ] {
        page.push_str(&format!("<h2>{title}</h2>\n"));
        if list.is_empty() {
            page.push_str("<p>None.</p>\n");
            continue;
        }
        page.push_str("<table>\n<thead><tr><th>Code</th><th>File or event</th><th>Message</th></tr></thead>\n");
        for p in list {
            page.push_str(&format!(
                "<tr><td><code class=\"problem\">{}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
                p.code.as_str(),
                escape_path(p.path.as_deref().unwrap_or("")),
                escape(&p.message)
            ));
        }
        page.push_str("</table>\n");
    }
}

/// The custody timeline as a drawing: one lane per key holder, events in
/// order from left to right (circles marked with their signature state),
/// hand-overs as arrows from the sender's lane to the recipient's.
fn custody_drawing(page: &mut String, report: &Report) {
    let events = &report.custody;
    if events.is_empty() {
        return;
    }
    // Lanes in order of first appearance; labels from the first event a key
    // made (claimed names), else its short key id alone.
    let mut lanes: Vec<KeyId> = Vec::new();
    let mut labels: BTreeMap<KeyId, String> = BTreeMap::new();
    for e in events {
        for key in std::iter::once(e.actor_key_id).chain(e.recipient_key_id) {
            if !lanes.contains(&key) {
                lanes.push(key);
            }
        }
        if let Some(name) = &e.actor_name {
            labels.entry(e.actor_key_id).or_insert_with(|| name.clone());
        }
    }
    const LEFT: usize = 200;
    const STEP: usize = 120;
    const TOP: usize = 50;
    const LANE: usize = 70;
    let width = LEFT + STEP * events.len() + 40;
    let height = TOP + LANE * lanes.len() + 10;
    let x = |i: usize| LEFT + STEP * i + STEP / 2;
    let y = |key: &KeyId| TOP + LANE * lanes.iter().position(|k| k == key).unwrap_or(0) + LANE / 2;
    page.push_str("<h3>Custody drawing</h3>\n");
    let _ = writeln!(
        page,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" font-family=\"sans-serif\" font-size=\"11\">"
    );
    page.push_str("<title>Chain of custody: who held the evidence, in order of events</title>\n");
    page.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1f4e9c\"/></marker></defs>\n");
    for key in &lanes {
        let ly = y(key);
        let label = labels.get(key).map(|n| escape(n)).unwrap_or_default();
        let _ = writeln!(
            page,
            "<line x1=\"{LEFT}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"#ccc\" stroke-dasharray=\"4 3\"/>\
             <text x=\"8\" y=\"{}\" font-weight=\"bold\">{label}</text><text x=\"8\" y=\"{}\" font-family=\"monospace\">{}</text>",
            width - 20,
            ly - 3,
            ly + 11,
            key.short()
        );
    }
    // Who holds the evidence between events: the sealer first, then each
    // recipient from the transfer that named it.
    let mut holder = events[0].actor_key_id;
    let mut since = x(0);
    for (i, e) in events.iter().enumerate() {
        if let (Some(to), "transfer") = (e.recipient_key_id, e.action.as_str()) {
            let _ = writeln!(
                page,
                "<line x1=\"{since}\" y1=\"{hy}\" x2=\"{}\" y2=\"{hy}\" stroke=\"#1f4e9c\" stroke-width=\"5\" stroke-opacity=\".35\"/>",
                x(i),
                hy = y(&holder)
            );
            holder = to;
            since = x(i);
        }
    }
    let _ = writeln!(
        page,
        "<line x1=\"{since}\" y1=\"{hy}\" x2=\"{}\" y2=\"{hy}\" stroke=\"#1f4e9c\" stroke-width=\"5\" stroke-opacity=\".35\"/>",
        width - 20,
        hy = y(&holder)
    );
    for (i, e) in events.iter().enumerate() {
        let (ex, ey) = (x(i), y(&e.actor_key_id));
        let _ = writeln!(
            page,
            "<text x=\"{ex}\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\">#{}</text><text x=\"{ex}\" y=\"28\" text-anchor=\"middle\" font-size=\"9\">{}</text><text x=\"{ex}\" y=\"40\" text-anchor=\"middle\" font-size=\"9\">{}</text>",
            e.sequence,
            e.time.date_string(),
            time_of_day(&e.time),
        );
        if let Some(to) = &e.recipient_key_id {
            let _ = writeln!(
                page,
                "<line x1=\"{ex}\" y1=\"{ey}\" x2=\"{}\" y2=\"{}\" stroke=\"#1f4e9c\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>",
                ex + STEP / 2 - 6,
                y(to)
            );
        }
        let (fill, mark) = if e.signature_valid {
            ("#2e8b2e", "signed \u{2713}")
        } else {
            ("#c00000", "BAD SIGNATURE \u{2717}")
        };
        let _ = writeln!(
            page,
            "<circle cx=\"{ex}\" cy=\"{ey}\" r=\"7\" fill=\"{fill}\" stroke=\"#000\"><title>#{} {} by {}: {}</title></circle>\
             <text x=\"{ex}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"{ex}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\" fill=\"{fill}\">{mark}</text>",
            e.sequence,
            escape(&e.action),
            e.actor_key_id.short(),
            if e.signature_valid { "signature valid" } else { "signature INVALID" },
            ey + 20,
            escape(&e.action),
            ey + 31,
        );
    }
    page.push_str("</svg>\n<p><small>Lanes are key holders (names claimed, key ids proven by valid signatures); events run left to right in sequence order, each marked with its signature state; arrows are transfers to the named recipient; the shaded band shows who holds the evidence.</small></p>\n");
}

/// `HH:MM:SS` of a time.
fn time_of_day(time: &UtcTime) -> String {
    let (_, _, _, h, m, s) = time.civil();
    format!("{h:02}:{m:02}:{s:02}")
}

/// The payload files with size and SHA-256, the first
/// [`PAYLOAD_ROWS_SHOWN`] of them.
fn payload(page: &mut String, report: &Report, context: &PageContext) {
    page.push_str("<h2>Payload files</h2>\n");
    if report.payload.is_empty() {
        page.push_str("<p>No payload file was read.</p>\n");
        return;
    }
    let _ = writeln!(
        page,
        "<p>{}, {}, as read by this check.</p>",
        count(report.payload.len() as u64, "file"),
        human_size(report.total_bytes)
    );
    page.push_str("<table class=\"payload\">\n<thead><tr><th>Path</th><th>Size (bytes)</th><th>SHA-256</th></tr></thead>\n");
    for row in report.payload.iter().take(PAYLOAD_ROWS_SHOWN) {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"hash\">{}</td></tr>",
            escape_path(&row.path),
            row.size,
            row.sha256
                .map(|d| d.to_hex())
                .unwrap_or_else(|| "unreadable".into())
        );
    }
    page.push_str("</table>\n");
    let more = report.payload.len().saturating_sub(PAYLOAD_ROWS_SHOWN);
    if more > 0 {
        let how = match &context.json_command {
            Some(command) => format!(": <code>{}</code>", escape(command)),
            None => " of the same verification".to_string(),
        };
        let _ = writeln!(
            page,
            "<p class=\"warn\"><strong>{} not listed here.</strong> The full list, every file with its size and SHA-256, is the <code>payload</code> member of the JSON report{how}.</p>",
            count(more as u64, "more file")
        );
    }
}

/// What a reader may and may not conclude from this page.
fn proves(page: &mut String, report: &Report) {
    page.push_str(
        "<h2>What this report proves and what it does not</h2>\n<p>It shows:</p>\n<ul>\n",
    );
    match report.status {
        Outcome::Failed => page.push_str(
            "<li>The bundle as received does <strong>not</strong> match what was sealed, or its seal, signatures or custody chain do not check out: see the problems below.</li>\n",
        ),
        _ => page.push_str(
            "<li>Every payload file listed below was read to its end by this check, and its bytes match the digests in the bundle's manifests.</li>\n",
        ),
    }
    if report.kind == BundleKind::Exhibit {
        page.push_str(
            "<li>Each seal signer marked valid holds the secret key of the key id shown: the signature over the seal statement (which binds the manifests, the case metadata and the Merkle root) verifies.</li>\n\
             <li>Each custody event marked valid was signed by the key shown and is linked by hash to the seal and to the event before it.</li>\n",
        );
    }
    let certificates = report.signers.iter().any(|s| s.certificate.is_some());
    let trusted_by = match (report.trust.policy.is_some(), certificates) {
        (true, _) => "is allowed by the trust policy named below (with its SHA-256)",
        (false, true) => "matches a public key the person running the check chose to trust, or holds a certificate whose chain reaches a root they gave (the trust sources below)",
        (false, false) => "matches a public key the person running the check chose to trust (the trust sources below)",
    };
    let _ = writeln!(page, "<li>A signer marked trusted {trusted_by}.</li>");
    let proven = report.signers.iter().any(|s| s.proven_time.is_some())
        || report.custody.iter().any(|e| e.proven_time.is_some());
    if proven {
        page.push_str("<li>A time marked proven: an RFC 3161 time-stamp token by a TSA whose root was given shows the signature existed then.</li>\n");
    }
    let when = if proven {
        "<li>When anything else happened: every time not marked proven is the signer's own clock.</li>\n"
    } else {
        "<li>When anything happened: times in the bundle are the signers' own clocks.</li>\n"
    };
    page.push_str("</ul>\n<p>It does not show:</p>\n<ul>\n\
         <li>Who a key belongs to: names and organizations are claims made by the key holders; compare key ids with them through another channel.</li>\n");
    page.push_str(when);
    let unchecked = report
        .signers
        .iter()
        .filter_map(|s| s.certificate.as_ref())
        .any(|c| c.revocation == "not-checked");
    if certificates && unchecked {
        page.push_str("<li>That a signer's certificate was not revoked: the bundle holds no CRL or OCSP answer for it (<code>exhibit ltv</code> adds them).</li>\n");
    }
    page.push_str(
        "<li>That the data was complete or unaltered before it was sealed, how it was collected, or that it is what the description says.</li>\n\
         <li>Anything by itself: this page is not signed. To rely on it, check the bundle again (its SHA-256 is above) with <code>exhibit verify</code>.</li>\n</ul>\n",
    );
}

/// The tool version and what the names in the report are worth.
fn footer(page: &mut String) {
    page.push_str(&format!(
        "<p><small>Produced by exhibit {}. Names and organizations are claims made by the key holders; \
         only key ids are proven. Compare key ids with the senders through another channel.</small></p>\n",
        env!("CARGO_PKG_VERSION")
    ));
    page.push_str("</body>\n</html>\n");
}

/// `12345678` as `12,345,678`.
/// Characters that hide, move or reorder text around them: controls
/// (newline, escape, ...), bidirectional overrides and isolates, zero-width
/// and invisible marks. A name holding one is shown with a visible mark.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Escapes text for HTML element content; hidden characters become a
/// visible `[U+XXXX]` mark.
fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// A bag path, escaped; when it holds right-to-left letters, each
/// component isolated (`<bdi>`), so a right-to-left component cannot pull
/// the digits and marks of its neighbours into its run and reorder the
/// path around it.
fn escape_path(path: &str) -> String {
    let right_to_left =
        |c: char| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF);
    if !path.chars().any(right_to_left) {
        return escape(path);
    }
    path.split('/')
        .map(|part| format!("<bdi>{}</bdi>", escape(part)))
        .collect::<Vec<_>>()
        .join("/")
}

/// The same for places that hold text only (the page title).
fn escape_plain(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, markup: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_hidden(c) && markup => {
                let _ = write!(out, "<span class=\"mark\">[U+{:04X}]</span>", c as u32);
            }
            c if is_hidden(c) => {
                let _ = write!(out, "[U+{:04X}]", c as u32);
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
        assert_eq!(escape_plain("a\u{1b}b"), "a[U+001B]b");
        assert_eq!(
            escape("x\u{202e}y\nz"),
            "x<span class=\"mark\">[U+202E]</span>y<span class=\"mark\">[U+000A]</span>z"
        );
    }
}
