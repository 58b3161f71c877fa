//! The custody chain checker over logs built from the fuzzer's bytes:
//! mostly real, signed events whose numbering, links, actors, recipients,
//! signatures and bytes the input chooses, some raw bytes. `check_chain`
//! must never panic, and a log it finds no problem in must be complete and
//! fully signed.
//!
//! The checks, and how the bytes are read, are
//! `exhibit_fuzz::properties::custody_chain`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::custody_chain(data));
