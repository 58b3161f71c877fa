//! Kill-at-any-point: `custody add` and `sign` interrupted after every few
//! bytes they write must leave a bundle that verifies with either the old or
//! the new custody chain, and a later append must still work.

mod common;

use std::fs;
use std::process::Stdio;

use common::{copy_tree, stderr, stdout, Dir};

fn ok(dir: &Dir, args: &[&str]) -> String {
    stdout(&dir.run(args, 0))
}

/// The custody head `custody log` prints.
fn head(dir: &Dir, bundle: &str) -> String {
    let log = ok(dir, &["custody", "log", bundle]);
    log.lines()
        .find_map(|l| l.strip_prefix("head "))
        .expect("log prints a head")
        .to_string()
}

fn setup(bundle: &str) -> Dir {
    let dir = Dir::new();
    dir.write("src/a.bin", vec![7u8; 100_000]);
    dir.write("src/sub/b.txt", b"evidence");
    for name in ["a", "b"] {
        ok(
            &dir,
            &[
                "keygen",
                "-o",
                &format!("{name}.key"),
                "--name",
                name,
                "--no-passphrase",
            ],
        );
    }
    ok(
        &dir,
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
    );
    dir
}

fn copy_bundle(dir: &Dir, from: &str, to: &str) {
    let (from, to) = (dir.join(from), dir.join(to));
    let _ = fs::remove_dir_all(&to);
    let _ = fs::remove_file(&to);
    if from.is_dir() {
        copy_tree(&from, &to);
    } else {
        fs::copy(&from, &to).unwrap();
    }
}

/// Interrupts `args` (with the bundle as `work`) after 0, step, 2*step, ...
/// bytes until it completes; after each interruption the bundle must
/// verify with the old or the new head, and the append must then succeed.
fn kill_at_every_point(bundle: &str, args: &[&str], step: u64) {
    let dir = setup(bundle);
    let work = format!("work-{bundle}");
    copy_bundle(&dir, bundle, &work);
    let old_head = head(&dir, &work);
    let mut full: Vec<&str> = args.to_vec();
    full.insert(2, &work);
    ok(&dir, &full);
    let new_head = head(&dir, &work);
    assert_ne!(old_head, new_head);

    let mut interrupted = 0;
    let mut budget = 0u64;
    loop {
        copy_bundle(&dir, bundle, &work);
        let out = dir
            .command()
            .args(&full)
            .env("EXHIBIT_TEST_CRASH_AFTER_BYTES", budget.to_string())
            .output()
            .unwrap();
        if out.status.success() {
            break;
        }
        interrupted += 1;
        let before = fs::read(dir.join(&work)).ok();
        let verify = dir.output(["verify", &work, "--trust", "a.pub"]);
        // Reading never modifies the evidence, even to repair it.
        assert_eq!(
            fs::read(dir.join(&work)).ok(),
            before,
            "verify changed the bundle"
        );
        assert_eq!(
            verify.status.code(),
            Some(0),
            "after a crash at byte {budget}: {}",
            stderr(&verify)
        );
        let now = head(&dir, &work);
        assert!(
            now == old_head || now == new_head,
            "crash at byte {budget} left head {now}"
        );
        // And the interrupted append can simply be run again.
        ok(&dir, &full);
        assert_eq!(
            head(&dir, &work),
            new_head,
            "retry after a crash at byte {budget}"
        );
        ok(&dir, &["verify", &work, "--trust", "a.pub"]);
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
        let dir = setup(bundle);
        let children: Vec<_> = (0..4)
            .map(|i| {
                dir.command()
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
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{bundle}: {}", stderr(&out));
        }
        let log = ok(&dir, &["custody", "log", bundle]);
        assert!(head(&dir, bundle).starts_with("5:"), "{log}");
        ok(&dir, &["verify", bundle, "--trust", "a.pub"]);
        assert!(!dir.join(format!("{bundle}.lock")).exists());
    }
}
