//! bag-info.txt: parse; whatever parses round-trips through `to_bytes`.
//! Also: every entry `BagInfo::push` accepts survives `to_bytes` and
//! `parse` unchanged (labels and values taken from NUL-separated pieces).
//!
//! The checks are `exhibit_fuzz::properties::bag_info`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| exhibit_fuzz::properties::bag_info(data));
