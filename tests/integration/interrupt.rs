//! SIGINT and SIGTERM during long operations: exit 130/143, a clear line,
//! nothing left at the final path and no temporary files.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::Dir;

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Starts `args`, waits until it has created its temporary output (a name
/// starting with `.`), sends `signal`, and returns exit code and stderr.
fn interrupt(dir: &Dir, args: &[&str], signal: &str) -> (Option<i32>, String) {
    let child = dir
        .command()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !names(dir.path())
        .iter()
        .any(|n| n.starts_with('.') && n.contains("partial"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "{args:?} never started writing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn setup(size: u64) -> Dir {
    let dir = Dir::new();
    // Sparse: instant to create, long enough to read that a signal lands mid-way.
    let big = std::fs::File::create(dir.join("disk.img")).unwrap();
    big.set_len(size).unwrap();
    dir.run(["keygen", "-o", "k.key", "--no-passphrase"], 0);
    dir
}

#[test]
fn seal_interrupted_leaves_nothing() {
    let tmp = setup(6 << 30);
    let before = names(tmp.path());
    for (out, signal, code) in [("b.zip", "INT", 130), ("bdir", "TERM", 143)] {
        let args = [
            "seal",
            "disk.img",
            "-o",
            out,
            "--key",
            "k.key",
            "--case",
            "C",
            "--exhibit",
            "E",
        ];
        let (status, stderr) = interrupt(&tmp, &args, signal);
        assert_eq!(status, Some(code), "{stderr}");
        assert!(stderr.contains("partial output removed"), "{stderr}");
        assert_eq!(names(tmp.path()), before, "leftovers after SIG{signal}");
    }
}

#[test]
fn extract_interrupted_leaves_nothing() {
    let tmp = setup(1 << 30);
    tmp.run(
        [
            "seal",
            "disk.img",
            "-o",
            "b",
            "--key",
            "k.key",
            "--case",
            "C",
            "--exhibit",
            "E",
            "-q",
        ],
        0,
    );
    std::fs::remove_file(tmp.path().join("disk.img")).unwrap();
    let before = names(tmp.path());
    let (status, stderr) = interrupt(
        &tmp,
        &["extract", "b", "-o", "out", "--trust", "k.pub"],
        "INT",
    );
    assert_eq!(status, Some(130), "{stderr}");
    assert_eq!(names(tmp.path()), before);
}
