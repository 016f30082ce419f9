//! Maximum-likelihood fits of Zipf, Zipf–Mandelbrot and discrete power laws, and Heaps' law
//! on a vocabulary growth curve. Plain numbers in, plain numbers out; std only.
//!
//! # Models
//!
//! - **Zipf (rank model)** — [`zipf_mle`]: the `N` tokens of a corpus are independent draws
//!   over the ranks `r = 1..V` of its `V` types with `P(r) = r^(−s) / H(V, s)`,
//!   `H(V, s) = Σ_{r=1..V} r^(−s)` (a finite, "right-truncated" Zipf). The log-likelihood of
//!   the observed rank-frequency list `f₁ ≥ f₂ ≥ … ≥ f_V` is
//!   `ℓ(s) = −s Σ f_r ln r − N ln H(V, s)`, concave in `s`; kalima maximizes it with a
//!   safeguarded Newton iteration. This is the estimator of Clauset, Shalizi & Newman (2009),
//!   "Power-law distributions in empirical data", *SIAM Review* 51(4), 661–703 (maximum
//!   likelihood on the distribution, never a least-squares line through a log-log plot, whose
//!   slope is biased and has no valid error or fit test), applied to ranks as in
//!   Piantadosi (2014), "Zipf's word frequency law in natural language", *Psychonomic Bulletin
//!   & Review* 21(5), and Moreno-Sánchez, Font-Clos & Corral (2016), *PLoS ONE* 11(1).
//! - **Zipf–Mandelbrot** — [`zipf_mandelbrot_mle`]: `P(r) = (r + q)^(−s) / Σ (k + q)^(−s)`
//!   with `q > −1` (Mandelbrot 1953). Profile likelihood: for each `q`, the best `s` by Newton;
//!   `q` by golden-section search on `ln(1 + q) ∈ [−5, 10]`.
//! - **Discrete power law on type frequencies** — [`power_law_mle`]: Clauset et al. (2009),
//!   §3: the counts `x` of the types with `x ≥ x_min` follow `P(x) = x^(−α) / ζ(α, x_min)`
//!   (Hurwitz zeta); `α` maximizes the exact discrete likelihood and `x_min` minimizes the
//!   Kolmogorov–Smirnov distance between the fitted and the empirical tail. For an ideal Zipf
//!   law, `α = 1 + 1/s`. This is what the Python package `powerlaw` (Alstott et al. 2014)
//!   computes with `Fit(x, discrete=True, estimate_discrete=False)`.
//! - **Heaps' law** — [`heaps_curve`], [`HeapsCurve`], [`heaps_fit`]: `V(N) = K N^β`
//!   (Herdan 1960; Heaps 1978). The curve's points are not independent draws, so no
//!   likelihood applies; kalima fits `ln V = ln K + β ln N` by ordinary least squares over
//!   points sampled geometrically along the corpus (so every order of magnitude of `N` weighs
//!   the same) and reports `R²` of that regression.
//!
//! Goodness of fit: every rank model reports the log-likelihood, AIC (`2k − 2ℓ`) and the KS
//! distance between the empirical and the model CDF over ranks (Clauset et al. 2009, §4).
//!
//! # Degenerate input
//!
//! No function panics. With no tokens (or one type, where `s` is not identifiable) the
//! parameters are `NaN`.
//!
//! # Example
//! ```
//! use kalima_stats::fit::{zipf_mle, heaps_fit};
//!
//! // Counts drawn exactly proportional to 1/r: the MLE is close to s = 1.
//! let counts: Vec<u64> = (1..=1000u64).map(|r| 100_000 / r).collect();
//! let fit = zipf_mle(&counts);
//! assert!((fit.s - 1.0).abs() < 0.01);
//! // V = 3 N^0.5 exactly.
//! let pts: Vec<(u64, u64)> = [100u64, 400, 10_000].iter().map(|&n| (n, 3 * (n as f64).sqrt() as u64)).collect();
//! let h = heaps_fit(&pts);
//! assert!((h.beta - 0.5).abs() < 1e-9 && (h.k - 3.0).abs() < 1e-9);
//! ```

/// A Zipf fit over ranks (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZipfFit {
    /// Exponent `s` of `P(r) ∝ r^(−s)`.
    pub s: f64,
    /// Maximized log-likelihood (natural log) of the tokens.
    pub log_likelihood: f64,
    /// Akaike information criterion, `2·1 − 2ℓ`.
    pub aic: f64,
    /// Kolmogorov–Smirnov distance between the empirical and the fitted rank CDF.
    pub ks: f64,
    /// Tokens `N`.
    pub tokens: u64,
    /// Types `V` (the support is `1..V`).
    pub types: u64,
}

/// A Zipf–Mandelbrot fit over ranks (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZipfMandelbrotFit {
    /// Exponent `s` of `P(r) ∝ (r + q)^(−s)`.
    pub s: f64,
    /// Shift `q > −1`.
    pub q: f64,
    /// Maximized log-likelihood (natural log).
    pub log_likelihood: f64,
    /// Akaike information criterion, `2·2 − 2ℓ`.
    pub aic: f64,
    /// Kolmogorov–Smirnov distance between the empirical and the fitted rank CDF.
    pub ks: f64,
}

/// A discrete power-law fit of the type frequencies' tail (Clauset et al. 2009).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerLawFit {
    /// Exponent `α` of `P(x) ∝ x^(−α)`, `x ≥ x_min`.
    pub alpha: f64,
    /// Lower bound of the power-law tail, chosen by minimum KS distance.
    pub xmin: u64,
    /// Types in the tail (`x ≥ x_min`).
    pub tail: u64,
    /// Log-likelihood of the tail at the fitted `α`.
    pub log_likelihood: f64,
    /// KS distance between the tail's empirical and fitted CDF.
    pub ks: f64,
    /// Standard error of `α`, `(α − 1)/√n` (Clauset et al. 2009, eq. 3.2).
    pub alpha_se: f64,
}

/// Heaps' law fitted to a growth curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeapsFit {
    /// `K` of `V = K N^β`.
    pub k: f64,
    /// `β` of `V = K N^β`.
    pub beta: f64,
    /// `R²` of the log-log regression.
    pub r2: f64,
    /// Points used (those with `N ≥ 1` and `V ≥ 1`).
    pub points: u64,
}

/// Counts sorted in rank order (descending), zeros dropped.
fn rank_counts(counts: &[u64]) -> Vec<u64> {
    let mut c: Vec<u64> = counts.iter().copied().filter(|&x| x > 0).collect();
    c.sort_unstable_by(|a, b| b.cmp(a));
    c
}

/// For fixed log-ranks `l[r] = ln(r + q)`, `ℓ(s) = −s Σ f l − N ln Σ e^(−s l)`, its first and
/// second derivatives. `a = Σ f l`.
fn ll_rank(l: &[f64], a: f64, n: f64, s: f64) -> (f64, f64, f64) {
    // Factor out the largest term (l is increasing, the first term e^(−s l₀) is the largest for
    // s > 0) for stability.
    let shift = if s >= 0.0 { l[0] } else { l[l.len() - 1] };
    let (mut z, mut z1, mut z2) = (0.0, 0.0, 0.0);
    for &x in l {
        let e = (-s * (x - shift)).exp();
        z += e;
        z1 += x * e;
        z2 += x * x * e;
    }
    let ln_z = z.ln() - s * shift;
    let m1 = z1 / z;
    let m2 = z2 / z;
    (-s * a - n * ln_z, -a + n * m1, -n * (m2 - m1 * m1))
}

/// Maximize the concave `ℓ(s)` over `s ∈ [lo, hi]`: Newton steps kept inside a shrinking bracket.
fn max_concave(l: &[f64], a: f64, n: f64, start: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (1e-6, 20.0);
    let mut s = start.clamp(lo, hi);
    for _ in 0..100 {
        let (_, d1, d2) = ll_rank(l, a, n, s);
        if d1 > 0.0 {
            lo = s;
        } else {
            hi = s;
        }
        let mut next = if d2 < 0.0 { s - d1 / d2 } else { f64::NAN };
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        if (next - s).abs() < 1e-12 * s.max(1.0) || hi - lo < 1e-12 {
            s = next;
            break;
        }
        s = next;
    }
    (s, ll_rank(l, a, n, s).0)
}

/// KS distance between the empirical rank CDF of `f` and the model `P(r) ∝ e^(−s l[r])`.
fn ks_rank(f: &[u64], l: &[f64], s: f64) -> f64 {
    let n: u64 = f.iter().sum();
    let shift = l[0];
    let w: Vec<f64> = l.iter().map(|&x| (-s * (x - shift)).exp()).collect();
    let z: f64 = w.iter().sum();
    let (mut emp, mut model, mut d) = (0u64, 0.0, 0.0f64);
    for (fi, wi) in f.iter().zip(&w) {
        emp += fi;
        model += wi / z;
        d = d.max((emp as f64 / n as f64 - model).abs());
    }
    d
}

/// Zipf exponent of the rank-frequency list by maximum likelihood (see the module docs).
///
/// `counts` are the type frequencies in any order (zeros ignored); they are ranked here.
pub fn zipf_mle(counts: &[u64]) -> ZipfFit {
    let f = rank_counts(counts);
    let n: u64 = f.iter().sum();
    let v = f.len() as u64;
    if v < 2 {
        return ZipfFit {
            s: f64::NAN,
            log_likelihood: f64::NAN,
            aic: f64::NAN,
            ks: f64::NAN,
            tokens: n,
            types: v,
        };
    }
    let l: Vec<f64> = (1..=f.len()).map(|r| (r as f64).ln()).collect();
    let a: f64 = f.iter().zip(&l).map(|(&fi, &li)| fi as f64 * li).sum();
    let (s, ll) = max_concave(&l, a, n as f64, 1.0);
    ZipfFit {
        s,
        log_likelihood: ll,
        aic: 2.0 - 2.0 * ll,
        ks: ks_rank(&f, &l, s),
        tokens: n,
        types: v,
    }
}

/// Zipf–Mandelbrot parameters of the rank-frequency list by maximum likelihood (profile
/// likelihood over `q`, see the module docs). `counts` in any order; zeros ignored.
pub fn zipf_mandelbrot_mle(counts: &[u64]) -> ZipfMandelbrotFit {
    let f = rank_counts(counts);
    let nan = ZipfMandelbrotFit {
        s: f64::NAN,
        q: f64::NAN,
        log_likelihood: f64::NAN,
        aic: f64::NAN,
        ks: f64::NAN,
    };
    if f.len() < 3 {
        return nan;
    }
    let n: f64 = f.iter().sum::<u64>() as f64;
    let mut l = vec![0.0; f.len()];
    let mut profile = |u: f64, start: f64| -> (f64, f64) {
        let q = u.exp() - 1.0;
        for (r, x) in l.iter_mut().enumerate() {
            *x = (r as f64 + 1.0 + q).ln();
        }
        let a: f64 = f.iter().zip(&l).map(|(&fi, &li)| fi as f64 * li).sum();
        max_concave(&l, a, n, start)
    };
    // Golden-section search for the maximum of the profile over u = ln(1 + q).
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (-5.0f64, 10.0f64);
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut sc, mut fc) = profile(c, 1.0);
    let (mut sd, mut fd) = profile(d, sc);
    while b - a > 1e-7 {
        if fc >= fd {
            b = d;
            (d, sd, fd) = (c, sc, fc);
            c = b - g * (b - a);
            (sc, fc) = profile(c, sd);
        } else {
            a = c;
            (c, sc, fc) = (d, sd, fd);
            d = a + g * (b - a);
            (sd, fd) = profile(d, sc);
        }
    }
    let u = if fc >= fd { c } else { d };
    let (s, ll) = profile(u, sc);
    let q = u.exp() - 1.0;
    let l: Vec<f64> = (1..=f.len()).map(|r| (r as f64 + q).ln()).collect();
    ZipfMandelbrotFit {
        s,
        q,
        log_likelihood: ll,
        aic: 4.0 - 2.0 * ll,
        ks: ks_rank(&f, &l, s),
    }
}

/// Hurwitz zeta `ζ(s, q) = Σ_{k≥0} (k + q)^(−s)` for `s > 1`, `q > 0`, by Euler–Maclaurin
/// summation (10 direct terms, 6 Bernoulli corrections: relative error below 1e-14 for
/// `q ≥ 1`, `s ≤ 10`).
pub fn hurwitz_zeta(s: f64, q: f64) -> f64 {
    if s <= 1.0 || q <= 0.0 || !s.is_finite() || !q.is_finite() {
        return f64::NAN;
    }
    const M: usize = 10;
    // B_2j / (2j)!
    const B: [f64; 6] = [
        1.0 / 12.0,
        -1.0 / 720.0,
        1.0 / 30240.0,
        -1.0 / 1209600.0,
        1.0 / 47900160.0,
        -691.0 / 1307674368000.0,
    ];
    let mut sum = 0.0;
    for k in 0..M {
        sum += (q + k as f64).powf(-s);
    }
    let x = q + M as f64;
    sum += x.powf(1.0 - s) / (s - 1.0) + 0.5 * x.powf(-s);
    // Term j: B_2j/(2j)! · s(s+1)…(s+2j−2) · x^(−s−2j+1).
    let mut rising = s; // s(s+1)…(s+2j−2)
    let mut pow = x.powf(-s - 1.0);
    for (j, b) in B.iter().enumerate() {
        sum += b * rising * pow;
        let k = 2.0 * j as f64;
        rising *= (s + k + 1.0) * (s + k + 2.0);
        pow /= x * x;
    }
    sum
}

/// Discrete power law fitted to the tail of the type frequencies (Clauset et al. 2009):
/// `α` by exact maximum likelihood for each candidate `x_min` (each distinct count that
/// leaves at least 10 types in the tail … or all counts when fewer), `x_min` by minimum KS
/// distance. `counts` in any order; zeros ignored.
pub fn power_law_mle(counts: &[u64]) -> PowerLawFit {
    let mut x: Vec<u64> = counts.iter().copied().filter(|&c| c > 0).collect();
    x.sort_unstable();
    let nan = PowerLawFit {
        alpha: f64::NAN,
        xmin: 0,
        tail: 0,
        log_likelihood: f64::NAN,
        ks: f64::NAN,
        alpha_se: f64::NAN,
    };
    if x.len() < 2 {
        return nan;
    }
    // Distinct values with how many types have each, ascending.
    let mut uniq: Vec<(u64, u64)> = Vec::new();
    for &c in &x {
        match uniq.last_mut() {
            Some((v, k)) if *v == c => *k += 1,
            _ => uniq.push((c, 1)),
        }
    }
    // Suffix sums of counts and of k·ln x over uniq.
    let mut tail_n = vec![0u64; uniq.len() + 1];
    let mut tail_ln = vec![0.0f64; uniq.len() + 1];
    for i in (0..uniq.len()).rev() {
        tail_n[i] = tail_n[i + 1] + uniq[i].1;
        tail_ln[i] = tail_ln[i + 1] + uniq[i].1 as f64 * (uniq[i].0 as f64).ln();
    }
    let min_tail = 10.min(x.len() as u64);
    let mut best: Option<PowerLawFit> = None;
    for i in 0..uniq.len() {
        let n = tail_n[i];
        if n < min_tail || i + 1 == uniq.len() {
            break;
        }
        let xmin = uniq[i].0;
        let (alpha, ll) = alpha_mle(n as f64, tail_ln[i], xmin as f64);
        let ks = ks_tail(&uniq[i..], n, alpha, xmin);
        if best.is_none_or(|b| ks < b.ks) {
            best = Some(PowerLawFit {
                alpha,
                xmin,
                tail: n,
                log_likelihood: ll,
                ks,
                alpha_se: (alpha - 1.0) / (n as f64).sqrt(),
            });
        }
    }
    best.unwrap_or(nan)
}

/// `α` maximizing `−n ln ζ(α, x_min) − α Σ ln x` on `(1, 10]` by golden-section search
/// (the likelihood is concave in α).
fn alpha_mle(n: f64, sum_ln: f64, xmin: f64) -> (f64, f64) {
    let ll = |a: f64| -n * hurwitz_zeta(a, xmin).ln() - a * sum_ln;
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (1.0 + 1e-9, 10.0);
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (ll(c), ll(d));
    while b - a > 1e-10 {
        if fc >= fd {
            b = d;
            (d, fd) = (c, fc);
            c = b - g * (b - a);
            fc = ll(c);
        } else {
            a = c;
            (c, fc) = (d, fd);
            d = a + g * (b - a);
            fd = ll(d);
        }
    }
    let alpha = 0.5 * (a + b);
    (alpha, ll(alpha))
}

/// KS distance over the tail: empirical CDF vs `P(X ≤ x) = 1 − ζ(α, x + 1)/ζ(α, x_min)`,
/// compared at each distinct value (as `powerlaw` does).
fn ks_tail(uniq: &[(u64, u64)], n: u64, alpha: f64, xmin: u64) -> f64 {
    let z = hurwitz_zeta(alpha, xmin as f64);
    let mut seen = 0u64;
    let mut d = 0.0f64;
    for &(v, k) in uniq {
        seen += k;
        let emp = seen as f64 / n as f64;
        let model = 1.0 - hurwitz_zeta(alpha, v as f64 + 1.0) / z;
        d = d.max((emp - model).abs());
    }
    d
}

/// A vocabulary growth curve sampled while the corpus streams by: feed one flag per token
/// (`true` when the token's type is new) and get `(N, V(N))` points, geometrically spaced
/// (about `per_decade` points per factor of 10 in `N`, plus the last token).
#[derive(Debug, Clone)]
pub struct HeapsCurve {
    n: u64,
    v: u64,
    next: u64,
    factor: f64,
    points: Vec<(u64, u64)>,
}

impl HeapsCurve {
    /// A curve with about `per_decade` points per decade of `N` (at least 1).
    pub fn new(per_decade: u32) -> Self {
        HeapsCurve {
            n: 0,
            v: 0,
            next: 1,
            factor: 10f64.powf(1.0 / f64::from(per_decade.max(1))),
            points: Vec::new(),
        }
    }

    /// One more token; `new_type` says whether its type was not seen before.
    pub fn push(&mut self, new_type: bool) {
        self.n += 1;
        self.v += u64::from(new_type);
        if self.n == self.next {
            self.points.push((self.n, self.v));
            self.next = ((self.n as f64 * self.factor).ceil() as u64).max(self.n + 1);
        }
    }

    /// The sampled points, the last token included.
    pub fn finish(mut self) -> Vec<(u64, u64)> {
        if self.n > 0 && self.points.last().is_none_or(|&(n, _)| n != self.n) {
            self.points.push((self.n, self.v));
        }
        self.points
    }
}

/// The growth curve of a token stream given as term ids (any `Eq + Hash` type):
/// `(N, V(N))` points, geometrically spaced (see [`HeapsCurve`]).
pub fn heaps_curve<T: std::hash::Hash + Eq>(
    tokens: impl IntoIterator<Item = T>,
    per_decade: u32,
) -> Vec<(u64, u64)> {
    let mut seen = std::collections::HashSet::new();
    let mut c = HeapsCurve::new(per_decade);
    for t in tokens {
        c.push(seen.insert(t));
    }
    c.finish()
}

/// Heaps' `K` and `β` by least squares on `ln V = ln K + β ln N` over the points (those with
/// `N, V ≥ 1`). `NaN` with fewer than two distinct `N`.
pub fn heaps_fit(points: &[(u64, u64)]) -> HeapsFit {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(n, v)| n >= 1 && v >= 1)
        .map(|&(n, v)| ((n as f64).ln(), (v as f64).ln()))
        .collect();
    let m = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / m;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / m;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = pts.iter().map(|p| (p.1 - my) * (p.1 - my)).sum();
    if pts.len() < 2 || sxx <= 0.0 {
        return HeapsFit {
            k: f64::NAN,
            beta: f64::NAN,
            r2: f64::NAN,
            points: pts.len() as u64,
        };
    }
    let beta = sxy / sxx;
    let r2 = if syy > 0.0 {
        sxy * sxy / (sxx * syy)
    } else {
        1.0
    };
    HeapsFit {
        k: (my - beta * mx).exp(),
        beta,
        r2,
        points: pts.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn hurwitz_zeta_known_values() {
        // ζ(2, 1) = π²/6; ζ(3, 1) = 1.2020569031595942 (Apéry); ζ(2, 2) = π²/6 − 1.
        let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
        assert!(close(hurwitz_zeta(2.0, 1.0), pi2_6, 1e-14));
        assert!(close(
            hurwitz_zeta(3.0, 1.0),
            1.202_056_903_159_594_2,
            1e-14
        ));
        assert!(close(hurwitz_zeta(2.0, 2.0), pi2_6 - 1.0, 1e-14));
        // scipy 1.x: zeta(1.5, 7.0) = 0.7838877675183705, zeta(2.5, 3.0) = 0.1647105619542803.
        assert!(close(
            hurwitz_zeta(1.5, 7.0),
            0.783_887_767_518_370_5,
            1e-13
        ));
        assert!(close(
            hurwitz_zeta(2.5, 3.0),
            0.164_710_561_954_280_3,
            1e-13
        ));
        assert!(hurwitz_zeta(1.0, 1.0).is_nan());
    }

    #[test]
    fn zipf_score_is_zero_at_the_mle() {
        // The MLE satisfies Σ f ln r / N = E_s[ln r] (score equation): check it independently.
        let counts = [500u64, 260, 170, 120, 100, 80, 70, 60, 50, 45, 3, 1, 1];
        let fit = zipf_mle(&counts);
        let n: f64 = counts.iter().sum::<u64>() as f64;
        let lhs: f64 = counts
            .iter()
            .enumerate()
            .map(|(i, &c)| c as f64 * ((i + 1) as f64).ln())
            .sum::<f64>()
            / n;
        let w: Vec<f64> = (1..=counts.len())
            .map(|r| (r as f64).powf(-fit.s))
            .collect();
        let z: f64 = w.iter().sum();
        let rhs: f64 = w
            .iter()
            .enumerate()
            .map(|(i, x)| x / z * ((i + 1) as f64).ln())
            .sum();
        assert!(close(lhs, rhs, 1e-10));
        assert_eq!((fit.tokens, fit.types), (1460, 13));
        // ℓ at the MLE beats nearby values.
        let ll = |s: f64| -> f64 {
            let z: f64 = (1..=13).map(|r| (r as f64).powf(-s)).sum();
            counts
                .iter()
                .enumerate()
                .map(|(i, &c)| c as f64 * (-s * ((i + 1) as f64).ln() - z.ln()))
                .sum()
        };
        assert!(close(fit.log_likelihood, ll(fit.s), 1e-10));
        assert!(ll(fit.s) > ll(fit.s + 1e-3) && ll(fit.s) > ll(fit.s - 1e-3));
    }

    #[test]
    fn zipf_mandelbrot_nests_zipf() {
        let counts: Vec<u64> = (1..=300u64).map(|r| 60_000 / (r + 5)).collect();
        let zm = zipf_mandelbrot_mle(&counts);
        let z = zipf_mle(&counts);
        // Generated with q = 5, s = 1 (up to integer rounding).
        assert!((zm.q - 5.0).abs() < 0.5, "{zm:?}");
        assert!((zm.s - 1.0).abs() < 0.03, "{zm:?}");
        assert!(zm.log_likelihood >= z.log_likelihood - 1e-9);
        assert!(zm.ks < z.ks);
    }

    #[test]
    fn degenerate_inputs() {
        assert!(zipf_mle(&[]).s.is_nan());
        assert!(zipf_mle(&[5]).s.is_nan());
        assert!(zipf_mandelbrot_mle(&[5, 1]).s.is_nan());
        assert!(power_law_mle(&[3]).alpha.is_nan());
        assert!(heaps_fit(&[]).beta.is_nan());
        assert!(heaps_fit(&[(10, 3)]).beta.is_nan());
        assert!(heaps_curve(Vec::<u32>::new(), 10).is_empty());
    }

    #[test]
    fn heaps_curve_counts_types() {
        // a b a c b d: V = 1 2 2 3 3 4.
        let pts = heaps_curve("abacbd".chars(), 100);
        assert_eq!(pts, [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4)]);
        // Geometric spacing: ~10 points per decade up to 10⁴, last point included.
        let pts = heaps_curve(0..10_007u32, 10);
        assert_eq!(*pts.last().unwrap(), (10_007, 10_007));
        assert!(pts.len() > 35 && pts.len() < 60, "{}", pts.len());
        let h = heaps_fit(&pts);
        assert!(close(h.beta, 1.0, 1e-12) && close(h.k, 1.0, 1e-12) && close(h.r2, 1.0, 1e-12));
    }

    // Reference values: scripts/corpus_stats_reference.py (scipy 1.x minimize_scalar /
    // Nelder–Mead on the same log-likelihood; powerlaw 1.5 `Fit(discrete=True,
    // estimate_discrete=False)`).
    #[test]
    fn zipf_and_zipf_mandelbrot_match_scipy() {
        let counts = [500u64, 260, 170, 120, 100, 80, 70, 60, 50, 45, 3, 1, 1];
        let z = zipf_mle(&counts);
        assert!(close(z.s, 1.1814012576625172, 1e-7), "{z:?}");
        assert!(close(z.log_likelihood, -2995.6522711025527, 1e-9));
        let zm = zipf_mandelbrot_mle(&counts);
        assert!(close(zm.s, 4.3142431738462035, 1e-4), "{zm:?}");
        assert!(close(zm.q, 8.326233151756691, 1e-3), "{zm:?}");
        assert!(close(zm.log_likelihood, -2970.4223939661097, 1e-9));
    }

    #[test]
    fn power_law_matches_powerlaw_package() {
        let mut x: u64 = 12345;
        let data: Vec<u64> = (0..3000)
            .map(|_| {
                x = (x * 1_103_515_245 + 12_345) % (1 << 31);
                let u = (((x >> 8) % 1_000_000) as f64 + 0.5) / 1_000_000.0;
                (1.0 - u).powf(-1.0 / 1.2).floor() as u64
            })
            .collect();
        let fit = power_law_mle(&data);
        assert_eq!(fit.xmin, 2, "{fit:?}");
        // powerlaw stops its optimizer (scipy fmin) at ~1e-5: agreement to 5 digits.
        assert!(close(fit.alpha, 2.047321626276847, 1e-5), "{fit:?}");
        assert!(close(fit.ks, 0.013878595426561169, 1e-3), "{fit:?}");
    }
}
