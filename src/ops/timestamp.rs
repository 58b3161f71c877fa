//! `exhibit timestamp`: add RFC 3161 time-stamp tokens to the signatures of
//! a bundle that have none — asked of a TSA over HTTP, or written as
//! queries for an air-gapped TSA and attached from its answers later. Also
//! the one place `seal`, `sign` and `custody add` ask a TSA for a token.
//!
//! Tokens are appended through [`Bundle::append`] under the append lock;
//! nothing already in the bundle is rewritten. Every token is checked
//! before it is stored (granted, signed by a certificate it carries with
//! the time-stamping usage, covering the signature, with the nonce asked
//! for); whether its TSA is trusted is the receiver's question, asked by
//! `verify --tsa-ca`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::format::signature::{SignatureRecord, SIGNATURES_DIR};
use crate::format::timestamp::TokenTarget;
use crate::fsx::{write_atomically, Overwrite};
use crate::limits::MAX_RECORD_BYTES;
use crate::ops::ltv::material_for_token;
use crate::ops::Observer;
use crate::problem::Problem;
use crate::store::{Bundle, EntryKind, NewFile, OpenError, StoreError};
use crate::time::UtcTime;
use crate::tsp::http::Authority;
use crate::tsp::{self, GenTime, HashAlgorithm, Query, TokenError};

/// A TSA could not be reached, or answered with something other than a
/// token for what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("time-stamping authority {tsa}: {answer}")]
pub struct TsaError {
    /// The TSA as named (its URL).
    pub tsa: String,
    /// What happened or what it said, in one line.
    pub answer: String,
}

/// A token obtained from a TSA and checked.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The DER `TimeStampResp` as received: what is stored.
    pub response: Vec<u8>,
    pub gen_time: GenTime,
    /// Subject of the TSA's certificate.
    pub tsa: String,
}

/// The signature value in a signature this process has just made: a
/// record's 64 bytes, or a certificate signature's (`.p7s`) value.
pub(crate) fn own_signature(signed: &[u8]) -> Vec<u8> {
    SignatureRecord::parse(signed, "new signature record")
        .ok()
        .and_then(|r| r.signature_bytes().ok())
        .map(|bytes| bytes.to_vec())
        .or_else(|| crate::tsp::signature_value(signed).map(|(value, _)| value))
        .expect("a signature made here holds its value")
}

/// Time-stamps a signature this process has just made: the token over its
/// value, and, for a certificate's CMS signature, the same token added
/// inside it as the CAdES signature-time-stamp attribute (the signature
/// value it covers does not change).
pub(crate) fn stamp(authority: &dyn Authority, signed: &mut Vec<u8>) -> Result<Fetched, TsaError> {
    let token = fetch_token(authority, &own_signature(signed))?;
    if SignatureRecord::parse(signed, "new signature record").is_err() {
        *signed = crate::tsp::with_signature_time_stamp(signed, &token.response).map_err(|e| {
            TsaError {
                tsa: authority.name().to_string(),
                answer: format!("its token cannot be added to the signature: {e}"),
            }
        })?;
    }
    Ok(token)
}

/// Asks `authority` for a token over `signature` (its raw bytes) and checks
/// the answer: granted, sound, covering SHA-256 of the signature, with the
/// nonce sent.
pub fn fetch_token(authority: &dyn Authority, signature: &[u8]) -> Result<Fetched, TsaError> {
    let imprint = tsp::imprint_of(signature);
    let (response, facts) = ask_for_digest(authority, HashAlgorithm::Sha256, &imprint)?;
    Ok(Fetched {
        response,
        gen_time: facts.gen_time,
        tsa: facts.tsa,
    })
}

/// Asks `authority` for a token over `digest` (made with `algorithm`) and
/// checks the answer: granted, sound (without trust), covering the digest,
/// with the nonce sent. Returns the response as received and its facts.
pub(crate) fn ask_for_digest(
    authority: &dyn Authority,
    algorithm: HashAlgorithm,
    digest: &[u8],
) -> Result<(Vec<u8>, tsp::TokenFacts), TsaError> {
    let fail = |answer: String| TsaError {
        tsa: authority.name().to_string(),
        answer,
    };
    let query = Query::for_digest(algorithm, digest);
    let response = authority.ask(&query.der).map_err(fail)?;
    let facts = match tsp::check_response(&response, &[]) {
        Ok(facts) => facts,
        Err(TokenError::NotGranted(status)) => return Err(fail(format!("refused: {status}"))),
        Err(e) => return Err(fail(format!("answered with an unusable token: {e}"))),
    };
    facts
        .check_covers_digest(algorithm, digest)
        .map_err(|reason| {
            fail(format!(
                "answered with a token for something else: {reason}"
            ))
        })?;
    if facts.nonce.as_deref() != Some(query.nonce.as_slice()) {
        return Err(fail(
            "answered with a token that does not carry the nonce asked for (a replayed answer?)"
                .into(),
        ));
    }
    Ok((response, facts))
}

/// Where the tokens come from.
pub enum TokenSource<'a> {
    /// Ask this TSA for every missing token.
    Online(&'a dyn Authority),
    /// Write one `TimeStampReq` per missing token into this folder.
    QueryDir(&'a Path),
    /// Attach these `TimeStampResp` files (path, bytes), each to the
    /// signature it covers.
    Attach(&'a [(PathBuf, Vec<u8>)]),
}

/// What `exhibit timestamp` is asked to do.
pub struct TimestampRequest<'a> {
    pub bundle: &'a Path,
    pub source: TokenSource<'a>,
    /// Written as the time of new zip entries.
    pub time: UtcTime,
}

/// One token added to the bundle.
#[derive(Debug, Clone)]
pub struct AddedToken {
    pub target: TokenTarget,
    /// Its bag path.
    pub path: String,
    pub gen_time: GenTime,
    pub tsa: String,
}

/// What `exhibit timestamp` did.
#[derive(Debug, Clone)]
pub enum TimestampOutcome {
    /// Tokens added (none when every signature already had one).
    Added(Vec<AddedToken>),
    /// Queries written, one per signature without a token.
    QueriesWritten(Vec<(TokenTarget, PathBuf)>),
}

/// Why no token was added (the bundle is unchanged).
#[derive(Debug, thiserror::Error)]
pub enum TimestampError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bundle does not verify: no token is added to it.
    #[error("{}: does not verify; no time-stamp token added", bundle.display())]
    DoesNotVerify {
        bundle: PathBuf,
        problems: Vec<Problem>,
    },
    #[error(transparent)]
    Tsa(#[from] TsaError),
    /// An attached response cannot be used; nothing was attached.
    #[error("{}: {reason}; nothing attached", file.display())]
    Attach { file: PathBuf, reason: String },
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

crate::ops::refused_unless_verified!(TimestampError);

/// A signature in the bundle that a token can cover.
#[derive(Debug, Clone)]
pub struct Signature {
    pub target: TokenTarget,
    /// The signature value (64 bytes for a key, the CMS value for a
    /// certificate).
    pub bytes: Vec<u8>,
    /// It already has a token file.
    pub has_token: bool,
}

/// Every seal and custody signature of the bundle that parses (a key's
/// record or a certificate's `.p7s`), with its signature value (those
/// that do not parse are the verifier's business).
pub fn signatures(bundle: &Bundle) -> Vec<Signature> {
    use crate::format::custody::{parse_event_file_name, EventFile};
    let mut found = Vec::new();
    for entry in bundle.entries.iter().filter(|e| e.kind == EntryKind::File) {
        let (target, by_certificate) = if let Some(file) = entry
            .name
            .strip_prefix(SIGNATURES_DIR)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            let id = |suffix| file.strip_suffix(suffix).and_then(|id| id.parse().ok());
            match (id(".json"), id(".p7s")) {
                (Some(key_id), _) => (TokenTarget::Seal(key_id), false),
                (None, Some(cert_id)) => (TokenTarget::Seal(cert_id), true),
                (None, None) => continue,
            }
        } else {
            match parse_event_file_name(&entry.name) {
                Some((sequence, EventFile::Signature)) => (TokenTarget::Custody(sequence), false),
                Some((sequence, EventFile::CertSignature)) => {
                    (TokenTarget::Custody(sequence), true)
                }
                _ => continue,
            }
        };
        let Ok(signed) = bundle.read_entry(entry, MAX_RECORD_BYTES) else {
            continue;
        };
        let bytes = if by_certificate {
            crate::tsp::signature_value(&signed).map(|(value, _)| value)
        } else {
            SignatureRecord::parse(&signed, &entry.name)
                .ok()
                .and_then(|record| record.signature_bytes().ok())
                .map(|bytes| bytes.to_vec())
        };
        let Some(bytes) = bytes else {
            continue;
        };
        found.push(Signature {
            target,
            bytes,
            has_token: bundle.find(&target.token_path()).is_some(),
        });
    }
    found
}

/// `exhibit timestamp`: under the bundle's append lock, checks the bundle
/// (all but the payload bytes), then adds a token to every signature that
/// has none, or writes the queries for them.
pub fn timestamp(
    request: &TimestampRequest<'_>,
    observer: &dyn Observer,
) -> Result<TimestampOutcome, TimestampError> {
    let path = request.bundle;
    let (lock, bundle) =
        crate::ops::lock_checked(path, observer, |problems| TimestampError::DoesNotVerify {
            bundle: path.into(),
            problems,
        })?;
    let all = signatures(&bundle);
    let missing: Vec<&Signature> = all.iter().filter(|s| !s.has_token).collect();
    let added = match &request.source {
        TokenSource::QueryDir(dir) => return write_queries(dir, &missing),
        TokenSource::Online(authority) => {
            let mut added = Vec::new();
            for signature in missing {
                let fetched = fetch_token(*authority, &signature.bytes)?;
                added.push((signature.target, fetched));
            }
            added
        }
        TokenSource::Attach(files) => match_attached(files, &all)?,
    };
    let mut files: Vec<NewFile> = added
        .iter()
        .map(|(target, fetched)| NewFile {
            name: target.token_path(),
            bytes: fetched.response.clone(),
        })
        .collect();
    // Online, the TSA chain's validation material too (once per name; not
    // what the bundle already holds).
    if let (TokenSource::Online(authority), Some((_, first))) = (&request.source, added.first()) {
        for file in material_for_token(&first.response, authority.timeout(), observer) {
            if bundle.find(&file.name).is_none() && !files.iter().any(|f| f.name == file.name) {
                files.push(file);
            }
        }
    }
    if !files.is_empty() {
        bundle.append(&lock, &files, request.time)?;
    }
    Ok(TimestampOutcome::Added(
        added
            .into_iter()
            .map(|(target, fetched)| AddedToken {
                target,
                path: target.token_path(),
                gen_time: fetched.gen_time,
                tsa: fetched.tsa,
            })
            .collect(),
    ))
}

/// One query per signature without a token, named after what it is for.
fn write_queries(dir: &Path, missing: &[&Signature]) -> Result<TimestampOutcome, TimestampError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| TimestampError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    for signature in missing {
        let query = Query::new(&tsp::imprint_of(&signature.bytes));
        let file = dir.join(signature.target.query_file_name());
        write_atomically(&file, &query.der, 0o644, Overwrite::Allow).map_err(io(&file))?;
        written.push((signature.target, file));
    }
    Ok(TimestampOutcome::QueriesWritten(written))
}

/// Each attached response must be a sound token covering a signature of
/// the bundle that has no token yet, and no two may cover the same one.
fn match_attached(
    files: &[(PathBuf, Vec<u8>)],
    signatures: &[Signature],
) -> Result<Vec<(TokenTarget, Fetched)>, TimestampError> {
    let refuse = |file: &Path, reason: String| TimestampError::Attach {
        file: file.to_path_buf(),
        reason,
    };
    let by_imprint: BTreeMap<tsp::Imprint, &Signature> = signatures
        .iter()
        .map(|s| (tsp::imprint_of(&s.bytes), s))
        .collect();
    let mut chosen: BTreeMap<TokenTarget, &Path> = BTreeMap::new();
    let mut added = Vec::new();
    for (file, bytes) in files {
        let facts = tsp::check_response(bytes, &[])
            .map_err(|e| refuse(file, format!("not a usable time-stamp response: {e}")))?;
        let signature = by_imprint
            .iter()
            .find(|(imprint, _)| facts.check_covers(imprint).is_ok())
            .map(|(_, s)| *s)
            .ok_or_else(|| {
                refuse(
                    file,
                    format!(
                        "covers no signature in the bundle (imprint {})",
                        hex::encode(&facts.imprint)
                    ),
                )
            })?;
        let target = signature.target;
        if signature.has_token {
            return Err(refuse(
                file,
                format!("{target} already has a token ({})", target.token_path()),
            ));
        }
        if let Some(other) = chosen.insert(target, file) {
            return Err(refuse(
                file,
                format!("{target} is also covered by {}", other.display()),
            ));
        }
        added.push((
            target,
            Fetched {
                response: bytes.clone(),
                gen_time: facts.gen_time,
                tsa: facts.tsa,
            },
        ));
    }
    Ok(added)
}
