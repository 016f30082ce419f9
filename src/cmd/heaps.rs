//! `kalima heaps`: the vocabulary growth curve V(N), sampled along the corpus while it streams,
//! and Heaps' law `V = K N^β` fitted to it (`kalima::heaps`). Memory: the vocabulary.

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima::heaps::{HeapsOptions, heaps};

use crate::Outcome;
use crate::common::{CorpusArgs, OutputArgs, Reporter, outcome};
use crate::output::{choose_format, write_table};

use kalima::heaps::PER_DECADE;

/// Arguments of `kalima heaps`.
#[derive(Debug, ClapArgs)]
#[command(mut_arg("paths", |a| a.help(
    "Input files or directories (recursed), compressed files and archives; read in order"
)))]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Points of the curve per factor of 10 in N (geometric sampling; the last token is always
    /// a point)
    #[arg(long, value_name = "N", default_value_t = PER_DECADE)]
    pub per_decade: u32,
    /// Output the fit (k, beta, r2, points, tokens, types) instead of the curve
    #[arg(long)]
    pub fit: bool,
}

/// Run `kalima heaps`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let job = args.corpus.job(args.out.threads, &reporter);
    let opts = HeapsOptions {
        per_decade: args.per_decade,
        fit: args.fit,
    };
    let out = heaps(&job, &opts)?;
    reporter.finish();
    let h = &out.value;
    if !args.out.quiet {
        eprintln!(
            "kalima: Heaps fit V = K·N^β: K = {:.4}, β = {:.4}, R² = {:.5} ({} points, {} tokens, {} types)",
            h.fit.k,
            h.fit.beta,
            h.fit.r2,
            h.fit.points,
            h.tokens(),
            h.types()
        );
    }
    write_table(&h.table(), format, args.out.output.as_deref())?;
    Ok(outcome(&out))
}
