//! `exhibit inspect`: what a bundle says about itself — case metadata,
//! signers, custody summary — without hashing or listing the payload.
//! Signatures, custody links and the seal's tag digests are still checked.
//!
//! Meant for a bundle opened with `Bundle::open_tag_files`: then what it
//! costs does not grow with the number of payload files, beyond hashing the
//! sealed manifests (and, for a zip, streaming its central directory).

use crate::format::disclosure::DISCLOSURE_PATH;
use crate::format::seal::SEAL_PATH;
use crate::ops::verify::verify_without_payload;
use crate::problem::{Problem, ProblemCode};
use crate::report::{Inspection, PayloadEntries};
use crate::store::{Bundle, Listing};
use crate::trust::TrustSet;

/// Reads and checks everything but the payload.
pub fn inspect(bundle: &Bundle, trust: &TrustSet) -> Inspection {
    let report = verify_without_payload(bundle, trust);
    let counted = match bundle.listing {
        Listing::TagFiles { payload } => payload,
        Listing::Full => None,
    };
    // A zip's central directory counts its payload records for free: a
    // count or size other than the sealed one can never verify.
    let mismatch = match (counted, &report.statement) {
        (Some(count), Some(_))
            if (count.files, count.bytes) != (report.file_count, report.total_bytes) =>
        {
            let (path, what) = match report.disclosure {
                Some(_) => (DISCLOSURE_PATH, "the disclosure document lists"),
                None => (SEAL_PATH, "the seal says"),
            };
            Some(Problem::new(
                ProblemCode::SealPayloadMismatch,
                Some(path),
                format!(
                    "the zip lists {} payload files, {} bytes; {what} {} files, {} bytes",
                    count.files, count.bytes, report.file_count, report.total_bytes
                ),
            ))
        }
        _ => None,
    };
    let mut inspection = Inspection::from(report);
    inspection.problems.extend(mismatch);
    inspection.payload_entries = counted.map(|c| PayloadEntries {
        files: c.files,
        bytes: c.bytes,
    });
    inspection
}
