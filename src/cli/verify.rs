//! `exhibit verify`, `exhibit extract` and `exhibit inspect`: run the
//! checks, print the report, map the outcome to an exit code.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use exhibit::paths::BagPath;
use exhibit::report::{Outcome, Report};
use exhibit::verify::{payload_bytes, verify, TrustSet, VerifyOptions};

use super::common::{keep_on_interrupt, load_trust, open_bundle, remove_on_interrupt};
use super::output::{byte_progress, error_line, sanitize};
use super::{Context, ExtractArgs, InspectArgs, Status, VerifyArgs};

pub fn run_verify(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<Status> {
    let trust = load_trust(&args.trust)?;
    let bundle = open_bundle(&args.bundle)?;
    let report = run_checks(ctx, &bundle, &trust, None, true);
    if let Some(path) = &args.report {
        write_html(path, &report)?;
    }
    emit(ctx, &report, args.json)?;
    Ok(status_of(&report))
}

pub fn run_extract(ctx: &Context, args: &ExtractArgs) -> anyhow::Result<Status> {
    let trust = load_trust(&args.trust)?;
    let target = &args.output;
    let target_was_empty_dir = match std::fs::read_dir(target) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                anyhow::bail!(
                    "{}: not empty; extract needs an absent or empty folder",
                    target.display()
                );
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e).with_context(|| target.display().to_string()),
    };
    let bundle = open_bundle(&args.bundle)?;

    // Extract into a temporary folder beside the target in the same pass as
    // verification; it becomes the target only if verification passes.
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| parent.display().to_string())?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "extract".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.partial-"))
        .tempdir_in(&parent)
        .with_context(|| parent.display().to_string())?;
    remove_on_interrupt(staging.path());
    let report = run_checks(ctx, &bundle, &trust, Some(staging.path()), true);
    emit(ctx, &report, args.json)?;
    let status = status_of(&report);
    let allowed =
        status == Status::Success || (status == Status::Untrusted && args.allow_untrusted);
    if !allowed {
        keep_on_interrupt(staging.path());
        let why = if status == Status::Untrusted {
            "no --trust key signed the seal (use --allow-untrusted to extract anyway)"
        } else {
            "verification failed"
        };
        error_line(&format!(
            "nothing extracted to {}: {why}",
            sanitize(&target.display().to_string())
        ));
        return Ok(status);
    }
    // Folders the seal recorded as empty (BagIt cannot carry them).
    for folder in report.statement.iter().flat_map(|s| &s.empty_directories) {
        let Some(relative) = BagPath::parse(folder)
            .ok()
            .and_then(|p| p.strip_data().map(str::to_owned))
        else {
            continue;
        };
        let path = BagPath::parse(&relative).map(|p| p.to_fs_path(staging.path()));
        if let Ok(path) = path {
            std::fs::create_dir_all(&path).with_context(|| path.display().to_string())?;
        }
    }
    if target_was_empty_dir {
        std::fs::remove_dir(target).with_context(|| target.display().to_string())?;
    }
    #[cfg(unix)]
    {
        // Temporary folders are private (0700); the extracted folder is not.
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755));
    }
    let staged = staging.keep();
    keep_on_interrupt(&staged);
    if let Err(e) = std::fs::rename(&staged, target) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e)
            .with_context(|| format!("moving the extracted payload to {}", target.display()));
    }
    if !ctx.quiet && !args.json {
        println!(
            "extracted {} files ({} bytes) to {}",
            report.file_count,
            report.total_bytes,
            sanitize(&target.display().to_string())
        );
    }
    Ok(status)
}

pub fn run_inspect(ctx: &Context, args: &InspectArgs) -> anyhow::Result<Status> {
    let trust = load_trust(&args.trust)?;
    let bundle = open_bundle(&args.bundle)?;
    let report = run_checks(ctx, &bundle, &trust, None, false);
    if args.json {
        print_json(&report)?;
    } else {
        print_inspection(&report);
        for problem in &report.problems {
            error_line(&problem_line(problem));
        }
    }
    Ok(if report.problems.is_empty() {
        Status::Success
    } else {
        Status::Failed
    })
}

fn run_checks(
    ctx: &Context,
    bundle: &exhibit::store::Bundle,
    trust: &TrustSet,
    extract_to: Option<&Path>,
    hash_payload: bool,
) -> Report {
    let bar = if hash_payload {
        byte_progress(ctx.quiet, payload_bytes(bundle), "verifying")
    } else {
        indicatif::ProgressBar::hidden()
    };
    let options = VerifyOptions {
        trust,
        progress: &|n| bar.inc(n),
        extract_to,
        hash_payload,
    };
    let report = verify(bundle, &options);
    bar.finish_and_clear();
    report
}

/// Writes the HTML report atomically (a reader never sees half a report).
fn write_html(path: &Path, report: &Report) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| path.display().to_string())?;
    temp.write_all(report.to_html().as_bytes())
        .with_context(|| path.display().to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = temp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| path.display().to_string())?;
    Ok(())
}

pub fn status_of(report: &Report) -> Status {
    match report.status {
        Outcome::Verified => Status::Success,
        Outcome::Failed => Status::Failed,
        Outcome::Untrusted => Status::Untrusted,
    }
}

fn print_json(report: &Report) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    Ok(())
}

pub fn problem_line(problem: &exhibit::report::Problem) -> String {
    match &problem.path {
        Some(path) => format!(
            "{}: {}: {}",
            problem.code.as_str(),
            sanitize(path),
            sanitize(&problem.message)
        ),
        None => format!("{}: {}", problem.code.as_str(), sanitize(&problem.message)),
    }
}

/// Human output: summary and signers on stdout, one line per problem on
/// stderr. `--json` prints only the report.
fn emit(ctx: &Context, report: &Report, json: bool) -> anyhow::Result<()> {
    if json {
        print_json(report)?;
    }
    for problem in &report.problems {
        error_line(&problem_line(problem));
    }
    for warning in &report.warnings {
        error_line(&format!("warning: {}", problem_line(warning)));
    }
    if json || (ctx.quiet && report.status == Outcome::Verified) {
        return Ok(());
    }
    let word = match report.status {
        Outcome::Verified => "VERIFIED",
        Outcome::Failed => "FAILED",
        Outcome::Untrusted => "UNTRUSTED",
    };
    let what = match (&report.case_id, &report.exhibit_id) {
        (Some(case), Some(exhibit)) => {
            format!("case {}, exhibit {}; ", sanitize(case), sanitize(exhibit))
        }
        _ if report.kind == "bagit" => "plain BagIt bag, not sealed; ".to_string(),
        _ => String::new(),
    };
    let detail = match (report.status, report.kind) {
        (Outcome::Failed, _) => format!("{} problems", report.problems.len()),
        (Outcome::Untrusted, "bagit") => "intact, but nobody signed it".to_string(),
        (Outcome::Untrusted, _) => "intact, but no --trust key signed the seal".to_string(),
        (Outcome::Verified, _) => "intact and signed by a trusted key".to_string(),
    };
    println!(
        "{word}: {} ({what}{} files, {} bytes): {detail}",
        sanitize(&report.bundle),
        report.file_count,
        report.total_bytes
    );
    for signer in &report.signers {
        println!("  {}", signer_line(signer));
    }
    if let Some(head) = &report.custody_head {
        let count = report.custody.len();
        let events = if count == 1 { "event" } else { "events" };
        println!("  custody: {count} {events}, head {head}");
    }
    Ok(())
}

fn signer_line(signer: &exhibit::report::SignerReport) -> String {
    let claimed = match (&signer.name, &signer.organization) {
        (Some(n), Some(o)) => format!("\"{}\" ({})", sanitize(n), sanitize(o)),
        (Some(n), None) => format!("\"{}\"", sanitize(n)),
        (None, Some(o)) => format!("({})", sanitize(o)),
        (None, None) => "(no name claimed)".into(),
    };
    let validity = if signer.valid {
        "valid signature"
    } else {
        "INVALID signature"
    };
    let trust = if signer.trusted {
        "trusted"
    } else {
        "not trusted"
    };
    format!("signer {} {claimed}: {validity}, {trust}", signer.key_id)
}

fn print_inspection(report: &Report) {
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
            "payload      {} files, {} bytes (as sealed; not re-hashed)",
            statement.payload.file_count, statement.payload.total_bytes
        );
        println!("merkle root  {}", statement.payload.merkle_root);
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
        println!("kind         {}", report.kind);
    }
    for signer in &report.signers {
        println!("{}", signer_line(signer));
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
    }
    if let Some(head) = &report.custody_head {
        println!("custody head {head}");
    }
}
