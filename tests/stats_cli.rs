//! End-to-end tests of `kalima ngrams`, `cooc`, `collocates` and `keyness`.
mod common;

use common::{kalima_run, sample, shared_data};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn ok(args: &[&str]) -> String {
    let o = kalima_run(args);
    assert_eq!(o.code, 0, "kalima {args:?} failed: {}", o.stderr);
    o.stdout
}

/// Rows of a CSV as string fields (header included).
fn rows(csv: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn ngrams_stop_at_sentence_ends_and_documents() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "a.txt", "كتب الولد الدرس. كتب الولد، ثم نام");
    let g = write(d.path(), "b.txt", "نام كتب");
    let out = ok(&["ngrams", &f, &g, "-n", "2", "--format", "csv"]);
    let r = rows(&out);
    assert_eq!(r[0], ["ngram", "n", "count", "per_million"]);
    let got: Vec<(String, String)> = r[1..]
        .iter()
        .map(|x| (x[0].clone(), x[2].clone()))
        .collect();
    // by hand: كتب الولد ×2; الولد الدرس, الولد ثم (comma is not a word), ثم نام, نام كتب ×1;
    // not الدرس كتب (sentence end) nor نام نام (document boundary).
    let want = [
        ("كتب الولد", "2"),
        ("الولد الدرس", "1"),
        ("الولد ثم", "1"),
        ("ثم نام", "1"),
        ("نام كتب", "1"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    // --cross lets the bigram over the full stop in, never across documents.
    let out = ok(&["ngrams", &f, &g, "-n", "2", "--cross", "--format", "csv"]);
    assert!(out.contains("الدرس كتب,2,1"));
    assert!(!out.contains("نام نام"));
}

#[test]
fn ngrams_stopwords_anywhere_or_at_edges() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "a.txt", "a of b c of d");
    let s = write(d.path(), "stop.txt", "of\n");
    let any = ok(&[
        "ngrams",
        &f,
        "-n",
        "3",
        "--stopwords",
        &s,
        "--format",
        "csv",
    ]);
    assert_eq!(any, "ngram,n,count,per_million\n");
    let edge = ok(&[
        "ngrams",
        &f,
        "-n",
        "3",
        "--stopwords",
        &s,
        "--stopwords-at",
        "edge",
        "--format",
        "csv",
    ]);
    let r = rows(&edge);
    let got: Vec<&str> = r[1..].iter().map(|x| x[0].as_str()).collect();
    assert_eq!(got, ["a of b", "c of d"]);
}

#[test]
fn ngrams_same_output_for_threads_and_spilling() {
    let s = sample();
    let s = s.to_str().unwrap();
    let base = [
        "ngrams", s, "-n", "1..4", "--skip", "1", "--format", "csv", "-q",
    ];
    let one = ok(&[&base[..], &["-j", "1"]].concat());
    let two = ok(&[&base[..], &["-j", "2"]].concat());
    let spilled = ok(&[&base[..], &["-j", "2", "--max-memory", "64K"]].concat());
    // Without -q the spill is reported.
    let noisy = kalima_run(&[
        "ngrams",
        s,
        "-n",
        "2",
        "--max-memory",
        "64K",
        "--format",
        "csv",
    ]);
    assert!(
        noisy.stderr.contains("sorted runs from temporary files"),
        "{}",
        noisy.stderr
    );
    assert!(one.lines().count() > 1000);
    assert_eq!(one, two);
    assert_eq!(one, spilled);
    let c1 = ok(&["cooc", s, "-w", "4", "--format", "csv", "-j", "1", "-q"]);
    let c2 = ok(&[
        "cooc",
        s,
        "-w",
        "4",
        "--format",
        "csv",
        "-j",
        "2",
        "--max-memory",
        "64K",
        "-q",
    ]);
    assert_eq!(c1, c2);
}

#[test]
fn cooc_window_counts_by_hand() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "a.txt", "x y x z");
    let out = ok(&["cooc", &f, "-w", "1", "--format", "csv", "--measure", "mi"]);
    let r = rows(&out);
    assert_eq!(
        r[0],
        ["term_a", "term_b", "count", "count_a", "count_b", "mi"]
    );
    // y is in the 1-word window of x twice (x y, y x), z once; x,x never adjacent.
    // Pairs: (x,y)2 (y,x)2 (x,z)1 (z,x)1 → N = 6; R1(x) = 3, C1(y) = 2.
    // mi(x,y) = log2(2·6/(3·2)) = 1; mi(x,z) = log2(1·6/(3·1)) = 1.
    let got: Vec<Vec<&str>> = r[1..]
        .iter()
        .map(|x| x.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        got,
        [
            ["x", "y", "2", "2", "1", "1"],
            ["x", "z", "1", "2", "1", "1"]
        ]
    );
    // Sentence units: x and y share one sentence, z is alone in the second.
    let f = write(d.path(), "b.txt", "x y x. z x");
    let out = ok(&[
        "cooc",
        &f,
        "--unit",
        "sentence",
        "--format",
        "csv",
        "--measure",
        "dice",
    ]);
    // units = 2; x in 2, y in 1, z in 1; dice(x,y) = 2·1/(2+1)
    assert!(out.contains("x,y,1,2,1,0.6666666666666666"), "{out}");
    let all = ok(&["cooc", &f, "--measure", "all", "--format", "csv"]);
    for col in [
        "logdice",
        "npmi",
        "chi2_yates",
        "fisher_p_two_sided",
        "delta_p_b_a",
        "p_value",
    ] {
        assert!(all.lines().next().unwrap().contains(col), "{col}");
    }
    let bad = kalima_run(&["cooc", &f, "--measure", "nope"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("unknown measure"));
}

#[test]
fn collocates_left_right_by_hand() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "a.txt", "الكتاب في البيت والقلم في الكتاب");
    let out = ok(&[
        "collocates",
        "في",
        &f,
        "-w",
        "1",
        "--format",
        "csv",
        "--measure",
        "t",
    ]);
    let r = rows(&out);
    assert_eq!(
        &r[0][..6],
        [
            "term",
            "count",
            "count_left",
            "count_right",
            "count_node",
            "count_term"
        ]
    );
    let find = |t: &str| r.iter().find(|x| x[0] == t).unwrap().clone();
    // الكتاب: left of في#1, right of في#2
    assert_eq!(&find("الكتاب")[1..6], ["2", "1", "1", "2", "2"]);
    assert_eq!(&find("البيت")[1..4], ["1", "0", "1"]);
    // Prefix node ال* matches الكتاب, البيت (not والقلم).
    let out = ok(&["collocates", "ال*", &f, "-w", "1", "--format", "csv"]);
    let r = rows(&out);
    let fi = r.iter().find(|x| x[0] == "في").unwrap();
    assert_eq!(&fi[1..5], ["3", "2", "1", "3"]);
    let out = ok(&[
        "collocates",
        "--regex",
        "و.*",
        &f,
        "-w",
        "1",
        "--format",
        "csv",
    ]);
    assert_eq!(rows(&out).len(), 3); // header, البيت, في
}

#[test]
fn keyness_against_hand_computation() {
    let d = tempfile::tempdir().unwrap();
    let t = write(d.path(), "t.txt", "a a a a b c d");
    let r = write(d.path(), "r.txt", "a b b c c d d d e e");
    let out = ok(&["keyness", &t, "--reference", &r, "--format", "csv"]);
    let rr = rows(&out);
    let h = &rr[0];
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let a = rr.iter().find(|x| x[col("term")] == "a").unwrap();
    let num = |row: &Vec<String>, c: &str| row[col(c)].parse::<f64>().unwrap();
    // Python, Rayson & Garside (2000): a=4,c=7,b=1,d=10, E1=c(a+b)/(c+d), E2=d(a+b)/(c+d),
    // G2 = 2(a ln(a/E1) + b ln(b/E2)) = 3.155657826749685; log2((4/7)/(1/10)) = 2.514573172829758;
    // %DIFF = 471.4285714285714; BIC = G2 − ln 17 = 0.3224444826934687.
    assert!((num(a, "ll") - 3.155657826749685).abs() < 1e-12);
    assert!((num(a, "log_ratio") - 2.514573172829758).abs() < 1e-12);
    assert!((num(a, "percent_diff") - 471.4285714285714).abs() < 1e-9);
    assert!((num(a, "bic") - 0.3224444826934687).abs() < 1e-12);
    assert_eq!(
        (
            a[col("count_target")].as_str(),
            a[col("count_reference")].as_str()
        ),
        ("4", "1")
    );
    // e: absent from the target: negative LL = −2.1225130042486815, log ratio with 0 → 0.5:
    // log2((0.5/7)/(2/10)) = −1.485426827170242.
    let e = rr.iter().find(|x| x[col("term")] == "e").unwrap();
    assert!((num(e, "ll") + 2.1225130042486815).abs() < 1e-12);
    assert!((num(e, "log_ratio") + 1.485426827170242).abs() < 1e-12);
    // Ordered by signed LL descending: a first, e last.
    assert_eq!(rr[1][col("term")], "a");
    assert_eq!(rr.last().unwrap()[col("term")], "e");
}

#[test]
fn keyness_by_metadata_field() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "a.jsonl",
        "{\"source\":\"s1\",\"content\":\"a a b\"}\n{\"source\":\"s2\",\"content\":\"b b c\"}\n{\"source\":\"s1\",\"content\":\"a\"}\n",
    );
    let out = ok(&["keyness", &f, "--by", "source", "--format", "csv"]);
    let r = rows(&out);
    assert_eq!(&r[0][..3], ["group", "term", "count_target"]);
    let s1a = r.iter().find(|x| x[0] == "s1" && x[1] == "a").unwrap();
    assert_eq!(&s1a[2..4], ["3", "0"]);
    let s2b = r.iter().find(|x| x[0] == "s2" && x[1] == "b").unwrap();
    assert_eq!(&s2b[2..4], ["2", "1"]);
    let bad = kalima_run(&["keyness", &f, "--by", "nosuchfield"]);
    assert_ne!(bad.code, 0);
}

#[test]
fn parquet_keeps_types() {
    use kalima_frame::polars::prelude::*;
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "a.txt", "a b a b c");
    let p = d.path().join("out.parquet");
    ok(&["cooc", &f, "-w", "2", "-o", p.to_str().unwrap()]);
    let df = ParquetReader::new(std::fs::File::open(&p).unwrap())
        .finish()
        .unwrap();
    assert_eq!(df.column("count").unwrap().dtype(), &DataType::UInt64);
    assert_eq!(df.column("logdice").unwrap().dtype(), &DataType::Float64);
    assert_eq!(df.column("term_a").unwrap().dtype(), &DataType::String);
}

#[test]
fn shared_corpora_ant_keyness_by_source() {
    let Some(data) = shared_data() else { return };
    let ant = data.join("ant_multisource/ant_multisource_v2.1.tar.xz");
    let out = ok(&[
        "keyness",
        ant.to_str().unwrap(),
        "--by",
        "SRC",
        "--top",
        "3",
        "--format",
        "csv",
        "-q",
    ]);
    let r = rows(&out);
    let groups: std::collections::BTreeSet<&str> = r[1..].iter().map(|x| x[0].as_str()).collect();
    assert!(groups.len() >= 5, "{groups:?}");
}
