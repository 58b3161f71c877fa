//! Kill-at-any-point: `custody add` and `sign` interrupted after every few
//! bytes they write must leave a bundle that verifies with either the old or
//! the new custody chain, and a later append must still work.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

fn exhibit() -> Command {
    let mut cmd = Command::cargo_bin("exhibit").expect("binary built");
    cmd.env_remove("EXHIBIT_PASSPHRASE")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

fn run(args: &[&str], dir: &Path) -> std::process::Output {
    exhibit()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("exhibit runs")
}

fn ok(args: &[&str], dir: &Path) -> String {
    let out = run(args, dir);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn head(bundle: &str, dir: &Path) -> String {
    let log = ok(&["custody", "log", bundle], dir);
    log.lines()
        .find_map(|l| l.strip_prefix("head "))
        .expect("log prints a head")
        .to_string()
}

fn setup(bundle: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    std::fs::create_dir_all(dir.join("src/sub")).unwrap();
    std::fs::write(dir.join("src/a.bin"), vec![7u8; 100_000]).unwrap();
    std::fs::write(dir.join("src/sub/b.txt"), b"evidence").unwrap();
    for name in ["a", "b"] {
        ok(
            &[
                "keygen",
                "-o",
                &format!("{name}.key"),
                "--name",
                name,
                "--no-passphrase",
            ],
            &dir,
        );
    }
    ok(
        &[
            "seal",
            "src",
            "-o",
            bundle,
            "--key",
            "a.key",
            "--case",
            "C1",
            "--exhibit",
            "E1",
            "--time",
            "2026-01-01T00:00:00Z",
        ],
        &dir,
    );
    (tmp, dir)
}

fn copy_bundle(dir: &Path, from: &str, to: &str) {
    let (from, to) = (dir.join(from), dir.join(to));
    let _ = std::fs::remove_dir_all(&to);
    let _ = std::fs::remove_file(&to);
    if from.is_dir() {
        let status = Command::new("cp")
            .arg("-a")
            .arg(&from)
            .arg(&to)
            .status()
            .unwrap();
        assert!(status.success());
    } else {
        std::fs::copy(&from, &to).unwrap();
    }
}

/// Interrupts `args` (with the bundle as `work`) after 0, step, 2*step, ...
/// bytes until it completes; after each interruption the bundle must
/// verify with the old or the new head, and the append must then succeed.
fn kill_at_every_point(bundle: &str, args: &[&str], step: u64) {
    let (_tmp, dir) = setup(bundle);
    let work = format!("work-{bundle}");
    copy_bundle(&dir, bundle, &work);
    let old_head = head(&work, &dir);
    let mut full: Vec<&str> = args.to_vec();
    full.insert(2, &work);
    ok(&full, &dir);
    let new_head = head(&work, &dir);
    assert_ne!(old_head, new_head);

    let mut interrupted = 0;
    let mut budget = 0u64;
    loop {
        copy_bundle(&dir, bundle, &work);
        let out = exhibit()
            .args(&full)
            .env("EXHIBIT_TEST_CRASH_AFTER_BYTES", budget.to_string())
            .current_dir(&dir)
            .output()
            .unwrap();
        if out.status.success() {
            break;
        }
        interrupted += 1;
        let before = std::fs::read(dir.join(&work)).ok();
        let verify = run(&["verify", &work, "--trust", "a.pub"], &dir);
        // Reading never modifies the evidence, even to repair it.
        assert_eq!(
            std::fs::read(dir.join(&work)).ok(),
            before,
            "verify changed the bundle"
        );
        assert_eq!(
            verify.status.code(),
            Some(0),
            "after a crash at byte {budget}: {}",
            String::from_utf8_lossy(&verify.stderr)
        );
        let now = head(&work, &dir);
        assert!(
            now == old_head || now == new_head,
            "crash at byte {budget} left head {now}"
        );
        // And the interrupted append can simply be run again.
        ok(&full, &dir);
        assert_eq!(
            head(&work, &dir),
            new_head,
            "retry after a crash at byte {budget}"
        );
        ok(&["verify", &work, "--trust", "a.pub"], &dir);
        budget += step;
    }
    assert!(
        interrupted > 3,
        "only {interrupted} crash points were exercised"
    );
}

const ADD: &[&str] = &[
    "custody",
    "add",
    "--key",
    "a.key",
    "--action",
    "transfer",
    "--to-key",
    "b.pub",
    "--time",
    "2026-01-02T00:00:00Z",
];

#[test]
fn custody_add_to_zip_survives_a_crash_at_any_point() {
    kill_at_every_point("bundle.zip", ADD, 61);
}

#[test]
fn custody_add_to_directory_survives_a_crash_at_any_point() {
    kill_at_every_point("bundle", ADD, 23);
}

#[test]
fn concurrent_custody_adds_never_share_a_sequence_number() {
    for bundle in ["bundle.zip", "bundle"] {
        let (_tmp, dir) = setup(bundle);
        let children: Vec<_> = (0..4)
            .map(|i| {
                exhibit()
                    .args([
                        "custody",
                        "add",
                        bundle,
                        "--key",
                        "a.key",
                        "--action",
                        "note",
                        "--note",
                        &format!("n{i}"),
                    ])
                    .args(["--time", "2026-01-02T00:00:00Z"])
                    .current_dir(&dir)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{bundle}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let log = ok(&["custody", "log", bundle], &dir);
        assert!(head(bundle, &dir).starts_with("5:"), "{log}");
        ok(&["verify", bundle, "--trust", "a.pub"], &dir);
        assert!(!dir.join(format!("{bundle}.lock")).exists());
    }
}
