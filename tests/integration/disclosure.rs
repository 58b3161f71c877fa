//! `exhibit disclose` and the verification of disclosure bundles: what a
//! disclosure holds (and what it must never hold), the custody event it
//! records, its refusals, and every edit to a disclosure bundle failing
//! with the problem named.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{
    self, copy_tree, problems, read_bag_files, read_zip_bag, stderr, stdout, test_data, unzip,
    write_bag_files, Dir, Key, TIME,
};
use serde_json::Value;

const DISCLOSURE: &str = "exhibit/disclosure.json";
const SALTS: &str = "exhibit/merkle-salts.txt";
const LATER: &str = "2026-11-24T09:30:00Z";

/// Seven files in three folders, sealed into `bundle` (a folder) by
/// `examiner`.
pub(crate) fn sealed(dir: &Dir) -> (Key, PathBuf) {
    dir.write("evidence/mail/inbox/1.eml", b"From: a\n\nfirst\n");
    dir.write("evidence/mail/inbox/2.eml", b"From: b\n\nsecond\n");
    dir.write("evidence/mail/sent/3.eml", b"From: c\n\nthird\n");
    dir.write("evidence/mail-archive.mbox", b"archive\n");
    dir.write("evidence/phone/sms.csv", b"when,who,what\n");
    dir.write("evidence/disk image.dd", common::content(100_000, 9));
    dir.write("evidence/empty.log", b"");
    let examiner = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], "bundle", &examiner);
    (examiner, bundle)
}

pub(crate) fn disclose(
    dir: &Dir,
    bundle: &Path,
    paths: &[&str],
    out: &str,
    code: i32,
) -> std::process::Output {
    let mut args: Vec<String> = vec!["disclose".into(), bundle.display().to_string()];
    args.extend(paths.iter().map(|p| p.to_string()));
    args.extend(["-o".into(), out.into(), "--time".into(), LATER.into()]);
    dir.run(&args, code)
}

fn payload_names(files: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    files
        .keys()
        .filter(|n| n.starts_with("data/"))
        .map(String::as_str)
        .collect()
}

#[test]
fn a_disclosure_holds_the_chosen_files_and_the_sealed_documents_byte_for_byte() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    let source = read_bag_files(&bundle);
    let out = disclose(
        &dir,
        &bundle,
        &["evidence/mail/inbox/", "evidence/phone/sms.csv"],
        "part",
        0,
    );
    assert!(
        stdout(&out).contains("disclosed 3 of 7 sealed files"),
        "{}",
        stdout(&out)
    );
    let part = read_bag_files(&dir.join("part"));
    assert_eq!(
        payload_names(&part),
        [
            "data/evidence/mail/inbox/1.eml",
            "data/evidence/mail/inbox/2.eml",
            "data/evidence/phone/sms.csv"
        ]
    );
    for name in part.keys().filter(|n| n.starts_with("data/")) {
        assert_eq!(part[name], source[name], "{name}");
    }
    // Byte for byte: everything the seal and the log are made of.
    for (name, bytes) in &source {
        let copied = name == "bagit.txt"
            || name == "bag-info.txt"
            || name.starts_with("exhibit/seal")
            || name.starts_with("exhibit/signatures/")
            || name.starts_with("exhibit/custody/");
        if copied {
            assert_eq!(part.get(name), Some(bytes), "{name}");
        }
    }
    // Nothing else: no full manifest, no BLAKE3 manifest, no salts.
    let tags: Vec<&str> = part
        .keys()
        .filter(|n| !n.starts_with("data/") && !n.starts_with("exhibit/custody/"))
        .filter(|n| !n.starts_with("exhibit/signatures/"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        tags,
        [
            "bag-info.txt",
            "bagit.txt",
            DISCLOSURE,
            "exhibit/seal.json",
            "manifest-sha256.txt"
        ]
    );
    let manifest = String::from_utf8(part["manifest-sha256.txt"].clone()).unwrap();
    assert_eq!(manifest.lines().count(), 3, "{manifest}");
    for line in manifest.lines() {
        let path = &line[66..];
        assert!(
            String::from_utf8_lossy(&source["manifest-sha256.txt"]).contains(line),
            "{path}: line not as sealed"
        );
    }

    let report = dir.verify_json(&dir.join("part"), &[&examiner], 0);
    assert_eq!(report["status"], "verified");
    assert_eq!(report["verified"], true);
    assert_eq!(report["disclosure"]["disclosed"], 3);
    assert_eq!(report["disclosure"]["sealed"], 7);
    assert_eq!(report["file_count"], 3);
    assert_eq!(
        report["disclosure"]["proof_sha256"].as_str().unwrap(),
        sha256_hex(&part[DISCLOSURE])
    );
    let text = dir.run(
        [
            "verify",
            "part",
            "--trust",
            examiner.public.to_str().unwrap(),
        ],
        0,
    );
    let line = stdout(&text);
    assert!(
        line.starts_with("VERIFIED (disclosure: 3 of 7 sealed files): part (case CASE-2026-042, exhibit A1; 3 files, "),
        "{line}"
    );
    assert!(line.contains("custody: 1 event, head 1:"), "{line}");
    // Without --trust: intact, nobody trusted.
    let untrusted = dir.run(["verify", "part"], 3);
    assert!(stdout(&untrusted).starts_with("UNTRUSTED (disclosure: 3 of 7 sealed files)"));

    // The document: leaf inputs, indices (path order), audit paths.
    let doc: Value = serde_json::from_slice(&part[DISCLOSURE]).unwrap();
    assert_eq!(doc["type"], "exhibit.disclosure/1");
    assert_eq!(doc["tree_size"], 7);
    assert_eq!(doc["merkle_leaf"], "exhibit.merkle-leaf/2");
    let indices: Vec<u64> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["leaf_index"].as_u64().unwrap())
        .collect();
    // Sorted by bytes ('-' < '/'): disk image.dd, empty.log,
    // mail-archive.mbox, mail/inbox/1, mail/inbox/2, mail/sent/3, phone/sms.csv.
    assert_eq!(indices, [3, 4, 6]);
    let salts = String::from_utf8(source[SALTS].clone()).unwrap();
    for file in doc["files"].as_array().unwrap() {
        let line = format!(
            "{}  {}",
            file["salt"].as_str().unwrap(),
            file["path"].as_str().unwrap()
        );
        assert!(salts.lines().any(|l| l == line), "{line}");
        // O(log n): ceil(log2 7) = 3 hashes at most.
        assert!(file["audit_path"].as_array().unwrap().len() <= 3);
    }

    // The source bundle is untouched without --key.
    assert_eq!(read_bag_files(&bundle), source);
}

#[test]
fn a_zip_disclosure_verifies_and_is_reproducible() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    disclose(&dir, &bundle, &["evidence/mail"], "a.zip", 0);
    disclose(&dir, &bundle, &["evidence/mail"], "b.zip", 0);
    // Same source, paths and time: the same bytes but for the top folder.
    let (top_a, files_a) = read_zip_bag(&dir.join("a.zip"));
    let (top_b, files_b) = read_zip_bag(&dir.join("b.zip"));
    assert_eq!((top_a.as_str(), top_b.as_str()), ("a", "b"));
    assert_eq!(files_a, files_b);
    // A folder ("mail") is not a prefix match: mail-archive.mbox stays out.
    assert_eq!(
        payload_names(&files_a),
        [
            "data/evidence/mail/inbox/1.eml",
            "data/evidence/mail/inbox/2.eml",
            "data/evidence/mail/sent/3.eml"
        ]
    );
    let report = dir.verify_json(&dir.join("a.zip"), &[&examiner], 0);
    assert_eq!(report["disclosure"]["disclosed"], 3);
    assert!(problems(&report).is_empty());
    // A zip source gives the same disclosure as a folder source.
    let zip_source = dir.seal(&["evidence"], "bundle.zip", &examiner);
    disclose(&dir, &zip_source, &["evidence/mail"], "c.zip", 0);
    let (_, files_c) = read_zip_bag(&dir.join("c.zip"));
    assert_eq!(files_a, files_c);
}

#[test]
fn extract_and_inspect_work_on_a_disclosure() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    fs::create_dir(dir.join("evidence/empty folder")).unwrap();
    let _ = bundle;
    let bundle = dir.seal(&["evidence"], "with-empty", &examiner);
    disclose(
        &dir,
        &bundle,
        &["evidence/phone", "evidence/empty.log"],
        "part.zip",
        0,
    );
    let trust = examiner.public.to_str().unwrap();
    let out = dir.run(["extract", "part.zip", "-o", "got", "--trust", trust], 0);
    assert!(
        stdout(&out).contains("VERIFIED (disclosure: 2 of 7 sealed files)"),
        "{}",
        stdout(&out)
    );
    let got = common::read_tree(&dir.join("got"));
    let names: Vec<String> = got.keys().map(|p| p.display().to_string()).collect();
    // Only the disclosed files (and their folders): no empty folder of the seal.
    assert_eq!(
        names,
        [
            "evidence",
            "evidence/empty.log",
            "evidence/phone",
            "evidence/phone/sms.csv"
        ]
    );
    assert_eq!(
        fs::read(dir.join("got/evidence/phone/sms.csv")).unwrap(),
        b"when,who,what\n"
    );

    let out = dir.run(["inspect", "part.zip", "--json"], 0);
    let inspection: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(inspection["disclosure"]["disclosed"], 2);
    assert_eq!(inspection["disclosure"]["sealed"], 7);
    assert!(
        inspection.get("file_count").is_none(),
        "inspect counts nothing"
    );
    assert_eq!(inspection["payload_checked"], false);
    let out = dir.run(["inspect", "part.zip"], 0);
    assert!(
        stdout(&out).contains("disclosure   2 of 7 sealed files"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn with_a_key_the_disclosure_is_recorded_in_the_custody_log_of_both() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    let prosecutor = dir.keygen("prosecutor");
    let out = dir.run(
        [
            "disclose",
            "bundle",
            "evidence/mail/sent/3.eml",
            "-o",
            "part.zip",
            "--key",
            prosecutor.secret.to_str().unwrap(),
            "--note",
            "defence request 12",
            "--time",
            LATER,
        ],
        0,
    );
    assert!(
        stdout(&out).contains("recorded custody event 2 (disclose) in bundle"),
        "{}",
        stdout(&out)
    );
    let (_, part) = read_zip_bag(&dir.join("part.zip"));
    let source = read_bag_files(&bundle);
    for (name, bytes) in source
        .iter()
        .filter(|(n, _)| n.starts_with("exhibit/custody/"))
    {
        assert_eq!(part.get(name), Some(bytes), "{name}");
    }
    let event: Value = serde_json::from_slice(&source["exhibit/custody/000002.json"]).unwrap();
    assert_eq!(event["action"], "disclose");
    assert_eq!(event["time"], LATER);
    assert_eq!(event["actor"]["key_id"], prosecutor.id.as_str());
    let proof = sha256_hex(&part[DISCLOSURE]);
    assert_eq!(
        event["note"],
        format!("defence request 12; disclosed 1 of 7 sealed files; {DISCLOSURE} sha256 {proof}")
    );
    assert!(stdout(&out).contains(&format!("proof sha256 {proof}")));

    // Both still verify, with the same log head.
    let full = dir.verify_json(&bundle, &[&examiner], 0);
    let disclosed = dir.verify_json(&dir.join("part.zip"), &[&examiner], 0);
    assert_eq!(full["custody_head"], disclosed["custody_head"]);
    assert_eq!(disclosed["custody"][1]["action"], "disclose");

    // Only `disclose` writes a disclose event.
    let out = dir.run(
        [
            "custody",
            "add",
            "bundle",
            "--key",
            prosecutor.secret.to_str().unwrap(),
            "--action",
            "disclose",
        ],
        2,
    );
    assert!(
        stderr(&out).contains("exhibit disclose"),
        "{}",
        stderr(&out)
    );
    // --note without --key is a usage error.
    dir.run(
        [
            "disclose",
            "bundle",
            "evidence/empty.log",
            "-o",
            "x",
            "--note",
            "n",
        ],
        2,
    );
    assert!(!dir.join("x").exists());
}

#[test]
fn a_hand_over_rule_that_forbids_the_event_stops_the_disclosure() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    let prosecutor = dir.keygen("prosecutor");
    dir.run(
        [
            "custody",
            "add",
            "bundle",
            "--key",
            examiner.secret.to_str().unwrap(),
            "--action",
            "transfer",
            "--to-key",
            prosecutor.public.to_str().unwrap(),
            "--time",
            TIME,
        ],
        0,
    );
    let before = read_bag_files(&bundle);
    // The evidence is in transit to the prosecutor: the examiner may not act.
    let out = dir.run(
        [
            "disclose",
            "bundle",
            "evidence/empty.log",
            "-o",
            "part",
            "--key",
            examiner.secret.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        stderr(&out).contains("nothing disclosed"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("part").exists());
    assert_eq!(read_bag_files(&bundle), before);
}

#[test]
fn refusals_write_nothing() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    let before = read_bag_files(&bundle);
    let key = examiner.secret.to_str().unwrap().to_string();

    // Usage (exit 2): nothing named, a path not in the bundle, an unsafe
    // path, an existing output, a format-1 seal, a disclosure as source.
    dir.run(["disclose", "bundle", "-o", "out"], 2);
    for path in [
        "evidence/nope.txt",
        "evidence/mai",
        "../evidence",
        "/etc/passwd",
        "",
        ".",
    ] {
        let out = dir.run(["disclose", "bundle", path, "-o", "out", "--key", &key], 2);
        assert!(!stderr(&out).is_empty());
    }
    dir.mkdir("exists");
    dir.run(
        [
            "disclose",
            "bundle",
            "evidence/empty.log",
            "-o",
            "exists",
            "--key",
            &key,
        ],
        2,
    );
    let v1 = test_data("format1/format1.zip");
    let out = dir.run(
        [
            "disclose",
            v1.to_str().unwrap(),
            "evidence/empty.log",
            "-o",
            "out",
        ],
        2,
    );
    assert!(
        stderr(&out).contains("format 1 (exhibit.seal/1)"),
        "{}",
        stderr(&out)
    );
    disclose(&dir, &bundle, &["evidence/empty.log"], "part", 0);
    let out = dir.run(["disclose", "part", "evidence/empty.log", "-o", "out"], 2);
    assert!(
        stderr(&out).contains("already a disclosure"),
        "{}",
        stderr(&out)
    );
    fs::remove_dir_all(dir.join("part")).unwrap();
    assert!(!dir.join("out").exists());
    assert_eq!(read_bag_files(&bundle), before, "no event appended");

    // A source that does not verify (exit 1): a changed custody event; a
    // changed salt (the root no longer matches its manifests and salts).
    let broken = dir.join("broken");
    copy_tree(&bundle, &broken);
    let mut files = read_bag_files(&broken);
    files.insert(
        "bag-info.txt".into(),
        b"Contact-Name: someone else\n".to_vec(),
    );
    write_bag_files(&broken, &files);
    let out = dir.run(
        [
            "disclose",
            "broken",
            "evidence/empty.log",
            "-o",
            "out",
            "--key",
            &key,
        ],
        1,
    );
    assert!(
        stderr(&out).contains("seal.tag-digest-mismatch"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("does not verify; nothing disclosed"));
    assert!(!dir.join("out").exists());

    // A disclosed file that changed since sealing is caught as it is copied.
    let changed = dir.join("changed");
    copy_tree(&bundle, &changed);
    fs::write(
        changed.join("data/evidence/phone/sms.csv"),
        b"when,who,WHAT\n",
    )
    .unwrap();
    let out = dir.run(
        [
            "disclose",
            "changed",
            "evidence/phone",
            "-o",
            "out",
            "--key",
            &key,
        ],
        1,
    );
    assert!(
        stderr(&out).contains("payload.digest-mismatch: data/evidence/phone/sms.csv"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out").exists());
    let log = read_bag_files(&changed)
        .into_keys()
        .filter(|n| n.starts_with("exhibit/custody/"))
        .count();
    assert_eq!(log, 2, "no event for a disclosure that failed");

    // Undisclosed files are never read: one changed (same size) does not
    // stop a disclosure of others (full `verify` of the source sees it).
    fs::write(
        changed.join("data/evidence/phone/sms.csv"),
        b"when,who,what\n",
    )
    .unwrap();
    let mut image = fs::read(changed.join("data/evidence/disk image.dd")).unwrap();
    image[5000] ^= 1;
    fs::write(changed.join("data/evidence/disk image.dd"), image).unwrap();
    dir.verify_json(&changed, &[], 1);
    disclose(&dir, &changed, &["evidence/phone"], "out", 0);
    dir.verify_json(&dir.join("out"), &[&examiner], 0);
}

/// One edit to a disclosure bundle and the problem it must give.
struct Case {
    name: &'static str,
    mutate: fn(&mut BTreeMap<String, Vec<u8>>),
    code: &'static str,
    path: &'static str,
}

const ONE: &str = "data/evidence/mail/inbox/1.eml";
const TWO: &str = "data/evidence/mail/inbox/2.eml";

fn edit_doc(files: &mut BTreeMap<String, Vec<u8>>, edit: impl FnOnce(&mut Value)) {
    let mut doc: Value = serde_json::from_slice(&files[DISCLOSURE]).unwrap();
    edit(&mut doc);
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap();
    bytes.push(b'\n');
    files.insert(DISCLOSURE.into(), bytes);
}

fn manifest_line(files: &mut BTreeMap<String, Vec<u8>>, path: &str, content: &[u8]) {
    let manifest = String::from_utf8(files["manifest-sha256.txt"].clone()).unwrap();
    let mut lines: Vec<String> = manifest
        .lines()
        .filter(|l| &l[66..] != path)
        .map(str::to_string)
        .collect();
    lines.push(format!("{}  {path}", sha256_hex(content)));
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    files.insert(
        "manifest-sha256.txt".into(),
        (lines.join("\n") + "\n").into_bytes(),
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn blake3_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

const CASES: &[Case] = &[
    Case {
        name: "a disclosed file changed",
        mutate: |f| {
            f.insert(ONE.into(), b"From: a\n\nFIRST\n".to_vec());
        },
        code: "disclosure.file-mismatch",
        path: ONE,
    },
    Case {
        name: "a disclosed file changed, and its manifest line",
        mutate: |f| {
            let new = b"From: a\n\nforged\n".to_vec();
            manifest_line(f, ONE, &new);
            f.insert(ONE.into(), new);
        },
        code: "disclosure.file-mismatch",
        path: ONE,
    },
    Case {
        name: "a disclosed file changed, with its manifest line and leaf input",
        mutate: |f| {
            let new = b"From: a\n\nforged\n".to_vec();
            manifest_line(f, ONE, &new);
            let (sha, b3, size) = (sha256_hex(&new), blake3_hex(&new), new.len());
            f.insert(ONE.into(), new);
            edit_doc(f, |d| {
                d["files"][0]["sha256"] = sha.into();
                d["files"][0]["blake3"] = b3.into();
                d["files"][0]["size"] = size.into();
            });
        },
        code: "disclosure.proof",
        path: ONE,
    },
    Case {
        name: "a salt edited",
        mutate: |f| edit_doc(f, |d| d["files"][1]["salt"] = "0".repeat(64).into()),
        code: "disclosure.proof",
        path: TWO,
    },
    Case {
        name: "a BLAKE3 in a leaf input edited",
        mutate: |f| edit_doc(f, |d| d["files"][1]["blake3"] = "1".repeat(64).into()),
        code: "disclosure.file-mismatch",
        path: TWO,
    },
    Case {
        name: "a BLAKE3 in a leaf input edited (the proof fails too)",
        mutate: |f| edit_doc(f, |d| d["files"][1]["blake3"] = "1".repeat(64).into()),
        code: "disclosure.proof",
        path: TWO,
    },
    Case {
        name: "an audit path hash flipped",
        mutate: |f| {
            edit_doc(f, |d| {
                let h = d["files"][0]["audit_path"][1].as_str().unwrap().to_string();
                let flipped = if h.starts_with('0') { "1" } else { "0" };
                d["files"][0]["audit_path"][1] = format!("{flipped}{}", &h[1..]).into();
            })
        },
        code: "disclosure.proof",
        path: ONE,
    },
    Case {
        name: "an audit path hash removed",
        mutate: |f| {
            edit_doc(f, |d| {
                d["files"][0]["audit_path"].as_array_mut().unwrap().pop();
            })
        },
        code: "disclosure.proof",
        path: ONE,
    },
    Case {
        name: "a leaf index beyond the sealed count",
        mutate: |f| edit_doc(f, |d| d["files"][1]["leaf_index"] = 7.into()),
        code: "disclosure.invalid",
        path: TWO,
    },
    Case {
        name: "a leaf index moved (the proof is for another position)",
        mutate: |f| edit_doc(f, |d| d["files"][1]["leaf_index"] = 5.into()),
        code: "disclosure.proof",
        path: TWO,
    },
    Case {
        name: "two entries with the same index",
        mutate: |f| edit_doc(f, |d| d["files"][1]["leaf_index"] = 3.into()),
        code: "disclosure.invalid",
        path: TWO,
    },
    Case {
        name: "a tree size other than the signed count",
        mutate: |f| edit_doc(f, |d| d["tree_size"] = 8.into()),
        code: "disclosure.invalid",
        path: DISCLOSURE,
    },
    Case {
        name: "a file added to the bag and its manifest, without a proof",
        mutate: |f| {
            let new = b"planted\n".to_vec();
            manifest_line(f, "data/evidence/planted.txt", &new);
            f.insert("data/evidence/planted.txt".into(), new);
        },
        code: "disclosure.invalid",
        path: "data/evidence/planted.txt",
    },
    Case {
        name: "a proof dropped, its file kept",
        mutate: |f| {
            edit_doc(f, |d| {
                d["files"].as_array_mut().unwrap().remove(1);
            })
        },
        code: "disclosure.invalid",
        path: TWO,
    },
    Case {
        name: "a disclosed file removed, with its manifest line",
        mutate: |f| {
            f.remove(TWO);
            let manifest = String::from_utf8(f["manifest-sha256.txt"].clone()).unwrap();
            let kept: String = manifest
                .lines()
                .filter(|l| !l.ends_with(TWO))
                .map(|l| format!("{l}\n"))
                .collect();
            f.insert("manifest-sha256.txt".into(), kept.into_bytes());
        },
        code: "payload.missing",
        path: TWO,
    },
    Case {
        name: "made for another seal",
        mutate: |f| edit_doc(f, |d| d["seal_sha256"] = "2".repeat(64).into()),
        code: "disclosure.invalid",
        path: DISCLOSURE,
    },
    Case {
        name: "the disclosure document is not JSON",
        mutate: |f| {
            f.insert(
                DISCLOSURE.into(),
                b"{\"type\": \"exhibit.disclosure/1\",\n".to_vec(),
            );
        },
        code: "disclosure.invalid",
        path: DISCLOSURE,
    },
    Case {
        name: "the disclosure document has an unknown member",
        mutate: |f| edit_doc(f, |d| d["files"][0]["note"] = "x".into()),
        code: "disclosure.invalid",
        path: DISCLOSURE,
    },
    Case {
        name: "bag-info.txt edited",
        mutate: |f| {
            let mut info = f["bag-info.txt"].clone();
            info.extend_from_slice(b"Note: added\n");
            f.insert("bag-info.txt".into(), info);
        },
        code: "seal.tag-digest-mismatch",
        path: "bag-info.txt",
    },
    Case {
        name: "a salts file added",
        mutate: |f| {
            f.insert(SALTS.into(), b"".to_vec());
        },
        code: "seal.unexpected-file",
        path: SALTS,
    },
    Case {
        name: "the disclosure document removed (then it is an incomplete full bundle)",
        mutate: |f| {
            f.remove(DISCLOSURE);
        },
        code: "seal.tag-digest-mismatch",
        path: "manifest-sha256.txt",
    },
];

#[test]
fn every_edit_to_a_disclosure_bundle_fails_naming_the_file() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    disclose(
        &dir,
        &bundle,
        &["evidence/mail/inbox", "evidence/phone/sms.csv"],
        "good",
        0,
    );
    let good = read_bag_files(&dir.join("good"));
    for (i, case) in CASES.iter().enumerate() {
        let target = dir.join(format!("case-{i}"));
        copy_tree(&dir.join("good"), &target);
        let mut files = good.clone();
        (case.mutate)(&mut files);
        assert_ne!(files, good, "{}: no change", case.name);
        write_bag_files(&target, &files);
        let report = dir.verify_json(&target, &[&examiner], 1);
        let found = problems(&report);
        assert!(
            found
                .iter()
                .any(|(code, path)| code == case.code && path.as_deref() == Some(case.path)),
            "{}: expected {} on {}, got {found:?}",
            case.name,
            case.code,
            case.path
        );
        let out = dir.run(["verify", target.to_str().unwrap()], 1);
        assert!(
            stderr(&out).contains(&format!("{}: {}", case.code, case.path)),
            "{}: {}",
            case.name,
            stderr(&out)
        );
        assert!(stdout(&out).starts_with("FAILED"), "{}", stdout(&out));
    }
}

#[test]
fn proofs_from_another_bundle_do_not_verify() {
    let dir = Dir::new();
    let (examiner, bundle) = sealed(&dir);
    // The same files under another exhibit id: other salts, another root.
    dir.seal_exhibit(&["evidence"], "other", &examiner, "A2");
    let salts_a = read_bag_files(&bundle)[SALTS].clone();
    let salts_b = read_bag_files(&dir.join("other"))[SALTS].clone();
    let first = |s: &[u8]| {
        String::from_utf8(s.to_vec())
            .unwrap()
            .lines()
            .next()
            .unwrap()[..64]
            .to_string()
    };
    assert_ne!(
        first(&salts_a),
        first(&salts_b),
        "same file, other seal, other salt"
    );
    disclose(&dir, &bundle, &["evidence/mail/inbox"], "a", 0);
    disclose(&dir, &dir.join("other"), &["evidence/mail/inbox"], "b", 0);
    // b's proofs, and b's proofs with a's seal digest, in a.
    let b_doc = read_bag_files(&dir.join("b"))[DISCLOSURE].clone();
    let mut files = read_bag_files(&dir.join("a"));
    files.insert(DISCLOSURE.into(), b_doc);
    write_bag_files(&dir.join("a"), &files);
    let report = dir.verify_json(&dir.join("a"), &[&examiner], 1);
    let found = problems(&report);
    assert!(
        found.contains(&("disclosure.invalid".into(), Some(DISCLOSURE.into()))),
        "{found:?}"
    );
    assert!(
        found.contains(&("disclosure.proof".into(), Some(ONE.into()))),
        "{found:?}"
    );
    let seal_a = sha256_hex(&files["exhibit/seal.json"]);
    edit_doc(&mut files, |d| d["seal_sha256"] = seal_a.into());
    write_bag_files(&dir.join("a"), &files);
    let report = dir.verify_json(&dir.join("a"), &[&examiner], 1);
    let found = problems(&report);
    assert!(
        !found.iter().any(|(c, _)| c == "disclosure.invalid"),
        "{found:?}"
    );
    assert!(
        found.contains(&("disclosure.proof".into(), Some(TWO.into()))),
        "{found:?}"
    );
}

/// Every byte of `haystack` searched for `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn nothing_in_a_disclosure_names_sizes_or_hashes_a_file_left_out() {
    let dir = Dir::new();
    let mut names = Vec::new();
    for i in 0..200u32 {
        // Unique tokens that no other name or hash contains.
        let token = format!("{:08x}", (i + 1).wrapping_mul(2_654_435_761));
        let folder = if i % 2 == 0 { "mail" } else { "docs" };
        let name = format!("seized/{folder}/n{token}q.txt");
        dir.write(
            &name,
            common::content(40 + (i as usize * 7) % 300, i + 1000),
        );
        names.push(name);
    }
    let examiner = dir.keygen("examiner");
    let bundle = dir.seal(&["seized"], "bundle", &examiner);
    let disclosed = [&names[3], &names[100], &names[199]];
    let paths: Vec<&str> = disclosed.iter().map(|n| n.as_str()).collect();
    disclose(&dir, &bundle, &paths, "part", 0);
    disclose(&dir, &bundle, &paths, "part.zip", 0);
    dir.verify_json(&dir.join("part"), &[&examiner], 0);
    dir.verify_json(&dir.join("part.zip"), &[&examiner], 0);

    let source = read_bag_files(&bundle);
    let salts = String::from_utf8(source[SALTS].clone()).unwrap();
    let salt_of = |bag_path: &str| -> String {
        salts
            .lines()
            .find(|l| &l[66..] == bag_path)
            .map(|l| l[..64].to_string())
            .unwrap()
    };
    // Every byte of the folder disclosure (names too), and of the zip.
    let mut everything: Vec<u8> = fs::read(dir.join("part.zip")).unwrap();
    for (name, bytes) in read_bag_files(&dir.join("part")) {
        everything.extend_from_slice(name.as_bytes());
        everything.extend_from_slice(&bytes);
    }
    let unzipped = dir.join("unzipped");
    unzip(&dir.join("part.zip"), &unzipped);
    for (name, node) in common::read_tree(&unzipped) {
        everything.extend_from_slice(name.to_str().unwrap().as_bytes());
        if let common::Node::File(bytes) = node {
            everything.extend_from_slice(&bytes);
        }
    }
    let mut checked = 0;
    for name in names.iter().filter(|n| !disclosed.contains(n)) {
        let content = fs::read(dir.join(name)).unwrap();
        let bag_path = format!("data/{name}");
        let file_name = name.rsplit('/').next().unwrap();
        // `n<8 hex>q`: the letters keep it from matching inside hex text.
        let token = &file_name[..10];
        use sha2::Digest;
        let sha = sha2::Sha256::digest(&content).to_vec();
        let b3 = blake3::hash(&content).as_bytes().to_vec();
        let salt = salt_of(&bag_path);
        let needles: Vec<(&str, Vec<u8>)> = vec![
            ("bag path", bag_path.clone().into_bytes()),
            ("name token", token.as_bytes().to_vec()),
            ("SHA-256 hex", hex::encode(&sha).into_bytes()),
            ("SHA-256", sha),
            ("BLAKE3 hex", hex::encode(&b3).into_bytes()),
            ("BLAKE3", b3),
            ("salt hex", salt.clone().into_bytes()),
            ("salt", hex::decode(&salt).unwrap()),
            ("content", content),
        ];
        for (what, needle) in needles {
            assert!(
                !contains(&everything, &needle),
                "{what} of {name} is in the disclosure"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 197 * 9);
    // The disclosed files, by contrast, are there (the search works).
    for name in disclosed {
        assert!(contains(&everything, name.as_bytes()), "{name}");
        assert!(contains(
            &everything,
            salt_of(&format!("data/{name}")).as_bytes()
        ));
    }
}

/// Before it writes, `disclose` says what the disclosure will reveal of the
/// files it leaves out: their count and total size (the seal statement it
/// carries gives the whole payload's), and so one file's exact size when
/// only one is left out.
#[test]
fn disclose_says_what_it_reveals_of_the_files_left_out() {
    let dir = Dir::new();
    let (_, bundle) = sealed(&dir);
    let out = stdout(&disclose(&dir, &bundle, &["evidence/mail/"], "mail", 0));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "reveals: 4 files left out, 97.7 KiB (100,022 bytes) in all; not their names, contents or sizes one by one",
        "{out}"
    );
    assert!(
        lines[1].starts_with("disclosed 3 of 7 sealed files, 46 bytes, into mail"),
        "{out}"
    );

    // All but the disk image: its exact size follows from the totals.
    let all_but_one = [
        "evidence/mail/",
        "evidence/mail-archive.mbox",
        "evidence/phone/",
        "evidence/empty.log",
    ];
    let out = stdout(&disclose(&dir, &bundle, &all_but_one, "all-but-one", 0));
    assert!(
        out.starts_with("reveals: the 1 file left out has exactly 97.7 KiB (100,000 bytes) (the seal's total minus the disclosed sizes); not its name or content\n"),
        "{out}"
    );
}
