//! `kalima ngrams`: n-gram (and skip-gram) frequencies (see [`kalima::ngrams`]).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use kalima::Source;
use kalima::ngrams::{NgramsOptions, ngrams, parse_n};
use kalima::options::{Memory, parse_size};

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, job, outcome};
use crate::output::{choose_format, write_table};

/// Where a stop word disqualifies an n-gram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StopAt {
    /// Anywhere in the n-gram.
    Any,
    /// As its first or last token.
    Edge,
}

/// Arguments of `kalima ngrams`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// N-gram length: `2`, or a range `1..5` (at most 6)
    #[arg(short = 'n', long = "n", value_name = "N|A..B", default_value = "2")]
    pub n: String,
    /// Skip-grams: allow up to K skipped words in all between an n-gram's words
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub skip: usize,
    /// Let n-grams cross sentence-final punctuation
    #[arg(long)]
    pub cross: bool,
    /// Keep only n-grams seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep only the N most frequent n-grams
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop n-grams holding a stop word: `ar` (built-in list) or a file, one word a line
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    /// Where a stop word drops an n-gram: anywhere, or only as first/last word
    #[arg(long, value_enum, default_value = "any")]
    pub stopwords_at: StopAt,
    #[command(flatten)]
    pub mem: MemArgs,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

// To move to src/common.rs (cooc and report take the same flags).
/// Memory bound of the counting tables.
#[derive(Debug, ClapArgs)]
pub struct MemArgs {
    /// Memory for the counting tables (e.g. 512M, 4G); past it, sorted partial counts go
    /// to temporary files and are merged at the end (default: a quarter of RAM)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<usize>,
    /// Directory for the temporary files (default: the system's temp directory)
    #[arg(long, value_name = "DIR")]
    pub spill_dir: Option<PathBuf>,
}

impl MemArgs {
    /// The library's memory options.
    pub fn memory(&self) -> Memory {
        Memory {
            max_memory: self.max_memory,
            spill_dir: self.spill_dir.clone(),
        }
    }

    /// The budget in bytes (for report.rs until it moves to the library).
    pub fn budget(&self) -> usize {
        self.memory().budget()
    }

    /// The default budget (for chart.rs until it moves to the library).
    pub fn default_budget() -> usize {
        kalima::options::default_budget()
    }
}

/// Run `kalima ngrams`.
pub fn run(args: Args) -> Result<Outcome> {
    let (min_n, max_n) = parse_n(&args.n)?;
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let opts = NgramsOptions {
        min_n,
        max_n,
        skip: args.skip,
        cross: args.cross,
        min_count: args.min_count,
        top: args.top,
        stopwords: args.stopwords,
        stopwords_at: match args.stopwords_at {
            StopAt::Any => kalima::ngrams::StopAt::Any,
            StopAt::Edge => kalima::ngrams::StopAt::Edge,
        },
        memory: args.mem.memory(),
    };
    let reporter = Reporter::new(args.out.quiet);
    reporter.expect_input(&args.paths);
    let source = Source::Paths(args.paths);
    let job = job(source, &args.input, &args.text, args.out.threads, &reporter);
    let out = ngrams(&job, &opts)?;
    reporter.finish();
    note_spill(out.value.spilled_runs, args.out.quiet);
    let code = outcome(&out);
    write_table(&out.value.into_table(), format, args.out.output.as_deref())?;
    Ok(code)
}

/// Tell (on stderr, unless `quiet`) that counts went through temporary files.
pub fn note_spill(runs: usize, quiet: bool) {
    if let Some(note) = kalima::ngrams::spill_note(runs).filter(|_| !quiet) {
        eprintln!("kalima: note: {note}");
    }
}

/// Chunks of the inputs as engine segments (for chart.rs until it moves to the library).
pub fn parts<'a>(
    corpus: kalima_corpus::Corpus,
    reporter: &'a Reporter,
) -> impl Iterator<Item = kalima_stats::engine::Segment> + Send + 'a {
    corpus
        .filter_map(|ev| reporter.filter(ev))
        .map(|c| kalima_stats::engine::Segment::new(c.doc, c.first, c.last, c.text))
}
