//! `kalima`: Arabic text into trustworthy numbers.
//!
//! One file per subcommand under `cmd/`, each with its `Args` and a `run` function. Data goes to
//! stdout, messages and progress to stderr. Exit status: 0 ok, 1 some inputs failed (the rest
//! were still processed), 2 usage or fatal error. A closed pipe (`kalima freq … | head`) ends
//! quietly with 0.

mod cmd;
mod common;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Arabic text into trustworthy numbers: tokenize, normalize and count, fast.
#[derive(Debug, Parser)]
#[command(name = "kalima", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the tokens of each input line (one output line per input line).
    Tokenize(cmd::tokenize::Args),
    /// Count terms over all inputs: term, count, doc_freq, per_million, rank.
    Freq(cmd::freq::Args),
}

/// How a run ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read.
    Ok,
    /// Some inputs failed; the rest were processed.
    SomeInputsFailed,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Tokenize(args) => cmd::tokenize::run(args),
        Command::Freq(args) => cmd::freq::run(args),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::SomeInputsFailed) => ExitCode::from(1),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kalima: {e:#}");
            ExitCode::from(2)
        }
    }
}
