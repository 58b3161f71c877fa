//! `exhibit verifier-page`: write the offline verification page this
//! version was built with.

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use exhibit::fsx::{write_atomically, Overwrite};

use super::output::sanitize;
use super::{Context, Status, VerifierPageArgs};

/// The page, built from this source by scripts/build-verifier-page (and
/// checked by CI to be exactly what the source builds).
const PAGE: &[u8] = include_bytes!("../../web/verify.html");

pub fn run(ctx: &Context, args: &VerifierPageArgs) -> anyhow::Result<Status> {
    let folder = exhibit::fsx::parent_or_dot(&args.output);
    if !folder.is_dir() {
        anyhow::bail!("{}: no such folder", folder.display());
    }
    write_atomically(&args.output, PAGE, 0o644, Overwrite::Refuse)
        .with_context(|| args.output.display().to_string())?;
    if !ctx.quiet {
        println!(
            "wrote {} ({} bytes, sha256 {})",
            sanitize(&args.output.display().to_string()),
            PAGE.len(),
            hex::encode(Sha256::digest(PAGE))
        );
    }
    Ok(Status::Success)
}
