//! `exhibit sign`: add a co-signature over an intact bundle's seal.

use std::path::{Path, PathBuf};

use crate::format::document::Party;
use crate::format::seal::SEAL_PATH;
use crate::format::signature::{cert_signature_path, signature_path, SignatureRecord};
use crate::format::timestamp::TokenTarget;
use crate::keys::KeyId;
pub use crate::keys::Signer;
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::ops::ltv::material_for_token;
use crate::ops::timestamp::{fetch_token, stamp, TsaError};
use crate::ops::verify::{payload_bytes, verify, VerifyOptions};
use crate::ops::Observer;
use crate::problem::Problem;
use crate::store::{Bundle, NewFile, OpenError, StoreError};
use crate::time::UtcTime;
use crate::trust::TrustSet;
use crate::tsp::http::Authority;

/// Where a signer's seal signature is stored.
fn seal_signature_path(signer: Signer<'_>) -> String {
    match signer {
        Signer::Key(_) => signature_path(&signer.id()),
        Signer::Cert(_) => cert_signature_path(&signer.id()),
    }
}

/// Who co-signs which bundle, and when.
pub struct SignRequest<'a> {
    pub bundle: &'a Path,
    pub key: Signer<'a>,
    /// Claimed identity written in the signature record.
    pub signer: Party,
    pub time: UtcTime,
    /// Time-stamp the new signature with this TSA; if it fails, nothing is
    /// added.
    pub tsa: Option<&'a dyn Authority>,
}

/// Why no signature was added (the bundle is unchanged).
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tsa(#[from] TsaError),
    #[error("{}: already signed by key {key_id}", bundle.display())]
    AlreadySigned { bundle: PathBuf, key_id: KeyId },
    #[error("signing with certificate {subject:?}: {reason}")]
    Certificate { subject: String, reason: String },
    /// Never put a signature on content that does not verify.
    #[error("{}: does not verify; not signed", bundle.display())]
    DoesNotVerify {
        bundle: PathBuf,
        problems: Vec<Problem>,
    },
}

crate::ops::refused_unless_verified!(SignError);

/// Verifies the whole bundle under its append lock, then appends the new
/// signature record. Returns the signing key's id.
pub fn sign(request: &SignRequest<'_>, observer: &dyn Observer) -> Result<KeyId, SignError> {
    let path = request.bundle;
    let key_id = request.key.id();
    // Opened under the lock (which first rolls back an interrupted append),
    // so nothing changes between check and write.
    let lock = Bundle::lock(path, &|| observer.waiting_for_lock())?;
    let bundle = Bundle::open(path)?;
    if bundle.find(&seal_signature_path(request.key)).is_some() {
        return Err(SignError::AlreadySigned {
            bundle: path.into(),
            key_id,
        });
    }
    observer.start("verifying", payload_bytes(&bundle));
    let report = verify(
        &bundle,
        &VerifyOptions {
            trust: &TrustSet::default(),
            progress: &|n| observer.advance(n),
            extract_to: None,
            hash_payload: true,
            recorded: None,
        },
    );
    observer.finish();
    let Some(seal_entry) = bundle
        .find(SEAL_PATH)
        .filter(|_| report.problems.is_empty())
    else {
        return Err(SignError::DoesNotVerify {
            bundle: path.into(),
            problems: report.problems,
        });
    };
    let seal_bytes = bundle.read_entry(seal_entry, MAX_DOCUMENT_BYTES)?;
    let key = match request.key {
        Signer::Key(key) => key,
        Signer::Cert(cert) => {
            let signature = cert
                .sign_detached(&seal_bytes, request.time)
                .map_err(|reason| SignError::Certificate {
                    subject: cert.subject(),
                    reason,
                })?;
            let mut files = vec![NewFile {
                name: cert_signature_path(&key_id),
                bytes: signature,
            }];
            if let Some(authority) = request.tsa {
                let token = stamp(authority, &mut files[0].bytes)?;
                files.extend(material_for_token(
                    &token.response,
                    authority.timeout(),
                    observer,
                ));
                files.push(NewFile {
                    name: TokenTarget::Seal(key_id).token_path(),
                    bytes: token.response,
                });
            }
            bundle.append(&lock, &files, request.time)?;
            return Ok(key_id);
        }
    };
    let record = SignatureRecord::for_seal(key, request.signer.clone(), &seal_bytes, request.time);
    let mut files = vec![NewFile {
        name: signature_path(&key_id),
        bytes: record.to_bytes(),
    }];
    if let Some(authority) = request.tsa {
        let signature = record
            .signature_bytes()
            .expect("a record made here holds 64 signature bytes");
        let token = fetch_token(authority, &signature)?;
        files.extend(material_for_token(
            &token.response,
            authority.timeout(),
            observer,
        ));
        files.push(NewFile {
            name: TokenTarget::Seal(key_id).token_path(),
            bytes: token.response,
        });
    }
    // The record first: a token is never stored for a signature that is
    // not there.
    bundle.append(&lock, &files, request.time)?;
    Ok(key_id)
}
