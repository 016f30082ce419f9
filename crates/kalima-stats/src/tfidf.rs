//! tf-idf weighting of document-term counts: the SMART variants of Salton & Buckley (1988),
//! "Term-weighting approaches in automatic text retrieval", *Information Processing &
//! Management* 24(5), and Manning, Raghavan & Schütze (2008), *Introduction to Information
//! Retrieval*, §6.2–6.4 (Table 6.15). Natural logarithms throughout.
//!
//! A document's weight of term `t` is `tf(t) · idf(t)`, then the document vector is
//! optionally divided by its Euclidean (L2) norm (cosine normalization).
//!
//! # Example
//! ```
//! use kalima_stats::tfidf::{Idf, Tf, idf, tf};
//! // A term seen 3 times in a document whose most frequent term has 6, in 2 of 10 documents.
//! assert_eq!(tf(Tf::Raw, 3, 6), 3.0);
//! assert!((tf(Tf::Augmented, 3, 6) - 0.75).abs() < 1e-12);
//! assert!((idf(Idf::Idf, 2, 10) - 5f64.ln()).abs() < 1e-12);
//! // scikit-learn's default (smooth_idf=True): ln((1 + 10)/(1 + 2)) + 1.
//! assert!((idf(Idf::Smooth, 2, 10) - ((11.0f64 / 3.0).ln() + 1.0)).abs() < 1e-12);
//! ```

/// Term-frequency component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tf {
    /// `tf` = the count (SMART `n`).
    Raw,
    /// `1 + ln(count)` for a positive count (SMART `l`; scikit-learn `sublinear_tf=True`).
    Log,
    /// `0.5 + 0.5 · count / max count in the document` (SMART `a`).
    Augmented,
    /// `1` for a positive count (SMART `b`).
    Boolean,
}

/// Inverse-document-frequency component, for a term in `df` of `n` documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idf {
    /// `1` (no idf, SMART `n`).
    None,
    /// `ln(n / df)` (Spärck Jones 1972; SMART `t`).
    Idf,
    /// `ln((1 + n) / (1 + df)) + 1`: scikit-learn's `TfidfTransformer(smooth_idf=True)` default.
    Smooth,
    /// `max(0, ln((n − df) / df))`: the probabilistic idf (Robertson & Spärck Jones 1976;
    /// SMART `p`), clamped at 0 for terms in more than half the documents.
    Prob,
}

/// The tf component of a term seen `count` times in a document whose most frequent term is
/// seen `max_count` times. 0 when `count = 0`.
pub fn tf(kind: Tf, count: u64, max_count: u64) -> f64 {
    if count == 0 {
        return 0.0;
    }
    let c = count as f64;
    match kind {
        Tf::Raw => c,
        Tf::Log => 1.0 + c.ln(),
        Tf::Augmented => 0.5 + 0.5 * c / max_count.max(count) as f64,
        Tf::Boolean => 1.0,
    }
}

/// The idf component of a term in `df` of `n` documents (`NaN` when `df = 0` or `df > n`,
/// except for [`Idf::None`]).
pub fn idf(kind: Idf, df: u64, n: u64) -> f64 {
    if kind == Idf::None {
        return 1.0;
    }
    if df == 0 || df > n {
        return f64::NAN;
    }
    let (d, n) = (df as f64, n as f64);
    match kind {
        Idf::None => 1.0,
        Idf::Idf => (n / d).ln(),
        Idf::Smooth => ((1.0 + n) / (1.0 + d)).ln() + 1.0,
        Idf::Prob => ((n - d) / d).ln().max(0.0),
    }
}

/// Divide `weights` by their L2 norm (left unchanged when the norm is 0).
pub fn l2_normalize(weights: &mut [f64]) {
    let norm = weights.iter().map(|w| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for w in weights {
            *w /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_by_hand() {
        assert_eq!(tf(Tf::Raw, 0, 5), 0.0);
        assert_eq!(tf(Tf::Log, 1, 5), 1.0);
        assert!((tf(Tf::Log, 4, 5) - (1.0 + 4f64.ln())).abs() < 1e-15);
        assert_eq!(tf(Tf::Augmented, 5, 5), 1.0);
        assert_eq!(tf(Tf::Boolean, 7, 9), 1.0);
        assert_eq!(idf(Idf::Idf, 10, 10), 0.0);
        assert_eq!(idf(Idf::Prob, 6, 10), 0.0); // ln(4/6) < 0, clamped
        assert!((idf(Idf::Prob, 2, 10) - 4f64.ln()).abs() < 1e-15);
        assert!(idf(Idf::Idf, 0, 10).is_nan());
        assert_eq!(idf(Idf::None, 0, 10), 1.0);
        let mut w = [3.0, 4.0];
        l2_normalize(&mut w);
        assert_eq!(w, [0.6, 0.8]);
        let mut z = [0.0, 0.0];
        l2_normalize(&mut z);
        assert_eq!(z, [0.0, 0.0]);
    }

    /// scikit-learn 1.x `TfidfVectorizer(token_pattern=r"\S+", norm="l2")` on the documents
    /// "a b b c", "b c c c d", "a a e" (scripts/corpus_stats_reference.py).
    #[test]
    fn matches_scikit_learn() {
        let docs: [&[(usize, u64)]; 3] = [
            &[(0, 1), (1, 2), (2, 1)],
            &[(1, 1), (2, 3), (3, 1)],
            &[(0, 2), (4, 1)],
        ];
        let df = [2u64, 2, 2, 1, 1];
        // smooth_idf=True, raw tf: exactly Idf::Smooth.
        let want_smooth: [&[f64]; 3] = [
            &[0.408248290463863, 0.816496580927726, 0.408248290463863],
            &[0.2919921610643988, 0.8759764831931964, 0.38393460220384124],
            &[0.8355915419449176, 0.5493512310263033],
        ];
        // smooth_idf=False, sublinear_tf=True: scikit-learn's idf is ln(N/df) + 1, one more
        // than the textbook Idf::Idf (a convention difference, see docs/measures-corpus.md).
        let want_sub: [&[f64]; 3] = [
            &[0.4532946552278861, 0.7674945674619877, 0.4532946552278861],
            &[0.361935142723943, 0.759561538221313, 0.5404342902853888],
            &[0.7500078074827499, 0.6614289748075135],
        ];
        for (d, (ws, wl)) in docs.iter().zip(want_smooth.iter().zip(&want_sub)) {
            let max = d.iter().map(|e| e.1).max().unwrap();
            let mut a: Vec<f64> = d
                .iter()
                .map(|&(t, c)| tf(Tf::Raw, c, max) * idf(Idf::Smooth, df[t], 3))
                .collect();
            let mut b: Vec<f64> = d
                .iter()
                .map(|&(t, c)| tf(Tf::Log, c, max) * (idf(Idf::Idf, df[t], 3) + 1.0))
                .collect();
            l2_normalize(&mut a);
            l2_normalize(&mut b);
            for (x, y) in a.iter().zip(ws.iter()).chain(b.iter().zip(wl.iter())) {
                assert!((x - y).abs() < 1e-12, "{x} vs {y}");
            }
        }
    }
}
