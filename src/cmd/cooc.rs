//! `kalima cooc`: co-occurrence pairs within word windows, sentences or documents, with
//! association measures (see [`kalima::cooc`] and [`kalima::assoc`]).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use kalima::Source;
use kalima::cooc::{CoocOptions, cooc};
use kalima::options::{Memory, parse_size};

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, job, outcome};
use crate::output::{choose_format, write_table};

// `measure_row` and `order_by_measure`: for chart.rs and report.rs until they move.
pub use kalima::assoc::{measure_row, order_by_measure, parse_measures};

/// What a pair shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Unit {
    /// A word window (`--window`, `--left`, `--right`).
    Window,
    /// The same sentence.
    Sentence,
    /// The same document.
    Doc,
}

/// Arguments of `kalima cooc`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Symmetric window: words on each side
    #[arg(long, short = 'w', value_name = "N", default_value_t = 5)]
    pub window: usize,
    /// Words to the left of term_a (overrides --window on that side)
    #[arg(long, value_name = "N")]
    pub left: Option<usize>,
    /// Words to the right of term_a (overrides --window on that side)
    #[arg(long, value_name = "N")]
    pub right: Option<usize>,
    /// Co-occurrence unit: a word window, the same sentence or the same document
    #[arg(long, value_enum, default_value = "window")]
    pub unit: Unit,
    /// Let windows cross sentence-final punctuation
    #[arg(long)]
    pub cross: bool,
    /// Measures, comma-separated, the first one orders the rows: logdice, mi, t, ll, p,
    /// npmi, mi2, mi3, z, chi2, chi2_yates, dice, jaccard, ms, dp_ba, dp_ab, ps, or, fisher,
    /// fisher2, or all
    #[arg(
        long,
        short = 'm',
        value_name = "LIST",
        default_value = "logdice,mi,t,ll"
    )]
    pub measure: String,
    /// Keep only pairs seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep only the first N rows
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop pairs with a stop word: `ar` (built-in list) or a file
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    #[command(flatten)]
    pub mem: MemArgs,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

// The same flags as `ngrams`' MemArgs: both to move to src/common.rs.
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

/// Run `kalima cooc`.
pub fn run(args: Args) -> Result<Outcome> {
    let measures = parse_measures(&args.measure)?;
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let opts = CoocOptions {
        window: args.window,
        left: args.left,
        right: args.right,
        unit: match args.unit {
            Unit::Window => kalima::cooc::Unit::Window,
            Unit::Sentence => kalima::cooc::Unit::Sentence,
            Unit::Doc => kalima::cooc::Unit::Doc,
        },
        cross: args.cross,
        measures: measures.iter().map(|m| m.name.to_string()).collect(),
        min_count: args.min_count,
        top: args.top,
        stopwords: args.stopwords,
        memory: Memory {
            max_memory: args.mem.max_memory,
            spill_dir: args.mem.spill_dir,
        },
    };
    let reporter = Reporter::new(args.out.quiet);
    reporter.expect_input(&args.paths);
    let source = Source::Paths(args.paths);
    let job = job(source, &args.input, &args.text, args.out.threads, &reporter);
    let out = cooc(&job, &opts)?;
    reporter.finish();
    if let Some(note) = out.value.spill_note().filter(|_| !args.out.quiet) {
        eprintln!("kalima: note: {note}");
    }
    let code = outcome(&out);
    write_table(&out.value.into_table(), format, args.out.output.as_deref())?;
    Ok(code)
}
