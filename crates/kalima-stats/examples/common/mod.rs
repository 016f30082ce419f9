//! What the timing examples share: the best of several rounds, and their arguments.
#![allow(dead_code)] // each example uses part of it

use std::time::{Duration, Instant};

/// The shortest time of `rounds` calls of `f`, and the last result.
pub fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        let r = std::hint::black_box(f());
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.expect("at least one round"))
}

/// `[FILE] [ROUNDS]` from the command line: FILE defaults to the benchmark cache's
/// `ant_20mb.txt`, ROUNDS to `rounds`.
pub fn args(rounds: usize) -> (String, usize) {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).cloned().unwrap_or_else(|| {
        let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
        format!("{home}/.cache/kalima-bench/ant_20mb.txt")
    });
    let rounds = args
        .get(2)
        .map_or(rounds, |s| s.parse().expect("ROUNDS is a number"));
    (path, rounds)
}

/// `raw` cut at line ends into pieces of about 1 MB, all of one document (the reader's
/// chunks of a single large file).
pub fn pieces(raw: &str) -> Vec<kalima_stats::engine::Segment> {
    let mut out = Vec::new();
    let mut s = 0;
    while s < raw.len() {
        let mut e = (s + (1 << 20)).min(raw.len());
        while e < raw.len() && raw.as_bytes()[e - 1] != b'\n' {
            e += 1;
        }
        let first = s == 0;
        out.push(kalima_stats::engine::Segment::new(
            0,
            first,
            e == raw.len(),
            raw[s..e].to_string(),
        ));
        s = e;
    }
    out
}
