//! Times the parts of an ordered pass (the Heaps curve) on a corpus held in memory (no
//! criterion; run in release):
//!
//! ```text
//! cargo run --release -p kalima-stats --example ordered_timing -- [FILE] [ROUNDS]
//! ```
//!
//! FILE defaults to `~/.cache/kalima-bench/ant_20mb.txt`, read into 1 MiB segments first so
//! that reading is not timed. Reports the best of ROUNDS (default 5) for: the one-thread fold
//! (tokenize + intern every token + curve), tokenizing alone, the parallel part of the ordered
//! pass ([`LocalIds::new`]) and its sequential fold ([`Vocab::absorb`]) on one thread, and
//! the whole [`Ordered`] pass with 1, 2 and 4 threads.
use std::time::Duration;

use kalima_corpus::{Corpus, Event, ReadOptions};
use kalima_stats::engine::{Ordered, Segment};
use kalima_stats::fit::HeapsCurve;
use kalima_stats::{LocalIds, Vocab};
use kalima_text::{Analyzer, Normalizer, Scheme, Scratch};

mod common;
use common::best;

fn main() {
    let (path, rounds) = common::args(5);
    if !std::path::Path::new(&path).is_file() {
        eprintln!("skipping: {path} is not a file");
        return;
    }
    let segments: Vec<Segment> = Corpus::open(&[&path], ReadOptions::default())
        .filter_map(|e| match e {
            Event::Chunk(c) => Some(Segment::new(c.doc, c.first, c.last, c.text)),
            _ => None,
        })
        .collect();
    let a = Analyzer::new(Scheme::Words, Normalizer::light());
    let report = |what: &str, d: Duration| eprintln!("{what:<36} {:7.3} s", d.as_secs_f64());

    let (d, n) = best(rounds, || {
        let (mut v, mut c, mut s) = (Vocab::new(), HeapsCurve::new(20), Scratch::default());
        for seg in &segments {
            a.for_each_term(&seg.text, &mut s, |t| c.push(v.intern(t).1));
        }
        c.finish().last().map_or(0, |p| p.0)
    });
    eprintln!("{path}: {} segments, {n} tokens", segments.len());
    report("one thread: tokenize + intern + curve", d);
    let (d, _) = best(rounds, || {
        let (mut k, mut s) = (0usize, Scratch::default());
        for seg in &segments {
            a.for_each_term(&seg.text, &mut s, |_| k += 1);
        }
        k
    });
    report("tokenize only", d);
    let mut s = Scratch::default();
    let (d, _) = best(rounds, || {
        segments
            .iter()
            .map(|seg| LocalIds::new(&a, &seg.text, &mut s))
            .collect::<Vec<_>>()
    });
    report("map: LocalIds::new (parallel part)", d);
    let locals: Vec<Vec<LocalIds>> = (0..rounds)
        .map(|_| {
            segments
                .iter()
                .map(|seg| LocalIds::new(&a, &seg.text, &mut s))
                .collect()
        })
        .collect();
    let mut locals = locals.into_iter();
    let (d, _) = best(rounds, || {
        let (mut v, mut c) = (Vocab::new(), HeapsCurve::new(20));
        for l in locals.next().expect("one per round") {
            v.absorb(l, |_, new| c.push(new));
        }
        c.finish()
    });
    report("fold: Vocab::absorb + curve", d);
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool");
        let pass = Ordered::new(Scratch::default, |s, seg: &Segment| {
            LocalIds::new(&a, &seg.text, s)
        });
        let (d, _) = best(rounds, || {
            let (mut v, mut c) = (Vocab::new(), HeapsCurve::new(20));
            pass.for_each(&pool, segments.iter().cloned(), |l| {
                v.absorb(l, |_, new| c.push(new));
            });
            c.finish()
        });
        report(&format!("Ordered pass, {threads} thread(s)"), d);
    }
}
