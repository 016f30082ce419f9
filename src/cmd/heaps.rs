//! `kalima heaps`: the vocabulary growth curve V(N), sampled along the corpus while it streams,
//! and Heaps' law `V = K N^β` fitted to it (`kalima_stats::fit`). Memory: the vocabulary.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima_frame::Table;
use kalima_stats::Vocab;
use kalima_stats::fit::{HeapsCurve, heaps_fit};
use kalima_text::{Normalizer, Scratch};

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs};
use crate::output::{choose_format, write_table};

/// Points per decade of the growth curve by default (also the report's and the chart's).
pub const PER_DECADE: u32 = 20;

/// Arguments of `kalima heaps`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives; read in order
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
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
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let corpus = args.input.open(&args.paths, false, false)?;
    let mut vocab = Vocab::new();
    let mut curve = HeapsCurve::new(args.per_decade);
    let mut scratch = Scratch::default();
    for c in corpus.filter_map(|ev| reporter.filter(ev)) {
        analyzer.for_each_term(&c.text, &mut scratch, |t| curve.push(vocab.intern(t).1));
    }
    let outcome = reporter.finish();
    let points = curve.finish();
    let fit = heaps_fit(&points);
    let (tokens, types) = points.last().copied().unwrap_or((0, 0));
    if !args.out.quiet {
        eprintln!(
            "kalima: Heaps fit V = K·N^β: K = {:.4}, β = {:.4}, R² = {:.5} ({} points, {tokens} tokens, {types} types)",
            fit.k, fit.beta, fit.r2, fit.points
        );
    }
    let mut t = Table::new();
    if args.fit {
        t.push_f64("k", vec![fit.k])
            .push_f64("beta", vec![fit.beta])
            .push_f64("r2", vec![fit.r2])
            .push_u64("points", vec![fit.points])
            .push_u64("tokens", vec![tokens])
            .push_u64("types", vec![types]);
    } else {
        let fitted = points
            .iter()
            .map(|&(n, _)| fit.k * (n as f64).powf(fit.beta))
            .collect();
        t.push_u64("tokens", points.iter().map(|p| p.0).collect())
            .push_u64("types", points.iter().map(|p| p.1).collect())
            .push_f64("types_fit", fitted);
    }
    write_table(&t, format, args.out.output.as_deref())?;
    Ok(outcome)
}
