//! A well-formed zip built from fuzzed entry names, contents and flags, so
//! the fuzzer spends its time on the bag inside rather than on zip headers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let entries = exhibit_fuzz::decode_entries(data);
    let Some(zip) = exhibit_fuzz::build_zip(&entries) else {
        return;
    };
    let path = exhibit_fuzz::scratch_zip(&zip);
    exhibit_fuzz::open_and_verify(&path);
});
