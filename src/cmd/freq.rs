//! `kalima freq`: term frequencies over all inputs.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima::freq::{FreqOptions, freq};
use kalima_frame::OutputFormat;

use crate::Outcome;
use crate::common::{CorpusArgs, Reporter, outcome, parse_output_format};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima freq`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Output format: csv, tsv, json, jsonl, parquet, table (default: from -o's extension;
    /// table on a terminal, csv otherwise)
    #[arg(long, value_name = "FORMAT", value_parser = parse_output_format)]
    pub format: Option<OutputFormat>,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Keep only the N most frequent terms
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Keep only terms seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Drop stop words: `ar` (built-in Arabic list) or a file with one word per line;
    /// normalized like the text
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    /// Drop tokens that have no letter or digit (punctuation, symbols)
    #[arg(long)]
    pub drop_punct: bool,
    /// Worker threads (0 = one per core; at most 4 per core); the output does not depend on it
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run `kalima freq`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose_format(args.format, args.output.as_deref())?;
    let reporter = Reporter::new(args.quiet);
    let job = args.corpus.job(args.threads, &reporter);
    let opts = FreqOptions {
        top: args.top,
        min_count: args.min_count,
        stopwords: args.stopwords,
        drop_punct: args.drop_punct,
    };
    let out = freq(&job, &opts)?;
    reporter.finish();
    let done = outcome(&out);
    write_table(&out.value.into_table(), format, args.output.as_deref())?;
    Ok(done)
}
