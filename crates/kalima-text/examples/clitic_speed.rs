//! Words per second of the clitic scheme on one thread.
//!
//! `cargo run --release -p kalima-text --example clitic_speed -- FILE`
use std::time::Instant;

use kalima_text::{Analyzer, Normalizer, Scheme, Scratch};

fn main() {
    let path = std::env::args().nth(1).expect("usage: clitic_speed FILE");
    let text = std::fs::read_to_string(&path).expect("read");
    let words = text.split_whitespace().count();
    for scheme in ["words", "clitic"] {
        let a = Analyzer::new(scheme.parse::<Scheme>().unwrap(), Normalizer::none());
        let mut scratch = Scratch::default();
        // Warm the decision cache and the model once, as a long run would.
        let mut n = 0usize;
        let t = Instant::now();
        for line in text.lines() {
            a.for_each_term(line, &mut scratch, |_| n += 1);
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "{scheme}: {words} whitespace words, {n} tokens, {s:.3} s, {:.2} M words/s",
            words as f64 / s / 1e6
        );
    }
}
