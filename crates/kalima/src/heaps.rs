//! The vocabulary growth curve V(N), sampled along the corpus while it streams (in corpus
//! order), and Heaps' law `V = K N^β` fitted to it ([`kalima_stats::fit`]). Memory: the
//! vocabulary.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, heaps::{heaps, HeapsOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["أ ب أ ج".into(), "ب د".into()]));
//! let out = heaps(&job, &HeapsOptions::default())?;
//! let h = &out.value;
//! assert_eq!((h.tokens(), h.types()), (6, 4));
//! assert_eq!(h.points.last(), Some(&(6, 4)));
//! assert!(h.fit.beta > 0.0);
//! let curve = h.table().to_dataframe()?; // tokens, types, types_fit
//! assert_eq!(curve.height(), h.points.len());
//! # Ok::<(), kalima::Error>(())
//! ```

use kalima_frame::Table;
use kalima_stats::engine::{Ordered, Segment};
use kalima_stats::fit::{HeapsCurve, HeapsFit, heaps_fit};
use kalima_stats::{LocalIds, Vocab};
use kalima_text::{Normalizer, Scratch};
use serde::{Deserialize, Serialize};

use crate::{Job, Output, Result};

/// Points per decade of the growth curve by default (also the report's and the chart's).
pub const PER_DECADE: u32 = 20;

/// Options of [`heaps`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeapsOptions {
    /// Points of the curve per factor of 10 in N (geometric sampling; the last token is
    /// always a point).
    pub per_decade: u32,
    /// [`Heaps::table`] gives the fit ([`Heaps::fit_table`]) instead of the curve.
    pub fit: bool,
}

impl Default for HeapsOptions {
    fn default() -> Self {
        HeapsOptions {
            per_decade: PER_DECADE,
            fit: false,
        }
    }
}

/// The growth curve and its fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Heaps {
    /// `(N, V(N))`: tokens read and distinct terms among them, geometrically spaced, the last
    /// token included. Empty without tokens.
    pub points: Vec<(u64, u64)>,
    /// Heaps' law fitted by least squares on `ln V = ln K + β ln N` (NaN with fewer than two
    /// points).
    pub fit: HeapsFit,
    /// [`Heaps::table`] is the fit table (from [`HeapsOptions::fit`]).
    pub fit_only: bool,
}

impl Heaps {
    /// Tokens of the corpus (the last point's N; 0 when empty).
    pub fn tokens(&self) -> u64 {
        self.points.last().map_or(0, |p| p.0)
    }

    /// Distinct terms of the corpus (the last point's V; 0 when empty).
    pub fn types(&self) -> u64 {
        self.points.last().map_or(0, |p| p.1)
    }

    /// The fitted `K·N^β` at every point's N.
    pub fn fitted(&self) -> Vec<f64> {
        self.points
            .iter()
            .map(|&(n, _)| self.fit.k * (n as f64).powf(self.fit.beta))
            .collect()
    }

    /// The table the options ask for: [`Heaps::fit_table`] with `fit`, else
    /// [`Heaps::curve_table`].
    pub fn table(&self) -> Table {
        if self.fit_only {
            self.fit_table()
        } else {
            self.curve_table()
        }
    }

    /// `tokens, types, types_fit`: one row per point of the curve.
    pub fn curve_table(&self) -> Table {
        let mut t = Table::new();
        t.push_u64("tokens", self.points.iter().map(|p| p.0).collect())
            .push_u64("types", self.points.iter().map(|p| p.1).collect())
            .push_f64("types_fit", self.fitted());
        t
    }

    /// `k, beta, r2, points, tokens, types`: one row.
    pub fn fit_table(&self) -> Table {
        let f = &self.fit;
        let mut t = Table::new();
        t.push_f64("k", vec![f.k])
            .push_f64("beta", vec![f.beta])
            .push_f64("r2", vec![f.r2])
            .push_u64("points", vec![f.points])
            .push_u64("tokens", vec![self.tokens()])
            .push_u64("types", vec![self.types()]);
        t
    }
}

/// The growth curve of the job's inputs read in order (light normalization unless the job
/// says otherwise), and its Heaps fit. Tokenized on the job's threads, folded in corpus
/// order (the curve depends on the order).
pub fn heaps(job: &Job, opts: &HeapsOptions) -> Result<Output<Heaps>> {
    Ok(heaps_and_ids(job, opts, false)?.0)
}

/// [`heaps`], and when `ids` every token as a term id in reading order (else none): the
/// sequence the order-dependent measures of [`crate::lexdiv`] read, from the same pass.
pub fn heaps_and_ids(
    job: &Job,
    opts: &HeapsOptions,
    ids: bool,
) -> Result<(Output<Heaps>, Vec<u32>)> {
    let analyzer = job.analyzer(Normalizer::light());
    // Segments are tokenized and their terms numbered on the job's threads; the curve and
    // the corpus's ids are folded in corpus order.
    let pass = Ordered::new(Scratch::default, |scratch, s: &Segment| {
        LocalIds::new(&analyzer, &s.text, scratch)
    });
    let (mut vocab, mut curve, mut seq) = (Vocab::new(), HeapsCurve::new(opts.per_decade), vec![]);
    pass.for_each(&job.pool()?, job.segments()?, |local| {
        vocab.absorb(local, |id, new| {
            curve.push(new);
            if ids {
                seq.push(id);
            }
        });
    });
    let points = curve.finish();
    let fit = heaps_fit(&points);
    let out = job.output(Heaps {
        points,
        fit,
        fit_only: opts.fit,
    });
    Ok((out, seq))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    #[test]
    fn the_curve_follows_the_corpus_order_across_documents() {
        // 1, 2, 3 … tokens: every token is a point with 20 per decade up to 10.
        let job = Job::new(Source::Texts(vec!["أ ب".into(), "أ ج".into()]));
        let h = heaps(&job, &HeapsOptions::default()).unwrap().value;
        assert_eq!(h.points, [(1, 1), (2, 2), (3, 2), (4, 3)]);
        assert_eq!(h.fit_table().len(), 1);
        assert_eq!(h.curve_table().len(), 4);
    }

    #[test]
    fn ids_come_from_the_same_pass() {
        let job = Job::new(Source::Texts(vec!["أ ب".into(), "أ ج".into()]));
        let opts = HeapsOptions::default();
        let (h, ids) = heaps_and_ids(&job, &opts, true).unwrap();
        assert_eq!(ids, [0, 1, 0, 2]);
        assert_eq!(h.value, heaps(&job, &opts).unwrap().value);
        assert!(heaps_and_ids(&job, &opts, false).unwrap().1.is_empty());
    }

    #[test]
    fn no_tokens_no_points() {
        let job = Job::new(Source::Texts(vec![String::new()]));
        let h = heaps(&job, &HeapsOptions::default()).unwrap().value;
        assert!(h.points.is_empty() && h.fit.k.is_nan());
        assert_eq!((h.tokens(), h.types()), (0, 0));
    }
}
