//! Throughput of n-gram and window co-occurrence counting on ~1 MB of real Arabic text.
//!
//! ```text
//! cargo bench --bench ngrams               # < 1 minute
//! ```
//!
//! Input: data/sample/*.txt concatenated in name order and repeated to about 1 MB, cut into
//! 64 KiB chunks of one document (so the chunk-spanning context is exercised). Each benchmark
//! counts on one thread, in memory (`ngrams/*`, `cooc/*`) or with a budget small enough to
//! spill (`ngrams/spill`).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kalima_stats::cooc::{CoocOptions, count_cooc};
use kalima_stats::engine::Segment;
use kalima_stats::ngram::{NgramOptions, count_ngrams};
use kalima_text::{Analyzer, Normalizer, Scheme};

fn sample_text() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("data/sample")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let one: String = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("sample file") + "\n")
        .collect();
    let mut text = String::new();
    while text.len() < 1 << 20 {
        text.push_str(&one);
    }
    text
}

fn parts(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + (64 << 10)).min(text.len());
        while end < text.len() && !text.as_bytes()[end - 1].is_ascii_whitespace() {
            end += 1;
        }
        out.push(Segment::new(
            0,
            start == 0,
            end == text.len(),
            text[start..end].to_string(),
        ));
        start = end;
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = sample_text();
    let ps = parts(&text);
    let a = Analyzer::new(Scheme::Words, Normalizer::light());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let mut g = c.benchmark_group("ngrams");
    g.throughput(Throughput::Bytes(text.len() as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    for (name, min_n, max_n, mem) in [
        ("2", 2, 2, 1usize << 30),
        ("1..5", 1, 5, 1 << 30),
        ("spill", 1, 3, 1 << 20),
    ] {
        let o = NgramOptions {
            min_n,
            max_n,
            skip: 0,
            cross: false,
            min_count: 1,
            max_memory: mem,
            spill_dir: None,
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let spans = ps.clone().into_iter();
                pool.install(|| black_box(count_ngrams(spans, &a, &o, |_| true).expect("count")))
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("cooc");
    g.throughput(Throughput::Bytes(text.len() as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    let o = CoocOptions {
        left: 5,
        right: 5,
        cross: false,
        min_count: 1,
        max_memory: 1 << 30,
        spill_dir: None,
    };
    g.bench_function("window5", |b| {
        b.iter(|| {
            let spans = ps.clone().into_iter();
            pool.install(|| black_box(count_cooc(spans, &a, &o, |_| true).expect("count")))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
