//! `exhibit timestamp`: add RFC 3161 tokens to the signatures that have
//! none, online or through query and response files.

use std::path::PathBuf;

use anyhow::Context as _;

use exhibit::limits::MAX_TOKEN_BYTES;
use exhibit::ops::timestamp::{timestamp, TimestampOutcome, TimestampRequest, TokenSource};

use super::common::{http_authority, read_limited, resolve_time, Terminal};
use super::output::sanitize;
use super::{refused, Context, Status, TimestampArgs};

pub fn run(ctx: &Context, args: &TimestampArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let attached: Vec<(PathBuf, Vec<u8>)> = args
        .attach
        .iter()
        .map(|path| {
            read_limited(path, MAX_TOKEN_BYTES)
                .with_context(|| format!("{}: cannot be read; nothing attached", path.display()))
                .map(|bytes| (path.clone(), bytes))
        })
        .collect::<anyhow::Result<_>>()?;
    let authority = args
        .tsa
        .as_deref()
        .map(|url| http_authority(ctx, url, args.tsa_timeout))
        .transpose()?;
    let source = match (&authority, &args.request_dir) {
        (Some(authority), _) => TokenSource::Online(authority),
        (None, Some(dir)) => TokenSource::QueryDir(dir),
        (None, None) => TokenSource::Attach(&attached),
    };
    let request = TimestampRequest {
        bundle: &args.bundle,
        source,
        time,
    };
    let bundle = sanitize(&args.bundle.display().to_string());
    match timestamp(&request, &Terminal::new(ctx)) {
        Ok(TimestampOutcome::Added(added)) => {
            if ctx.quiet {
                return Ok(Status::Success);
            }
            if added.is_empty() {
                println!("no signature of {bundle} lacks a time-stamp token; nothing added");
            }
            for token in &added {
                println!(
                    "time-stamped {}: {} by TSA \"{}\" ({})",
                    token.target,
                    token.gen_time,
                    sanitize(&token.tsa),
                    token.path
                );
            }
            Ok(Status::Success)
        }
        Ok(TimestampOutcome::QueriesWritten(written)) => {
            if ctx.quiet {
                return Ok(Status::Success);
            }
            if written.is_empty() {
                println!("no signature of {bundle} lacks a time-stamp token; no query written");
            }
            for (target, path) in &written {
                println!(
                    "wrote {} for {target}",
                    sanitize(&path.display().to_string())
                );
            }
            if !written.is_empty() {
                println!(
                    "have the TSA answer each query, then: exhibit timestamp {bundle} --attach FILE.tsr..."
                );
            }
            Ok(Status::Success)
        }
        Err(e) => refused(e),
    }
}
