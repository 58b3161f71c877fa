//! `exhibit inspect`: what a bundle says about itself, without hashing or
//! listing the payload.

use exhibit::ops::inspect::inspect;
use exhibit::report::Inspection;
use exhibit::store::Bundle;

use super::common::load_trust;
use super::output::{print_json, print_problems, sanitize};
use super::verify::{signer_line, timestamp_note};
use super::{Context, InspectArgs, Status};
use exhibit::units::{count, human_size};

pub fn run(_ctx: &Context, args: &InspectArgs) -> anyhow::Result<Status> {
    let (trust, _) = load_trust(&args.trust)?;
    // Tag files only: what inspect reads does not grow with the payload.
    let bundle = Bundle::open_tag_files(&args.bundle)?;
    let report = inspect(&bundle, &trust);
    if args.json {
        print_json(&report)?;
    } else {
        print_inspection(&report, args.trust.trust_policy.is_some());
        print_problems(&report.problems, &[]);
    }
    Ok(Status::of_problems(&report.problems))
}

fn print_inspection(report: &Inspection, policy: bool) {
    println!("bundle       {}", sanitize(&report.bundle));
    if let Some(statement) = &report.statement {
        println!("case         {}", sanitize(&statement.case_id));
        println!("exhibit      {}", sanitize(&statement.exhibit_id));
        if let Some(d) = &statement.description {
            println!("description  {}", sanitize(d));
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
            println!("examiner     {examiner} (claimed)");
        }
        println!("sealed at    {}", statement.sealed_at);
        println!(
            "tool         {} {}",
            sanitize(&statement.tool.name),
            sanitize(&statement.tool.version)
        );
        for (key, value) in &statement.metadata {
            println!("meta         {}: {}", sanitize(key), sanitize(value));
        }
        println!(
            "payload      {}, {} (as sealed; not re-hashed)",
            count(statement.payload.file_count, "file"),
            human_size(statement.payload.total_bytes)
        );
        println!("merkle root  {}", statement.payload.merkle_root);
        if let Some(listed) = &report.payload_entries {
            println!(
                "zip lists    {}, {} (names and data not checked)",
                count(listed.files, "payload file"),
                human_size(listed.bytes)
            );
        }
        if let Some(d) = &report.disclosure {
            println!(
                "disclosure   {} of {} sealed files (proofs checked, files not re-hashed)",
                d.disclosed, d.sealed
            );
        }
        if !statement.symlinks.is_empty() {
            println!(
                "symlinks     {} recorded, not followed",
                statement.symlinks.len()
            );
        }
        if !statement.empty_directories.is_empty() {
            println!(
                "empty dirs   {} recorded",
                statement.empty_directories.len()
            );
        }
    } else {
        println!("kind         {}", report.kind.as_str());
    }
    for signer in &report.signers {
        println!("{}", signer_line(signer, policy));
    }
    for event in &report.custody {
        let actor = event
            .actor_name
            .as_deref()
            .map(sanitize)
            .unwrap_or_else(|| "(no name)".into());
        println!(
            "custody {:>3}  {}  {:<8} {} [{}]{}",
            event.sequence,
            event.time,
            event.action,
            actor,
            event.actor_key_id.short(),
            if event.signature_valid {
                ""
            } else {
                "  INVALID SIGNATURE"
            }
        );
        if let Some(note) = timestamp_note(event.timestamp.as_ref()) {
            println!("             {note}");
        }
    }
    if let Some(head) = &report.custody_head {
        println!("custody head {head}");
    }
    if let Some(record) = &report.evidence_record {
        let stamps = record.stamps.len();
        match &record.lapsed {
            None => println!(
                "evidence     {} archive time-stamp{}, covers {} tag files since {}",
                stamps,
                if stamps == 1 { "" } else { "s" },
                record.covers.len(),
                record
                    .proven_since
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            ),
            Some(why) => println!("evidence     does not hold: {}", sanitize(why)),
        }
    }
    if let Some(at) = &report.proof_expires {
        println!("proof until  {at} (renew before then: exhibit renew)");
    }
    println!("not checked  the payload files, their listing and the Merkle root: `exhibit verify` checks them");
}
