//! Sealed bundles end to end, through the real binary: round trips of
//! directory and zip bundles with a realistic payload, reproducible zips,
//! co-signatures, inspect, plain BagIt bags made by bagit-python, and
//! interoperability with bagit-python, `sha256sum`, `b3sum` and OpenSSL.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{
    self, assert_tool_ok, content, copy_tree, problems, read_bag_files, read_tree, read_zip_bag,
    run_tool, stderr, stdout, tool_or_skip, tree_diff, unzip, zip_central_directory_start,
    zip_entries, zip_folder, Dir, Node, TIME,
};
use base64::Engine as _;
use exhibit::digest::PIPELINE_THRESHOLD;
use zip::CompressionMethod;

// ------------------------------------------------------------ payload ---

/// Size of the one large file: past the threshold where hashing switches to
/// the reader/hasher pipeline.
const BIG: usize = PIPELINE_THRESHOLD as usize + 123_457;

/// Names that checksum tools escape, BagIt percent-encodes, or shells and
/// file systems treat specially. The NFC and NFD spellings of "café" are two
/// different files.
const AWKWARD: &[(&str, usize)] = &[
    ("with space.txt", 100),
    ("caf\u{e9}.txt", 11),
    ("cafe\u{301}.txt", 12),
    ("100% sure.txt", 5),
    ("new\nline.txt", 7),
    ("carriage\rreturn.txt", 8),
    ("back\\slash.txt", 6),
    ("empty.txt", 0),
    ("-leading-dash.txt", 9),
    ("日本語 ünïcødé.bin", 4097),
];

/// Small files in nested folders (ten per folder, five folders per parent).
fn small_files(count: usize) -> Vec<(String, usize)> {
    (0..count)
        .map(|n| {
            let (d, s, f) = (n / 50, n / 10 % 5, n % 10);
            (format!("tree/d{d}/s{s}/f{f:02}.txt"), (n * 37) % 3000)
        })
        .collect()
}

/// Writes the realistic payload under `<dir>/evidence` (a large file,
/// `small` small files, awkward names, an empty folder, a symbolic link) and
/// returns the number of regular files and their total size.
fn make_payload(dir: &Dir, small: usize, with_percent_and_line_breaks: bool) -> (u64, u64) {
    let mut files: Vec<(String, usize)> = vec![("big/disk.img".into(), BIG)];
    files.extend(small_files(small));
    for (name, len) in AWKWARD {
        if !with_percent_and_line_breaks && name.contains(['%', '\r', '\n']) {
            continue;
        }
        files.push((format!("awkward/{name}"), *len));
    }
    let mut total = 0;
    for (i, (name, len)) in files.iter().enumerate() {
        dir.write(Path::new("evidence").join(name), content(*len, i as u32));
        total += *len as u64;
    }
    dir.mkdir("evidence/empty folder");
    std::os::unix::fs::symlink("big/disk.img", dir.join("evidence/link to disk")).unwrap();
    (files.len() as u64, total)
}

/// A small payload for tests that are about something else than size.
fn make_small_payload(dir: &Dir) {
    dir.write("evidence/a.txt", b"alpha\n");
    dir.write("evidence/sub dir/b.bin", content(5000, 7));
    dir.write("evidence/sub dir/c.txt", b"");
}

/// The regular files of a tree: what a payload round trip must restore
/// (symbolic links are recorded in the seal, not carried; BagIt cannot hold
/// empty folders).
fn files_only(root: &Path) -> BTreeMap<PathBuf, Node> {
    read_tree(root)
        .into_iter()
        .filter(|(_, node)| matches!(node, Node::File(_)))
        .collect()
}

/// Every bag file of a bundle, either form, as `bag path -> bytes`.
fn bag_files(bundle: &Path) -> BTreeMap<String, Vec<u8>> {
    if bundle.is_dir() {
        read_bag_files(bundle)
    } else {
        read_zip_bag(bundle).1
    }
}

fn seal_statement(bundle: &Path) -> serde_json::Value {
    serde_json::from_slice(&bag_files(bundle)["exhibit/seal.json"]).unwrap()
}

/// Flips one byte of one payload file in place (a stored zip entry is
/// changed inside the zip without touching its headers).
fn flip_payload_byte(bundle: &Path, bag_path: &str) {
    if bundle.is_dir() {
        let path = bundle.join(bag_path);
        let mut bytes = fs::read(&path).unwrap();
        bytes[0] ^= 0x01;
        fs::write(&path, bytes).unwrap();
    } else {
        let (top, _) = read_zip_bag(bundle);
        let full = format!("{top}/{bag_path}");
        let entry = zip_entries(bundle)
            .into_iter()
            .find(|e| e.name == full.as_bytes())
            .expect("entry present");
        assert_eq!(entry.method, CompressionMethod::Stored);
        assert!(entry.size > 0);
        let mut bytes = fs::read(bundle).unwrap();
        bytes[entry.data_start as usize] ^= 0x01;
        fs::write(bundle, bytes).unwrap();
    }
}

/// Copies a bundle of either form.
fn copy_bundle(from: &Path, to: &Path) {
    if from.is_dir() {
        copy_tree(from, to);
    } else {
        fs::copy(from, to).unwrap();
    }
}

/// Names directly in a folder, to show that a refused command wrote nothing.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// --------------------------------------------------------- round trip ---

fn round_trip(out: &str) {
    let dir = Dir::new();
    let (file_count, total_bytes) = make_payload(&dir, 300, true);
    let signer = dir.keygen("signer");
    let other = dir.keygen("other");
    let bundle = dir.seal(&["evidence"], out, &signer);

    // Trusted signer: verified.
    let report = dir.verify_json(&bundle, &[&signer], 0);
    assert_eq!(report["status"], "verified");
    assert_eq!(report["verified"], true);
    assert_eq!(problems(&report), vec![]);
    assert_eq!(report["file_count"], file_count);
    assert_eq!(report["total_bytes"], total_bytes);
    let signers = report["signers"].as_array().unwrap();
    assert_eq!(signers.len(), 1);
    assert_eq!(signers[0]["key_id"], signer.id.as_str());
    assert_eq!(signers[0]["name"], "signer examiner");
    assert_eq!(signers[0]["valid"], true);
    assert_eq!(signers[0]["trusted"], true);

    let human = dir.run(["verify", out, "--trust", "signer.pub"], 0);
    assert!(stdout(&human).starts_with("VERIFIED"), "{}", stdout(&human));
    assert!(stdout(&human).contains(&signer.id), "{}", stdout(&human));

    // Nobody trusted, or the wrong key trusted: intact but untrusted.
    for trust in [&[][..], &[&other][..]] {
        let report = dir.verify_json(&bundle, trust, 3);
        assert_eq!(report["status"], "untrusted");
        assert_eq!(report["verified"], false);
        assert_eq!(problems(&report), vec![]);
        assert_eq!(report["signers"][0]["trusted"], false);
        assert_eq!(report["signers"][0]["valid"], true);
    }
    let human = dir.run(["verify", out], 3);
    assert!(
        stdout(&human).starts_with("UNTRUSTED"),
        "{}",
        stdout(&human)
    );

    // The symbolic link and the empty folder are recorded, not carried.
    let statement = seal_statement(&bundle);
    assert_eq!(
        statement["symlinks"],
        serde_json::json!([{"path": "data/evidence/link to disk", "target": "big/disk.img"}])
    );
    assert_eq!(
        statement["empty_directories"],
        serde_json::json!(["data/evidence/empty folder"])
    );
    let files = bag_files(&bundle);
    assert!(!files.contains_key("data/evidence/link to disk"));
    let manifest = String::from_utf8(files["manifest-sha256.txt"].clone()).unwrap();
    assert!(!manifest.contains("link to disk"));
    // BagIt percent-encoding of %, CR and LF in manifest lines.
    assert!(manifest.contains("  data/evidence/awkward/100%25 sure.txt\n"));
    assert!(manifest.contains("  data/evidence/awkward/new%0Aline.txt\n"));
    assert!(manifest.contains("  data/evidence/awkward/carriage%0Dreturn.txt\n"));
    assert_eq!(
        files.keys().filter(|n| n.starts_with("data/")).count() as u64,
        file_count
    );

    // Extract restores every byte and every name.
    dir.run(
        ["extract", out, "-o", "restored", "--trust", "signer.pub"],
        0,
    );
    let expected = files_only(&dir.join("evidence"));
    let restored = files_only(&dir.join("restored/evidence"));
    assert_eq!(expected.len() as u64, file_count);
    assert!(
        expected == restored,
        "extracted tree differs: {:?}",
        tree_diff(&expected, &restored)
    );
    assert_eq!(listing(&dir.join("restored")), vec!["evidence"]);
    assert!(!read_tree(&dir.join("restored"))
        .values()
        .any(|n| matches!(n, Node::Symlink(_))));

    // An existing empty folder is an acceptable target.
    dir.mkdir("empty-target");
    dir.run(
        [
            "extract",
            out,
            "-o",
            "empty-target",
            "--trust",
            "signer.pub",
        ],
        0,
    );
    assert!(files_only(&dir.join("empty-target/evidence")) == expected);

    // Refusals write nothing.
    dir.write("busy/keep.txt", b"keep");
    let before = listing(dir.path());
    dir.run(["extract", out, "-o", "busy", "--trust", "signer.pub"], 2);
    assert_eq!(listing(&dir.join("busy")), vec!["keep.txt"]);
    assert_eq!(fs::read(dir.join("busy/keep.txt")).unwrap(), b"keep");

    let refused = dir.run(["extract", out, "-o", "untrusted"], 3);
    assert!(!dir.join("untrusted").exists(), "{}", stderr(&refused));
    dir.run(
        ["extract", out, "-o", "untrusted", "--trust", "other.pub"],
        3,
    );
    assert!(!dir.join("untrusted").exists());
    assert_eq!(listing(dir.path()), before, "refused extract left files");

    // --allow-untrusted extracts an intact bundle nobody trusted (and still
    // says it is untrusted).
    dir.run(["extract", out, "-o", "allowed", "--allow-untrusted"], 3);
    assert!(files_only(&dir.join("allowed/evidence")) == expected);

    let tampered = format!("tampered-{out}");
    copy_bundle(&bundle, &dir.join(&tampered));
    flip_payload_byte(&dir.join(&tampered), "data/evidence/big/disk.img");
    let before = listing(dir.path());
    let failed = dir.run(
        [
            "extract",
            &tampered,
            "-o",
            "from-tampered",
            "--trust",
            "signer.pub",
        ],
        1,
    );
    assert!(
        stderr(&failed).contains("data/evidence/big/disk.img"),
        "{}",
        stderr(&failed)
    );
    assert!(!dir.join("from-tampered").exists());
    assert_eq!(listing(dir.path()), before, "refused extract left files");
    dir.run(
        [
            "extract",
            &tampered,
            "-o",
            "from-tampered",
            "--allow-untrusted",
        ],
        1,
    );
    assert!(!dir.join("from-tampered").exists());
}

#[test]
fn directory_bundle_round_trip() {
    round_trip("bundle");
}

#[test]
fn zip_bundle_round_trip() {
    round_trip("bundle.zip");
}

// ---------------------------------------------------- reproducibility ---

#[test]
fn sealing_twice_gives_identical_zip_bytes() {
    let dir = Dir::new();
    make_payload(&dir, 300, true);
    let key = dir.keygen("signer");
    dir.mkdir("one");
    dir.mkdir("two");
    let one = dir.seal(&["evidence"], "one/case-42.zip", &key);
    let two = dir.seal(&["evidence"], "two/case-42.zip", &key);
    assert!(
        fs::read(&one).unwrap() == fs::read(&two).unwrap(),
        "two seals of the same input differ"
    );

    let entries = zip_entries(&one);
    assert!(entries.len() > 300);
    // bagit.txt, data/, the payload, then the tag files: each run sorted
    // by name bytes (docs/FORMAT.md section 12).
    let names: Vec<&[u8]> = entries.iter().map(|e| e.name.as_slice()).collect();
    assert_eq!(names[0], b"case-42/bagit.txt");
    assert_eq!(names[1], b"case-42/data/");
    let payload_end = names
        .iter()
        .rposition(|n| n.starts_with(b"case-42/data/"))
        .unwrap();
    for run in [&names[2..=payload_end], &names[payload_end + 1..]] {
        let mut sorted = run.to_vec();
        sorted.sort();
        assert_eq!(run, &sorted[..], "zip entries are not sorted by name bytes");
    }
    assert_eq!(names[payload_end + 1], b"case-42/bag-info.txt");
    let stamp = zip::DateTime::from_date_and_time(2026, 11, 22, 10, 0, 0).unwrap();
    for entry in &entries {
        let name = String::from_utf8_lossy(&entry.name);
        assert!(
            name.starts_with("case-42/"),
            "{name:?} outside the top folder"
        );
        assert_eq!(entry.method, CompressionMethod::Stored, "{name:?}");
        // Payload files carry the zip epoch, the rest the sealing time.
        let expected = if name.starts_with("case-42/data/") && !name.ends_with('/') {
            zip::DateTime::default()
        } else {
            stamp
        };
        assert_eq!(entry.modified, Some(expected), "{name:?}");
    }
    assert!(names.contains(&&b"case-42/bagit.txt"[..]));

    // SOURCE_DATE_EPOCH fixes the time as --time does.
    dir.mkdir("three");
    let output = dir
        .exhibit()
        .env("SOURCE_DATE_EPOCH", "1795341600") // 2026-11-22T10:00:00Z
        .args([
            "seal",
            "evidence",
            "-o",
            "three/case-42.zip",
            "--key",
            "signer.key",
        ])
        .args(["--case", "CASE-2026-042", "--exhibit", "A1"])
        .args(["--description", "test evidence"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::read(dir.join("three/case-42.zip")).unwrap() == fs::read(&one).unwrap(),
        "SOURCE_DATE_EPOCH and --time give different bundles"
    );

    // Directory bundles are reproducible too, file for file.
    let a = dir.seal(&["evidence"], "one/dir-bundle", &key);
    let b = dir.seal(&["evidence"], "two/dir-bundle", &key);
    let (a, b) = (read_tree(&a), read_tree(&b));
    assert!(a == b, "{:?}", tree_diff(&a, &b));
}

// --------------------------------------------------------------- sign ---

fn co_sign(out: &str) {
    let dir = Dir::new();
    make_small_payload(&dir);
    let first = dir.keygen("first");
    let second = dir.keygen("second");
    let stranger = dir.keygen("stranger");
    let bundle = dir.seal(&["evidence"], out, &first);
    let is_zip = out.ends_with(".zip");
    let old_bytes = if is_zip {
        fs::read(&bundle).unwrap()
    } else {
        vec![]
    };
    let old_entries = if is_zip { zip_entries(&bundle) } else { vec![] };
    let old_cd = if is_zip {
        zip_central_directory_start(&bundle) as usize
    } else {
        0
    };

    let t = "2026-11-23T09:30:00Z";
    dir.run(["sign", out, "--key", "second.key", "--time", t], 0);

    if is_zip {
        // Appended: everything before the old central directory is kept,
        // byte for byte, and no old entry moved.
        let new_bytes = fs::read(&bundle).unwrap();
        assert!(new_bytes.len() > old_bytes.len());
        assert!(
            new_bytes.starts_with(&old_bytes[..old_cd]),
            "payload rewritten"
        );
        let new_entries = zip_entries(&bundle);
        for old in &old_entries {
            let new = new_entries
                .iter()
                .find(|e| e.name == old.name)
                .expect("old entry kept");
            assert_eq!(new, old);
        }
        assert_eq!(new_entries.len(), old_entries.len() + 1);
    }
    let record = format!("exhibit/signatures/{}.json", second.id);
    let record: serde_json::Value = serde_json::from_slice(&bag_files(&bundle)[&record]).unwrap();
    assert_eq!(record["signed_at"], t);
    assert_eq!(record["key_id"], second.id.as_str());

    let report = dir.verify_json(&bundle, &[&first], 0);
    let mut ids: Vec<&str> = report["signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["valid"], true);
            s["key_id"].as_str().unwrap()
        })
        .collect();
    ids.sort();
    let mut expected = vec![first.id.as_str(), second.id.as_str()];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(
        report["trusted_signers"],
        serde_json::json!([first.id.as_str()])
    );
    let report = dir.verify_json(&bundle, &[&second], 0);
    assert_eq!(
        report["trusted_signers"],
        serde_json::json!([second.id.as_str()])
    );
    dir.verify_json(&bundle, &[&stranger], 3);
    dir.verify_json(&bundle, &[], 3);
    let human = dir.run(["verify", out, "--trust", "second.pub"], 0);
    assert!(stdout(&human).contains(&first.id) && stdout(&human).contains(&second.id));

    // The same key twice is refused and changes nothing.
    let snapshot = bag_files(&bundle);
    let zip_snapshot = if is_zip {
        fs::read(&bundle).unwrap()
    } else {
        vec![]
    };
    dir.run(["sign", out, "--key", "second.key", "--time", t], 2);
    dir.run(["sign", out, "--key", "first.key", "--time", t], 2);
    assert!(bag_files(&bundle) == snapshot);
    if is_zip {
        assert!(fs::read(&bundle).unwrap() == zip_snapshot);
    }
    assert!(
        !dir.join(format!("{out}.lock")).exists() && !dir.join(format!("{out}.journal")).exists(),
        "sign left a sidecar file: {:?}",
        listing(dir.path())
    );

    // A bundle that does not verify is never signed.
    let tampered = format!("tampered-{out}");
    copy_bundle(&bundle, &dir.join(&tampered));
    flip_payload_byte(&dir.join(&tampered), "data/evidence/a.txt");
    let before = bag_files(&dir.join(&tampered));
    dir.run(["sign", &tampered, "--key", "stranger.key", "--time", t], 1);
    assert!(bag_files(&dir.join(&tampered)) == before);
}

#[test]
fn co_signature_directory_bundle() {
    co_sign("bundle");
}

#[test]
fn co_signature_zip_bundle() {
    co_sign("bundle.zip");
}

#[test]
fn zip_bundle_repacked_with_deflate_still_verifies() {
    // A receiver may unzip a bundle and zip it again with an ordinary tool
    // (deflated entries, folder entries): still the same bag.
    let dir = Dir::new();
    make_small_payload(&dir);
    let key = dir.keygen("signer");
    dir.keygen("second");
    let bundle = dir.seal(&["evidence"], "bundle.zip", &key);
    unzip(&bundle, &dir.join("unzipped"));
    zip_folder(
        &dir.join("unzipped/bundle"),
        "bundle",
        &dir.join("repacked.zip"),
        CompressionMethod::Deflated,
    );
    assert!(zip_entries(&dir.join("repacked.zip"))
        .iter()
        .any(|e| e.method == CompressionMethod::Deflated && e.size > 0));
    dir.run(["verify", "repacked.zip", "--trust", "signer.pub"], 0);
    dir.run(
        [
            "sign",
            "repacked.zip",
            "--key",
            "second.key",
            "--time",
            TIME,
        ],
        0,
    );
    let report = dir.verify_json(&dir.join("repacked.zip"), &[&key], 0);
    assert_eq!(report["signers"].as_array().unwrap().len(), 2);
    dir.run(
        [
            "extract",
            "repacked.zip",
            "-o",
            "out",
            "--trust",
            "second.pub",
        ],
        0,
    );
    assert!(files_only(&dir.join("out/evidence")) == files_only(&dir.join("evidence")));

    // A deflated payload entry changed inside is still caught.
    let (_, mut files) = read_zip_bag(&dir.join("repacked.zip"));
    files.insert("data/evidence/a.txt".into(), b"alpha!\n".to_vec());
    common::rewrite_zip_bag(&dir.join("repacked.zip"), &dir.join("changed.zip"), &files);
    let report = dir.verify_json(&dir.join("changed.zip"), &[&key], 1);
    assert!(problems(&report).contains(&(
        "payload.digest-mismatch".into(),
        Some("data/evidence/a.txt".into())
    )));
}

// ------------------------------------------------------------ inspect ---

fn inspect_without_hashing(out: &str) {
    let dir = Dir::new();
    make_small_payload(&dir);
    let key = dir.keygen("signer");
    let bundle = dir.seal(&["evidence"], out, &key);

    let shown = dir.run(["inspect", out], 0);
    let text = stdout(&shown);
    for expected in ["CASE-2026-042", "A1", key.id.as_str(), "signer examiner"] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }

    // A changed payload byte is invisible to inspect (it does not hash),
    // and found by verify.
    flip_payload_byte(&bundle, "data/evidence/sub dir/b.bin");
    let shown = dir.run(["inspect", out], 0);
    assert!(stdout(&shown).contains("CASE-2026-042"));
    let json = dir.run(["inspect", out, "--json"], 0);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["case_id"], "CASE-2026-042");
    assert_eq!(report["exhibit_id"], "A1");
    assert_eq!(report["signers"][0]["key_id"], key.id.as_str());
    assert_eq!(report["schema"], "exhibit.inspection/1");
    // Claimed by the seal, not counted: inspect hashes nothing.
    assert_eq!(report["statement"]["payload"]["file_count"], 3);
    assert!(report.get("file_count").is_none());

    let report = dir.verify_json(&bundle, &[&key], 1);
    assert_eq!(report["schema"], "exhibit.verification/1");
    assert!(problems(&report).contains(&(
        "payload.digest-mismatch".into(),
        Some("data/evidence/sub dir/b.bin".into())
    )));
}

#[test]
fn inspect_directory_bundle_does_not_hash() {
    inspect_without_hashing("bundle");
}

#[test]
fn inspect_zip_bundle_does_not_hash() {
    inspect_without_hashing("bundle.zip");
}

// ------------------------------------------ plain bags by bagit-python ---

#[test]
fn plain_bagit_bags_verify_as_intact_but_unsigned() {
    let Some(bagit) = tool_or_skip("bagit.py", "plain_bagit_bags_verify_as_intact_but_unsigned")
    else {
        return;
    };
    let dir = Dir::new();
    for bag in ["md5-sha256", "default"] {
        dir.write(format!("{bag}/report one.txt"), b"first report\n");
        dir.write(format!("{bag}/nested/deeper/log.bin"), content(70_000, 3));
        dir.write(format!("{bag}/nested/empty.txt"), b"");
    }
    assert_tool_ok(
        &run_tool(
            &bagit,
            dir.path(),
            ["--quiet", "--md5", "--sha256", "md5-sha256"],
        ),
        "bagit.py --md5 --sha256",
    );
    assert_tool_ok(
        &run_tool(&bagit, dir.path(), ["--quiet", "default"]),
        "bagit.py",
    );
    assert!(dir.join("md5-sha256/manifest-md5.txt").is_file());
    assert!(dir.join("md5-sha256/tagmanifest-sha256.txt").is_file());

    for bag in ["md5-sha256", "default"] {
        let report = dir.verify_json(&dir.join(bag), &[], 3);
        assert_eq!(report["status"], "untrusted");
        assert_eq!(report["kind"], "bagit");
        assert_eq!(report["file_count"], 3);
        assert_eq!(problems(&report), vec![]);
        let human = dir.run(["verify", bag], 3);
        assert!(
            stdout(&human).contains("plain BagIt bag"),
            "{}",
            stdout(&human)
        );
    }

    // A zip of the bag as other tools make it: one top folder, deflated.
    zip_folder(
        &dir.join("md5-sha256"),
        "md5-sha256",
        &dir.join("md5-sha256.zip"),
        CompressionMethod::Deflated,
    );
    assert!(zip_entries(&dir.join("md5-sha256.zip"))
        .iter()
        .any(|e| e.method == CompressionMethod::Deflated));
    let report = dir.verify_json(&dir.join("md5-sha256.zip"), &[], 3);
    assert_eq!(report["kind"], "bagit");

    // One changed payload file: failed, and the file is named.
    fs::write(
        dir.join("md5-sha256/data/report one.txt"),
        b"first report!\n",
    )
    .unwrap();
    let failed = dir.run(["verify", "md5-sha256"], 1);
    assert!(
        stderr(&failed).contains("data/report one.txt"),
        "{}",
        stderr(&failed)
    );
    let report = dir.verify_json(&dir.join("md5-sha256"), &[], 1);
    assert_eq!(report["status"], "failed");
    assert!(problems(&report).contains(&(
        "payload.digest-mismatch".into(),
        Some("data/report one.txt".into())
    )));
    zip_folder(
        &dir.join("md5-sha256"),
        "md5-sha256",
        &dir.join("changed.zip"),
        CompressionMethod::Deflated,
    );
    let failed = dir.run(["verify", "changed.zip"], 1);
    assert!(
        stderr(&failed).contains("data/report one.txt"),
        "{}",
        stderr(&failed)
    );
}

// ----------------------------------------------- interop, our bundles ---

/// Seals the interop payload into a directory bundle and a zip bundle, and
/// unzips the zip (as a receiver without `exhibit` would); returns the two
/// bag roots.
fn interop_bags(dir: &Dir, for_bagit_python: bool) -> [PathBuf; 2] {
    // Fewer small files: these tests are about the format, not volume.
    make_payload(dir, 40, false);
    if for_bagit_python {
        // bagit-python decodes %0A and %0D in manifests but not %25, so the
        // names given to it have no '%'.
        dir.write("evidence/new\nline.txt", b"lf");
        dir.write("evidence/carriage\rreturn.txt", b"cr");
        // bagit-python compares names after Unicode normalization, so it
        // cannot tell the NFC and NFD spellings of one name apart (it checks
        // one file against the other's digest); keep one of them.
        fs::remove_file(dir.join("evidence/awkward/cafe\u{301}.txt")).unwrap();
    }
    let key = dir.keygen("signer");
    dir.keygen("second");
    let dir_bag = dir.seal(&["evidence"], "bundle", &key);
    let zip = dir.seal(&["evidence"], "bundle.zip", &key);
    for out in ["bundle", "bundle.zip"] {
        dir.run(["sign", out, "--key", "second.key", "--time", TIME], 0);
    }
    unzip(&zip, &dir.join("unzipped"));
    [dir_bag, dir.join("unzipped/bundle")]
}

#[test]
fn bagit_python_validates_both_forms() {
    let Some(bagit) = tool_or_skip("bagit.py", "bagit_python_validates_both_forms") else {
        return;
    };
    let dir = Dir::new();
    for bag in interop_bags(&dir, true) {
        let output = run_tool(
            &bagit,
            dir.path(),
            [
                OsStr::new("--quiet"),
                OsStr::new("--validate"),
                bag.as_os_str(),
            ],
        );
        assert_tool_ok(&output, &format!("bagit.py --validate {}", bag.display()));
    }
}

#[test]
fn sha256sum_checks_the_payload_manifest() {
    let Some(sha256sum) = tool_or_skip("sha256sum", "sha256sum_checks_the_payload_manifest") else {
        return;
    };
    let dir = Dir::new();
    for bag in interop_bags(&dir, false) {
        let output = run_tool(&sha256sum, &bag, ["--strict", "-c", "manifest-sha256.txt"]);
        assert_tool_ok(&output, "sha256sum -c manifest-sha256.txt");
        assert!(stdout(&output).contains("data/evidence/big/disk.img: OK"));
    }
}

#[test]
fn b3sum_checks_the_blake3_manifest() {
    let Some(b3sum) = tool_or_skip("b3sum", "b3sum_checks_the_blake3_manifest") else {
        return;
    };
    let dir = Dir::new();
    for bag in interop_bags(&dir, false) {
        let output = run_tool(&b3sum, &bag, ["-c", "exhibit/manifest-blake3.txt"]);
        assert_tool_ok(&output, "b3sum -c exhibit/manifest-blake3.txt");
        assert!(stdout(&output).contains("data/evidence/big/disk.img: OK"));
    }
}

#[test]
fn unzip_tests_the_zip_bundle_and_large_files_are_page_aligned() {
    let dir = Dir::new();
    make_payload(&dir, 40, true);
    let key = dir.keygen("signer");
    let zip = dir.seal(&["evidence"], "bundle.zip", &key);
    // The large file's data starts on a page boundary (a Data Stream
    // Alignment field pads its local header); small files are not padded.
    for entry in zip_entries(&zip) {
        let aligned = entry.data_start % 4096 == 0;
        if entry.size >= PIPELINE_THRESHOLD {
            assert!(aligned, "{:?} at {}", entry.name, entry.data_start);
        }
    }
    assert!(zip_entries(&zip)
        .iter()
        .any(|e| e.name.ends_with(b"big/disk.img") && e.size >= PIPELINE_THRESHOLD));
    let Some(unzip) = tool_or_skip(
        "unzip",
        "unzip_tests_the_zip_bundle_and_large_files_are_page_aligned",
    ) else {
        return;
    };
    let output = run_tool(&unzip, dir.path(), [OsStr::new("-tq"), zip.as_os_str()]);
    assert_tool_ok(&output, "unzip -tq bundle.zip");
}

/// `openssl pkeyutl -verify` of one signature record over one file.
fn openssl_verifies(openssl: &Path, dir: &Path, record: &[u8], signed: &Path) -> bool {
    let record: serde_json::Value = serde_json::from_slice(record).unwrap();
    let signature = base64::engine::general_purpose::STANDARD
        .decode(record["signature"].as_str().unwrap())
        .unwrap();
    assert_eq!(signature.len(), 64);
    fs::write(
        dir.join("signer.pem"),
        record["public_key"].as_str().unwrap(),
    )
    .unwrap();
    fs::write(dir.join("sig.bin"), signature).unwrap();
    let output = run_tool(
        openssl,
        dir,
        [
            OsStr::new("pkeyutl"),
            OsStr::new("-verify"),
            OsStr::new("-pubin"),
            OsStr::new("-inkey"),
            OsStr::new("signer.pem"),
            OsStr::new("-rawin"),
            OsStr::new("-in"),
            signed.as_os_str(),
            OsStr::new("-sigfile"),
            OsStr::new("sig.bin"),
        ],
    );
    output.status.success() && stdout(&output).contains("Signature Verified Successfully")
}

#[test]
fn openssl_accepts_every_signature_record() {
    let Some(openssl) = tool_or_skip("openssl", "openssl_accepts_every_signature_record") else {
        return;
    };
    let dir = Dir::new();
    let work = dir.mkdir("openssl");
    for bag in interop_bags(&dir, false) {
        let records: Vec<PathBuf> = fs::read_dir(bag.join("exhibit/signatures"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(records.len(), 2, "seal signature and co-signature");
        let seal = bag.join("exhibit/seal.json");
        for record in &records {
            let record = fs::read(record).unwrap();
            assert!(openssl_verifies(&openssl, &work, &record, &seal));
            // Control: the same check rejects other bytes.
            let mut changed = fs::read(&seal).unwrap();
            changed[10] ^= 0x20;
            let changed_path = dir.write("openssl/changed.json", changed);
            assert!(!openssl_verifies(&openssl, &work, &record, &changed_path));
        }
        let custody_sig = fs::read(bag.join("exhibit/custody/000001.sig")).unwrap();
        let event = bag.join("exhibit/custody/000001.json");
        assert!(openssl_verifies(&openssl, &work, &custody_sig, &event));
        assert!(!openssl_verifies(&openssl, &work, &custody_sig, &seal));
    }
}

// ------------------------------------------------------ not a bundle ---

#[test]
fn input_that_is_not_a_bundle_exits_2() {
    let dir = Dir::new();
    dir.keygen("signer");
    dir.write("empty.zip", b"");
    dir.write("random.zip", content(10_000, 99));
    dir.write("random", content(10_000, 98));
    dir.write("plain folder/data/file.txt", b"no bagit.txt here\n");
    dir.write("to-zip/data/file.txt", b"no bagit.txt here either\n");
    dir.write("to-zip/manifest-sha256.txt", b"");
    zip_folder(
        &dir.join("to-zip"),
        "to-zip",
        &dir.join("no-bagit.zip"),
        CompressionMethod::Stored,
    );
    for input in [
        "missing.zip",
        "missing-folder",
        "empty.zip",
        "random.zip",
        "random",
        "plain folder",
        "no-bagit.zip",
    ] {
        let output = dir.run(["verify", input, "--trust", "signer.pub"], 2);
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{input}: {err}");
        // A folder or a file that is not a zip is told what a bundle is.
        if matches!(input, "plain folder" | "random") {
            assert!(
                err.contains("; try: ") && err.contains("bag"),
                "{input}: {err}"
            );
        }
        dir.run(["verify", input, "--json"], 2);
        dir.run(["inspect", input], 2);
        dir.run(["extract", input, "-o", "out", "--trust", "signer.pub"], 2);
        assert!(!dir.join("out").exists());
    }

    // So is an unusable --trust key, even for a good bundle.
    make_small_payload(&dir);
    let key = dir.keygen("good");
    dir.seal(&["evidence"], "good.zip", &key);
    dir.run(["verify", "good.zip", "--trust", "missing.pub"], 2);
    dir.run(["verify", "good.zip", "--trust", "random"], 2);
}
