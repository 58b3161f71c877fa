//! `exhibit ltv` and `exhibit renew`: validation material and the
//! evidence record that keep a bundle provable after its certificates
//! expire.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use exhibit::limits::{MAX_TOKEN_BYTES, MAX_VALIDATION_BYTES};
use exhibit::ops::ltv::{ltv, AddedMaterial, LtvOutcome, LtvRequest, MaterialSource};
use exhibit::ops::renew::{renew, RenewOutcome, RenewRequest, Renewal, StampSource};
use exhibit::trust::TrustSet;
use exhibit::tsp::HashAlgorithm;

use super::common::{http_authority, read_limited, resolve_time, roots_of, Terminal};
use super::output::sanitize;
use super::{refused, Context, LtvArgs, RenewArgs, RootArgs, Status};

/// The roots given, as a trust set that trusts nobody's signatures.
fn roots(args: &RootArgs) -> anyhow::Result<TrustSet> {
    Ok(TrustSet::default()
        .with_tsa_roots(roots_of(&args.tsa_ca)?)
        .with_cas(roots_of(&args.ca)?))
}

/// One line per piece of validation material added.
fn print_added(added: &[AddedMaterial]) {
    for piece in added {
        println!(
            "added {} for \"{}\": {} ({})",
            piece.kind.name(),
            sanitize(&piece.subject),
            piece.status,
            piece.path
        );
    }
}

pub fn run_ltv(ctx: &Context, args: &LtvArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let trust = roots(&args.roots)?;
    let attached: Vec<(PathBuf, Vec<u8>)> = args
        .attach
        .iter()
        .map(|path| {
            read_limited(path, MAX_VALIDATION_BYTES)
                .with_context(|| format!("{}: cannot be read; nothing attached", path.display()))
                .map(|bytes| (path.clone(), bytes))
        })
        .collect::<anyhow::Result<_>>()?;
    let source = match &args.request_dir {
        Some(dir) => MaterialSource::RequestDir(dir),
        None if !attached.is_empty() => MaterialSource::Attach(&attached),
        None => MaterialSource::Online(Duration::from_secs(args.timeout)),
    };
    let request = LtvRequest {
        bundle: &args.bundle,
        trust: &trust,
        source,
        time,
    };
    let bundle = sanitize(&args.bundle.display().to_string());
    match ltv(&request, &Terminal::new(ctx)) {
        Ok(LtvOutcome::Added { added, no_source }) => {
            if ctx.quiet {
                return Ok(Status::Success);
            }
            print_added(&added);
            for subject in &no_source {
                println!(
                    "\"{}\" names no OCSP responder and no CRL distribution point: nothing to fetch",
                    sanitize(subject)
                );
            }
            if added.is_empty() && no_source.is_empty() {
                println!("{bundle} relies on no certificate chain that needs validation material (are --tsa-ca / --ca given?); nothing added");
            }
            Ok(Status::Success)
        }
        Ok(LtvOutcome::RequestsWritten(written)) => {
            if !ctx.quiet {
                for (path, what) in &written {
                    println!(
                        "wrote {}: {}",
                        sanitize(&path.display().to_string()),
                        sanitize(what)
                    );
                }
                println!("fetch each, then: exhibit ltv {bundle} --attach FILE...");
            }
            Ok(Status::Success)
        }
        Err(e) => refused(e),
    }
}

pub fn run_renew(ctx: &Context, args: &RenewArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let trust = roots(&args.roots)?;
    let hash = args.hash.as_deref().and_then(HashAlgorithm::from_name);
    let attached = args
        .attach
        .as_ref()
        .map(|path| {
            read_limited(path, MAX_TOKEN_BYTES)
                .with_context(|| format!("{}: cannot be read; nothing attached", path.display()))
                .map(|bytes| (path.clone(), bytes))
        })
        .transpose()?;
    let authority = args
        .tsa
        .as_deref()
        .map(|url| http_authority(ctx, url, args.tsa_timeout))
        .transpose()?;
    let source = match (&authority, &args.request_dir, &attached) {
        (Some(authority), _, _) => {
            StampSource::Online(authority, Duration::from_secs(args.tsa_timeout))
        }
        (None, Some(dir), _) => StampSource::RequestDir(dir),
        (None, None, Some((path, bytes))) => StampSource::Attach(path, bytes),
        (None, None, None) => {
            anyhow::bail!("give --tsa URL, --request-dir DIR or --attach FILE.tsr")
        }
    };
    let request = RenewRequest {
        bundle: &args.bundle,
        source,
        hash,
        trust: &trust,
        time,
    };
    let bundle = sanitize(&args.bundle.display().to_string());
    match renew(&request, &Terminal::new(ctx)) {
        Ok(RenewOutcome::Renewed {
            renewal,
            algorithm,
            covered,
            gen_time,
            tsa,
            material,
        }) => {
            if ctx.quiet {
                return Ok(Status::Success);
            }
            let what = match renewal {
                Renewal::Started => format!(
                    "started the evidence record: an archive time-stamp ({}) over {} tag files",
                    algorithm.name(),
                    covered
                ),
                Renewal::TimeStamp => {
                    "renewed the evidence record: a new archive time-stamp over the last one"
                        .to_string()
                }
                Renewal::HashTree => format!(
                    "renewed the evidence record: a new {} chain over {} tag files and the earlier chains",
                    algorithm.name(),
                    covered
                ),
            };
            println!("{what}, {gen_time} by TSA \"{}\"", sanitize(&tsa));
            print_added(&material);
            Ok(Status::Success)
        }
        Ok(RenewOutcome::QueryWritten(path)) => {
            if !ctx.quiet {
                println!("wrote {}", sanitize(&path.display().to_string()));
                let hash = args
                    .hash
                    .as_deref()
                    .map(|h| format!(" --hash {h}"))
                    .unwrap_or_default();
                println!(
                    "have the TSA answer it, then: exhibit renew {bundle} --attach FILE.tsr{hash}"
                );
            }
            Ok(Status::Success)
        }
        Err(e) => refused(e),
    }
}
