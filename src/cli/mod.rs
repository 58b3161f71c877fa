//! Everything the user sees: argument parsing, human and JSON output,
//! progress bars and exit codes. The library underneath never prints.

mod args;
mod audit;
mod common;
mod completions;
mod custody;
mod disclose;
mod export;
mod extract;
mod hash;
mod image;
mod inspect;
mod keygen;
mod ltv;
mod output;
mod passphrase;
mod plan;
mod recover;
mod seal;
mod sign;
mod timestamp;
mod trust;
mod verifier_page;
mod verify;

use std::io;
use std::process::ExitCode;

use clap::{ColorChoice, CommandFactory, FromArgMatches};

use exhibit::i18n::{Lang, Texts};
use exhibit::ops::{OpError, Refusal};
use exhibit::problem::Problem;
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

impl Status {
    /// What a command that reads without judging trust (`inspect`,
    /// `custody log`) established: failed when it found any problem.
    pub fn of_problems(problems: &[Problem]) -> Status {
        if problems.is_empty() {
            Status::Success
        } else {
            Status::Failed
        }
    }
}

/// The one place an operation's refusal becomes an exit code: a verdict
/// (the bundle, a file or a hand-over does not check out) prints its
/// problems and one line, and is exit 1; input that cannot be used at all
/// is an error (exit 2, printed by `main`).
pub fn refused<E: OpError>(error: E) -> anyhow::Result<Status> {
    match error.refusal() {
        Refusal::Verdict => {
            // Refusals (sign, custody add, a plan's part) speak English.
            output::print_problems(&Texts::new(Lang::En), error.problems(), &[]);
            output::error_line(&output::sanitize(&error.to_string()));
            Ok(Status::Failed)
        }
        Refusal::Unusable => Err(error.into()),
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
    let lang = cli
        .lang
        .unwrap_or_else(|| Lang::from_env(|name| std::env::var(name).ok()));
    let ctx = Context {
        quiet: cli.quiet,
        texts: Texts::new(lang),
    };
    let result = match &cli.command {
        Command::Hash(args) => hash::run(&ctx, args),
        Command::Keygen(args) => keygen::run_keygen(&ctx, args),
        Command::Key(KeyCommand::Id(args)) => keygen::run_key_id(&ctx, args),
        Command::Image(ImageCommand::Verify(args)) => image::run_verify(&ctx, args),
        Command::Audit(args) => audit::run(&ctx, args),
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
        Command::Ltv(args) => ltv::run_ltv(&ctx, args),
        Command::Renew(args) => ltv::run_renew(&ctx, args),
        Command::VerifierPage(args) => verifier_page::run(&ctx, args),
        Command::Completions(args) => completions::run_completions(&ctx, args),
        Command::Manpage => completions::run_manpage(&ctx),
        Command::Export(ExportCommand::Case(args)) => export::run_case(&ctx, args),
    };
    match result {
        Ok(status) => status.into(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            common::wait_if_interrupted();
            // One line: the error, then what to type instead.
            match remedy(&err) {
                Some(remedy) => output::error_line(&format!("{err:#}; try: {remedy}")),
                None => output::error_line(&format!("{err:#}")),
            }
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
#[derive(Debug)]
pub struct Context {
    pub quiet: bool,
    /// The words of the language a person reads (`--lang`).
    pub texts: Texts,
}

/// What to type instead, for the mistakes a command line makes: the
/// library speaks of the evidence, only the command line knows its flags.
fn remedy(err: &anyhow::Error) -> Option<String> {
    use exhibit::ops::custody::{AppendError, EventRequestError as Event};
    use exhibit::ops::plan::PlanError;
    use exhibit::ops::seal::SealError;
    err.chain().find_map(|e| {
        if let Some(AppendError::Usage(event)) = e.downcast_ref::<AppendError>() {
            return Some(event_remedy(*event).to_string());
        }
        if let Some(event) = e.downcast_ref::<Event>() {
            return Some(event_remedy(*event).to_string());
        }
        if let Some(remedy) = e.downcast_ref().and_then(split_remedy) {
            return Some(remedy);
        }
        match e.downcast_ref::<PlanError>() {
            Some(PlanError::NoShards) => return Some("--shards N, with N of 1 or more".into()),
            Some(PlanError::MissingShard { shard, .. }) => {
                return Some(format!(
                    "exhibit hash --plan PLAN --shard {shard} -o PART, then merge again"
                ))
            }
            _ => {}
        }
        if let Some(remedy) = tsa_remedy(e).or_else(|| not_a_bundle_remedy(e)) {
            return Some(remedy.into());
        }
        match e.downcast_ref::<SealError>() {
            Some(SealError::Metadata(_)) => {
                Some("each --meta LABEL=VALUE once, and none of the labels exhibit writes".into())
            }
            _ => None,
        }
    })
}

/// What to run again when the parts of a split verification cannot give
/// the verdict.
fn split_remedy(e: &exhibit::ops::verify::SplitError) -> Option<String> {
    use exhibit::ops::verify::SplitError;
    match e {
        SplitError::MissingShare { shard, shards, .. } => Some(format!(
            "exhibit verify BUNDLE --shard {shard}/{shards} -o PART, then combine again"
        )),
        SplitError::Foreign { .. } | SplitError::MixedShares { .. } | SplitError::WrongShare { .. } => {
            Some("read every share of this bundle again (exhibit verify BUNDLE --shard I/N -o PART) into an empty folder".into())
        }
        SplitError::Conflict { shard, shards, .. } => Some(format!(
            "remove both parts of share {shard} and run --shard {shard}/{shards} again"
        )),
        SplitError::Malformed { .. } | SplitError::Incomplete { .. } | SplitError::Misplaced { .. } => {
            Some("run that part's share again (exhibit verify BUNDLE --shard I/N -o PART)".into())
        }
        _ => None,
    }
}

/// A path that is not a bundle: a folder (often the payload `extract`
/// wrote) or a file that is not a zip. A broken `.zip` gets no advice here:
/// its reason says what is wrong with it (and how to recover an append).
fn not_a_bundle_remedy(e: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    use exhibit::store::OpenError;
    let Some(OpenError::NotABundle { path, .. }) = e.downcast_ref::<OpenError>() else {
        return None;
    };
    if path.is_dir() {
        Some("the bundle as received: the folder that holds bagit.txt, or the .zip (a folder extract wrote holds the payload only)")
    } else if path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("zip"))
    {
        None
    } else {
        Some("a bundle: a .zip made by exhibit seal or another BagIt tool, or a bag folder")
    }
}

/// A TSA that failed: the signature does not need it now; its token can
/// be added later, or asked for from another machine.
fn tsa_remedy(e: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    use exhibit::ops::timestamp::TimestampError;
    use exhibit::ops::{custody::AppendError, seal::SealError, sign::SignError};
    let later = "the same without --tsa, then exhibit timestamp BUNDLE --tsa URL once the TSA answers (or --request-dir DIR to ask it from another machine)";
    let failed = matches!(e.downcast_ref::<SealError>(), Some(SealError::Tsa(_)))
        || matches!(e.downcast_ref::<SignError>(), Some(SignError::Tsa(_)))
        || matches!(e.downcast_ref::<AppendError>(), Some(AppendError::Tsa(_)));
    if failed {
        return Some(later);
    }
    matches!(e.downcast_ref::<TimestampError>(), Some(TimestampError::Tsa(_))).then_some(
        "exhibit timestamp BUNDLE --request-dir DIR, have the TSA answer the queries from another machine, then --attach the answers",
    )
}

fn event_remedy(event: exhibit::ops::custody::EventRequestError) -> &'static str {
    use exhibit::ops::custody::EventRequestError as Event;
    match event {
        Event::SealByHand => "exhibit seal SRC... -o OUT --key KEY --case ID --exhibit ID",
        Event::DiscloseByHand => {
            "exhibit disclose BUNDLE PATH... -o OUT --key KEY (it appends the disclose event)"
        }
        Event::TransferWithoutRecipient => "--to-key RECIPIENT.pub, the key of who receives it",
        Event::RecipientWithoutTransfer => "--to-key only with --action transfer",
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use exhibit::problem::ProblemCode;

    #[test]
    fn outcomes_map_to_the_exit_codes_of_the_contract() {
        assert_eq!(Status::from(Outcome::Verified) as u8, 0);
        assert_eq!(Status::from(Outcome::Failed) as u8, 1);
        assert_eq!(Status::Unusable as u8, 2);
        assert_eq!(Status::from(Outcome::Untrusted) as u8, 3);
    }

    #[test]
    fn any_problem_fails_a_reading() {
        assert_eq!(Status::of_problems(&[]), Status::Success);
        let problem = Problem::new(ProblemCode::SealInvalid, Some("exhibit/seal.json"), "bad");
        assert_eq!(Status::of_problems(&[problem]), Status::Failed);
    }

    #[derive(Debug, thiserror::Error)]
    #[error("refused")]
    struct Refused(Refusal, Vec<Problem>);

    impl OpError for Refused {
        fn refusal(&self) -> Refusal {
            self.0
        }
        fn problems(&self) -> &[Problem] {
            &self.1
        }
    }

    #[test]
    fn a_verdict_is_exit_1_and_unusable_input_an_error() {
        let problem = Problem::new(ProblemCode::PayloadMissing, Some("data/a"), "gone");
        let verdict = refused(Refused(Refusal::Verdict, vec![problem]));
        assert_eq!(verdict.ok(), Some(Status::Failed));
        let unusable = refused(Refused(Refusal::Unusable, Vec::new()));
        assert!(
            unusable.is_err(),
            "exit 2 is printed by main from the error"
        );
    }
}
