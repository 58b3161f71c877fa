//! Custody events: parse, re-serialize, compare.
#![no_main]

use exhibit::format::custody::{CustodyEvent, EVENT_TYPE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(event) = CustodyEvent::parse(data, "x") else {
        return;
    };
    assert_eq!(event.doc_type, EVENT_TYPE);
    let bytes = event.to_bytes();
    let again = CustodyEvent::parse(&bytes, "x").expect("a re-serialized event parses");
    assert_eq!(again, event);
    assert_eq!(again.to_bytes(), bytes);
});
