//! The "straightforward single-threaded Rust counter" that kalima's speed is compared against
//! (see docs/benchmarks.md and benches/compare.sh). It lives in
//! `benches/baselines/` so that cargo does not also take it for a benchmark target.
//!
//! ```text
//! cargo run --release --example naive_counter -- FILE [TOP]
//! ```
//!
//! It does what a competent Rust programmer would write in ten minutes, with no tricks either
//! way: read the whole file into a `String`, walk it char by char, treat runs of alphanumeric
//! characters (and `_`) as words and every other non-whitespace character as a token of its own
//! (the same split as Python's `re.findall(r"\w+|[^\w\s]", text)`, see
//! shared/bench/py_counter.py), count them in a std `HashMap<String, u64>`, sort by count
//! (descending, then term) and print the top 100 (or TOP) as `term<TAB>count`.
//!
//! No normalization is done: it counts the raw text, so it does less work than `kalima freq`
//! with its default `--normalize light`.

use std::collections::HashMap;
use std::io::{BufWriter, Write};

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: naive_counter FILE [TOP]");
        std::process::exit(2);
    };
    let top: usize = args
        .next()
        .map_or(100, |s| s.parse().expect("TOP must be a number"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("naive_counter: {path}: {e}");
        std::process::exit(2);
    });

    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            *counts.entry(text[s..i].to_string()).or_insert(0) += 1;
        }
        if !c.is_whitespace() {
            *counts.entry(c.to_string()).or_insert(0) += 1;
        }
    }
    if let Some(s) = word_start {
        *counts.entry(text[s..].to_string()).or_insert(0) += 1;
    }

    let mut rows: Vec<(String, u64)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (term, n) in rows.iter().take(top) {
        if writeln!(out, "{term}\t{n}").is_err() {
            return; // closed pipe
        }
    }
    let _ = out.flush();
}
