//! `exhibit extract`: verify, then write the payload out.

use exhibit::ops::extract::{check_target, extract, ExtractRequest};
use exhibit::report::Outcome;

use super::common::{load_trust, open_bundle, Terminal};
use super::output::{error_line, sanitize, summary_line};
use super::verify::emit;
use super::{Context, ExtractArgs, Status};
use exhibit::t;

pub fn run(ctx: &Context, args: &ExtractArgs) -> anyhow::Result<Status> {
    let (trust, given) = load_trust(&args.trust)?;
    let target = &args.output;
    // Before opening the bundle: a full target is a usage error.
    check_target(target)?;
    let bundle = open_bundle(&args.bundle)?;
    let extraction = extract(
        &ExtractRequest {
            bundle: &bundle,
            target,
            trust: &trust,
            allow_untrusted: args.allow_untrusted,
        },
        &Terminal::new(ctx),
    )?;
    let report = &extraction.report;
    emit(ctx, report, &given, args.json)?;
    let Some(written) = &extraction.written else {
        let why = if report.status == Outcome::Untrusted {
            t!(ctx.texts, "extract-refused-untrusted")
        } else {
            t!(ctx.texts, "extract-refused-failed")
        };
        error_line(&t!(
            ctx.texts,
            "extract-nothing",
            target = sanitize(&target.display().to_string()),
            why = why
        ));
        return Ok(report.status.into());
    };
    if !ctx.quiet {
        let line = t!(
            ctx.texts,
            "extract-done",
            files = ctx.texts.count("count-files", report.file_count),
            size = ctx.texts.size(report.total_bytes),
            target = sanitize(&written.display().to_string())
        );
        summary_line(&line, args.json);
    }
    Ok(report.status.into())
}
