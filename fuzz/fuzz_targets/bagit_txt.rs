//! bagit.txt: parse; what parses is a supported version in UTF-8.
#![no_main]

use exhibit::format::bag::{parse_bagit_txt, SUPPORTED_VERSIONS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_bagit_txt(data) {
        Ok(declaration) => {
            assert!(SUPPORTED_VERSIONS.contains(&declaration.version.as_str()));
            assert!(declaration.encoding.eq_ignore_ascii_case("UTF-8"));
        }
        Err(e) => assert_eq!(e.file(), "bagit.txt"),
    }
});
