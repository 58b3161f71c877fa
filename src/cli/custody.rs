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
use super::output::{error_line, print_json, print_problems, sanitize, warning_line};
use super::verify::timestamp_note;
use anyhow::Context as _;
use exhibit::i18n::Texts;
use exhibit::t;

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
                error_line(&warning_line(&ctx.texts, warning));
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
pub fn run_log(ctx: &Context, args: &CustodyLogArgs) -> anyhow::Result<Status> {
    let mut roots = Vec::new();
    for path in &args.tsa_ca {
        roots.extend(tsa_roots(path)?);
    }
    let bundle = open_bundle(&args.bundle)?;
    let log = log(&bundle, roots);
    print_timeline(&ctx.texts, &log, args.json)?;
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
    print_timeline(&ctx.texts, &log, args.json)?;
    if !args.json {
        let trusted = exhibit::report::trusted_keys(&log.signers).len();
        for line in super::verify::policy_lines(&ctx.texts, &log.trust, trusted, &log.events) {
            println!("  {line}");
        }
        println!("{}", replay_verdict(&ctx.texts, outcome, &log, &given));
    }
    Ok(outcome.into())
}

/// The last line of `custody replay`, as `verify` ends with its verdict:
/// for an intact chain nobody trusted, the decisive reason.
fn replay_verdict(
    texts: &Texts,
    outcome: Outcome,
    log: &CustodyTimeline,
    given: &TrustGiven,
) -> String {
    let events = texts.count("count-events", log.events.len() as u64);
    let head = log
        .head
        .as_deref()
        .map(|h| t!(texts, "replay-head", head = h))
        .unwrap_or_default();
    let bundle = sanitize(&log.bundle);
    let untrusted = |reason: String| {
        t!(
            texts,
            "replay-untrusted",
            bundle = bundle.as_str(),
            events = events.as_str(),
            reason = reason,
            head = head.as_str()
        )
    };
    match outcome {
        Outcome::Verified => t!(
            texts,
            "replay-verified",
            bundle = bundle.as_str(),
            events = events.as_str(),
            head = head.as_str()
        ),
        Outcome::Untrusted if given.policy => {
            let (trusted, needed) = (
                exhibit::report::trusted_keys(&log.signers).len(),
                log.trust.min_signers,
            );
            untrusted(if trusted < needed {
                t!(
                    texts,
                    "replay-reason-too-few",
                    needed = needed.to_string(),
                    trusted = trusted.to_string()
                )
            } else {
                t!(texts, "replay-reason-events")
            })
        }
        Outcome::Untrusted if !given.keys.is_empty() => {
            untrusted(t!(texts, "replay-reason-no-trusted-key"))
        }
        Outcome::Untrusted => untrusted(t!(texts, "replay-reason-no-trust")),
        Outcome::Failed => t!(
            texts,
            "replay-failed",
            bundle = bundle.as_str(),
            problems = texts.count("count-problems", log.problems.len() as u64)
        ),
    }
}

fn print_timeline(texts: &Texts, log: &CustodyTimeline, json: bool) -> anyhow::Result<()> {
    print_problems(texts, &log.problems, &log.warnings);
    if json {
        return print_json(log);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:>4}  {:<20}  {:<8}  {:<36}  {:<16}  {}",
        t!(texts, "timeline-heading-seq"),
        t!(texts, "timeline-heading-time"),
        t!(texts, "timeline-heading-action"),
        t!(texts, "timeline-heading-actor"),
        t!(texts, "timeline-heading-recipient"),
        t!(texts, "timeline-heading-note"),
    )?;
    for event in &log.events {
        let actor = format!(
            "{} [{}]{}",
            event
                .actor_name
                .as_deref()
                .map(sanitize)
                .unwrap_or_else(|| t!(texts, "timeline-no-name")),
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
            note = t!(texts, "timeline-invalid-signature", note = note)
                .trim()
                .to_string();
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
        if let Some(note) = timestamp_note(texts, event.timestamp.as_ref()) {
            writeln!(out, "{:>4}  {note}", "")?;
        }
    }
    if let Some(head) = &log.head {
        writeln!(out, "{}", t!(texts, "timeline-head", head = head.as_str()))?;
    }
    if log.events.iter().any(|e| e.trusted) {
        writeln!(out, "{}", t!(texts, "timeline-trusted-key"))?;
    }
    Ok(())
}
