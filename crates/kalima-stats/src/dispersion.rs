//! Dispersion of one term over the parts of a corpus: pure formulas, std only, no I/O.
//!
//! A corpus is cut into `n` parts (files, documents, chapters …). For one term:
//!
//! - `v[i]`: its frequency in part `i`, and `f = Σ v[i]` its corpus frequency;
//! - `s[i]`: the size of part `i`. Sizes may be given in tokens or as proportions of the
//!   corpus: every function divides them by their sum, so only their ratios matter. Write
//!   `p[i] = s[i] / Σ s` for the proportions; for equal parts pass `&[1.0; n]`.
//!
//! The parts-based measures ([`range`], [`juilland_d`], [`carroll_d2`], [`lyne_d3`],
//! [`rosengren_s`], [`gries_dp`], [`dp_norm`], or all at once with [`Dispersion::new`]) take
//! `f64` slices; [`to_f64`] turns `u64` counts or token sizes into them. The position-based
//! [`arf`] (average reduced frequency) takes the corpus positions of the occurrences instead.
//!
//! The notation and the formulas follow Gries (2008), "Dispersions and adjusted frequencies
//! in corpora", *International Journal of Corpus Linguistics* 13(4), 403–437, with the
//! correction of Lijffijt & Gries (2012), *IJCL* 17(1), 147–149, for [`dp_norm`]. The
//! direction of each measure is the conventional one of its author: for all but [`gries_dp`]
//! and [`dp_norm`], larger means more evenly spread; for DP, 0 means perfectly even.
//!
//! # Degenerate input
//!
//! No function panics. Parts of size 0 are left out of every measure (they can hold no
//! occurrence), so `n` below counts the parts of positive size. The result is `NaN` when the
//! input is invalid — `v` and `s` of different lengths, no part of positive size, a negative
//! or non-finite value, or `v[i] > 0` in a part of size 0 — and when the measure is undefined:
//! `f = 0` for every measure but [`range`] (which is then 0), and `n = 1` where the formula
//! divides by `n − 1`, `log2 n` or `1 − min p` (see each function).
//!
//! # Example
//! ```
//! use kalima_stats::dispersion::{dp_norm, gries_dp};
//!
//! // Gries (2008), §3: parts of 9, 10, 10, 10 and 11 tokens; "a" occurs 1, 2, 3, 4, 5 times.
//! let v = [1.0, 2.0, 3.0, 4.0, 5.0];
//! let s = [9.0, 10.0, 10.0, 10.0, 11.0];
//! assert!((gries_dp(&v, &s) - 0.18).abs() < 1e-12);
//! assert!((dp_norm(&v, &s) - 0.18 / 0.82).abs() < 1e-12);
//! ```

/// `u64` counts or part sizes in tokens as `f64`, for the functions of this module.
pub fn to_f64(x: &[u64]) -> Vec<f64> {
    x.iter().map(|&c| c as f64).collect()
}

/// Validated input: `(v[i], p[i])` for the parts of positive size, and `f`.
struct Parts {
    parts: Vec<(f64, f64)>,
    f: f64,
}

impl Parts {
    /// `None` on invalid input (see the module documentation).
    fn new(v: &[f64], s: &[f64]) -> Option<Self> {
        if v.len() != s.len() {
            return None;
        }
        let mut total = 0.0;
        for (&vi, &si) in v.iter().zip(s) {
            if !vi.is_finite() || !si.is_finite() || vi < 0.0 || si < 0.0 || (si == 0.0 && vi > 0.0)
            {
                return None;
            }
            total += si;
        }
        if total <= 0.0 || !total.is_finite() {
            return None;
        }
        let parts: Vec<(f64, f64)> = v
            .iter()
            .zip(s)
            .filter(|&(_, &si)| si > 0.0)
            .map(|(&vi, &si)| (vi, si / total))
            .collect();
        let f = parts.iter().map(|&(vi, _)| vi).sum();
        Some(Self { parts, f })
    }

    /// Like [`Parts::new`], but also `None` when `f = 0`.
    fn with_occurrences(v: &[f64], s: &[f64]) -> Option<Self> {
        Self::new(v, s).filter(|p| p.f > 0.0)
    }

    fn n(&self) -> f64 {
        self.parts.len() as f64
    }

    /// Relative frequencies `v[i] / p[i]` (the term's frequency per unit of corpus proportion).
    fn relative(&self) -> impl Iterator<Item = f64> + '_ {
        self.parts.iter().map(|&(vi, pi)| vi / pi)
    }
}

/// Range: the number of parts in which the term occurs (`v[i] > 0`).
///
/// The oldest dispersion measure (Keniston 1920, "Common words in Spanish", *Hispania* 3(2);
/// Gries 2008, §2.1). Needs no part sizes; negative or `NaN` entries are not counted.
pub fn range(v: &[f64]) -> usize {
    v.iter().filter(|&&x| x > 0.0).count()
}

/// Juilland's D: `1 − CV / √(n − 1)`, in `[0, 1]` for equal parts, 1 = perfectly even.
///
/// Juilland & Chang-Rodríguez (1964), *Frequency Dictionary of Spanish Words*; Gries (2008),
/// §2.2. `CV = σ / μ` is the coefficient of variation of the **relative frequencies**
/// `x[i] = v[i] / p[i]`, with the population standard deviation `σ = √(Σ (x[i] − μ)² / n)`.
/// For equal parts this is the original D on the raw `v[i]` (the ratio `σ / μ` does not
/// change when every `x[i]` is scaled by `n`); for unequal parts it is the variant of Gries
/// (2008) and of the R package `tlda` (Sönning), and can fall slightly below 0.
///
/// `NaN` when `f = 0`, when `n = 1` (division by `√0`), or on invalid input.
pub fn juilland_d(v: &[f64], s: &[f64]) -> f64 {
    let Some(p) = Parts::with_occurrences(v, s) else {
        return f64::NAN;
    };
    let n = p.n();
    if n < 2.0 {
        return f64::NAN;
    }
    let mean = p.relative().sum::<f64>() / n;
    let var = p.relative().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    1.0 - var.sqrt() / mean / (n - 1.0).sqrt()
}

/// Carroll's D₂: the entropy of the term's distribution over the parts divided by `log2 n`,
/// in `[0, 1]`, 1 = perfectly even.
///
/// Carroll (1970), "An alternative to Juilland's usage coefficient for lexical frequencies",
/// *ETS Research Bulletin* RB-70-49; Gries (2008), §2.2.
/// `D₂ = −Σ q[i] log2 q[i] / log2 n` with `q[i] = x[i] / Σ x` and `x[i] = v[i] / p[i]` the
/// relative frequencies (for equal parts, `q[i] = v[i] / f`); `0 · log2 0 = 0`.
///
/// `NaN` when `f = 0`, when `n = 1` (`log2 1 = 0`), or on invalid input.
pub fn carroll_d2(v: &[f64], s: &[f64]) -> f64 {
    let Some(p) = Parts::with_occurrences(v, s) else {
        return f64::NAN;
    };
    let n = p.n();
    if n < 2.0 {
        return f64::NAN;
    }
    let sum: f64 = p.relative().sum();
    let h: f64 = p
        .relative()
        .filter(|&x| x > 0.0)
        .map(|x| {
            let q = x / sum;
            -q * q.log2()
        })
        .sum();
    h / n.log2()
}

/// Lyne's D₃: `1 − χ² / (4f)`, 1 = perfectly even.
///
/// Lyne (1985), *The Vocabulary of French Business Correspondence*, and Lyne (1986),
/// "In praise of Juilland's D", *Méta-Linguistique* 3; Gries (2008), §2.2.
/// `χ² = Σ (v[i] − f p[i])² / (f p[i])` is Pearson's statistic of the observed against the
/// expected frequencies. For equal parts `χ² ≤ f (n − 1)`, so D₃ ≥ 0 only when `n ≤ 5`; it
/// is not bounded below for more parts.
///
/// `NaN` when `f = 0` or on invalid input; 1 when `n = 1`.
pub fn lyne_d3(v: &[f64], s: &[f64]) -> f64 {
    let Some(p) = Parts::with_occurrences(v, s) else {
        return f64::NAN;
    };
    let f = p.f;
    let chi2: f64 = p
        .parts
        .iter()
        .map(|&(vi, pi)| {
            let e = f * pi;
            (vi - e) * (vi - e) / e
        })
        .sum();
    1.0 - chi2 / (4.0 * f)
}

/// Rosengren's S: `(Σ √(p[i] v[i]))² / f`, in `[min p, 1]`, 1 = perfectly even
/// (for equal parts, `1/n` when the term occurs in a single part).
///
/// Rosengren (1971), "The quantitative concept of language and its relation to the structure
/// of frequency dictionaries", *Études de linguistique appliquée* 1; Gries (2008), §2.2.
/// The numerator `(Σ √(p[i] v[i]))²` is Rosengren's adjusted frequency `KF`.
///
/// `NaN` when `f = 0` or on invalid input; 1 when `n = 1`.
pub fn rosengren_s(v: &[f64], s: &[f64]) -> f64 {
    let Some(p) = Parts::with_occurrences(v, s) else {
        return f64::NAN;
    };
    let root: f64 = p.parts.iter().map(|&(vi, pi)| (pi * vi).sqrt()).sum();
    root * root / p.f
}

/// Gries's DP (deviation of proportions): `½ Σ |v[i] / f − p[i]|`, in `[0, 1 − min p]`,
/// **0 = perfectly even**, values near 1 = concentrated in one small part.
///
/// Gries (2008), §3: half the sum of the absolute differences between the share of the
/// term's occurrences in each part and the part's share of the corpus.
///
/// `NaN` when `f = 0` or on invalid input; 0 when `n = 1`.
pub fn gries_dp(v: &[f64], s: &[f64]) -> f64 {
    match Parts::with_occurrences(v, s) {
        Some(p) => dp(&p),
        None => f64::NAN,
    }
}

fn dp(p: &Parts) -> f64 {
    0.5 * p
        .parts
        .iter()
        .map(|&(vi, pi)| (vi / p.f - pi).abs())
        .sum::<f64>()
}

/// DP normalized to `[0, 1]`: `DP / (1 − min p)`, 0 = perfectly even.
///
/// Gries (2008) divided by `1 − 1/n`, the maximum for equal parts; the correction of
/// Lijffijt & Gries (2012), *IJCL* 17(1), 147–149, divides by `1 − min p`, the maximum DP
/// over all distributions of the term (all occurrences in the smallest part), which is
/// what this function does. The two agree for equal parts.
///
/// `NaN` when `f = 0`, when `n = 1` (`1 − min p = 0`), or on invalid input.
pub fn dp_norm(v: &[f64], s: &[f64]) -> f64 {
    let Some(p) = Parts::with_occurrences(v, s) else {
        return f64::NAN;
    };
    if p.parts.len() < 2 {
        return f64::NAN;
    }
    let min = p
        .parts
        .iter()
        .map(|&(_, pi)| pi)
        .fold(f64::INFINITY, f64::min);
    dp(&p) / (1.0 - min)
}

/// All parts-based measures of one term, computed from the same `v` and `s`.
///
/// Each field is the function of the same name; see them for formulas and degenerate cases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispersion {
    /// Corpus frequency `f = Σ v[i]` (over the parts of positive size; `NaN` on invalid input).
    pub freq: f64,
    /// [`range`].
    pub range: usize,
    /// [`juilland_d`].
    pub juilland_d: f64,
    /// [`carroll_d2`].
    pub carroll_d2: f64,
    /// [`lyne_d3`].
    pub lyne_d3: f64,
    /// [`rosengren_s`].
    pub rosengren_s: f64,
    /// [`gries_dp`].
    pub gries_dp: f64,
    /// [`dp_norm`].
    pub dp_norm: f64,
}

impl Dispersion {
    /// Every parts-based measure of the term with frequencies `v` in parts of sizes `s`.
    pub fn new(v: &[f64], s: &[f64]) -> Self {
        Self {
            freq: Parts::new(v, s).map_or(f64::NAN, |p| p.f),
            range: range(v),
            juilland_d: juilland_d(v, s),
            carroll_d2: carroll_d2(v, s),
            lyne_d3: lyne_d3(v, s),
            rosengren_s: rosengren_s(v, s),
            gries_dp: gries_dp(v, s),
            dp_norm: dp_norm(v, s),
        }
    }
}

/// Average reduced frequency (ARF): `(1/w) Σ min(d[i], w)` with `w = N / f`, in `[1, f]`;
/// `f` when the occurrences are evenly spaced, near 1 when they form one cluster.
///
/// Savický & Hlaváčová (2002), "Measures of word commonness", *Journal of Quantitative
/// Linguistics* 9(3), 215–231; Gries (2008), §2.3. `positions` are the token offsets of the
/// `f` occurrences in a corpus of `N = corpus_len` tokens (in any order; any fixed origin,
/// 0- or 1-based alike). Sorted, `d[i] = pos[i+1] − pos[i]` for `i < f` and the cyclic
/// distance `d[f] = N − pos[f] + pos[1]`, so `Σ d[i] = N`. ARF is the number of chunks of
/// length `w` that the occurrences fall into, averaged over all cyclic shifts of a partition
/// of the corpus into `f` chunks.
///
/// `NaN` when there is no occurrence or when a position is `≥ N`. A repeated position counts
/// as a distance of 0.
pub fn arf(positions: &[u64], corpus_len: u64) -> f64 {
    if positions.is_empty() || positions.iter().any(|&x| x >= corpus_len) {
        return f64::NAN;
    }
    let mut pos = positions.to_vec();
    pos.sort_unstable();
    let f = pos.len() as f64;
    let w = corpus_len as f64 / f;
    let cyclic = corpus_len - pos[pos.len() - 1] + pos[0];
    let sum: f64 = pos
        .windows(2)
        .map(|d| d[1] - d[0])
        .chain(std::iter::once(cyclic))
        .map(|d| (d as f64).min(w))
        .sum();
    sum / w
}

/// Average logarithmic distance frequency (ALDF): `N · exp(−Σ (d[i]/N) ln d[i])`, in `[1, f]`;
/// `f` when the occurrences are evenly spaced, near 1 when they form one cluster.
///
/// Savický & Hlaváčová (2002), *JQL* 9(3), 215–231 (`f_ALD = N / 10^ALD` with
/// `ALD = Σ (d[i]/N) log10 d[i]`; the base cancels); Gries (2008), §2.3. The distances `d[i]`
/// are those of [`arf`] (cyclic, `Σ d[i] = N`); `0 · ln 0 = 0` for repeated positions.
///
/// `NaN` when there is no occurrence or when a position is `≥ N`.
pub fn aldf(positions: &[u64], corpus_len: u64) -> f64 {
    if positions.is_empty() || positions.iter().any(|&x| x >= corpus_len) {
        return f64::NAN;
    }
    let mut pos = positions.to_vec();
    pos.sort_unstable();
    let mut g = Gaps::new(pos.len() as u64, corpus_len);
    for p in pos {
        g.push(p);
    }
    g.aldf()
}

/// ARF and ALDF of one term computed while the corpus streams by: the positions arrive in
/// increasing order and nothing but four numbers is kept per term. Needs the term's
/// frequency `f` and the corpus length `N` in advance (ARF's window `w = N/f`), e.g. from a
/// first counting pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gaps {
    w: f64,
    n: u64,
    first: Option<u64>,
    last: u64,
    sum_min: f64,
    sum_dlnd: f64,
}

impl Gaps {
    /// A term with `f` occurrences in a corpus of `corpus_len` tokens.
    pub fn new(f: u64, corpus_len: u64) -> Self {
        Gaps {
            w: corpus_len as f64 / f as f64,
            n: corpus_len,
            first: None,
            last: 0,
            sum_min: 0.0,
            sum_dlnd: 0.0,
        }
    }

    fn gap(&mut self, d: u64) {
        let d = d as f64;
        self.sum_min += d.min(self.w);
        if d > 0.0 {
            self.sum_dlnd += d * d.ln();
        }
    }

    /// The next occurrence, at token position `pos` (`≥` the previous one, `< N`).
    pub fn push(&mut self, pos: u64) {
        match self.first {
            None => self.first = Some(pos),
            Some(_) => self.gap(pos.saturating_sub(self.last)),
        }
        self.last = pos;
    }

    /// The cyclic gap closing the circle, added to a copy.
    fn closed(&self) -> Option<Self> {
        let first = self.first?;
        if self.last >= self.n {
            return None;
        }
        let mut c = *self;
        c.gap(self.n - self.last + first);
        Some(c)
    }

    /// [`arf`] of the positions pushed (`NaN` when none).
    pub fn arf(&self) -> f64 {
        self.closed().map_or(f64::NAN, |c| c.sum_min / c.w)
    }

    /// [`aldf`] of the positions pushed (`NaN` when none).
    pub fn aldf(&self) -> f64 {
        self.closed().map_or(f64::NAN, |c| {
            let n = c.n as f64;
            n * (-c.sum_dlnd / n).exp()
        })
    }
}

/// The parts-based measures of one term computed part by part, without keeping the term's
/// frequency vector: one call of [`PartSums::add`] per part where the term occurs. Needs
/// the term's frequency `f` and the corpus size `S = Σ s[i]` in advance; at the end, the
/// number of parts of positive size and the smallest part proportion. Gives the same values
/// as [`Dispersion::new`] (up to rounding): every measure is a sum over the parts where
/// `v[i] > 0` plus a term that depends only on the totals.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PartSums {
    f: f64,
    total: f64,
    range: usize,
    sx: f64,
    sx2: f64,
    sxlnx: f64,
    sv2_s: f64,
    sqrt_sv: f64,
    dp_occ: f64,
    p_occ: f64,
}

impl PartSums {
    /// A term of frequency `f` in a corpus of total size `total`.
    pub fn new(f: u64, total: u64) -> Self {
        PartSums {
            f: f as f64,
            total: total as f64,
            ..Self::default()
        }
    }

    /// The term occurs `v > 0` times in a part of size `s > 0` (calls with `v = 0` are ignored).
    pub fn add(&mut self, v: u64, s: u64) {
        if v == 0 || s == 0 {
            return;
        }
        let (v, s) = (v as f64, s as f64);
        let p = s / self.total;
        let x = v / s; // relative frequency up to the constant factor S
        self.range += 1;
        self.sx += x;
        self.sx2 += x * x;
        self.sxlnx += x * x.ln();
        self.sv2_s += v * v / s;
        self.sqrt_sv += (s * v).sqrt();
        self.dp_occ += (v / self.f - p).abs();
        self.p_occ += p;
    }

    /// The measures, given the number of parts of positive size and the smallest part
    /// proportion `min p`.
    pub fn finish(&self, parts: usize, min_p: f64) -> Dispersion {
        let (f, n) = (self.f, parts as f64);
        let nan = f64::NAN;
        if f <= 0.0 || parts == 0 {
            return Dispersion {
                freq: f,
                range: self.range,
                juilland_d: nan,
                carroll_d2: nan,
                lyne_d3: nan,
                rosengren_s: nan,
                gries_dp: nan,
                dp_norm: nan,
            };
        }
        let mean = self.sx / n;
        let var = (self.sx2 / n - mean * mean).max(0.0);
        let (juilland_d, carroll_d2) = if parts < 2 {
            (nan, nan)
        } else {
            let h = self.sx.ln() - self.sxlnx / self.sx;
            (
                1.0 - var.sqrt() / mean / (n - 1.0).sqrt(),
                (h / n.ln()).max(0.0),
            )
        };
        let chi2 = self.total * self.sv2_s / f - f;
        let dp = 0.5 * (self.dp_occ + (1.0 - self.p_occ).max(0.0));
        Dispersion {
            freq: f,
            range: self.range,
            juilland_d,
            carroll_d2,
            lyne_d3: 1.0 - chi2 / (4.0 * f),
            rosengren_s: self.sqrt_sv * self.sqrt_sv / (self.total * f),
            gries_dp: dp,
            dp_norm: if parts < 2 { nan } else { dp / (1.0 - min_p) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    // Gries (2008), §3: a 50-token corpus in 5 parts of 9, 10, 10, 10 and 11 tokens
    // (p = 0.18, 0.2, 0.2, 0.2, 0.22); the element "a" occurs 1, 2, 3, 4, 5 times (f = 15).
    const GRIES_V: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
    const GRIES_S: [f64; 5] = [9.0, 10.0, 10.0, 10.0, 11.0];
    const GRIES_P: [f64; 5] = [0.18, 0.2, 0.2, 0.2, 0.22];

    #[test]
    fn gries_2008_dp_published() {
        // Published: DP = 0.18, and DPnorm = 0.18 / (1 − 0.18) ≈ 0.2195 (Lijffijt & Gries 2012).
        // By hand: |1/15−.18| + |2/15−.2| + |3/15−.2| + |4/15−.2| + |5/15−.22|
        //        = .11333 + .06667 + 0 + .06667 + .11333 = .36, halved .18.
        for s in [&GRIES_S[..], &GRIES_P[..]] {
            assert!(close(gries_dp(&GRIES_V, s), 0.18, 1e-12));
            assert!(close(dp_norm(&GRIES_V, s), 0.18 / 0.82, 1e-12));
            assert!(close(dp_norm(&GRIES_V, s), 0.2195, 5e-5));
        }
        assert_eq!(range(&GRIES_V), 5);
    }

    #[test]
    fn gries_2008_example_other_measures_against_independent_reference() {
        // Not asserted as published values: computed independently (Python, the formulas
        // as documented here, relative frequencies v[i]/p[i] for D and D₂).
        let d = Dispersion::new(&GRIES_V, &GRIES_S);
        assert!(close(d.juilland_d, 0.785_150_453_450_450_8, 1e-12));
        assert!(close(d.carroll_d2, 0.937_921_303_297_995_6, 1e-12));
        assert!(close(d.lyne_d3, 0.956_453_423_120_089_7, 1e-12));
        assert!(close(d.rosengren_s, 0.949_816_342_304_240_8, 1e-12));
        assert_eq!(d.freq, 15.0);
        // Rosengren by hand: √(.18·1) + √(.2·2) + √(.2·3) + √(.2·4) + √(.22·5), squared, / 15.
        let root: f64 = [0.18f64, 0.4, 0.6, 0.8, 1.1].iter().map(|x| x.sqrt()).sum();
        assert!(close(d.rosengren_s, root * root / 15.0, 1e-12));
        // Lyne by hand: χ² = Σ (v − 15p)² / (15p) with 15p = 2.7, 3, 3, 3, 3.3.
        let chi2 = 1.7f64.powi(2) / 2.7 + 1.0 / 3.0 + 0.0 + 1.0 / 3.0 + 1.7f64.powi(2) / 3.3;
        assert!(close(d.lyne_d3, 1.0 - chi2 / 60.0, 1e-12));
    }

    #[test]
    fn lyne_allemand_against_tlda() {
        // Lyne (1985): French lemma ALLEMAND over the ten Tenths of his corpus (part sizes
        // from his Figure 1, subfrequencies from Appendix I), as reproduced in the README of
        // the R package tlda (Sönning), whose output is: D = 0.6038797, D2 = 0.6521444,
        // S = 0.4763652, and DP (Gries 2008 scaling, before normalization) = 0.4990705.
        let v = to_f64(&[2, 0, 1, 1, 3, 0, 3, 0, 0, 0]);
        let s = to_f64(&[8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930]);
        let d = Dispersion::new(&v, &s);
        assert_eq!(d.range, 5);
        assert!(close(d.juilland_d, 0.603_879_7, 5e-8));
        assert!(close(d.carroll_d2, 0.652_144_4, 5e-8));
        assert!(close(d.rosengren_s, 0.476_365_2, 5e-8));
        assert!(close(d.gries_dp, 0.499_070_5, 5e-8));
    }

    #[test]
    fn equal_parts_closed_forms() {
        let eq = [1.0; 4];
        // Perfectly even.
        let d = Dispersion::new(&[3.0, 3.0, 3.0, 3.0], &eq);
        assert!(close(d.juilland_d, 1.0, 1e-12));
        assert!(close(d.carroll_d2, 1.0, 1e-12));
        assert!(close(d.lyne_d3, 1.0, 1e-12));
        assert!(close(d.rosengren_s, 1.0, 1e-12));
        assert!(close(d.gries_dp, 0.0, 1e-12));
        assert!(close(d.dp_norm, 0.0, 1e-12));
        // All in one part: D = 0, D₂ = 0, S = 1/n, DP = 1 − 1/n, DPnorm = 1,
        // χ² = f (n − 1) so D₃ = 1 − (n − 1)/4.
        let d = Dispersion::new(&[0.0, 8.0, 0.0, 0.0], &eq);
        assert!(close(d.juilland_d, 0.0, 1e-12));
        assert!(close(d.carroll_d2, 0.0, 1e-12));
        assert!(close(d.rosengren_s, 0.25, 1e-12));
        assert!(close(d.gries_dp, 0.75, 1e-12));
        assert!(close(d.dp_norm, 1.0, 1e-12));
        assert!(close(d.lyne_d3, 0.25, 1e-12));
        assert_eq!(d.range, 1);
        // Equal parts: relative-frequency D equals the textbook D on raw counts,
        // v = (1, 2, 3, 6): μ = 3, σ = √(14/4), D = 1 − √3.5 / 3 / √3.
        let d = juilland_d(&[1.0, 2.0, 3.0, 6.0], &eq);
        assert!(close(d, 1.0 - 3.5f64.sqrt() / 3.0 / 3.0f64.sqrt(), 1e-12));
        // Carroll: q = (1, 2, 3, 6)/12.
        let h: f64 = [1.0f64, 2.0, 3.0, 6.0]
            .iter()
            .map(|x| -(x / 12.0) * (x / 12.0).log2())
            .sum();
        assert!(close(
            carroll_d2(&[1.0, 2.0, 3.0, 6.0], &eq),
            h / 2.0,
            1e-12
        ));
    }

    #[test]
    fn sizes_or_proportions_give_the_same_result() {
        let a = Dispersion::new(&GRIES_V, &GRIES_S);
        let b = Dispersion::new(&GRIES_V, &GRIES_P);
        for (x, y) in [
            (a.juilland_d, b.juilland_d),
            (a.carroll_d2, b.carroll_d2),
            (a.lyne_d3, b.lyne_d3),
            (a.rosengren_s, b.rosengren_s),
            (a.gries_dp, b.gries_dp),
            (a.dp_norm, b.dp_norm),
        ] {
            assert!(close(x, y, 1e-12));
        }
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        // f = 0.
        let d = Dispersion::new(&[0.0, 0.0], &[1.0, 1.0]);
        assert_eq!(d.range, 0);
        assert_eq!(d.freq, 0.0);
        for x in [
            d.juilland_d,
            d.carroll_d2,
            d.lyne_d3,
            d.rosengren_s,
            d.gries_dp,
            d.dp_norm,
        ] {
            assert!(x.is_nan());
        }
        // n = 1.
        let d = Dispersion::new(&[4.0], &[10.0]);
        assert!(d.juilland_d.is_nan() && d.carroll_d2.is_nan() && d.dp_norm.is_nan());
        assert_eq!((d.lyne_d3, d.rosengren_s, d.gries_dp), (1.0, 1.0, 0.0));
        // A part of size 0 without occurrences is left out.
        let with_empty = Dispersion::new(&[1.0, 0.0, 2.0], &[1.0, 0.0, 1.0]);
        let without = Dispersion::new(&[1.0, 2.0], &[1.0, 1.0]);
        assert_eq!(format!("{with_empty:?}"), format!("{without:?}"));
        // Invalid: occurrences in a part of size 0, mismatched lengths, negatives, NaN, empty.
        for (v, s) in [
            (&[1.0, 1.0][..], &[1.0, 0.0][..]),
            (&[1.0, 1.0], &[1.0]),
            (&[-1.0, 2.0], &[1.0, 1.0]),
            (&[1.0, 2.0], &[1.0, -1.0]),
            (&[f64::NAN, 2.0], &[1.0, 1.0]),
            (&[1.0, 2.0], &[0.0, 0.0]),
            (&[], &[]),
        ] {
            let d = Dispersion::new(v, s);
            assert!(d.freq.is_nan(), "{v:?} {s:?}");
            assert!(d.juilland_d.is_nan() && d.gries_dp.is_nan() && d.dp_norm.is_nan());
            assert!(d.carroll_d2.is_nan() && d.lyne_d3.is_nan() && d.rosengren_s.is_nan());
        }
    }

    #[test]
    fn arf_hand_computed() {
        // Evenly spaced: every d = w = 25, ARF = f.
        assert!(close(arf(&[0, 25, 50, 75], 100), 4.0, 1e-12));
        assert!(close(arf(&[75, 0, 50, 25], 100), 4.0, 1e-12));
        // One cluster: d = 1, 1, 1, 97; w = 25; (1 + 1 + 1 + 25) / 25 = 1.12.
        assert!(close(arf(&[10, 11, 12, 13], 100), 1.12, 1e-12));
        // f = 3, N = 100, w = 100/3: d = 10, 40, 50 → (10 + 2w) / w = 2.3.
        assert!(close(arf(&[0, 10, 50], 100), 2.3, 1e-12));
        // The cyclic distance wraps around: same gaps shifted.
        assert!(close(arf(&[60, 70, 10], 100), 2.3, 1e-12));
        // A single occurrence: ARF = 1.
        assert!(close(arf(&[42], 100), 1.0, 1e-12));
        // Every token: ARF = f = N.
        let all: Vec<u64> = (0..10).collect();
        assert!(close(arf(&all, 10), 10.0, 1e-12));
        // Degenerate.
        assert!(arf(&[], 100).is_nan());
        assert!(arf(&[100], 100).is_nan());
        assert!(arf(&[0], 0).is_nan());
    }

    proptest::proptest! {
        #[test]
        fn bounds_hold(v in proptest::collection::vec(0u64..20, 2..12), seed in 1u64..1000) {
            let s: Vec<u64> = (0..v.len() as u64).map(|i| 1 + (seed * (i + 7)) % 13).collect();
            let (vf, sf) = (to_f64(&v), to_f64(&s));
            let d = Dispersion::new(&vf, &sf);
            if v.iter().sum::<u64>() == 0 {
                proptest::prop_assert!(d.gries_dp.is_nan());
            } else {
                let tot: u64 = s.iter().sum();
                let min_p = *s.iter().min().unwrap() as f64 / tot as f64;
                proptest::prop_assert!(d.gries_dp >= -1e-12 && d.gries_dp <= 1.0 - min_p + 1e-12);
                proptest::prop_assert!(d.dp_norm >= -1e-12 && d.dp_norm <= 1.0 + 1e-12);
                proptest::prop_assert!(d.carroll_d2 >= -1e-12 && d.carroll_d2 <= 1.0 + 1e-12);
                proptest::prop_assert!(d.rosengren_s >= min_p - 1e-12 && d.rosengren_s <= 1.0 + 1e-12);
                proptest::prop_assert!(d.juilland_d <= 1.0 + 1e-12);
                proptest::prop_assert!(d.lyne_d3 <= 1.0 + 1e-12);
            }
        }

        #[test]
        fn arf_between_one_and_f(pos in proptest::collection::vec(0u64..500, 1..40)) {
            let a = arf(&pos, 500);
            proptest::prop_assert!(a >= 1.0 - 1e-9 && a <= pos.len() as f64 + 1e-9, "{}", a);
        }
    }

    #[test]
    fn aldf_hand_computed() {
        // Evenly spaced: d = 25 each, ALDF = 100 · exp(−ln 25) = 4 = f.
        assert!(close(aldf(&[0, 25, 50, 75], 100), 4.0, 1e-12));
        // d = 10, 40, 50 (N = 100): 100 · exp(−(10 ln 10 + 40 ln 40 + 50 ln 50)/100).
        let want =
            100.0 * (-(10.0 * 10f64.ln() + 40.0 * 40f64.ln() + 50.0 * 50f64.ln()) / 100.0).exp();
        assert!(close(aldf(&[0, 10, 50], 100), want, 1e-12));
        assert!(close(aldf(&[60, 70, 10], 100), want, 1e-12));
        // One occurrence: d = N, ALDF = 1.
        assert!(close(aldf(&[3], 100), 1.0, 1e-12));
        assert!(aldf(&[], 100).is_nan() && aldf(&[100], 100).is_nan());
    }

    #[test]
    fn streaming_sums_match_vectors() {
        // Gries (2008) example and the ALLEMAND data, plus all-in-one-part.
        let cases: [(&[u64], &[u64]); 3] = [
            (&[1, 2, 3, 4, 5], &[9, 10, 10, 10, 11]),
            (
                &[2, 0, 1, 1, 3, 0, 3, 0, 0, 0],
                &[8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930],
            ),
            (&[0, 8, 0, 0], &[5, 5, 5, 5]),
        ];
        for (v, s) in cases {
            let want = Dispersion::new(&to_f64(v), &to_f64(s));
            let total: u64 = s.iter().sum();
            let mut acc = PartSums::new(v.iter().sum(), total);
            for (&vi, &si) in v.iter().zip(s) {
                acc.add(vi, si);
            }
            let min_p = *s.iter().min().unwrap() as f64 / total as f64;
            let got = acc.finish(s.len(), min_p);
            assert_eq!(got.range, want.range);
            for (a, b) in [
                (got.juilland_d, want.juilland_d),
                (got.carroll_d2, want.carroll_d2),
                (got.lyne_d3, want.lyne_d3),
                (got.rosengren_s, want.rosengren_s),
                (got.gries_dp, want.gries_dp),
                (got.dp_norm, want.dp_norm),
            ] {
                assert!(close(a, b, 1e-9), "{a} vs {b} for {v:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn streaming_gaps_match_arf(pos in proptest::collection::vec(0u64..500, 1..40)) {
            let mut sorted = pos.clone();
            sorted.sort_unstable();
            let mut g = Gaps::new(pos.len() as u64, 500);
            for &p in &sorted { g.push(p); }
            proptest::prop_assert!(close(g.arf(), arf(&pos, 500), 1e-9));
            let a = aldf(&pos, 500);
            proptest::prop_assert!(a >= 1.0 - 1e-9 && a <= pos.len() as f64 + 1e-9, "{}", a);
        }

        #[test]
        fn streaming_sums_match_random(v in proptest::collection::vec(0u64..20, 2..12), seed in 1u64..1000) {
            let s: Vec<u64> = (0..v.len() as u64).map(|i| 1 + (seed * (i + 7)) % 13).collect();
            let f: u64 = v.iter().sum();
            proptest::prop_assume!(f > 0);
            let total: u64 = s.iter().sum();
            let mut acc = PartSums::new(f, total);
            for (&vi, &si) in v.iter().zip(&s) { acc.add(vi, si); }
            let min_p = *s.iter().min().unwrap() as f64 / total as f64;
            let got = acc.finish(s.len(), min_p);
            let want = Dispersion::new(&to_f64(&v), &to_f64(&s));
            for (a, b) in [(got.juilland_d, want.juilland_d), (got.carroll_d2, want.carroll_d2),
                (got.lyne_d3, want.lyne_d3), (got.rosengren_s, want.rosengren_s),
                (got.gries_dp, want.gries_dp), (got.dp_norm, want.dp_norm)] {
                proptest::prop_assert!(close(a, b, 1e-9), "{} vs {}", a, b);
            }
        }
    }
}
