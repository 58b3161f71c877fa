//! Any bytes as a zip bundle: open it, then run every check of `verify`.
//!
//! The checks are `exhibit_fuzz::properties::bundle_zip`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::bundle_zip(data));
