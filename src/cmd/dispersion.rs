//! `kalima dispersion`: how evenly each term is spread over the documents or over N
//! equal-sized parts of the corpus (`kalima::dispersion`: two passes, the second in corpus
//! order).

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima::dispersion::{DispersionOptions, Parts, dispersion};

use crate::Outcome;
use crate::common::{CorpusArgs, OutputArgs, Reporter, outcome};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima dispersion`.
#[derive(Debug, ClapArgs)]
#[command(mut_arg("paths", |a| a.help(
    "Input files or directories (recursed), compressed files and archives (read twice: \
     standard input is not accepted)"
)))]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Parts: `doc` (each document) or N (N equal-sized chunks of the token stream)
    #[arg(long, value_name = "doc|N", default_value = "doc", value_parser = str::parse::<Parts>)]
    pub parts: Parts,
    /// Keep only the N most frequent terms (also bounds the memory of pass 2)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Keep only terms seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
}

/// Run `kalima dispersion`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let job = args.corpus.job(args.out.threads, &reporter);
    let opts = DispersionOptions {
        parts: args.parts,
        top: args.top,
        min_count: args.min_count,
    };
    let out = dispersion(&job, &opts)?;
    reporter.finish();
    write_table(&out.value.table(), format, args.out.output.as_deref())?;
    Ok(outcome(&out))
}
