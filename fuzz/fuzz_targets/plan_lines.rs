//! Plan and part lines: parse; what parses writes back to the same value.
//!
//! The checks are `exhibit_fuzz::properties::plan_lines`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::plan_lines(data));
