//! The `freq` pipeline without the output table, for profiling (`perf record`) with symbols:
//!
//! ```text
//! cargo build --profile profiling -p kalima-stats --example freq_pipeline
//! perf record -g target/profiling/examples/freq_pipeline ~/.cache/kalima-bench/ant.txt
//! ```
//!
//! Prints the time of the read alone (reader thread, decoding, chunking), then of the read
//! with counting on the current rayon pool (`RAYON_NUM_THREADS`), then of the final sort.
//! `KALIMA_CHUNK=BYTES` sets the reader's chunk size (default 1 MiB).
use std::time::Instant;

use kalima_corpus::{Corpus, Event, ReadOptions};
use kalima_stats::count_parallel;
use kalima_stats::engine::Segment;
use kalima_text::{Analyzer, Normalizer, Scheme};

fn segments(paths: &[String]) -> impl Iterator<Item = Segment> + Send + '_ {
    let chunk_size = std::env::var("KALIMA_CHUNK")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let opts = ReadOptions {
        chunk_size,
        ..ReadOptions::default()
    };
    Corpus::open(paths, opts).filter_map(|ev| match ev {
        Event::Chunk(c) => Some(Segment::new(c.doc, c.first, c.last, c.text)),
        _ => None,
    })
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let t = Instant::now();
    let bytes: usize = segments(&paths).map(|s| s.text.len()).sum();
    eprintln!(
        "read only:        {:.3} s ({bytes} bytes)",
        t.elapsed().as_secs_f64()
    );
    let an = Analyzer::new(Scheme::Words, Normalizer::light());
    let t = Instant::now();
    let c = count_parallel(segments(&paths), &an, |_| true);
    eprintln!(
        "read + count:     {:.3} s ({} tokens, {} threads)",
        t.elapsed().as_secs_f64(),
        c.tokens(),
        rayon::current_num_threads()
    );
    let t = Instant::now();
    let rows = c.into_sorted();
    eprintln!(
        "into_sorted:      {:.3} s ({} rows)",
        t.elapsed().as_secs_f64(),
        rows.len()
    );
}
