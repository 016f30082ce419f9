//! Counts over the reader's chunks never depend on the chunk size or the thread count.
//!
//! Random documents are written as files, read back with `kalima_corpus` at a random chunk
//! size (and the default), and counted with `count_parallel` on 1, 2 and 4 rayon threads, under
//! every scheme and normalizer preset; every result must equal the counts of the documents
//! counted whole, one after another, on one thread.
//!
//! The reader cuts a chunk after a line feed, space, tab or CR when there is one within the
//! chunk size, so the documents here have one at least every 25 bytes and the chunk sizes are
//! larger than that (a run without any of them longer than the chunk size, 1 MiB by default,
//! is cut between two characters).
//!
//! Cases: `PROPTEST_CASES` (default 128 here). `scripts/fuzz_long.sh` runs the long campaign.

use std::sync::OnceLock;

use kalima_corpus::{Corpus, Event, ReadOptions};
use kalima_stats::engine::Segment;
use kalima_stats::{TermCounter, TermFreq, count_parallel};
use kalima_text::clitic::CliticStyle;
use kalima_text::{Analyzer, Normalizer, Scheme, Scratch};
use proptest::prelude::*;

fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Pools of 1, 2 and 4 threads, built once.
fn pools() -> &'static [rayon::ThreadPool] {
    static P: OnceLock<Vec<rayon::ThreadPool>> = OnceLock::new();
    P.get_or_init(|| {
        [1, 2, 4]
            .into_iter()
            .map(|n| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .expect("thread pool")
            })
            .collect()
    })
}

fn schemes() -> Vec<Scheme> {
    let mut v = vec![
        Scheme::Words,
        Scheme::Camel {
            split_digits: false,
        },
        Scheme::Camel { split_digits: true },
        Scheme::Whitespace,
    ];
    for style in [CliticStyle::Ud, CliticStyle::D3] {
        for restore in [false, true] {
            v.push(Scheme::Clitic { style, restore });
        }
    }
    v
}

/// A word: at most 6 chars (24 bytes), none of them a chunk cut point.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[\u{0621}-\u{064A}\u{064B}-\u{0652}]{1,6}",
        1 => prop::sample::select(vec!["وقال", "بالمدينة", "للمدينة", "مدرستها", "عليه", "وَقَالَ"])
            .prop_map(str::to_string),
        2 => "[a-zA-Z0-9]{1,6}",
        // No control characters: a file of "\u{6} " is taken for UTF-16BE (a reader
        // heuristic, not what this test is about).
        2 => "[^\\p{Cc}\\s\u{FEFF}]{1,6}",
        1 => prop::sample::select(vec!["\u{FFFD}", "ك\u{FFFD}ب", "\u{00A0}", "\u{0655}", "😀", "،", "١٢٫٥", "ﻻ"])
            .prop_map(str::to_string),
    ]
}

fn doc() -> impl Strategy<Value = String> {
    let sep = prop::sample::select(vec![" ", " ", "  ", "\t", "\n", "\r\n", "\n\n"]);
    prop::collection::vec((word(), sep), 0..60).prop_map(|v| {
        v.into_iter()
            .flat_map(|(w, s)| [w, s.to_string()])
            .collect()
    })
}

/// The documents counted whole, in order, on this thread.
fn reference(docs: &[String], a: &Analyzer) -> Vec<TermFreq> {
    let mut c = TermCounter::new();
    let mut scratch = Scratch::default();
    for (i, d) in docs.iter().enumerate() {
        c.begin(i as u64, true);
        a.for_each_term(d, &mut scratch, |t| c.add(t));
    }
    c.into_sorted()
}

/// The chunks of the corpus at `dir` as pieces; any note or error fails the case.
fn pieces(dir: &std::path::Path, chunk_size: usize) -> Result<Vec<Segment>, TestCaseError> {
    let opts = ReadOptions {
        chunk_size,
        ..ReadOptions::default()
    };
    let mut out = Vec::new();
    for ev in Corpus::open(&[dir], opts) {
        match ev {
            Event::Chunk(c) => out.push(Segment::new(c.doc, c.first, c.last, c.text)),
            Event::Note(n) => prop_assert!(false, "note: {n}"),
            Event::Error(e) => prop_assert!(false, "error: {e}"),
        }
    }
    Ok(out)
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn counts_do_not_depend_on_chunk_size_or_threads(
        docs in prop::collection::vec(doc(), 1..6),
        chunk_size in 26usize..400,
        s in 0usize..8,
        p in 0usize..3,
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (i, d) in docs.iter().enumerate() {
            std::fs::write(dir.path().join(format!("d{i}.txt")), d).expect("write");
        }
        let norm: Normalizer = ["none", "light", "search"][p].parse().expect("preset");
        let a = Analyzer::new(schemes()[s], norm);
        let want = reference(&docs, &a);
        for cs in [chunk_size, 0] {
            let pieces = pieces(dir.path(), cs)?;
            if cs == chunk_size {
                // Small chunks really split the documents.
                let longest = docs.iter().map(String::len).max().unwrap_or(0);
                prop_assert!(longest <= chunk_size || pieces.iter().any(|p| !p.is_whole()));
            }
            for pool in pools() {
                let got = pool
                    .install(|| count_parallel(pieces.clone().into_iter(), &a, |_| true))
                    .into_sorted();
                prop_assert_eq!(
                    &got,
                    &want,
                    "{} threads, chunk size {}, {} {}",
                    pool.current_num_threads(),
                    cs,
                    a.scheme,
                    norm
                );
            }
        }
    }
}
