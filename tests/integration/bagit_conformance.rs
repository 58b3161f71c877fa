//! The Library of Congress BagIt conformance suite, vendored byte for byte
//! in `tests/data/bagit-conformance-suite/` (public domain), run through
//! `exhibit verify CASE --json`: on a bag without `exhibit/`, verify is a
//! strict BagIt validator for bags made by other tools.
//!
//! Every case folder found is run, so a case added to the suite is picked
//! up without touching this file:
//!
//! - `v*/valid/*`: exit 3 (intact, nobody signed it), no problem;
//! - `v*/warning/*`: exit 3, no problem, at least one warning;
//! - `v*/invalid/*` and `v*/linux-only/*`: exit 1 with at least one
//!   problem, or exit 2 (not recognisable as a bag at all, e.g. no
//!   `bagit.txt`).
//!
//! Whenever verify exits 3, stderr holds exactly one `exhibit: warning:`
//! line per warning of the JSON report and nothing else.
//!
//! `v*/windows-only/*` cases test paths that only escape a bag on Windows
//! and are not run here (nor counted): in v0.97,
//! out-of-scope-file-paths-using-absolute-path,
//! out-of-scope-file-paths-using-absolute-path-for-fetch,
//! out-of-scope-file-paths-using-shortcut,
//! out-of-scope-file-paths-using-shortcut-for-fetch,
//! out-of-scope-file-paths-using-unc and
//! out-of-scope-file-paths-using-unc-for-fetch.
//!
//! The suite has no empty folders (git could not keep them); a case that
//! needed one would have to create it in its temporary copy here.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{self, copy_tree, read_tree, stderr, stdout, Dir};

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/bagit-conformance-suite"
);

/// At least this many cases apply on Linux (54 in the suite as vendored);
/// fewer means the folders were not found, not that cases were removed.
const MIN_LINUX_CASES: usize = 54;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Valid,
    Warning,
    Invalid,
}

/// What a category folder's cases must do here; `None`: not run on Linux.
fn expectation(category: &str) -> Option<Expect> {
    match category {
        "valid" => Some(Expect::Valid),
        "warning" => Some(Expect::Warning),
        "invalid" | "linux-only" => Some(Expect::Invalid),
        "windows-only" => None,
        other => panic!("unknown category folder {other:?} in the conformance suite"),
    }
}

/// Sub-folders of `dir`, sorted by name (files such as a Makefile beside
/// the cases are not cases).
fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    found.sort();
    found
}

fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs one case on a temporary copy; `Err` says everything that is wrong.
fn run_case(case: &Path, expect: Expect) -> Result<(), String> {
    let dir = Dir::new();
    let bag = dir.join("bag");
    copy_tree(case, &bag);
    let before = read_tree(&bag);

    let output = dir
        .exhibit()
        .args(["verify", "bag", "--json"])
        .output()
        .unwrap();
    let code = output.status.code();
    let err = stderr(&output);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let list = |member: &str| -> Vec<String> {
        report[member]
            .as_array()
            .map(|items| items.iter().map(|p| p.to_string()).collect())
            .unwrap_or_default()
    };
    let problems = list("problems");
    let warnings = list("warnings");

    let mut wrong = Vec::new();
    if err.contains("panicked") {
        wrong.push("panicked".to_string());
    }
    match expect {
        Expect::Valid | Expect::Warning => {
            if code != Some(3) {
                wrong.push(format!("exit {code:?}, expected 3"));
            }
            if !problems.is_empty() {
                wrong.push(format!("problems: {}", problems.join(", ")));
            }
            if expect == Expect::Warning && warnings.is_empty() {
                wrong.push("no warning".to_string());
            }
        }
        Expect::Invalid => match code {
            Some(1) if problems.is_empty() => wrong.push("exit 1 with no problem".to_string()),
            Some(1) => {}
            Some(2) if err.trim().is_empty() => wrong.push("exit 2 without a message".to_string()),
            Some(2) => {}
            other => wrong.push(format!("exit {other:?}, expected 1 or 2")),
        },
    }
    if code == Some(3) {
        // One stderr line per warning, and nothing else.
        let lines: Vec<&str> = err.lines().collect();
        let warning_lines = lines
            .iter()
            .filter(|l| l.starts_with("exhibit: warning:"))
            .count();
        if warning_lines != warnings.len() || lines.len() != warnings.len() {
            wrong.push(format!(
                "{} warnings in the report, {warning_lines} warning lines and {} lines on stderr",
                warnings.len(),
                lines.len()
            ));
        }
    }
    if read_tree(&bag) != before {
        wrong.push("verify changed the bag".to_string());
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n      stdout: {}\n      stderr: {}",
            wrong.join("; "),
            stdout(&output).trim().replace('\n', "\n              "),
            err.trim().replace('\n', "\n              ")
        ))
    }
}

#[test]
fn conformance_suite() {
    let mut failures = Vec::new();
    // version -> (passed, run)
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for version in subfolders(Path::new(SUITE)) {
        let version_name = name_of(&version);
        if !version_name.starts_with('v') {
            continue;
        }
        for category in subfolders(&version) {
            let Some(expect) = expectation(&name_of(&category)) else {
                continue;
            };
            for case in subfolders(&category) {
                let label = format!("{version_name}/{}/{}", name_of(&category), name_of(&case));
                let counts = tally.entry(version_name.clone()).or_default();
                counts.1 += 1;
                match run_case(&case, expect) {
                    Ok(()) => counts.0 += 1,
                    Err(why) => failures.push(format!("{label}: {why}")),
                }
            }
        }
    }
    let run: usize = tally.values().map(|(_, n)| n).sum();
    let summary: Vec<String> = tally
        .iter()
        .map(|(v, (passed, n))| format!("{v}: {passed}/{n}"))
        .collect();
    eprintln!("BagIt conformance: {}", summary.join(", "));
    assert!(
        run >= MIN_LINUX_CASES,
        "only {run} cases found under {SUITE}, expected at least {MIN_LINUX_CASES}"
    );
    assert!(
        failures.is_empty(),
        "{} of {run} conformance cases fail ({}):\n{}",
        failures.len(),
        summary.join(", "),
        failures.join("\n")
    );
}

/// The case folder `relative` (e.g. `v0.97/valid/holey-bag`) copied into a
/// new temporary folder as `bag`.
fn copy_case(relative: &str) -> (Dir, PathBuf) {
    let dir = Dir::new();
    let bag = dir.join("bag");
    copy_tree(&Path::new(SUITE).join(relative), &bag);
    (dir, bag)
}

/// `(code, path)` of every warning of a JSON report.
fn warnings(report: &serde_json::Value) -> Vec<(String, Option<String>)> {
    report["warnings"]
        .as_array()
        .expect("warnings is a list")
        .iter()
        .map(|w| {
            (
                w["code"].as_str().unwrap().to_string(),
                w["path"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// What verify accepts in a plain bag it refuses in a bag that claims to
/// be made by exhibit: the same case with an `exhibit/` folder added gets
/// the strict problem instead of the plain bag's leniency.
#[test]
fn leniency_is_for_plain_bags_only() {
    let table: &[(&str, &str, &str)] = &[
        (
            "v0.97/warning/made-with-md5sum-tools",
            "path.unsafe",
            "*data/hello.txt",
        ),
        (
            "v0.97/warning/relative-path",
            "path.unsafe",
            "./data/hello.txt",
        ),
        (
            "v0.97/warning/same-filename-listed-twice-with-the-same-hash",
            "bag.manifest-invalid",
            "manifest-sha256.txt",
        ),
        (
            "v0.97/warning/duplicate-file-with-different-case",
            "payload.missing",
            "data/HELLO.txt",
        ),
        (
            "v0.97/warning/special-system-files",
            "payload.missing",
            "data/.DS_Store",
        ),
        ("v0.97/valid/holey-bag", "bag.fetch", "fetch.txt"),
        (
            "v0.97/valid/ISO-8859-1-encoded-tag-files",
            "bag.declaration",
            "bagit.txt",
        ),
        (
            "v0.97/valid/UTF-16-encoded-tag-files",
            "bag.declaration",
            "bagit.txt",
        ),
        ("v0.96/valid/basic-bag", "bag.declaration", "bagit.txt"),
        ("v0.93/valid/basic-bag", "bag.bag-info", "bag-info.txt"),
    ];
    let mut wrong = Vec::new();
    for (case, code, path) in table {
        let (dir, bag) = copy_case(case);
        let plain = dir.verify_json(&bag, &[], 3);
        assert_eq!(plain["kind"], "bagit", "{case}");
        fs::create_dir(bag.join("exhibit")).unwrap();
        let strict = dir.verify_json(&bag, &[], 1);
        assert_eq!(strict["kind"], "exhibit", "{case}");
        let found = common::problems(&strict);
        if !found.contains(&(code.to_string(), Some(path.to_string()))) {
            wrong.push(format!("{case}: no {code} at {path}: {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A holey bag whose fetched files are absent: exit 3, one warning saying
/// how many were not checked; the files present are still checked.
#[test]
fn holey_bag_with_absent_files() {
    let (dir, bag) = copy_case("v0.97/valid/holey-bag");
    fs::remove_file(bag.join("data/test 1.txt")).unwrap();
    fs::remove_file(bag.join("data/dir2/dir3/test5.txt")).unwrap();
    let report = dir.verify_json(&bag, &[], 3);
    assert_eq!(report["file_count"], 3);
    assert_eq!(
        warnings(&report),
        vec![("bag.fetch".to_string(), Some("fetch.txt".to_string()))]
    );
    let message = report["warnings"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("2 of the 5 files"), "{message}");

    fs::write(bag.join("data/test2.txt"), b"changed").unwrap();
    let report = dir.verify_json(&bag, &[], 1);
    assert!(common::problems(&report).contains(&(
        "payload.digest-mismatch".to_string(),
        Some("data/test2.txt".to_string())
    )));

    // Payload-Oxum counts the absent files too (their lengths are "-"
    // here, so the bytes in the bag are a lower bound).
    let (dir, bag) = copy_case("v0.97/valid/holey-bag");
    fs::remove_file(bag.join("tagmanifest-md5.txt")).unwrap();
    fs::remove_file(bag.join("data/test 1.txt")).unwrap();
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    for (oxum, code) in [
        ("25.5", 3),
        ("99.5", 3),
        ("25.6", 1),
        ("25.4", 1),
        ("3.5", 1),
    ] {
        fs::write(
            bag.join("bag-info.txt"),
            format!("{info}Payload-Oxum: {oxum}\r\n"),
        )
        .unwrap();
        let report = dir.verify_json(&bag, &[], code);
        if code == 1 {
            assert_eq!(
                common::problems(&report),
                vec![(
                    "bag.oxum-mismatch".to_string(),
                    Some("bag-info.txt".to_string())
                )]
            );
        }
    }

    // A file that is neither in the bag nor in fetch.txt is still missing.
    let (dir, bag) = copy_case("v0.97/valid/holey-bag");
    fs::remove_file(bag.join("data/test2.txt")).unwrap();
    let fetch = fs::read_to_string(bag.join("fetch.txt")).unwrap();
    let kept: String = fetch
        .split_inclusive('\n')
        .filter(|l| !l.ends_with("data/test2.txt\r\n"))
        .collect();
    assert_ne!(kept, fetch);
    fs::write(bag.join("fetch.txt"), kept).unwrap();
    let report = dir.verify_json(&bag, &[], 1);
    assert!(common::problems(&report).contains(&(
        "payload.missing".to_string(),
        Some("data/test2.txt".to_string())
    )));
}

/// Tag files in another encoding are decoded as declared: a payload file
/// changed under a UTF-16 manifest is found, and a manifest that is not
/// the encoding bagit.txt declares is refused.
#[test]
fn tag_files_in_other_encodings_are_checked() {
    let (dir, bag) = copy_case("v0.97/valid/UTF-16-encoded-tag-files");
    fs::write(bag.join("data/bare-filename"), b"changed").unwrap();
    let report = dir.verify_json(&bag, &[], 1);
    assert!(common::problems(&report).contains(&(
        "payload.digest-mismatch".to_string(),
        Some("data/bare-filename".to_string())
    )));

    let (dir, bag) = copy_case("v0.97/valid/UTF-16-encoded-tag-files");
    let mut manifest = fs::read(bag.join("manifest-md5.txt")).unwrap();
    manifest.push(b'x'); // an odd number of bytes
    fs::write(bag.join("manifest-md5.txt"), manifest).unwrap();
    let report = dir.verify_json(&bag, &[], 1);
    let found = common::problems(&report);
    assert!(
        found.contains(&(
            "bag.manifest-invalid".to_string(),
            Some("manifest-md5.txt".to_string())
        )),
        "{found:?}"
    );

    // ISO-8859-1 metadata with a non-ASCII value reads; the same bytes
    // declared as UTF-8 do not.
    let (dir, bag) = copy_case("v0.97/valid/ISO-8859-1-encoded-tag-files");
    let mut info = fs::read(bag.join("bag-info.txt")).unwrap();
    info.extend(b"Contact-Name: Jos\xe9 N\xfa\xf1ez\n");
    fs::write(bag.join("bag-info.txt"), &info).unwrap();
    fs::remove_file(bag.join("tagmanifest-md5.txt")).unwrap();
    dir.verify_json(&bag, &[], 3);
    fs::write(
        bag.join("bagit.txt"),
        b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
    )
    .unwrap();
    let report = dir.verify_json(&bag, &[], 1);
    assert!(common::problems(&report)
        .contains(&("bag.bag-info".to_string(), Some("bag-info.txt".to_string()))));
}

/// Both NFC and NFD spellings of a name in a plain bag (a Linux file system
/// keeps them apart, macOS does not): each is checked, with a warning.
#[test]
fn both_spellings_in_the_bag() {
    let (dir, bag) =
        copy_case("v0.97/warning/same-filename-listed-twice-with-different-normalization");
    fs::write(bag.join("data/Nu\u{301}n\u{303}ez"), b"").unwrap();
    let report = dir.verify_json(&bag, &[], 3);
    assert_eq!(report["file_count"], 2);
    let found = warnings(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "path.duplicate");
    let message = report["warnings"][0]["message"].as_str().unwrap();
    assert!(message.contains("Unicode normalization"), "{message}");
}
