//! `exhibit plan`, `exhibit hash --plan` and the refusals of
//! `exhibit seal --plan`: sealing across machines (docs/SCALE.md).

use std::path::Path;
use std::time::Instant;

use exhibit::ops::hash::{hash_shard, ShardRequest, ShardSummary};
use exhibit::ops::plan::{make_plan, PlanRequest};
use exhibit::ops::seal::{seal_shard, SealShardRequest};

use super::common::Terminal;
use super::output::sanitize;
use super::{refused, Context, HashArgs, PlanArgs, SealArgs, Status};
use exhibit::units::{count, human_size};

pub fn run_plan(ctx: &Context, args: &PlanArgs) -> anyhow::Result<Status> {
    let request = PlanRequest {
        sources: &args.sources,
        output: &args.output,
        shards: args.shards,
    };
    let summary = match make_plan(&request, &Terminal::new(ctx)) {
        Ok(summary) => summary,
        Err(error) => return refused(error),
    };
    if !ctx.quiet {
        println!(
            "planned {}, {}, in {} into {}",
            count(summary.files, "file"),
            human_size(summary.bytes),
            count(summary.shards.len() as u64, "shard"),
            sanitize(&args.output.display().to_string())
        );
        println!("plan sha256 {}", summary.plan_sha256);
    }
    Ok(Status::Success)
}

pub fn run_hash_shard(ctx: &Context, args: &HashArgs, plan: &Path) -> anyhow::Result<Status> {
    let (Some(shard), Some(output)) = (args.shard, args.output.as_deref()) else {
        anyhow::bail!("--plan needs --shard I and -o PART");
    };
    let request = ShardRequest {
        plan,
        shard,
        output,
    };
    let started = Instant::now();
    let summary = match hash_shard(&request, &Terminal::new(ctx)) {
        Ok(summary) => summary,
        Err(error) => return refused(error),
    };
    if !ctx.quiet {
        println!("{}", shard_line(&summary, "hashed", started, output));
    }
    Ok(Status::Success)
}

/// `seal --plan PLAN --shard I -o OUT`: one shard copied into the bundle
/// being built.
pub fn run_seal_shard(
    ctx: &Context,
    args: &SealArgs,
    plan: &Path,
    shard: u64,
) -> anyhow::Result<Status> {
    let request = SealShardRequest {
        plan,
        shard,
        output: &args.output,
        segment: args.segment,
    };
    let started = Instant::now();
    let summary = match seal_shard(&request, &Terminal::new(ctx)) {
        Ok(summary) => summary,
        Err(error) => return refused(error),
    };
    if !ctx.quiet {
        let line = shard_line(&summary, "copied and hashed", started, &args.output);
        println!("{line} (finish with: exhibit seal --plan PLAN --finish -o OUT --key KEY ...)");
    }
    Ok(Status::Success)
}

/// What a shard did, on stdout as every command's summary (a batch engine
/// keeps it in the job's log).
fn shard_line(summary: &ShardSummary, did: &str, started: Instant, output: &Path) -> String {
    let seconds = started.elapsed().as_secs_f64();
    format!(
        "shard {} of {}: {}, {} {did} in {seconds:.2} s ({:.1} MB/s, {:.0} files/s) into {}",
        summary.shard,
        summary.shards,
        count(summary.files, "file"),
        human_size(summary.bytes),
        summary.bytes as f64 / seconds.max(1e-6) / 1e6,
        summary.files as f64 / seconds.max(1e-6),
        sanitize(&output.display().to_string())
    )
}
