//! `kalima zipf`: the rank–frequency table with maximum-likelihood Zipf and Zipf–Mandelbrot
//! fits over ranks and a Clauset et al. (2009) discrete power-law fit of the type frequencies
//! (`kalima_stats::fit`). Counting is parallel; memory: the vocabulary.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima_frame::Table;
use kalima_stats::fit::{power_law_mle, zipf_mandelbrot_mle, zipf_mle};
use kalima_text::Normalizer;

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, count_terms, thread_pool};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima zipf`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
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
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let pool = thread_pool(args.out.threads)?;
    let counter = count_terms(
        &args.input,
        &args.paths,
        &analyzer,
        &reporter,
        &pool,
        |_| true,
    )?;
    let outcome = reporter.finish();
    let rows = counter.into_sorted();
    let counts: Vec<u64> = rows.iter().map(|r| r.count).collect();
    let (z, zm, pl) = pool.install(|| {
        let (z, (zm, pl)) = rayon::join(
            || zipf_mle(&counts),
            || rayon::join(|| zipf_mandelbrot_mle(&counts), || power_law_mle(&counts)),
        );
        (z, zm, pl)
    });
    if !args.out.quiet {
        eprintln!(
            "kalima: Zipf MLE s = {:.4} (KS {:.4}); Zipf–Mandelbrot s = {:.4}, q = {:.4} (KS {:.4}); power law α = {:.4} for counts ≥ {} ({} types, KS {:.4})",
            z.s, z.ks, zm.s, zm.q, zm.ks, pl.alpha, pl.xmin, pl.tail, pl.ks
        );
    }
    let mut t = Table::new();
    let nan = f64::NAN;
    if args.fit {
        t.push_str(
            "model",
            vec!["zipf".into(), "zipf_mandelbrot".into(), "power_law".into()],
        )
        .push_f64("s", vec![z.s, zm.s, nan])
        .push_f64("q", vec![nan, zm.q, nan])
        .push_f64("alpha", vec![nan, nan, pl.alpha])
        .push_f64("alpha_se", vec![nan, nan, pl.alpha_se])
        .push_u64("xmin", vec![1, 1, pl.xmin])
        .push_u64("n", vec![z.tokens, z.tokens, pl.tail])
        .push_f64(
            "log_likelihood",
            vec![z.log_likelihood, zm.log_likelihood, pl.log_likelihood],
        )
        .push_f64("aic", vec![z.aic, zm.aic, nan])
        .push_f64("ks", vec![z.ks, zm.ks, pl.ks])
        .push_u64("tokens", vec![z.tokens; 3])
        .push_u64("types", vec![z.types; 3]);
    } else {
        let n = z.tokens as f64;
        let v = rows.len();
        let hz: f64 = (1..=v).map(|r| (r as f64).powf(-z.s)).sum();
        let hzm: f64 = (1..=v).map(|r| (r as f64 + zm.q).powf(-zm.s)).sum();
        let keep = args.top.unwrap_or(usize::MAX).min(v);
        let ranks: Vec<u64> = (1..=keep as u64).collect();
        t.push_u64("rank", ranks.clone())
            .push_str(
                "term",
                rows[..keep].iter().map(|r| r.term.clone()).collect(),
            )
            .push_u64("count", counts[..keep].to_vec())
            .push_f64(
                "rel_freq",
                counts[..keep].iter().map(|&c| c as f64 / n).collect(),
            )
            .push_f64(
                "zipf_expected",
                ranks
                    .iter()
                    .map(|&r| n * (r as f64).powf(-z.s) / hz)
                    .collect(),
            )
            .push_f64(
                "zm_expected",
                ranks
                    .iter()
                    .map(|&r| n * (r as f64 + zm.q).powf(-zm.s) / hzm)
                    .collect(),
            );
    }
    write_table(&t, format, args.out.output.as_deref())?;
    Ok(outcome)
}
