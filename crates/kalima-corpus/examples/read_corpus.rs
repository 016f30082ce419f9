//! Iterates every chunk of the given inputs and prints counts and throughput:
//! `cargo run --release -p kalima-corpus --example read_corpus -- PATH...`

use std::time::Instant;

use kalima_corpus::{Corpus, Event, ReadOptions};

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let start = Instant::now();
    let (mut docs, mut chunks, mut bytes, mut notes, mut errors) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for event in Corpus::open(&paths, ReadOptions::default()) {
        match event {
            Event::Chunk(c) => {
                chunks += 1;
                bytes += c.text.len() as u64;
                docs += u64::from(c.last);
            }
            Event::Note(n) => {
                notes += 1;
                if notes <= 5 {
                    eprintln!("note: {n}");
                }
            }
            Event::Error(e) => {
                errors += 1;
                if errors <= 5 {
                    eprintln!("error: {e}");
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{docs} documents, {chunks} chunks, {bytes} bytes of text, {notes} notes, {errors} errors in {secs:.2} s ({:.1} MB/s of text)",
        bytes as f64 / secs / 1e6
    );
}
