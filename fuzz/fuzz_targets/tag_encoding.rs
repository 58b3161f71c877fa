//! Tag files in the encodings a plain bag may declare: decoding never
//! panics, whatever decodes re-encodes to the input, and the decoded text
//! goes through the parsers verify feeds it to.
//!
//! The checks are `exhibit_fuzz::properties::tag_encoding`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::tag_encoding(data));
