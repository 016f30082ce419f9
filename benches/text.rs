//! Throughput of kalima's hot paths on ~1 MB of real Arabic text.
//!
//! ```text
//! cargo bench --bench text                 # all, < 1 minute
//! cargo bench --bench text -- tokenize     # one group
//! ```
//!
//! The text is data/sample/*.txt (UD Arabic-PUD sentences, news and Wikipedia, shipped in the
//! repository) concatenated in name order and repeated to about 1 MB. Every benchmark reports
//! bytes of that input per second, so the figures add up: the time of `analyzer/light` is about
//! `normalize/light` + `tokenize/words`, and `count/analyze+count` adds the hash table.
//! Measurement times are short on purpose (the whole run stays under a minute); use
//! `-- --measurement-time 10` for steadier numbers.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime,
};
use kalima_stats::TermCounter;
use kalima_text::{Analyzer, Normalizer, Scheme, Scratch, Token, words};

const TARGET_BYTES: usize = 1 << 20;

/// data/sample/*.txt in name order, repeated to at least [`TARGET_BYTES`].
fn sample_text() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut one = String::new();
    for p in &paths {
        one.push_str(
            &std::fs::read_to_string(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display())),
        );
        if !one.ends_with('\n') {
            one.push('\n');
        }
    }
    assert!(!one.is_empty(), "no text in {}", dir.display());
    let mut text = String::with_capacity(TARGET_BYTES + one.len());
    while text.len() < TARGET_BYTES {
        text.push_str(&one);
    }
    text
}

fn group<'a>(c: &'a mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes as u64));
    g
}

fn benches(c: &mut Criterion) {
    let text = sample_text();
    let n = text.len();
    let light = Normalizer::light();
    let search = Normalizer::search();
    let normalized = light.normalize(&text).into_owned();

    let mut g = group(c, "normalize", n);
    g.bench_function("light", |b| {
        b.iter(|| black_box(light.normalize(black_box(&text))).len())
    });
    g.bench_function("search", |b| {
        b.iter(|| black_box(search.normalize(black_box(&text))).len())
    });
    g.finish();

    let mut g = group(c, "tokenize", n);
    let mut toks: Vec<Token> = Vec::new();
    g.bench_function("words", |b| {
        b.iter(|| {
            toks.clear();
            words::tokenize(black_box(&normalized), &mut toks);
            toks.len()
        })
    });
    g.bench_function("whitespace", |b| {
        b.iter(|| {
            toks.clear();
            Scheme::Whitespace.tokenize(black_box(&normalized), &mut toks);
            toks.len()
        })
    });
    g.finish();

    let mut g = group(c, "analyzer", n);
    let mut scratch = Scratch::default();
    for (name, norm) in [("none", Normalizer::none()), ("light", light)] {
        let a = Analyzer::new(Scheme::Words, norm);
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut bytes = 0usize;
                a.for_each_term(black_box(&text), &mut scratch, |t| bytes += t.len());
                bytes
            })
        });
    }
    g.finish();

    // Counting alone: the terms are cut once, outside the timing.
    let a = Analyzer::new(Scheme::Words, light);
    let mut terms: Vec<&str> = Vec::new();
    toks.clear();
    words::tokenize(&normalized, &mut toks);
    terms.extend(toks.iter().map(|t| t.text(&normalized)));
    let mut g = group(c, "count", n);
    g.bench_function("term_counter", |b| {
        b.iter(|| {
            let mut c = TermCounter::new();
            c.begin(0, true);
            for t in &terms {
                c.add(black_box(t));
            }
            c.types()
        })
    });
    g.bench_function("analyze+count", |b| {
        b.iter(|| {
            let mut c = TermCounter::new();
            c.begin(0, true);
            a.for_each_term(black_box(&text), &mut scratch, |t| c.add(t));
            c.types()
        })
    });
    g.finish();
}

criterion_group! {
    name = text;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = benches
}
criterion_main!(text);
