//! Signature records: parse, re-serialize, compare; checking a parsed
//! record against a message never panics.
#![no_main]

use exhibit::format::seal::SEAL_PATH;
use exhibit::format::signature::{SignatureRecord, SIGNATURE_TYPE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(record) = SignatureRecord::parse(data, "x") else {
        return;
    };
    assert_eq!(record.doc_type, SIGNATURE_TYPE);
    let bytes = record.to_bytes();
    let again = SignatureRecord::parse(&bytes, "x").expect("a re-serialized record parses");
    assert_eq!(again, record);
    assert_eq!(again.to_bytes(), bytes);
    let _ = record.check(&record.signed_file, data);
    let _ = record.check(SEAL_PATH, b"");
});
