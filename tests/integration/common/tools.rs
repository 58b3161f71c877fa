//! External tools for interoperability checks, and checks that cannot run
//! here.
//!
//! A check that does not run must never look like a pass. Under CI (the
//! `CI` variable set to anything non-empty), a missing tool fails the test.
//! Elsewhere the test returns early, and the skip is appended to
//! `target/test-skips.txt`, which `scripts/test` empties before the run and
//! prints after it.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

use super::{stderr, stdout};

/// Where skipped checks are listed, one line each.
pub fn skips_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-skips.txt")
}

/// Whether the tests run under CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Records that `test` did not run (all or part of it) and why, as the line
/// `<test>: <reason>` of [`skips_file`], and says so on stderr.
pub fn record_skip(test: &str, reason: &str) {
    let line = format!("{test}: {reason}\n");
    eprint!("skipped {line}");
    let path = skips_file();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    // One write of the whole line to a file opened for appending: tests
    // running at the same time never mix their lines.
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(line.as_bytes()))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Records that `test` could not run here (all or part of it) for
/// `reason`; under CI, fails it instead.
#[track_caller]
pub fn skip_or_fail(test: &str, reason: &str) {
    assert!(
        !in_ci(),
        "{test}: {reason}, and under CI a check may not be skipped"
    );
    record_skip(test, reason);
}

/// An external tool: on PATH, then where `cargo install` puts it, then in
/// the Python environment the test script makes under `target/`.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(cargo_home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/interop-venv/bin"));
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// The tool `name` that the test `test` needs. When it is not installed:
/// under CI the test fails; elsewhere `None`, after recording the skip
/// (the caller then returns, or leaves out the part that needs the tool).
#[track_caller]
pub fn tool_or_skip(name: &str, test: &str) -> Option<PathBuf> {
    let found = find_tool(name);
    if found.is_none() {
        assert!(
            !in_ci(),
            "{test}: `{name}` is not installed (not on PATH, not in cargo's bin, not in \
             target/interop-venv), and under CI an interoperability check may not be skipped"
        );
        record_skip(test, &format!("{name} not installed"));
    }
    found
}

/// Runs an external tool in `dir`.
pub fn run_tool<I, S>(tool: &Path, dir: &Path, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    StdCommand::new(tool)
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs an external tool in `dir` with `stdin` from a file.
pub fn run_tool_with_stdin(tool: &Path, dir: &Path, args: &[&str], stdin: &Path) -> Output {
    StdCommand::new(tool)
        .current_dir(dir)
        .args(args)
        .stdin(fs::File::open(stdin).unwrap())
        .output()
        .unwrap()
}

/// Asserts that an external tool succeeded.
#[track_caller]
pub fn assert_tool_ok(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
}
