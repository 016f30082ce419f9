//! `kalima keyness`: keywords of a target corpus against a reference corpus, or of each
//! group of documents (`--by FIELD`) against the rest of the corpus (see [`kalima::keyness`]:
//! only words are counted; corpus sizes are word counts).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima::Source;
use kalima::keyness::{KeynessOptions, keyness};

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, job, outcome};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima keyness`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Target corpus: files or directories
    #[arg(value_name = "TARGET", required = true)]
    pub target: Vec<PathBuf>,
    /// Reference corpus: files or directories (not with --by)
    #[arg(long, short = 'r', value_name = "REF", num_args = 1..)]
    pub reference: Vec<PathBuf>,
    /// Compare each group of documents of TARGET with the rest, grouping by this metadata
    /// field (TREC tag such as SRC or CAT, JSON key such as source, CSV column; any case)
    #[arg(long, value_name = "FIELD")]
    pub by: Option<String>,
    /// Order rows by this column, descending: ll, log_ratio, lrc, chi2, percent_diff,
    /// relative_risk, odds_ratio, bic, ell, simple_maths, log_odds_z
    #[arg(long, value_name = "MEASURE", default_value = "ll")]
    pub sort: String,
    /// Smoothing constant k of simple maths, (fpm_target + k) / (fpm_reference + k)
    #[arg(long, value_name = "K", default_value_t = 1.0)]
    pub smoothing: f64,
    /// Keep only terms seen at least N times in target and reference together
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep only the first N rows (per group with --by)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop stop words: `ar` (built-in list) or a file
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Run `kalima keyness`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let opts = KeynessOptions {
        reference: args.reference,
        by: args.by,
        sort: args.sort,
        smoothing: args.smoothing,
        min_count: args.min_count,
        top: args.top,
        stopwords: args.stopwords,
    };
    let reporter = Reporter::new(args.out.quiet);
    let source = Source::Paths(args.target);
    let job = job(source, &args.input, &args.text, args.out.threads, &reporter);
    let out = keyness(&job, &opts)?;
    reporter.finish();
    let code = outcome(&out);
    write_table(&out.value.into_table(), format, args.out.output.as_deref())?;
    Ok(code)
}
