//! `exhibit audit`: a working copy held against its bundle, or against a
//! list of digests another tool wrote (sha256sum, b3sum, hashdeep, DFXML,
//! `verify --json`). One file changed, one renamed, one removed, one added
//! (and one unreadable, run as `nobody`): the classes and exit codes, the
//! same counts as `hashdeep -a` where its categories apply, and an
//! interrupted audit resumed to the same result.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::{run_tool, stderr, stdout, tool_or_skip, Dir, Key};

/// A sealed bundle of an evidence tree, and a copy of its payload in `copy/`.
fn sealed_and_copied(dir: &Dir) -> Key {
    let key = dir.keygen("examiner");
    dir.write("evidence/mail/inbox 1.eml", "From: a\n\nhello\n");
    dir.write("evidence/mail/inbox 2.eml", "From: b\n\nworld\n");
    dir.write(
        "evidence/photos/résumé — 1.jpg",
        crate::common::content(70_000, 1),
    );
    dir.write("evidence/photos/2.jpg", crate::common::content(90_000, 2));
    dir.write("evidence/notes.txt", "seized 2026-11-21\n");
    dir.write("evidence/ledger 100%.csv", "a,b\n1,2\n");
    dir.seal(&["evidence"], "case.zip", &key);
    dir.run(
        [
            "extract",
            "case.zip",
            "-o",
            "copy",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        0,
    );
    key
}

/// Changes one file, renames one, removes one and adds one.
fn work_on(copy: &Path) {
    fs::write(copy.join("evidence/notes.txt"), "seized 2026-11-22\n").unwrap();
    fs::rename(
        copy.join("evidence/photos/2.jpg"),
        copy.join("evidence/photos/2 (copy).jpg"),
    )
    .unwrap();
    fs::remove_file(copy.join("evidence/mail/inbox 2.eml")).unwrap();
    fs::write(copy.join("evidence/added.txt"), "by the analyst\n").unwrap();
}

const DIFFERENCES: &str = "\
new         evidence/added.txt
missing     evidence/mail/inbox 2.eml
changed     evidence/notes.txt
moved       evidence/photos/2 (copy).jpg (was evidence/photos/2.jpg)
";

#[test]
fn a_copy_that_matches_is_exit_0_and_every_difference_is_classed() {
    let dir = Dir::new();
    sealed_and_copied(&dir);
    let out = dir.run(["audit", "copy", "--against", "case.zip"], 0);
    assert!(
        stdout(&out).contains("6 matched, 0 changed, 0 new, 0 moved, 0 missing, 0 unreadable"),
        "{}",
        stdout(&out)
    );
    work_on(&dir.join("copy"));
    let out = dir.run(["audit", "copy", "--against", "case.zip"], 1);
    let text = stdout(&out);
    assert!(text.starts_with(DIFFERENCES), "{text}");
    assert!(
        text.contains("3 matched, 1 changed, 1 new, 1 moved, 1 missing, 0 unreadable"),
        "{text}"
    );
    let out = dir.run(["audit", "copy", "--against", "case.zip", "--json"], 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["counts"]["matched"], 3);
    assert_eq!(report["counts"]["moved"], 1);
    assert_eq!(report["differences"][3]["class"], "moved");
    assert_eq!(report["differences"][3]["from"], "evidence/photos/2.jpg");
    // The same against the JSON of `verify --json`.
    dir.write(
        "verify.json",
        dir.run(["verify", "case.zip", "--json"], 3).stdout,
    );
    let out = dir.run(["audit", "copy", "--known", "verify.json"], 1);
    assert!(stdout(&out).starts_with(DIFFERENCES), "{}", stdout(&out));
}

#[test]
fn audit_agrees_with_hashdeep_sha256sum_b3sum_and_dfxml_lists() {
    const TEST: &str = "audit::audit_agrees_with_hashdeep_sha256sum_b3sum_and_dfxml_lists";
    let Some(hashdeep) = tool_or_skip("hashdeep", TEST) else {
        return;
    };
    let Some(b3sum) = tool_or_skip("b3sum", TEST) else {
        return;
    };
    let dir = Dir::new();
    sealed_and_copied(&dir);
    let copy = dir.join("copy");
    // Lists made of the copy as extracted, by each tool, inside it.
    let listed = run_tool(&hashdeep, &copy, ["-c", "sha256", "-r", "."]);
    fs::write(dir.join("known.hashdeep"), &listed.stdout).unwrap();
    let files: Vec<String> = walkdir::WalkDir::new(&copy)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&copy).unwrap().display().to_string())
        .collect();
    let sha256sum = std::process::Command::new("sha256sum")
        .current_dir(&copy)
        .args(&files)
        .output()
        .unwrap();
    fs::write(dir.join("known.sha256"), &sha256sum.stdout).unwrap();
    let b3 = run_tool(&b3sum, &copy, &files);
    fs::write(dir.join("known.b3"), &b3.stdout).unwrap();
    let dfxml = dir.run(["hash", "copy", "--format", "dfxml"], 0);
    fs::write(dir.join("known.dfxml"), &dfxml.stdout).unwrap();
    work_on(&copy);
    for known in ["known.hashdeep", "known.sha256", "known.b3", "known.dfxml"] {
        let out = dir.run(["audit", "copy", "--known", known], 1);
        assert!(
            stdout(&out).starts_with(DIFFERENCES),
            "{known}: {}",
            stdout(&out)
        );
    }
    // hashdeep's own audit: a changed file is to it a new file and a known
    // file not found; the other classes are the same.
    let audited = run_tool(
        &hashdeep,
        &copy,
        ["-a", "-vv", "-k", "../known.hashdeep", "-r", "."],
    );
    let said = stdout(&audited);
    let count = |label: &str| -> u64 {
        said.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .and_then(|rest| rest.trim_start_matches(':').trim().parse().ok())
            .unwrap_or_else(|| panic!("hashdeep said no {label:?}:\n{said}"))
    };
    assert_eq!(count("Files matched"), 3, "{said}");
    assert_eq!(count("Files moved"), 1, "{said}");
    assert_eq!(count("New files found"), 1 + 1, "{said}");
    assert_eq!(count("Known files not found"), 1 + 1, "{said}");
}

#[test]
fn an_unreadable_file_is_exit_2_never_0() {
    const TEST: &str = "audit::an_unreadable_file_is_exit_2_never_0";
    let dir = Dir::new();
    sealed_and_copied(&dir);
    let locked = dir.join("copy/evidence/notes.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let out = if fs::File::open(&locked).is_ok() {
        // Root reads a file of mode 000: the audit runs as `nobody`.
        let Some(mut nobody) = dir.command_as_nobody(TEST) else {
            return;
        };
        for entry in walkdir::WalkDir::new(dir.path())
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path() != locked {
                let mode = if entry.file_type().is_dir() {
                    0o755
                } else {
                    0o644
                };
                fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode)).unwrap();
            }
        }
        nobody
            .args(["audit", "copy", "--against", "case.zip"])
            .output()
            .unwrap()
    } else {
        dir.output(["audit", "copy", "--against", "case.zip"])
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("unreadable  evidence/notes.txt: "),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("5 matched, 0 changed, 0 new, 0 moved, 0 missing, 1 unreadable"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_interrupted_audit_resumes_to_the_same_result() {
    let dir = Dir::new();
    sealed_and_copied(&dir);
    work_on(&dir.join("copy"));
    let whole = dir.run(["audit", "copy", "--against", "case.zip", "--json"], 1);
    let state = dir.join("audit.state");
    dir.run(
        [
            "audit",
            "copy",
            "--against",
            "case.zip",
            "--resume",
            state.to_str().unwrap(),
        ],
        1,
    );
    // As if stopped after three files, in the middle of writing a fourth.
    let lines: Vec<String> = fs::read_to_string(&state)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 6, "one line per file hashed");
    let mut cut = lines[..3].join("\n");
    cut.push('\n');
    cut.push_str(&lines[3][..20]);
    fs::write(&state, cut).unwrap();
    let resumed = dir.run(
        [
            "audit",
            "copy",
            "--against",
            "case.zip",
            "--resume",
            state.to_str().unwrap(),
            "--json",
        ],
        1,
    );
    let mut resumed: serde_json::Value = serde_json::from_slice(&resumed.stdout).unwrap();
    assert_eq!(resumed["resumed"], 3);
    resumed["resumed"] = 0.into();
    let whole: serde_json::Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(resumed, whole);
    // A file it took from the state is not read again.
    fs::write(
        dir.join("copy/evidence/added.txt"),
        "changed after it was hashed\n",
    )
    .unwrap();
    let out = dir.run(
        [
            "audit",
            "copy",
            "--against",
            "case.zip",
            "--resume",
            state.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        stdout(&out).contains("(6 taken from the state file)"),
        "{}",
        stdout(&out)
    );
}
