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
