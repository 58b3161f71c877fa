//! Bag paths and BagIt percent-encoding. A path that parses never leaves
//! the folder it is joined to; encoding then decoding gives the path back.
//!
//! The checks are `exhibit_fuzz::properties::bag_path`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::bag_path(data));
