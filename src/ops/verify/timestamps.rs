//! Every RFC 3161 time-stamp token, against the signature it covers.

use crate::format::signature::SignatureRecord;
use crate::format::timestamp::{self, Covered, TokenTarget};
use crate::limits::{MAX_RECORD_BYTES, MAX_TOKEN_BYTES};
use crate::problem::ProblemCode;
use crate::report::TimestampReport;
use crate::trust::TrustSet;
use crate::tsp::signature_value;

use super::validation::chain_expiry;
use super::Verification;

impl Verification<'_> {
    /// Every time-stamp token: sound, covering the signature it is stored
    /// for, and where its TSA's certificate path ends. Reads only the
    /// tokens and the small records they cover, never the payload.
    pub(super) fn check_timestamps(&mut self, trust: &TrustSet) {
        let tokens: Vec<(String, TokenTarget)> = self
            .tags
            .keys()
            .filter_map(|name| Some((name.clone(), timestamp::parse_token_path(name)?)))
            .collect();
        for (name, target) in tokens {
            let record_path = target.record_path();
            let cert_path = target.cert_signature_path();
            if !self.tags.contains_key(&record_path) && !self.tags.contains_key(&cert_path) {
                self.problem(
                    ProblemCode::TimestampOrphan,
                    Some(&name),
                    format!("covers no signature in the bundle: {record_path} does not exist"),
                );
                continue;
            }
            let token = match self.bundle.read_entry(self.tags[&name], MAX_TOKEN_BYTES) {
                Ok(bytes) => bytes,
                Err(e) => {
                    self.problem(ProblemCode::TimestampInvalid, Some(&name), e.to_string());
                    continue;
                }
            };
            // A signature that cannot be read or parsed is reported by the
            // signature or custody checks; its token has nothing to cover.
            let covered = if self.tags.contains_key(&record_path) {
                self.read_tag(&record_path, MAX_RECORD_BYTES)
                    .and_then(|bytes| SignatureRecord::parse(&bytes, &record_path).ok())
                    .and_then(|record| Covered::of_record(&record))
            } else {
                self.read_tag(&cert_path, MAX_RECORD_BYTES)
                    .and_then(|bytes| signature_value(&bytes))
                    .map(|(signature, claimed)| Covered { signature, claimed })
            };
            let Some(covered) = covered else {
                continue;
            };
            let check = timestamp::check_token(&name, &token, &covered, target, trust.tsa_roots());
            let mut found = TimestampReport::from(&check);
            self.report.problems.extend(check.problems);
            self.report.warnings.extend(check.warnings);
            if let (true, Some(gen_time)) = (found.trusted, found.gen_time) {
                let at = gen_time.unix_seconds();
                let proven = self.record_proves.get(&name).copied();
                let revocation = self.revocation_of(&check.chain, at, proven);
                found.expires = chain_expiry(&check.chain)
                    .and_then(|(at, _)| crate::time::UtcTime::from_unix_seconds(at).ok());
                found.trusted =
                    self.judge_proof(&name, "its TSA", &revocation, &check.chain, trust);
                found.revocation = Some(revocation.state);
                found.revocation_detail = revocation.detail;
            }
            let proven_time = found.proven_time();
            let slot = match target {
                TokenTarget::Seal(key_id) => self
                    .report
                    .signers
                    .iter_mut()
                    .find(|s| s.key_id == key_id)
                    .map(|s| (&mut s.timestamp, &mut s.proven_time)),
                TokenTarget::Custody(sequence) => self
                    .report
                    .custody
                    .iter_mut()
                    .find(|e| e.sequence == sequence)
                    .map(|e| (&mut e.timestamp, &mut e.proven_time)),
            };
            if let Some((report, proven)) = slot {
                *report = Some(found);
                *proven = proven_time;
            }
        }
    }
}
