//! `exhibit sign`: add a co-signature over an intact bundle's seal.

use exhibit::ops::sign::{sign, SignRequest};

use exhibit::tsp::http::Authority;

use super::common::{party, require_exists, resolve_time, tsa_authority, Loaded, Terminal};
use super::{refused, Context, SignArgs, Status};

pub fn run(ctx: &Context, args: &SignArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let tsa = tsa_authority(ctx, &args.tsa)?;
    // Before a passphrase is asked for: the bundle must be there.
    require_exists(&args.bundle)?;
    let loaded = Loaded::open(&args.key)?;
    let identity = loaded.identity();
    let request = SignRequest {
        bundle: &args.bundle,
        key: loaded.signer(),
        signer: party(&identity, args.name.as_ref(), args.org.as_ref()),
        time,
        tsa: tsa.as_ref().map(|t| t as &dyn Authority),
    };
    match sign(&request, &Terminal::new(ctx)) {
        Ok(_) => {
            if !ctx.quiet {
                println!("co-signed by {}", loaded.describe());
            }
            Ok(Status::Success)
        }
        Err(e) => refused(e),
    }
}
