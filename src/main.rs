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
#[command(
    name = "kalima",
    version,
    about = "Arabic text into trustworthy numbers: tokenize, count, and more",
    long_about = None,
    propagate_version = true
)]
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
    /// N-gram (and skip-gram) frequencies.
    Ngrams(cmd::ngrams::Args),
    /// Co-occurrence pairs in a word window, sentence or document, with association measures.
    Cooc(cmd::cooc::Args),
    /// Collocates of one node word (or prefix/regex), with positional counts and measures.
    Collocates(cmd::collocates::Args),
    /// Keywords of a target corpus against a reference corpus (or between groups).
    Keyness(cmd::keyness::Args),
    /// Concordance lines (key word in context), showing the original text.
    Kwic(cmd::kwic::Args),
    /// Dispersion of each term across documents or equal parts.
    Dispersion(cmd::dispersion::Args),
    /// Lexical diversity measures, per document and for the whole corpus.
    Lexdiv(cmd::lexdiv::Args),
    /// Document-term tf-idf scores (long table or Matrix Market).
    Tfidf(cmd::tfidf::Args),
    /// Rank-frequency table with maximum-likelihood Zipf and Zipf-Mandelbrot fits.
    Zipf(cmd::zipf::Args),
    /// Vocabulary growth curve with a fitted Heaps' law.
    Heaps(cmd::heaps::Args),
    /// Charts (PNG/SVG) with Arabic shaped and ordered correctly.
    Chart(cmd::chart::Args),
    /// Benchmark tokenizers: throughput, fertility, coverage, agreement with gold.
    Bench(cmd::bench::Args),
    /// A self-contained HTML (and Markdown) frequency report of a corpus.
    Report(cmd::report::Args),
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
    output::clean_up_on_signals();
    common::cap_thread_env();
    if let Err(e) = check_outputs(&cli.command) {
        eprintln!("kalima: {e:#}");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Tokenize(args) => cmd::tokenize::run(args),
        Command::Freq(args) => cmd::freq::run(args),
        Command::Ngrams(args) => cmd::ngrams::run(args),
        Command::Cooc(args) => cmd::cooc::run(args),
        Command::Collocates(args) => cmd::collocates::run(args),
        Command::Keyness(args) => cmd::keyness::run(args),
        Command::Kwic(args) => cmd::kwic::run(args),
        Command::Dispersion(args) => cmd::dispersion::run(args),
        Command::Lexdiv(args) => cmd::lexdiv::run(args),
        Command::Tfidf(args) => cmd::tfidf::run(args),
        Command::Zipf(args) => cmd::zipf::run(args),
        Command::Heaps(args) => cmd::heaps::run(args),
        Command::Chart(args) => cmd::chart::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::Report(args) => cmd::report::run(args),
    };
    // An error now may only be the signal handler's clean-up pulling files from under the
    // run: the handler ends the process with the signal's status; wait for it.
    output::wait_if_interrupted();
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

/// Fail before any input is read when an output named by `-o` (or `--matrix`) could not be
/// written at the end. `report` checks its folder itself (it creates it and builds the
/// report beside it).
fn check_outputs(command: &Command) -> anyhow::Result<()> {
    let out = |o: &common::OutputArgs| o.output.clone();
    let targets: Vec<std::path::PathBuf> = match command {
        Command::Tokenize(_) | Command::Report(_) => vec![],
        Command::Freq(a) => a.output.clone().into_iter().collect(),
        Command::Ngrams(a) => out(&a.out).into_iter().collect(),
        Command::Cooc(a) => out(&a.out).into_iter().collect(),
        Command::Collocates(a) => out(&a.out).into_iter().collect(),
        Command::Keyness(a) => out(&a.out).into_iter().collect(),
        Command::Kwic(a) => a.output.clone().into_iter().collect(),
        Command::Dispersion(a) => out(&a.out).into_iter().collect(),
        Command::Lexdiv(a) => out(&a.out).into_iter().collect(),
        Command::Tfidf(a) => out(&a.out)
            .into_iter()
            .chain(a.matrix.as_ref().map(|p| {
                let mut s = p.as_os_str().to_owned();
                s.push(".mtx");
                s.into()
            }))
            .collect(),
        Command::Zipf(a) => out(&a.out).into_iter().collect(),
        Command::Heaps(a) => out(&a.out).into_iter().collect(),
        Command::Chart(a) => vec![a.output.clone()],
        Command::Bench(a) => out(&a.out).into_iter().collect(),
    };
    targets.iter().try_for_each(|p| output::check_output(p))
}
