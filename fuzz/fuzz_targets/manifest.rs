//! BagIt manifests: parse; whatever parses is written back with
//! `write_manifest` and parses to the same digests and paths.
#![no_main]

use exhibit::format::bag::{parse_manifest_file, write_manifest, ManifestLine};
use libfuzzer_sys::fuzz_target;

const NAME: &str = "manifest-sha256.txt";

fn pairs(lines: &[ManifestLine]) -> Vec<(&str, &str)> {
    lines
        .iter()
        .map(|l| (l.digest.as_str(), l.path.as_str()))
        .collect()
}

fn check(data: &[u8], hex_len: usize) {
    let lines = match parse_manifest_file(NAME, data, hex_len) {
        Ok(lines) => lines,
        Err(e) => {
            assert_eq!(e.file(), NAME);
            return;
        }
    };
    for l in &lines {
        assert_eq!(l.digest.len(), hex_len);
        assert!(l
            .digest
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        assert!(!l.path.is_empty());
    }
    let written = write_manifest(pairs(&lines));
    let again = parse_manifest_file(NAME, &written, hex_len).expect("a written manifest parses");
    assert_eq!(pairs(&again), pairs(&lines));
}

fuzz_target!(|data: &[u8]| {
    check(data, 64);
    check(data, 40);
});
