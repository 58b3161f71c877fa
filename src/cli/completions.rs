//! `exhibit completions SHELL` and `exhibit manpage`: generated from the
//! clap definitions in `args.rs`, so they never disagree with `--help`.

use std::io::{self, Write};

use anyhow::Context as _;
use clap::CommandFactory;

use super::{Cli, CompletionsArgs, Context, Status};

pub fn run_completions(_ctx: &Context, args: &CompletionsArgs) -> anyhow::Result<Status> {
    let mut command = Cli::command();
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_complete::generate(args.shell, &mut command, "exhibit", &mut out);
    out.flush().context("writing completions")?;
    Ok(Status::Success)
}

pub fn run_manpage(_ctx: &Context) -> anyhow::Result<Status> {
    let mut page = Vec::new();
    render_manpage(&mut page)?;
    let mut out = io::stdout().lock();
    out.write_all(&page)?;
    out.flush().context("writing the man page")?;
    Ok(Status::Success)
}

/// One page, exhibit(1): the top-level sections, then one subsection per
/// command (its synopsis, description and options), so `man exhibit` shows
/// every flag of every command.
fn render_manpage(out: &mut Vec<u8>) -> io::Result<()> {
    let mut command = Cli::command();
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    out.extend_from_slice(b".SH \"COMMAND DETAILS\"\n");
    for (name, sub) in leaf_commands(&command, "exhibit") {
        writeln!(out, ".SS \"{name}\"")?;
        let mut section = Vec::new();
        let man = clap_mangen::Man::new(sub.clone().bin_name(name));
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        man.render_options_section(&mut section)?;
        verbatim_section(&mut section, "NOTES", sub.get_after_help())?;
        // The command's own sections become paragraphs inside its
        // subsection: `.SH NAME` lines turn into bold run-in headings.
        for line in String::from_utf8_lossy(&section).lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(out, ".TP\n.B {}", title.trim_matches('"'))?,
                None => writeln!(out, "{line}")?,
            }
        }
    }
    verbatim_section(out, "NOTES", command.get_after_help())?;
    man.render_version_section(out)?;
    Ok(())
}

/// A section whose text keeps its lines as written (examples, tables of
/// exit codes): roff no-fill mode, with roff's special characters escaped.
fn verbatim_section(
    out: &mut Vec<u8>,
    title: &str,
    text: Option<&clap::builder::StyledStr>,
) -> io::Result<()> {
    let Some(text) = text else {
        return Ok(());
    };
    writeln!(out, ".SH {title}\n.nf")?;
    for line in text.to_string().lines() {
        let escaped = line.replace('\\', "\\e").replace('-', "\\-");
        // A line starting with `.` or `'` would be read as a request.
        let guard = if escaped.starts_with(['.', '\'']) {
            "\\&"
        } else {
            ""
        };
        writeln!(out, "{guard}{escaped}")?;
    }
    writeln!(out, ".fi")
}

/// Every command that runs something (`exhibit seal`, `exhibit custody
/// add`, ...), in definition order, with its full name.
fn leaf_commands(command: &clap::Command, prefix: &str) -> Vec<(String, clap::Command)> {
    let mut found = Vec::new();
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("{prefix} {}", sub.get_name());
        if sub.has_subcommands() {
            found.extend(leaf_commands(sub, &name));
        } else {
            found.push((name, sub.clone()));
        }
    }
    found
}
