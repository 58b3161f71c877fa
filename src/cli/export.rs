//! `exhibit export case BUNDLE -o FILE.jsonld`: the seal, payload files and
//! custody events as CASE / UCO JSON-LD.

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use exhibit::fsx::{write_atomically, Overwrite};
use exhibit::ops::export::export_source;
use exhibit::report::case::{case_jsonld, CaseInput};
use exhibit::report::Outcome;
use exhibit::time::UtcTime;

use super::common::{load_trust, open_bundle, Terminal};
use super::output::{print_problems, sanitize};
use super::{Context, ExportCaseArgs, Status};
use exhibit::units::count;

pub fn run_case(ctx: &Context, args: &ExportCaseArgs) -> anyhow::Result<Status> {
    let (trust, _) = load_trust(&args.trust)?;
    let checked_at = UtcTime::now();
    let bundle = open_bundle(&args.bundle)?;
    let source = export_source(&bundle, &trust, &Terminal::new(ctx));
    let input = CaseInput {
        seed: &source.seed,
        seal_sha256: source
            .seal_bytes
            .as_ref()
            .map(|bytes| hex::encode(Sha256::digest(bytes))),
        checked_at: Some(checked_at),
    };
    let document = case_jsonld(&source.report, &input);
    let mut bytes = serde_json::to_vec_pretty(&document)?;
    bytes.push(b'\n');
    write_atomically(&args.output, &bytes, 0o644, Overwrite::Allow)
        .with_context(|| args.output.display().to_string())?;
    // The verdict travels in the file; the exit code says it too, as
    // `verify` does (1 failed, 3 untrusted), the file written either way.
    print_problems(&ctx.texts, &source.report.problems, &source.report.warnings);
    if !ctx.quiet {
        println!(
            "exported {} and {} to {} (verdict: {})",
            count(source.report.payload.len() as u64, "file"),
            count(source.report.custody.len() as u64, "custody event"),
            sanitize(&args.output.display().to_string()),
            match source.report.status {
                Outcome::Verified => "verified",
                Outcome::Untrusted => "untrusted",
                Outcome::Failed => "failed",
            }
        );
    }
    Ok(source.report.status.into())
}
