//! Step 3: the seal statement: the files it defines, its tag digests, the payload it counts.

use crate::digest::Sha256Digest;
use crate::format::bag::{self};
use crate::format::custody::{self};
use crate::format::disclosure::DISCLOSURE_PATH;
use crate::format::evidence_record::EVIDENCE_RECORD_PATH;
use crate::format::salt::MERKLE_SALTS_PATH;
use crate::format::seal::{SealStatement, BLAKE3_MANIFEST_PATH, SEAL_PATH};
use crate::format::timestamp::{self};
use crate::format::validation::parse_validation_path;
use crate::limits::{MAX_DOCUMENT_BYTES, MAX_MANIFEST_BYTES};
use crate::problem::{Problem, ProblemCode};
use crate::report::BundleKind;

use super::{is_cert_signature, is_signature_record, Verification, VerifyOptions};

impl Verification<'_> {
    /// Steps 3–6: seal statement, signatures, custody, trust.
    pub(super) fn check_seal(&mut self, options: &VerifyOptions<'_>) {
        self.report.kind = BundleKind::Exhibit;
        let disclosure = self.is_disclosure();
        let known = |name: &str| {
            name == SEAL_PATH
                || (!disclosure && (name == BLAKE3_MANIFEST_PATH || name == MERKLE_SALTS_PATH))
                || (disclosure && name == DISCLOSURE_PATH)
                || is_signature_record(name)
                || is_cert_signature(name)
                || custody::parse_event_file_name(name).is_some()
                || timestamp::parse_token_path(name).is_some()
                || parse_validation_path(name).is_some()
                || name == EVIDENCE_RECORD_PATH
        };
        let unexpected: Vec<String> = self
            .tags
            .keys()
            .filter(|n| n.starts_with("exhibit/") && !known(n))
            .cloned()
            .collect();
        // Tag files outside exhibit/ are allowed by BagIt but not sealed:
        // say so, so nobody relies on them.
        let unsealed: Vec<String> = self
            .tags
            .keys()
            .filter(|n| !n.starts_with("exhibit/"))
            .filter(|n| {
                !matches!(
                    n.as_str(),
                    "bagit.txt" | "bag-info.txt" | "manifest-sha256.txt"
                )
            })
            .cloned()
            .collect();
        for name in unsealed {
            self.report.warnings.push(Problem::new(
                ProblemCode::SealUnexpectedFile,
                Some(&name),
                "tag file not covered by the seal; do not rely on its content",
            ));
        }
        for name in unexpected {
            self.problem(
                ProblemCode::SealUnexpectedFile,
                Some(&name),
                "file not defined by the exhibit format",
            );
        }

        let Some(seal_bytes) = self.read_tag(SEAL_PATH, MAX_DOCUMENT_BYTES) else {
            if !self.tags.contains_key(SEAL_PATH) {
                self.problem(
                    ProblemCode::SealMissing,
                    Some(SEAL_PATH),
                    "seal statement is missing",
                );
            }
            return;
        };
        let statement = match SealStatement::parse(&seal_bytes) {
            Ok(statement) => Some(statement),
            Err(e) => {
                self.problem(ProblemCode::SealInvalid, Some(SEAL_PATH), e.to_string());
                None
            }
        };
        match &statement {
            Some(statement) if disclosure => {
                self.check_disclosure(statement, &seal_bytes, options.hash_payload)
            }
            Some(statement) => self.check_statement(statement, options.hash_payload),
            None => {}
        }
        self.check_signatures(&seal_bytes, options.trust);
        self.check_custody(&seal_bytes, options.trust);
        self.check_custody_anchor();
        self.load_validation();
        self.check_evidence_record(options.trust);
        self.check_timestamps(options.trust);
        self.check_certificates_at_their_times(&seal_bytes, options.trust);
        self.decide_trust(options.trust);
        self.find_proof_expiry();
    }

    /// What the statement says about the case, into the report.
    pub(super) fn record_statement(&mut self, statement: &SealStatement, payload_hashed: bool) {
        self.report.case_id = Some(statement.case_id.clone());
        self.report.exhibit_id = Some(statement.exhibit_id.clone());
        self.report.sealed_at = Some(statement.sealed_at);
        self.report.statement = Some(statement.clone());
        if !payload_hashed {
            self.report.file_count = statement.payload.file_count;
            self.report.total_bytes = statement.payload.total_bytes;
        }
    }

    pub(super) fn check_statement(&mut self, statement: &SealStatement, payload_hashed: bool) {
        self.record_statement(statement, payload_hashed);
        let mut tag_checks = vec![
            ("manifest-sha256.txt", statement.tag_digests.manifest_sha256),
            (BLAKE3_MANIFEST_PATH, statement.tag_digests.manifest_blake3),
        ];
        match statement.tag_digests.merkle_salts {
            Some(salts) => tag_checks.push((MERKLE_SALTS_PATH, salts)),
            None if self.tags.contains_key(MERKLE_SALTS_PATH) => self.problem(
                ProblemCode::SealUnexpectedFile,
                Some(MERKLE_SALTS_PATH),
                format!("a {} bundle has no salts", statement.doc_type),
            ),
            None => {}
        }
        tag_checks.push((bag::BAG_INFO_NAME, statement.tag_digests.bag_info));
        for (name, expected) in tag_checks {
            let actual = if name == bag::BAG_INFO_NAME {
                self.bag_info_bytes.as_deref().map(Sha256Digest::of)
            } else {
                self.tag_sha256(name, MAX_MANIFEST_BYTES)
            };
            match actual {
                Some(actual) if actual == expected => {}
                Some(actual) => self.problem(
                    ProblemCode::SealTagDigestMismatch,
                    Some(name),
                    format!("SHA-256 is {actual}, the seal statement says {expected}"),
                ),
                None if self.is_unreadable(name) => {}
                None => self.problem(
                    ProblemCode::SealTagDigestMismatch,
                    Some(name),
                    "sealed tag file is missing",
                ),
            }
        }
        if !payload_hashed {
            return;
        }
        let count = self.payload.len() as u64;
        let total = self.report.total_bytes;
        if count != statement.payload.file_count || total != statement.payload.total_bytes {
            self.problem(
                ProblemCode::SealPayloadMismatch,
                Some(SEAL_PATH),
                format!(
                    "sealed {} files, {} bytes; the bag holds {count} files, {total} bytes",
                    statement.payload.file_count, statement.payload.total_bytes
                ),
            );
        }
        self.check_merkle_root(statement);
    }
}
