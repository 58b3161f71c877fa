//! A real terminal for the checks where one matters (passphrase prompts,
//! progress bars): the binary runs in a detached tmux session, keys are
//! typed with send-keys and the screen is read with capture-pane. Each
//! terminal has a tmux server of its own (its own socket), so that no other
//! tmux user, nor a server that is exiting after its last session was
//! killed, gets in the way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{tool_or_skip, EXE, SCRUBBED_ENV};

/// One tmux session running one command line in a folder, on a tmux
/// server of its own.
pub struct Terminal {
    tmux: PathBuf,
    /// The session's name, and its server's socket name.
    name: String,
}

impl Terminal {
    /// Starts `exhibit ARGS...` in `dir` at a 200×50 terminal; None (after
    /// recording the skip, or failing under CI) when tmux is missing.
    pub fn start(dir: &Path, args: &[&str], test: &str) -> Option<Terminal> {
        Terminal::start_with_env(dir, args, &[], test)
    }

    /// The same with some variables set (`LANG=vi_VN.UTF-8`, say).
    pub fn start_with_env(
        dir: &Path,
        args: &[&str],
        vars: &[(&str, &str)],
        test: &str,
    ) -> Option<Terminal> {
        let tmux = tool_or_skip("tmux", test)?;
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "exhibit-test-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        );
        let quoted: Vec<String> = args.iter().map(|a| shell_quote(a)).collect();
        let mut unset: Vec<String> = SCRUBBED_ENV.iter().map(|v| format!("-u {v}")).collect();
        unset.extend(
            vars.iter()
                .map(|(name, value)| shell_quote(&format!("{name}={value}"))),
        );
        // The exit code is printed when the command ends, and the pane kept
        // open so the last screen can be read.
        let script = format!(
            "cd {} && env {} {} {}; echo EXIT=$?; sleep 600",
            shell_quote(&dir.display().to_string()),
            unset.join(" "),
            shell_quote(EXE),
            quoted.join(" ")
        );
        let terminal = Terminal { tmux, name };
        let started = terminal
            .tmux()
            .args([
                "new-session",
                "-d",
                "-x",
                "200",
                "-y",
                "50",
                "-s",
                &terminal.name,
                &script,
            ])
            .output()
            .unwrap();
        assert!(
            started.status.success(),
            "tmux new-session failed ({}): {}",
            started.status,
            String::from_utf8_lossy(&started.stderr)
        );
        Some(terminal)
    }

    /// `tmux` talking to this terminal's own server.
    fn tmux(&self) -> Command {
        let mut cmd = Command::new(&self.tmux);
        // -u: the terminal is UTF-8 whatever the test's own locale.
        cmd.args(["-u", "-L", &self.name]);
        cmd
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        let out = self
            .tmux()
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
        let status = self
            .tmux()
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
        let status = self
            .tmux()
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
        let _ = self
            .tmux()
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
