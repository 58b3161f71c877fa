//! `exhibit completions` and `exhibit manpage`: generated from the argument
//! definitions, checked by the programs that use them (bash's completion
//! machinery, man), and `NO_COLOR` honoured at a real terminal.

use std::process::Command as StdCommand;

use crate::common::{self, assert_tool_ok, run_tool, stderr, stdout, tool_or_skip, Dir, EXE};

/// Loads the generated bash completions and asks them, as bash does on
/// TAB, to complete the last word of `words`.
fn bash_complete(bash: &std::path::Path, dir: &Dir, words: &[&str]) -> Vec<String> {
    let script = format!(
        r#"source ./exhibit.bash
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
complete -p exhibit >/dev/null || exit 9
func=$(complete -p exhibit | sed -n 's/.*-F \([^ ]*\).*/\1/p')
"$func" exhibit "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}"
"#,
        words = words
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    dir.write("complete.sh", script);
    let output = run_tool(bash, dir.path(), ["--norc", "--noprofile", "complete.sh"]);
    assert_tool_ok(&output, "bash completion");
    stdout(&output)
        .lines()
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn bash_completes_commands_and_values() {
    let Some(bash) = tool_or_skip("bash", "bash_completes_commands") else {
        return;
    };
    let dir = Dir::new();
    let output = dir.run(["completions", "bash"], 0);
    dir.write("exhibit.bash", &output.stdout);

    let reply = bash_complete(&bash, &dir, &["exhibit", "se"]);
    assert!(reply.contains(&"seal".to_string()), "{reply:?}");
    assert!(!reply.contains(&"verify".to_string()), "{reply:?}");

    let reply = bash_complete(&bash, &dir, &["exhibit", "hash", "--format", "h"]);
    assert!(reply.contains(&"hashdeep".to_string()), "{reply:?}");

    let reply = bash_complete(&bash, &dir, &["exhibit", "verify", "--tr"]);
    assert!(reply.contains(&"--trust".to_string()), "{reply:?}");
}

#[test]
fn every_shell_gets_completions() {
    let dir = Dir::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = dir.run(["completions", shell], 0);
        let text = stdout(&output);
        assert!(
            text.contains("seal") && text.contains("custody"),
            "{shell}:\n{text}"
        );
    }
    let output = dir.output(["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn man_renders_the_manual_page_without_warnings() {
    let dir = Dir::new();
    let page = dir.run(["manpage"], 0);
    let roff = stdout(&page);
    assert!(roff.starts_with(".ie") || roff.starts_with(".TH"), "{roff}");
    dir.write("exhibit.1", &page.stdout);

    let (output, what) = if let Some(man) = common::find_tool("man") {
        let output = StdCommand::new(man)
            .current_dir(dir.path())
            .args(["--warnings", "-l", "exhibit.1"])
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .env("MAN_KEEP_FORMATTING", "")
            .output()
            .unwrap();
        (output, "man -l")
    } else {
        let Some(groff) = tool_or_skip("groff", "man_renders_the_manual_page") else {
            return;
        };
        let output = run_tool(&groff, dir.path(), ["-man", "-Tutf8", "-ww", "exhibit.1"]);
        (output, "groff -man")
    };
    assert_tool_ok(&output, what);
    assert_eq!(stderr(&output), "", "{what} warned");
    let text = stdout(&output);
    // Overstriking (bold, underline) aside, the text reads as written.
    let text = strip_overstrike(&text);
    for expected in [
        "exhibit",
        "SYNOPSIS",
        "exhibit seal",
        "exhibit custody add",
        "--trust",
        "--format",
        "hashdeep",
        "Exit codes",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    // Examples keep their lines, as written in the help.
    assert!(
        text.lines()
            .any(|l| l.trim() == "exhibit verify case-42-A1.zip --trust examiner.pub"),
        "{text}"
    );
}

/// Removes `x\bx` (bold) and `_\bx` (underline) sequences.
fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if c == '\u{8}' {
            out.pop();
            continue;
        }
        out.push(c);
    }
    out.into_iter()
        .collect::<String>()
        .replace(['\u{2010}', '\u{2212}'], "-")
}

/// `exhibit --help` at a terminal (through `script`, which gives it one):
/// styled by clap unless `NO_COLOR` is set.
#[test]
fn no_color_turns_off_help_styles_at_a_terminal() {
    let Some(script) = tool_or_skip("script", "no_color_turns_off_help_styles") else {
        return;
    };
    let run = |no_color: bool| {
        let mut cmd = StdCommand::new(&script);
        common::scrub_env(&mut cmd);
        cmd.env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let output = cmd
            .args(["-q", "-e", "-c", &format!("'{EXE}' --help"), "/dev/null"])
            .output()
            .unwrap();
        assert_tool_ok(&output, "script");
        stdout(&output)
    };
    let styled = run(false);
    assert!(styled.contains("Usage"), "{styled}");
    assert!(
        styled.contains('\u{1b}'),
        "clap styles help at a terminal:\n{styled:?}"
    );
    let plain = run(true);
    assert!(plain.contains("Usage"), "{plain}");
    assert!(!plain.contains('\u{1b}'), "NO_COLOR: {plain:?}");
}
