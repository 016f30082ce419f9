//! `kalima freq`: term frequencies over all inputs.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima_frame::{OutputFormat, Table};
use kalima_stats::{TermFreq, per_million};
use kalima_text::Normalizer;

use crate::Outcome;
use crate::common::{
    InputArgs, Reporter, TextArgs, count_terms, parse_output_format, stopwords, thread_pool,
};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima freq`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
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
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.format, args.output.as_deref())?;
    let stop = stopwords(args.stopwords.as_deref(), &analyzer)?;
    let reporter = Reporter::new(args.quiet);
    reporter.expect_input(&args.paths);
    let pool = thread_pool(args.threads)?;
    let counter = count_terms(
        &args.input,
        &args.paths,
        &analyzer,
        &reporter,
        &pool,
        |_| true,
    )?;
    let outcome = reporter.finish();
    let total = counter.tokens();
    let rows = counter.into_sorted();
    let table = freq_table(rows, total, &args, stop.as_ref());
    write_table(&table, format, args.output.as_deref())?;
    Ok(outcome)
}

/// Filter rows and build the output table (`term, count, doc_freq, per_million, rank`).
/// `per_million` is relative to all tokens counted, before any filter.
fn freq_table(
    rows: Vec<TermFreq>,
    total: u64,
    args: &Args,
    stop: Option<&HashSet<String>>,
) -> Table {
    let keep = rows
        .into_iter()
        .filter(|r| r.count >= args.min_count)
        .filter(|r| stop.is_none_or(|s| !s.contains(&r.term)))
        .filter(|r| !args.drop_punct || r.term.chars().any(char::is_alphanumeric))
        .take(args.top.unwrap_or(usize::MAX));
    let (mut term, mut count, mut df, mut pm, mut rank) = (vec![], vec![], vec![], vec![], vec![]);
    for (i, r) in keep.enumerate() {
        pm.push(per_million(r.count, total));
        count.push(r.count);
        df.push(r.doc_freq);
        rank.push(i as u64 + 1);
        term.push(r.term);
    }
    let mut t = Table::new();
    t.push_str("term", term)
        .push_u64("count", count)
        .push_u64("doc_freq", df)
        .push_f64("per_million", pm)
        .push_u64("rank", rank);
    t
}
