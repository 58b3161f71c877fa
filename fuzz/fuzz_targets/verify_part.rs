//! Verify parts (`verify --shard`, read back by `verify --parts`): a header
//! and records parse, and whatever parses round-trips through `to_line`.
//!
//! The checks are `exhibit_fuzz::properties::verify_part`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::verify_part(data));
