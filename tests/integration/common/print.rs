//! A page printed as a browser prints it: headless Chromium's PDF of an
//! HTML file, and the text pdftotext reads back from it.

use std::path::Path;
use std::process::{Command as StdCommand, Output, Stdio};
use std::time::{Duration, Instant};

use super::{assert_tool_ok, run_tool, stderr, stdout, Dir};

/// Runs `cmd`, killing it after `limit`.
fn run_with_limit(mut cmd: StdCommand, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{cmd:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Prints `html` to `pdf` with headless Chromium, as a browser's "Print"
/// does (the print stylesheet, A4).
pub fn print_to_pdf(chromium: &Path, dir: &Dir, html: &Path, pdf: &Path) {
    let mut cmd = StdCommand::new(chromium);
    cmd.current_dir(dir.path())
        .env("HOME", dir.path())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-pdf-header-footer",
            // No network here: without these it retries connections at start.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join("chromium-profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()));
    // A guard against a hang, not a measure: a loaded machine is slow.
    let output = run_with_limit(cmd, Duration::from_secs(90));
    assert!(
        pdf.is_file(),
        "chromium printed nothing ({:?}):\n{}",
        output.status,
        stderr(&output)
    );
}

pub fn pdf_text(pdftotext: &Path, dir: &Dir, pdf: &Path) -> String {
    let output = run_tool(pdftotext, dir.path(), [pdf.as_os_str(), "-".as_ref()]);
    assert_tool_ok(&output, "pdftotext");
    stdout(&output)
}

/// Text with the line breaks a table cell adds taken out: no white space,
/// no hyphens (pdftotext joins a word split at a hyphen without it), and
/// none of the bidirectional marks pdftotext puts around right-to-left
/// runs.
pub fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{2010}')
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}
