//! The RFC 4998 evidence record (`exhibit/evidence-record.ers`): its hash
//! trees against the tag files as they are, every archive time-stamp
//! sound and covering what it must, each renewed before the certificates
//! of the one before it expired, and the last one holding at the moment
//! judged. What it covers is then proven to have existed since its first
//! archive time-stamp, whatever has expired since.

use std::io::Read;

use crate::format::evidence_record::{self, EvidenceRecord, EVIDENCE_RECORD_PATH};
use crate::limits::MAX_VALIDATION_BYTES;
use crate::problem::ProblemCode;
use crate::report::{ArchiveStampReport, EvidenceRecordReport};
use crate::store::{Bundle, EntryKind, StoreError};
use crate::time::UtcTime;
use crate::trust::TrustSet;
use crate::tsp::{self, HashAlgorithm, PathEnd};

use super::validation::{chain_expiry, when};
use super::Verification;

/// Whether a bag path is a tag file an evidence record covers: every file
/// but the payload and the record itself.
pub fn is_covered_tag_file(name: &str) -> bool {
    !name.starts_with("data/") && name != EVIDENCE_RECORD_PATH
}

/// The `algorithm` digest of every tag file an evidence record covers, by
/// name, each file streamed.
pub fn tag_digests(
    bundle: &Bundle,
    algorithm: HashAlgorithm,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let mut digests = Vec::new();
    for entry in bundle.entries.iter().filter(|e| e.kind == EntryKind::File) {
        if !is_covered_tag_file(&entry.name) {
            continue;
        }
        let reader = bundle.open_entry(entry)?;
        let digest = stream(algorithm, reader).map_err(|error| StoreError::Io {
            path: entry.name.clone(),
            error,
        })?;
        digests.push((entry.name.clone(), digest));
    }
    Ok(digests)
}

fn stream(algorithm: HashAlgorithm, mut reader: impl Read) -> std::io::Result<Vec<u8>> {
    fn with<D: sha2::Digest + std::io::Write>(reader: &mut dyn Read) -> std::io::Result<Vec<u8>> {
        let mut hasher = D::new();
        std::io::copy(reader, &mut hasher)?;
        Ok(hasher.finalize().to_vec())
    }
    match algorithm {
        HashAlgorithm::Sha256 => with::<sha2::Sha256>(&mut reader),
        HashAlgorithm::Sha384 => with::<sha2::Sha384>(&mut reader),
        HashAlgorithm::Sha512 => with::<sha2::Sha512>(&mut reader),
    }
}

/// One archive time-stamp's token as checked.
struct Stamp {
    facts: tsp::TokenFacts,
}

impl Verification<'_> {
    /// Checks the evidence record, when there is one; what it covers and
    /// since when goes to `record_proves` for the checks after it.
    pub(super) fn check_evidence_record(&mut self, trust: &TrustSet) {
        if !self.tags.contains_key(EVIDENCE_RECORD_PATH) {
            return;
        }
        let Some(bytes) = self.read_tag(EVIDENCE_RECORD_PATH, MAX_VALIDATION_BYTES) else {
            return;
        };
        let record = match EvidenceRecord::from_der(&bytes) {
            Ok(record) => record,
            Err(e) => {
                let message = format!("not an RFC 4998 evidence record: {e}");
                self.problem(
                    ProblemCode::EvidenceRecordInvalid,
                    Some(EVIDENCE_RECORD_PATH),
                    message,
                );
                return;
            }
        };
        let bundle = self.bundle;
        let digests_of = |algorithm| tag_digests(bundle, algorithm).unwrap_or_default();
        let mut stamps: Vec<Stamp> = Vec::new();
        let roots = trust.tsa_roots();
        let mut check_token = |token: &[u8], algorithm, imprint: &[u8]| {
            let facts = tsp::check_token(token, roots).map_err(|e| e.to_string())?;
            facts.check_covers_digest(algorithm, imprint)?;
            let gen_time = facts.gen_time.unix_seconds();
            stamps.push(Stamp { facts });
            Ok(gen_time)
        };
        let checked = match evidence_record::check(&record, &digests_of, &mut check_token) {
            Ok(checked) => checked,
            Err(e) => {
                self.problem(
                    ProblemCode::EvidenceRecordInvalid,
                    Some(EVIDENCE_RECORD_PATH),
                    e.to_string(),
                );
                return;
            }
        };
        let moment = trust.moment().unix_seconds();
        let mut lapsed: Option<String> = None;
        let mut unchecked: Vec<String> = Vec::new();
        let mut reports = Vec::new();
        for (i, (stamp, check)) in stamps.iter().zip(&checked.stamps).enumerate() {
            let gen_time = stamp.facts.gen_time.unix_seconds();
            let expiry = chain_expiry(&stamp.facts.chain);
            let revocation = self.revocation_of(&stamp.facts.chain, gen_time, None);
            let root = match &stamp.facts.path {
                PathEnd::Trusted { root } => Some(root.clone()),
                PathEnd::Untrusted { reason } => {
                    lapsed.get_or_insert(format!(
                        "archive time-stamp {}.{} is not proven: {reason}",
                        check.chain, check.stamp
                    ));
                    None
                }
            };
            let detail = revocation.detail.clone().unwrap_or_default();
            match revocation.state {
                "revoked" => {
                    lapsed.get_or_insert(format!(
                        "archive time-stamp {}.{}: {detail}",
                        check.chain, check.stamp
                    ));
                }
                "not-checked" if root.is_some() => {
                    let message = format!(
                        "archive time-stamp {}.{}: its TSA: {detail}",
                        check.chain, check.stamp
                    );
                    if trust.require_revocation() {
                        lapsed.get_or_insert(format!(
                            "{message} (the trust policy requires revocation data)"
                        ));
                    }
                    unchecked.push(message);
                }
                _ => {}
            }
            // Renewed in time: the next stamp came before this one's
            // certificates expired; the last must hold at the moment judged.
            let next = stamps.get(i + 1).map(|s| s.facts.gen_time.unix_seconds());
            if let Some((expires, subject)) = &expiry {
                let deadline = next.unwrap_or(moment);
                if *expires < deadline {
                    lapsed.get_or_insert(match next {
                        Some(next) => format!(
                            "archive time-stamp {}.{} was renewed at {}, after certificate {subject:?} expired at {}",
                            check.chain, check.stamp, when(next), when(*expires)
                        ),
                        None => format!(
                            "its last archive time-stamp ({}.{}) lapsed at {}, when certificate {subject:?} expired: it was not renewed in time",
                            check.chain, check.stamp, when(*expires)
                        ),
                    });
                }
            }
            reports.push(ArchiveStampReport {
                chain: check.chain,
                stamp: check.stamp,
                algorithm: check.algorithm.name(),
                gen_time: stamp.facts.gen_time,
                tsa: stamp.facts.tsa.clone(),
                root,
                revocation: revocation.state,
                expires: expiry.and_then(|(at, _)| UtcTime::from_unix_seconds(at).ok()),
            });
        }
        for message in unchecked {
            self.warning(
                ProblemCode::RevocationNotChecked,
                Some(EVIDENCE_RECORD_PATH),
                message,
            );
        }
        let proven_since = stamps.first().map(|s| s.facts.gen_time);
        let renew_before = reports.last().and_then(|s| s.expires);
        if let Some(why) = &lapsed {
            self.warning(
                ProblemCode::EvidenceRecordLapsed,
                Some(EVIDENCE_RECORD_PATH),
                format!("proves nothing at {}: {why}", when(moment)),
            );
        } else if let Some(since) = proven_since {
            for name in &checked.covered {
                self.record_proves
                    .insert(name.clone(), since.unix_seconds());
            }
            self.record_holds_until = renew_before.map(|t| t.unix_seconds());
        }
        self.report.evidence_record = Some(EvidenceRecordReport {
            file: EVIDENCE_RECORD_PATH.to_string(),
            valid: true,
            trusted: lapsed.is_none(),
            stamps: reports,
            covers: checked.covered,
            proven_since,
            renew_before,
            lapsed,
        });
    }
}
