//! Seal statements: parse, and anything that parses re-serializes to bytes
//! that parse to the same statement and serialize the same way again.
#![no_main]

use exhibit::format::seal::{SealStatement, SEAL_TYPE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(statement) = SealStatement::parse(data) else {
        return;
    };
    assert_eq!(statement.doc_type, SEAL_TYPE);
    let bytes = statement.to_bytes();
    let again = SealStatement::parse(&bytes).expect("a re-serialized statement parses");
    assert_eq!(again, statement);
    assert_eq!(again.to_bytes(), bytes);
});
