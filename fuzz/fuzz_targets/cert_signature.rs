//! Certificate signatures (`.p7s`, a detached CMS SignedData over bytes
//! kept elsewhere): checking one never panics, gives the same answer
//! twice, and never trusts a certificate with no root given.
//!
//! The checks are `exhibit_fuzz::properties::cert_signature`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::cert_signature(data));
