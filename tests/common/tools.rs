//! External tools for interoperability checks.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

use super::{stderr, stdout};

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

/// The tool, or `None` after printing why the test is skipped.
pub fn tool_or_skip(name: &str, test: &str) -> Option<PathBuf> {
    let found = find_tool(name);
    if found.is_none() {
        eprintln!("skipping {test}: `{name}` is not installed (not on PATH, not in cargo's bin)");
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
