//! `exhibit verify`: run every check, print the verdict, write the HTML
//! report.

use std::path::Path;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use exhibit::fsx::{write_atomically, Overwrite};
use exhibit::ops::verify::{verify_as_received, verify_bundle_with};
use exhibit::problem::ProblemCode;
use exhibit::report::{
    BundleKind, CustodyEntry, Outcome, PageContext, Received, Report, SignerReport,
    TimestampReport, TrustSource, TrustUsed,
};
use exhibit::time::UtcTime;
use exhibit::units::{count, human_size};

use super::common::{load_trust, open_bundle, Terminal, TrustGiven};
use super::output::{print_json, print_problems, problem_summary, sanitize, summary_line};
use super::{Context, Status, VerifyArgs};

pub fn run_verify(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<Status> {
    let (trust, given) = load_trust(&args.trust)?;
    // Before hashing anything: the report must have somewhere to go.
    if let Some(path) = &args.report {
        check_writable_folder(path)?;
    }
    // When the check ran: read here, once, and handed to the page.
    let checked_at = UtcTime::now();
    let bundle = open_bundle(&args.bundle)?;
    // Every file's row (about 100 bytes each) only where it is printed.
    let rows = args.json || args.report.is_some();
    let observer = Terminal::new(ctx);
    let (report, as_received) = match &args.report {
        Some(_) => {
            let (report, as_received) = verify_as_received(&bundle, &trust, &observer, rows);
            (report, Some(as_received))
        }
        None => (verify_bundle_with(&bundle, &trust, &observer, rows), None),
    };
    // The verdict first: a report that cannot be written does not hide it.
    emit(ctx, &report, &given, args.json)?;
    if let (Some(path), Some(as_received)) = (&args.report, as_received) {
        let (size, sha256) = as_received?;
        let context = PageContext {
            checked_at: Some(checked_at),
            received: Some(Received {
                path: args.bundle.display().to_string(),
                form: if sha256.is_some() { "zip" } else { "folder" },
                size,
                sha256: sha256.map(|d| d.to_hex()),
            }),
            trust_sources: trust_sources(&given)?,
            tsa_roots: file_digests(&args.trust.tsa_ca)?,
            ca_roots: file_digests(&args.trust.ca)?,
            json_command: Some("exhibit verify BUNDLE --json".into()),
            tool: None,
        };
        write_html(path, &report, &context)?;
        if !ctx.quiet {
            let line = format!(
                "report written to {}",
                sanitize(&path.display().to_string())
            );
            summary_line(&line, args.json);
        }
    }
    Ok(report.status.into())
}

/// The folder `path` goes in exists and takes a new file.
fn check_writable_folder(path: &Path) -> anyhow::Result<()> {
    let folder = exhibit::fsx::parent_or_dot(path);
    tempfile::tempfile_in(folder)
        .map(drop)
        .with_context(|| format!("{}: cannot write the report there", path.display()))
}

/// Writes the HTML report atomically (a reader never sees half a report).
fn write_html(path: &Path, report: &Report, context: &PageContext) -> anyhow::Result<()> {
    let page = report.to_html_page(context);
    write_atomically(path, page.as_bytes(), 0o644, Overwrite::Allow)
        .with_context(|| path.display().to_string())
}

/// Each `--trust` file with the SHA-256 of its bytes.
fn trust_sources(given: &TrustGiven) -> anyhow::Result<Vec<TrustSource>> {
    given
        .keys
        .iter()
        .map(|(key_id, file)| {
            let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
            Ok(TrustSource {
                file: file.display().to_string(),
                key_id: *key_id,
                sha256: hex::encode(Sha256::digest(&bytes)),
            })
        })
        .collect()
}

/// Each file as given, with the SHA-256 of its bytes.
fn file_digests(files: &[std::path::PathBuf]) -> anyhow::Result<Vec<(String, String)>> {
    files
        .iter()
        .map(|file| {
            let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
            Ok((
                file.display().to_string(),
                hex::encode(Sha256::digest(&bytes)),
            ))
        })
        .collect()
}

/// Human output: summary and signers on stdout, one line per problem on
/// stderr. `--json` prints only the report. Shared by `verify` and
/// `extract`.
pub fn emit(ctx: &Context, report: &Report, trust: &TrustGiven, json: bool) -> anyhow::Result<()> {
    if json {
        print_json(report)?;
    }
    if json {
        print_problems(&report.problems, &report.warnings);
    } else {
        // Each signer's and event's line says what its token proves; a
        // warning about the same unproven time would only repeat it.
        let warnings: Vec<_> = report
            .warnings
            .iter()
            .filter(|w| w.code != ProblemCode::TimestampUntrusted)
            .cloned()
            .collect();
        print_problems(&report.problems, &warnings);
    }
    if json || (ctx.quiet && report.status == Outcome::Verified) {
        return Ok(());
    }
    let mut word = match report.status {
        Outcome::Verified => "VERIFIED",
        Outcome::Failed => "FAILED",
        Outcome::Untrusted => "UNTRUSTED",
    }
    .to_string();
    if let Some(d) = &report.disclosure {
        word = format!(
            "{word} (disclosure: {} of {} sealed files)",
            d.disclosed, d.sealed
        );
    }
    let what = match (&report.case_id, &report.exhibit_id) {
        (Some(case), Some(exhibit)) => {
            format!("case {}, exhibit {}; ", sanitize(case), sanitize(exhibit))
        }
        _ if report.kind == BundleKind::Bagit => "plain BagIt bag, not sealed; ".to_string(),
        _ => String::new(),
    };
    let detail = match (report.status, report.kind) {
        (Outcome::Failed, _) => problem_summary(&report.problems),
        (Outcome::Untrusted, BundleKind::Bagit) => "intact, but nobody signed it".to_string(),
        (Outcome::Untrusted, _) if trust.is_empty() && has_certificates(report) => {
            "intact, but no --trust or --ca given: each signer is only who it claims to be"
                .to_string()
        }
        (Outcome::Untrusted, _) if trust.is_empty() => {
            "intact, but no --trust given: the signer is only who it claims to be".to_string()
        }
        (Outcome::Untrusted, _)
            if report.trust.policy.is_some() || !report.untrusted_proofs.is_empty() =>
        {
            format!(
                "intact, but {} (see below)",
                report.untrusted_reason().unwrap_or_default()
            )
        }
        (Outcome::Untrusted, _) if has_certificates(report) => {
            "intact, but no --trust key or --ca root vouches for a signer of the seal".to_string()
        }
        (Outcome::Untrusted, _) => "intact, but no --trust key signed the seal".to_string(),
        (Outcome::Verified, _) => "intact and signed by a trusted key".to_string(),
    };
    let files = count(report.file_count, "file");
    println!(
        "{word}: {} ({what}{files}, {}): {detail}",
        sanitize(&report.bundle),
        human_size(report.total_bytes)
    );
    for signer in &report.signers {
        println!("  {}", signer_line(signer, report.trust.policy.is_some()));
    }
    if let Some(head) = &report.custody_head {
        let count = report.custody.len();
        let events = if count == 1 { "event" } else { "events" };
        println!("  custody: {count} {events}, head {head}");
    }
    for event in &report.custody {
        if let Some(note) = timestamp_note(event.timestamp.as_ref()) {
            println!("  custody event {}: {note}", event.sequence);
        }
    }
    let unproven = report
        .signers
        .iter()
        .filter_map(|s| s.timestamp.as_ref())
        .chain(report.custody.iter().filter_map(|e| e.timestamp.as_ref()))
        .any(|token| token.valid && !token.trusted);
    if unproven {
        println!(
            "  next: to prove these times, give the TSA's root certificate with --tsa-ca ROOT.pem"
        );
    }
    let trusted = report.trusted_signers.len();
    for line in policy_lines(&report.trust, trusted, &report.custody) {
        println!("  {line}");
    }
    if report.status == Outcome::Untrusted && report.kind == BundleKind::Exhibit {
        for line in next_steps(report, trust) {
            println!("  {line}");
        }
    }
    Ok(())
}

/// Under a trust policy: the policy file with its SHA-256, how many trusted
/// seal signatures it needs and found, and each custody event it does not
/// trust, with the reason (verify and custody replay say it alike).
pub fn policy_lines(trust: &TrustUsed, trusted: usize, custody: &[CustodyEntry]) -> Vec<String> {
    let Some(policy) = &trust.policy else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "trust policy {} (sha256 {}): {} trusted seal signature(s) needed, {trusted} found",
        sanitize(&policy.path),
        policy.sha256,
        trust.min_signers,
    )];
    for event in custody.iter().filter(|e| !e.trusted) {
        lines.push(format!(
            "custody event {} ({}) by {}: not trusted for custody ({})",
            event.sequence,
            sanitize(&event.action),
            event.actor_key_id.short(),
            event
                .untrusted_reason
                .as_deref()
                .unwrap_or("invalid signature")
        ));
    }
    lines
}

/// Whether a seal signer signed with a certificate.
fn has_certificates(report: &Report) -> bool {
    report.signers.iter().any(|s| s.certificate.is_some())
}

/// What to do about an intact bundle nobody trusted signed: whom the user
/// trusted (if anyone), who signed, and how to establish trust. Under a
/// policy the step follows the decisive reason and never advises setting
/// the policy's decision aside with `--trust`.
fn next_steps(report: &Report, trust: &TrustGiven) -> Vec<String> {
    if report.trust.policy.is_some() {
        return policy_next_step(report).into_iter().collect();
    }
    let signed_by: Vec<String> = report
        .signers
        .iter()
        .filter(|s| s.valid)
        .map(|s| match &s.name {
            Some(name) => format!("{} (claims {})", s.key_id.short(), sanitize(name)),
            None => format!("{} (claims no name)", s.key_id.short()),
        })
        .collect();
    let mut lines = Vec::new();
    if !trust.keys.is_empty() {
        let trusted: Vec<String> = trust
            .keys
            .iter()
            .map(|(id, file)| format!("{} ({})", id.short(), sanitize(&file.display().to_string())))
            .collect();
        lines.push(format!(
            "you trusted {}; the seal is signed by {}",
            trusted.join(", "),
            signed_by.join(", ")
        ));
    }
    if let Some(certificate) = report
        .signers
        .iter()
        .filter(|s| s.valid)
        .find_map(|s| s.certificate.as_ref())
    {
        lines.push(format!(
            "next: obtain the root certificate of the authority that issued {:?}'s certificate through another channel, then re-run with --ca ROOT.pem",
            sanitize(&certificate.subject)
        ));
        return lines;
    }
    lines.push(format!(
        "next: compare the key id {} with the sender through another channel, then re-run with --trust FILE.pub",
        report
            .signers
            .iter()
            .find(|s| s.valid)
            .map(|s| s.key_id.to_string())
            .unwrap_or_default()
    ));
    lines
}

/// The next step under a trust policy: about the seal signers when too few
/// count, else about the custody events it does not trust.
fn policy_next_step(report: &Report) -> Option<String> {
    let short_of_signers = report.trusted_signers.len() < report.trust.min_signers;
    let (what, key, reason) = if short_of_signers {
        let signer = report.signers.iter().find(|s| s.valid && !s.trusted)?;
        (
            "seal signature",
            signer.key_id,
            signer.untrusted_reason.as_deref(),
        )
    } else {
        let event = report.custody.iter().find(|e| !e.trusted)?;
        (
            "custody event",
            event.actor_key_id,
            event.untrusted_reason.as_deref(),
        )
    };
    let step = match reason {
        Some("revoked") => "the policy revoked that key before it signed: ask the sender for a signature by a key the policy trusts",
        Some("expired") | Some("not yet valid") => "the key signed outside the window the policy gives it: ask the sender for a signature by a key valid at that time",
        Some("role") => "the policy does not give that key this role: a key the policy trusts for it must sign",
        Some("time not proven") => "the policy requires a proven time: add a time-stamp token (exhibit timestamp BUNDLE --tsa URL) and give its root with --tsa-ca",
        _ => "compare the key id with its holder through another channel; if it is theirs, list it in the policy",
    };
    Some(format!("next: {what} by {}: {step}", key.short()))
}

/// What a signature's time-stamp token proves, in a few words; None when
/// it has none.
pub fn timestamp_note(token: Option<&TimestampReport>) -> Option<String> {
    let token = token?;
    let time = token.gen_time.map(|t| t.to_string()).unwrap_or_default();
    let tsa = sanitize(token.tsa.as_deref().unwrap_or(""));
    Some(match (token.valid, token.trusted) {
        (true, true) => format!("time proven {time} by TSA \"{tsa}\" (trusted)"),
        (true, false) => {
            format!("time-stamped {time} by TSA \"{tsa}\", not trusted: time unproven")
        }
        (false, _) => format!("INVALID time-stamp token {}", sanitize(&token.file)),
    })
}

/// One seal signer: claimed identity, signature, trust and proven time.
/// The reason a signer is not trusted is the policy's word for it, given
/// only under a policy (without one, nobody is listed anywhere).
pub fn signer_line(signer: &SignerReport, policy: bool) -> String {
    if let Some(certificate) = &signer.certificate {
        return certificate_signer_line(signer, certificate);
    }
    let claimed = match (&signer.name, &signer.organization) {
        (Some(n), Some(o)) => format!("\"{}\" ({})", sanitize(n), sanitize(o)),
        (Some(n), None) => format!("\"{}\"", sanitize(n)),
        (None, Some(o)) => format!("({})", sanitize(o)),
        (None, None) => "(no name claimed)".into(),
    };
    let validity = if signer.valid {
        "valid signature"
    } else {
        "INVALID signature"
    };
    let trust = match (&signer.untrusted_reason, signer.trusted) {
        (_, true) => "trusted".to_string(),
        (Some(reason), false) if signer.valid && policy => format!("not trusted ({reason})"),
        _ => "not trusted".to_string(),
    };
    let line = format!("signer {} {claimed}: {validity}, {trust}", signer.key_id);
    match timestamp_note(signer.timestamp.as_ref()) {
        Some(note) => format!("{line}; {note}"),
        None => line,
    }
}

/// A certificate signer: who the certificate names, who issued it, and the
/// root it chains to (or why it reaches none).
fn certificate_signer_line(
    signer: &SignerReport,
    certificate: &exhibit::report::CertificateReport,
) -> String {
    let validity = if signer.valid {
        "valid signature"
    } else {
        "INVALID signature"
    };
    let trust = match (signer.trusted, &certificate.root, &signer.untrusted_reason) {
        (true, Some(root), _) => format!("trusted (chains to {:?})", sanitize(root)),
        (true, None, _) => "trusted (by the trust policy)".to_string(),
        (false, _, Some(reason)) => format!("not trusted ({})", sanitize(reason)),
        (false, _, None) => "not trusted".to_string(),
    };
    let qualified = if certificate.qualified {
        "; the certificate says it is qualified (EU QcCompliance)"
    } else {
        ""
    };
    let valid = match (certificate.not_before, certificate.not_after) {
        (Some(from), Some(to)) => format!(" (valid {from} to {to})"),
        _ => String::new(),
    };
    format!(
        "signer certificate {} {:?} issued by {:?}{valid}: {validity}, {trust}{qualified}; {}; path checked at the {} signing time",
        signer.key_id,
        sanitize(&certificate.subject),
        sanitize(&certificate.issuer),
        match certificate.revocation {
            "good" => "not revoked at that time (CRL/OCSP in the bundle)",
            "revoked" => "REVOKED at that time",
            _ => "revocation not checked",
        },
        certificate.checked_at
    )
}
