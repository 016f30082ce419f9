//! `kalima cooc`: co-occurrence pairs within word windows, sentences or documents, with
//! association measures (see [`kalima::cooc`] and [`kalima::assoc`]).

use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};

use kalima::cooc::{CoocOptions, cooc_rows};

use crate::Outcome;
use crate::common::{CorpusArgs, MemArgs, OutputArgs, Reporter, note_spill, outcome};
use crate::output::{choose_format, write_rows};

use kalima::assoc::parse_measures;

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
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
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
        memory: args.mem.memory(),
    };
    let reporter = Reporter::new(args.out.quiet);
    let job = args.corpus.job(args.out.threads, &reporter);
    let out = cooc_rows(&job, &opts)?;
    reporter.finish();
    note_spill(out.value.spill_note(), args.out.quiet);
    let code = outcome(&out);
    // Streamed: the table is never held, so --max-memory bounds the writing too.
    let columns = out.value.columns();
    write_rows(&columns, format, args.out.output.as_deref(), |w| {
        out.value.write(w)
    })?;
    Ok(code)
}
