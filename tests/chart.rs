//! End-to-end tests of `kalima chart`.

mod common;

use common::{kalima_run, sample};
use kalima_plot::compare::compare_png;

fn out(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_string_lossy().into_owned()
}

#[test]
fn every_wired_kind_writes_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let reference = out(&dir, "reference.txt");
    std::fs::write(
        &reference,
        "قال الرئيس إن الاقتصاد ينمو. وقال الوزير إن الحكومة تعمل في المدينة.\n",
    )
    .unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["freq", &s, "--stopwords", "ar", "--top", "12"],
        vec!["cloud", &s, "--stopwords", "ar", "--seed", "3"],
        vec!["zipf", &s],
        vec!["heaps", &s],
        vec!["dispersion", "مصر", "الحكومة", &s],
        vec!["ngrams", "-n", "2", &s, "--stopwords", "ar", "--top", "10"],
        vec!["collocates", "في", &s, "--window", "3", "--top", "10"],
        vec!["keyness", &s, "--reference", &reference, "--top", "5"],
    ];
    for (i, c) in cases.iter().enumerate() {
        for ext in ["png", "svg"] {
            let o = out(&dir, &format!("{i}.{ext}"));
            let mut args = vec!["chart"];
            args.extend(c.iter().copied());
            args.extend(["-o", &o, "-q"]);
            let r = kalima_run(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            let bytes = std::fs::read(&o).unwrap();
            if ext == "png" {
                assert_eq!(&bytes[1..4], b"PNG");
            } else {
                assert!(bytes.starts_with(b"<svg"));
            }
        }
    }
}

#[test]
fn same_input_same_bytes_any_threads() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let (a, b) = (out(&dir, "a.png"), out(&dir, "b.png"));
    for (o, j) in [(&a, "1"), (&b, "4")] {
        let r = kalima_run(&[
            "chart",
            "freq",
            &s,
            "-o",
            o,
            "-j",
            j,
            "-q",
            "--title",
            "أكثر الكلمات",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn bad_usage_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let r = kalima_run(&["chart", "freq", &s, "-o", &out(&dir, "x.jpg")]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".png or .svg"));
    let r = kalima_run(&["chart", "dispersion", &s, "-o", &out(&dir, "x.png")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("TERM"), "{}", r.stderr);
    // no dates in the sample: a clear error, not an empty chart
    let r = kalima_run(&["chart", "timeline", "مصر", &s, "-o", &out(&dir, "t.png")]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("date"), "{}", r.stderr);
    assert!(!dir.path().join("t.png").exists());
}

/// Whether tesseract with its Arabic and English models is installed; without it the OCR
/// tests are skipped with a message, or fail under `KALIMA_REQUIRE_TOOLS=1` (CI).
fn tesseract_ara() -> bool {
    if common::tool("tesseract").is_none() {
        return false;
    }
    let langs = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .unwrap();
    let langs = String::from_utf8_lossy(&langs.stdout);
    let have = |l: &str| langs.lines().any(|x| x.trim() == l);
    if have("ara") && have("eng") {
        return true;
    }
    assert_ne!(
        std::env::var("KALIMA_REQUIRE_TOOLS").as_deref(),
        Ok("1"),
        "tesseract's Arabic and English models (tesseract-ocr-ara, tesseract-ocr-eng) are \
         required (KALIMA_REQUIRE_TOOLS=1) but `tesseract --list-langs` gives:\n{langs}"
    );
    eprintln!("skipped: tesseract-ocr-ara or tesseract-ocr-eng is not installed");
    false
}

/// The text tesseract (Arabic + English models) reads in `png`, under two page segmentations:
/// one uniform block (`--psm 6`), which keeps a bar's label and value on one line, and sparse
/// text (`--psm 11`), which finds labels scattered over the plot (dispersion rows, legends)
/// that the block mode merges with the drawing and drops.
fn ocr(png: &std::path::Path) -> String {
    let mut text = String::new();
    for psm in ["6", "11"] {
        let o = std::process::Command::new("tesseract")
            .arg(png)
            .arg("-")
            .args(["-l", "ara+eng", "--psm", psm])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "tesseract {}: {}",
            png.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        text.push_str(&String::from_utf8_lossy(&o.stdout));
        text.push('\n');
    }
    text
}

/// Text folded for comparing OCR output with the words of a table: the letter variants OCR
/// confuses or a font draws alike are merged (hamza forms of alef → ا, ى and Persian ی → ي,
/// ة → ه, Persian ک → ك, Arabic-Indic digits → ASCII), harakat and tatweel removed, Latin
/// lowercased, and every other character that is not a letter or digit (punctuation, the
/// bidi marks tesseract inserts, `:` of `tiktoken:o200k_base`, the `.` of a decimal) made a
/// word break; the result has one space between words and one at each end, so that
/// `contains(" word ")` matches whole words only.
fn ocr_fold(s: &str) -> String {
    let mut out = String::from(" ");
    for c in s.chars() {
        let c = match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' | 'ی' => 'ي',
            'ة' => 'ه',
            'ک' => 'ك',
            '٠'..='٩' => char::from(b'0' + (c as u32 - 0x660) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - 0x6F0) as u8),
            _ => c,
        };
        // Harakat, superscript alef, tatweel: marks, not letters, and dropped by OCR anyway.
        if ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}' || c == '\u{0640}' {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// The labels of `want` that OCR read in `text`, compared as whole words after [`ocr_fold`].
fn read_back<'a>(want: &'a [String], text: &str) -> Vec<&'a str> {
    let text = ocr_fold(text);
    want.iter()
        .map(String::as_str)
        .filter(|w| {
            let w = ocr_fold(w);
            !w.trim().is_empty() && text.contains(&w)
        })
        .collect()
}

#[test]
fn ocr_fold_merges_variants_and_keeps_word_boundaries() {
    let t = ocr_fold("\u{200f}الأراضى\u{200e} ، بشآن: tiktoken:cl100k_base ١٢٫٥ K= 1.23");
    assert_eq!(t, " الاراضي بشان tiktoken cl100k base 12 5 k 1 23 ");
    assert_eq!(ocr_fold("الْعَالَمُ"), ocr_fold("العالم"));
    let want = ["الأراضي", "شان", "1.23", "cl100k_base", "لغة"].map(String::from);
    assert_eq!(
        read_back(&want, "الأراضى بشأن 1.23 tiktoken:cl100k_base"),
        ["الأراضي", "1.23", "cl100k_base"],
        "a part of a word (شان in بشان) is not a word read back"
    );
}

/// The top terms of the sample are read back by OCR from the PNG.
#[test]
fn ocr_reads_back_the_top_terms_of_the_sample() {
    if !tesseract_ara() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let png = out(&dir, "f.png");
    let r = kalima_run(&[
        "chart",
        "freq",
        &s,
        "--stopwords",
        "ar",
        "--top",
        "8",
        "--scale",
        "2",
        "-o",
        &png,
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let top: Vec<String> = common::command_rows(&[
        "freq",
        &s,
        "--stopwords",
        "ar",
        "--drop-punct",
        "--top",
        "3",
    ])
    .into_iter()
    .map(|r| r["term"].clone())
    .collect();
    let text = ocr(std::path::Path::new(&png));
    assert_eq!(
        read_back(&top, &text),
        top,
        "OCR did not read every top term in:\n{text}"
    );
}

#[test]
fn statistics_kinds_same_bytes_any_threads_and_need_their_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    for kind in [vec!["ngrams", "-n", "2"], vec!["collocates", "في"]] {
        let (a, b) = (out(&dir, "a.svg"), out(&dir, "b.svg"));
        for (o, j) in [(&a, "1"), (&b, "3")] {
            let mut args = vec!["chart"];
            args.extend(kind.iter().copied());
            args.extend([s.as_str(), "-o", o, "-j", j, "-q"]);
            let r = kalima_run(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        }
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{kind:?}"
        );
    }
    let o = out(&dir, "k.png");
    let r = kalima_run(&["chart", "keyness", &s, "-o", &o, "-q"]);
    assert_eq!(r.code, 2, "keyness without --reference: {}", r.stderr);
    assert!(r.stderr.contains("--reference"), "{}", r.stderr);
    let r = kalima_run(&["chart", "collocates", "كلمةغيرموجودة", &s, "-o", &o, "-q"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("does not occur"), "{}", r.stderr);
}

/// The gallery (docs/gallery.md): one chart of each kind, made from the bundled sample (the
/// bench chart from the committed benchmark results; the timeline from the shared
/// SaudiNewsNet, the only dated corpus at hand). Its PNGs in
/// docs/img are the reference images the rendering tests compare against.
fn gallery() -> Vec<(&'static str, Vec<String>)> {
    let s = sample();
    let files = |prefix: char| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&s)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.split('-')
                    .nth(1)
                    .is_some_and(|r| r.starts_with(prefix))
            })
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let sp = s.to_string_lossy().into_owned();
    let src = "المصدر: عينة kalima (UD Arabic-PUD، CC BY-SA 3.0)".to_string();
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut g = vec![
        (
            "freq",
            [
                v(&["freq", &sp, "--stopwords", "ar", "--top", "15"]),
                v(&["--title", "أكثر الكلمات تكراراً", "--source", &src]),
            ]
            .concat(),
        ),
        (
            "ngrams",
            [
                v(&["ngrams", "-n", "2", &sp, "--stopwords", "ar", "--top", "12"]),
                v(&["--title", "أكثر الثنائيات تكراراً", "--digits", "arabic"]),
                v(&["--source", &src]),
            ]
            .concat(),
        ),
        (
            "collocates",
            [
                v(&[
                    "collocates",
                    "عام",
                    &sp,
                    "--window",
                    "5",
                    "--min-count",
                    "2",
                ]),
                v(&["--top", "12", "--title", "ما يصاحب كلمة «عام» (logDice)"]),
                v(&["--source", &src]),
            ]
            .concat(),
        ),
        (
            "keyness",
            [
                v(&["keyness"]),
                files('n'),
                v(&["--reference"]),
                files('w'),
                v(&["--stopwords", "ar", "--top", "8"]),
                v(&["--title", "كلمات الأخبار مقابل ويكيبيديا (log-likelihood)"]),
                v(&["--source", &src]),
            ]
            .concat(),
        ),
        (
            "zipf",
            v(&[
                "zipf",
                &sp,
                "--title",
                "قانون زيبف في العينة",
                "--source",
                &src,
            ]),
        ),
        (
            "heaps",
            v(&[
                "heaps",
                &sp,
                "--theme",
                "dark",
                "--title",
                "نمو المفردات (Heaps)",
            ]),
        ),
        (
            "dispersion",
            [
                v(&["dispersion", "العالم", "البحر", "منطقة", "الأمر", &sp]),
                v(&["--title", "أين تظهر الكلمات في العينة"]),
            ]
            .concat(),
        ),
        (
            "cloud",
            v(&[
                "cloud",
                &sp,
                "--stopwords",
                "ar",
                "--seed",
                "7",
                "--size",
                "square",
            ]),
        ),
    ];
    let bench = common::root().join("docs/bench/ant-saudinewsnet-full.csv");
    g.push((
        "bench",
        [
            v(&[
                "bench",
                bench.to_str().unwrap(),
                "--metric",
                "word_f1",
                "--ltr",
            ]),
            v(&["--title", "Agreement with gold UD words (word F1)"]),
            v(&[
                "--subtitle",
                "ANT + SaudiNewsNet, 165 MB test part; gold: UD Arabic-PUD + PADT dev",
            ]),
            v(&["--source", "kalima bench (docs/tokenizer-benchmark.md)"]),
        ]
        .concat(),
    ));
    if let Some(shared) = common::shared_data() {
        let snn = shared.join("saudinewsnet/saudinewsnet_2015.tar.xz");
        g.push((
            "timeline",
            [
                v(&["timeline", "السعودية", "اليمن", "إيران"]),
                v(&[snn.to_str().unwrap(), "--by", "date", "--period", "day"]),
                v(&[
                    "--title",
                    "السعودية واليمن وإيران في SaudiNewsNet، صيف 2015",
                ]),
                v(&["--source", "المصدر: SaudiNewsNet (CC BY-NC-SA 4.0)"]),
            ]
            .concat(),
        ));
    }
    g
}

fn render(args: &[String], out: &std::path::Path) {
    let mut a = vec!["chart"];
    a.extend(args.iter().map(String::as_str));
    a.extend(["-o", out.to_str().unwrap(), "-q"]);
    let r = kalima_run(&a);
    assert_eq!(r.code, 0, "{a:?}: {}", r.stderr);
}

/// Each gallery chart, made again, is the same picture as its committed reference image in
/// docs/img (within `ImageDiff::is_same_picture`'s tolerance, which fails on unjoined or
/// reversed Arabic: see kalima-plot's render tests). After an intended change of the layout,
/// regenerate them with `KALIMA_UPDATE_GALLERY=1 cargo test --release --test chart gallery`.
#[test]
fn gallery_charts_match_their_reference_images() {
    let update = std::env::var("KALIMA_UPDATE_GALLERY").as_deref() == Ok("1");
    let dir = tempfile::tempdir().unwrap();
    let mut failed = Vec::new();
    for (name, args) in gallery() {
        let got = dir.path().join(format!("{name}.png"));
        render(&args, &got);
        let reference = common::root().join(format!("docs/img/chart-{name}.png"));
        if update {
            std::fs::copy(&got, &reference).unwrap();
            continue;
        }
        let want =
            std::fs::read(&reference).unwrap_or_else(|e| panic!("{}: {e}", reference.display()));
        match compare_png(&want, &std::fs::read(&got).unwrap()) {
            Ok(d) if d.is_same_picture() => {}
            other => {
                let keep = std::env::temp_dir().join(format!("kalima-chart-{name}.png"));
                std::fs::copy(&got, &keep).unwrap();
                failed.push(format!("{name}: {other:?} (new image: {})", keep.display()));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "charts differ from docs/img (KALIMA_UPDATE_GALLERY=1 to accept):\n{}",
        failed.join("\n")
    );
}

/// The SVG drawn by a real browser (headless Chromium) is the same picture as our PNG, for
/// every gallery chart: text is outlines, so nothing is re-shaped, re-ordered or flipped.
#[test]
fn svg_in_chromium_is_the_same_picture_as_the_png() {
    if common::tool("chromium").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in gallery() {
        let (png, svg, shot) = (
            dir.path().join(format!("{name}.png")),
            dir.path().join(format!("{name}.svg")),
            dir.path().join(format!("{name}-chromium.png")),
        );
        render(&args, &png);
        render(&args, &svg);
        let ours = std::fs::read(&png).unwrap();
        // PNG header: width and height, big-endian, at bytes 16..24.
        let w = u32::from_be_bytes(ours[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(ours[20..24].try_into().unwrap());
        let o = common::chromium(&[
            "--force-device-scale-factor=1",
            &format!("--window-size={w},{h}"),
            &format!("--screenshot={}", shot.display()),
            &format!("file://{}", svg.display()),
        ]);
        assert!(
            shot.is_file(),
            "{name}: no screenshot: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let d = compare_png(&ours, &std::fs::read(&shot).unwrap()).unwrap();
        eprintln!("{name}: {d:?}");
        assert!(
            d.is_same_picture(),
            "{name}: Chromium's SVG differs from the PNG: {d:?}"
        );
    }
}

/// Options of `kalima chart` that shape the picture, not the numbers: left out when the same
/// arguments are given to the table command. Each takes a value except `--ltr`.
const CHART_ONLY: [&str; 8] = [
    "--title",
    "--subtitle",
    "--source",
    "--digits",
    "--theme",
    "--size",
    "--seed",
    "--metric",
];

/// The labels a gallery chart must show, taken from the table the chart's command prints
/// (`kalima KIND … --format csv`, the commands tested against reference libraries elsewhere),
/// not from the chart code; for zipf and heaps, the fitted parameters of `kalima zipf --fit`
/// and `kalima heaps --fit` (drawn in the legend, to 3 and 2 decimals) and the axis titles.
fn expected_labels(name: &str, args: &[String]) -> Vec<String> {
    let mut table: Vec<&str> = Vec::new();
    let mut it = args.iter().map(String::as_str);
    while let Some(a) = it.next() {
        if CHART_ONLY.contains(&a) {
            it.next();
        } else if a != "--ltr" {
            table.push(a);
        }
    }
    let column = |rows: Vec<std::collections::BTreeMap<String, String>>, c: &str| {
        rows.into_iter().map(|r| r[c].clone()).collect::<Vec<_>>()
    };
    match name {
        "freq" => column(
            common::command_rows(&[table.as_slice(), &["--drop-punct"]].concat()),
            "term",
        ),
        // The chart drops an n-gram whose first or last word is a stop word.
        "ngrams" => column(
            common::command_rows(&[table.as_slice(), &["--stopwords-at", "edge"]].concat()),
            "ngram",
        ),
        "collocates" => column(common::command_rows(&table), "term"),
        // A row per term asked for, labelled with its count in `kalima dispersion`'s table.
        "dispersion" => {
            let (terms, path) = table[1..].split_at(table.len() - 2);
            let rows = common::command_rows(&["dispersion", path[0]]);
            terms
                .iter()
                .map(|t| {
                    let r = rows.iter().find(|r| r["term"] == *t).unwrap();
                    format!("{t} ({})", r["freq"])
                })
                .collect()
        }
        // Diverging bars: the `--top` most over-used terms (log-likelihood > 0) and the `--top`
        // most under-used (by `ll`, signed log-likelihood), words only.
        "keyness" => {
            let k = table.iter().position(|a| *a == "--top").unwrap();
            let top: usize = table[k + 1].parse().unwrap();
            table.drain(k..k + 2);
            let rows = common::command_rows(&table);
            let ll = |r: &std::collections::BTreeMap<String, String>| -> f64 {
                r["ll"].parse().unwrap()
            };
            let words: Vec<_> = rows
                .iter()
                .filter(|r| r["term"].chars().any(char::is_alphanumeric))
                .collect();
            let mut over: Vec<_> = words.iter().filter(|r| ll(r) > 0.0).collect();
            let mut under: Vec<_> = words.iter().filter(|r| ll(r) < 0.0).collect();
            over.sort_by(|a, b| ll(b).total_cmp(&ll(a)));
            under.sort_by(|a, b| ll(a).total_cmp(&ll(b)));
            over.iter()
                .take(top)
                .chain(under.iter().take(top))
                .map(|r| r["term"].clone())
                .collect()
        }
        // The biggest words of the cloud: the top 20 of its 100 terms.
        "cloud" => column(
            common::command_rows(&[
                "freq",
                table[1],
                "--stopwords",
                "ar",
                "--drop-punct",
                "--top",
                "20",
            ]),
            "term",
        ),
        "zipf" => {
            let fit = common::command_rows(&["zipf", table[1], "--fit"]);
            let z = fit.iter().find(|r| r["model"] == "zipf").unwrap();
            let s: f64 = z["s"].parse().unwrap();
            vec![format!("{s:.3}"), "الرتبة".into(), "التكرار".into()]
        }
        "heaps" => {
            let fit = &csv_numbers(&["heaps", table[1], "--fit"])[0];
            vec![
                format!("{:.2}", fit["k"]),
                format!("{:.3}", fit["beta"]),
                "عدد الكلمات المقروءة".into(),
                "المفردات المختلفة".into(),
            ]
        }
        "bench" => column(
            common::csv_text_rows(&std::fs::read_to_string(table[1]).unwrap()),
            "tokenizer",
        ),
        // The legend: the terms asked for (their counts per period are `kalima report
        // --by date`'s over-time table, not a command of its own).
        "timeline" => table[1..]
            .iter()
            .take_while(|a| !a.contains('/'))
            .map(|a| a.to_string())
            .collect(),
        other => panic!("no expected labels for chart kind {other}"),
    }
}

/// Each gallery chart's labels are read back by OCR (tesseract, Arabic + English) from its
/// PNG: at least 60% of the labels its command's table gives (see `expected_labels`). This
/// is the check of the drawn words that does not trust the chart code (the reference images
/// in docs/img are written by it): a label drawn unjoined, reversed, mirrored, clipped or
/// swapped for another term is not read back.
#[test]
fn ocr_reads_back_the_labels_of_every_gallery_chart() {
    if !tesseract_ara() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut low = Vec::new();
    for (name, args) in gallery() {
        let want = expected_labels(name, &args);
        assert!(!want.is_empty(), "{name}: no labels expected");
        let png = dir.path().join(format!("{name}.png"));
        render(&args, &png);
        let text = ocr(&png);
        let got = read_back(&want, &text);
        let share = got.len() as f64 / want.len() as f64;
        let missed: Vec<&String> = want.iter().filter(|w| !got.contains(&w.as_str())).collect();
        eprintln!(
            "ocr {name}: {}/{} labels read back ({:.0}%); missed {missed:?}",
            got.len(),
            want.len(),
            100.0 * share
        );
        if share < 0.6 {
            low.push(format!(
                "{name}: {}/{} read back; missed {missed:?}; OCR text:\n{text}",
                got.len(),
                want.len()
            ));
        }
    }
    assert!(low.is_empty(), "{}", low.join("\n\n"));
}

/// Rows of `kalima ARGS --format csv` as column → number maps.
fn csv_numbers(args: &[&str]) -> Vec<std::collections::BTreeMap<String, f64>> {
    common::command_rows(args)
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|(k, v)| (k, v.parse().unwrap()))
                .collect()
        })
        .collect()
}

/// `chart heaps` draws the curve and the fit that `kalima heaps` prints: its SVG is exactly
/// what `kalima_plot::xy` draws from the command's table and `--fit` row.
#[test]
fn heaps_chart_draws_the_numbers_of_kalima_heaps() {
    use kalima_plot::{Options, Series, SeriesKind, XyOptions, xy};
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let curve = csv_numbers(&["heaps", &s]);
    let fit = &csv_numbers(&["heaps", &s, "--fit"])[0];
    let (k, beta) = (fit["k"], fit["beta"]);
    let mut observed = vec![(0.0, 0.0)];
    observed.extend(curve.iter().map(|r| (r["tokens"], r["types"])));
    let fitted = observed
        .iter()
        .map(|&(n, _)| (n, k * n.powf(beta)))
        .collect();
    let series = [
        Series {
            name: "المشاهد".into(),
            points: observed,
            kind: SeriesKind::Line,
        },
        Series {
            name: format!("K = {k:.2}, β = {beta:.3}"),
            points: fitted,
            kind: SeriesKind::Line,
        },
    ];
    let opts = Options {
        x_label: Some("عدد الكلمات المقروءة".into()),
        value_label: Some("المفردات المختلفة".into()),
        ..Options::default()
    };
    let want = xy(&series, &XyOptions::default(), &opts).unwrap();
    let o = out(&dir, "h.svg");
    let r = kalima_run(&["chart", "heaps", &s, "-o", &o, "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&o).unwrap(), want.svg());
}
