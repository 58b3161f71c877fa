//! `exhibit disclose`: part of a bundle, with a proof per file.

use exhibit::ops::disclose::{disclose, DiscloseCustody, DiscloseRequest, Revealed};

use super::common::{party, resolve_time, tsa_authority, Loaded, Terminal};
use super::output::{error_line, sanitize, warning_line};
use super::{refused, Context, DiscloseArgs, Status};
use exhibit::i18n::Texts;
use exhibit::t;
use exhibit::tsp::http::Authority;

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
            error_line(&warning_line(&ctx.texts, warning));
        }
    }
    if !ctx.quiet {
        let texts = &ctx.texts;
        println!(
            "{}",
            t!(
                texts,
                "disclose-done",
                disclosed = texts.number(summary.disclosed),
                sealed = texts.number(summary.sealed),
                size = texts.size(summary.bytes),
                target = sanitize(&summary.output.display().to_string())
            )
        );
        println!(
            "{}",
            t!(
                texts,
                "disclose-proof",
                sha256 = summary.proof_sha256.to_string()
            )
        );
        if let Some(event) = &summary.event {
            println!(
                "{}",
                t!(
                    texts,
                    "disclose-custody-event",
                    sequence = event.sequence.to_string(),
                    bundle = sanitize(&args.bundle.display().to_string())
                )
            );
            println!(
                "{}",
                t!(texts, "disclose-head", head = event.head.to_string())
            );
        }
    }
    Ok(Status::Success)
}

/// What the disclosure bundle will tell of the files it leaves out, said
/// before it is written: the seal statement it carries gives the whole
/// payload's count and size, so the rest's count and total size follow.
pub fn what_is_revealed(texts: &Texts, revealed: &Revealed) -> String {
    let size = texts.size(revealed.left_out_bytes);
    match revealed.left_out {
        0 => t!(texts, "disclose-reveals-nothing-left-out"),
        1 => t!(texts, "disclose-reveals-one", size = size),
        n => t!(
            texts,
            "disclose-reveals-many",
            files = texts.count("count-files", n),
            size = size
        ),
    }
}
