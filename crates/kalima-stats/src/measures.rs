//! Association and keyness measures: pure formulas on counts, no I/O.
//!
//! - [`Contingency`]: a 2×2 table of co-occurrence counts in the notation of Evert (2005,
//!   *The Statistics of Word Cooccurrences*, §3.1; 2008, "Corpora and collocations", §4.1):
//!   observed cells `O11 O12 / O21 O22`, row totals `R1 R2`, column totals `C1 C2`, sample
//!   size `N`, expected cells `Eij = Ri·Cj / N`.
//! - [`assoc`]: association measures for collocations (PMI, logDice, G², t, z, χ², Fisher …).
//! - [`Keyness`] and [`keyness`]: comparing a word's frequency in a target and a reference
//!   corpus (log-likelihood, log ratio, %DIFF, BIC, ELL …).
//! - [`erfc`] and [`chi2_sf_df1`]: p-values for χ² / G² with one degree of freedom.
//!
//! `log2` is the binary logarithm and `ln` the natural one; each doc comment says which
//! a formula uses. Degenerate inputs (a zero margin, a zero cell) are documented per
//! function; no function panics.
//!
//! # Example
//! ```
//! use kalima_stats::measures::{assoc, Contingency};
//!
//! // "new companies" in Manning & Schütze (1999), §5.3.1.
//! let t = Contingency::new(8, 15_828, 4_675, 14_307_668).unwrap();
//! assert!((assoc::t_score(&t) - 0.999932).abs() < 1e-6);
//! ```

/// A 2×2 contingency table for a pair (word 1, word 2), from its four defining counts.
///
/// | | word 2 | ¬ word 2 | |
/// |---|---|---|---|
/// | **word 1** | O11 | O12 | R1 |
/// | **¬ word 1** | O21 | O22 | R2 |
/// | | C1 | C2 | N |
///
/// Notation of Evert (2008), "Corpora and collocations", in Lüdeling & Kytö (eds.),
/// *Corpus Linguistics: An International Handbook*, §4.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Contingency {
    o11: u64,
    r1: u64,
    c1: u64,
    n: u64,
}

impl Contingency {
    /// A table from `O11` (joint frequency), `R1 = O11 + O12` (frequency of word 1),
    /// `C1 = O11 + O21` (frequency of word 2) and `N` (sample size).
    ///
    /// `None` when the counts cannot form a table: `O11 > R1`, `O11 > C1`, `R1 > N`,
    /// `C1 > N`, or `R1 + C1 − O11 > N` (which would make `O22` negative).
    pub fn new(o11: u64, r1: u64, c1: u64, n: u64) -> Option<Self> {
        let union = (r1 as u128 + c1 as u128).checked_sub(o11 as u128)?;
        if o11 > r1 || o11 > c1 || r1 > n || c1 > n || union > n as u128 {
            return None;
        }
        Some(Self { o11, r1, c1, n })
    }

    /// A table from its four cells `O11 O12 / O21 O22`; `None` when `N` overflows `u64`.
    pub fn from_cells(o11: u64, o12: u64, o21: u64, o22: u64) -> Option<Self> {
        let r1 = o11.checked_add(o12)?;
        let c1 = o11.checked_add(o21)?;
        let n = r1.checked_add(o21)?.checked_add(o22)?;
        Some(Self { o11, r1, c1, n })
    }

    /// The four cells as integers `[O11, O12, O21, O22]`.
    pub fn cells(&self) -> [u64; 4] {
        let o12 = self.r1 - self.o11;
        let o21 = self.c1 - self.o11;
        let o22 = self.n - self.r1 - o21;
        [self.o11, o12, o21, o22]
    }

    /// `O11`: joint frequency.
    pub fn o11(&self) -> f64 {
        self.o11 as f64
    }
    /// `O12 = R1 − O11`: word 1 without word 2.
    pub fn o12(&self) -> f64 {
        self.cells()[1] as f64
    }
    /// `O21 = C1 − O11`: word 2 without word 1.
    pub fn o21(&self) -> f64 {
        self.cells()[2] as f64
    }
    /// `O22 = N − R1 − C1 + O11`: neither word.
    pub fn o22(&self) -> f64 {
        self.cells()[3] as f64
    }
    /// `R1`: row total, frequency of word 1.
    pub fn r1(&self) -> f64 {
        self.r1 as f64
    }
    /// `R2 = N − R1`.
    pub fn r2(&self) -> f64 {
        (self.n - self.r1) as f64
    }
    /// `C1`: column total, frequency of word 2.
    pub fn c1(&self) -> f64 {
        self.c1 as f64
    }
    /// `C2 = N − C1`.
    pub fn c2(&self) -> f64 {
        (self.n - self.c1) as f64
    }
    /// `N`: sample size.
    pub fn n(&self) -> f64 {
        self.n as f64
    }
    /// `E11 = R1·C1 / N` (0 when `N = 0`).
    pub fn e11(&self) -> f64 {
        expected(self.r1(), self.c1(), self.n())
    }
    /// `E12 = R1·C2 / N`.
    pub fn e12(&self) -> f64 {
        expected(self.r1(), self.c2(), self.n())
    }
    /// `E21 = R2·C1 / N`.
    pub fn e21(&self) -> f64 {
        expected(self.r2(), self.c1(), self.n())
    }
    /// `E22 = R2·C2 / N`.
    pub fn e22(&self) -> f64 {
        expected(self.r2(), self.c2(), self.n())
    }

    /// `O11·O22 − O12·O21`, computed exactly in integers.
    fn cross_difference(&self) -> f64 {
        let [a, b, c, d] = self.cells().map(i128::from);
        (a * d - b * c) as f64
    }
}

fn expected(row: f64, col: f64, n: f64) -> f64 {
    if n == 0.0 { 0.0 } else { row * col / n }
}

/// `x·ln(x/e)` with the convention `0·ln 0 = 0` (the limit as `x → 0`).
fn x_ln_x_over_e(x: f64, e: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x * (x / e).ln() }
}

/// Association measures on a [`Contingency`] table.
///
/// Formulas follow Evert (2008), "Corpora and collocations", §4 (and the catalogue at
/// <http://www.collocations.de/AM/>), unless a doc comment says otherwise.
pub mod assoc {
    use super::{Contingency, x_ln_x_over_e};

    /// Pointwise mutual information, `log2(O11 / E11)`.
    ///
    /// Church & Hanks (1990), "Word association norms, mutual information, and
    /// lexicography"; Evert (2008) "MI". `−∞` when `O11 = 0`.
    pub fn pmi(t: &Contingency) -> f64 {
        (t.o11() / t.e11()).log2()
    }

    /// Normalized PMI, `pmi / −log2(O11 / N)`, in `[−1, 1]`.
    ///
    /// Bouma (2009), "Normalized (pointwise) mutual information in collocation extraction".
    /// By Bouma's limits: `−1` when `O11 = 0` (never together) and `1` when `O11 = N`
    /// (always together, where the formula is 0/0).
    pub fn npmi(t: &Contingency) -> f64 {
        if t.o11 == 0 {
            return -1.0;
        }
        if t.o11 == t.n {
            return 1.0;
        }
        pmi(t) / -(t.o11() / t.n()).log2()
    }

    /// `MI^k = log2(O11^k / E11)`: PMI with the joint frequency raised to `k`, which damps
    /// PMI's bias toward rare pairs.
    ///
    /// Daille (1994), *Approche mixte pour l'extraction de terminologie*; Evert (2008)
    /// "MI^k". Computed as `k·log2 O11 − log2 E11` so large counts do not overflow.
    pub fn mi_k(t: &Contingency, k: f64) -> f64 {
        k * t.o11().log2() - t.e11().log2()
    }

    /// `MI² = log2(O11² / E11)`; see [`mi_k`].
    pub fn mi2(t: &Contingency) -> f64 {
        mi_k(t, 2.0)
    }

    /// `MI³ = log2(O11³ / E11)`; see [`mi_k`].
    pub fn mi3(t: &Contingency) -> f64 {
        mi_k(t, 3.0)
    }

    /// Log-likelihood ratio, `G² = 2 Σij Oij·ln(Oij / Eij)` over all four cells, with
    /// `0·ln 0 = 0`.
    ///
    /// Dunning (1993), "Accurate methods for the statistics of surprise and coincidence";
    /// Evert (2008) "log-likelihood". Unsigned (≥ 0); compare `O11` with `E11` for the
    /// direction. Tiny negative rounding results are clamped to 0.
    pub fn log_likelihood(t: &Contingency) -> f64 {
        let g2 = 2.0
            * (x_ln_x_over_e(t.o11(), t.e11())
                + x_ln_x_over_e(t.o12(), t.e12())
                + x_ln_x_over_e(t.o21(), t.e21())
                + x_ln_x_over_e(t.o22(), t.e22()));
        g2.max(0.0)
    }

    /// t-score, `(O11 − E11) / √O11`.
    ///
    /// Church et al. (1991), "Using statistics in lexical analysis"; Manning & Schütze
    /// (1999), *Foundations of Statistical NLP*, §5.3.1; Evert (2008) "t-score".
    /// `−∞` when `O11 = 0 < E11`, NaN when both are 0.
    pub fn t_score(t: &Contingency) -> f64 {
        (t.o11() - t.e11()) / t.o11().sqrt()
    }

    /// z-score, `(O11 − E11) / √E11`.
    ///
    /// Dennis (1965); Evert (2008) "z-score". NaN when `E11 = O11 = 0`.
    pub fn z_score(t: &Contingency) -> f64 {
        (t.o11() - t.e11()) / t.e11().sqrt()
    }

    /// Pearson's χ² for the 2×2 table, `N·(O11·O22 − O12·O21)² / (R1·R2·C1·C2)`.
    ///
    /// Manning & Schütze (1999), §5.3.3, eq. 5.7; Evert (2008) "chi-squared". Unsigned.
    /// 0 when a margin is 0 (then `O11·O22 − O12·O21 = 0` as well: no evidence of
    /// association). The cross difference is computed exactly in integers.
    pub fn chi2(t: &Contingency) -> f64 {
        let den = t.r1() * t.r2() * t.c1() * t.c2();
        if den == 0.0 {
            return 0.0;
        }
        let diff = t.cross_difference();
        t.n() * diff * diff / den
    }

    /// χ² with Yates' continuity correction,
    /// `N·(max(0, |O11·O22 − O12·O21| − N/2))² / (R1·R2·C1·C2)`.
    ///
    /// Yates (1934); Evert (2008) "chi-squared_corr". The `max(0, ·)` (as in R's
    /// `chisq.test`) keeps the correction from turning a near-independent table into a
    /// positive score. 0 when a margin is 0.
    pub fn chi2_yates(t: &Contingency) -> f64 {
        let den = t.r1() * t.r2() * t.c1() * t.c2();
        if den == 0.0 {
            return 0.0;
        }
        let diff = (t.cross_difference().abs() - t.n() / 2.0).max(0.0);
        t.n() * diff * diff / den
    }

    /// Dice coefficient, `2·O11 / (R1 + C1)`, in `[0, 1]`.
    ///
    /// Dice (1945); Smadja, McKeown & Hatzivassiloglou (1996); Evert (2008) "Dice".
    /// 0 when `R1 + C1 = 0`.
    pub fn dice(t: &Contingency) -> f64 {
        let den = t.r1() + t.c1();
        if den == 0.0 { 0.0 } else { 2.0 * t.o11() / den }
    }

    /// logDice, `14 + log2(2·O11 / (R1 + C1))`, at most 14.
    ///
    /// Rychlý (2008), "A lexicographer-friendly association score", RASLAN 2008, pp. 6–9.
    /// `−∞` when `O11 = 0`.
    pub fn log_dice(t: &Contingency) -> f64 {
        14.0 + dice(t).log2()
    }

    /// Jaccard coefficient, `O11 / (O11 + O12 + O21) = O11 / (R1 + C1 − O11)`.
    ///
    /// Jaccard (1901); Evert (2008) "Jaccard". 0 when neither word occurs.
    pub fn jaccard(t: &Contingency) -> f64 {
        let den = t.r1() + t.c1() - t.o11();
        if den == 0.0 { 0.0 } else { t.o11() / den }
    }

    /// Minimum sensitivity, `min(O11 / R1, O11 / C1)`.
    ///
    /// Pedersen & Bruce (1996); Evert (2008) "MS". 0 when a word does not occur.
    pub fn min_sensitivity(t: &Contingency) -> f64 {
        if t.r1 == 0 || t.c1 == 0 {
            return 0.0;
        }
        (t.o11() / t.r1()).min(t.o11() / t.c1())
    }

    /// ΔP of word 2 given word 1, `O11 / R1 − O21 / R2`
    /// = P(word 2 | word 1) − P(word 2 | ¬ word 1).
    ///
    /// Gries (2013), "50-something years of work on collocations", *IJCL* 18(1), §3
    /// (after Ellis 2007). A ratio with a zero denominator counts as 0.
    pub fn delta_p_2_given_1(t: &Contingency) -> f64 {
        ratio0(t.o11(), t.r1()) - ratio0(t.o21(), t.r2())
    }

    /// ΔP of word 1 given word 2, `O11 / C1 − O12 / C2`
    /// = P(word 1 | word 2) − P(word 1 | ¬ word 2).
    ///
    /// Gries (2013), see [`delta_p_2_given_1`]. A ratio with a zero denominator counts as 0.
    pub fn delta_p_1_given_2(t: &Contingency) -> f64 {
        ratio0(t.o11(), t.c1()) - ratio0(t.o12(), t.c2())
    }

    fn ratio0(num: f64, den: f64) -> f64 {
        if den == 0.0 { 0.0 } else { num / den }
    }

    /// Poisson–Stirling, `O11·(ln O11 − ln E11 − 1)` (natural logarithm).
    ///
    /// Quasthoff & Wolff (2002), "The Poisson collocation measure and its applications";
    /// Evert (2008) "Poisson-Stirling". 0 when `O11 = 0` (`0·ln 0 = 0`).
    pub fn poisson_stirling(t: &Contingency) -> f64 {
        if t.o11 == 0 {
            return 0.0;
        }
        t.o11() * (t.o11().ln() - t.e11().ln() - 1.0)
    }

    /// Odds ratio, `(O11·O22) / (O12·O21)`.
    ///
    /// Evert (2008) "odds-ratio"; Blaheta & Johnson (2001) use its logarithm. When any cell
    /// is 0, Haldane's correction adds 0.5 to all four cells (Haldane 1956, "The estimation
    /// and significance of the logarithm of a ratio of frequencies"), so the result is
    /// always finite and positive.
    pub fn odds_ratio(t: &Contingency) -> f64 {
        let [a, b, c, d] = t.cells().map(|x| x as f64);
        haldane_odds_ratio(a, b, c, d)
    }

    pub(super) fn haldane_odds_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
        let k = if a == 0.0 || b == 0.0 || c == 0.0 || d == 0.0 {
            0.5
        } else {
            0.0
        };
        ((a + k) * (d + k)) / ((b + k) * (c + k))
    }

    /// Fisher's exact test, right-sided: `P(X ≥ O11)` for `X` hypergeometric with the
    /// table's margins, `P(X = k) = C(R1, k)·C(R2, C1 − k) / C(N, C1)`.
    ///
    /// Fisher (1934); Pedersen (1996), "Fishing for exactness"; Evert (2008) "Fisher".
    /// Small p means attraction. See [`fisher_exact_right_ln`] for the method.
    pub fn fisher_exact_right(t: &Contingency) -> f64 {
        fisher_exact_right_ln(t).exp()
    }

    /// Natural logarithm of [`fisher_exact_right`], usable where the p-value underflows
    /// (ranking by `−ln p` as in Evert 2008).
    ///
    /// Exact computation: `ln P(X = O11)` as a ratio of three binomial probabilities, each
    /// in Loader's (2000) saddle-point form ("Fast and accurate computation of binomial
    /// probabilities"; R's `dhyper`), which avoids the cancellation between huge
    /// log-factorials that costs ~1e-8 relative precision at `N ≈ 1e7`; then the tail is
    /// summed term by term with the ratio `P(k+1)/P(k) = (R1−k)(C1−k) / ((k+1)(R2−C1+k+1))`,
    /// relative to the first term so nothing overflows; summation stops once terms fall
    /// below 1e-17 of the sum. When `O11` lies below the mode the left tail is summed
    /// instead and subtracted from 1. Cost is at most linear in `min(R1, C1)`, fine for
    /// counts up to ~1e6 and usually far less.
    pub fn fisher_exact_right_ln(t: &Contingency) -> f64 {
        let h = Hyper::new(t);
        let k = t.o11;
        if k <= h.lo {
            return 0.0;
        }
        if k >= h.mode() {
            h.ln_pmf(k) + h.upper_sum_rel(k).ln()
        } else {
            // 1 − P(X ≤ k − 1); the left tail lies below the mode, so it is < 1.
            let left = (h.ln_pmf(k - 1) + h.lower_sum_rel(k - 1).ln()).exp();
            (1.0 - left).max(0.0).ln()
        }
    }

    /// Fisher's exact test, two-sided: the sum of `P(X = k)` over every `k` with
    /// `P(X = k) ≤ P(X = O11)·(1 + 1e-7)` (the convention of R's `fisher.test` and SciPy's
    /// `fisher_exact`; the tolerance absorbs rounding between equal probabilities).
    ///
    /// Fisher (1934); Agresti (2002), *Categorical Data Analysis*, §3.5. Same method as
    /// [`fisher_exact_right_ln`]: terms relative to `P(X = O11)`, walked outward from `O11`
    /// in both directions by the ratio recurrence, stopping once negligible. At most 1.
    pub fn fisher_exact_two_sided(t: &Contingency) -> f64 {
        let h = Hyper::new(t);
        let k0 = t.o11;
        let lp0 = h.ln_pmf(k0);
        let tol = (1.0 + 1e-7f64).ln();
        let mode = h.mode();
        let mut sum = 1.0; // the term for k0 itself, relative to P(k0)
        // Upward.
        let mut rel = 0.0; // ln P(k)/P(k0)
        let mut k = k0;
        while k < h.hi {
            rel += h.ln_ratio_up(k);
            k += 1;
            if rel <= tol {
                let term = rel.exp();
                sum += term;
                if k >= mode && term < 1e-17 * sum {
                    break;
                }
            }
        }
        // Downward.
        let mut rel = 0.0;
        let mut k = k0;
        while k > h.lo {
            rel -= h.ln_ratio_up(k - 1);
            k -= 1;
            if rel <= tol {
                let term = rel.exp();
                sum += term;
                if k <= mode && term < 1e-17 * sum {
                    break;
                }
            }
        }
        (lp0.exp() * sum).min(1.0)
    }

    /// The hypergeometric law of `O11` given the margins.
    struct Hyper {
        r1: u64,
        r2: u64,
        c1: u64,
        n: u64,
        lo: u64,
        hi: u64,
    }

    impl Hyper {
        fn new(t: &Contingency) -> Self {
            let r2 = t.n - t.r1;
            Self {
                r1: t.r1,
                r2,
                c1: t.c1,
                n: t.n,
                lo: t.c1.saturating_sub(r2),
                hi: t.r1.min(t.c1),
            }
        }

        /// `floor((R1+1)(C1+1)/(N+2))`, clamped to the support.
        fn mode(&self) -> u64 {
            let m = ((self.r1 as u128 + 1) * (self.c1 as u128 + 1) / (self.n as u128 + 2)) as u64;
            m.clamp(self.lo, self.hi)
        }

        /// `ln P(X = k)` as a ratio of binomial probabilities (R's `dhyper`), which keeps
        /// full relative precision even when `ln C(N, C1)` is huge.
        fn ln_pmf(&self, k: u64) -> f64 {
            let p = self.c1 as f64 / self.n as f64;
            let q = (self.n - self.c1) as f64 / self.n as f64;
            ln_dbinom(k, self.r1, p, q) + ln_dbinom(self.c1 - k, self.r2, p, q)
                - ln_dbinom(self.c1, self.n, p, q)
        }

        /// `ln(P(k+1)/P(k))`, for `lo ≤ k < hi`.
        fn ln_ratio_up(&self, k: u64) -> f64 {
            let num = (self.r1 - k) as f64 * (self.c1 - k) as f64;
            let den = (k + 1) as f64 * (self.r2 + k + 1 - self.c1) as f64;
            (num / den).ln()
        }

        /// `Σ_{j ≥ k} P(j) / P(k)`, for `k` at or above the mode (terms decrease).
        fn upper_sum_rel(&self, k: u64) -> f64 {
            let (mut sum, mut term, mut j) = (1.0, 1.0, k);
            while j < self.hi {
                term *= self.ln_ratio_up(j).exp();
                j += 1;
                sum += term;
                if term < 1e-17 * sum {
                    break;
                }
            }
            sum
        }

        /// `Σ_{j ≤ k} P(j) / P(k)`, for `k` below the mode (terms decrease downward).
        fn lower_sum_rel(&self, k: u64) -> f64 {
            let (mut sum, mut term, mut j) = (1.0, 1.0, k);
            while j > self.lo {
                term *= (-self.ln_ratio_up(j - 1)).exp();
                j -= 1;
                sum += term;
                if term < 1e-17 * sum {
                    break;
                }
            }
            sum
        }
    }

    /// `ln` of the binomial probability `C(n, x)·p^x·q^(n−x)`, computed without
    /// cancellation by Loader's saddle-point form (R's `dbinom_raw`):
    /// `stirlerr(n) − stirlerr(x) − stirlerr(n−x) − bd0(x, np) − bd0(n−x, nq)
    ///  − ½·ln(2πx(1 − x/n))`.
    fn ln_dbinom(x: u64, n: u64, p: f64, q: f64) -> f64 {
        if p == 0.0 {
            return if x == 0 { 0.0 } else { f64::NEG_INFINITY };
        }
        if q == 0.0 {
            return if x == n { 0.0 } else { f64::NEG_INFINITY };
        }
        let nf = n as f64;
        if x == 0 {
            if n == 0 {
                return 0.0;
            }
            return if p < 0.1 {
                -bd0(nf, nf * q) - nf * p
            } else {
                nf * q.ln()
            };
        }
        if x == n {
            return if q < 0.1 {
                -bd0(nf, nf * p) - nf * q
            } else {
                nf * p.ln()
            };
        }
        let xf = x as f64;
        let lc =
            stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(xf, nf * p) - bd0(nf - xf, nf * q);
        let lf = (2.0 * std::f64::consts::PI).ln() + xf.ln() + (-xf / nf).ln_1p();
        lc - 0.5 * lf
    }

    /// The deviance term `x·ln(x/np) + np − x`, accurate when `x ≈ np` (Loader 2000).
    fn bd0(x: f64, np: f64) -> f64 {
        if (x - np).abs() < 0.1 * (x + np) {
            let mut v = (x - np) / (x + np);
            let mut s = (x - np) * v;
            let mut ej = 2.0 * x * v;
            v *= v;
            for j in 1..1000 {
                ej *= v;
                let s1 = s + ej / (2 * j + 1) as f64;
                if s1 == s {
                    return s1;
                }
                s = s1;
            }
            return s;
        }
        x * (x / np).ln() + np - x
    }

    /// `stirlerr(n) = ln n! − (n + ½)·ln n + n − ½·ln(2π)`: exact below 16, else the
    /// Stirling series (Loader 2000; Abramowitz & Stegun 6.1.41).
    fn stirlerr(n: u64) -> f64 {
        let x = n as f64;
        if n < 16 {
            let lf: f64 = (2..=n).map(|i| (i as f64).ln()).sum();
            return lf - (x + 0.5) * x.ln() + x - 0.5 * (2.0 * std::f64::consts::PI).ln();
        }
        const S0: f64 = 1.0 / 12.0;
        const S1: f64 = 1.0 / 360.0;
        const S2: f64 = 1.0 / 1260.0;
        const S3: f64 = 1.0 / 1680.0;
        const S4: f64 = 1.0 / 1188.0;
        let nn = x * x;
        if n > 500 {
            (S0 - S1 / nn) / x
        } else if n > 80 {
            (S0 - (S1 - S2 / nn) / nn) / x
        } else if n > 35 {
            (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / x
        } else {
            (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / x
        }
    }
}

/// Frequencies of one word in a target and a reference corpus, in the notation of the UCREL
/// log-likelihood wizard (Rayson & Garside 2000): `a` of `c` tokens in the target,
/// `b` of `d` tokens in the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Keyness {
    /// `a`: frequency of the word in the target corpus.
    pub target_freq: u64,
    /// `c`: tokens in the target corpus.
    pub target_size: u64,
    /// `b`: frequency of the word in the reference corpus.
    pub ref_freq: u64,
    /// `d`: tokens in the reference corpus.
    pub ref_size: u64,
}

impl Keyness {
    /// `(a, c, b, d)`: target frequency and size, then reference frequency and size.
    pub fn new(target_freq: u64, target_size: u64, ref_freq: u64, ref_size: u64) -> Self {
        Self {
            target_freq,
            target_size,
            ref_freq,
            ref_size,
        }
    }

    fn abcd(&self) -> (f64, f64, f64, f64) {
        (
            self.target_freq as f64,
            self.ref_freq as f64,
            self.target_size as f64,
            self.ref_size as f64,
        )
    }

    /// `E1 = c·(a+b)/(c+d)` and `E2 = d·(a+b)/(c+d)` (Rayson & Garside 2000).
    pub fn expected(&self) -> (f64, f64) {
        let (a, b, c, d) = self.abcd();
        let n = c + d;
        if n == 0.0 {
            return (0.0, 0.0);
        }
        (c * (a + b) / n, d * (a + b) / n)
    }
}

/// Keyness measures on a [`Keyness`] record (target vs. reference corpus).
pub mod keyness {
    use super::{Keyness, assoc::haldane_odds_ratio, x_ln_x_over_e};

    /// Frequency replacing a zero in [`log_ratio`] and [`relative_risk`] (Hardie 2014).
    pub const ZERO_FREQ: f64 = 0.5;

    /// Signed log-likelihood, `±G²` with `G² = 2·(a·ln(a/E1) + b·ln(b/E2))`,
    /// `E1 = c(a+b)/(c+d)`, `E2 = d(a+b)/(c+d)`, `0·ln 0 = 0`.
    ///
    /// Rayson & Garside (2000), "Comparing corpora using frequency profiling", and the UCREL
    /// log-likelihood wizard (<https://ucrel.lancs.ac.uk/llwizard.html>): the two-term form
    /// the wizard uses, not the four-cell form of [`crate::measures::assoc::log_likelihood`].
    /// The sign is `+` when the word is relatively more frequent in the target
    /// (`a/c > b/d`, overuse) and `−` otherwise. 0 when either corpus is empty.
    pub fn log_likelihood(k: &Keyness) -> f64 {
        let (a, b, c, d) = k.abcd();
        if c == 0.0 || d == 0.0 {
            return 0.0;
        }
        let (e1, e2) = k.expected();
        let g2 = (2.0 * (x_ln_x_over_e(a, e1) + x_ln_x_over_e(b, e2))).max(0.0);
        if a / c >= b / d { g2 } else { -g2 }
    }

    /// Pearson's χ² (unsigned, no continuity correction) of the full 2×2 table
    /// `a, b / c−a, d−b`: `N·(a(d−b) − b(c−a))² / ((a+b)(N−a−b)·c·d)`, `N = c + d`.
    ///
    /// Rayson, Berridge & Francis (2004), "Extending the Cochran rule for the comparison of
    /// word frequencies between corpora". 0 when a margin is 0.
    pub fn chi2(k: &Keyness) -> f64 {
        let (a, b, c, d) = k.abcd();
        let n = c + d;
        let den = (a + b) * (n - a - b) * c * d;
        if den == 0.0 {
            return 0.0;
        }
        let diff = a * (d - b) - b * (c - a);
        n * diff * diff / den
    }

    /// Log ratio, `log2((a/c) / (b/d))`: each doubling of relative frequency adds 1.
    ///
    /// Hardie (2014), "Log Ratio – an informal introduction", CASS blog. A zero frequency
    /// is replaced by [`ZERO_FREQ`] = 0.5 (Hardie's suggestion), so the result is finite;
    /// NaN only when a corpus size is 0.
    pub fn log_ratio(k: &Keyness) -> f64 {
        relative_risk(k).log2()
    }

    /// Relative risk (ratio of relative frequencies), `(a/c) / (b/d)`, with zero
    /// frequencies replaced by [`ZERO_FREQ`] as in [`log_ratio`] (so
    /// `log_ratio = log2(relative_risk)`).
    ///
    /// Gabrielatos (2018), "Keyness analysis: nature, metrics and techniques", in Taylor &
    /// Marchi (eds.), *Corpus Approaches to Discourse*.
    pub fn relative_risk(k: &Keyness) -> f64 {
        let (a, b, c, d) = k.abcd();
        let a = if a == 0.0 { ZERO_FREQ } else { a };
        let b = if b == 0.0 { ZERO_FREQ } else { b };
        (a / c) / (b / d)
    }

    /// %DIFF, `100·(fpm_target − fpm_ref) / fpm_ref` with `fpm = 1e6·freq/size`.
    ///
    /// Gabrielatos & Marchi (2012), "Keyness: appropriate metrics and practical issues",
    /// CADS International Conference, Bologna. A zero reference frequency is replaced by
    /// 1e-18 (their suggestion), giving a very large finite value; 0 when both
    /// frequencies are 0; NaN when a corpus size is 0.
    pub fn percent_diff(k: &Keyness) -> f64 {
        let (a, b, c, d) = k.abcd();
        if a == 0.0 && b == 0.0 {
            return 0.0;
        }
        let ft = 1e6 * a / c;
        let fr = if b == 0.0 { 1e-18 } else { 1e6 * b / d };
        100.0 * (ft - fr) / fr
    }

    /// Odds ratio of the table `a, b / c−a, d−b`: `(a·(d−b)) / (b·(c−a))`, with Haldane's
    /// 0.5 added to all four cells when any is 0 (as in
    /// [`crate::measures::assoc::odds_ratio`]).
    ///
    /// Pojanapunya & Watson Todd (2018), "Log-likelihood and odds ratio: Keyness statistics
    /// for different purposes of keyword analysis", *CLLT* 14(1).
    pub fn odds_ratio(k: &Keyness) -> f64 {
        let (a, b, c, d) = k.abcd();
        haldane_odds_ratio(a, b, c - a, d - b)
    }

    /// Bayesian information criterion approximation, `BIC = G² − df·ln N` with `df = 1`,
    /// `N = c + d`, and `G²` the unsigned [`log_likelihood`].
    ///
    /// Wilson (2013), "Embracing Bayes factors for key item analysis in corpus
    /// linguistics", in *New Approaches to the Study of Linguistic Variability*; as in the
    /// UCREL wizard. Above 2 is positive evidence, above 10 very strong. NaN for `N = 0`
    /// reads as `−∞`.
    pub fn bic(k: &Keyness) -> f64 {
        let (_, _, c, d) = k.abcd();
        log_likelihood(k).abs() - (c + d).ln()
    }

    /// Effect size for log-likelihood, `ELL = G² / (N·ln(min(E1, E2)))`, `N = c + d`,
    /// `G²` the unsigned [`log_likelihood`], `E1, E2` the expected frequencies of the word.
    ///
    /// Johnston, Berry & Mielke (2006), "Measures of effect size for chi-squared and
    /// likelihood-ratio goodness-of-fit tests", *Perceptual and Motor Skills* 103; the exact
    /// form is the one given by the UCREL log-likelihood wizard. Returned as computed:
    /// infinite when `min(E1, E2) = 1` and negative when it is below 1 (the measure is
    /// meant for expected frequencies above 1); 0 when `G² = 0`.
    pub fn ell(k: &Keyness) -> f64 {
        let g2 = log_likelihood(k).abs();
        if g2 == 0.0 {
            return 0.0;
        }
        let (_, _, c, d) = k.abcd();
        let (e1, e2) = k.expected();
        g2 / ((c + d) * e1.min(e2).ln())
    }

    /// Simple maths, `(fpm_target + k) / (fpm_ref + k)` with `fpm = 1e6·freq/size`.
    ///
    /// Kilgarriff (2009), "Simple maths for keywords", Corpus Linguistics 2009. `k`
    /// (usually 1; larger favours common words) is [`SIMPLE_MATHS_K`] in
    /// [`simple_maths_default`].
    pub fn simple_maths(kn: &Keyness, k: f64) -> f64 {
        let (a, b, c, d) = kn.abcd();
        let ft = if c == 0.0 { 0.0 } else { 1e6 * a / c };
        let fr = if d == 0.0 { 0.0 } else { 1e6 * b / d };
        (ft + k) / (fr + k)
    }

    /// Kilgarriff's default smoothing constant for [`simple_maths`].
    pub const SIMPLE_MATHS_K: f64 = 1.0;

    /// [`simple_maths`] with `k` = [`SIMPLE_MATHS_K`] = 1.
    pub fn simple_maths_default(kn: &Keyness) -> f64 {
        simple_maths(kn, SIMPLE_MATHS_K)
    }

    /// Two-sided 95% standard-normal quantile, the default of [`lrc`].
    pub const Z_95: f64 = 1.959_963_984_540_054;

    /// Conservative log ratio (LRC): the end of a confidence interval for [`log_ratio`]
    /// nearest to 0, or 0 when the interval contains 0.
    ///
    /// Hardie (2014) and CQPweb rank keywords by the bound of the log ratio's confidence
    /// interval. kalima uses the large-sample interval of the log relative risk (Katz et al.
    /// 1978, "Obtaining confidence intervals for the risk ratio in cohort studies",
    /// *Biometrics* 34): `ln RR ± z·√(1/a − 1/c + 1/b − 1/d)`, divided by `ln 2`, with zero
    /// frequencies replaced by [`ZERO_FREQ`] as in [`log_ratio`]. CQPweb uses an exact
    /// (Clopper–Pearson) interval instead, so values differ slightly for small counts.
    /// `z` is the normal quantile ([`Z_95`] for 95%; a Bonferroni-corrected one for many
    /// comparisons). NaN when a corpus size is 0.
    pub fn lrc(k: &Keyness, z: f64) -> f64 {
        let (a, b, c, d) = k.abcd();
        let a = if a == 0.0 { ZERO_FREQ } else { a };
        let b = if b == 0.0 { ZERO_FREQ } else { b };
        let lr = log_ratio(k);
        let se = ((1.0 / a - 1.0 / c + 1.0 / b - 1.0 / d).max(0.0)).sqrt() / std::f64::consts::LN_2;
        let (lo, hi) = (lr - z * se, lr + z * se);
        if lo > 0.0 {
            lo
        } else if hi < 0.0 {
            hi
        } else {
            0.0
        }
    }

    /// Weighted log-odds ratio with an informative Dirichlet prior, and its z-score.
    ///
    /// Monroe, Colaresi & Quinn (2008), "Fightin' words", *Political Analysis* 16(4),
    /// eqs. 16, 19, 20: with prior count `α_w` for the word and `α₀` in all,
    /// `δ = ln((a+α_w)/(c+α₀−a−α_w)) − ln((b+α_w)/(d+α₀−b−α_w))`,
    /// `σ² ≈ 1/(a+α_w) + 1/(b+α_w)`, and the result is `(δ, δ/σ)`. With the pooled corpus
    /// as prior (`α_w = a+b`, `α₀ = c+d`, see [`log_odds_pooled`]) this is the default of
    /// the tidylo R package. `(NaN, NaN)` when `α_w ≤ 0` and a frequency is 0.
    pub fn log_odds(k: &Keyness, alpha_w: f64, alpha_0: f64) -> (f64, f64) {
        let (a, b, c, d) = k.abcd();
        let delta = ((a + alpha_w) / (c + alpha_0 - a - alpha_w)).ln()
            - ((b + alpha_w) / (d + alpha_0 - b - alpha_w)).ln();
        let var = 1.0 / (a + alpha_w) + 1.0 / (b + alpha_w);
        (delta, delta / var.sqrt())
    }

    /// [`log_odds`] with the pooled counts as the informative prior: `α_w = a + b`,
    /// `α₀ = c + d`.
    pub fn log_odds_pooled(k: &Keyness) -> (f64, f64) {
        let (a, b, c, d) = k.abcd();
        log_odds(k, a + b, c + d)
    }

    /// p-value of the [`log_likelihood`] statistic (χ², one degree of freedom).
    pub fn ll_p_value(k: &Keyness) -> f64 {
        super::chi2_sf_df1(log_likelihood(k).abs())
    }
}

/// Complementary error function, `erfc(x) = 1 − erf(x) = (2/√π) ∫ₓ^∞ e^(−t²) dt`.
///
/// For `|x| < 2`: the Maclaurin series of erf (Abramowitz & Stegun 7.1.5), whose absolute
/// error is ~1e-16 there. For `x ≥ 2`: the continued fraction (A&S 7.1.14)
/// `erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))`, evaluated
/// bottom-up from depth 120, relative error ~1e-15. `erfc(−x) = 2 − erfc(x)`.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 2.0 {
        // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
        let x2 = x * x;
        let (mut sum, mut power) = (0.0, x); // power = (−1)^n x^(2n+1)/n!
        for n in 0..80 {
            let term = power / (2 * n + 1) as f64;
            sum += term;
            if term.abs() < 1e-17 * sum.abs() {
                break;
            }
            power *= -x2 / (n + 1) as f64;
        }
        return 1.0 - sum * std::f64::consts::FRAC_2_SQRT_PI;
    }
    if x > 27.3 {
        return 0.0; // below the smallest subnormal
    }
    let mut f = x;
    for i in (1..=120).rev() {
        f = x + (i as f64 / 2.0) / f;
    }
    (-x * x).exp() / (f * std::f64::consts::PI.sqrt())
}

/// Survival function of χ² with one degree of freedom, `P(χ²₁ ≥ x) = erfc(√(x/2))`:
/// the p-value of a 2×2 χ² or G² statistic (Abramowitz & Stegun 26.4.4). 1 for `x ≤ 0`.
pub fn chi2_sf_df1(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    erfc((x / 2.0).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) {
        let err = (got - want).abs() / want.abs().max(1e-300);
        assert!(
            err <= rel,
            "got {got}, want {want} (rel err {err:e} > {rel:e})"
        );
    }

    // Manning & Schütze (1999), Foundations of Statistical NLP, §5.3.1 and Table 5.8:
    // C(new) = 15828, C(companies) = 4675, C(new companies) = 8, N = 14307668.
    fn new_companies() -> Contingency {
        Contingency::new(8, 15_828, 4_675, 14_307_668).unwrap()
    }

    #[test]
    fn contingency_cells_and_expectations() {
        let t = new_companies();
        assert_eq!(t.cells(), [8, 15_820, 4_667, 14_287_173]);
        assert_eq!((t.r2(), t.c2()), (14_291_840.0, 14_302_993.0));
        let e = [t.e11(), t.e12(), t.e21(), t.e22()];
        let sum: f64 = e.iter().sum();
        close(sum, t.n(), 1e-15);
        close(t.e11(), 15_828.0 * 4_675.0 / 14_307_668.0, 1e-15);
        assert_eq!(
            Contingency::from_cells(8, 15_820, 4_667, 14_287_173),
            Some(t)
        );
        assert!(Contingency::new(9, 8, 10, 100).is_none());
        assert!(Contingency::new(1, 60, 60, 100).is_none());
        assert!(Contingency::new(0, 0, 0, 0).is_some());
    }

    #[test]
    fn manning_schutze_t_score() {
        // M&S §5.3.1 report t ≈ 0.999932 for "new companies".
        close(assoc::t_score(&new_companies()), 0.999932, 1e-6);
    }

    #[test]
    fn manning_schutze_chi2() {
        // M&S §5.3.3 report χ² ≈ 1.55 for "new companies"; SciPy-free reference from the
        // formula in Python: 1.5488692067282201.
        let c = assoc::chi2(&new_companies());
        assert!((c - 1.55).abs() < 0.005);
        close(c, 1.548_869_206_728_220_1, 1e-12);
    }

    #[test]
    fn manning_schutze_pmi() {
        // M&S §5.4: I(Ayatollah, Ruhollah) ≈ 18.38 with C(Ayatollah) = 42,
        // C(Ruhollah) = 20, C(Ayatollah Ruhollah) = 20, N = 14307668.
        let t = Contingency::new(20, 42, 20, 14_307_668).unwrap();
        assert!((assoc::pmi(&t) - 18.38).abs() < 0.005);
        close(assoc::pmi(&t), (14_307_668.0f64 / 42.0).log2(), 1e-14);
    }

    /// A naive, independent implementation from the cells (reference for the others).
    fn naive(o: [f64; 4]) -> (f64, f64, f64, [f64; 4]) {
        let [a, b, c, d] = o;
        let n = a + b + c + d;
        let (r1, r2, c1, c2) = (a + b, c + d, a + c, b + d);
        let e = [r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n];
        let mut g2 = 0.0;
        let mut x2 = 0.0;
        for i in 0..4 {
            if o[i] > 0.0 {
                g2 += 2.0 * o[i] * (o[i] / e[i]).ln();
            }
            x2 += (o[i] - e[i]).powi(2) / e[i];
        }
        (g2, x2, n, e)
    }

    #[test]
    fn association_measures_against_naive_formulas() {
        // Hand-chosen table: O11 = 30, O12 = 70, O21 = 120, O22 = 9780 (N = 10000).
        let t = Contingency::from_cells(30, 70, 120, 9_780).unwrap();
        let (g2, x2, n, e) = naive([30.0, 70.0, 120.0, 9_780.0]);
        assert_eq!(n, 10_000.0);
        close(e[0], 1.5, 1e-15);
        close(assoc::log_likelihood(&t), g2, 1e-12);
        close(assoc::chi2(&t), x2, 1e-12);
        // SciPy 1.x chi2_contingency(lambda_="log-likelihood", correction=False) and
        // chi2_contingency(correction=True) on the same table.
        close(assoc::log_likelihood(&t), 137.866_195_694_110_9, 1e-12);
        close(assoc::chi2_yates(&t), 535.985_916_696_576_5, 1e-12);
        // By hand: E11 = 100·150/10000 = 1.5.
        close(assoc::pmi(&t), (30.0f64 / 1.5).log2(), 1e-15);
        close(assoc::npmi(&t), 20f64.log2() / -(0.003f64).log2(), 1e-14);
        close(assoc::mi2(&t), (900.0f64 / 1.5).log2(), 1e-14);
        close(assoc::mi3(&t), (27_000.0f64 / 1.5).log2(), 1e-14);
        close(assoc::t_score(&t), 28.5 / 30f64.sqrt(), 1e-15);
        close(assoc::z_score(&t), 28.5 / 1.5f64.sqrt(), 1e-15);
        close(assoc::dice(&t), 60.0 / 250.0, 1e-15);
        close(assoc::log_dice(&t), 14.0 + 0.24f64.log2(), 1e-15);
        close(assoc::jaccard(&t), 30.0 / 220.0, 1e-15);
        close(assoc::min_sensitivity(&t), 0.2, 1e-15);
        close(assoc::delta_p_2_given_1(&t), 0.3 - 120.0 / 9_900.0, 1e-15);
        close(assoc::delta_p_1_given_2(&t), 0.2 - 70.0 / 9_850.0, 1e-15);
        close(
            assoc::poisson_stirling(&t),
            30.0 * ((20f64).ln() - 1.0),
            1e-14,
        );
        close(
            assoc::odds_ratio(&t),
            30.0 * 9_780.0 / (70.0 * 120.0),
            1e-15,
        );
        // Yates: N(|ad − bc| − N/2)² / (R1 R2 C1 C2).
        let yates = 1e4 * (30.0f64 * 9_780.0 - 70.0 * 120.0 - 5e3).powi(2)
            / (100.0 * 9_900.0 * 150.0 * 9_850.0);
        close(assoc::chi2_yates(&t), yates, 1e-12);
    }

    #[test]
    fn zero_cells_and_conventions() {
        // O11 = 0: 0·ln 0 = 0 in G², npmi = −1, Haldane in the odds ratio.
        let t = Contingency::from_cells(0, 10, 20, 970).unwrap();
        let (g2, _, _, _) = naive([0.0, 10.0, 20.0, 970.0]);
        close(assoc::log_likelihood(&t), g2, 1e-12);
        assert_eq!(assoc::npmi(&t), -1.0);
        assert_eq!(assoc::pmi(&t), f64::NEG_INFINITY);
        assert_eq!(assoc::poisson_stirling(&t), 0.0);
        close(assoc::odds_ratio(&t), 0.5 * 970.5 / (10.5 * 20.5), 1e-15);
        // Perfect association: npmi = 1.
        let all = Contingency::from_cells(5, 0, 0, 0).unwrap();
        assert_eq!(assoc::npmi(&all), 1.0);
        assert_eq!(assoc::chi2(&all), 0.0);
        let exclusive = Contingency::from_cells(5, 0, 0, 5).unwrap();
        assert_eq!(assoc::npmi(&exclusive), 1.0);
        // Independence: G² = χ² = 0, Yates clamps to 0.
        let ind = Contingency::from_cells(10, 90, 90, 810).unwrap();
        assert_eq!(assoc::log_likelihood(&ind), 0.0);
        assert_eq!(assoc::chi2(&ind), 0.0);
        assert_eq!(assoc::chi2_yates(&ind), 0.0);
        close(assoc::odds_ratio(&ind), 1.0, 1e-15);
    }

    #[test]
    fn fisher_lady_tasting_tea() {
        // Fisher (1935), The Design of Experiments: table 3 1 / 1 3.
        // One-sided p = 17/70 = 0.242857…, two-sided 34/70 = 0.485714… (SciPy agrees).
        let t = Contingency::from_cells(3, 1, 1, 3).unwrap();
        close(assoc::fisher_exact_right(&t), 17.0 / 70.0, 1e-12);
        close(assoc::fisher_exact_two_sided(&t), 34.0 / 70.0, 1e-12);
        // All four correct: 1/70 one-sided, 2/70 two-sided.
        let t = Contingency::from_cells(4, 0, 0, 4).unwrap();
        close(assoc::fisher_exact_right(&t), 1.0 / 70.0, 1e-12);
        close(assoc::fisher_exact_two_sided(&t), 2.0 / 70.0, 1e-12);
        // Below the mode: P(X ≥ 1) = 1 − P(X = 0) = 69/70.
        let t = Contingency::from_cells(1, 3, 3, 1).unwrap();
        close(assoc::fisher_exact_right(&t), 69.0 / 70.0, 1e-12);
        let t = Contingency::from_cells(0, 4, 4, 0).unwrap();
        assert_eq!(assoc::fisher_exact_right(&t), 1.0);
    }

    /// Exact hypergeometric probabilities by direct summation of binomials in f64.
    fn naive_fisher(a: u64, b: u64, c: u64, d: u64) -> (f64, f64) {
        fn choose(n: u64, k: u64) -> f64 {
            (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
        }
        let (r1, r2, c1) = (a + b, c + d, a + c);
        let lo = c1.saturating_sub(r2);
        let hi = r1.min(c1);
        let p = |k: u64| choose(r1, k) * choose(r2, c1 - k) / choose(r1 + r2, c1);
        let right: f64 = (a..=hi).map(p).sum();
        let p0 = p(a);
        let two: f64 = (lo..=hi).map(p).filter(|&x| x <= p0 * (1.0 + 1e-7)).sum();
        (right, two.min(1.0))
    }

    #[test]
    fn fisher_against_naive_summation() {
        for &(a, b, c, d) in &[
            (8, 2, 1, 5),
            (2, 8, 5, 1),
            (10, 20, 30, 40),
            (0, 12, 7, 30),
            (12, 0, 0, 9),
            (25, 40, 17, 120),
            (5, 95, 40, 860),
        ] {
            let t = Contingency::from_cells(a, b, c, d).unwrap();
            let (right, two) = naive_fisher(a, b, c, d);
            close(assoc::fisher_exact_right(&t), right, 1e-10);
            close(assoc::fisher_exact_two_sided(&t), two, 1e-10);
        }
    }

    #[test]
    fn fisher_large_counts() {
        // Exact references from Python's big integers: Σ C(R1,k)·C(R2,C1−k) / C(N,C1) with
        // `math.comb` and `fractions.Fraction`, rounded once to f64 at the end. (SciPy
        // 1.x's `fisher_exact` is off by ~2e-9 relative on the first table.)
        let t = new_companies();
        close(assoc::fisher_exact_right(&t), FISHER_NC_RIGHT, 1e-11);
        close(assoc::fisher_exact_two_sided(&t), FISHER_NC_TWO, 1e-11);
        // A strongly attracted pair: p underflows nothing in log space.
        let t = Contingency::new(20, 42, 20, 14_307_668).unwrap();
        let ln_p = assoc::fisher_exact_right_ln(&t);
        // P(X = 20) = C(42, 20) / C(N, 20) (the tail beyond is empty: hi = 20), summed
        // naively as Σ ln((42 − i)/(N − i)) over the 20 factors.
        let n = 14_307_668.0f64;
        let want: f64 = (0..20)
            .map(|i| ((42.0 - i as f64) / (n - i as f64)).ln())
            .sum();
        close(ln_p, want, 1e-12);
    }

    const FISHER_NC_RIGHT: f64 = 0.151_770_709_509_792_18;
    const FISHER_NC_TWO: f64 = 0.186_704_971_260_209_16;

    #[test]
    fn fisher_large_tables_exact() {
        // (a, b, c, d, right, two-sided): exact big-integer references as above.
        for &(a, b, c, d, right, two) in &[
            (
                100,
                900,
                2_000,
                997_000,
                1.636_347_880_706_107_4e-130,
                1.636_347_880_706_107_4e-130,
            ),
            (
                3,
                9_997,
                500,
                989_500,
                0.879_170_809_177_703,
                0.500_814_830_494_030_3,
            ),
            (
                40,
                60,
                50,
                850,
                5.880_490_094_517_529e-20,
                5.880_490_094_517_529e-20,
            ),
        ] {
            let t = Contingency::from_cells(a, b, c, d).unwrap();
            close(assoc::fisher_exact_right(&t), right, 1e-11);
            close(assoc::fisher_exact_two_sided(&t), two, 1e-11);
        }
    }

    #[test]
    fn fisher_corpus_scale() {
        // N = 1e9, R1 = C1 = 1e6 (E11 = 1000). References from mpmath at 40 digits
        // (log-gamma pmf summed over k = 400..1700, beyond which terms are < 1e-80).
        // SciPy 1.x's hypergeom.sf / fisher_exact differ from these by up to ~2e-7.
        let (n, r) = (1_000_000_000u64, 1_000_000u64);
        for &(k, right, two) in &[
            (1_000, 0.504_217_862_998_537_1, 1.0),
            (
                1_100,
                0.000_952_326_446_465_742_4,
                0.001_816_986_133_433_875,
            ),
            (700, 1.0, 1.278_755_139_903_736_5e-23),
        ] {
            let t = Contingency::new(k, r, r, n).unwrap();
            close(assoc::fisher_exact_right(&t), right, 1e-11);
            close(assoc::fisher_exact_two_sided(&t), two, 1e-11);
        }
    }

    #[test]
    fn erfc_reference_values() {
        // SciPy special.erfc.
        for &(x, want) in &[
            (0.0, 1.0),
            (0.1, 0.887_537_083_981_715_2),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_16),
            (1.5, 0.033_894_853_524_689_27),
            (2.0, 0.004_677_734_981_047_266),
            (2.5, 0.000_406_952_017_444_958_86),
            (3.0, 2.209_049_699_858_544_5e-5),
            (4.0, 1.541_725_790_028_002e-8),
            (5.0, 1.537_459_794_428_034_7e-12),
            (6.0, 2.151_973_671_249_891_3e-17),
            (10.0, 2.088_487_583_762_544_6e-45),
            (20.0, 5.395_865_611_607_901e-176),
            (-1.0, 1.842_700_792_949_714_8),
        ] {
            close(erfc(x), want, 1e-13);
        }
        assert_eq!(erfc(30.0), 0.0);
        assert!(erfc(f64::NAN).is_nan());
    }

    #[test]
    fn chi2_df1_critical_values() {
        // Textbook critical values of χ²₁: 3.84 → 0.05, 6.63 → 0.01, 10.83 → 0.001.
        assert!((chi2_sf_df1(3.84) - 0.05).abs() < 2e-4);
        assert!((chi2_sf_df1(6.63) - 0.01).abs() < 1e-4);
        assert!((chi2_sf_df1(10.83) - 0.001).abs() < 1e-5);
        // Exact quantiles (SciPy chi2.ppf) give the levels to ~1e-14.
        close(chi2_sf_df1(3.841_458_820_694_124), 0.05, 1e-12);
        close(chi2_sf_df1(6.634_896_601_021_214), 0.01, 1e-12);
        close(chi2_sf_df1(10.827_566_170_662_733), 0.001, 1e-12);
        close(chi2_sf_df1(1.0), 0.317_310_507_862_911_15, 1e-13);
        close(chi2_sf_df1(100.0), 1.523_970_604_832_099_5e-23, 1e-12);
        assert_eq!(chi2_sf_df1(0.0), 1.0);
    }

    // Keyness example worked by hand: a word 150 times in a 1,000,000-token target,
    // 50 times in a 2,000,000-token reference.
    fn key() -> Keyness {
        Keyness::new(150, 1_000_000, 50, 2_000_000)
    }

    #[test]
    fn keyness_log_likelihood_by_hand() {
        // E1 = 1e6·200/3e6 = 66.667, E2 = 133.333;
        // G² = 2(150 ln(150/66.667) + 50 ln(50/133.333)) = 2(150 ln 2.25 + 50 ln 0.375).
        let k = key();
        let (e1, e2) = k.expected();
        close(e1, 200.0 / 3.0, 1e-15);
        close(e2, 400.0 / 3.0, 1e-15);
        let want = 2.0 * (150.0 * 2.25f64.ln() + 50.0 * 0.375f64.ln());
        close(keyness::log_likelihood(&k), want, 1e-13);
        // Under-use gets the minus sign.
        let rev = Keyness::new(50, 2_000_000, 150, 1_000_000);
        close(keyness::log_likelihood(&rev), -want, 1e-13);
        // Zero in the reference: only the a term.
        let z = Keyness::new(10, 1_000, 0, 1_000);
        close(keyness::log_likelihood(&z), 2.0 * 10.0 * 2f64.ln(), 1e-14);
    }

    #[test]
    fn keyness_effect_sizes_by_hand() {
        let k = key();
        // fpm: 150 vs 25; relative risk 6, log ratio log2 6, %DIFF 500.
        close(keyness::relative_risk(&k), 6.0, 1e-15);
        close(keyness::log_ratio(&k), 6f64.log2(), 1e-15);
        close(keyness::percent_diff(&k), 500.0, 1e-13);
        close(keyness::simple_maths_default(&k), 151.0 / 26.0, 1e-15);
        close(keyness::simple_maths(&k, 100.0), 250.0 / 125.0, 1e-15);
        close(
            keyness::odds_ratio(&k),
            (150.0 * 1_999_950.0) / (50.0 * 999_850.0),
            1e-15,
        );
        let g2 = keyness::log_likelihood(&k);
        close(keyness::bic(&k), g2 - 3e6f64.ln(), 1e-14);
        close(keyness::ell(&k), g2 / (3e6 * (200.0f64 / 3.0).ln()), 1e-14);
        // χ² of the 2×2 table against the naive four-cell sum.
        let (_, x2, _, _) = naive([150.0, 50.0, 999_850.0, 1_999_950.0]);
        close(keyness::chi2(&k), x2, 1e-10);
    }

    // Independent computation (Python, by hand from the cited formulas):
    //   a,c,b,d = 150,100000,50,200000; import math
    //   lr = math.log2((150/100000)/(50/200000))                     # 2.584962500721156
    //   se = math.sqrt(1/150-1/100000+1/50-1/200000)/math.log(2)
    //   lr - 1.959963984540054*se                                     # 2.1233422883889665
    #[test]
    fn lrc_katz_interval() {
        let k = Keyness::new(150, 100_000, 50, 200_000);
        let lr = (150.0f64 / 100_000.0 / (50.0 / 200_000.0)).log2();
        let se = (1.0f64 / 150.0 - 1.0 / 100_000.0 + 1.0 / 50.0 - 1.0 / 200_000.0).sqrt()
            / std::f64::consts::LN_2;
        close(
            keyness::lrc(&k, keyness::Z_95),
            lr - 1.959963984540054 * se,
            1e-12,
        );
        close(keyness::lrc(&k, keyness::Z_95), 2.1233422883889665, 1e-12);
        // Under-use: the upper bound, negative.
        let u = Keyness::new(50, 200_000, 150, 100_000);
        close(keyness::lrc(&u, keyness::Z_95), -2.1233422883889665, 1e-12);
        // Interval containing 0 → 0.
        assert_eq!(
            keyness::lrc(&Keyness::new(3, 1000, 2, 1000), keyness::Z_95),
            0.0
        );
    }

    // Monroe, Colaresi & Quinn (2008) eqs. 16/19/20, computed independently in Python:
    //   a,c,b,d = 30,10000,10,20000; aw=a+b; a0=c+d
    //   delta = math.log((a+aw)/(c+a0-a-aw)) - math.log((b+aw)/(d+a0-b-aw))
    //   -> 0.9203842...; z = delta/math.sqrt(1/(a+aw)+1/(b+aw)) -> 4.8586...
    #[test]
    fn weighted_log_odds_monroe() {
        let k = Keyness::new(30, 10_000, 10, 20_000);
        let (d, z) = keyness::log_odds_pooled(&k);
        let want = (70.0f64 / (40_000.0 - 70.0)).ln() - (50.0f64 / (50_000.0 - 50.0)).ln();
        close(d, want, 1e-12);
        close(z, want / (1.0f64 / 70.0 + 1.0 / 50.0).sqrt(), 1e-12);
        close(d, 0.5603668206, 1e-9);
        close(z, 3.0263267171, 1e-9);
        // Uninformative (α = 0) reduces to the plain log odds ratio.
        let (d0, _) = keyness::log_odds(&k, 0.0, 0.0);
        close(d0, (30.0f64 / 9_970.0 / (10.0 / 19_990.0)).ln(), 1e-12);
    }

    // p-value of G² = 3.841459 (the 5% critical value of χ²₁) is 0.05.
    #[test]
    fn ll_p_value_matches_chi2_tail() {
        let k = Keyness::new(150, 100_000, 50, 200_000);
        let g2 = keyness::log_likelihood(&k);
        close(keyness::ll_p_value(&k), chi2_sf_df1(g2), 1e-15);
        close(chi2_sf_df1(3.841458820694124), 0.05, 1e-9);
    }

    #[test]
    fn keyness_zero_frequencies() {
        // Hardie's 0.5 for zero: log2((10/1000) / (0.5/1000)) = log2 20.
        let z = Keyness::new(10, 1_000, 0, 1_000);
        close(keyness::log_ratio(&z), 20f64.log2(), 1e-15);
        let z2 = Keyness::new(0, 1_000, 10, 1_000);
        close(keyness::log_ratio(&z2), -(20f64.log2()), 1e-15);
        // %DIFF with zero reference: 1e-18 replaces fpm_ref.
        close(
            keyness::percent_diff(&z),
            100.0 * (1e4 - 1e-18) / 1e-18,
            1e-15,
        );
        close(keyness::percent_diff(&z2), -100.0, 1e-15);
        assert_eq!(keyness::percent_diff(&Keyness::new(0, 10, 0, 10)), 0.0);
        // Odds ratio with a zero cell: Haldane.
        close(
            keyness::odds_ratio(&z),
            (10.5 * 1_000.5) / (0.5 * 990.5),
            1e-15,
        );
        assert_eq!(keyness::log_likelihood(&Keyness::new(0, 0, 5, 10)), 0.0);
        assert_eq!(keyness::ell(&Keyness::new(1, 10, 2, 20)), 0.0);
    }
}
