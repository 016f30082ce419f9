//! Counting terms at corpus scale: per-thread tables, a deterministic merge and ordering.
//!
//! kalima's counting layer sits between tokenization ([`kalima_text`]) and tables
//! (`kalima-frame`). It is plain Rust plus rayon and knows nothing of files or output formats.
//!
//! - [`TermCounter`]: term → count and document frequency. Terms are interned (`u32` ids, bytes
//!   in one arena); a token costs one hash and, for terms up to 23 bytes, one table slot that
//!   holds the term inline with its counts. Nothing is allocated per token.
//! - [`engine`]: the one pass over a corpus: a stream of [`engine::Segment`]s feeds
//!   [`engine::Collector`]s on every worker; chunk-spanning context, whole documents and the
//!   merge are handled there once. Every count of this crate runs through it.
//! - [`count_parallel`]: term counts through the engine, one counter per worker, merged at
//!   the end. Counts are sums, so the result does not depend on the thread count or on
//!   scheduling.
//! - [`TermCounter::into_sorted`]: the one output order of kalima — count descending, then
//!   term by code point.
//!
//! Documents may arrive in several pieces (a large file is streamed in chunks that different
//! threads count); document frequency stays exact because a piece says whether it is a whole
//! document, and pieces of split documents are de-duplicated by document number at the end.
//!
//! # Example
//! ```
//! use kalima_stats::{count_parallel, engine::Segment};
//! use kalima_text::{Analyzer, Scheme, Normalizer};
//!
//! let docs = ["كتب الولد الدرس", "كَتَبَ الولد"];
//! let analyzer = Analyzer::new(Scheme::Words, Normalizer::light());
//! let segments = docs.iter().enumerate().map(|(i, t)| Segment::whole(i as u64, t.to_string()));
//! let counts = count_parallel(segments, &analyzer, |_| true);
//! let rows = counts.into_sorted();
//! assert_eq!((rows[0].term.as_str(), rows[0].count, rows[0].doc_freq), ("الولد", 2, 2));
//! assert_eq!((rows[1].term.as_str(), rows[1].count), ("كتب", 2));
//! ```
#![deny(missing_docs)]

use engine::Segment;
use kalima_text::{Analyzer, Scratch};

pub mod cooc;
mod counter;
pub mod dispersion;
pub mod engine;
pub mod extsort;
pub mod fit;
mod key;
pub mod lexdiv;
pub mod measures;
pub mod ngram;
pub mod segeval;
pub mod tfidf;
pub mod vocab;

pub use counter::TermCounter;
pub use vocab::{LocalIds, Vocab};

/// One row of a frequency table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermFreq {
    /// The (normalized) term.
    pub term: String,
    /// Occurrences.
    pub count: u64,
    /// Documents containing the term.
    pub doc_freq: u64,
}

/// Count the terms of `segments` on the current rayon pool, one counter per worker, merged
/// at the end. `keep` filters terms (e.g. stop words) before they are counted.
pub fn count_parallel<I>(
    segments: I,
    analyzer: &Analyzer,
    keep: impl Fn(&str) -> bool + Sync,
) -> TermCounter
where
    I: Iterator<Item = Segment> + Send,
{
    let fold = engine::Fold::new(
        || (TermCounter::new(), Scratch::default()),
        |(counter, scratch): &mut (TermCounter, Scratch), s: &Segment| {
            counter.begin(s.doc, s.is_whole());
            let mut batch = counter.batch();
            analyzer.for_each_term(&s.text, scratch, |t| {
                if keep(t) {
                    batch.add(t);
                }
            });
        },
    );
    // The first worker's counter takes the others in: with one thread nothing is merged.
    let mut children = engine::run(segments, &fold).into_iter().map(|(c, _)| c);
    let mut all = children.next().unwrap_or_default();
    for c in children {
        all.merge(c);
    }
    all
}

/// Occurrences per million tokens.
///
/// `count / total * 1_000_000`, the normalised frequency of corpus linguistics
/// (e.g. Brezina 2018, *Statistics in Corpus Linguistics*, §2.3); 0 when `total` is 0.
pub fn per_million(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 * 1_000_000.0 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kalima_text::{Normalizer, Scheme};

    fn count(pieces: Vec<Segment>, threads: usize) -> Vec<TermFreq> {
        let a = Analyzer::new(Scheme::Words, Normalizer::light());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| count_parallel(pieces.into_iter(), &a, |_| true))
            .into_sorted()
    }

    #[test]
    fn order_is_count_desc_then_code_point() {
        let rows = count(vec![Segment::whole(0, "b a c b a ب ا".into())], 1);
        let got: Vec<(&str, u64)> = rows.iter().map(|r| (r.term.as_str(), r.count)).collect();
        assert_eq!(got, [("a", 2), ("b", 2), ("c", 1), ("ا", 1), ("ب", 1)]);
    }

    #[test]
    fn doc_freq_exact_across_split_documents_and_threads() {
        // Document 0 split in 4 pieces, document 1 whole, document 2 split in 2.
        let mut pieces = Vec::new();
        for t in ["x y", "x", "y z", "x"] {
            pieces.push(Segment::new(0, false, false, t.into()));
        }
        pieces.push(Segment::whole(1, "x x w".into()));
        pieces.push(Segment::new(2, false, false, "z".into()));
        pieces.push(Segment::new(2, false, false, "z x".into()));
        for threads in [1, 2, 4] {
            let rows = count(pieces.clone(), threads);
            let get = |t: &str| {
                rows.iter()
                    .find(|r| r.term == t)
                    .map(|r| (r.count, r.doc_freq))
                    .unwrap()
            };
            assert_eq!(get("x"), (6, 3), "threads={threads}");
            assert_eq!(get("y"), (2, 1));
            assert_eq!(get("z"), (3, 2));
            assert_eq!(get("w"), (1, 1));
        }
    }

    #[test]
    fn per_million_formula() {
        assert_eq!(per_million(5, 1_000_000), 5.0);
        assert_eq!(per_million(1, 4), 250_000.0);
        assert_eq!(per_million(1, 0), 0.0);
    }

    proptest::proptest! {
        #[test]
        fn thread_count_never_changes_the_result(docs in proptest::collection::vec("[abc ابت]{0,12}", 0..20)) {
            let pieces: Vec<Segment> = docs.iter().enumerate().map(|(i, t)| { let w = i % 3 != 0; Segment::new(i as u64, true, w, t.clone()) }).collect();
            // Split-marked pieces: give documents with i % 3 == 0 a second piece.
            let mut all = pieces.clone();
            for p in &pieces { if !p.is_whole() { all.push(p.clone()); } }
            let one = count(all.clone(), 1);
            let three = count(all, 3);
            proptest::prop_assert_eq!(one, three);
        }
    }
}
