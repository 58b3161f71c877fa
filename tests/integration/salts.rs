//! Seal format 2: every payload file's Merkle leaf is salted, the salts are
//! sealed in `exhibit/merkle-salts.txt`, sealing stays reproducible, and a
//! changed, missing or extra salt fails verification.

use std::collections::BTreeMap;

use crate::common::{
    self, copy_tree, problems, read_bag_files, read_zip_bag, write_bag_files, Dir,
};
use serde_json::Value;

const SALTS: &str = "exhibit/merkle-salts.txt";

fn evidence(dir: &Dir) {
    dir.write("evidence/a.txt", b"alpha\n");
    dir.write("evidence/sub/b.bin", common::content(5000, 3));
    dir.write("evidence/100% c.txt", b"gamma\n");
}

fn salt_lines(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    String::from_utf8(files[SALTS].clone())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn seals_are_format_2_with_sealed_salts_and_stay_reproducible() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], "one.zip", &key);
    dir.seal(&["evidence"], "two.zip", &key);
    // Same input, metadata, key and time: the same files (the zips differ
    // only by their top folder's name).
    let (_, files) = read_zip_bag(&bundle);
    assert!(
        files == read_zip_bag(&dir.join("two.zip")).1,
        "not reproducible"
    );
    let seal: Value = serde_json::from_slice(&files["exhibit/seal.json"]).unwrap();
    assert_eq!(seal["type"], "exhibit.seal/2");
    assert_eq!(seal["payload"]["merkle_leaf"], "exhibit.merkle-leaf/2");
    assert_eq!(seal["tag_digests"][SALTS].as_str().unwrap(), {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&files[SALTS]))
    });
    // The salts file has the manifests' line format, order and paths.
    let salts = salt_lines(&files);
    let manifest = String::from_utf8(files["manifest-sha256.txt"].clone()).unwrap();
    let paths: Vec<&str> = manifest.lines().map(|l| &l[66..]).collect();
    assert_eq!(salts.iter().map(|l| &l[66..]).collect::<Vec<_>>(), paths);
    assert!(paths.contains(&"data/evidence/100%25 c.txt"));
    let distinct: std::collections::BTreeSet<&str> = salts.iter().map(|l| &l[..64]).collect();
    assert_eq!(distinct.len(), 3, "one salt per file");
    dir.verify_json(&bundle, &[&key], 0);

    // Another key, or another exhibit id: other salts for the same files.
    let other = dir.keygen("other");
    let (_, other_key) = read_zip_bag(&dir.seal(&["evidence"], "three.zip", &other));
    dir.seal_exhibit(&["evidence"], "four.zip", &key, "A2");
    let (_, other_exhibit) = read_zip_bag(&dir.join("four.zip"));
    for other in [&other_key, &other_exhibit] {
        let theirs = salt_lines(other);
        for (mine, theirs) in salts.iter().zip(&theirs) {
            assert_eq!(mine[66..], theirs[66..]);
            assert_ne!(mine[..64], theirs[..64]);
        }
    }
}

#[test]
fn a_changed_missing_or_extra_salt_fails() {
    let dir = Dir::new();
    evidence(&dir);
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], "bundle", &key);
    let good = read_bag_files(&bundle);
    let lines = salt_lines(&good);
    let with_salts = |lines: &[String]| {
        let mut files = good.clone();
        files.insert(SALTS.into(), (lines.join("\n") + "\n").into_bytes());
        files
    };
    let mut changed = lines.clone();
    changed[0] = format!("{}{}", "0".repeat(64), &changed[0][64..]);
    let mut extra = lines.clone();
    extra.push(format!("{}  data/evidence/zzz", "1".repeat(64)));
    let mut removed_file = good.clone();
    removed_file.remove(SALTS);
    type Case<'a> = (&'a str, BTreeMap<String, Vec<u8>>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            "a salt changed",
            with_salts(&changed),
            "seal.tag-digest-mismatch",
            SALTS,
        ),
        (
            "a salt removed",
            with_salts(&lines[1..]),
            "seal.merkle-mismatch",
            "exhibit/seal.json",
        ),
        (
            "a salt added",
            with_salts(&extra),
            "seal.invalid",
            "data/evidence/zzz",
        ),
        (
            "the salts file removed",
            removed_file,
            "seal.missing",
            SALTS,
        ),
    ];
    for (i, (name, files, code, path)) in cases.into_iter().enumerate() {
        let target = dir.join(format!("case-{i}"));
        copy_tree(&bundle, &target);
        write_bag_files(&target, &files);
        let report = dir.verify_json(&target, &[&key], 1);
        let found = problems(&report);
        assert!(
            found.contains(&(code.to_string(), Some(path.to_string()))),
            "{name}: expected {code} on {path}, got {found:?}"
        );
    }
}
