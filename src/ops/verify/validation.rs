//! Long-term validation: the validation material of `exhibit/validation/`
//! read once, revocation judged for a certificate chain at the time its
//! signature or token must prove, and when a proof lapses (its
//! certificates expire, and no evidence record renewed in time covers it).

use crate::format::validation::{parse_validation_path, MaterialFile};
use crate::limits::MAX_VALIDATION_BYTES;
use crate::problem::ProblemCode;
use crate::time::UtcTime;
use crate::trust::TrustSet;
use crate::tsp::revocation::{self, CertStatus, MaterialKind};
use crate::tsp::Cert;

use super::Verification;

/// What revocation data says of a chain, as a report states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Revocation {
    /// `good`, `revoked` or `not-checked` (the JSON `revocation` member).
    pub state: &'static str,
    /// Revoked or not checked: which certificate, and why. Good: a
    /// certificate revoked after the time that matters, when one was.
    pub detail: Option<String>,
}

/// A time as a report writes it.
pub(super) fn when(seconds: i64) -> String {
    UtcTime::from_unix_seconds(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| format!("{seconds} (Unix seconds)"))
}

/// ", reason keyCompromise", or nothing when the entry gives none.
fn reason_words(reason: Option<revocation::Reason>) -> String {
    reason
        .map(|r| format!(", reason {}", r.name()))
        .unwrap_or_default()
}

/// The earliest notAfter on a chain, and whose it is.
pub(super) fn chain_expiry(chain: &[Cert]) -> Option<(i64, String)> {
    chain
        .iter()
        .map(|cert| {
            let not_after = cert.parsed.tbs_certificate.validity.not_after;
            (
                not_after.to_unix_duration().as_secs() as i64,
                cert.subject(),
            )
        })
        .min()
}

impl Verification<'_> {
    /// Reads every file under `exhibit/validation/`: a name this format
    /// defines, holding the DER CRL or OCSP response its extension says
    /// (else `validation.invalid`). Unknown names are reported with every
    /// other unexpected file of `exhibit/`.
    pub(super) fn load_validation(&mut self) {
        let names: Vec<(String, MaterialFile)> = self
            .tags
            .keys()
            .filter_map(|name| Some((name.clone(), parse_validation_path(name)?.kind)))
            .collect();
        for (name, named) in names {
            let Some(bytes) = self.read_tag(&name, MAX_VALIDATION_BYTES) else {
                continue;
            };
            let found = match revocation::read_material(&bytes) {
                Ok(kind) => kind,
                Err(e) => {
                    self.problem(
                        ProblemCode::ValidationInvalid,
                        Some(&name),
                        format!("not validation material: {e}"),
                    );
                    continue;
                }
            };
            let matches = matches!(
                (found, named),
                (MaterialKind::Crl, MaterialFile::Crl) | (MaterialKind::Ocsp, MaterialFile::Ocsp)
            );
            if !matches {
                self.problem(
                    ProblemCode::ValidationInvalid,
                    Some(&name),
                    format!("holds a {}, not what its name says", found.name()),
                );
                continue;
            }
            self.validation.push(bytes);
        }
    }

    /// Revocation of every certificate of `chain` but its root, judged at
    /// `at` (the time its signature or token must prove) from the
    /// bundle's validation material; `proven`: when the signed thing is
    /// independently proven to have existed.
    pub(super) fn revocation_of(&self, chain: &[Cert], at: i64, proven: Option<i64>) -> Revocation {
        let statuses = revocation::chain_status(chain, &self.validation, at, proven);
        let mut later = Vec::new();
        let mut unchecked = Vec::new();
        for (subject, status) in &statuses {
            match status {
                CertStatus::Revoked {
                    at: revoked,
                    reason,
                    ..
                } => {
                    return Revocation {
                        state: "revoked",
                        detail: Some(format!(
                            "certificate {subject:?} was revoked at {}{}, and does not count at {}",
                            when(*revoked),
                            reason_words(*reason),
                            when(at)
                        )),
                    };
                }
                CertStatus::RevokedLater {
                    at: revoked,
                    reason,
                    ..
                } => {
                    let why = reason_words(*reason);
                    later.push(format!(
                        "certificate {subject:?} was revoked later, at {}{why}; it still counts at {}",
                        when(*revoked),
                        when(at)
                    ));
                }
                CertStatus::NotChecked { why } => unchecked.push(format!("{subject:?}: {why}")),
                CertStatus::Good { .. } => {}
            }
        }
        if !unchecked.is_empty() {
            return Revocation {
                state: "not-checked",
                detail: Some(format!(
                    "revocation not checked for {}",
                    unchecked.join("; ")
                )),
            };
        }
        Revocation {
            state: "good",
            detail: (!later.is_empty()).then(|| later.join("; ")),
        }
    }

    /// Applies what revocation and time say to one proof (a token, or a
    /// certificate signature, stored at `file`), with warnings naming it;
    /// `what` names whose certificates they are. Returns whether the proof
    /// still counts: not when a certificate was revoked in time, nor,
    /// under a policy's `[validation]`, when revocation was not checked or
    /// the proof has lapsed by the moment judged.
    pub(super) fn judge_proof(
        &mut self,
        file: &str,
        what: &str,
        revocation: &Revocation,
        chain: &[Cert],
        trust: &TrustSet,
    ) -> bool {
        let mut counts = true;
        let detail = revocation.detail.clone().unwrap_or_default();
        match revocation.state {
            "revoked" => {
                let message = format!("{what}: {detail}");
                self.warning(ProblemCode::RevocationRevoked, Some(file), message.clone());
                self.report
                    .untrusted_proofs
                    .push(format!("{file}: {message}"));
                counts = false;
            }
            "not-checked" => {
                let message = format!("{what}: {detail}");
                self.warning(
                    ProblemCode::RevocationNotChecked,
                    Some(file),
                    message.clone(),
                );
                if trust.require_revocation() {
                    self.report.untrusted_proofs.push(format!(
                        "{file}: {message} (the trust policy requires revocation data)"
                    ));
                    counts = false;
                }
            }
            _ if !detail.is_empty() => {
                self.warning(
                    ProblemCode::RevocationRevokedLater,
                    Some(file),
                    format!("{what}: {detail}"),
                );
            }
            _ => {}
        }
        let Some((expires, subject)) = chain_expiry(chain) else {
            return counts;
        };
        let moment = trust.moment().unix_seconds();
        let renewed = self
            .record_holds_until
            .filter(|_| self.record_proves.contains_key(file));
        // What lapses first: the record that covers it, or its own chain.
        let until = renewed.unwrap_or(expires);
        self.proof_until = Some(self.proof_until.map_or(until, |u| u.min(until)));
        if until < moment {
            let message = match renewed {
                Some(_) => format!(
                    "{what}: the evidence record that covers it lapsed at {}",
                    when(until)
                ),
                None => format!(
                    "{what}: certificate {subject:?} expired at {}, and no evidence record renewed in time covers it (it held at the time it proves)",
                    when(expires)
                ),
            };
            self.warning(ProblemCode::ProofLapsed, Some(file), message.clone());
            if trust.require_renewal() {
                self.report.untrusted_proofs.push(format!(
                    "{file}: {message} (the trust policy requires renewal)"
                ));
                counts = false;
            }
        }
        counts
    }

    /// The earliest moment some proof lapses unless renewed, into the report.
    pub(super) fn find_proof_expiry(&mut self) {
        let until = match (self.proof_until, self.record_holds_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.report.proof_expires = until.and_then(|at| UtcTime::from_unix_seconds(at).ok());
    }
}
