//! Kill-at-any-point: `custody add` and `sign` interrupted after every few
//! bytes they write must leave a bundle that verifies as the old one or the
//! new one (the old or the new custody chain, the old or the new set of
//! signatures), and a later append must still work.
//!
//! The interruption is the binary's crash hook, compiled only with the
//! `crash-points` feature (`scripts/test` enables it). Without it those
//! tests are ignored, and `crash_tests_run_with_the_crash_points_feature`
//! fails under CI and records the skip elsewhere.

use std::fs;
use std::process::Stdio;

use crate::common::{copy_tree, in_ci, record_skip, stderr, stdout, Dir};

/// Where the bundle goes in a command's arguments.
const BUNDLE: &str = "{bundle}";

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

/// The key ids of the bundle's seal signers, as `verify --json` lists them.
fn signers(dir: &Dir, bundle: &str) -> String {
    let output = dir.output(["verify", bundle, "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("verify --json printed no JSON ({e}): {}", stderr(&output)));
    let mut ids: Vec<&str> = report["signers"]
        .as_array()
        .expect("signers is a list")
        .iter()
        .map(|s| s["key_id"].as_str().expect("key_id is a string"))
        .collect();
    ids.sort();
    ids.join(" ")
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

/// Interrupts `args` (with the bundle, a copy named `work-BUNDLE`, in place
/// of [`BUNDLE`]) after 0, step, 2*step, ... bytes until it completes;
/// after each interruption `verify` must leave the bundle alone and either
/// pass or name `exhibit recover`; after `recover` it must verify with
/// `state` as before or after the complete run; and the append must then
/// succeed, with or without `recover` first.
fn kill_at_every_point(bundle: &str, args: &[&str], step: u64, state: fn(&Dir, &str) -> String) {
    let dir = setup(bundle);
    let work = format!("work-{bundle}");
    copy_bundle(&dir, bundle, &work);
    let old_state = state(&dir, &work);
    let full: Vec<&str> = args
        .iter()
        .map(|a| if *a == BUNDLE { work.as_str() } else { a })
        .collect();
    assert!(full.contains(&work.as_str()), "{args:?} names no bundle");
    ok(&dir, &full);
    let new_state = state(&dir, &work);
    assert_ne!(old_state, new_state);

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
        // The bundle is judged as it is: intact, or refused with the way
        // back named.
        match verify.status.code() {
            Some(0) => {}
            Some(1 | 2) => assert!(
                stderr(&verify).contains("exhibit recover"),
                "after a crash at byte {budget}, verify names no way back: {}",
                stderr(&verify)
            ),
            other => panic!("after a crash at byte {budget}: exit {other:?}"),
        }
        // Every other time, `recover` rolls back; otherwise the retried
        // append does it by itself.
        if interrupted % 2 == 1 {
            ok(&dir, &["recover", &work]);
            let recovered = dir.output(["verify", &work, "--trust", "a.pub"]);
            assert_eq!(
                recovered.status.code(),
                Some(0),
                "after a crash at byte {budget} and recover: {}",
                stderr(&recovered)
            );
            let now = state(&dir, &work);
            assert!(
                now == old_state || now == new_state,
                "crash at byte {budget} and recover left {now}"
            );
        }
        // And the interrupted append can simply be run again.
        ok(&dir, &full);
        assert_eq!(
            state(&dir, &work),
            new_state,
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
    BUNDLE,
    "--key",
    "a.key",
    "--action",
    "transfer",
    "--to-key",
    "b.pub",
    "--time",
    "2026-01-02T00:00:00Z",
];

const SIGN: &[&str] = &[
    "sign",
    BUNDLE,
    "--key",
    "b.key",
    "--time",
    "2026-01-02T00:00:00Z",
];

#[test]
#[cfg_attr(
    not(feature = "crash-points"),
    ignore = "needs --features crash-points"
)]
fn custody_add_to_zip_survives_a_crash_at_any_point() {
    kill_at_every_point("bundle.zip", ADD, 61, head);
}

#[test]
#[cfg_attr(
    not(feature = "crash-points"),
    ignore = "needs --features crash-points"
)]
fn custody_add_to_directory_survives_a_crash_at_any_point() {
    kill_at_every_point("bundle", ADD, 23, head);
}

#[test]
#[cfg_attr(
    not(feature = "crash-points"),
    ignore = "needs --features crash-points"
)]
fn sign_of_zip_survives_a_crash_at_any_point() {
    kill_at_every_point("bundle.zip", SIGN, 61, signers);
}

#[test]
#[cfg_attr(
    not(feature = "crash-points"),
    ignore = "needs --features crash-points"
)]
fn sign_of_directory_survives_a_crash_at_any_point() {
    kill_at_every_point("bundle", SIGN, 23, signers);
}

/// The tests above need the crash hook; built without it they are ignored,
/// which must never pass unnoticed.
#[test]
fn crash_tests_run_with_the_crash_points_feature() {
    if cfg!(feature = "crash-points") {
        return;
    }
    assert!(
        !in_ci(),
        "the crash tests were built without the `crash-points` feature, so they did not run; \
         under CI build them with `cargo test --features crash-points` (as scripts/test does)"
    );
    record_skip(
        "crash_tests_run_with_the_crash_points_feature",
        "built without --features crash-points; the crash tests did not run",
    );
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
