//! `exhibit disclose`: part of a bundle, with a proof per file.

use exhibit::ops::disclose::{disclose, DiscloseCustody, DiscloseRequest};

use super::common::{load_signing_key_at, party, resolve_time, Terminal};
use super::output::{error_line, problem_line, sanitize};
use super::{refused, Context, DiscloseArgs, Status};
use exhibit::units::human_size;

pub fn run(ctx: &Context, args: &DiscloseArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let signer = match &args.key {
        Some(path) => Some(load_signing_key_at(path, &args.passphrase)?),
        None => None,
    };
    let custody = signer.as_ref().map(|(key, identity)| DiscloseCustody {
        key,
        actor: party(identity, args.name.as_ref(), args.org.as_ref()),
        note: args.note.clone(),
    });
    let request = DiscloseRequest {
        bundle: &args.bundle,
        paths: &args.paths,
        output: &args.output,
        custody,
        time,
    };
    let summary = match disclose(request, &Terminal::new(ctx)) {
        Ok(summary) => summary,
        Err(e) => return refused(e),
    };
    if let Some(event) = &summary.event {
        for warning in &event.warnings {
            error_line(&format!("warning: {}", problem_line(warning)));
        }
    }
    if !ctx.quiet {
        println!(
            "disclosed {} of {} sealed files, {}, into {}",
            summary.disclosed,
            summary.sealed,
            human_size(summary.bytes),
            sanitize(&summary.output.display().to_string())
        );
        println!("proof sha256 {}", summary.proof_sha256);
        if let Some(event) = &summary.event {
            println!(
                "recorded custody event {} (disclose) in {}",
                event.sequence,
                sanitize(&args.bundle.display().to_string())
            );
            println!("head {}", event.head);
        }
    }
    Ok(Status::Success)
}
