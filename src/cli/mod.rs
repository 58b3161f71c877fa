//! Everything the user sees: argument parsing, human and JSON output,
//! progress bars and exit codes. The library underneath never prints.

mod args;
mod common;
mod completions;
mod custody;
mod disclose;
mod export;
mod extract;
mod hash;
mod inspect;
mod keygen;
mod output;
mod passphrase;
mod plan;
mod recover;
mod seal;
mod sign;
mod timestamp;
mod trust;
mod verify;

use std::io;
use std::process::ExitCode;

use clap::{ColorChoice, CommandFactory, FromArgMatches};

use exhibit::report::Outcome;

pub use args::*;

/// How a command ended; the numeric values are the contract of SPEC.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Everything checks out (and, for verification, a trusted signer).
    Success = 0,
    /// Verification failed: evidence, seal, signature or custody mismatch.
    Failed = 1,
    /// Usage error or input that cannot be used at all.
    Unusable = 2,
    /// Intact, but no trusted signer.
    Untrusted = 3,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// A verification's outcome as an exit code; the one place it is decided.
impl From<Outcome> for Status {
    fn from(outcome: Outcome) -> Status {
        match outcome {
            Outcome::Verified => Status::Success,
            Outcome::Failed => Status::Failed,
            Outcome::Untrusted => Status::Untrusted,
        }
    }
}

/// Every command returns `Ok(status)` for what it established (a failed
/// check is a result: exit 1 or 3) and `Err` only when it could not do its
/// job at all (exit 2).
pub fn main() -> ExitCode {
    let parsed = cli_command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                Status::Unusable as u8
            } else {
                0
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    common::install_interrupt_cleanup();
    #[cfg(feature = "crash-points")]
    common::arm_crash_points();
    let ctx = Context { quiet: cli.quiet };
    let result = match &cli.command {
        Command::Hash(args) => hash::run(&ctx, args),
        Command::Keygen(args) => keygen::run_keygen(&ctx, args),
        Command::Key(KeyCommand::Id(args)) => keygen::run_key_id(&ctx, args),
        Command::Seal(args) => seal::run(&ctx, args),
        Command::Plan(args) => plan::run_plan(&ctx, args),
        Command::Verify(args) => verify::run_verify(&ctx, args),
        Command::Sign(args) => sign::run(&ctx, args),
        Command::Extract(args) => extract::run(&ctx, args),
        Command::Disclose(args) => disclose::run(&ctx, args),
        Command::Inspect(args) => inspect::run(&ctx, args),
        Command::Recover(args) => recover::run(&ctx, args),
        Command::Trust(TrustCommand::Check(args)) => trust::run_check(&ctx, args),
        Command::Custody(CustodyCommand::Add(args)) => custody::run_add(&ctx, args),
        Command::Custody(CustodyCommand::Log(args)) => custody::run_log(&ctx, args),
        Command::Custody(CustodyCommand::Replay(args)) => custody::run_replay(&ctx, args),
        Command::Timestamp(args) => timestamp::run(&ctx, args),
        Command::Completions(args) => completions::run_completions(&ctx, args),
        Command::Manpage => completions::run_manpage(&ctx),
        Command::Export(ExportCommand::Case(args)) => export::run_case(&ctx, args),
    };
    match result {
        Ok(status) => status.into(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            output::error_line(&format!("{err:#}"));
            Status::Unusable.into()
        }
    }
}

/// The clap command, without colour or text styles when `NO_COLOR` is set
/// to anything non-empty (no-color.org); clap decides otherwise (styles
/// only on a terminal).
fn cli_command() -> clap::Command {
    let command = Cli::command();
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        command.color(ColorChoice::Never)
    } else {
        command
    }
}

/// Settings shared by every command.
#[derive(Debug, Clone)]
pub struct Context {
    pub quiet: bool,
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
