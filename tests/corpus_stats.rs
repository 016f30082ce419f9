//! End-to-end tests of kwic, dispersion, lexdiv, tfidf, zipf and heaps.
mod common;

use std::path::Path;

use common::{kalima_run, sample, shared_data};

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn ok(args: &[&str]) -> String {
    let o = kalima_run(args);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    o.stdout
}

/// CSV rows as maps of column → value.
fn rows(csv_text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            h.iter()
                .map(str::to_string)
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn num(r: &std::collections::HashMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap()
}

#[test]
fn kwic_matches_normalized_and_shows_the_original() {
    let d = tempfile::tempdir().unwrap();
    let text = "ذهب الولد إلى المَدرسةِ صباحا ثم عاد من المدرسة مساء";
    let f = write(d.path(), "a.txt", text);
    let out = ok(&[
        "kwic",
        "المدرسه",
        &f,
        "--normalize",
        "search",
        "--context",
        "2",
        "--format",
        "csv",
    ]);
    let r = rows(&out);
    assert_eq!(r.len(), 2, "{out}");
    assert_eq!(r[0]["node"], "المَدرسةِ"); // original, diacritics kept
    assert_eq!(r[0]["left"], "الولد إلى");
    assert_eq!(r[0]["right"], "صباحا ثم");
    assert_eq!(r[1]["node"], "المدرسة");
    for row in &r {
        let off: usize = row["offset"].parse().unwrap();
        assert!(text[off..].starts_with(&row["node"]));
    }
    // Prefix, phrase, regex.
    let p = rows(&ok(&["kwic", "ال*", &f, "--format", "csv"]));
    assert_eq!(
        p.iter().map(|r| r["node"].as_str()).collect::<Vec<_>>(),
        ["الولد", "المَدرسةِ", "المدرسة"]
    );
    let ph = rows(&ok(&["kwic", "عاد من", &f, "--format", "csv"]));
    assert_eq!((ph.len(), ph[0]["node"].as_str()), (1, "عاد من"));
    let re = rows(&ok(&["kwic", "--regex", "م.*ء", &f, "--format", "csv"]));
    assert_eq!((re.len(), re[0]["node"].as_str()), (1, "مساء"));
}

#[test]
fn kwic_across_chunk_boundaries_finds_every_match_once() {
    // ~3 MB: several reader chunks; the node word every 5th token.
    let d = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..120_000 {
        text.push_str(&format!("كلمة{i} هدف نص آخر جدا\n"));
    }
    let f = write(d.path(), "big.txt", &text);
    let out = ok(&["kwic", "هدف", &f, "--context", "3", "--format", "tsv"]);
    let lines: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(lines.len(), 120_000);
    let mut last = 0usize;
    for (i, l) in lines.iter().enumerate() {
        let c: Vec<&str> = l.split('\t').collect();
        let off: usize = c[1].parse().unwrap();
        assert!(i == 0 || off > last, "document order");
        last = off;
        assert!(text[off..].starts_with("هدف"));
        assert_eq!(
            c[2],
            if i == 0 {
                "كلمة0".to_string()
            } else {
                format!("آخر جدا كلمة{i}")
            }
        );
        assert_eq!(c[4], "نص آخر جدا");
    }
    // --limit stops early.
    let out = ok(&["kwic", "هدف", &f, "--limit", "3", "--format", "csv"]);
    assert_eq!(out.lines().count(), 4);
}

#[test]
fn kwic_sort_formats_and_escaping() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "a.txt", "x في ج\ny في ب\nz في <script>&\"\n");
    let s = rows(&ok(&[
        "kwic",
        "في",
        &f,
        "--sort",
        "R1",
        "--context",
        "1",
        "--format",
        "csv",
    ]));
    let right: Vec<&str> = s.iter().map(|r| r["right"].as_str()).collect();
    assert_eq!(right, ["<", "ب", "ج"]); // '<' (U+3C) < 'ب' (U+628) < 'ج' (U+62C)
    let top = rows(&ok(&[
        "kwic",
        "في",
        &f,
        "--sort",
        "R1",
        "--limit",
        "1",
        "--context",
        "1",
        "--format",
        "csv",
    ]));
    assert_eq!(top.len(), 1);
    assert_eq!(top[0]["right"], "<");
    let html = ok(&["kwic", "في", &f, "--format", "html"]);
    assert!(html.contains("dir=\"rtl\""));
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;&amp;&quot;"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["kwic", "في", &f, "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[2]["right"], "<script>&\"");
    let jl = ok(&["kwic", "في", &f, "--format", "jsonl"]);
    assert_eq!(jl.lines().count(), 3);
    // Table: the node column is aligned (same display column on every line).
    let t = ok(&["kwic", "في", &f, "--format", "table", "--width", "10"]);
    let cols: Vec<usize> = t
        .lines()
        .map(|l| {
            // The first cell (the context after the node, shown on its left for Arabic) ends
            // with a left-to-right mark: it must end at the same column on every line.
            l.trim_start_matches('\u{200E}')
                .chars()
                .take_while(|&c| c != '\u{200E}')
                .count()
        })
        .collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{t}");
    // Bad sort key.
    assert_eq!(kalima_run(&["kwic", "في", &f, "--sort", "R9"]).code, 2);
}

/// Gries (2008), §3: five parts of 9, 10, 10, 10, 11 tokens; "a" occurs 1..5 times:
/// DP = 0.18, DPnorm = 0.18/0.82 (Lijffijt & Gries 2012).
#[test]
fn dispersion_reproduces_gries_2008() {
    let d = tempfile::tempdir().unwrap();
    let mut paths = vec![];
    for (i, (size, a)) in [(9, 1), (10, 2), (10, 3), (10, 4), (11, 5)]
        .into_iter()
        .enumerate()
    {
        let mut words = vec!["a"; a];
        words.extend(vec!["x"; size - a]);
        paths.push(write(d.path(), &format!("{i}.txt"), &words.join(" ")));
    }
    let mut args = vec!["dispersion", "--format", "csv"];
    args.extend(paths.iter().map(String::as_str));
    let r = rows(&ok(&args));
    let a = r.iter().find(|r| r["term"] == "a").unwrap();
    assert_eq!(
        (a["freq"].as_str(), a["range"].as_str(), a["parts"].as_str()),
        ("15", "5", "5")
    );
    assert!((num(a, "dp") - 0.18).abs() < 1e-12);
    assert!((num(a, "dp_norm") - 0.18 / 0.82).abs() < 1e-12);
    // Independent values of the same example (dispersion.rs unit tests, Python).
    assert!((num(a, "juilland_d") - 0.7851504534504508).abs() < 1e-9);
    assert!((num(a, "rosengren_s") - 0.9498163423042408).abs() < 1e-9);
    // Rows: frequency descending ("x" 35 first).
    assert_eq!(r[0]["term"], "x");
}

#[test]
fn dispersion_equal_parts_and_positions() {
    // 100 tokens in one document; "a" at positions 0, 25, 50, 75 (evenly spaced):
    // ARF = ALDF = f = 4; in 4 equal parts, one per part: DP = 0, D = 1.
    let d = tempfile::tempdir().unwrap();
    let words: Vec<&str> = (0..100)
        .map(|i| if i % 25 == 0 { "a" } else { "x" })
        .collect();
    let f = write(d.path(), "one.txt", &words.join(" "));
    let r = rows(&ok(&["dispersion", &f, "--parts", "4", "--format", "csv"]));
    let a = r.iter().find(|r| r["term"] == "a").unwrap();
    assert!((num(a, "arf") - 4.0).abs() < 1e-12 && (num(a, "aldf") - 4.0).abs() < 1e-12);
    assert!(num(a, "dp").abs() < 1e-12 && (num(a, "juilland_d") - 1.0).abs() < 1e-12);
    // 2 parts: both halves hold 2: still even. 3 parts (33, 33, 34 tokens) hold 2, 1, 1.
    let r = rows(&ok(&["dispersion", &f, "--parts", "3", "--format", "csv"]));
    let a = r.iter().find(|r| r["term"] == "a").unwrap();
    let p: [f64; 3] = [0.33, 0.33, 0.34];
    let want = 0.5 * ((0.5 - p[0]).abs() + (0.25 - p[1]).abs() + (0.25 - p[2]).abs());
    assert!((num(a, "dp") - want).abs() < 1e-12, "{a:?}");
    assert_eq!(kalima_run(&["dispersion", &f, "--parts", "0"]).code, 2);
}

#[test]
fn lexdiv_rows_and_values() {
    let d = tempfile::tempdir().unwrap();
    let f1 = write(d.path(), "1.txt", "a a b");
    let f2 = write(d.path(), "2.txt", "c d");
    let r = rows(&ok(&["lexdiv", &f1, &f2, "--by", "doc", "--format", "csv"]));
    assert_eq!(r.len(), 3);
    assert_eq!(r[2]["doc"], "(corpus)"); // corpus row last
    assert_eq!(
        (r[0]["tokens"].as_str(), r[0]["types"].as_str()),
        ("3", "2")
    );
    assert!((num(&r[0], "ttr") - 2.0 / 3.0).abs() < 1e-12);
    // lexicalrichness 0.5.1 on ["a","a","b"]: yulek = 2222.2222222222226.
    assert!((num(&r[0], "yule_k") - 2222.2222222222226).abs() < 1e-9);
    // Corpus "a a b c d": N = 5, V = 4, M2 = 4 + 1 + 1 + 1 = 7: K = 1e4·2/25 = 800.
    assert_eq!(
        (r[2]["tokens"].as_str(), r[2]["types"].as_str()),
        ("5", "4")
    );
    assert!((num(&r[2], "yule_k") - 800.0).abs() < 1e-9);
    let cols = [
        "ttr",
        "herdan_c",
        "guiraud_r",
        "cttr",
        "dugast_u",
        "summer_s",
        "yule_k",
        "yule_i",
        "simpson_d",
        "herdan_vm",
        "maas_a2",
        "mattr",
        "msttr",
        "mtld",
        "hdd",
    ];
    for c in cols {
        assert!(r[0].contains_key(c), "{c}");
    }
    // Without --by: the corpus row only.
    assert_eq!(rows(&ok(&["lexdiv", &f1, &f2, "--format", "csv"])).len(), 1);
}

#[test]
fn output_does_not_depend_on_threads() {
    let s = sample();
    let s = s.to_str().unwrap();
    for cmd in [
        vec!["lexdiv", s, "--by", "doc"],
        vec!["dispersion", s],
        vec!["tfidf", s],
        vec!["zipf", s, "--fit"],
        vec!["heaps", s],
    ] {
        let mut a = cmd.clone();
        a.extend(["-j", "1", "-q", "--format", "csv"]);
        let mut b = cmd.clone();
        b.extend(["-j", "3", "-q", "--format", "csv"]);
        let (x, y) = (ok(&a), ok(&b));
        let diff = x.lines().zip(y.lines()).find(|(p, q)| p != q);
        assert!(x == y, "{cmd:?}: first difference {diff:?}");
    }
}

/// A corpus for the ordered passes (kwic, dispersion, heaps, lexdiv): one large document of
/// `big_lines` lines (read in several chunks) among small ones, with a frequent node word,
/// a phrase, punctuation-only fields, diacritics and tatweel; words drawn by a fixed LCG.
fn ordered_corpus(dir: &Path, big_lines: usize) {
    const WORDS: [&str; 14] = [
        "هدف",
        "نص",
        "آخر",
        "جدا",
        "كتب",
        "الولد",
        "الدرسَ",
        "المدرســة",
        "في",
        "من",
        "،",
        ".",
        "عاد",
        "١٢٣",
    ];
    let mut x = 7u64;
    let mut next = move |n: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as usize % n
    };
    let mut lines = |n: usize| {
        let mut t = String::new();
        for _ in 0..n {
            let len = 1 + next(30);
            let words: Vec<String> = (0..len)
                .map(|_| match next(40) {
                    0 => "عاد من".to_string(),
                    k if k <= WORDS.len() => WORDS[k - 1].to_string(),
                    k => format!("كلمة{}", next(500 * k)),
                })
                .collect();
            t.push_str(&words.join(if next(5) == 0 { "  " } else { " " }));
            t.push('\n');
        }
        t
    };
    write(dir, "a.txt", &lines(3));
    write(dir, "big.txt", &lines(big_lines));
    write(dir, "c.txt", &lines(40));
    write(dir, "d.txt", "هدف");
}

#[test]
fn ordered_commands_give_the_same_bytes_for_every_thread_count() {
    let d = tempfile::tempdir().unwrap();
    // About 2.5 MB: the large document spans three reader chunks.
    ordered_corpus(d.path(), 60_000);
    let p = d.path().to_str().unwrap();
    let mut sizes = Vec::new();
    for cmd in [
        vec!["kwic", "هدف", p, "--context", "4"],
        vec!["kwic", "عاد من", p],
        vec!["kwic", "كلمة1*", p, "--sort", "R1,L2", "--limit", "2000"],
        vec!["dispersion", p],
        vec!["dispersion", p, "--parts", "7"],
        vec!["heaps", p],
        vec!["lexdiv", p, "--by", "doc"],
    ] {
        let outs: Vec<String> = ["1", "2", "4"]
            .iter()
            .map(|j| {
                let mut a = cmd.clone();
                a.extend(["-j", j, "-q", "--format", "csv"]);
                ok(&a)
            })
            .collect();
        for (o, j) in outs[1..].iter().zip(["2", "4"]) {
            let diff = outs[0].lines().zip(o.lines()).find(|(p, q)| p != q);
            assert!(o == &outs[0], "{cmd:?} -j {j}: first difference {diff:?}");
        }
        sizes.push(outs[0].lines().count());
    }
    // Not vacuous: every command found something.
    assert!(sizes.iter().all(|&n| n > 3), "{sizes:?}");
}

#[test]
fn ordered_passes_do_not_depend_on_chunks_or_threads() {
    use kalima::dispersion::{DispersionOptions, Parts, dispersion};
    use kalima::heaps::{HeapsOptions, heaps};
    use kalima::kwic::{KwicOptions, SortKey, kwic};
    use kalima::lexdiv::{LexdivOptions, lexdiv};
    use kalima::{Job, ReadOptions, Source};

    let d = tempfile::tempdir().unwrap();
    ordered_corpus(d.path(), 3_000);
    let job = |chunk_size: usize, threads: usize| {
        Job::new(Source::Paths(vec![d.path().to_path_buf()]))
            .with_read(ReadOptions {
                chunk_size,
                ..ReadOptions::default()
            })
            .with_threads(threads)
    };
    let kwic_opts = [
        KwicOptions {
            context: 3,
            ..KwicOptions::new("هدف")
        },
        KwicOptions::new("عاد من"),
        KwicOptions {
            sort: vec![SortKey::Right(2), SortKey::Left(1)],
            limit: Some(300),
            ..KwicOptions::new("كلمة2*")
        },
    ];
    let by_doc = LexdivOptions {
        by_doc: true,
        ..LexdivOptions::default()
    };
    let parts = DispersionOptions {
        parts: Parts::Equal(7),
        ..DispersionOptions::default()
    };
    let run = |job: &Job| {
        let lines: Vec<_> = kwic_opts
            .iter()
            .map(|o| kwic(job, o).unwrap().value)
            .collect();
        (
            lines,
            dispersion(job, &DispersionOptions::default())
                .unwrap()
                .value,
            dispersion(job, &parts).unwrap().value,
            heaps(job, &HeapsOptions::default()).unwrap().value,
            lexdiv(job, &by_doc).unwrap().value,
        )
    };
    // Reference: every document in one chunk, one thread: nothing spans a chunk.
    let reference = run(&job(1 << 30, 1));
    assert!(reference.0.iter().all(|c| c.lines.len() > 5));
    assert!(reference.0[1].lines.iter().all(|l| l.node == "عاد من"));
    let want = format!("{reference:?}");
    // Chunks of a few words up to the default megabyte, on 1, 2 and 4 threads.
    for chunk_size in [23, 97, 4096, ReadOptions::default().chunk_size] {
        for threads in [1, 2, 4] {
            let got = run(&job(chunk_size, threads));
            // Debug prints every float exactly (and NaN, which `==` would call different).
            assert_eq!(
                format!("{got:?}"),
                want,
                "chunks of {chunk_size} bytes, {threads} threads"
            );
        }
    }
}

/// scikit-learn `TfidfVectorizer(token_pattern=r"\S+")` (smooth idf, raw tf, l2) on three
/// documents (scripts/corpus_stats_reference.py).
#[test]
fn tfidf_matches_scikit_learn_and_exports_matrix_market() {
    let d = tempfile::tempdir().unwrap();
    let files = [
        write(d.path(), "1.txt", "a b b c"),
        write(d.path(), "2.txt", "b c c c d"),
        write(d.path(), "3.txt", "a a e"),
    ];
    let mut args = vec!["tfidf", "--idf", "smooth", "--tf", "raw", "--format", "csv"];
    args.extend(files.iter().map(String::as_str));
    let r = rows(&ok(&args));
    let get = |doc: usize, t: &str| {
        r.iter()
            .find(|x| x["doc"].ends_with(&format!("{}.txt", doc + 1)) && x["term"] == t)
            .map(|x| num(x, "tfidf"))
    };
    assert!((get(0, "b").unwrap() - 0.816496580927726).abs() < 1e-12);
    assert!((get(1, "c").unwrap() - 0.8759764831931964).abs() < 1e-12);
    assert!((get(1, "d").unwrap() - 0.38393460220384124).abs() < 1e-12);
    assert!((get(2, "e").unwrap() - 0.5493512310263033).abs() < 1e-12);
    assert!(get(2, "b").is_none());
    assert_eq!(r.len(), 8); // nnz
    // Matrix Market: header, 3 × 5, 8 entries; companion term and document lists.
    let prefix = d.path().join("m");
    let mut margs = vec![
        "tfidf",
        "--idf",
        "smooth",
        "--matrix",
        prefix.to_str().unwrap(),
    ];
    margs.extend(files.iter().map(String::as_str));
    ok(&margs);
    let mtx = std::fs::read_to_string(d.path().join("m.mtx")).unwrap();
    let mut lines = mtx.lines().filter(|l| !l.starts_with('%'));
    assert_eq!(lines.next(), Some("3 5 8"));
    assert_eq!(lines.count(), 8);
    let terms = std::fs::read_to_string(d.path().join("m.terms.txt")).unwrap();
    assert_eq!(terms.lines().count(), 5);
    assert_eq!(
        std::fs::read_to_string(d.path().join("m.docs.txt"))
            .unwrap()
            .lines()
            .count(),
        3
    );
}

#[test]
fn zipf_and_heaps() {
    // Counts exactly ∝ 1/r (term r repeated 600/r times): Zipf MLE near s = 1.
    let d = tempfile::tempdir().unwrap();
    let mut words = vec![];
    for r in 1..=60usize {
        for _ in 0..600 / r {
            words.push(format!("w{r}"));
        }
    }
    let f = write(d.path(), "z.txt", &words.join(" "));
    let fit = rows(&ok(&["zipf", &f, "--fit", "--format", "csv", "-q"]));
    let models: Vec<&str> = fit.iter().map(|r| r["model"].as_str()).collect();
    assert_eq!(models, ["zipf", "zipf_mandelbrot", "power_law"]);
    assert!((num(&fit[0], "s") - 1.0).abs() < 0.02, "{fit:?}");
    let table = rows(&ok(&["zipf", &f, "--top", "3", "--format", "csv", "-q"]));
    assert_eq!(table.len(), 3);
    assert_eq!(
        (table[0]["term"].as_str(), table[0]["count"].as_str()),
        ("w1", "600")
    );
    // Heaps: every token new: V = N, β = 1, K = 1.
    let distinct: Vec<String> = (0..5000).map(|i| format!("t{i}")).collect();
    let g = write(d.path(), "h.txt", &distinct.join(" "));
    let h = rows(&ok(&["heaps", &g, "--fit", "--format", "csv", "-q"]));
    assert!((num(&h[0], "beta") - 1.0).abs() < 1e-12 && (num(&h[0], "k") - 1.0).abs() < 1e-9);
    let curve = rows(&ok(&["heaps", &g, "--format", "csv", "-q"]));
    assert_eq!(curve.last().unwrap()["tokens"], "5000");
    assert!(curve.iter().all(|r| r["tokens"] == r["types"]));
}

#[test]
fn commands_run_on_shared_corpora() {
    let Some(data) = shared_data() else { return };
    let pud = data.join("ud_arabic_pud");
    let p = pud.to_str().unwrap();
    for args in [
        vec!["kwic", "في", p, "--limit", "5", "--format", "csv"],
        vec![
            "dispersion",
            p,
            "--parts",
            "10",
            "--top",
            "50",
            "--format",
            "csv",
        ],
        vec!["lexdiv", p, "--by", "doc", "--format", "csv"],
        vec!["tfidf", p, "--top", "3", "--format", "csv"],
        vec!["zipf", p, "--fit", "--format", "csv", "-q"],
        vec!["heaps", p, "--fit", "--format", "csv", "-q"],
    ] {
        let out = ok(&args);
        assert!(out.lines().count() >= 2, "{args:?}: {out}");
    }
}
