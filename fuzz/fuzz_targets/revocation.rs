//! Stored revocation material (CRLs and OCSP responses): reading and
//! judging never panics and answers the same twice.
//!
//! The checks are `exhibit_fuzz::properties::revocation`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::revocation(data));
