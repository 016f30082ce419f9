//! Where a Hugging Face model's encode time goes, for `perf`: train a model on the first
//! 1 MB of FILE, then time its `encode_batch` on the lines of the next 4 MB, three times, on
//! one thread (training is then a small part of the profile).
//!
//! ```sh
//! cargo build --profile profiling -p kalima-bench --example hf_encode_profile
//! perf record -F 499 --call-graph dwarf,16384 -o hf.data \
//!   target/profiling/examples/hf_encode_profile ~/.cache/kalima-bench/ant_20mb.txt bpe
//! perf report -i hf.data --children --stdio --sort sym
//! ```
use kalima_bench::speed::{lines, time_batches};
use kalima_bench::{Kind, train::train};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: hf_encode_profile FILE [bpe|wordpiece|unigram]");
    let kind = match args.next().as_deref() {
        Some("wordpiece") => Kind::WordPiece,
        Some("unigram") => Kind::Unigram,
        _ => Kind::Bpe,
    };
    let text = std::fs::read_to_string(&path).expect("a UTF-8 text file");
    // Cut at a character boundary at or before `from + n`.
    let cut = |from: usize, n: usize| {
        let mut e = (from + n).min(text.len());
        while !text.is_char_boundary(e) {
            e -= 1;
        }
        &text[from..e]
    };
    let train_part = cut(0, 1_000_000);
    let texts: Vec<String> = train_part.lines().map(String::from).collect();
    let test = vec![cut(train_part.len(), 4_000_000).to_string()];
    let items = lines(&test);
    let model = train(kind, 32000, &texts).expect("training");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread");
    for _ in 0..3 {
        let t = time_batches(&model, &items, &one);
        println!("{kind:?}: {} lines, {:.2} MB/s", items.len(), t.mb_per_s());
    }
}
