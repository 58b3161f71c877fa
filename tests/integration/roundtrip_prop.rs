//! Property: any set of awkward file names and contents seals, verifies
//! (exit 0, both bundle forms) and extracts back byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::Dir;
use proptest::prelude::*;

/// One path component: spaces, `%`, CR, LF, backslash, unicode, and
/// lengths up to 120 characters.
fn component() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        'a', 'b', 'Z', '0', '9', ' ', '%', '\n', '\r', '-', '_', '.', '\\', '#', '&', '\'', 'é',
        'ß', '日', '😀', '\u{301}',
    ]);
    prop::collection::vec(chars, 1..120)
        .prop_map(|c| c.into_iter().collect::<String>())
        .prop_filter("not a name a bag can hold", |name| {
            let drive = name.len() >= 2 && name.as_bytes()[1] == b':';
            name != "."
                && name != ".."
                && !name.starts_with('\\')
                && !name.split('\\').any(|p| p == "..")
                && !drive
        })
}

/// Sizes around the interesting boundaries (empty, buffer sizes).
fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(0usize),
        1usize..300,
        prop::sample::select(vec![
            256 * 1024 - 1,
            256 * 1024,
            256 * 1024 + 1,
            (1 << 20) + 3
        ]),
    ]
    .prop_flat_map(|len| prop::collection::vec(any::<u8>(), len..=len))
}

fn tree() -> impl Strategy<Value = BTreeMap<Vec<String>, Vec<u8>>> {
    prop::collection::vec((prop::collection::vec(component(), 1..6), content()), 1..8).prop_map(
        |files| {
            let mut tree: BTreeMap<Vec<String>, Vec<u8>> = BTreeMap::new();
            for (path, bytes) in files {
                // A name cannot be both a file and a folder.
                let clash = tree
                    .keys()
                    .any(|p| p.starts_with(&path) || path.starts_with(p));
                if !clash {
                    tree.insert(path, bytes);
                }
            }
            tree
        },
    )
}

fn fs_path(root: &Path, parts: &[String]) -> PathBuf {
    parts.iter().fold(root.to_path_buf(), |p, c| p.join(c))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        // Deterministic: the same cases on every run and machine.
        rng_seed: proptest::test_runner::RngSeed::Fixed(0xe4_1b17),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_names_and_contents_round_trip(tree in tree()) {
        let dir = Dir::new();
        let src = dir.join("src");
        for (parts, bytes) in &tree {
            let path = fs_path(&src, parts);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
        let keygen = dir.output(["keygen", "-o", "k.key", "--no-passphrase"]);
        prop_assert!(keygen.status.success());
        for bundle in ["b.zip", "b"] {
            let seal = dir.output(["seal", "src", "-o", bundle, "--key", "k.key", "--case", "C", "--exhibit", "E", "-q"]);
            prop_assert!(seal.status.success(), "seal: {}", String::from_utf8_lossy(&seal.stderr));
            let verify = dir.output(["verify", bundle, "--trust", "k.pub"]);
            prop_assert_eq!(verify.status.code(), Some(0), "verify: {}", String::from_utf8_lossy(&verify.stderr));
            let out = format!("out-{bundle}");
            let extract = dir.output(["extract", bundle, "-o", &out, "--trust", "k.pub", "-q"]);
            prop_assert!(extract.status.success(), "extract: {}", String::from_utf8_lossy(&extract.stderr));
            for (parts, bytes) in &tree {
                let restored = std::fs::read(fs_path(&dir.join(&out).join("src"), parts)).unwrap();
                prop_assert_eq!(&restored, bytes);
            }
            let restored_count = walkdir::WalkDir::new(dir.join(&out)).into_iter().filter(|e| e.as_ref().unwrap().file_type().is_file()).count();
            prop_assert_eq!(restored_count, tree.len());
        }
    }
}

#[test]
fn a_deep_tree_round_trips() {
    let dir = Dir::new();
    let deep: PathBuf = (0..60).fold(dir.join("src"), |p, i| p.join(format!("level-{i}")));
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("leaf.txt"), b"deep").unwrap();
    assert!(dir
        .output(["keygen", "-o", "k.key", "--no-passphrase"])
        .status
        .success());
    for bundle in ["b.zip", "b"] {
        assert!(dir
            .output([
                "seal",
                "src",
                "-o",
                bundle,
                "--key",
                "k.key",
                "--case",
                "C",
                "--exhibit",
                "E"
            ])
            .status
            .success());
        assert_eq!(
            dir.output(["verify", bundle, "--trust", "k.pub"])
                .status
                .code(),
            Some(0)
        );
    }
}
