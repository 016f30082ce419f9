//! Count results of `kalima_stats` as [`Table`]s and polars `DataFrame`s, with the column
//! names of docs/columns.md (u64 counts, f64 measures), so a Rust user can `.lazy()` further.
//!
//! ```
//! use kalima_stats::ngram::{NgramOptions, Part, count_ngrams, with_context};
//! use kalima_text::{Analyzer, Normalizer, Scheme};
//!
//! let a = Analyzer::new(Scheme::Words, Normalizer::light());
//! let o = NgramOptions { min_n: 2, max_n: 2, skip: 0, cross: false, min_count: 1,
//!                        max_memory: 1 << 30, spill_dir: None };
//! let parts = vec![Part { doc: 0, first: true, last: true, text: "كتب الولد. كتب الولد".into() }];
//! let counts = count_ngrams(with_context(parts.into_iter(), o.context()), &a, &o, |_| true).unwrap();
//! let df = kalima_frame::results::ngrams(&counts).unwrap();
//! assert_eq!(df.height(), 1);
//! assert_eq!(df.get_column_names(), ["ngram", "n", "count", "per_million"]);
//! ```
use kalima_stats::cooc::{Collocates, CoocCounts};
use kalima_stats::measures::{Contingency, assoc};
use kalima_stats::ngram::{NgramCounts, key_len};
use kalima_stats::per_million;
use polars::prelude::DataFrame;

use crate::{FrameError, Table};

/// `ngram, n, count, per_million`, in the order of the counts (count desc, then n-gram).
pub fn ngrams_table(c: &NgramCounts) -> Table {
    let k = &c.counts;
    let mut t = Table::new();
    t.push_str(
        "ngram",
        k.rows.iter().map(|(key, _)| k.joined(key)).collect(),
    )
    .push_u64(
        "n",
        k.rows.iter().map(|(key, _)| key_len(key) as u64).collect(),
    )
    .push_u64("count", k.rows.iter().map(|r| r.1).collect())
    .push_f64(
        "per_million",
        k.rows.iter().map(|r| per_million(r.1, c.tokens)).collect(),
    );
    t
}

/// [`ngrams_table`] as a DataFrame.
pub fn ngrams(c: &NgramCounts) -> Result<DataFrame, FrameError> {
    ngrams_table(c).into_dataframe()
}

/// `term_a, term_b, count, count_a, count_b` plus the window margins `r1, c1, n` (the 2×2
/// table's `R1`, `C1`, `N`) and `logdice`, `mi`, `t_score`, `ll`, in count order.
pub fn cooc_table(c: &CoocCounts) -> Table {
    let p = &c.pairs;
    let (mut ta, mut tb, mut cnt, mut ca, mut cb, mut r1, mut c1) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut m: [Vec<f64>; 4] = Default::default();
    for (k, o11) in &p.rows {
        let (ma, mb) = (c.margin(k[0]), c.margin(k[1]));
        ta.push(p.vocab.term(k[0]).to_string());
        tb.push(p.vocab.term(k[1]).to_string());
        cnt.push(*o11);
        ca.push(ma.freq);
        cb.push(mb.freq);
        r1.push(ma.as_node);
        c1.push(mb.as_collocate);
        let t = Contingency::new(*o11, ma.as_node, mb.as_collocate, c.n);
        let f: [fn(&Contingency) -> f64; 4] = [
            assoc::log_dice,
            assoc::pmi,
            assoc::t_score,
            assoc::log_likelihood,
        ];
        for (col, f) in m.iter_mut().zip(f) {
            col.push(t.as_ref().map_or(f64::NAN, f));
        }
    }
    let [ld, mi, ts, ll] = m;
    let mut t = Table::new();
    t.push_str("term_a", ta)
        .push_str("term_b", tb)
        .push_u64("count", cnt)
        .push_u64("count_a", ca)
        .push_u64("count_b", cb)
        .push_u64("r1", r1)
        .push_u64("c1", c1)
        .push_u64("n", vec![c.n; ld.len()])
        .push_f64("logdice", ld)
        .push_f64("mi", mi)
        .push_f64("t_score", ts)
        .push_f64("ll", ll);
    t
}

/// [`cooc_table`] as a DataFrame.
pub fn cooc(c: &CoocCounts) -> Result<DataFrame, FrameError> {
    cooc_table(c).into_dataframe()
}

/// `term, count, count_left, count_right, count_node, count_term, logdice, mi, t_score, ll`
/// in term order.
pub fn collocates_table(c: &Collocates) -> Table {
    let mut m: [Vec<f64>; 4] = Default::default();
    for r in &c.rows {
        let t = Contingency::new(r.count(), c.node_pairs, r.as_collocate, c.n);
        let f: [fn(&Contingency) -> f64; 4] = [
            assoc::log_dice,
            assoc::pmi,
            assoc::t_score,
            assoc::log_likelihood,
        ];
        for (col, f) in m.iter_mut().zip(f) {
            col.push(t.as_ref().map_or(f64::NAN, f));
        }
    }
    let [ld, mi, ts, ll] = m;
    let mut t = Table::new();
    t.push_str("term", c.rows.iter().map(|r| r.term.clone()).collect())
        .push_u64("count", c.rows.iter().map(|r| r.count()).collect())
        .push_u64("count_left", c.rows.iter().map(|r| r.left).collect())
        .push_u64("count_right", c.rows.iter().map(|r| r.right).collect())
        .push_u64("count_node", vec![c.node_freq; c.rows.len()])
        .push_u64("count_term", c.rows.iter().map(|r| r.freq).collect())
        .push_f64("logdice", ld)
        .push_f64("mi", mi)
        .push_f64("t_score", ts)
        .push_f64("ll", ll);
    t
}

/// [`collocates_table`] as a DataFrame.
pub fn collocates(c: &Collocates) -> Result<DataFrame, FrameError> {
    collocates_table(c).into_dataframe()
}
