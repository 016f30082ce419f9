//! Times writing a freq-sized table (225k rows: term, count, per_million) as CSV through
//! the row writer (`write`) and through a polars `DataFrame` (`write_dataframe`), to a sink.
//!
//! `cargo run --release -p kalima-frame --example write_timing`
use std::time::Instant;

use kalima_frame::{OutputFormat, Table, write, write_dataframe};

fn main() {
    let n = 225_000u64;
    let terms: Vec<String> = (0..n).map(|i| format!("كلمة{i}")).collect();
    let counts: Vec<u64> = (0..n).map(|i| 1 + 1_000_000 / (i + 1)).collect();
    let pm: Vec<f64> = counts.iter().map(|&c| c as f64 * 1e6 / 1.3e7).collect();
    let mut t = Table::new();
    t.push_str("term", terms)
        .push_u64("count", counts)
        .push_f64("per_million", pm);
    for format in [OutputFormat::Csv, OutputFormat::Jsonl] {
        for round in 0..3 {
            let mut a = Vec::with_capacity(8 << 20);
            let s = Instant::now();
            write(&t, format, &mut a).unwrap();
            let rows = s.elapsed();
            let mut b = Vec::with_capacity(8 << 20);
            let s = Instant::now();
            write_dataframe(&mut t.to_dataframe().unwrap(), format, &mut b).unwrap();
            let polars = s.elapsed();
            assert!(a == b);
            println!("{format} round {round}: rows {rows:?}, DataFrame {polars:?}");
        }
    }
}
