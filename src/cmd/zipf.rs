//! `kalima zipf`: the rank–frequency table with maximum-likelihood Zipf and Zipf–Mandelbrot
//! fits over ranks and a Clauset et al. (2009) discrete power-law fit of the type frequencies
//! (`kalima::zipf`). Counting is parallel; memory: the vocabulary.

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima::zipf::{ZipfOptions, zipf};

use crate::Outcome;
use crate::common::{CorpusArgs, OutputArgs, Reporter, outcome};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima zipf`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Show only the N first ranks (the fits always use every type)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Output the fitted parameters (one row per model: zipf, zipf_mandelbrot, power_law)
    /// instead of the rank table
    #[arg(long)]
    pub fit: bool,
}

/// Run `kalima zipf`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let job = args.corpus.job(args.out.threads, &reporter);
    let opts = ZipfOptions {
        top: args.top,
        fit: args.fit,
    };
    let out = zipf(&job, &opts)?;
    reporter.finish();
    let (z, zm, pl) = (
        &out.value.zipf,
        &out.value.zipf_mandelbrot,
        &out.value.power_law,
    );
    if !args.out.quiet {
        eprintln!(
            "kalima: Zipf MLE s = {:.4} (KS {:.4}); Zipf–Mandelbrot s = {:.4}, q = {:.4} (KS {:.4}); power law α = {:.4} for counts ≥ {} ({} types, KS {:.4})",
            z.s, z.ks, zm.s, zm.q, zm.ks, pl.alpha, pl.xmin, pl.tail, pl.ks
        );
    }
    write_table(&out.value.table(), format, args.out.output.as_deref())?;
    Ok(outcome(&out))
}
