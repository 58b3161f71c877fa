//! `exhibit audit`: a working copy against a bundle or a list of digests.

use std::io::IsTerminal as _;

use exhibit::ops::audit::{audit, Difference, KnownSource};

use super::common::Terminal;
use super::output::{print_json, sanitize, summary_line};
use super::{AuditArgs, Context, Status};

pub fn run(ctx: &Context, args: &AuditArgs) -> anyhow::Result<Status> {
    let source = match (&args.against, &args.known) {
        (Some(bundle), _) => KnownSource::Bundle(bundle),
        (None, Some(file)) => KnownSource::File(file),
        (None, None) => anyhow::bail!("give --against BUNDLE or --known FILE"),
    };
    let report = audit(
        &args.dir,
        source,
        args.resume.as_deref(),
        !ctx.quiet && std::io::stderr().is_terminal(),
        &Terminal::new(ctx),
    )?;
    let counts = report.counts;
    if args.json {
        print_json(&serde_json::json!({
            "schema": "exhibit.audit/1",
            "dir": args.dir.display().to_string(),
            "against": report.against,
            "known_files": report.known_files,
            "counts": counts,
            "resumed": report.resumed,
            "differences": report.differences,
        }))?;
    } else {
        for difference in &report.differences {
            println!("{}", difference_line(difference));
        }
    }
    let status = if counts.unreadable > 0 {
        Status::Unusable
    } else if report.all_matched() {
        Status::Success
    } else {
        Status::Failed
    };
    if !(ctx.quiet && status == Status::Success) {
        let mut line = format!(
            "audit of {} against {} ({} known files): {} matched, {} changed, {} new, {} moved, {} missing, {} unreadable",
            sanitize(&args.dir.display().to_string()),
            sanitize(&report.against),
            report.known_files,
            counts.matched,
            counts.changed,
            counts.new,
            counts.moved,
            counts.missing,
            counts.unreadable
        );
        if counts.not_regular > 0 {
            line.push_str(&format!(", {} not regular files", counts.not_regular));
        }
        if report.resumed > 0 {
            line.push_str(&format!(" ({} taken from the state file)", report.resumed));
        }
        summary_line(&line, args.json);
    }
    Ok(status)
}

/// One file that does not simply match, in one line.
fn difference_line(difference: &Difference) -> String {
    match difference {
        Difference::Changed { path, .. } => format!("changed     {}", sanitize(path)),
        Difference::New { path, .. } => format!("new         {}", sanitize(path)),
        Difference::Moved { path, from, .. } => {
            format!("moved       {} (was {})", sanitize(path), sanitize(from))
        }
        Difference::Missing { path } => format!("missing     {}", sanitize(path)),
        Difference::Unreadable { path, reason } => {
            format!("unreadable  {}: {}", sanitize(path), sanitize(reason))
        }
        Difference::NotRegular { path, what } => {
            format!("not-regular {} ({what}, not read)", sanitize(path))
        }
    }
}
