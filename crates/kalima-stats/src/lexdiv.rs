//! Lexical diversity: how varied the vocabulary of a text is. Pure formulas, no I/O, std only.
//!
//! Two input shapes:
//!
//! - [`Spectrum`]: a text summarised by its token count `N`, its type count `V` and its
//!   frequency spectrum (`V_m`, the number of types occurring exactly `m` times). Every
//!   spectrum measure here needs only `N`, `V` and `M₂ = Σ_m m²·V_m`, so that is all a
//!   [`Spectrum`] keeps. Measures: [`Spectrum::ttr`], Herdan's C, Guiraud's R, CTTR,
//!   Dugast's U, Summer's S, Yule's K and I, Simpson's D, Herdan's Vm and Maas a².
//! - A token sequence of `u32` term ids, for the measures that depend on order or on
//!   sampling: [`mattr`], [`msttr`], [`mtld`], [`hdd`] (and [`hdd_expected_types`]).
//!
//! # Logarithms
//!
//! All logarithms are **natural** (`ln`), as in the Python package `lexicalrichness`
//! (0.5.1, `math.log`). quanteda.textstats (`textstat_lexdiv`) and koRpus (`lex.div`) default
//! to `log.base = 10`. Herdan's C does not depend on the base; Dugast's U in base `b` is
//! `U / ln b`; Maas a² in base `b` is `a² · ln b`; Summer's S has no such simple conversion
//! (it is `ln(ln V / ln b) / ln(ln N / ln b)` in base `b`).
//!
//! # Degenerate inputs
//!
//! No function panics. A formula that is undefined (0/0, e.g. any measure of an empty text)
//! gives `NaN`; a division of a non-zero number by zero gives `±∞` as IEEE arithmetic does.
//! Each function documents its cases for `N = 0`, `N = 1` and `V = N`.
//!
//! # Example
//! ```
//! use kalima_stats::lexdiv::{mattr, Spectrum};
//!
//! let tokens = [0u32, 0, 1]; // "a a b"
//! let s = Spectrum::from_tokens(&tokens);
//! assert!((s.ttr() - 2.0 / 3.0).abs() < 1e-12);
//! // Yule's K = 10⁴ · (M₂ − N) / N² = 10⁴ · (2² + 1² − 3) / 3²
//! assert!((s.yule_k() - 20_000.0 / 9.0).abs() < 1e-9);
//! assert!((mattr(&tokens, 2) - 0.75).abs() < 1e-12); // windows "a a", "a b"
//! ```

use std::collections::HashMap;

/// Default window of [`mattr`] and segment length of [`msttr`] in kalima (tokens).
///
/// quanteda.textstats and `lexicalrichness` default to 100, `lexical-diversity` to 50;
/// Covington & McFall (2010) used 500.
pub const DEFAULT_WINDOW: usize = 500;

/// Default TTR threshold that ends an MTLD factor (McCarthy & Jarvis 2010).
pub const MTLD_THRESHOLD: f64 = 0.72;

/// Default HD-D sample size in tokens (McCarthy & Jarvis 2007).
pub const HDD_SAMPLE: usize = 42;

/// A text summarised by `N` (tokens), `V` (types) and `M₂ = Σ_m m²·V_m`.
///
/// `V_m` is the frequency spectrum: the number of types that occur exactly `m` times, so
/// `N = Σ_m m·V_m` and `V = Σ_m V_m` (Baayen 2001, *Word Frequency Distributions*, §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spectrum {
    n: u64,
    v: u64,
    m2: u128,
}

impl Spectrum {
    /// From the frequency spectrum as `(m, V_m)` pairs; pairs with `m = 0` are ignored and
    /// a frequency may appear more than once (the `V_m` are added). Sums saturate instead of
    /// overflowing.
    pub fn from_spectrum(pairs: impl IntoIterator<Item = (u64, u64)>) -> Self {
        let mut s = Self::default();
        for (m, vm) in pairs {
            if m == 0 {
                continue;
            }
            s.n = s.n.saturating_add(m.saturating_mul(vm));
            s.v = s.v.saturating_add(vm);
            let sq = (m as u128) * (m as u128);
            s.m2 = s.m2.saturating_add(sq.saturating_mul(vm as u128));
        }
        s
    }

    /// From the count of each type (one entry per type, any order); zero counts are ignored.
    pub fn from_counts(counts: impl IntoIterator<Item = u64>) -> Self {
        Self::from_spectrum(counts.into_iter().map(|c| (c, 1)))
    }

    /// From a token sequence of term ids.
    pub fn from_tokens(tokens: &[u32]) -> Self {
        let mut table = Table::for_tokens(tokens);
        for &t in tokens {
            table.inc(t);
        }
        Self::from_counts(table.counts())
    }

    /// Number of tokens `N`.
    pub fn tokens(&self) -> u64 {
        self.n
    }

    /// Number of types `V`.
    pub fn types(&self) -> u64 {
        self.v
    }

    /// `M₂ = Σ_m m²·V_m`, the sum of squared type frequencies.
    pub fn m2(&self) -> u128 {
        self.m2
    }

    fn nf(&self) -> f64 {
        self.n as f64
    }

    fn vf(&self) -> f64 {
        self.v as f64
    }

    /// Type-token ratio `TTR = V / N` (Johnson 1944; Templin 1957).
    ///
    /// `N = 0`: NaN. `N = 1` or `V = N`: 1.
    pub fn ttr(&self) -> f64 {
        self.vf() / self.nf()
    }

    /// Herdan's C (LogTTR), `C = ln V / ln N` (Herdan 1960, as cited in Tweedie & Baayen
    /// 1998). The same in every log base.
    ///
    /// `N = 0`: NaN. `N = 1`: NaN (0/0). `V = N > 1`: 1.
    pub fn herdan_c(&self) -> f64 {
        self.vf().ln() / self.nf().ln()
    }

    /// Guiraud's R (root TTR), `R = V / √N` (Guiraud 1954).
    ///
    /// `N = 0`: NaN. `N = 1`: 1. `V = N`: `√N`.
    pub fn guiraud_r(&self) -> f64 {
        self.vf() / self.nf().sqrt()
    }

    /// Carroll's corrected TTR, `CTTR = V / √(2N)` (Carroll 1964).
    ///
    /// `N = 0`: NaN. `N = 1`: `1/√2`. `V = N`: `√(N/2)`.
    pub fn cttr(&self) -> f64 {
        self.vf() / (2.0 * self.nf()).sqrt()
    }

    /// Dugast's Uber index, `U = (ln N)² / (ln N − ln V)` (Dugast 1978, as cited in Tweedie &
    /// Baayen 1998). Natural log; quanteda/koRpus default (log10) is `U / ln 10`.
    ///
    /// `N = 0`: NaN. `N = 1`: NaN (0/0). `V = N > 1`: +∞.
    pub fn dugast_u(&self) -> f64 {
        let ln_n = self.nf().ln();
        ln_n * ln_n / (ln_n - self.vf().ln())
    }

    /// Summer's S, `S = ln(ln V) / ln(ln N)` (Summer 1966, as given by quanteda and
    /// `lexicalrichness`). Natural log; depends on the base non-linearly.
    ///
    /// `N = 0`: NaN. `N = 1`: NaN (−∞/−∞). `V = 1 < N`: −∞ / ln ln N (−∞ for `N ≥ 3`,
    /// +∞ for `N = 2` where `ln ln 2 < 0`). `V = N > 1`: 1. Values for `N ≤ e` are not
    /// meaningful.
    pub fn summer_s(&self) -> f64 {
        self.vf().ln().ln() / self.nf().ln().ln()
    }

    /// Yule's K, `K = 10⁴ · (M₂ − N) / N²` with `M₂ = Σ_m m²·V_m` (Yule 1944; Tweedie & Baayen
    /// 1998, eq. 16). No logarithm.
    ///
    /// `N = 0`: NaN. `N = 1`: 0. `V = N`: 0 (every `m = 1`, so `M₂ = N`).
    pub fn yule_k(&self) -> f64 {
        1e4 * (self.m2 - self.n as u128) as f64 / (self.nf() * self.nf())
    }

    /// Yule's I, `I = V² / (M₂ − V)` (Yule 1944; the form of Oakes 1998, §1.8, used by
    /// quanteda.textstats, koRpus and `lexicalrichness`). No logarithm.
    ///
    /// Note the `− V`: some texts write `N²/(M₂ − N)` (the reciprocal of K without the
    /// 10⁴); the two differ. `N = 0`: NaN. `N = 1` or `V = N`: +∞ (`M₂ = V`).
    pub fn yule_i(&self) -> f64 {
        self.vf() * self.vf() / (self.m2 - self.v as u128) as f64
    }

    /// Simpson's D, `D = Σ_m V_m · m(m − 1) / (N(N − 1))` (Simpson 1949): the probability
    /// that two tokens drawn without replacement are of the same type. Computed as
    /// `(M₂ − N) / (N(N − 1))`. No logarithm.
    ///
    /// `N = 0` or `N = 1`: NaN (0/0). `V = N > 1`: 0.
    pub fn simpson_d(&self) -> f64 {
        (self.m2 - self.n as u128) as f64 / (self.nf() * (self.nf() - 1.0))
    }

    /// Herdan's Vm, `Vm = √(Σ_m V_m (m/N)² − 1/V)` (Herdan 1955; Tweedie & Baayen 1998,
    /// eq. 18). Computed as `√(M₂/N² − 1/V)`; a value of the radicand that rounding makes
    /// slightly negative is clamped to 0. No logarithm.
    ///
    /// `N = 0`: NaN. `N = 1`: 0. `V = N`: `√(1/N − 1/N) = 0`.
    pub fn herdan_vm(&self) -> f64 {
        let r = self.m2 as f64 / (self.nf() * self.nf()) - 1.0 / self.vf();
        if r.is_nan() { r } else { r.max(0.0).sqrt() }
    }

    /// Maas' a², `a² = (ln N − ln V) / (ln N)²` (Maas 1972). Natural log; the quanteda/koRpus
    /// default (log10) is `a² · ln 10`. Note quanteda's `"Maas"` column reports `a = √a²`.
    ///
    /// `N = 0`: NaN. `N = 1`: NaN (0/0). `V = N > 1`: 0.
    pub fn maas_a2(&self) -> f64 {
        let ln_n = self.nf().ln();
        (ln_n - self.vf().ln()) / (ln_n * ln_n)
    }
}

/// A count table for `u32` term ids: a dense vector when the ids are small, a hash map
/// otherwise.
enum Table {
    Dense(Vec<u32>),
    Sparse(HashMap<u32, u32>),
}

impl Table {
    fn for_tokens(tokens: &[u32]) -> Self {
        let max = tokens.iter().copied().max().unwrap_or(0) as usize;
        if max <= 2 * tokens.len() + 1024 {
            Table::Dense(vec![0; max + 1])
        } else {
            Table::Sparse(HashMap::new())
        }
    }

    /// Adds one occurrence; returns the new count.
    fn inc(&mut self, t: u32) -> u32 {
        let c = match self {
            Table::Dense(v) => &mut v[t as usize],
            Table::Sparse(m) => m.entry(t).or_insert(0),
        };
        *c += 1;
        *c
    }

    /// Removes one occurrence (the id must have a positive count); returns the new count.
    fn dec(&mut self, t: u32) -> u32 {
        let c = match self {
            Table::Dense(v) => &mut v[t as usize],
            Table::Sparse(m) => m.entry(t).or_insert(1),
        };
        *c -= 1;
        *c
    }

    fn counts(self) -> Vec<u64> {
        match self {
            Table::Dense(v) => v.into_iter().filter(|&c| c > 0).map(u64::from).collect(),
            Table::Sparse(m) => m.into_values().map(u64::from).collect(),
        }
    }
}

fn ttr_of(tokens: &[u32]) -> f64 {
    Spectrum::from_tokens(tokens).ttr()
}

/// Moving-average type-token ratio (Covington & McFall 2010): the mean TTR of every window
/// of `window` consecutive tokens (`N − W + 1` windows).
///
/// Computed in O(N) with a sliding count table and a running type count. When
/// `N < window` there is no full window and the result is the TTR of the whole text (as in
/// `lexical-diversity`; `lexicalrichness` raises an error instead). `window = 0` or
/// `N = 0`: NaN. `N = 1`: 1. `V = N`: 1. Defaults: kalima [`DEFAULT_WINDOW`] (500).
pub fn mattr(tokens: &[u32], window: usize) -> f64 {
    let n = tokens.len();
    if window == 0 {
        return f64::NAN;
    }
    if n < window {
        return ttr_of(tokens);
    }
    let mut table = Table::for_tokens(tokens);
    let mut types = 0u64;
    for &t in &tokens[..window] {
        if table.inc(t) == 1 {
            types += 1;
        }
    }
    let mut sum = types;
    for i in window..n {
        if table.inc(tokens[i]) == 1 {
            types += 1;
        }
        if table.dec(tokens[i - window]) == 0 {
            types -= 1;
        }
        sum += types;
    }
    let windows = (n - window + 1) as f64;
    sum as f64 / (windows * window as f64)
}

/// Mean segmental type-token ratio (Johnson 1944): the text is cut into consecutive
/// segments of `segment` tokens, the incomplete last segment is dropped, and the TTRs of
/// the segments are averaged.
///
/// When `N < segment` there is no complete segment and the result is the TTR of the whole
/// text (as [`mattr`]; `lexical-diversity` does the same). `segment = 0` or `N = 0`: NaN.
/// `N = 1`: 1. `V = N`: 1. (`lexicalrichness` 0.5.1 always drops the last segment, even
/// when it is complete, so it differs when `N` is a multiple of `segment`.)
pub fn msttr(tokens: &[u32], segment: usize) -> f64 {
    let n = tokens.len();
    if segment == 0 {
        return f64::NAN;
    }
    if n < segment {
        return ttr_of(tokens);
    }
    let mut table = Table::for_tokens(tokens);
    let mut total = 0u64;
    let chunks = tokens.chunks_exact(segment);
    let count = chunks.len();
    for chunk in chunks {
        let mut types = 0u64;
        for &t in chunk {
            if table.inc(t) == 1 {
                types += 1;
            }
        }
        total += types;
        // Reset only what this segment touched.
        for &t in chunk {
            table.dec(t);
        }
    }
    total as f64 / (count as f64 * segment as f64)
}

/// Measure of textual lexical diversity (McCarthy & Jarvis 2010): the mean length of
/// the stretches of text over which the running TTR stays above `threshold`.
///
/// One pass: the TTR is updated after each token; when it falls to `≤ threshold` a
/// factor is counted and the counts restart at the next token. A remainder with TTR `r`
/// counts as the partial factor `(1 − r)/(1 − threshold)`, as in the original. The
/// pass's value is `N / factors`. MTLD is the mean of a forward and a backward pass
/// (bidirectional, as McCarthy & Jarvis 2010 and `lexicalrichness` 0.5.1). If a pass
/// has 0 factors (no repeat anywhere: `V = N`), its factor count is taken as 1 (as
/// `lexicalrichness`), so MTLD = `N`.
///
/// Conventions differ: `lexical-diversity` 0.1.1 ends a factor at `TTR < threshold` (strict)
/// and only at factors of at least 10 tokens, and always scores the last token's segment as a
/// partial factor, so it gives different values. `N = 0`: NaN. `N = 1`: 1. Default
/// threshold: [`MTLD_THRESHOLD`] (0.72); a threshold outside `(0, 1)` is meaningless (at
/// `1` the partial factor divides by zero).
pub fn mtld(tokens: &[u32], threshold: f64) -> f64 {
    let n = tokens.len();
    if n == 0 {
        return f64::NAN;
    }
    let mut table = Table::for_tokens(tokens);
    let forward = mtld_pass(tokens.iter().copied(), n, threshold, &mut table);
    let backward = mtld_pass(tokens.iter().rev().copied(), n, threshold, &mut table);
    (forward + backward) / 2.0
}

/// One direction of MTLD: `N / factors`. Leaves `table` all zero.
fn mtld_pass(
    tokens: impl Iterator<Item = u32>,
    n: usize,
    threshold: f64,
    table: &mut Table,
) -> f64 {
    let mut factors = 0.0f64;
    let mut start_tokens: Vec<u32> = Vec::new();
    let mut types = 0u64;
    let mut ttr = 1.0;
    for t in tokens {
        start_tokens.push(t);
        if table.inc(t) == 1 {
            types += 1;
        }
        ttr = types as f64 / start_tokens.len() as f64;
        if ttr <= threshold {
            factors += 1.0;
            for &u in &start_tokens {
                table.dec(u);
            }
            start_tokens.clear();
            types = 0;
        }
    }
    if !start_tokens.is_empty() {
        factors += (1.0 - ttr) / (1.0 - threshold);
        for &u in &start_tokens {
            table.dec(u);
        }
    }
    if factors == 0.0 {
        factors = 1.0;
    }
    n as f64 / factors
}

/// HD-D (McCarthy & Jarvis 2007), **TTR form**: the expected TTR of a random sample of
/// `sample` tokens drawn without replacement from the text,
/// `HD-D = Σ_types (1 − P₀(f)) / s`, where `s = sample` and `P₀(f) = C(N − f, s) / C(N, s)`
/// is the hypergeometric probability that none of the `f` tokens of a type is drawn.
///
/// This is the value `lexicalrichness` (`hdd`) and `lexical-diversity` (`hdd`) return; the
/// **sum form** (expected number of types in the sample, as reported by koRpus) is
/// [`hdd_expected_types`] = `HD-D · sample`. `sample = 0`, `N = 0` or `N < sample`: NaN
/// (`lexicalrichness` raises an error). `V = N ≥ sample`: 1. Default sample:
/// [`HDD_SAMPLE`] (42).
pub fn hdd(tokens: &[u32], sample: usize) -> f64 {
    hdd_expected_types(tokens, sample) / sample as f64
}

/// HD-D, **sum form**: the expected number of types in a random sample of `sample` tokens,
/// `Σ_types (1 − C(N − f, s)/C(N, s))`. See [`hdd`] for the TTR form and the degenerate
/// cases (NaN for `sample = 0`, `N = 0`, `N < sample`).
pub fn hdd_expected_types(tokens: &[u32], sample: usize) -> f64 {
    let n = tokens.len();
    if sample == 0 || n == 0 || n < sample {
        return f64::NAN;
    }
    let mut table = Table::for_tokens(tokens);
    for &t in tokens {
        table.inc(t);
    }
    // Group types by frequency: P(0) depends on f only. Ordered, so the sum is the same on
    // every run.
    let mut by_freq: std::collections::BTreeMap<u64, u64> = std::collections::BTreeMap::new();
    for c in table.counts() {
        *by_freq.entry(c).or_insert(0) += 1;
    }
    let mut total = 0.0;
    for (f, types) in by_freq {
        total += types as f64 * (1.0 - p_none(n as u64, f, sample as u64));
    }
    total
}

/// Hypergeometric probability that `s` draws without replacement from `n` items, `f` of
/// which are marked, contain none of them: `Π_{i<s} (n − f − i)/(n − i)`.
fn p_none(n: u64, f: u64, s: u64) -> f64 {
    if n - f < s {
        return 0.0;
    }
    let mut p = 1.0;
    for i in 0..s {
        p *= (n - f - i) as f64 / (n - i) as f64;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {
            assert_close!($a, $b, 1e-12)
        };
        ($a:expr, $b:expr, $tol:expr) => {{
            let (a, b) = ($a, $b);
            assert!(close(a, b, $tol), "{} = {a}, expected {b}", stringify!($a));
        }};
    }

    /// The golden text: 1234 ids in 0..100, skewed towards small ids. Same generator in the
    /// Python script that produced the reference values:
    /// `x = (x * 1103515245 + 12345) % 2**31; r = (x >> 8) % 1000; id = r * r // 10000`,
    /// starting from `x = 12345`. It has N = 1234, V = 100.
    fn golden() -> Vec<u32> {
        let mut x: u64 = 12345;
        (0..1234)
            .map(|_| {
                x = (x * 1_103_515_245 + 12_345) % (1 << 31);
                let r = (x >> 8) % 1000;
                (r * r / 10_000) as u32
            })
            .collect()
    }

    // Reference values: Python 3.11, lexicalrichness 0.5.1 and lexical-diversity 0.1.1 (PyPI),
    //   w = [str(i) for i in golden]
    //   lr = lexicalrichness.LexicalRichness(w, preprocessor=None, tokenizer=None)
    // then the attribute / call named next to each value. lexicalrichness uses math.log
    // (natural), as kalima does.
    #[test]
    fn golden_spectrum_measures_match_lexicalrichness() {
        let s = Spectrum::from_tokens(&golden());
        assert_eq!((s.tokens(), s.types()), (1234, 100));
        assert_close!(s.ttr(), 0.08103727714748785); // lr.ttr
        assert_close!(s.guiraud_r(), 2.8467047115478596); // lr.rttr
        assert_close!(s.cttr(), 2.0129242055711862); // lr.cttr
        assert_close!(s.herdan_c(), 0.6469738272159506); // lr.Herdan
        assert_close!(s.summer_s(), 0.7781295274314352); // lr.Summer
        assert_close!(s.dugast_u(), 20.162856901886187); // lr.Dugast
        assert_close!(s.maas_a2(), 0.049596146263699986); // lr.Maas
        assert_close!(s.yule_k(), 252.1480788780343); // lr.yulek
        assert_close!(s.yule_i(), 0.2529724260055654); // lr.yulei
        assert_close!(s.herdan_vm(), 0.12659060257095828); // lr.herdanvm
        assert_close!(s.simpson_d(), 0.025235257853649176); // lr.simpsond
    }

    #[test]
    fn golden_log10_conventions_match_lexical_diversity() {
        // lexical-diversity 0.1.1 uses log10: lex_div.maas_ttr(w) = 0.11419934705674793,
        // lex_div.log_ttr(w) = 0.6469738272159506 (Herdan's C, base-free).
        let s = Spectrum::from_tokens(&golden());
        assert_close!(s.maas_a2() * std::f64::consts::LN_10, 0.11419934705674793);
        assert_close!(s.herdan_c(), 0.6469738272159506);
    }

    #[test]
    fn golden_sequence_measures() {
        let t = golden();
        // lr.mattr(100) and lexical_diversity lex_div.mattr(w, 100): both 0.5522731277533022.
        assert_close!(mattr(&t, 100), 0.5522731277533022);
        // lex_div.mattr(w, 50)
        assert_close!(mattr(&t, 50), 0.6958649789029538);
        // lr.msttr(100) and lex_div.msttr(w, 100): 0.5508333333333334 (1234 is not a multiple
        // of 100, so lexicalrichness's always-drop-last quirk does not bite).
        assert_close!(msttr(&t, 100), 0.5508333333333334);
        // lr.mtld(0.72); lex_div.mtld(w) gives 42.91723644262335 (strict <, 10-token minimum).
        assert_close!(mtld(&t, MTLD_THRESHOLD), 37.583004132607854);
        // lr.hdd(42) (scipy hypergeom) and lex_div.hdd(w): both 0.7218287190786166.
        assert_close!(hdd(&t, HDD_SAMPLE), 0.7218287190786166, 1e-10);
        assert_close!(
            hdd_expected_types(&t, HDD_SAMPLE),
            0.7218287190786166 * 42.0,
            1e-10
        );
    }

    #[test]
    fn golden_short_text() {
        // First 60 ids of the golden generator; lexicalrichness 0.5.1:
        // lr.mtld(0.72) = 39.716024340770794, lr.hdd(42) = 0.7276376161632614,
        // lr.mattr(60) = lr.ttr = 0.6666666666666666.
        let t = &golden()[..60];
        assert_close!(mtld(t, MTLD_THRESHOLD), 39.716024340770794);
        assert_close!(hdd(t, 42), 0.7276376161632614, 1e-10);
        assert_close!(mattr(t, 60), 2.0 / 3.0);
        assert_close!(mattr(t, 500), 2.0 / 3.0); // N < W: TTR of the whole text
        assert_close!(msttr(t, 500), 2.0 / 3.0);
    }

    #[test]
    fn a_a_b_by_hand() {
        // N = 3, V = 2, V_1 = 1, V_2 = 1, M₂ = 1 + 4 = 5.
        let s = Spectrum::from_tokens(&[0, 0, 1]);
        assert_eq!(s, Spectrum::from_spectrum([(1, 1), (2, 1)]));
        assert_eq!(s, Spectrum::from_counts([2, 1, 0]));
        assert_eq!(s.m2(), 5);
        assert_close!(s.ttr(), 2.0 / 3.0);
        assert_close!(s.yule_k(), 1e4 * 2.0 / 9.0); // lexicalrichness: 2222.2222222222226
        assert_close!(s.yule_i(), 4.0 / 3.0); // V²/(M₂ − V) = 4/3
        assert_close!(s.simpson_d(), 2.0 / 6.0); // 1·2·1 / (3·2)
        assert_close!(s.herdan_vm(), (5.0f64 / 9.0 - 0.5).sqrt()); // 0.2357022603955159
        assert_close!(s.herdan_c(), 2f64.ln() / 3f64.ln());
        assert_close!(s.guiraud_r(), 2.0 / 3f64.sqrt());
        assert_close!(s.cttr(), 2.0 / 6f64.sqrt());
        let (ln3, ln2) = (3f64.ln(), 2f64.ln());
        assert_close!(s.dugast_u(), ln3 * ln3 / (ln3 - ln2));
        assert_close!(s.maas_a2(), (ln3 - ln2) / (ln3 * ln3));
        assert_close!(s.summer_s(), ln2.ln() / ln3.ln());
        // MTLD forward "a a b": a → 1, a a → 0.5 ≤ 0.72 (factor), b → remainder TTR 1 → +0;
        // 3/1 = 3. Backward "b a a": b, b a (1), b a a (2/3 ≤ 0.72, factor): 3/1 = 3.
        assert_close!(mtld(&[0, 0, 1], 0.72), 3.0);
        // MSTTR with segments of 2: "a a" → 0.5, "b" dropped.
        assert_close!(msttr(&[0, 0, 1], 2), 0.5);
        // HD-D with 2 draws from {a, a, b}: P(no a) = 0, P(no b) = (2/3)(1/2) = 1/3;
        // expected types = 1 + 2/3.
        assert_close!(hdd_expected_types(&[0, 0, 1], 2), 5.0 / 3.0);
        assert_close!(hdd(&[0, 0, 1], 2), 5.0 / 6.0);
    }

    #[test]
    fn mtld_partial_factor() {
        // "a b a c": TTR 1, 1, 2/3 ≤ 0.72 → factor after 3; remainder "c" has TTR 1 → 0.
        // Forward 4/1. Backward "c a b a": 1, 1, 1, 3/4 → remainder partial (1−0.75)/0.28.
        let back = 4.0 / (0.25 / 0.28);
        assert_close!(mtld(&[0, 1, 0, 2], 0.72), (4.0 + back) / 2.0);
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = Spectrum::from_tokens(&[]);
        for x in [
            empty.ttr(),
            empty.herdan_c(),
            empty.guiraud_r(),
            empty.cttr(),
            empty.dugast_u(),
            empty.summer_s(),
            empty.yule_k(),
            empty.yule_i(),
            empty.simpson_d(),
            empty.herdan_vm(),
            empty.maas_a2(),
            mattr(&[], 5),
            msttr(&[], 5),
            mtld(&[], 0.72),
            hdd(&[], 42),
        ] {
            assert!(x.is_nan());
        }
        // N = 1.
        let one = Spectrum::from_tokens(&[7]);
        assert_eq!(one.ttr(), 1.0);
        assert!(one.herdan_c().is_nan());
        assert_eq!(one.guiraud_r(), 1.0);
        assert!(one.dugast_u().is_nan());
        assert!(one.summer_s().is_nan());
        assert_eq!(one.yule_k(), 0.0);
        assert_eq!(one.yule_i(), f64::INFINITY);
        assert!(one.simpson_d().is_nan());
        assert_eq!(one.herdan_vm(), 0.0);
        assert!(one.maas_a2().is_nan());
        assert_eq!(mattr(&[7], 500), 1.0);
        assert_eq!(msttr(&[7], 500), 1.0);
        assert_eq!(mtld(&[7], 0.72), 1.0);
        assert!(hdd(&[7], 42).is_nan()); // N < sample
        assert_eq!(hdd(&[7], 1), 1.0);
        // V = N: lexicalrichness gives mtld = 10.0 and hdd(5) = 1.0 for ten distinct words.
        let distinct: Vec<u32> = (0..10).collect();
        let s = Spectrum::from_tokens(&distinct);
        assert_eq!(s.ttr(), 1.0);
        assert_close!(s.herdan_c(), 1.0);
        assert_eq!(s.dugast_u(), f64::INFINITY);
        assert_eq!(s.yule_k(), 0.0);
        assert_eq!(s.yule_i(), f64::INFINITY);
        assert_eq!(s.simpson_d(), 0.0);
        assert_eq!(s.herdan_vm(), 0.0);
        assert_eq!(s.maas_a2(), 0.0);
        assert_close!(s.summer_s(), 1.0);
        assert_eq!(mtld(&distinct, 0.72), 10.0);
        assert_close!(hdd(&distinct, 5), 1.0);
        assert_eq!(mattr(&distinct, 3), 1.0);
        assert_eq!(msttr(&distinct, 3), 1.0);
        // Zero window / sample.
        assert!(mattr(&distinct, 0).is_nan());
        assert!(msttr(&distinct, 0).is_nan());
        assert!(hdd(&distinct, 0).is_nan());
    }

    #[test]
    fn sparse_ids_match_dense_ids() {
        let t = golden();
        let sparse: Vec<u32> = t
            .iter()
            .map(|&x| x.wrapping_mul(40_000_003) | 1 << 31)
            .collect();
        assert_eq!(Spectrum::from_tokens(&t), Spectrum::from_tokens(&sparse));
        assert_close!(mattr(&t, 37), mattr(&sparse, 37));
        assert_close!(msttr(&t, 37), msttr(&sparse, 37));
        assert_close!(mtld(&t, 0.72), mtld(&sparse, 0.72));
        assert_close!(hdd(&t, 42), hdd(&sparse, 42));
    }

    #[test]
    fn mattr_matches_naive() {
        let t = golden();
        for w in [1, 2, 7, 100, 1233, 1234] {
            let naive: f64 = t.windows(w).map(ttr_of).sum::<f64>() / (t.len() - w + 1) as f64;
            assert_close!(mattr(&t, w), naive, 1e-12);
        }
    }
}
