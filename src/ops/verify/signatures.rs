//! Step 4: every signature record over the seal statement.

use crate::format::seal::SEAL_PATH;
use crate::format::signature::{cert_signature_path, SignatureRecord, SIGNATURES_DIR};
use crate::limits::MAX_RECORD_BYTES;
use crate::problem::ProblemCode;
use crate::report::{CertificateReport, SignerKind, SignerReport};
use crate::trust::TrustSet;
use crate::tsp::{check_detached, TokenError};

use super::Verification;

/// `exhibit/signatures/<anything>.json` (the name itself is checked later).
pub(super) fn is_signature_record(name: &str) -> bool {
    signature_file(name).is_some_and(|file| file.ends_with(".json"))
}

/// `exhibit/signatures/<anything>.p7s`: a certificate's signature.
pub(super) fn is_cert_signature(name: &str) -> bool {
    signature_file(name).is_some_and(|file| file.ends_with(".p7s"))
}

fn signature_file(name: &str) -> Option<&str> {
    name.strip_prefix(SIGNATURES_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|file| !file.contains('/'))
}

impl Verification<'_> {
    pub(super) fn check_signatures(&mut self, seal_bytes: &[u8], trust: &TrustSet) {
        let (names, certificates): (Vec<String>, Vec<String>) = self
            .tags
            .keys()
            .filter(|n| is_signature_record(n) || is_cert_signature(n))
            .cloned()
            .partition(|n| is_signature_record(n));
        if names.is_empty() && certificates.is_empty() {
            self.problem(
                ProblemCode::SignatureNone,
                Some(SIGNATURES_DIR),
                "the seal has no signature",
            );
        }
        for name in names {
            let Some(bytes) = self.read_tag(&name, MAX_RECORD_BYTES) else {
                continue;
            };
            let record = match SignatureRecord::parse(&bytes, &name) {
                Ok(record) => record,
                Err(e) => {
                    self.problem(ProblemCode::SignatureInvalid, Some(&name), e.to_string());
                    continue;
                }
            };
            let expected_name = crate::format::signature::signature_path(&record.key_id);
            if name != expected_name {
                self.problem(
                    ProblemCode::SignatureInvalid,
                    Some(&name),
                    format!(
                        "record for key {} must be named {expected_name}",
                        record.key_id
                    ),
                );
            }
            let valid = match record.check(SEAL_PATH, seal_bytes) {
                Ok(_) => true,
                Err(e) => {
                    self.problem(ProblemCode::SignatureBad, Some(&name), e.to_string());
                    false
                }
            };
            self.report.signers.push(SignerReport {
                kind: SignerKind::Ed25519,
                key_id: record.key_id,
                certificate: None,
                name: record.signer.name.clone(),
                organization: record.signer.organization.clone(),
                signed_at: Some(record.signed_at),
                valid,
                trusted: false,
                untrusted_reason: None,
                proven_time: None,
                timestamp: None,
            });
        }
        for name in certificates {
            self.check_cert_signature(&name, seal_bytes, trust);
        }
    }

    /// A certificate's detached signature over the seal statement, its
    /// path checked against the `--ca` roots at its signing time.
    fn check_cert_signature(&mut self, name: &str, seal_bytes: &[u8], trust: &TrustSet) {
        let Some(bytes) = self.read_tag(name, MAX_RECORD_BYTES) else {
            return;
        };
        let facts = match check_detached(&bytes, seal_bytes, trust.cas(), None) {
            Ok(facts) => facts,
            Err(TokenError::Invalid(reason)) => {
                return self.problem(ProblemCode::SignatureBad, Some(name), reason)
            }
            Err(e) => {
                return self.problem(ProblemCode::SignatureInvalid, Some(name), e.to_string())
            }
        };
        let expected_name = cert_signature_path(&facts.cert_id);
        if name != expected_name {
            return self.problem(
                ProblemCode::SignatureInvalid,
                Some(name),
                format!(
                    "signature by certificate {} must be named {expected_name}",
                    facts.cert_id
                ),
            );
        }
        let policy_facts = super::trust::CertificateFacts::of(&bytes, seal_bytes, &facts, trust);
        self.certificates.insert(facts.cert_id, policy_facts);
        self.report.signers.push(SignerReport {
            kind: SignerKind::X509,
            key_id: facts.cert_id,
            certificate: Some(CertificateReport::from(&facts)),
            name: Some(facts.subject),
            organization: None,
            signed_at: facts.signing_time,
            valid: true,
            trusted: false,
            untrusted_reason: None,
            proven_time: None,
            timestamp: None,
        });
    }
}
