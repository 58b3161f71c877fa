//! `exhibit verify`: run every check, print the verdict, write the HTML
//! report.

use std::path::Path;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use exhibit::fsx::{write_atomically, Overwrite};
use exhibit::ops::verify::{
    verify_as_received, verify_bundle_with, verify_parts, verify_shard, ShareRequest,
};
use exhibit::problem::ProblemCode;
use exhibit::report::{
    BundleKind, CustodyEntry, Outcome, PageContext, Received, Report, SignerReport,
    TimestampReport, TrustSource, TrustUsed,
};
use exhibit::time::UtcTime;

use super::common::{load_trust, open_bundle, Terminal, TrustGiven};
use super::output::{print_json, print_problems, sanitize, summary_line};
use super::{refused, Context, Status, VerifyArgs};
use exhibit::i18n::{Lang, Texts};
use exhibit::report::{policy_reason, words};
use exhibit::t;
use exhibit::units::{count, human_size};

pub fn run_verify(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<Status> {
    if let Some(share) = args.shard {
        let Some(part) = &args.part else {
            anyhow::bail!("--shard needs -o PART");
        };
        return run_shard(ctx, args, share.shard, share.shards, part);
    }
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
    let (report, as_received) = match (&args.parts, &args.report) {
        // The payload as the parts recorded it; the bundle as received (a
        // zip's SHA-256, which the court report states) read only for a report.
        (Some(dir), _) => match verify_parts(&bundle, &trust, &observer, rows, dir) {
            Ok(report) => (report, args.report.as_ref().map(|_| bundle.as_received())),
            Err(error) => return refused(error),
        },
        (None, Some(_)) => {
            let (report, as_received) = verify_as_received(&bundle, &trust, &observer, rows);
            (report, Some(as_received))
        }
        (None, None) => (verify_bundle_with(&bundle, &trust, &observer, rows), None),
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
        write_html(
            path,
            &report,
            &context,
            &report_languages(ctx, &args.report_lang),
        )?;
        if !ctx.quiet {
            let line = t!(
                ctx.texts,
                "report-written",
                path = sanitize(&path.display().to_string())
            );
            summary_line(&line, args.json);
        }
    }
    Ok(report.status.into())
}

/// `verify BUNDLE --shard I/N -o PART`: one share of the payload read into
/// a part; the verdict comes when the parts are combined (`--parts`).
fn run_shard(
    ctx: &Context,
    args: &VerifyArgs,
    shard: u64,
    shards: u64,
    part: &Path,
) -> anyhow::Result<Status> {
    let bundle = open_bundle(&args.bundle)?;
    let request = ShareRequest {
        shard,
        shards,
        output: part,
    };
    let summary = match verify_shard(&bundle, &request, &Terminal::new(ctx)) {
        Ok(summary) => summary,
        Err(error) => return refused(error),
    };
    if !ctx.quiet {
        // What was written, on stdout (a batch engine keeps it in the
        // job's log); unreadable files are recorded, judged when combined.
        let unreadable = match summary.unreadable {
            0 => String::new(),
            n => format!(", {} could not be read", count(n, "file")),
        };
        println!(
            "share {} of {}: {} from payload file {}, {}{unreadable}, read into {}",
            summary.shard,
            summary.shards,
            count(summary.files, "file"),
            summary.first,
            human_size(summary.bytes),
            sanitize(&part.display().to_string())
        );
    }
    Ok(Status::Success)
}

/// The folder `path` goes in exists and takes a new file.
fn check_writable_folder(path: &Path) -> anyhow::Result<()> {
    let folder = exhibit::fsx::parent_or_dot(path);
    tempfile::tempfile_in(folder)
        .map(drop)
        .with_context(|| format!("{}: cannot write the report there", path.display()))
}

/// The report's languages: `--report-lang`'s, else the language of the
/// terminal (`--lang`).
fn report_languages(ctx: &Context, asked: &[Lang]) -> Vec<Texts> {
    if asked.is_empty() {
        return vec![Texts::new(ctx.texts.lang())];
    }
    let mut langs: Vec<Lang> = Vec::new();
    for lang in asked {
        if !langs.contains(lang) {
            langs.push(*lang);
        }
    }
    langs.into_iter().map(Texts::new).collect()
}

/// Writes the HTML report atomically (a reader never sees half a report).
fn write_html(
    path: &Path,
    report: &Report,
    context: &PageContext,
    langs: &[Texts],
) -> anyhow::Result<()> {
    let page = report.to_html_page(context, langs);
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
/// stderr, in the language of `ctx`. `--json` prints only the report.
/// Shared by `verify` and `extract`.
pub fn emit(ctx: &Context, report: &Report, trust: &TrustGiven, json: bool) -> anyhow::Result<()> {
    let texts = &ctx.texts;
    if json {
        print_json(report)?;
    }
    if json {
        print_problems(texts, &report.problems, &report.warnings);
    } else {
        // Each signer's and event's line says what its token proves; a
        // warning about the same unproven time would only repeat it.
        let warnings: Vec<_> = report
            .warnings
            .iter()
            .filter(|w| w.code != ProblemCode::TimestampUntrusted)
            .cloned()
            .collect();
        print_problems(texts, &report.problems, &warnings);
    }
    if json || (ctx.quiet && report.status == Outcome::Verified) {
        return Ok(());
    }
    println!(
        "{}",
        words::verdict_line(texts, report, trust.is_empty(), &sanitize)
    );
    let policy = report.trust.policy.is_some();
    for signer in &report.signers {
        println!("  {}", signer_line(texts, signer, policy));
    }
    if let Some(statement) = &report.statement {
        for image in &statement.acquisition {
            println!("  {}", image_line(texts, image));
        }
    }
    if let Some(head) = &report.custody_head {
        let line = texts.count_with(
            "custody-summary-line",
            report.custody.len() as u64,
            &[("head", head.clone())],
        );
        println!("  {line}");
    }
    for event in &report.custody {
        if let Some(note) = timestamp_note(texts, event.timestamp.as_ref()) {
            let line = t!(
                texts,
                "custody-event-note",
                sequence = event.sequence.to_string(),
                note = note
            );
            println!("  {line}");
        }
    }
    let unproven = report
        .signers
        .iter()
        .filter_map(|s| s.timestamp.as_ref())
        .chain(report.custody.iter().filter_map(|e| e.timestamp.as_ref()))
        .any(|token| token.valid && !token.trusted);
    if unproven {
        println!("  {}", t!(texts, "next-tsa-root"));
    }
    let trusted = report.trusted_signers.len();
    for line in policy_lines(texts, &report.trust, trusted, &report.custody) {
        println!("  {line}");
    }
    if report.status == Outcome::Untrusted && report.kind == BundleKind::Exhibit {
        for line in next_steps(texts, report, trust) {
            println!("  {line}");
        }
    }
    Ok(())
}

/// Under a trust policy: the policy file with its SHA-256, how many trusted
/// seal signatures it needs and found, and each custody event it does not
/// trust, with the reason (verify and custody replay say it alike).
pub fn policy_lines(
    texts: &Texts,
    trust: &TrustUsed,
    trusted: usize,
    custody: &[CustodyEntry],
) -> Vec<String> {
    let Some(policy) = &trust.policy else {
        return Vec::new();
    };
    let mut lines = vec![t!(
        texts,
        "policy-line",
        policy = sanitize(&policy.path),
        sha256 = policy.sha256.to_string(),
        needed = trust.min_signers.to_string(),
        found = trusted.to_string()
    )];
    for event in custody.iter().filter(|e| !e.trusted) {
        lines.push(t!(
            texts,
            "policy-event-not-trusted",
            sequence = event.sequence.to_string(),
            action = sanitize(&event.action),
            key = event.actor_key_id.short(),
            reason = policy_reason(texts, event.untrusted_reason.as_deref())
        ));
    }
    lines
}

/// What to do about an intact bundle nobody trusted signed: whom the user
/// trusted (if anyone), who signed, and how to establish trust. Under a
/// policy the step follows the decisive reason and never advises setting
/// the policy's decision aside with `--trust`.
fn next_steps(texts: &Texts, report: &Report, trust: &TrustGiven) -> Vec<String> {
    if report.trust.policy.is_some() {
        return policy_next_step(texts, report).into_iter().collect();
    }
    let separator = t!(texts, "list-separator");
    let signed_by: Vec<String> = report
        .signers
        .iter()
        .filter(|s| s.valid)
        .map(|s| match &s.name {
            Some(name) => t!(
                texts,
                "key-claims-name",
                key = s.key_id.short(),
                name = sanitize(name)
            ),
            None => t!(texts, "key-claims-nothing", key = s.key_id.short()),
        })
        .collect();
    let mut lines = Vec::new();
    if !trust.keys.is_empty() {
        let trusted: Vec<String> = trust
            .keys
            .iter()
            .map(|(id, file)| {
                t!(
                    texts,
                    "key-from-file",
                    key = id.short(),
                    file = sanitize(&file.display().to_string())
                )
            })
            .collect();
        lines.push(t!(
            texts,
            "you-trusted",
            trusted = trusted.join(&separator),
            signers = signed_by.join(&separator)
        ));
    }
    if let Some(certificate) = report
        .signers
        .iter()
        .filter(|s| s.valid)
        .find_map(|s| s.certificate.as_ref())
    {
        lines.push(t!(
            texts,
            "next-ca-root",
            subject = sanitize(&certificate.subject)
        ));
        return lines;
    }
    lines.push(t!(
        texts,
        "next-compare-key",
        key = report
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
fn policy_next_step(texts: &Texts, report: &Report) -> Option<String> {
    let short_of_signers = report.trusted_signers.len() < report.trust.min_signers;
    let (what, key, reason) = if short_of_signers {
        let signer = report.signers.iter().find(|s| s.valid && !s.trusted)?;
        (
            t!(texts, "next-policy-what-seal"),
            signer.key_id,
            signer.untrusted_reason.as_deref(),
        )
    } else {
        let event = report.custody.iter().find(|e| !e.trusted)?;
        (
            t!(texts, "next-policy-what-event"),
            event.actor_key_id,
            event.untrusted_reason.as_deref(),
        )
    };
    let step = match reason {
        Some("revoked") => t!(texts, "next-policy-revoked"),
        Some("expired") | Some("not yet valid") => t!(texts, "next-policy-window"),
        Some("role") => t!(texts, "next-policy-role"),
        Some("time not proven") => t!(texts, "next-policy-time"),
        _ => t!(texts, "next-policy-compare"),
    };
    Some(t!(
        texts,
        "next-policy",
        what = what,
        key = key.short(),
        step = step
    ))
}

/// What a signature's time-stamp token proves, in a few words; None when
/// it has none.
pub fn timestamp_note(texts: &Texts, token: Option<&TimestampReport>) -> Option<String> {
    let token = token?;
    let time = token.gen_time.map(|t| t.to_string()).unwrap_or_default();
    let tsa = sanitize(token.tsa.as_deref().unwrap_or(""));
    Some(match (token.valid, token.trusted) {
        (true, true) => t!(texts, "timestamp-proven", time = time, tsa = tsa),
        (true, false) => t!(texts, "timestamp-unproven", time = time, tsa = tsa),
        (false, _) => t!(texts, "timestamp-invalid", file = sanitize(&token.file)),
    })
}

/// "valid signature" or "INVALID signature".
fn validity(texts: &Texts, valid: bool) -> String {
    if valid {
        t!(texts, "signature-valid")
    } else {
        t!(texts, "signature-invalid")
    }
}

/// One seal signer: claimed identity, signature, trust and proven time.
/// The reason a signer is not trusted is the policy's word for it, given
/// only under a policy (without one, nobody is listed anywhere).
pub fn signer_line(texts: &Texts, signer: &SignerReport, policy: bool) -> String {
    let line = match &signer.certificate {
        Some(certificate) => certificate_signer_line(texts, signer, certificate),
        None => {
            let claimed = match (&signer.name, &signer.organization) {
                (Some(n), Some(o)) => t!(
                    texts,
                    "claimed-name-and-organization",
                    name = sanitize(n),
                    organization = sanitize(o)
                ),
                (Some(n), None) => t!(texts, "claimed-name", name = sanitize(n)),
                (None, Some(o)) => t!(texts, "claimed-organization", organization = sanitize(o)),
                (None, None) => t!(texts, "claimed-nothing"),
            };
            let trust = match (&signer.untrusted_reason, signer.trusted) {
                (_, true) => t!(texts, "trust-trusted"),
                (Some(reason), false) if signer.valid && policy => t!(
                    texts,
                    "trust-not-trusted-because",
                    reason = policy_reason(texts, Some(reason))
                ),
                _ => t!(texts, "trust-not-trusted"),
            };
            t!(
                texts,
                "signer-line",
                key = signer.key_id.to_string(),
                claimed = claimed,
                validity = validity(texts, signer.valid),
                trust = trust
            )
        }
    };
    match timestamp_note(texts, signer.timestamp.as_ref()) {
        Some(note) if signer.certificate.is_none() => {
            t!(texts, "with-note", line = line, note = note)
        }
        _ => line,
    }
}

/// A certificate signer: who the certificate names, who issued it, and the
/// root it chains to (or why it reaches none).
fn certificate_signer_line(
    texts: &Texts,
    signer: &SignerReport,
    certificate: &exhibit::report::CertificateReport,
) -> String {
    let trust = match (signer.trusted, &certificate.root, &signer.untrusted_reason) {
        (true, Some(root), _) => t!(texts, "trust-chains-to", root = sanitize(root)),
        (true, None, _) => t!(texts, "trust-by-policy"),
        (false, _, Some(reason)) => t!(
            texts,
            "trust-not-trusted-because",
            reason = sanitize(&policy_reason(texts, Some(reason)))
        ),
        (false, _, None) => t!(texts, "trust-not-trusted"),
    };
    let qualified = if certificate.qualified {
        format!("; {}", t!(texts, "certificate-qualified"))
    } else {
        String::new()
    };
    let period = match (certificate.not_before, certificate.not_after) {
        (Some(from), Some(to)) => format!(
            " {}",
            t!(
                texts,
                "certificate-valid-from-to",
                from = from.to_string(),
                to = to.to_string()
            )
        ),
        _ => String::new(),
    };
    let revocation = match certificate.revocation {
        "good" => t!(texts, "certificate-revocation-good"),
        "revoked" => t!(texts, "certificate-revocation-revoked"),
        _ => t!(texts, "certificate-revocation-not-checked"),
    };
    let moment = match certificate.checked_at {
        "proven" => t!(texts, "moment-proven"),
        _ => t!(texts, "moment-claimed"),
    };
    t!(
        texts,
        "certificate-signer-line",
        key = signer.key_id.to_string(),
        subject = sanitize(&certificate.subject),
        issuer = sanitize(&certificate.issuer),
        period = period,
        validity = validity(texts, signer.valid),
        trust = trust,
        qualified = qualified,
        revocation = revocation,
        moment = moment
    )
}

/// A forensic image the seal checked, in one line.
pub fn image_line(texts: &Texts, image: &exhibit::format::acquisition::Acquisition) -> String {
    use exhibit::format::acquisition::ImageResult;
    let result = match image.result {
        ImageResult::Match => t!(texts, "image-result-match"),
        ImageResult::Mismatch => t!(texts, "image-result-mismatch"),
        ImageResult::NoStoredHash => t!(texts, "image-result-no-stored-hash"),
    };
    t!(
        texts,
        "verify-image-line",
        path = sanitize(&image.path),
        format = image.format.as_str(),
        size = texts.size(image.media_size),
        result = result
    )
}
