//! RFC 3161 time-stamp tokens in a bundle: where the token of each
//! signature is stored, and what checking one found. A token covers one
//! signature record: its imprint is SHA-256 of the record's 64 raw
//! signature bytes. Tokens are the TSA's DER `TimeStampResp`, as received.

use std::fmt;

use crate::format::custody::{event_paths, numbered_file, numbered_path};
use crate::format::signature::{signature_path, SignatureRecord};
use crate::keys::KeyId;
use crate::problem::{Problem, ProblemCode};
use crate::time::UtcTime;
use crate::tsp::{self, Cert, GenTime, PathEnd, TokenError};

/// Folder of the seal signatures' tokens.
pub const TIMESTAMPS_DIR: &str = "exhibit/timestamps";

/// A signature's `signed_at` may run ahead of its token's `genTime` by this
/// many seconds (clocks differ a little) before it is reported.
pub const CLOCK_ALLOWANCE_SECONDS: i64 = 60;

/// The signature a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenTarget {
    /// The seal signature by this key (`exhibit/signatures/<key_id>.json`).
    Seal(KeyId),
    /// The signature of custody event N (`exhibit/custody/NNNNNN.sig`).
    Custody(u64),
}

impl TokenTarget {
    /// Where its token is stored: `exhibit/timestamps/<key_id>.tsr` or
    /// `exhibit/custody/NNNNNN.tsr`.
    pub fn token_path(&self) -> String {
        match self {
            TokenTarget::Seal(key_id) => format!("{TIMESTAMPS_DIR}/{key_id}.tsr"),
            TokenTarget::Custody(sequence) => numbered_path(*sequence, "tsr"),
        }
    }

    /// The signature record it covers.
    pub fn record_path(&self) -> String {
        match self {
            TokenTarget::Seal(key_id) => signature_path(key_id),
            TokenTarget::Custody(sequence) => event_paths(*sequence).signature,
        }
    }

    /// The certificate signature it covers, when the signer used one.
    pub fn cert_signature_path(&self) -> String {
        match self {
            TokenTarget::Seal(key_id) => crate::format::signature::cert_signature_path(key_id),
            TokenTarget::Custody(sequence) => numbered_path(*sequence, "p7s"),
        }
    }

    /// File name of a query written for an air-gapped TSA:
    /// `seal-<key_id>.tsq`, `custody-000002.tsq`.
    pub fn query_file_name(&self) -> String {
        match self {
            TokenTarget::Seal(key_id) => format!("seal-{key_id}.tsq"),
            TokenTarget::Custody(sequence) => format!("custody-{sequence:06}.tsq"),
        }
    }
}

impl fmt::Display for TokenTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenTarget::Seal(key_id) => write!(f, "the seal signature of key {}", key_id.short()),
            TokenTarget::Custody(sequence) => {
                write!(f, "the signature of custody event {sequence}")
            }
        }
    }
}

/// The target a token file's name stands for, if it is named as one.
pub fn parse_token_path(name: &str) -> Option<TokenTarget> {
    if let Some(file) = name
        .strip_prefix(TIMESTAMPS_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
    {
        let key_id = file.strip_suffix(".tsr")?.parse().ok()?;
        return Some(TokenTarget::Seal(key_id));
    }
    numbered_file(name, "tsr").map(TokenTarget::Custody)
}

/// What checking one token file found.
#[derive(Debug, Clone)]
pub struct TokenCheck {
    /// Bag path of the token file.
    pub file: String,
    /// The token is sound and covers the signature record.
    pub valid: bool,
    /// The time the TSA states (`genTime`), when the token could be read.
    pub gen_time: Option<GenTime>,
    /// Subject of the TSA's certificate.
    pub tsa: Option<String>,
    /// The TSA's certificate path as followed (its certificate first, the
    /// root last when it reached one), for revocation and expiry.
    pub chain: Vec<Cert>,
    /// The token's serial number (hex) and policy, as the TSA gave them.
    pub serial: Option<String>,
    pub policy: Option<String>,
    /// For a valid token: the root of `roots` its TSA's certificate
    /// chains to, every certificate valid at `gen_time`.
    pub root: Option<String>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Checks the token stored at `path` against the signature record it
/// covers: sound (see [`tsp::check_response`]), covering SHA-256 of the
/// record's signature bytes, chaining to one of `roots`, and not older
/// than the record's claimed `signed_at` by more than a minute.
/// The signature a token covers: its value, and the time its signer
/// claims to have signed (a record's `signed_at`, a CMS signing-time).
#[derive(Debug, Clone)]
pub struct Covered {
    pub signature: Vec<u8>,
    pub claimed: Option<UtcTime>,
}

impl Covered {
    /// A signature record's; `None` when its signature does not decode
    /// (the record is reported as broken).
    pub fn of_record(record: &SignatureRecord) -> Option<Covered> {
        Some(Covered {
            signature: record.signature_bytes().ok()?.to_vec(),
            claimed: Some(record.signed_at),
        })
    }
}

pub fn check_token(
    path: &str,
    token: &[u8],
    covered: &Covered,
    target: TokenTarget,
    roots: &[Cert],
) -> TokenCheck {
    let mut check = TokenCheck {
        file: path.to_string(),
        valid: false,
        gen_time: None,
        tsa: None,
        chain: Vec::new(),
        serial: None,
        policy: None,
        root: None,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let problem = |code, message: String| Problem::new(code, Some(path), message);
    let facts = match tsp::check_response(token, roots) {
        Ok(facts) => facts,
        Err(e) => {
            let message = match e {
                TokenError::NotGranted(_) => e.to_string(),
                _ => format!("not a valid time-stamp token for {target}: {e}"),
            };
            check
                .problems
                .push(problem(ProblemCode::TimestampInvalid, message));
            return check;
        }
    };
    check.gen_time = Some(facts.gen_time);
    check.tsa = Some(facts.tsa.clone());
    check.chain = facts.chain.clone();
    check.serial = Some(facts.serial.clone());
    check.policy = Some(facts.policy.clone());
    if let Err(reason) = facts.check_covers(&tsp::imprint_of(&covered.signature)) {
        check.problems.push(problem(
            ProblemCode::TimestampMismatch,
            format!("does not cover {target}: {reason}"),
        ));
        return check;
    }
    check.valid = true;
    match &facts.path {
        PathEnd::Trusted { root } => check.root = Some(root.clone()),
        PathEnd::Untrusted { reason } => check.warnings.push(problem(
            ProblemCode::TimestampUntrusted,
            format!(
                "time {} by TSA {:?} is not proven: {reason}",
                facts.gen_time, facts.tsa
            ),
        )),
    }
    if let Some(claimed) = covered.claimed {
        if claimed.unix_seconds() > facts.gen_time.unix_seconds() + CLOCK_ALLOWANCE_SECONDS {
            check.warnings.push(problem(
                ProblemCode::TimestampClaimedLater,
                format!(
                    "{target} claims signed_at {claimed}, but the TSA saw it at {}: the signer's clock is wrong",
                    facts.gen_time
                ),
            ));
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_paths_round_trip() {
        let key_id: KeyId = "ab".repeat(32).parse().unwrap();
        for target in [TokenTarget::Seal(key_id), TokenTarget::Custody(2)] {
            assert_eq!(parse_token_path(&target.token_path()), Some(target));
        }
        assert_eq!(
            TokenTarget::Custody(2).token_path(),
            "exhibit/custody/000002.tsr"
        );
        assert_eq!(
            TokenTarget::Custody(2).query_file_name(),
            "custody-000002.tsq"
        );
        assert_eq!(
            TokenTarget::Seal(key_id).token_path(),
            format!("exhibit/timestamps/{key_id}.tsr")
        );
        for name in [
            "exhibit/timestamps/ABAB.tsr",
            "exhibit/timestamps/x.tsr",
            "exhibit/timestamps/sub/a.tsr",
            "exhibit/custody/0000002.tsr",
            "exhibit/custody/000000.tsr",
            "exhibit/custody/000002.tsq",
        ] {
            assert_eq!(parse_token_path(name), None, "{name}");
        }
    }
}
