//! Custody events: parse, re-serialize, compare.
//!
//! The checks are `exhibit_fuzz::properties::custody_event`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::custody_event(data));
