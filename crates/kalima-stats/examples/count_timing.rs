//! Times `TermCounter` alone on a pre-tokenized corpus (no criterion; run in release):
//!
//! ```text
//! cargo run --release -p kalima-stats --example count_timing -- [FILE] [ROUNDS]
//! ```
//!
//! FILE defaults to `~/.cache/kalima-bench/ant_20mb.txt`. The text is normalized (light) and cut
//! with the words scheme into a `Vec<String>` first, so only counting is timed. Each line is a
//! document. Reports the best of ROUNDS (default 5) for each phase.
//!
//! On the 2-core development VM (ant_20mb, 2.1 M tokens, 125 k types), `add` went from
//! 37–44 ns/token (`Box<str>` keys in a hashbrown map) to 22–25 ns/token (inline keys, one
//! 48-byte slot per term); merging two halves from ~20 ms to ~6 ms.
use std::time::Duration;

use kalima_stats::{TermCounter, count_parallel};
use kalima_text::{Analyzer, Normalizer, Scheme, words};

mod common;
use common::best;

fn ns_per(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e9 / n as f64
}

/// One counter over `docs`, every line a document (`whole`) or all lines pieces of document 0.
fn count(docs: &[Vec<String>], whole: bool) -> TermCounter {
    let mut c = TermCounter::new();
    for (i, d) in docs.iter().enumerate() {
        c.begin(if whole { i as u64 } else { 0 }, whole);
        for t in d {
            c.add(t);
        }
    }
    c
}

fn main() {
    let (path, rounds) = common::args(5);
    let raw = match std::fs::read_to_string(&path) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!("skipping: {path}: {e}");
            return;
        }
    };
    let text = Normalizer::light().normalize(&raw).into_owned();
    let mut toks = Vec::new();
    let docs: Vec<Vec<String>> = text
        .lines()
        .map(|line| {
            toks.clear();
            words::tokenize(line, &mut toks);
            toks.iter().map(|t| t.text(line).to_string()).collect()
        })
        .collect();
    let n: usize = docs.iter().map(Vec::len).sum();
    eprintln!("{path}: {} documents, {n} tokens", docs.len());

    let (d, c) = best(rounds, || count(&docs, true));
    eprintln!(
        "add, whole documents:     {:6.1} ns/token  ({} types)",
        ns_per(d, n),
        c.types()
    );
    let (d, _) = best(rounds, || count(&docs, false));
    eprintln!("add, one split document:  {:6.1} ns/token", ns_per(d, n));

    // Merge: two halves counted apart, then merged; then the final sort.
    let (a, b) = docs.split_at(docs.len() / 2);
    let halves = (count(a, true), count(b, true));
    let (d, merged) = best(rounds, || {
        let (mut x, y) = halves.clone();
        x.merge(y);
        x
    });
    let (dc, _) = best(rounds, || halves.clone());
    eprintln!(
        "merge two halves:         {:6.1} ms (clone excluded: {:.1} ms)",
        d.as_secs_f64() * 1e3,
        d.saturating_sub(dc).as_secs_f64() * 1e3
    );
    let (d, rows) = best(rounds, || merged.clone().into_sorted());
    let (dc, _) = best(rounds, || merged.clone());
    eprintln!(
        "into_sorted:              {:6.1} ms (clone excluded: {:.1} ms; {} rows)",
        d.as_secs_f64() * 1e3,
        d.saturating_sub(dc).as_secs_f64() * 1e3,
        rows.len()
    );
    assert_eq!(rows, c.into_sorted(), "merged halves differ from one pass");

    // End to end on the current rayon pool (tokenizing included), 1 MB pieces of one document.
    let pieces = common::pieces(&raw);
    let an = Analyzer::new(Scheme::Words, Normalizer::light());
    let (d, rows) = best(rounds, || {
        count_parallel(pieces.clone().into_iter(), &an, |_| true).into_sorted()
    });
    eprintln!(
        "count_parallel+sort ({} threads): {:.1} ms, {:.1} ns/token ({} rows)",
        rayon::current_num_threads(),
        d.as_secs_f64() * 1e3,
        ns_per(d, n),
        rows.len()
    );
}
