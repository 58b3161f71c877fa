//! A real terminal for the checks where one matters (passphrase prompts,
//! progress bars): the binary runs in a detached tmux session, keys are
//! typed with send-keys and the screen is read with capture-pane.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{tool_or_skip, EXE, SCRUBBED_ENV};

/// One tmux session running one command line in a folder.
pub struct Terminal {
    tmux: PathBuf,
    name: String,
}

impl Terminal {
    /// Starts `exhibit ARGS...` in `dir` at a 200×50 terminal; None (after
    /// recording the skip, or failing under CI) when tmux is missing.
    pub fn start(dir: &Path, args: &[&str], test: &str) -> Option<Terminal> {
        let tmux = tool_or_skip("tmux", test)?;
        let name = format!("exhibit-test-{}-{}", std::process::id(), test);
        let quoted: Vec<String> = args.iter().map(|a| shell_quote(a)).collect();
        let unset: Vec<String> = SCRUBBED_ENV.iter().map(|v| format!("-u {v}")).collect();
        // The exit code is printed when the command ends, and the pane kept
        // open so the last screen can be read.
        let script = format!(
            "cd {} && env {} {} {}; echo EXIT=$?; sleep 600",
            shell_quote(&dir.display().to_string()),
            unset.join(" "),
            shell_quote(EXE),
            quoted.join(" ")
        );
        let started = Command::new(&tmux)
            .args([
                "new-session",
                "-d",
                "-x",
                "200",
                "-y",
                "50",
                "-s",
                &name,
                &script,
            ])
            .status()
            .unwrap();
        assert!(started.success(), "tmux new-session failed");
        Some(Terminal { tmux, name })
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        let out = Command::new(&self.tmux)
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text` (20 s at most); returns the
    /// screen. (tmux drops trailing spaces: do not end `text` with one.)
    #[track_caller]
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_times(text, 1)
    }

    /// Waits until the screen shows `text` at least `times` times.
    #[track_caller]
    pub fn wait_for_times(&self, text: &str, times: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.matches(text).count() >= times {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{text:?} never appeared:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `text` and Enter.
    pub fn type_line(&self, text: &str) {
        let status = Command::new(&self.tmux)
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
        let status = Command::new(&self.tmux)
            .args(["send-keys", "-t", &self.name, "Enter"])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the command to end; returns its exit code and the screen.
    #[track_caller]
    pub fn finish(&self) -> (i32, String) {
        let screen = self.wait_for("EXIT=");
        let code = screen
            .lines()
            .find_map(|l| l.trim().strip_prefix("EXIT="))
            .and_then(|c| c.trim().parse().ok())
            .expect("exit code on screen");
        (code, screen)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new(&self.tmux)
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
