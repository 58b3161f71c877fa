//! `exhibit sign`: add a co-signature over an intact bundle's seal.

use exhibit::keys::{Identity, SecretKey};
use exhibit::ops::sign::{sign, SignRequest, Signer};
use exhibit::tsp::CertSigner;

use exhibit::tsp::http::Authority;

use super::common::{
    load_cert_signer, load_signing_key_at, party, require_exists, resolve_time, tsa_authority,
    Terminal,
};
use super::{refused, Context, SignArgs, Status};

/// What signs: an Ed25519 key with the identity kept beside it, or a
/// certificate (which names its holder itself). One value per run: its
/// size does not matter.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Key(SecretKey, Identity),
    Cert(CertSigner),
}

pub fn run(ctx: &Context, args: &SignArgs) -> anyhow::Result<Status> {
    let time = resolve_time(&args.time)?;
    let tsa = tsa_authority(ctx, &args.tsa)?;
    // Before a passphrase is asked for: the bundle must be there.
    require_exists(&args.bundle)?;
    // clap requires one of --key and --cert.
    let loaded = match (&args.key, &args.cert) {
        (Some(path), _) => {
            let (key, identity) = load_signing_key_at(path, &args.passphrase)?;
            Loaded::Key(key, identity)
        }
        (None, Some(path)) => {
            Loaded::Cert(load_cert_signer(path, &args.cert_chain, &args.passphrase)?)
        }
        (None, None) => anyhow::bail!("--key KEY or --cert FILE.p12 is needed"),
    };
    let (signer, identity) = match &loaded {
        Loaded::Key(key, identity) => (Signer::Key(key), identity.clone()),
        Loaded::Cert(cert) => (Signer::Cert(cert), Identity::default()),
    };
    let request = SignRequest {
        bundle: &args.bundle,
        key: signer,
        signer: party(&identity, args.name.as_ref(), args.org.as_ref()),
        time,
        tsa: tsa.as_ref().map(|t| t as &dyn Authority),
    };
    match sign(&request, &Terminal::new(ctx)) {
        Ok(key_id) => {
            if !ctx.quiet {
                match &loaded {
                    Loaded::Cert(cert) => println!(
                        "co-signed by certificate {key_id} ({})",
                        super::output::sanitize(&cert.subject())
                    ),
                    Loaded::Key(..) => println!("co-signed by key {key_id}"),
                }
            }
            Ok(Status::Success)
        }
        Err(e) => refused(e),
    }
}
