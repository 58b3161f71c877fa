//! `exhibit disclose`: part of a bundle, with a proof per file.

use exhibit::ops::disclose::{disclose, DiscloseCustody, DiscloseRequest, Revealed};

use super::common::{party, resolve_time, tsa_authority, Loaded, Terminal};
use super::output::{error_line, problem_line, sanitize};
use super::{refused, Context, DiscloseArgs, Status};
use exhibit::tsp::http::Authority;
use exhibit::units::{count, group_digits, human_size};

pub fn run(ctx: &Context, args: &DiscloseArgs) -> anyhow::Result<Status> {
    if args.tsa.tsa.is_some() && args.key.is_none() && args.cert.is_none() {
        anyhow::bail!("--tsa time-stamps the disclose event, which needs --key KEY");
    }
    let time = resolve_time(&args.time)?;
    let tsa = tsa_authority(ctx, &args.tsa)?;
    let signer = Loaded::open_if_given(
        args.key.as_deref(),
        args.cert.as_deref(),
        &args.cert_chain,
        &args.passphrase,
    )?;
    let custody = signer.as_ref().map(|loaded| DiscloseCustody {
        key: loaded.signer(),
        actor: party(&loaded.identity(), args.name.as_ref(), args.org.as_ref()),
        note: args.note.clone(),
        tsa: tsa.as_ref().map(|t| t as &dyn Authority),
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
            group_digits(summary.disclosed),
            group_digits(summary.sealed),
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

/// What the disclosure bundle will tell of the files it leaves out, said
/// before it is written: the seal statement it carries gives the whole
/// payload's count and size, so the rest's count and total size follow.
pub fn what_is_revealed(revealed: &Revealed) -> String {
    let size = human_size(revealed.left_out_bytes);
    match revealed.left_out {
        0 => "reveals: every sealed file; nothing is left out".to_string(),
        1 => format!(
            "reveals: the 1 file left out has exactly {size} (the seal's total minus the disclosed sizes); not its name or content"
        ),
        n => format!(
            "reveals: {} left out, {size} in all; not their names, contents or sizes one by one",
            count(n, "file")
        ),
    }
}
