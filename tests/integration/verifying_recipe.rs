//! The recipe of `docs/VERIFYING.md`, run as written: a receiver without
//! `exhibit` checks a bundle with `unzip`, bagit-python, `sha256sum`,
//! `b3sum`, `jq`, OpenSSL and Python alone. The shell blocks are taken from
//! the document itself, so the document cannot drift from the format.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{
    self, read_zip_bag, rewrite_zip_bag, stderr, stdout, tool_or_skip, zip_entries, Dir, TIME,
};

const TOOLS: [&str; 7] = [
    "unzip",
    "bagit.py",
    "sha256sum",
    "b3sum",
    "jq",
    "openssl",
    "python3",
];

/// Every ```sh block of docs/VERIFYING.md, in order.
fn recipe() -> String {
    let doc = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/VERIFYING.md"))
        .expect("docs/VERIFYING.md");
    let mut script = String::new();
    let mut in_block = false;
    for line in doc.lines() {
        match (in_block, line.trim_end()) {
            (false, "```sh") => in_block = true,
            (true, "```") => in_block = false,
            (true, line) => {
                script.push_str(line);
                script.push('\n');
            }
            _ => {}
        }
    }
    assert!(
        script.contains("openssl pkeyutl -verify"),
        "no recipe found"
    );
    script
}

/// Runs the recipe in `dir` (which holds `bundle.zip` and `examiner.pub`)
/// and returns what it printed, or `None` when a tool `test` needs is
/// missing.
fn run_recipe(dir: &Dir, test: &str) -> Option<String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for tool in TOOLS {
        let found = tool_or_skip(tool, test)?;
        paths.push(found.parent().unwrap().to_path_buf());
    }
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    fs::write(dir.join("recipe.sh"), recipe()).unwrap();
    let output = Command::new("bash")
        .arg("recipe.sh")
        .current_dir(dir.path())
        .env("PATH", std::env::join_paths(paths).unwrap())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Some(format!("{}{}", stdout(&output), stderr(&output)))
}

/// A zip bundle with a co-signature and a second custody event.
fn sealed_bundle(dir: &Dir) {
    dir.write("evidence/disk image.dd", common::content(300_000, 1));
    dir.write("evidence/mail/inbox 1.eml", b"From: a\n\nhello\n");
    dir.write("evidence/r\u{e9}sum\u{e9}.txt", b"cv\n");
    dir.write("evidence/empty.log", b"");
    let examiner = dir.keygen("examiner");
    let prosecutor = dir.keygen("prosecutor");
    dir.seal(&["evidence"], "bundle.zip", &examiner);
    dir.run(
        [
            "sign",
            "bundle.zip",
            "--key",
            "prosecutor.key",
            "--time",
            TIME,
        ],
        0,
    );
    dir.run(
        [
            "custody",
            "add",
            "bundle.zip",
            "--key",
            "examiner.key",
            "--action",
            "transfer",
            "--to-key",
            "prosecutor.pub",
            "--time",
            TIME,
        ],
        0,
    );
    assert!(examiner.public.is_file() && prosecutor.public.is_file());
}

/// A co-signature by an institution's certificate, and its root where the
/// recipe looks for it; the certificate's id. None when openssl is missing.
fn cosign_with_certificate(dir: &Dir, test: &str) -> Option<String> {
    let ca = common::ca::Ca::new(&dir.mkdir("pki"), test)?;
    let examiner = ca.examiner("Nguyen Van A", "rsa", "examiner", (0, 365), "");
    fs::copy(ca.root(), dir.join("authority-root.pem")).unwrap();
    let output = dir
        .exhibit()
        .args(["sign", "bundle.zip", "--cert"])
        .arg(&examiner.p12)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let der = ca.openssl(&[
        "x509",
        "-in",
        &examiner.cert.display().to_string(),
        "-outform",
        "DER",
    ]);
    use sha2::Digest as _;
    Some(hex::encode(sha2::Sha256::digest(&der.stdout)))
}

#[test]
fn the_recipe_verifies_a_bundle_with_standard_tools_alone() {
    let test = "the_recipe_verifies_a_bundle_with_standard_tools_alone";
    let dir = Dir::new();
    sealed_bundle(&dir);
    let Some(cert_id) = cosign_with_certificate(&dir, test) else {
        return;
    };
    let Some(out) = run_recipe(&dir, test) else {
        return;
    };
    assert!(out.contains("CMS Verification successful"), "{out}");
    assert!(
        out.contains(&format!("computed certificate id: {cert_id}")),
        "{out}"
    );
    for expected in [
        "BagIt: valid",
        "no file added or missing",
        "4 files, 300018 bytes, 0 problems",
        "data/evidence/disk image.dd: OK",
        "exhibit.seal/2",
        "\nMATCH\n",
    ] {
        assert!(out.contains(expected), "{expected:?} not in:\n{out}");
    }
    for bad in ["BAD", "MISMATCH", "FAILED", "Failure", "CHANGED", "MISSING"] {
        assert!(!out.contains(bad), "{bad:?} in:\n{out}");
    }
    // Two seal signatures and two custody events, each checked by OpenSSL.
    assert_eq!(
        out.matches("Signature Verified Successfully").count(),
        4,
        "{out}"
    );
    let report = dir.verify_json(&dir.join("bundle.zip"), &[], 3);
    let head = report["custody_head"].as_str().expect("custody head");
    assert!(
        out.contains(&format!("head {head}")),
        "head {head} not in:\n{out}"
    );
}

#[test]
fn the_recipe_reports_a_changed_payload_file() {
    let dir = Dir::new();
    sealed_bundle(&dir);
    let zip = dir.join("bundle.zip");
    // A flipped byte: unzip's CRC check is the first to see it.
    let entry = zip_entries(&zip)
        .into_iter()
        .find(|e| e.name.ends_with(b"disk image.dd"))
        .expect("payload entry");
    let original = fs::read(&zip).unwrap();
    let mut bytes = original.clone();
    bytes[entry.data_start as usize + 1000] ^= 0x01;
    fs::write(&zip, bytes).unwrap();
    let test = "the_recipe_reports_a_changed_payload_file";
    let Some(out) = run_recipe(&dir, test) else {
        return;
    };
    assert!(out.contains("disk image.dd  bad CRC"), "{out}");

    // The same change with the zip's CRCs made to match: the manifests see it.
    fs::write(&zip, original).unwrap();
    let (_, mut files) = read_zip_bag(&zip);
    files
        .get_mut("data/evidence/disk image.dd")
        .expect("payload file")[1000] ^= 0x01;
    rewrite_zip_bag(&zip, &dir.join("rewritten.zip"), &files);
    fs::rename(dir.join("rewritten.zip"), &zip).unwrap();
    fs::remove_dir_all(dir.join("work")).unwrap();
    let out = run_recipe(&dir, test).expect("tools found the first time");
    for expected in [
        "No errors detected in compressed data",
        "data/evidence/disk image.dd: FAILED",
        "CHANGED  b'data/evidence/disk image.dd'",
        "1 problems",
    ] {
        assert!(out.contains(expected), "{expected:?} not in:\n{out}");
    }
}
