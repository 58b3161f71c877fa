//! Signature records: parse, re-serialize, compare; checking a parsed
//! record against a message never panics.
//!
//! The checks are `exhibit_fuzz::properties::signature_record`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::signature_record(data));
