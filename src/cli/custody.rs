//! `exhibit custody add | log | replay`.

use std::io::Write;

use exhibit::format::custody::Action;
use exhibit::keys::{KeyId, PublicKey};
use exhibit::ops::custody::{add, timeline, AddRequest, AppendError, ExpectedHead};
use exhibit::report::CustodyTimeline;
use exhibit::trust::TrustSet;

use exhibit::tsp::http::Authority;

use super::common::{
    load_signing_key, load_trust, open_bundle, party, resolve_time, tsa_authority, Terminal,
};
use super::output::{error_line, print_json, print_problems, problem_line, sanitize};
use super::verify::timestamp_note;
use super::{Context, CustodyAddArgs, CustodyLogArgs, CustodyReplayArgs, Status};

pub fn run_add(ctx: &Context, args: &CustodyAddArgs) -> anyhow::Result<Status> {
    let time = resolve_time(ctx)?;
    let tsa = tsa_authority(&args.tsa)?;
    let action: Action = args.action.parse().map_err(anyhow::Error::msg)?;
    let recipient: Option<KeyId> = args
        .to_key
        .as_ref()
        .map(|path| PublicKey::load(path).map(|k| k.key_id()))
        .transpose()?;
    let (key, identity) = load_signing_key(&args.key)?;
    let request = AddRequest {
        bundle: &args.bundle,
        key: &key,
        actor: party(&identity, args.name.as_ref(), args.org.as_ref()),
        action,
        recipient,
        note: args.note.clone(),
        location: args.location.clone(),
        time,
        tsa: tsa.as_ref().map(|t| t as &dyn Authority),
    };
    match add(request, &Terminal::new(ctx)) {
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
        Err(e) => match &e {
            AppendError::DoesNotVerify { problems, .. } => {
                print_problems(problems, &[]);
                error_line(&e.to_string());
                Ok(Status::Failed)
            }
            AppendError::Refused { .. } => {
                error_line(&e.to_string());
                Ok(Status::Failed)
            }
            _ => Err(e.into()),
        },
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
    let expect_head = args.expect_head.as_deref().map(ExpectedHead::new);
    let log = timeline(&bundle, &trust, expect_head.as_ref());
    print_timeline(ctx, &log, args.json)?;
    Ok(log.status.into())
}

fn print_timeline(ctx: &Context, log: &CustodyTimeline, json: bool) -> anyhow::Result<()> {
    print_problems(&log.problems, &log.warnings);
    if json {
        return print_json(log);
    }
    let mut out = std::io::stdout().lock();
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
        if let Some(note) = timestamp_note(event.timestamp.as_ref()) {
            writeln!(out, "{:>4}  {note}", "")?;
        }
    }
    if let Some(head) = &log.head {
        writeln!(out, "head {head}")?;
    }
    if log.events.iter().any(|e| e.trusted) {
        writeln!(out, "* trusted key")?;
    }
    Ok(())
}
