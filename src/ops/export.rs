//! `exhibit export case`: verify the bundle (payload hashed), then hand
//! back the report and the bytes every exported IRI is derived from. The
//! JSON-LD itself is built by `report::case`.

use crate::format::seal::SEAL_PATH;
use crate::limits::MAX_DOCUMENT_BYTES;
use crate::report::Report;
use crate::store::Bundle;
use crate::trust::TrustSet;

use super::verify::verify_bundle;
use super::Observer;

/// What an export is made from.
pub struct ExportSource {
    /// The full verification, whatever its outcome: a bundle that does not
    /// verify is still exported, with its verdict.
    pub report: Report,
    /// `exhibit/seal.json` as stored, when it could be read.
    pub seal_bytes: Option<Vec<u8>>,
    /// The stable seed of the export's IRIs: the seal statement's bytes,
    /// else (a plain bag) its payload manifest's, else the bundle path.
    pub seed: Vec<u8>,
}

pub fn export_source(bundle: &Bundle, trust: &TrustSet, observer: &dyn Observer) -> ExportSource {
    let report = verify_bundle(bundle, trust, observer);
    let read = |name: &str| {
        bundle
            .find(name)
            .and_then(|entry| bundle.read_entry(entry, MAX_DOCUMENT_BYTES).ok())
    };
    let seal_bytes = read(SEAL_PATH);
    let seed = seal_bytes
        .clone()
        .or_else(|| read("manifest-sha256.txt"))
        .unwrap_or_else(|| report.bundle.as_bytes().to_vec());
    ExportSource {
        report,
        seal_bytes,
        seed,
    }
}
