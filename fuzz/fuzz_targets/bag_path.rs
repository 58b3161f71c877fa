//! Bag paths and BagIt percent-encoding. A path that parses never leaves
//! the folder it is joined to; encoding then decoding gives the path back.
#![no_main]

use std::path::{Component, Path};

use exhibit::format::paths::{percent_decode, percent_encode, BagPath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    assert_eq!(percent_decode(&percent_encode(s)), s);
    let decoded = percent_decode(s);

    for candidate in [s, decoded.as_ref()] {
        let Ok(path) = BagPath::parse(candidate) else {
            continue;
        };
        assert_eq!(path.as_str(), candidate);
        assert!(!candidate.contains('\0'));
        for component in path.components() {
            assert!(!component.is_empty() && component != "." && component != "..");
        }
        let base = Path::new("/base/folder");
        let joined = path.to_fs_path(base);
        assert!(
            joined.starts_with(base),
            "{candidate:?} escapes to {joined:?}"
        );
        assert!(joined
            .strip_prefix(base)
            .expect("below base")
            .components()
            .all(|c| matches!(c, Component::Normal(_))));
        assert_eq!(BagPath::parse(path.as_str()).as_ref(), Ok(&path));
        assert_eq!(path.is_payload(), path.strip_data().is_some());
        let _ = exhibit::format::paths::case_fold_key(&path);
    }
});
