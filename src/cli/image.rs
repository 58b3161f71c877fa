//! `exhibit image verify`: one forensic image against its own stored
//! hashes, as `ewfverify` checks it, with exhibit's exit codes.

use exhibit::format::acquisition::ImageResult;
use exhibit::image::{check, BadChunk};

use super::output::{byte_progress, print_json, sanitize};
use super::{Context, ImageVerifyArgs, Status};

pub fn run_verify(ctx: &Context, args: &ImageVerifyArgs) -> anyhow::Result<Status> {
    let name = args.image.display().to_string();
    let bar = byte_progress(ctx.quiet, 0, "reading the image's media");
    let checked = check(&args.image, &name, &|bytes| bar.inc(bytes))?;
    bar.finish_and_clear();
    let record = &checked.acquisition;
    if args.json {
        let segments: Vec<String> = checked
            .segments
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        print_json(&serde_json::json!({
            "path": record.path,
            "format": record.format,
            "segments": segments,
            "media_size": record.media_size,
            "stored": record.stored,
            "computed": record.computed,
            "result": record.result,
            "metadata": record.metadata,
            "error_ranges": record.error_ranges,
            "bad_chunks": checked.bad_chunks,
        }))?;
    }
    for chunk in &checked.bad_chunks {
        eprintln!("exhibit: {}", bad_chunk_line(&name, chunk));
    }
    let quiet_success = ctx.quiet && record.result == ImageResult::Match;
    if !args.json && !quiet_success {
        for (algorithm, stored, computed) in record.stored.common(&record.computed) {
            let same = if stored.eq_ignore_ascii_case(computed) {
                "matches"
            } else {
                "DIFFERS"
            };
            println!("  {algorithm:<6} stored   {stored}");
            println!("  {algorithm:<6} computed {computed} ({same})");
        }
        if let Some(sha256) = &record.computed.sha256 {
            println!("  sha256 computed {sha256}");
        }
        if !record.error_ranges.is_empty() {
            let ranges: Vec<String> = record
                .error_ranges
                .iter()
                .map(|r| {
                    format!(
                        "sectors {}-{}",
                        r.first_sector,
                        r.first_sector + r.sectors.saturating_sub(1)
                    )
                })
                .collect();
            println!("  unreadable at acquisition: {}", ranges.join(", "));
        }
        let what = format!(
            "{} ({}, {} segment(s), {} bytes of media)",
            sanitize(&name),
            record.format,
            checked.segments.len(),
            record.media_size
        );
        let verdict = match record.result {
            ImageResult::Match => format!("MATCH: {what}: the media data gives the hashes the imager stored"),
            ImageResult::Mismatch if !checked.bad_chunks.is_empty() => format!(
                "MISMATCH: {what}: {} chunk(s) of the media do not check out (above)",
                checked.bad_chunks.len()
            ),
            ImageResult::Mismatch => format!("MISMATCH: {what}: the media data does not give the hashes the imager stored"),
            ImageResult::NoStoredHash => format!("NO STORED HASH: {what}: the imager stored no hash, so the image cannot be checked against one"),
        };
        println!("{verdict}");
    }
    Ok(match record.result {
        ImageResult::Match => Status::Success,
        ImageResult::Mismatch | ImageResult::NoStoredHash => Status::Failed,
    })
}

/// One chunk that does not check out, by where it lies in the media.
fn bad_chunk_line(image: &str, chunk: &BadChunk) -> String {
    format!(
        "{}: chunk at media offset {} ({} bytes, sectors {}-{}): {}",
        sanitize(image),
        chunk.media_offset,
        chunk.size,
        chunk.media_offset / 512,
        (chunk.media_offset + chunk.size)
            .div_ceil(512)
            .saturating_sub(1),
        sanitize(&chunk.reason)
    )
}
