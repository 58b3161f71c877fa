//! Bundles sealed before seal format 2 (`exhibit.seal/1`, unsalted leaves)
//! still verify: `tests/data/format1/format1.zip` was made by the format-1
//! binary and is never regenerated.

use std::fs;

use crate::common::{problems, read_zip_bag, rewrite_zip_bag, stderr, stdout, test_data, Dir, Key};

fn fixture(dir: &Dir) -> (std::path::PathBuf, Key) {
    let zip = dir.join("format1.zip");
    fs::copy(test_data("format1/format1.zip"), &zip).unwrap();
    let examiner = Key {
        secret: dir.join("none.key"),
        public: test_data("format1/examiner.pub"),
        id: "ad4a70c10bb66dfa14d19406bf1d6f8fb9699959d90d22ea983442da58009ba3".into(),
    };
    (zip, examiner)
}

#[test]
fn a_format_1_bundle_still_verifies() {
    let dir = Dir::new();
    let (zip, examiner) = fixture(&dir);
    let report = dir.verify_json(&zip, &[&examiner], 0);
    assert_eq!(report["status"], "verified");
    assert_eq!(report["statement"]["type"], "exhibit.seal/1");
    assert_eq!(
        report["statement"]["payload"]["merkle_leaf"],
        "exhibit.merkle-leaf/1"
    );
    assert_eq!(
        report["statement"]["payload"]["merkle_root"],
        "d8cc1f6ec03b927e8e4d688d3625a76afa01a99ed6d4fc28946e44da9fd89d26"
    );
    assert!(report["statement"]["tag_digests"]
        .get("exhibit/merkle-salts.txt")
        .is_none());
    assert_eq!(report["file_count"], 7);
    assert_eq!(
        report["custody_head"],
        "3:2cdb53a6afd63aa5a487858a91f6a1c3e0db50c6f421504aa18f8a051563b09a"
    );
    assert!(report.get("disclosure").is_none());
    let trust = examiner.public.to_str().unwrap();
    dir.run(["custody", "replay", "format1.zip", "--trust", trust], 0);
    dir.run(["inspect", "format1.zip"], 0);
    let out = dir.run(["extract", "format1.zip", "-o", "got", "--trust", trust], 0);
    assert!(
        stdout(&out).contains("extracted 7 files"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        fs::read(dir.join("got/evidence/phone/sms.csv")).unwrap(),
        fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/evidence/phone/sms.csv"
        ))
        .unwrap()
    );
}

#[test]
fn a_changed_format_1_bundle_still_fails() {
    let dir = Dir::new();
    let (zip, examiner) = fixture(&dir);
    let (_, files) = read_zip_bag(&zip);
    let name = "data/evidence/phone/sms.csv";

    // A payload byte, and the manifests made to agree: the Merkle root of
    // the format-1 leaves sees it.
    let mut changed = files.clone();
    changed.get_mut(name).unwrap()[0] ^= 1;
    let content = changed[name].clone();
    for (manifest, digest) in [
        ("manifest-sha256.txt", {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&content))
        }),
        (
            "exhibit/manifest-blake3.txt",
            blake3::hash(&content).to_hex().to_string(),
        ),
    ] {
        let text = String::from_utf8(changed[manifest].clone()).unwrap();
        let text: String = text
            .lines()
            .map(|l| {
                if l.ends_with(name) {
                    format!("{digest}  {name}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        changed.insert(manifest.into(), text.into_bytes());
    }
    rewrite_zip_bag(&zip, &dir.join("changed.zip"), &changed);
    let report = dir.verify_json(&dir.join("changed.zip"), &[&examiner], 1);
    let found = problems(&report);
    assert!(
        found.contains(&(
            "seal.merkle-mismatch".into(),
            Some("exhibit/seal.json".into())
        )),
        "{found:?}"
    );

    // A salts file does not belong in a format-1 bundle.
    let mut salted = files.clone();
    salted.insert("exhibit/merkle-salts.txt".into(), Vec::new());
    rewrite_zip_bag(&zip, &dir.join("salted.zip"), &salted);
    let report = dir.verify_json(&dir.join("salted.zip"), &[&examiner], 1);
    assert!(
        problems(&report).contains(&(
            "seal.unexpected-file".into(),
            Some("exhibit/merkle-salts.txt".into())
        )),
        "{:?}",
        problems(&report)
    );
}

#[test]
fn a_format_1_bundle_cannot_be_disclosed() {
    let dir = Dir::new();
    let (zip, _) = fixture(&dir);
    let before = fs::read(&zip).unwrap();
    let out = dir.run(
        [
            "disclose",
            "format1.zip",
            "evidence/phone/sms.csv",
            "-o",
            "part.zip",
        ],
        2,
    );
    let err = stderr(&out);
    assert!(err.contains("sealed in format 1 (exhibit.seal/1)"), "{err}");
    assert!(err.contains("exhibit.seal/2"), "{err}");
    assert!(!dir.join("part.zip").exists());
    assert_eq!(fs::read(&zip).unwrap(), before);
}
