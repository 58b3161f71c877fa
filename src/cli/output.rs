//! Terminal output helpers: one-line diagnostics with hostile characters
//! escaped, and progress bars that only appear on a terminal.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use exhibit::i18n::{Lang, Texts};
use exhibit::problem::{Problem, ProblemCode};
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

/// `code: path: message`, every part escaped. In English the message is
/// the problem's own; in another language what its code means, with the
/// problem's own message (as the JSON gives it) after it.
pub fn problem_line(texts: &Texts, problem: &Problem) -> String {
    let message = if texts.lang() == Lang::En {
        sanitize(&problem.message)
    } else {
        t!(
            texts,
            "problem-translated",
            meaning = texts.problem(problem.code),
            detail = sanitize(&problem.message)
        )
    };
    let code = problem.code.as_str();
    match &problem.path {
        Some(path) => t!(
            texts,
            "problem-line-path",
            code = code,
            path = sanitize(path),
            message = message
        ),
        None => t!(texts, "problem-line", code = code, message = message),
    }
}

/// The problems a person reads: one line per problem, except that the
/// several findings about one payload file (its SHA-256 and its BLAKE3
/// both differ, …) are one line, and the seal-wide consequences of changed
/// payload files (Merkle root, file count and size, Payload-Oxum) are one
/// line after them. `--json` keeps every problem with its own code.
pub fn problem_lines(texts: &Texts, problems: &[Problem]) -> Vec<String> {
    let by_file = |p: &&Problem| {
        p.path
            .as_deref()
            .is_some_and(|path| path.starts_with("data/"))
            && p.code.as_str().starts_with("payload.")
    };
    let consequence = |p: &Problem| {
        matches!(
            p.code,
            ProblemCode::SealMerkleMismatch
                | ProblemCode::SealPayloadMismatch
                | ProblemCode::OxumMismatch
        )
    };
    let file_problems: Vec<&Problem> = problems.iter().filter(by_file).collect();
    let mut lines = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for problem in problems {
        let Some(path) = problem.path.as_deref().filter(|_| by_file(&problem)) else {
            if !consequence(problem) || file_problems.is_empty() {
                lines.push(problem_line(texts, problem));
            }
            continue;
        };
        if done.contains(&path) {
            continue;
        }
        done.push(path);
        let same: Vec<&&Problem> = file_problems
            .iter()
            .filter(|p| p.path.as_deref() == Some(path))
            .collect();
        let mut line = problem_line(texts, same[0]);
        if same.len() > 1 {
            let more = (same.len() - 1) as u64;
            line = texts.count_with("more-findings-for-file", more, &[("line", line)]);
        }
        lines.push(line);
    }
    let consequences: Vec<&str> = problems
        .iter()
        .filter(|p| consequence(p) && !file_problems.is_empty())
        .map(|p| p.code.as_str())
        .collect();
    if !consequences.is_empty() {
        lines.push(t!(
            texts,
            "seal-totals-differ",
            codes = consequences.join(", ")
        ));
    }
    lines
}

/// What the problems mean for the payload, for a verdict line:
/// "1 file differs from the seal (data/x)".
pub fn problem_summary(texts: &Texts, problems: &[Problem]) -> String {
    let mut parts = Vec::new();
    let mut named: Vec<&str> = Vec::new();
    for (code, id) in [
        (ProblemCode::PayloadDigestMismatch, "failed-files-differ"),
        (ProblemCode::PayloadMissing, "failed-files-missing"),
        (ProblemCode::PayloadUnlisted, "failed-files-added"),
        (ProblemCode::PayloadUnreadable, "failed-files-unreadable"),
    ] {
        let mut paths: Vec<&str> = problems
            .iter()
            .filter(|p| p.code == code)
            .filter_map(|p| p.path.as_deref())
            .collect();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        parts.push(texts.count(id, paths.len() as u64));
        named.extend(paths.iter().take(3));
    }
    let listed = problem_lines(texts, problems).len() as u64;
    if parts.is_empty() {
        return texts.count("count-problems", listed);
    }
    let separator = t!(texts, "list-separator");
    let shown: Vec<String> = named.iter().map(|p| sanitize(p)).collect();
    t!(
        texts,
        "failed-summary",
        parts = parts.join(&separator),
        paths = shown.join(&separator)
    )
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
    fn findings_about_one_file_are_one_line() {
        let problems = [
            Problem::new(
                ProblemCode::PayloadDigestMismatch,
                Some("data/x"),
                "sha256 differs",
            ),
            Problem::new(
                ProblemCode::PayloadDigestMismatch,
                Some("data/x"),
                "blake3 differs",
            ),
            Problem::new(
                ProblemCode::SealMerkleMismatch,
                Some("exhibit/seal.json"),
                "root",
            ),
        ];
        let english = Texts::new(Lang::En);
        let lines = problem_lines(&english, &problems);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("payload.digest-mismatch: data/x: sha256 differs; and 1 more"));
        assert!(lines[1].starts_with("seal.merkle-mismatch: so the seal's totals differ too"));
        assert_eq!(
            problem_summary(&english, &problems),
            "1 file differs from the seal (data/x)"
        );
    }

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
