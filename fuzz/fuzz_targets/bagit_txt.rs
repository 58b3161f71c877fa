//! bagit.txt: parse; what parses is a supported version and an encoding
//! this tool decodes, the one its label names.
//!
//! The checks are `exhibit_fuzz::properties::bagit_txt`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::bagit_txt(data));
