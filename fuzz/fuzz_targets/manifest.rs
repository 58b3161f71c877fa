//! BagIt manifests: parse; whatever parses is written back with
//! `write_manifest` and parses to the same digests and paths.
//!
//! The checks are `exhibit_fuzz::properties::manifest`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::manifest(data));
