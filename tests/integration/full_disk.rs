//! `extract` onto a disk that fills up: the target's failure, exit 2 with
//! "not enough space", the target left as it was, and never a verdict on
//! the evidence. The disk is a real 50 MB tmpfs, mounted in a private mount
//! namespace (`unshare`) so the test needs no mount of the host's.

use std::process::Command as StdCommand;

use super::common::tools::skip_or_fail;
use super::common::zip::{read_zip_bag, rewrite_zip_bag};
use super::common::{content, scrub_env, stderr, stdout, Dir, EXE};

/// What `exhibit ARGS` did with a fresh tmpfs (`options`, as `mount -o`
/// takes them) mounted on `dir/mnt`: its exit code, stdout, stderr, and
/// what the tmpfs held afterwards (`ls -A`; the tmpfs is gone with the
/// namespace). `None`: no mount namespace can be made here (skipped; under
/// CI a failure).
fn on_tmpfs(
    dir: &Dir,
    options: &str,
    args: &[&str],
    test: &str,
) -> Option<(i32, String, String, String)> {
    let mount_point = dir.mkdir("mnt");
    let left = dir.join("left-on-the-disk.txt");
    // Root (as CI runs) needs no user namespace; anyone else maps to root
    // in one of their own.
    let mut attempts = vec![
        vec!["--mount"],
        vec!["--user", "--map-root-user", "--mount"],
    ];
    if !is_root() {
        attempts.remove(0);
    }
    let script = r#"mount -t tmpfs -o "$1" tmpfs "$2" || exit 1
mnt=$2 left=$3
shift 3
"$@"
code=$?
ls -A "$mnt" > "$left"
exit $code"#;
    for flags in attempts {
        let mut cmd = StdCommand::new("unshare");
        scrub_env(&mut cmd)
            .current_dir(dir.path())
            .args(flags)
            .args(["sh", "-c", script, "sh", options])
            .arg(&mount_point)
            .arg(&left)
            .arg(EXE)
            .args(args);
        let Ok(output) = cmd.output() else { break };
        let Ok(listing) = std::fs::read_to_string(&left) else {
            continue;
        };
        let code = output.status.code().expect("exhibit was not killed");
        return Some((code, stdout(&output), stderr(&output), listing));
    }
    skip_or_fail(
        test,
        "cannot mount a tmpfs in a private mount namespace (unshare)",
    );
    None
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// A bundle of `files` files of `size` bytes each, with its key.
fn bundle(dir: &Dir, files: usize, size: usize) -> super::common::Key {
    for i in 0..files {
        dir.write(format!("src/f{i:03}.bin"), content(size, i as u32));
    }
    let key = dir.keygen("examiner");
    dir.seal(&["src"], "case.zip", &key);
    key
}

fn assert_not_judged(printed: &str, err: &str) {
    for verdict in ["VERIFIED", "FAILED", "UNTRUSTED", "payload.", "merkle"] {
        assert!(
            !printed.contains(verdict) && !err.contains(verdict),
            "a full disk gave a verdict on the evidence:\n{printed}\n{err}"
        );
    }
}

#[test]
fn a_payload_larger_than_the_free_space_is_refused_before_writing() {
    let dir = Dir::new();
    let key = bundle(&dir, 3, 25_000_000);
    let Some((code, printed, err, left)) = on_tmpfs(
        &dir,
        "size=50m",
        &[
            "extract",
            "case.zip",
            "-o",
            "mnt/out",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        "a_payload_larger_than_the_free_space_is_refused_before_writing",
    ) else {
        return;
    };
    assert_eq!(code, 2, "{printed}\n{err}");
    assert!(
        err.contains("mnt/out: not enough space: it needs 71.5 MiB (75,000,000 bytes), 50.0 MiB (52,428,800 bytes) is free; nothing was extracted"),
        "{err}"
    );
    assert_eq!(
        err.matches("not enough space").count(),
        1,
        "said once: {err}"
    );
    assert_eq!(left.trim(), "", "the tmpfs holds something after a refusal");
    assert_not_judged(&printed, &err);
}

#[test]
fn a_disk_that_fills_up_midway_is_exit_2_and_leaves_the_target_empty() {
    let dir = Dir::new();
    let key = bundle(&dir, 60, 100);
    // Space enough by statvfs, but room for 20 files only: creating the
    // 21st fails with "no space left" half-way through the copy.
    let Some((code, printed, err, left)) = on_tmpfs(
        &dir,
        "size=50m,nr_inodes=20",
        &[
            "extract",
            "case.zip",
            "-o",
            "mnt/out",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        "a_disk_that_fills_up_midway_is_exit_2_and_leaves_the_target_empty",
    ) else {
        return;
    };
    assert_eq!(code, 2, "{printed}\n{err}");
    let line = err
        .lines()
        .find(|l| l.contains("not enough space"))
        .unwrap_or_else(|| panic!("no 'not enough space' line:\n{err}"));
    assert!(
        line.starts_with("exhibit: mnt/out: not enough space to write src/f0")
            && line.ends_with("; nothing was extracted (the bundle was not judged)"),
        "{line}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert_eq!(left.trim(), "", "the partial copy was left on the disk");
    assert_not_judged(&printed, &err);

    // The same bundle, with room, extracts and verifies: the refusal was
    // about the disk.
    dir.run(
        [
            "extract",
            "case.zip",
            "-o",
            "out",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        0,
    );
    assert!(dir.join("out/src/f059.bin").is_file());
}

#[test]
fn seal_refuses_an_output_disk_without_room_before_writing() {
    let dir = Dir::new();
    dir.write("src/a.bin", content(30_000_000, 1));
    dir.write("src/b.bin", content(30_000_000, 2));
    let key = dir.keygen("examiner");
    let Some((code, printed, err, left)) = on_tmpfs(
        &dir,
        "size=50m",
        &[
            "seal",
            "src",
            "-o",
            "mnt/case.zip",
            "--key",
            key.secret.to_str().unwrap(),
            "--case",
            "C1",
            "--exhibit",
            "A1",
        ],
        "seal_refuses_an_output_disk_without_room_before_writing",
    ) else {
        return;
    };
    assert_eq!(code, 2, "{printed}\n{err}");
    assert!(
        err.contains("mnt/case.zip: not enough space: it needs 57.2 MiB (60,000,000 bytes), 50.0 MiB (52,428,800 bytes) is free; nothing was sealed"),
        "{err}"
    );
    assert_eq!(
        err.matches("not enough space").count(),
        1,
        "said once: {err}"
    );
    assert_eq!(left.trim(), "", "the tmpfs holds something after a refusal");
}

/// A refusal that needs no payload (here: no trusted key) copies nothing,
/// so it takes what `verify` takes and needs no room on the target: on a
/// 64 KiB disk, a 1 MB bundle gets its verdict, exit 3, not "no space".
#[test]
fn a_refusal_known_before_the_payload_copies_nothing() {
    let dir = Dir::new();
    bundle(&dir, 4, 250_000);
    let stranger = dir.keygen("stranger");
    let Some((code, printed, err, left)) = on_tmpfs(
        &dir,
        "size=64k",
        &[
            "extract",
            "case.zip",
            "-o",
            "mnt/out",
            "--trust",
            stranger.public.to_str().unwrap(),
        ],
        "a_refusal_known_before_the_payload_copies_nothing",
    ) else {
        return;
    };
    assert_eq!(code, 3, "{printed}\n{err}");
    assert!(
        printed.starts_with("UNTRUSTED: case.zip (")
            && printed.contains("4 files, 976.6 KiB (1,000,000 bytes)"),
        "{printed}"
    );
    assert!(err.contains("nothing extracted to mnt/out"), "{err}");
    assert!(!err.contains("space"), "{err}");
    assert_eq!(left.trim(), "");
}

/// Once a file fails its check the copy is thrown away, so the files after
/// it are hashed but no longer written: with room for 50 files, a bundle
/// of 200 whose first file was altered gets its verdict (exit 1), not a
/// full disk.
#[test]
fn a_file_that_fails_its_check_stops_the_copy() {
    let dir = Dir::new();
    let key = bundle(&dir, 200, 100);
    let (_, mut files) = read_zip_bag(&dir.join("case.zip"));
    let first = files
        .get_mut("data/src/f000.bin")
        .expect("the first payload file");
    first[0] ^= 1;
    rewrite_zip_bag(&dir.join("case.zip"), &dir.join("altered.zip"), &files);
    let Some((code, printed, err, left)) = on_tmpfs(
        &dir,
        "size=50m,nr_inodes=50",
        &[
            "extract",
            "altered.zip",
            "-o",
            "mnt/out",
            "--trust",
            key.public.to_str().unwrap(),
        ],
        "a_file_that_fails_its_check_stops_the_copy",
    ) else {
        return;
    };
    assert_eq!(code, 1, "{printed}\n{err}");
    assert!(err.contains("data/src/f000.bin"), "{err}");
    assert!(!err.contains("space"), "{err}");
    assert_eq!(left.trim(), "");
}
