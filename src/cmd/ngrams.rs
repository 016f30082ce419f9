//! `kalima ngrams`: n-gram (and skip-gram) frequencies (see [`kalima::ngrams`]).

use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};

use kalima::ngrams::{NgramRows, NgramsOptions, ngram_rows, parse_n};

use crate::Outcome;
use crate::common::{CorpusArgs, MemArgs, OutputArgs, Reporter, note_spill, outcome};
use crate::output::{choose_format, write_rows};

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
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
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
    let job = args.corpus.job(args.out.threads, &reporter);
    let out = ngram_rows(&job, &opts)?;
    reporter.finish();
    note_spill(out.value.spill_note(), args.out.quiet);
    let code = outcome(&out);
    // Streamed: the table is never held, so --max-memory bounds the writing too.
    write_rows(
        &NgramRows::COLUMNS,
        format,
        args.out.output.as_deref(),
        |w| out.value.write(w),
    )?;
    Ok(code)
}
