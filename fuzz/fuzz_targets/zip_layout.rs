//! Any bytes as a zip: the byte-for-byte structure accounting never panics
//! or hangs, and a zip it accepts without problems is one the zip crate
//! reads with the same entries.
//!
//! The checks are `exhibit_fuzz::properties::zip_layout`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::zip_layout(data));
