//! `exhibit recover`: undo an interrupted append.

use exhibit::ops::recover::recover;

use super::common::Terminal;
use super::output::sanitize;
use super::{Context, RecoverArgs, Status};

pub fn run(ctx: &Context, args: &RecoverArgs) -> anyhow::Result<Status> {
    let recovery = recover(&args.bundle, &Terminal::new(ctx))?;
    let shown = sanitize(&args.bundle.display().to_string());
    if !ctx.quiet {
        if recovery.rolled_back {
            println!(
                "{shown}: rolled back an interrupted append; the bundle is as it was before it"
            );
        }
        if let Some(name) = &recovery.removed {
            println!("{shown}: removed {name}, a signature whose event was never written");
        }
        if recovery.rolled_back || recovery.removed.is_some() {
            println!("check it with: exhibit verify {shown}");
        } else {
            println!("{shown}: nothing to recover");
        }
    }
    Ok(Status::Success)
}
