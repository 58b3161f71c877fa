//! bagit.txt: parse; what parses is a supported version and an encoding
//! this tool decodes, the one its label names.
#![no_main]

use exhibit::format::bag::{parse_bagit_txt, TagEncoding, SUPPORTED_VERSIONS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_bagit_txt(data) {
        Ok(declaration) => {
            assert!(SUPPORTED_VERSIONS.contains(&declaration.version.as_str()));
            assert_eq!(
                TagEncoding::from_label(&declaration.encoding),
                Some(declaration.tag_encoding)
            );
        }
        Err(e) => assert_eq!(e.file(), "bagit.txt"),
    }
});
