//! `inspect` and `disclose` open a bundle's tag files only (docs/FORMAT.md
//! section 12, "`inspect` and `disclose` read less"): what `inspect` still
//! checks and says it did not, what it leaves to `verify`, what `disclose`
//! still refuses, and the bound a hostile zip cannot pass.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::{self, problems, read_zip_bag, rewrite_zip_bag, stderr, stdout, Dir, Key};
use serde_json::Value;

const FILES: [(&str, usize); 4] = [
    ("evidence/a.txt", 6),
    ("evidence/b/c.bin", 5000),
    ("evidence/b/d.txt", 0),
    ("evidence/e.log", 17),
];

fn sealed(dir: &Dir, out: &str) -> (Key, PathBuf) {
    for (i, (name, len)) in FILES.iter().enumerate() {
        dir.write(name, common::content(*len, i as u32));
    }
    let key = dir.keygen("examiner");
    let bundle = dir.seal(&["evidence"], out, &key);
    (key, bundle)
}

fn inspect_json(dir: &Dir, bundle: &Path, code: i32) -> Value {
    let out = dir.run(["inspect", bundle.to_str().unwrap(), "--json"], code);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn has(report: &Value, code: &str, path: Option<&str>) -> bool {
    problems(report).contains(&(code.into(), path.map(String::from)))
}

/// A copy of a zip bundle with its bag files set to what `edit` makes.
fn edited_zip(
    dir: &Dir,
    bundle: &Path,
    name: &str,
    edit: impl FnOnce(&mut BTreeMap<String, Vec<u8>>),
) -> PathBuf {
    let (_, mut files) = read_zip_bag(bundle);
    edit(&mut files);
    let out = dir.join(name);
    rewrite_zip_bag(bundle, &out, &files);
    out
}

#[test]
fn inspect_says_it_did_not_list_the_payload() {
    let bytes: u64 = FILES.iter().map(|(_, len)| *len as u64).sum();
    for out in ["bundle", "bundle.zip"] {
        let dir = Dir::new();
        let (key, bundle) = sealed(&dir, out);
        let report = inspect_json(&dir, &bundle, 0);
        assert_eq!(report["payload_checked"], false);
        assert_eq!(report["payload_listed"], false);
        assert_eq!(report["signers"][0]["key_id"], key.id.as_str());
        assert_eq!(report["custody"][0]["action"], "seal");
        if out.ends_with(".zip") {
            // Counted from the central directory, for free.
            assert_eq!(report["payload_entries"]["files"], FILES.len());
            assert_eq!(report["payload_entries"]["bytes"], bytes);
        } else {
            // A folder's data/ is not read at all.
            assert!(report.get("payload_entries").is_none(), "{report}");
        }
        let shown = stdout(&dir.run(["inspect", out], 0));
        assert!(shown.contains("not checked"), "{shown}");
    }
}

#[test]
fn payload_listing_problems_are_left_to_verify() {
    // A folder: a payload file renamed, an unlisted one added, one made a
    // symbolic link. inspect reads none of data/.
    let dir = Dir::new();
    let (key, bundle) = sealed(&dir, "bundle");
    fs::rename(
        bundle.join("data/evidence/a.txt"),
        bundle.join("data/evidence/A.txt"),
    )
    .unwrap();
    fs::write(bundle.join("data/evidence/new.txt"), b"added later").unwrap();
    fs::remove_file(bundle.join("data/evidence/e.log")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", bundle.join("data/evidence/e.log")).unwrap();
    let report = inspect_json(&dir, &bundle, 0);
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let report = dir.verify_json(&bundle, &[&key], 1);
    for (code, path) in [
        ("payload.missing", "data/evidence/a.txt"),
        ("payload.unlisted", "data/evidence/A.txt"),
        ("payload.unlisted", "data/evidence/new.txt"),
        ("path.not-regular", "data/evidence/e.log"),
    ] {
        assert!(has(&report, code, Some(path)), "{code} {path}: {report}");
    }

    // A zip: a payload file renamed keeps the count and the bytes.
    let dir = Dir::new();
    let (key, bundle) = sealed(&dir, "bundle.zip");
    let renamed = edited_zip(&dir, &bundle, "renamed.zip", |files| {
        let bytes = files.remove("data/evidence/a.txt").unwrap();
        files.insert("data/evidence/z.txt".into(), bytes);
    });
    let report = inspect_json(&dir, &renamed, 0);
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let report = dir.verify_json(&renamed, &[&key], 1);
    assert!(
        has(&report, "payload.missing", Some("data/evidence/a.txt")),
        "{report}"
    );
    assert!(
        has(&report, "payload.unlisted", Some("data/evidence/z.txt")),
        "{report}"
    );
}

#[test]
fn a_zip_listing_another_payload_count_fails_inspect() {
    let dir = Dir::new();
    let (key, bundle) = sealed(&dir, "bundle.zip");
    let fewer = edited_zip(&dir, &bundle, "fewer.zip", |files| {
        files.remove("data/evidence/e.log");
    });
    let report = inspect_json(&dir, &fewer, 1);
    assert!(
        has(&report, "seal.payload-mismatch", Some("exhibit/seal.json")),
        "{report}"
    );
    assert_eq!(report["payload_entries"]["files"], FILES.len() - 1);
    let more = edited_zip(&dir, &bundle, "more.zip", |files| {
        files.insert("data/evidence/more.txt".into(), b"more".to_vec());
    });
    let report = inspect_json(&dir, &more, 1);
    assert!(
        has(&report, "seal.payload-mismatch", Some("exhibit/seal.json")),
        "{report}"
    );
    dir.verify_json(&more, &[&key], 1);
}

#[test]
fn inspect_still_checks_the_sealed_tag_files_and_the_custody_log() {
    for out in ["bundle", "bundle.zip"] {
        let dir = Dir::new();
        let (_, bundle) = sealed(&dir, out);
        let edit = |files: &mut BTreeMap<String, Vec<u8>>| {
            let manifest = files.get_mut("manifest-sha256.txt").unwrap();
            manifest
                .extend_from_slice(format!("{}  data/evidence/ghost\n", "0".repeat(64)).as_bytes());
            files.remove("exhibit/custody/000001.sig");
        };
        let changed = if out.ends_with(".zip") {
            edited_zip(&dir, &bundle, "changed.zip", edit)
        } else {
            let mut files = common::read_bag_files(&bundle);
            edit(&mut files);
            let copy = dir.join("changed");
            common::copy_tree(&bundle, &copy);
            common::write_bag_files(&copy, &files);
            copy
        };
        let report = inspect_json(&dir, &changed, 1);
        assert!(
            has(
                &report,
                "seal.tag-digest-mismatch",
                Some("manifest-sha256.txt")
            ),
            "{out}: {report}"
        );
        assert!(
            problems(&report)
                .iter()
                .any(|(code, _)| code == "custody.signature"),
            "{out}: {report}"
        );
    }
}

#[test]
fn a_zip_with_too_many_entries_outside_the_payload_is_refused() {
    let dir = Dir::new();
    let path = dir.join("many.zip");
    let mut writer = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("b/bagit.txt", options).unwrap();
    writer
        .write_all(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        .unwrap();
    for i in 0..100_001 {
        writer
            .start_file(format!("b/exhibit/x/{i}"), options)
            .unwrap();
    }
    writer.finish().unwrap();
    let out = dir.run(["inspect", "many.zip"], 2);
    assert!(
        stderr(&out).contains("more than 100000 entries outside the payload folder"),
        "{}",
        stderr(&out)
    );
}

/// A change made to a folder bundle.
type Edit = fn(&Path);

#[test]
fn disclose_refuses_a_source_whose_listing_does_not_match_its_manifests() {
    // Each source problem is in a file that is not disclosed: disclose
    // lists the whole payload (names and sizes) and holds it against the
    // sealed manifests and salts.
    let cases: [(&str, Edit, &str, &str); 3] = [
        (
            "unlisted",
            |bag| fs::write(bag.join("data/evidence/new.txt"), b"added").unwrap(),
            "payload.unlisted",
            "data/evidence/new.txt",
        ),
        (
            "missing",
            |bag| fs::remove_file(bag.join("data/evidence/b/c.bin")).unwrap(),
            "payload.missing",
            "data/evidence/b/c.bin",
        ),
        (
            "link",
            |bag| {
                fs::remove_file(bag.join("data/evidence/e.log")).unwrap();
                std::os::unix::fs::symlink("a.txt", bag.join("data/evidence/e.log")).unwrap();
            },
            "path.not-regular",
            "data/evidence/e.log",
        ),
    ];
    for (name, edit, code, path) in cases {
        let dir = Dir::new();
        let (_, bundle) = sealed(&dir, "bundle");
        edit(&bundle);
        let out = dir.run(["disclose", "bundle", "evidence/a.txt", "-o", "out"], 1);
        let expected = format!("{code}: {path}");
        assert!(stderr(&out).contains(&expected), "{name}: {}", stderr(&out));
        assert!(!dir.join("out").exists());
    }

    // A zip whose payload file was renamed: same count, other names.
    let dir = Dir::new();
    let (key, bundle) = sealed(&dir, "bundle.zip");
    let renamed = edited_zip(&dir, &bundle, "renamed.zip", |files| {
        let bytes = files.remove("data/evidence/e.log").unwrap();
        files.insert("data/evidence/f.log".into(), bytes);
    });
    let out = dir.run(
        [
            "disclose",
            renamed.to_str().unwrap(),
            "evidence/a.txt",
            "-o",
            "out.zip",
        ],
        1,
    );
    assert!(
        stderr(&out).contains("payload.missing: data/evidence/e.log"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("payload.unlisted: data/evidence/f.log"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out.zip").exists());

    // The intact zip discloses; the disclosure verifies.
    let out = dir.run(
        ["disclose", "bundle.zip", "evidence/b", "-o", "part.zip"],
        0,
    );
    assert!(
        stdout(&out).contains("disclosed 2 of 4 sealed files"),
        "{}",
        stdout(&out)
    );
    let report = dir.verify_json(&dir.join("part.zip"), &[&key], 0);
    assert_eq!(report["disclosure"]["disclosed"], 2);
}
