//! Seal statements: parse, and anything that parses re-serializes to bytes
//! that parse to the same statement and serialize the same way again.
//!
//! The checks are `exhibit_fuzz::properties::seal_statement`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::seal_statement(data));
