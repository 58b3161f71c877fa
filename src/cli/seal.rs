//! `exhibit seal`: seal sources into a new bundle.

use std::path::PathBuf;

use anyhow::Context as _;

use exhibit::format::acquisition::ImageResult;
use exhibit::ops::plan::check_parts;
use exhibit::ops::seal::{
    check_paths, seal, seal_finish, stale_partials, ImageChecks, SealError, SealRequest,
};

use exhibit::tsp::http::Authority;

use super::common::{party, resolve_time, tsa_authority, Loaded, Terminal};
use super::output::{error_line, sanitize};
use super::{Context, SealArgs, Status};
use exhibit::units::{count, human_size};

pub fn run(ctx: &Context, args: &SealArgs) -> anyhow::Result<Status> {
    if let (Some(plan), Some(shard)) = (&args.plan, args.shard) {
        return super::plan::run_seal_shard(ctx, args, plan, shard);
    }
    let (Some(case_id), Some(exhibit_id)) = (&args.case_id, &args.exhibit_id) else {
        anyhow::bail!("--case and --exhibit are needed to seal");
    };
    let time = resolve_time(&args.time)?;
    let tsa = tsa_authority(ctx, &args.tsa)?;
    let metadata = args
        .meta
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                Ok((key.trim().to_string(), value.to_string()))
            }
            _ => anyhow::bail!("--meta {pair:?}: expected KEY=VALUE"),
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // `--plan`: the parts are checked before anything else is read.
    let planned = match (&args.plan, &args.parts) {
        (Some(plan), Some(parts)) => match check_parts(plan, parts) {
            Ok(planned) => Some(planned),
            Err(error) => return super::refused(error),
        },
        _ => None,
    };
    let sources = planned
        .as_ref()
        .map_or(&args.sources[..], |p| &p.sources[..]);
    let finish = args.plan.as_deref().filter(|_| args.finish);
    // Before any passphrase prompt: sources, output (a finish reads no
    // source, and checks its own output).
    if finish.is_none() {
        check_paths(sources, &args.output)?;
    }
    for partial in stale_partials(&args.output) {
        let shown = sanitize(&partial.display().to_string());
        error_line(&format!(
            "warning: {shown} was left by an interrupted seal; if no other exhibit is writing it, remove it (rm -r '{shown}')"
        ));
    }
    let loaded = Loaded::open(&args.key)?;
    let identity = loaded.identity();
    let signer = party(&identity, None, None);
    let examiner = party(&identity, args.examiner.as_ref(), args.org.as_ref());
    let acquisition_logs = args
        .acquisition_log
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((image, log)) if !image.is_empty() && !log.is_empty() => {
                Ok((PathBuf::from(image), PathBuf::from(log)))
            }
            _ => Err(anyhow::anyhow!(
                "--acquisition-log {pair}: give the image and its log as SOURCE=LOG"
            )),
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let request = SealRequest {
        sources,
        output: &args.output,
        key: loaded.signer(),
        signer,
        case_id: case_id.clone(),
        exhibit_id: exhibit_id.clone(),
        examiner,
        description: args.description.clone(),
        metadata,
        time,
        tsa: tsa.as_ref().map(|t| t as &dyn Authority),
        planned: planned.as_ref(),
        images: ImageChecks {
            check: args.image_check == "auto",
            allow_mismatch: args.allow_image_mismatch,
        },
        acquisition_logs: &acquisition_logs,
    };
    let result = match finish {
        Some(plan) => seal_finish(&request, plan, &Terminal::new(ctx)),
        None => seal(&request, &Terminal::new(ctx)),
    };
    match result {
        Err(SealError::Plan(error)) => return super::refused(*error),
        // The evidence is not what its imager recorded: a finding, exit 1.
        Err(error @ SealError::ImageMismatch { .. }) => {
            error_line(&sanitize(&error.to_string()));
            error_line("try: seal it anyway, recorded as a mismatch, with --allow-image-mismatch");
            return Ok(Status::Failed);
        }
        _ => {}
    }
    let summary = result.with_context(|| format!("sealing {}", args.output.display()))?;
    if !ctx.quiet {
        println!(
            "sealed {}, {}, into {}",
            count(summary.file_count, "file"),
            human_size(summary.total_bytes),
            sanitize(&summary.output.display().to_string())
        );
        println!("signed by {}", loaded.describe());
        println!("merkle root {}", summary.merkle_root);
        println!("head {}", summary.custody_head);
        if summary.symlinks > 0 {
            println!("{} symbolic links recorded, not followed", summary.symlinks);
        }
        if summary.empty_directories > 0 {
            println!("{} empty folders recorded", summary.empty_directories);
        }
        for image in &summary.acquisition {
            println!("{}", image_line(image));
        }
    }
    Ok(Status::Success)
}

/// One image the seal checked: what it is and what its hashes say.
fn image_line(image: &exhibit::format::acquisition::Acquisition) -> String {
    let compared: Vec<&str> = image
        .stored
        .common(&image.computed)
        .into_iter()
        .map(|(algorithm, _, _)| algorithm)
        .collect();
    let result = match image.result {
        ImageResult::Match => format!("matches the {} its imager stored", compared.join(" and ")),
        ImageResult::Mismatch => "DOES NOT MATCH the hashes its imager stored (sealed as allowed, recorded as a mismatch)".to_string(),
        ImageResult::NoStoredHash => "its imager stored no hash; the media's hashes are recorded".to_string(),
    };
    format!(
        "image {} ({}, {} segment(s), {} bytes of media): {result}",
        sanitize(&image.path),
        image.format,
        image.segments,
        image.media_size
    )
}
