//! One output convention for every command (docs/FORMAT.md section 16):
//! what a command did or established is on stdout, in one summary; stderr
//! holds problems, warnings and errors, and the summary when stdout carries
//! data (`--json`). Sizes and counts read one way everywhere.

use super::common::{stderr, stdout, Dir};

#[test]
fn every_summary_is_on_stdout_and_sizes_read_one_way() {
    let dir = Dir::new();
    dir.write("src/one.bin", vec![7u8; 1500]);
    let key = dir.keygen("examiner");
    let public = key.public.to_str().unwrap().to_string();
    let sealed = dir.run(
        [
            "seal",
            "src",
            "-o",
            "case.zip",
            "--key",
            key.secret.to_str().unwrap(),
            "--case",
            "C1",
            "--exhibit",
            "A1",
        ],
        0,
    );
    let runs = [
        (
            sealed,
            "sealed 1 file, 1.5 KiB (1,500 bytes), into case.zip",
        ),
        (
            dir.run(["extract", "case.zip", "-o", "out", "--trust", &public], 0),
            "extracted 1 file, 1.5 KiB (1,500 bytes), to out",
        ),
        (
            dir.run(
                [
                    "export",
                    "case",
                    "case.zip",
                    "-o",
                    "case.jsonld",
                    "--trust",
                    &public,
                ],
                0,
            ),
            "exported 1 file and 1 custody event to case.jsonld (verdict: verified)",
        ),
        (
            dir.run(["disclose", "case.zip", "src/one.bin", "-o", "part"], 0),
            "disclosed 1 of 1 sealed files, 1.5 KiB (1,500 bytes), into part",
        ),
        (
            dir.run(
                [
                    "verify", "case.zip", "--trust", &public, "--report", "r.html",
                ],
                0,
            ),
            "report written to r.html",
        ),
    ];
    for (output, summary) in runs {
        let out = stdout(&output);
        assert!(
            out.lines().any(|l| l == summary),
            "{summary:?} not in stdout:\n{out}"
        );
        assert_eq!(stderr(&output), "", "a success says nothing on stderr");
    }
    let html = std::fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(
        html.contains("1 file, 1.5 KiB (1,500 bytes)"),
        "the report's payload row"
    );
    assert!(!html.contains("1 files"));
}

#[test]
fn with_json_stdout_is_the_document_and_the_summary_goes_to_stderr() {
    let dir = Dir::new();
    dir.write("src/one.bin", b"evidence");
    let key = dir.keygen("examiner");
    dir.seal(&["src"], "case.zip", &key);
    let public = key.public.to_str().unwrap();
    for args in [
        vec![
            "extract", "case.zip", "-o", "out", "--trust", public, "--json",
        ],
        vec![
            "verify", "case.zip", "--trust", public, "--json", "--report", "r.html",
        ],
    ] {
        let output = dir.run(&args, 0);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON document: {e}"));
        assert_eq!(report["status"], "verified");
        let err = stderr(&output);
        let expected = if args[0] == "extract" {
            "extracted 1 file, 8 bytes, to out"
        } else {
            "report written to r.html"
        };
        assert_eq!(err.trim_end(), expected, "{args:?}");
    }
}
