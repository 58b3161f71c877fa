//! Evidence records (RFC 4998 DER): reading, re-encoding and checking
//! never panics.
//!
//! The checks are `exhibit_fuzz::properties::evidence_record`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::evidence_record(data));
