//! Step 7 for a disclosure bundle: instead of the manifests' digests and
//! the Merkle root over the whole payload, `bag-info.txt` against the seal
//! and each disclosed file against its leaf input and inclusion proof.
//! Signatures, custody and trust run after it exactly as for a full bundle.

use std::collections::HashMap;

use crate::digest::Sha256Digest;
use crate::format::bag;
use crate::format::disclosure::{DisclosedFile, Disclosure, DISCLOSURE_PATH};
use crate::format::seal::SealStatement;
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::problem::{Problem, ProblemCode};
use crate::report::DisclosureSummary;

use super::Verification;

impl Verification<'_> {
    /// The manifests, the BLAKE3 manifest and the salts of the sealed
    /// bundle are not in a disclosure bundle, so their `tag_digests` are not
    /// checked here; the leaf inputs and proofs take their place.
    pub(super) fn check_disclosure(
        &mut self,
        statement: &SealStatement,
        seal_bytes: &[u8],
        payload_hashed: bool,
    ) {
        self.record_statement(statement, payload_hashed);
        self.check_sealed_bag_info(statement);
        let Some(bytes) = self.read_tag(DISCLOSURE_PATH, MAX_DOCUMENT_BYTES) else {
            return;
        };
        let document = match Disclosure::parse(&bytes) {
            Ok(document) => document,
            Err(e) => {
                self.problem(
                    ProblemCode::DisclosureInvalid,
                    Some(DISCLOSURE_PATH),
                    e.to_string(),
                );
                return;
            }
        };
        self.report.disclosure = Some(DisclosureSummary {
            disclosed: document.files.len() as u64,
            sealed: statement.payload.file_count,
            proof_sha256: Sha256Digest::of(&bytes),
        });
        if !payload_hashed {
            // What the document claims (inspect reads no payload).
            self.report.file_count = document.files.len() as u64;
            self.report.total_bytes = document
                .files
                .iter()
                .fold(0u64, |t, f| t.saturating_add(f.size));
        }
        let proof_problems = document.check(seal_bytes, statement);
        self.report.problems.extend(proof_problems);
        self.check_disclosed_files(&document, payload_hashed);
    }

    /// `bag-info.txt` is the sealed one, byte for byte; its Payload-Oxum
    /// counts the sealed payload, not the disclosed part.
    fn check_sealed_bag_info(&mut self, statement: &SealStatement) {
        let expected = statement.tag_digests.bag_info;
        match self.bag_info_bytes.as_deref().map(Sha256Digest::of) {
            Some(actual) if actual == expected => {}
            Some(actual) => self.problem(
                ProblemCode::SealTagDigestMismatch,
                Some(bag::BAG_INFO_NAME),
                format!("SHA-256 is {actual}, the seal statement says {expected}"),
            ),
            None if self.is_unreadable(bag::BAG_INFO_NAME) => {}
            None => self.problem(
                ProblemCode::SealTagDigestMismatch,
                Some(bag::BAG_INFO_NAME),
                "sealed tag file is missing",
            ),
        }
        let oxum = self.bag_info.as_ref().and_then(|i| i.payload_oxum());
        if let Some(Ok(oxum)) = oxum {
            let sealed = (statement.payload.total_bytes, statement.payload.file_count);
            if (oxum.octets, oxum.streams) != sealed {
                self.problem(
                    ProblemCode::OxumMismatch,
                    Some(bag::BAG_INFO_NAME),
                    format!(
                        "Payload-Oxum says {oxum}, the seal {}.{}",
                        sealed.0, sealed.1
                    ),
                );
            }
        }
    }

    /// Every payload file has an entry and matches its leaf input as read;
    /// every entry has its file.
    fn check_disclosed_files(&mut self, document: &Disclosure, payload_hashed: bool) {
        let listed: HashMap<&str, &DisclosedFile> = document.first_entries();
        let mut problems = Vec::new();
        for (i, entry) in self.payload.iter().enumerate() {
            let Some(file) = listed.get(entry.name.as_str()) else {
                problems.push(Problem::new(
                    ProblemCode::DisclosureInvalid,
                    Some(&entry.name),
                    format!("in the bag, but {DISCLOSURE_PATH} has no proof for it"),
                ));
                continue;
            };
            if !payload_hashed {
                continue;
            }
            // A file that could not be read was reported as such.
            let Some(Some(actual)) = self.digests.get(i) else {
                continue;
            };
            let mut differs = Vec::new();
            if actual.size != file.size {
                differs.push(format!(
                    "size is {}, the leaf says {}",
                    actual.size, file.size
                ));
            }
            if actual.sha256 != file.sha256 {
                differs.push(format!(
                    "SHA-256 is {}, the leaf says {}",
                    actual.sha256, file.sha256
                ));
            }
            if actual.blake3 != file.blake3 {
                differs.push(format!(
                    "BLAKE3 is {}, the leaf says {}",
                    actual.blake3, file.blake3
                ));
            }
            if !differs.is_empty() {
                problems.push(Problem::new(
                    ProblemCode::DisclosureFileMismatch,
                    Some(&entry.name),
                    format!("not the disclosed file: {}", differs.join("; ")),
                ));
            }
        }
        let present: std::collections::HashSet<&str> =
            self.payload.iter().map(|e| e.name.as_str()).collect();
        // Opened with its tag files only (inspect): no payload listed.
        let listed = self.bundle.payload_listed();
        let entries = document.files.iter().filter(|f| f.has_payload_path());
        for file in entries.filter(|_| listed) {
            if !present.contains(file.path.as_str()) {
                problems.push(Problem::new(
                    ProblemCode::PayloadMissing,
                    Some(&file.path),
                    format!("listed in {DISCLOSURE_PATH} but not in the bag"),
                ));
            }
        }
        self.report.problems.extend(problems);
    }
}
