//! Terminal output helpers: one-line diagnostics with hostile characters
//! escaped, and progress bars that only appear on a terminal.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use exhibit::problem::Problem;

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
pub fn error_line(message: &str) {
    eprintln!("exhibit: {}", message.replace('\n', " "));
}

/// `code: path: message`, every part escaped.
pub fn problem_line(problem: &Problem) -> String {
    match &problem.path {
        Some(path) => format!(
            "{}: {}: {}",
            problem.code.as_str(),
            sanitize(path),
            sanitize(&problem.message)
        ),
        None => format!("{}: {}", problem.code.as_str(), sanitize(&problem.message)),
    }
}

/// One line per problem, then one per warning, on stderr.
pub fn print_problems(problems: &[Problem], warnings: &[Problem]) {
    for problem in problems {
        error_line(&problem_line(problem));
    }
    for warning in warnings {
        error_line(&format!("warning: {}", problem_line(warning)));
    }
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
    fn sanitize_escapes_control_and_bidi() {
        assert_eq!(sanitize("a\nb"), "a\\nb");
        assert_eq!(sanitize("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(sanitize("\u{1b}[31m"), "\\u{1b}[31m");
        assert_eq!(sanitize("plain é"), "plain é");
    }
}
