//! Evidence records (`exhibit/evidence-record.ers`, RFC 4998 DER): reading
//! any bytes never panics; what reads encodes back to the same bytes, and
//! checking it against a few fixed tag files, with every token accepted,
//! never panics either and never covers a file its lists do not hold.
#![no_main]

use exhibit::format::evidence_record::{check, EvidenceRecord};
use exhibit::tsp::HashAlgorithm;
use libfuzzer_sys::fuzz_target;

/// A small bundle's tag files.
const FILES: &[(&str, &[u8])] = &[
    (
        "bagit.txt",
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    ),
    ("bag-info.txt", b"Source-Organization: lab\n"),
    ("manifest-sha256.txt", b""),
    ("exhibit/seal.json", b"{}"),
];

fuzz_target!(|data: &[u8]| {
    let Ok(record) = EvidenceRecord::from_der(data) else {
        return;
    };
    assert_eq!(record.to_der(), data, "read, but encodes to other bytes");
    let digests_of = |algorithm: HashAlgorithm| {
        FILES
            .iter()
            .map(|(name, bytes)| (name.to_string(), algorithm.digest(bytes)))
            .collect()
    };
    let mut accept = |_: &[u8], _: HashAlgorithm, _: &[u8]| Ok(0);
    if let Ok(checked) = check(&record, &digests_of, &mut accept) {
        assert!(checked.covered.len() <= FILES.len());
        assert_eq!(checked.stamps.len(), record.tokens().count());
    }
});
