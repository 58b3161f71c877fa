//! Any bytes as an append journal: parsing never panics, and whatever
//! parses is written back byte for byte.
//!
//! The checks are `exhibit_fuzz::properties::journal`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::journal(data));
