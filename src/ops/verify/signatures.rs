//! Step 4: every signature record over the seal statement.

use crate::format::seal::SEAL_PATH;
use crate::format::signature::{SignatureRecord, SIGNATURES_DIR};
use crate::limits::MAX_RECORD_BYTES;
use crate::problem::ProblemCode;
use crate::report::SignerReport;

use super::Verification;

/// `exhibit/signatures/<anything>.json` (the name itself is checked later).
pub(super) fn is_signature_record(name: &str) -> bool {
    name.strip_prefix(SIGNATURES_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|file| file.ends_with(".json") && !file.contains('/'))
}

impl Verification<'_> {
    pub(super) fn check_signatures(&mut self, seal_bytes: &[u8]) {
        let names: Vec<String> = self
            .tags
            .keys()
            .filter(|n| is_signature_record(n))
            .cloned()
            .collect();
        if names.is_empty() {
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
                key_id: record.key_id,
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
    }
}
