//! `--max-memory` bounds counting, merging and writing: tables are streamed to the output from
//! external sorts, and must come out byte for byte as without spilling, for every thread
//! count, text format and destination (stdout or `-o`).
mod common;

use common::{kalima_run, sample};
use std::path::Path;

fn ok(args: &[&str]) -> (String, String) {
    let o = kalima_run(args);
    assert_eq!(o.code, 0, "kalima {args:?} failed: {}", o.stderr);
    (o.stdout, o.stderr)
}

/// Folders and files left under `dir`, recursively.
fn left_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            1 + if p.is_dir() { left_in(&p) } else { 0 }
        })
        .sum()
}

/// `cmd` on the sample corpus in memory, then with tiny budgets (1 byte: every table spills
/// and the output sort writes runs of its fewest rows; 4 KB) on one and two threads, to
/// stdout and through `-o`: the same bytes each time, and no temporary file left.
fn same_bytes_when_spilling(cmd: &[&str]) {
    let s = sample();
    let s = s.to_str().unwrap();
    let spill = tempfile::tempdir().unwrap();
    let spill_dir = spill.path().to_str().unwrap();
    for format in ["csv", "tsv", "json", "jsonl"] {
        let base = [cmd, &[s, "--format", format]].concat();
        let (want, _) = ok(&[&base[..], &["-j", "1"]].concat());
        assert!(want.len() > 10_000, "{cmd:?}: too small a table to test");
        for budget in ["1", "4K"] {
            for j in ["1", "2"] {
                let args = [
                    &base[..],
                    &["-j", j, "--max-memory", budget, "--spill-dir", spill_dir],
                ]
                .concat();
                let (got, err) = ok(&args);
                assert!(
                    err.contains("sorted runs from temporary files"),
                    "{args:?} did not spill: {err}"
                );
                assert!(got == want, "{args:?}: other bytes than in memory");
                let out = spill.path().join(format!("out.{format}"));
                let o = out.to_str().unwrap();
                ok(&[&args[..], &["-o", o, "-q"]].concat());
                assert!(
                    std::fs::read_to_string(&out).unwrap() == want,
                    "{args:?} -o"
                );
                std::fs::remove_file(&out).unwrap();
                assert_eq!(left_in(spill.path()), 0, "{args:?}: temporary files left");
            }
        }
    }
}

#[test]
fn ngrams_spilled_and_streamed_give_the_same_bytes() {
    same_bytes_when_spilling(&["ngrams", "-n", "1..3"]);
    same_bytes_when_spilling(&["ngrams", "-n", "2", "--min-count", "2", "--top", "500"]);
}

#[test]
fn cooc_spilled_and_streamed_give_the_same_bytes() {
    same_bytes_when_spilling(&["cooc", "-w", "3"]);
    // Ordered pairs (asymmetric window), every measure (NaN and ties among the values).
    same_bytes_when_spilling(&["cooc", "--left", "1", "--right", "2", "-m", "all"]);
}

#[test]
fn tfidf_long_table_streams_as_it_was_written() {
    // No budget to spill: the long table is written document by document. The same bytes
    // for any thread count, and the JSON parses to the CSV's rows.
    let s = sample();
    let s = s.to_str().unwrap();
    let (one, _) = ok(&["tfidf", s, "--format", "csv", "-j", "1", "-q"]);
    let (two, _) = ok(&["tfidf", s, "--format", "csv", "-j", "2", "-q"]);
    assert!(one.lines().count() > 1000);
    assert_eq!(one, two);
    let (json, _) = ok(&["tfidf", s, "--format", "json", "-q"]);
    let v: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(v.len() + 1, one.lines().count());
}
