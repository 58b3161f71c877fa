//! `exhibit custody add | log | replay`.

use std::io::Write;

use exhibit::format::custody::Action;
use exhibit::keys::{self, KeyId, PublicKey};
use exhibit::ops::custody::{add, check_hand_over, log, replay, AddRequest, ExpectedHead};
use exhibit::report::{CustodyTimeline, Outcome};

use exhibit::tsp::http::Authority;

use super::common::{
    load_trust, open_bundle, party, require_exists, resolve_time, tsa_authority, tsa_roots, Loaded,
    Terminal, TrustGiven,
};
use super::output::{error_line, print_json, print_problems, problem_line, sanitize};
use super::verify::timestamp_note;
use anyhow::Context as _;

use super::{refused, Context, CustodyAddArgs, CustodyLogArgs, CustodyReplayArgs, Status};

pub fn run_add(ctx: &Context, args: &CustodyAddArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let tsa = tsa_authority(ctx, &args.tsa)?;
    let action: Action = args.action.parse().map_err(anyhow::Error::msg)?;
    let recipient: Option<KeyId> = args
        .to_key
        .as_ref()
        .map(|path| PublicKey::load(path).map(|k| k.key_id()))
        .transpose()?;
    // Before a passphrase is asked for: the bundle must be there, and the
    // key beside the secret key (NAME.pub) be one the hand-over rules let
    // act now; the unlocked key is checked again when the event is added.
    require_exists(&args.bundle)?;
    let claimed = args
        .key
        .key
        .as_ref()
        .and_then(|key| PublicKey::load(&keys::public_key_path(key)).ok());
    if let Some(claimed) = claimed {
        if let Err(e) = check_hand_over(&args.bundle, action, &claimed.key_id()) {
            return refused(e);
        }
    }
    let loaded = Loaded::open(&args.key)?;
    let identity = loaded.identity();
    let request = AddRequest {
        bundle: &args.bundle,
        key: loaded.signer(),
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
        Err(e) => refused(e),
    }
}

/// `-q` drops nothing here: the timeline is what the command is for.
pub fn run_log(_ctx: &Context, args: &CustodyLogArgs) -> anyhow::Result<Status> {
    let mut roots = Vec::new();
    for path in &args.tsa_ca {
        roots.extend(tsa_roots(path)?);
    }
    let bundle = open_bundle(&args.bundle)?;
    let log = log(&bundle, roots);
    print_timeline(&log, args.json)?;
    // `log` shows the timeline; trust is `replay`'s business.
    Ok(Status::of_problems(&log.problems))
}

pub fn run_replay(ctx: &Context, args: &CustodyReplayArgs) -> anyhow::Result<Status> {
    let expect_head: Option<ExpectedHead> = args
        .expect_head
        .as_deref()
        .map(str::parse)
        .transpose()
        .context("--expect-head")?;
    let (trust, given) = load_trust(&args.trust)?;
    let bundle = open_bundle(&args.bundle)?;
    // Exit codes as for verify: 0 intact and a seal signer (who is also the
    // seal event's actor or a co-signer) is trusted; 3 intact, nobody trusted.
    let (outcome, log) = replay(&bundle, &trust, expect_head.as_ref());
    if ctx.quiet && outcome == Outcome::Verified && !args.json {
        return Ok(outcome.into());
    }
    print_timeline(&log, args.json)?;
    if !args.json {
        let trusted = exhibit::report::trusted_keys(&log.signers).len();
        for line in super::verify::policy_lines(&log.trust, trusted, &log.events) {
            println!("  {line}");
        }
        println!("{}", replay_verdict(outcome, &log, &given));
    }
    Ok(outcome.into())
}

/// The last line of `custody replay`, as `verify` ends with its verdict:
/// for an intact chain nobody trusted, the decisive reason.
fn replay_verdict(outcome: Outcome, log: &CustodyTimeline, given: &TrustGiven) -> String {
    let events = match log.events.len() {
        1 => "1 event".to_string(),
        n => format!("{n} events"),
    };
    let head = log
        .head
        .as_deref()
        .map(|h| format!("; head {h} (compare it with the sender's by another channel)"))
        .unwrap_or_default();
    let bundle = sanitize(&log.bundle);
    match outcome {
        Outcome::Verified => format!(
            "VERIFIED: {bundle}: custody chain of {events} intact, seal signed by a trusted key{head}"
        ),
        Outcome::Untrusted if given.policy => {
            let (trusted, needed) = (exhibit::report::trusted_keys(&log.signers).len(), log.trust.min_signers);
            let reason = if trusted < needed {
                format!("the trust policy needs {needed} trusted seal signature(s), {trusted} found")
            } else {
                "the trust policy does not trust every custody event (listed above)".to_string()
            };
            format!("UNTRUSTED: {bundle}: custody chain of {events} intact, but {reason}{head}")
        }
        Outcome::Untrusted if !given.keys.is_empty() => format!(
            "UNTRUSTED: {bundle}: custody chain of {events} intact, but no --trust key signed the seal{head}"
        ),
        Outcome::Untrusted => format!(
            "UNTRUSTED: {bundle}: custody chain of {events} intact, but no --trust given: nobody is trusted{head}"
        ),
        Outcome::Failed => {
            let n = log.problems.len();
            let problems = if n == 1 { "1 problem".to_string() } else { format!("{n} problems") };
            format!("FAILED: {bundle}: {problems} (listed above)")
        }
    }
}

fn print_timeline(log: &CustodyTimeline, json: bool) -> anyhow::Result<()> {
    print_problems(&log.problems, &log.warnings);
    if json {
        return print_json(log);
    }
    let mut out = std::io::stdout().lock();
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
