//! The rank–frequency table with maximum-likelihood Zipf and Zipf–Mandelbrot fits over ranks
//! and a Clauset et al. (2009) discrete power-law fit of the type frequencies
//! ([`kalima_stats::fit`]). Counting is parallel; memory: the vocabulary.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, zipf::{zipf, ZipfOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["في البيت في المدرسة في".into(), "البيت".into()]));
//! let out = zipf(&job, &ZipfOptions::default())?;
//! let z = &out.value;
//! assert_eq!((z.rows[0].term.as_str(), z.rows[0].count), ("في", 3));
//! assert_eq!((z.zipf.tokens, z.zipf.types), (6, 3));
//! let ranks = z.table().to_dataframe()?; // rank, term, count, rel_freq, zipf_expected, zm_expected
//! assert_eq!(ranks.height(), 3);
//! # Ok::<(), kalima::Error>(())
//! ```

use kalima_frame::Table;
use kalima_stats::fit::{
    PowerLawFit, ZipfFit, ZipfMandelbrotFit, power_law_mle, zipf_mandelbrot_mle, zipf_mle,
};
use kalima_stats::{TermFreq, count_parallel};
use kalima_text::Normalizer;
use serde::{Deserialize, Serialize};

use crate::{Job, Output, Result};

/// Options of [`zipf`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZipfOptions {
    /// Show only the N first ranks in [`Zipf::table`] (the fits always use every type).
    pub top: Option<usize>,
    /// [`Zipf::table`] gives the fitted parameters ([`Zipf::fit_table`]: one row per model)
    /// instead of the rank table.
    pub fit: bool,
}

/// Term counts in rank order and the three fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Zipf {
    /// Every term, count descending then term by code point (rank = index + 1).
    pub rows: Vec<TermFreq>,
    /// Zipf over ranks (maximum likelihood); also holds the tokens `N` and types `V`.
    pub zipf: ZipfFit,
    /// Zipf–Mandelbrot over ranks (maximum likelihood).
    pub zipf_mandelbrot: ZipfMandelbrotFit,
    /// Discrete power law of the type frequencies' tail (Clauset et al. 2009).
    pub power_law: PowerLawFit,
    /// Ranks [`Zipf::table`] shows (from [`ZipfOptions::top`]).
    pub top: Option<usize>,
    /// [`Zipf::table`] is the fit table (from [`ZipfOptions::fit`]).
    pub fit_only: bool,
}

impl Zipf {
    /// The table the options ask for: [`Zipf::fit_table`] with `fit`, else
    /// [`Zipf::rank_table`] of the `top` first ranks.
    pub fn table(&self) -> Table {
        if self.fit_only {
            self.fit_table()
        } else {
            self.rank_table(self.top)
        }
    }

    /// `model, s, q, alpha, alpha_se, xmin, n, log_likelihood, aic, ks, tokens, types`: one
    /// row per model (`zipf`, `zipf_mandelbrot`, `power_law`), NaN where a model has no such
    /// parameter.
    pub fn fit_table(&self) -> Table {
        let (z, zm, pl) = (&self.zipf, &self.zipf_mandelbrot, &self.power_law);
        let nan = f64::NAN;
        let mut t = Table::new();
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
        t
    }

    /// `rank, term, count, rel_freq, zipf_expected, zm_expected` for the `top` first ranks
    /// (all without): the expected frequencies of both fitted laws ([`expected_frequencies`]).
    pub fn rank_table(&self, top: Option<usize>) -> Table {
        let (z, zm) = (&self.zipf, &self.zipf_mandelbrot);
        let n = z.tokens as f64;
        let v = self.rows.len() as u64;
        let keep = top.unwrap_or(usize::MAX).min(self.rows.len());
        let rows = &self.rows[..keep];
        let ranks: Vec<u64> = (1..=keep as u64).collect();
        let mut t = Table::new();
        t.push_u64("rank", ranks.clone())
            .push_str("term", rows.iter().map(|r| r.term.clone()).collect())
            .push_u64("count", rows.iter().map(|r| r.count).collect())
            .push_f64(
                "rel_freq",
                rows.iter().map(|r| r.count as f64 / n).collect(),
            )
            .push_f64(
                "zipf_expected",
                expected_frequencies(n, v, z.s, 0.0, ranks.iter().copied()),
            )
            .push_f64(
                "zm_expected",
                expected_frequencies(n, v, zm.s, zm.q, ranks.iter().copied()),
            );
        t
    }
}

/// Expected frequencies at `ranks` of a rank–frequency law fitted to `tokens` tokens over
/// `types` types: Zipf with `q = 0`, Zipf–Mandelbrot otherwise.
///
/// `E(r) = N · (r + q)^(−s) / H(V; s, q)`, with `H(V; s, q) = Σ_{k=1..V} (k + q)^(−s)`:
/// `N` times the probability of rank `r` under the right-truncated Zipf law
/// `P(r) = r^(−s) / H(V, s)` (Clauset, Shalizi & Newman 2009, "Power-law distributions in
/// empirical data", *SIAM Review* 51(4); Piantadosi 2014, *Psychonomic Bulletin & Review*
/// 21(5)) or the Zipf–Mandelbrot law `P(r) = (r + q)^(−s) / Σ_k (k + q)^(−s)` (Mandelbrot
/// 1953), the models [`kalima_stats::fit::zipf_mle`] and
/// [`kalima_stats::fit::zipf_mandelbrot_mle`] fit. `H` is summed once, in rank order.
///
/// ```
/// // s = 1 over 3 types: H = 1 + 1/2 + 1/3 = 11/6, E(1) = 11 · 1 / (11/6) = 6.
/// let e = kalima::zipf::expected_frequencies(11.0, 3, 1.0, 0.0, [1, 2, 3]);
/// assert!((e[0] - 6.0).abs() < 1e-12 && (e[1] - 3.0).abs() < 1e-12 && (e[2] - 2.0).abs() < 1e-12);
/// ```
pub fn expected_frequencies(
    tokens: f64,
    types: u64,
    s: f64,
    q: f64,
    ranks: impl IntoIterator<Item = u64>,
) -> Vec<f64> {
    let h: f64 = (1..=types).map(|k| (k as f64 + q).powf(-s)).sum();
    ranks
        .into_iter()
        .map(|r| tokens * (r as f64 + q).powf(-s) / h)
        .collect()
}

/// Term counts (light normalization unless the job says otherwise) and the three fits, on
/// the job's threads.
pub fn zipf(job: &Job, opts: &ZipfOptions) -> Result<Output<Zipf>> {
    let analyzer = job.analyzer(Normalizer::light());
    let pool = job.pool()?;
    let segments = job.segments()?;
    let counter = pool.install(|| count_parallel(segments, &analyzer, |_| true));
    let rows = counter.into_sorted();
    let counts: Vec<u64> = rows.iter().map(|r| r.count).collect();
    let (z, (zm, pl)) = pool.install(|| {
        rayon::join(
            || zipf_mle(&counts),
            || rayon::join(|| zipf_mandelbrot_mle(&counts), || power_law_mle(&counts)),
        )
    });
    Ok(job.output(Zipf {
        rows,
        zipf: z,
        zipf_mandelbrot: zm,
        power_law: pl,
        top: opts.top,
        fit_only: opts.fit,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_expected_is_the_plain_formula_at_q_zero() {
        // The former inline computation (CLI, chart and report): n · r^−s / Σ r^−s.
        let (n, v, s) = (1234.0, 57u64, 1.07);
        let h: f64 = (1..=v).map(|r| (r as f64).powf(-s)).sum();
        let old: Vec<f64> = (1..=v).map(|r| n * (r as f64).powf(-s) / h).collect();
        assert_eq!(expected_frequencies(n, v, s, 0.0, 1..=v), old);
    }

    #[test]
    fn expected_frequencies_sum_to_the_tokens() {
        for q in [0.0, 2.7] {
            let e = expected_frequencies(500.0, 40, 1.2, q, 1..=40);
            assert!((e.iter().sum::<f64>() - 500.0).abs() < 1e-9);
            assert!(e.windows(2).all(|w| w[0] > w[1]));
        }
    }

    #[test]
    fn top_and_fit_choose_the_table() {
        let job = Job::new(crate::Source::Texts(vec!["أ ب أ ج أ ب".into()]));
        let mut opts = ZipfOptions {
            top: Some(2),
            fit: false,
        };
        let z = zipf(&job, &opts).unwrap().value;
        assert_eq!(z.table().len(), 2);
        assert_eq!(z.rank_table(None).len(), 3);
        opts.fit = true;
        let z = zipf(&job, &opts).unwrap().value;
        assert_eq!(z.table().len(), 3);
        assert!(z.table().column("model").is_some());
    }
}
