//! The binary run as the unprivileged user `nobody`, for the checks that
//! root would pass through: root reads a file of mode 000, and CI runs as
//! root. `setpriv` (util-linux) drops to `nobody` and its group before it
//! starts the binary.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use super::{scrub_env, skip_or_fail, stderr, tool_or_skip, Dir, EXE};

impl Dir {
    /// `exhibit` as `nobody`, with this folder as working directory, a
    /// scrubbed environment and no terminal on stdin. This folder is opened
    /// to all (mode 755); the test makes what it writes in it readable by
    /// `nobody` where it should be. When the built binary cannot be started
    /// that way (below a home folder of mode 700, with a `setpriv` that
    /// drops every privilege before it starts the program), a copy of it in
    /// this folder runs instead. None, after recording the skip (a failure
    /// under CI), when no way works here.
    pub fn command_as_nobody(&self, test: &str) -> Option<StdCommand> {
        let setpriv = tool_or_skip("setpriv", test)?;
        let group = StdCommand::new("id").args(["-g", "nobody"]).output();
        let group = match group {
            Ok(out) if out.status.success() => String::from_utf8(out.stdout).unwrap(),
            Ok(out) => {
                skip_or_fail(test, &format!("no user nobody: {}", stderr(&out).trim()));
                return None;
            }
            Err(e) => {
                skip_or_fail(test, &format!("`id -g nobody` did not run: {e}"));
                return None;
            }
        };
        let as_nobody = |program: &Path| {
            let mut cmd = StdCommand::new(&setpriv);
            cmd.arg("--reuid=nobody")
                .arg(format!("--regid={}", group.trim()))
                .args(["--clear-groups", "--"])
                .arg(program)
                .current_dir(self.path());
            scrub_env(&mut cmd).stdin(Stdio::null());
            cmd
        };
        let runs = |program: &Path| {
            as_nobody(program)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        };
        // Relative names are looked up from the working directory: only
        // this folder, not the ones above it, must let `nobody` through.
        fs::set_permissions(self.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let exe = if runs(Path::new(EXE)) {
            PathBuf::from(EXE)
        } else {
            let bin = self.mkdir(".bin");
            fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
            let copy = bin.join("exhibit");
            fs::copy(EXE, &copy).unwrap();
            fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
            // Run by its name from the working directory.
            let relative = Path::new(".").join(".bin/exhibit");
            if !runs(&relative) {
                skip_or_fail(
                    test,
                    "setpriv could not run exhibit as nobody (nor a copy of it)",
                );
                return None;
            }
            relative
        };
        eprintln!("{test}: runs {} as nobody", exe.display());
        Some(as_nobody(&exe))
    }
}
