//! `exhibit sign`: add a co-signature over an intact bundle's seal.

use exhibit::seal::{signature_path, SignatureRecord, MAX_DOCUMENT_BYTES, SEAL_PATH};
use exhibit::store::Bundle;
use exhibit::verify::{verify, TrustSet, VerifyOptions};

use super::common::{load_signing_key, party, resolve_time};
use super::output::{byte_progress, error_line};
use super::verify::problem_line;
use super::{Context, Refusal, SignArgs, Status};

pub fn run(ctx: &Context, args: &SignArgs) -> anyhow::Result<Status> {
    let time = resolve_time(ctx)?;
    let (key, identity) = load_signing_key(&args.key)?;
    let key_id = key.public_key().key_id();
    Bundle::open(&args.bundle)?;
    let _lock = Bundle::lock(&args.bundle, &|| {
        error_line("waiting for another exhibit process to finish with this bundle")
    })?;
    // Listed again under the lock, so nothing changes between check and write.
    let bundle = Bundle::open(&args.bundle)?;
    if bundle.find(&signature_path(&key_id)).is_some() {
        anyhow::bail!("{}: already signed by key {key_id}", args.bundle.display());
    }

    // Never put a signature on content that does not verify.
    let bar = byte_progress(
        ctx.quiet,
        exhibit::verify::payload_bytes(&bundle),
        "verifying",
    );
    let report = verify(
        &bundle,
        &VerifyOptions {
            trust: &TrustSet::default(),
            progress: &|n| bar.inc(n),
            extract_to: None,
            hash_payload: true,
        },
    );
    bar.finish_and_clear();
    if !report.problems.is_empty() {
        for problem in &report.problems {
            error_line(&problem_line(problem));
        }
        return Err(Refusal::failed(format!(
            "{}: does not verify; not signed",
            args.bundle.display()
        )));
    }
    let seal_entry = bundle
        .find(SEAL_PATH)
        .ok_or_else(|| Refusal::failed("exhibit/seal.json is missing"))?;
    let seal_bytes = bundle.read_entry(seal_entry, MAX_DOCUMENT_BYTES)?;
    let signer = party(&identity, args.name.as_ref(), args.org.as_ref());
    let record = SignatureRecord::create(&key, signer, SEAL_PATH, &seal_bytes, time);
    bundle.append(
        &_lock,
        &[(signature_path(&key_id), record.to_bytes())],
        time,
    )?;
    if !ctx.quiet {
        println!("co-signed by key {key_id}");
    }
    Ok(Status::Success)
}
