//! RFC 3161 time-stamp responses (token files, TSA answers, attached
//! `.tsr` files): checking one never panics and gives the same answer
//! twice, and a token it accepts covers the imprint it states. The same
//! bytes read as a genTime are refused unless they are its DER form.
//!
//! The checks are `exhibit_fuzz::properties::timestamp_response`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::timestamp_response(data));
