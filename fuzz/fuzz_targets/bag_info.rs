//! bag-info.txt: parse; whatever parses round-trips through `to_bytes`.
//! Also: every entry `BagInfo::push` accepts survives `to_bytes` and
//! `parse` unchanged (labels and values taken from NUL-separated pieces).
#![no_main]

use exhibit::format::bag::BagInfo;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = BagInfo::parse(data) {
        let _ = info.payload_oxum();
        let bytes = info.to_bytes();
        let again = BagInfo::parse(&bytes).expect("a re-serialized bag-info parses");
        assert_eq!(again, info);
        assert_eq!(again.to_bytes(), bytes);
    }

    let text = String::from_utf8_lossy(data);
    let pieces: Vec<&str> = text.split('\0').collect();
    let mut built = BagInfo::new();
    for pair in pieces.chunks_exact(2) {
        let _ = built.push(pair[0], pair[1]);
    }
    let bytes = built.to_bytes();
    let parsed = BagInfo::parse(&bytes).expect("pushed entries parse back");
    assert_eq!(parsed, built);
});
