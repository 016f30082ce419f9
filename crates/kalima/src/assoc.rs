//! The association measures of co-occurrence tables ([`cooc`](crate::cooc),
//! [`collocates`](crate::collocates), the report and the charts): a registry of named
//! measures ([`MEASURES`]), parsing a list of them ([`parse_measures`]), the values of one row
//! ([`measure_row`]) and the row order ([`order_by_measure`]).
//!
//! Each measure is a formula of [`kalima_stats::measures::assoc`] on the 2×2 table of a pair
//! (`O11`, `R1`, `C1`, `N`; see docs/measures-association.md).
//!
//! # Example
//! ```
//! use kalima::assoc::{measure_row, order_by_measure, parse_measures};
//!
//! let ms = parse_measures("logdice,mi")?;
//! assert_eq!(ms.iter().map(|m| m.column).collect::<Vec<_>>(), ["logdice", "mi"]);
//! // Two pairs: (O11, R1, C1, N).
//! let rows = [measure_row(&ms, 2, 10, 4, 100), measure_row(&ms, 1, 10, 40, 100)];
//! // Strongest first by the first measure (logDice).
//! assert_eq!(order_by_measure(&rows, |i| i), [0, 1]);
//! # Ok::<(), kalima::Error>(())
//! ```

use kalima_stats::measures::{Contingency, assoc, chi2_sf_df1};

use crate::{Error, Result};

/// One association measure: its name, output column and formula.
pub struct Measure {
    /// Its name in a measure list (`--measure` on the command line).
    pub name: &'static str,
    /// Its output column.
    pub column: &'static str,
    /// The formula on a 2×2 table.
    pub f: fn(&Contingency) -> f64,
}

impl std::fmt::Debug for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Measure {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// The p-value of the log-likelihood ratio G² (χ² with one degree of freedom).
pub fn ll_p(t: &Contingency) -> f64 {
    chi2_sf_df1(assoc::log_likelihood(t))
}

/// The default measures of `cooc` and `collocates`, in order.
pub const DEFAULT_MEASURES: &[&str] = &["logdice", "mi", "t", "ll"];

macro_rules! measures {
    ($($name:literal, $column:literal, $f:expr;)+) => {
        /// All association measures, in the order `all` lists them (see
        /// docs/measures-association.md).
        pub const MEASURES: &[Measure] = &[$(Measure { name: $name, column: $column, f: $f }),+];
    };
}

measures! {
    "logdice", "logdice", assoc::log_dice;
    "mi", "mi", assoc::pmi;
    "t", "t_score", assoc::t_score;
    "ll", "ll", assoc::log_likelihood;
    "p", "p_value", ll_p;
    "npmi", "npmi", assoc::npmi;
    "mi2", "mi2", assoc::mi2;
    "mi3", "mi3", assoc::mi3;
    "z", "z_score", assoc::z_score;
    "chi2", "chi2", assoc::chi2;
    "chi2_yates", "chi2_yates", assoc::chi2_yates;
    "dice", "dice", assoc::dice;
    "jaccard", "jaccard", assoc::jaccard;
    "ms", "min_sensitivity", assoc::min_sensitivity;
    "dp_ba", "delta_p_b_a", assoc::delta_p_2_given_1;
    "dp_ab", "delta_p_a_b", assoc::delta_p_1_given_2;
    "ps", "poisson_stirling", assoc::poisson_stirling;
    "or", "odds_ratio", assoc::odds_ratio;
    "fisher", "fisher_p", assoc::fisher_exact_right;
    "fisher2", "fisher_p_two_sided", assoc::fisher_exact_two_sided;
}

/// The measure named `name` (its name or its column).
pub fn measure(name: &str) -> Result<&'static Measure> {
    MEASURES
        .iter()
        .find(|m| m.name == name || m.column == name)
        .ok_or_else(|| {
            let names: Vec<&str> = MEASURES.iter().map(|m| m.name).collect();
            Error::invalid(format!(
                "unknown measure {name:?}; known: {}, all",
                names.join(", ")
            ))
        })
}

/// The measures of `names` (names or columns), in order, each once; at least one.
pub fn measures<S: AsRef<str>>(names: &[S]) -> Result<Vec<&'static Measure>> {
    let mut out: Vec<&'static Measure> = Vec::new();
    for name in names
        .iter()
        .map(|n| n.as_ref().trim())
        .filter(|n| !n.is_empty())
    {
        let m = measure(name)?;
        if !out.iter().any(|x| x.name == m.name) {
            out.push(m);
        }
    }
    if out.is_empty() {
        return Err(Error::invalid("--measure needs at least one measure"));
    }
    Ok(out)
}

/// Parse a comma-separated list of measures (`logdice,mi,t,ll`), or `all`.
pub fn parse_measures(s: &str) -> Result<Vec<&'static Measure>> {
    if s.trim() == "all" {
        return Ok(MEASURES.iter().collect());
    }
    measures(&s.split(',').collect::<Vec<_>>())
}

/// The values of `ms` for one pair: `o11` pairs, `r1` pairs with its first term as node,
/// `c1` pairs with its second term as collocate, `n` pairs in all. NaN when the counts
/// cannot form a table.
pub fn measure_row(ms: &[&Measure], o11: u64, r1: u64, c1: u64, n: u64) -> Vec<f64> {
    let mut out = Vec::with_capacity(ms.len());
    measure_row_into(ms, o11, r1, c1, n, &mut out);
    out
}

/// [`measure_row`] into `out` (cleared first), for a row loop that reuses one buffer.
pub fn measure_row_into(ms: &[&Measure], o11: u64, r1: u64, c1: u64, n: u64, out: &mut Vec<f64>) {
    out.clear();
    match Contingency::new(o11, r1, c1, n) {
        Some(t) => out.extend(ms.iter().map(|m| (m.f)(&t))),
        None => out.resize(ms.len(), f64::NAN),
    }
}

/// [`measure_row`] of one measure, without allocating.
pub fn measure_value(m: &Measure, o11: u64, r1: u64, c1: u64, n: u64) -> f64 {
    Contingency::new(o11, r1, c1, n).map_or(f64::NAN, |t| (m.f)(&t))
}

/// Row indices ordered by the first measure descending (NaN last), then by `key`.
pub fn order_by_measure<K: Ord>(values: &[Vec<f64>], key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| {
        stronger_first(values[a][0], values[b][0]).then_with(|| key(a).cmp(&key(b)))
    });
    idx
}

/// The order of measure values in a table: descending, NaN last (−0 and 0 tie).
pub fn stronger_first(x: f64, y: f64) -> std::cmp::Ordering {
    y.partial_cmp(&x)
        .unwrap_or_else(|| x.is_nan().cmp(&y.is_nan()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_by_name_or_column_once_each() {
        let ms = parse_measures(" t , t_score,ll,").unwrap();
        assert_eq!(ms.iter().map(|m| m.name).collect::<Vec<_>>(), ["t", "ll"]);
        assert_eq!(parse_measures("all").unwrap().len(), MEASURES.len());
        assert_eq!(measures(DEFAULT_MEASURES).unwrap().len(), 4);
        let e = parse_measures("nope").unwrap_err();
        assert!(
            e.is_usage()
                && e.to_string()
                    .starts_with("unknown measure \"nope\"; known: logdice")
        );
        assert_eq!(
            parse_measures(" , ").unwrap_err().to_string(),
            "--measure needs at least one measure"
        );
    }

    #[test]
    fn nan_rows_sort_last_and_ties_by_key() {
        let v = vec![vec![f64::NAN], vec![1.0], vec![2.0], vec![1.0]];
        assert_eq!(order_by_measure(&v, std::cmp::Reverse), [2, 3, 1, 0]);
        assert!(measure_row(&[&MEASURES[0]], 1, 0, 1, 0)[0].is_nan());
    }
}
