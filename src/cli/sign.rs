//! `exhibit sign`: add a co-signature over an intact bundle's seal.

use exhibit::ops::sign::{sign, SignRequest};

use exhibit::tsp::http::Authority;

use super::common::{
    load_signing_key, party, require_exists, resolve_time, tsa_authority, Terminal,
};
use super::{refused, Context, SignArgs, Status};

pub fn run(ctx: &Context, args: &SignArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let tsa = tsa_authority(ctx, &args.tsa)?;
    // Before a passphrase is asked for: the bundle must be there.
    require_exists(&args.bundle)?;
    let (key, identity) = load_signing_key(&args.key)?;
    let request = SignRequest {
        bundle: &args.bundle,
        key: &key,
        signer: party(&identity, args.name.as_ref(), args.org.as_ref()),
        time,
        tsa: tsa.as_ref().map(|t| t as &dyn Authority),
    };
    match sign(&request, &Terminal::new(ctx)) {
        Ok(key_id) => {
            if !ctx.quiet {
                println!("co-signed by key {key_id}");
            }
            Ok(Status::Success)
        }
        Err(e) => refused(e),
    }
}
