//! Terminal output helpers: one-line diagnostics with hostile characters
//! escaped, and progress bars that only appear on a terminal.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use exhibit::i18n::Texts;
use exhibit::problem::Problem;
use exhibit::report::words;
use exhibit::t;

/// Escapes control characters, bidi overrides and other invisible format
/// characters so an attacker-chosen file name cannot forge or hide output.
pub fn sanitize(text: &str) -> String {
    // A hostile name can be megabytes long: show its start, say how long.
    const MAX_CHARS: usize = 1024;
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 2));
    for (i, c) in text.chars().enumerate() {
        if i == MAX_CHARS {
            out.push_str(&format!("...({} bytes in all)", text.len()));
            break;
        }
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_invisible_format(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

fn is_invisible_format(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// Prints `exhibit: <message>` on stderr as one line.
/// What a command did, for a person: on stdout like every command's
/// summary, or on stderr when stdout carries the command's data (`--json`).
pub fn summary_line(line: &str, stdout_is_data: bool) {
    if stdout_is_data {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

pub fn error_line(message: &str) {
    eprintln!("exhibit: {}", plain_words(&message.replace('\n', " ")));
}

/// Operating-system errors in plain words: "not found" rather than "No
/// such file or directory (os error 2)". The path stays where it was.
fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 8] = [
        ("No such file or directory", "not found"),
        ("Permission denied", "permission denied"),
        ("Is a directory", "is a folder"),
        ("Not a directory", "a part of the path is not a folder"),
        ("File exists", "already exists"),
        ("No space left on device", "no space left on the disk"),
        ("Read-only file system", "the disk is read-only"),
        ("Directory not empty", "the folder is not empty"),
    ];
    let mut text = message.to_string();
    // Drop every " (os error N)": the words say it.
    while let Some(start) = text.find(" (os error ") {
        match text[start..].find(')') {
            Some(end) => text.replace_range(start..start + end + 1, ""),
            None => break,
        }
    }
    for (os, plain) in WORDS {
        text = text.replace(os, plain);
    }
    text
}

/// A problem as a line of the terminal (`code: path: message`, names
/// escaped), in the language of `texts`.
pub fn problem_line(texts: &Texts, problem: &Problem) -> String {
    words::problem_line(texts, problem, &sanitize)
}

/// The problems as the terminal shows them (see [`words::problem_lines`]).
pub fn problem_lines(texts: &Texts, problems: &[Problem]) -> Vec<String> {
    words::problem_lines(texts, problems, &sanitize)
}

/// One line per problem (grouped as [`problem_lines`] says), then one per
/// warning, on stderr.
pub fn print_problems(texts: &Texts, problems: &[Problem], warnings: &[Problem]) {
    for line in problem_lines(texts, problems) {
        error_line(&line);
    }
    for warning in warnings {
        error_line(&warning_line(texts, warning));
    }
}

/// `warning: code: path: message`.
pub fn warning_line(texts: &Texts, warning: &Problem) -> String {
    t!(texts, "warning-prefix", line = problem_line(texts, warning))
}

/// Pretty JSON and a newline on stdout.
pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A byte-progress bar on stderr, hidden when quiet or not on a terminal.
pub fn byte_progress(quiet: bool, total: u64, what: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_in_plain_words() {
        assert_eq!(
            plain_words("a.key: cannot read: No such file or directory (os error 2)"),
            "a.key: cannot read: not found"
        );
        assert_eq!(
            plain_words("x: Permission denied (os error 13)"),
            "x: permission denied"
        );
        assert_eq!(plain_words("no os error here"), "no os error here");
    }

    #[test]
    fn sanitize_escapes_control_and_bidi() {
        assert_eq!(sanitize("a\nb"), "a\\nb");
        assert_eq!(sanitize("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(sanitize("\u{1b}[31m"), "\\u{1b}[31m");
        assert_eq!(sanitize("plain é"), "plain é");
    }
}
