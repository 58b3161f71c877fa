//! A well-formed zip built from fuzzed entry names, contents and flags, so
//! the fuzzer spends its time on the bag inside rather than on zip headers.
//!
//! The checks are `exhibit_fuzz::properties::bundle_structured`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::bundle_structured(data));
