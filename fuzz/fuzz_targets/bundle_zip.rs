//! Any bytes as a zip bundle: open it, then run every check of `verify`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = exhibit_fuzz::scratch_zip(data);
    exhibit_fuzz::open_and_verify(&path);
});
