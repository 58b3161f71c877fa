//! The `exhibit` command line: a thin layer over the library that owns
//! output, progress bars and exit codes.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
