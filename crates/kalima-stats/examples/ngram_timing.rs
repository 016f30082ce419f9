//! Times the n-gram, window co-occurrence and collocate counts end to end (tokenizing included,
//! table merged and sorted), on the current rayon pool (no criterion; run in release):
//!
//! ```text
//! cargo run --release -p kalima-stats --example ngram_timing -- [FILE] [ROUNDS] [WHAT]
//! ```
//!
//! FILE defaults to `~/.cache/kalima-bench/ant_20mb.txt`, cut into 1 MB pieces of one document
//! (as the reader delivers it). WHAT is a comma list of `freq`, `ng2`, `ng3`, `ng5`, `cooc`,
//! `coll` (default all); `freq` (the plain term count) is the yardstick the others are held to.
//! Reports the best of ROUNDS (default 3) for each. For `perf record`, build it with
//! `--profile profiling`.
//!
//! On the 2-core development VM (ant_20mb, 2 threads, one quiet run before, a loaded host
//! after), ng2 went from 1.94 s (6.0× freq) to 1.30 s (2.5× freq), cooc from 12.9 s to 7.8 s
//! (4.5 M pairs), coll from 0.82 s to 0.75 s (1.4× freq). Before, 52% of the samples of ng2 were
//! the final merge, 33% sorting its rows by comparing term strings.
use std::time::Duration;

use kalima_stats::cooc::{CoocOptions, count_collocates, count_cooc};
use kalima_stats::count_parallel;
use kalima_stats::ngram::{NgramOptions, count_ngrams};
use kalima_text::{Analyzer, Normalizer, Scheme};

mod common;
use common::best;

fn main() {
    let (path, rounds) = common::args(3);
    let what = std::env::args()
        .nth(3)
        .unwrap_or_else(|| "freq,ng2,ng3,ng5,cooc,coll".into());
    let raw = match std::fs::read_to_string(&path) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!("skipping: {path}: {e}");
            return;
        }
    };
    let pieces = common::pieces(&raw);
    let an = Analyzer::new(Scheme::Words, Normalizer::light());
    let segs = || pieces.clone().into_iter();
    let threads = rayon::current_num_threads();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for w in what.split(',') {
        match w {
            "freq" => {
                let (d, rows) = best(rounds, || {
                    count_parallel(segs(), &an, |_| true).into_sorted()
                });
                eprintln!(
                    "freq ({threads} thr): {:8.1} ms  {} rows",
                    ms(d),
                    rows.len()
                );
            }
            "ng2" | "ng3" | "ng5" => {
                let n: usize = w[2..].parse().expect("n");
                let o = NgramOptions {
                    min_n: n,
                    max_n: n,
                    skip: 0,
                    cross: false,
                    min_count: 1,
                    max_memory: 8 << 30,
                    spill_dir: None,
                };
                let (d, c) = best(rounds, || {
                    count_ngrams(segs(), &an, &o, |_| true).expect("count")
                });
                eprintln!(
                    "{w}   ({threads} thr): {:8.1} ms  {} rows, {} tokens",
                    ms(d),
                    c.counts.rows.len(),
                    c.tokens
                );
            }
            "cooc" => {
                let o = CoocOptions {
                    left: 5,
                    right: 5,
                    cross: false,
                    min_count: 1,
                    max_memory: 8 << 30,
                    spill_dir: None,
                };
                let (d, c) = best(rounds, || {
                    count_cooc(segs(), &an, &o, |_| true).expect("count")
                });
                eprintln!(
                    "cooc  ({threads} thr): {:8.1} ms  {} rows, N {}",
                    ms(d),
                    c.pairs.rows.len(),
                    c.n
                );
            }
            "coll" => {
                let node = |t: &str| t == "الرئيس";
                let (d, c) = best(rounds, || count_collocates(segs(), &an, &node, 5, 5, false));
                eprintln!(
                    "coll  ({threads} thr): {:8.1} ms  {} rows",
                    ms(d),
                    c.rows.len()
                );
            }
            other => eprintln!("unknown: {other}"),
        }
    }
}
