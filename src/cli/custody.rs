//! `exhibit custody add | log | replay`.

use std::io::Write;

use anyhow::Context as _;
use serde::Serialize;

use exhibit::custody::{self, append_event, Action, AddRequest, AppendError};
use exhibit::keys::{KeyId, PublicKey};
use exhibit::report::{CustodyEntry, Outcome, Problem, ProblemCode, SignerReport};
use exhibit::store::Bundle;
use exhibit::verify::{verify, TrustSet, VerifyOptions};

use super::common::{load_signing_key, load_trust, open_bundle, party, resolve_time};
use super::output::{error_line, sanitize};
use super::verify::problem_line;
use super::{Context, CustodyAddArgs, CustodyLogArgs, CustodyReplayArgs, Refusal, Status};

pub fn run_add(ctx: &Context, args: &CustodyAddArgs) -> anyhow::Result<Status> {
    let time = resolve_time(ctx)?;
    let action: Action = args.action.parse().map_err(anyhow::Error::msg)?;
    let recipient: Option<KeyId> = args
        .to_key
        .as_ref()
        .map(|path| PublicKey::load(path).map(|k| k.key_id()))
        .transpose()?;
    let (key, identity) = load_signing_key(&args.key)?;
    open_bundle(&args.bundle)?;
    let lock = Bundle::lock(&args.bundle, &|| {
        error_line("waiting for another exhibit process to finish with this bundle")
    })?;
    let bundle = open_bundle(&args.bundle)?;
    // Never extend the log of a bundle whose seal, signatures or tag files do
    // not check out (the payload is not re-hashed: appending stays fast).
    let checked = timeline(&bundle, &TrustSet::default(), None);
    if !checked.problems.is_empty() {
        for problem in &checked.problems {
            error_line(&problem_line(problem));
        }
        return Err(Refusal::failed(format!(
            "{}: does not verify; no custody event added",
            args.bundle.display()
        )));
    }
    let request = AddRequest {
        key: &key,
        actor: party(&identity, args.name.as_ref(), args.org.as_ref()),
        action,
        recipient,
        note: args.note.clone(),
        location: args.location.clone(),
        time,
    };
    match append_event(&bundle, &lock, request) {
        Ok(appended) => {
            for warning in &appended.warnings {
                error_line(&format!("warning: {}", problem_line(warning)));
            }
            if !ctx.quiet {
                println!("recorded custody event {} ({action})", appended.sequence);
                println!("head {}", appended.head);
            }
            Ok(Status::Success)
        }
        Err(AppendError::BrokenChain { problems }) => {
            for problem in &problems {
                error_line(&problem_line(problem));
            }
            Err(Refusal::failed(format!(
                "{}: the custody chain does not check out; no event added",
                args.bundle.display()
            )))
        }
        Err(AppendError::Refused(reason)) => Err(Refusal::failed(format!(
            "{}: {reason}",
            args.bundle.display()
        ))),
        Err(e) => Err(e).with_context(|| args.bundle.display().to_string()),
    }
}

/// The custody log as checked, for `log` and `replay`.
#[derive(Serialize)]
struct Timeline {
    bundle: String,
    status: Outcome,
    events: Vec<CustodyEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<String>,
    signers: Vec<SignerReport>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

/// Re-checks everything but the payload bytes: seal statement and its tag
/// digests, seal signatures, and every custody event (the same checks
/// `verify` runs, without hashing the evidence).
fn timeline(bundle: &Bundle, trust: &TrustSet, expect_head: Option<&str>) -> Timeline {
    let options = VerifyOptions {
        trust,
        progress: &|_| {},
        extract_to: None,
        hash_payload: false,
    };
    let mut report = verify(bundle, &options);
    if let Some(expected) = expect_head {
        if report.custody_head.as_deref() != Some(expected.trim()) {
            report.problems.push(Problem::new(
                ProblemCode::CustodyHeadMismatch,
                Some(custody::CUSTODY_DIR),
                format!(
                    "the log ends at {}, expected {}: events were removed, added or forked",
                    report.custody_head.as_deref().unwrap_or("(nothing)"),
                    sanitize(expected)
                ),
            ));
        }
        report.finish();
    }
    Timeline {
        bundle: report.bundle,
        status: report.status,
        events: report.custody,
        head: report.custody_head,
        signers: report.signers,
        problems: report.problems,
        warnings: report.warnings,
    }
}

pub fn run_log(ctx: &Context, args: &CustodyLogArgs) -> anyhow::Result<Status> {
    let bundle = open_bundle(&args.bundle)?;
    let log = timeline(&bundle, &TrustSet::default(), None);
    print_timeline(ctx, &log, args.json)?;
    // `log` shows the timeline; trust is `replay`'s business.
    Ok(if log.problems.is_empty() {
        Status::Success
    } else {
        Status::Failed
    })
}

pub fn run_replay(ctx: &Context, args: &CustodyReplayArgs) -> anyhow::Result<Status> {
    let trust = load_trust(&args.trust)?;
    let bundle = open_bundle(&args.bundle)?;
    // Exit codes as for verify: 0 intact and a seal signer (who is also the
    // seal event's actor or a co-signer) is trusted; 3 intact, nobody trusted.
    let log = timeline(&bundle, &trust, args.expect_head.as_deref());
    print_timeline(ctx, &log, args.json)?;
    Ok(match log.status {
        Outcome::Verified => Status::Success,
        Outcome::Untrusted => Status::Untrusted,
        Outcome::Failed => Status::Failed,
    })
}

fn print_timeline(ctx: &Context, log: &Timeline, json: bool) -> anyhow::Result<()> {
    for problem in &log.problems {
        error_line(&problem_line(problem));
    }
    for warning in &log.warnings {
        error_line(&format!("warning: {}", problem_line(warning)));
    }
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, log)?;
        writeln!(out)?;
        return Ok(());
    }
    if ctx.quiet && log.problems.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{:>4}  {:<20}  {:<8}  {:<36}  {:<16}  NOTE",
        "SEQ", "TIME", "ACTION", "ACTOR", "RECIPIENT"
    )?;
    for event in &log.events {
        let actor = format!(
            "{} [{}]{}",
            event
                .actor_name
                .as_deref()
                .map(sanitize)
                .unwrap_or_else(|| "(no name)".into()),
            event.actor_key_id.short(),
            if event.trusted { "*" } else { "" }
        );
        let recipient = event
            .recipient_key_id
            .map(|k| k.short())
            .unwrap_or_default();
        let mut note = event.note.as_deref().map(sanitize).unwrap_or_default();
        if let Some(location) = &event.location {
            note = format!("{note} @ {}", sanitize(location))
                .trim()
                .to_string();
        }
        if !event.signature_valid {
            note = format!("INVALID SIGNATURE {note}");
        }
        writeln!(
            out,
            "{:>4}  {:<20}  {:<8}  {:<36}  {:<16}  {}",
            event.sequence,
            event.time.to_string(),
            event.action,
            actor,
            recipient,
            note
        )?;
    }
    if let Some(head) = &log.head {
        writeln!(out, "head {head}")?;
    }
    if log.events.iter().any(|e| e.trusted) {
        writeln!(out, "* trusted key")?;
    }
    Ok(())
}
