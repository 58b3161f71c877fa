//! `exhibit inspect`: what a bundle says about itself, without hashing or
//! listing the payload.

use exhibit::ops::inspect::inspect;
use exhibit::report::Inspection;
use exhibit::store::Bundle;

use super::common::load_trust;
use super::output::{print_json, print_problems, sanitize};
use super::verify::{signer_line, timestamp_note};
use super::{Context, InspectArgs, Status};
use exhibit::i18n::Texts;
use exhibit::t;

pub fn run(ctx: &Context, args: &InspectArgs) -> anyhow::Result<Status> {
    let (trust, _) = load_trust(&args.trust)?;
    // Tag files only: what inspect reads does not grow with the payload.
    let bundle = Bundle::open_tag_files(&args.bundle)?;
    let report = inspect(&bundle, &trust);
    if args.json {
        print_json(&report)?;
    } else {
        print_inspection(&ctx.texts, &report, args.trust.trust_policy.is_some());
        print_problems(&ctx.texts, &report.problems, &[]);
    }
    Ok(Status::of_problems(&report.problems))
}

fn print_inspection(texts: &Texts, report: &Inspection, policy: bool) {
    // "label        value": labels padded to one column, in characters.
    let line = |label: String, value: String| {
        let pad = 13usize.saturating_sub(label.chars().count()).max(1);
        println!("{label}{}{value}", " ".repeat(pad));
    };
    line(t!(texts, "inspect-bundle"), sanitize(&report.bundle));
    if let Some(statement) = &report.statement {
        line(t!(texts, "inspect-case"), sanitize(&statement.case_id));
        line(
            t!(texts, "inspect-exhibit"),
            sanitize(&statement.exhibit_id),
        );
        if let Some(d) = &statement.description {
            line(t!(texts, "inspect-description"), sanitize(d));
        }
        let examiner = [
            statement.examiner.name.as_deref(),
            statement.examiner.organization.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(sanitize)
        .collect::<Vec<_>>()
        .join(", ");
        if !examiner.is_empty() {
            line(
                t!(texts, "inspect-examiner"),
                t!(texts, "inspect-claimed", value = examiner),
            );
        }
        line(
            t!(texts, "inspect-sealed-at"),
            texts.date_time(&statement.sealed_at),
        );
        line(
            t!(texts, "inspect-tool"),
            format!(
                "{} {}",
                sanitize(&statement.tool.name),
                sanitize(&statement.tool.version)
            ),
        );
        for (key, value) in &statement.metadata {
            line(
                t!(texts, "inspect-meta"),
                format!("{}: {}", sanitize(key), sanitize(value)),
            );
        }
        line(
            t!(texts, "inspect-payload"),
            t!(
                texts,
                "inspect-payload-value",
                files = texts.count("count-files", statement.payload.file_count),
                size = texts.size(statement.payload.total_bytes)
            ),
        );
        line(
            t!(texts, "inspect-merkle-root"),
            statement.payload.merkle_root.to_string(),
        );
        if let Some(listed) = &report.payload_entries {
            line(
                t!(texts, "inspect-zip-lists"),
                t!(
                    texts,
                    "inspect-zip-lists-value",
                    files = texts.count("count-payload-files", listed.files),
                    size = texts.size(listed.bytes)
                ),
            );
        }
        if let Some(d) = &report.disclosure {
            line(
                t!(texts, "inspect-disclosure"),
                t!(
                    texts,
                    "inspect-disclosure-value",
                    disclosed = texts.number(d.disclosed),
                    sealed = texts.number(d.sealed)
                ),
            );
        }
        if !statement.symlinks.is_empty() {
            line(
                t!(texts, "inspect-symlinks"),
                t!(
                    texts,
                    "inspect-symlinks-value",
                    n = texts.number(statement.symlinks.len() as u64)
                ),
            );
        }
        if !statement.empty_directories.is_empty() {
            line(
                t!(texts, "inspect-empty-dirs"),
                t!(
                    texts,
                    "inspect-empty-dirs-value",
                    n = texts.number(statement.empty_directories.len() as u64)
                ),
            );
        }
    } else {
        line(t!(texts, "inspect-kind"), report.kind.as_str().to_string());
    }
    if let Some(statement) = &report.statement {
        for image in &statement.acquisition {
            println!("{}", super::verify::image_line(texts, image));
        }
    }
    for signer in &report.signers {
        println!("{}", signer_line(texts, signer, policy));
    }
    for event in &report.custody {
        let actor = event
            .actor_name
            .as_deref()
            .map(sanitize)
            .unwrap_or_else(|| t!(texts, "timeline-no-name"));
        println!(
            "{} {:>3}  {}  {:<8} {} [{}]{}",
            t!(texts, "inspect-custody"),
            event.sequence,
            event.time,
            event.action,
            actor,
            event.actor_key_id.short(),
            if event.signature_valid {
                String::new()
            } else {
                format!("  {}", t!(texts, "inspect-invalid-signature"))
            }
        );
        if let Some(note) = timestamp_note(texts, event.timestamp.as_ref()) {
            println!("             {note}");
        }
    }
    if let Some(head) = &report.custody_head {
        line(t!(texts, "inspect-custody-head"), head.to_string());
    }
    if let Some(record) = &report.evidence_record {
        let value = match &record.lapsed {
            None => t!(
                texts,
                "inspect-evidence-holds",
                stamps = texts.count("count-archive-time-stamps", record.stamps.len() as u64),
                tags = texts.number(record.covers.len() as u64),
                since = record
                    .proven_since
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            ),
            Some(why) => t!(texts, "inspect-evidence-lapsed", why = sanitize(why)),
        };
        line(t!(texts, "inspect-evidence"), value);
    }
    if let Some(at) = &report.proof_expires {
        line(
            t!(texts, "inspect-proof-until"),
            t!(texts, "inspect-proof-until-value", at = texts.date_time(at)),
        );
    }
    line(
        t!(texts, "inspect-not-checked"),
        t!(texts, "inspect-not-checked-value"),
    );
}
