//! `exhibit verify`: run every check, print the verdict, write the HTML
//! report.

use std::path::Path;

use anyhow::Context as _;

use exhibit::fsx::{write_atomically, Overwrite};
use exhibit::ops::verify::verify_bundle;
use exhibit::report::{BundleKind, Outcome, Report, SignerReport};

use super::common::{load_trust, open_bundle, Terminal};
use super::output::{print_json, print_problems, sanitize};
use super::{Context, Status, VerifyArgs};

pub fn run_verify(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<Status> {
    let trust = load_trust(&args.trust)?;
    let bundle = open_bundle(&args.bundle)?;
    let report = verify_bundle(&bundle, &trust, &Terminal::new(ctx));
    if let Some(path) = &args.report {
        write_html(path, &report)?;
    }
    emit(ctx, &report, args.json)?;
    Ok(report.status.into())
}

/// Writes the HTML report atomically (a reader never sees half a report).
fn write_html(path: &Path, report: &Report) -> anyhow::Result<()> {
    write_atomically(path, report.to_html().as_bytes(), 0o644, Overwrite::Allow)
        .with_context(|| path.display().to_string())
}

/// Human output: summary and signers on stdout, one line per problem on
/// stderr. `--json` prints only the report. Shared by `verify` and
/// `extract`.
pub fn emit(ctx: &Context, report: &Report, json: bool) -> anyhow::Result<()> {
    if json {
        print_json(report)?;
    }
    print_problems(&report.problems, &report.warnings);
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
        (Outcome::Failed, _) => format!("{} problems", report.problems.len()),
        (Outcome::Untrusted, BundleKind::Bagit) => "intact, but nobody signed it".to_string(),
        (Outcome::Untrusted, _) => "intact, but no --trust key signed the seal".to_string(),
        (Outcome::Verified, _) => "intact and signed by a trusted key".to_string(),
    };
    println!(
        "{word}: {} ({what}{} files, {} bytes): {detail}",
        sanitize(&report.bundle),
        report.file_count,
        report.total_bytes
    );
    for signer in &report.signers {
        println!("  {}", signer_line(signer));
    }
    if let Some(head) = &report.custody_head {
        let count = report.custody.len();
        let events = if count == 1 { "event" } else { "events" };
        println!("  custody: {count} {events}, head {head}");
    }
    Ok(())
}

pub fn signer_line(signer: &SignerReport) -> String {
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
    let trust = if signer.trusted {
        "trusted"
    } else {
        "not trusted"
    };
    format!("signer {} {claimed}: {validity}, {trust}", signer.key_id)
}
