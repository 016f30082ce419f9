//! Deterministic train/test split and sampling of corpus units.
//!
//! A unit is a document, or a block of lines of a large document (a plain-text file is one
//! document, read in blocks): `(doc, offset)` names it whatever the thread count. Each unit
//! gets a pseudo-random number from the seed and its name (SplitMix64, Steele, Lea & Flood
//! 2014, "Fast splittable pseudorandom number generators"), so the split does not depend on
//! reading order either.

/// SplitMix64's finalizer: a bijective 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in [0, 1) for unit `(doc, offset)` under `seed`, one per `stream` (the split and
/// the sample draw independent numbers).
pub fn draw(seed: u64, stream: u64, doc: u64, offset: u64) -> f64 {
    let h = mix(mix(mix(seed ^ stream.wrapping_mul(0xA24B_AED4_963E_E407)) ^ doc) ^ offset);
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Where a unit goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Left out by `--sample`.
    Skip,
    /// The training part.
    Train,
    /// The test part.
    Test,
}

/// The part of unit `(doc, offset)`: kept with probability `sample`, then training with
/// probability `train`.
///
/// ```
/// use kalima_bench::split::{part, Part};
/// let parts: Vec<Part> = (0..1000).map(|d| part(7, 1.0, 0.2, d, 0)).collect();
/// let train = parts.iter().filter(|p| **p == Part::Train).count();
/// assert!((150..250).contains(&train));
/// assert_eq!(parts, (0..1000).map(|d| part(7, 1.0, 0.2, d, 0)).collect::<Vec<_>>());
/// ```
pub fn part(seed: u64, sample: f64, train: f64, doc: u64, offset: u64) -> Part {
    if sample < 1.0 && draw(seed, 1, doc, offset) >= sample {
        Part::Skip
    } else if draw(seed, 2, doc, offset) < train {
        Part::Train
    } else {
        Part::Test
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_give_different_splits_and_draws_are_uniform() {
        let a: Vec<Part> = (0..200).map(|d| part(1, 1.0, 0.5, d, 0)).collect();
        let b: Vec<Part> = (0..200).map(|d| part(2, 1.0, 0.5, d, 0)).collect();
        assert_ne!(a, b);
        let n = 100_000;
        let mean: f64 = (0..n).map(|d| draw(3, 2, d, 0)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
        // Sampling keeps about the asked share, and never a unit outside [0, 1).
        let kept = (0..n)
            .filter(|&d| part(3, 0.1, 0.0, d, 0) != Part::Skip)
            .count();
        assert!((9_000..11_000).contains(&kept), "{kept}");
        assert!(part(3, 0.0, 0.0, 5, 0) == Part::Skip);
    }
}
