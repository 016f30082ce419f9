//! End-to-end: bidi formatting characters in corpus text are shown as `‹U+XXXX›` markers in
//! everything rendered for people (report HTML and Markdown, terminal tables, kwic table and
//! HTML, chart labels) and kept untouched in data files (CSV, JSON).
//!
//! Raw, U+202E (RIGHT-TO-LEFT OVERRIDE) makes `abc` read `acb`, and an RLM or ALM inside
//! الرئيس gives a row that looks exactly like plain الرئيس.

mod common;

use std::path::Path;

use common::{csv_text_rows, kalima_run};

const RLO: char = '\u{202E}';
const RLM: char = '\u{200F}';

/// Every bidi formatting character (Unicode's Bidi_Control property).
const CONTROLS: [char; 12] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
];

fn has_control(s: &str) -> bool {
    s.chars().any(|c| CONTROLS.contains(&c))
}

/// The same, but the LEFT-TO-RIGHT MARKs the terminal table puts after right-to-left cells
/// (its layout, documented in kalima-frame) are allowed.
fn has_control_but_lrm(s: &str) -> bool {
    s.chars().any(|c| CONTROLS.contains(&c) && c != '\u{200E}')
}

/// A corpus where, cut at whitespace, the terms are الرئيس (3×), الرئ<RLO>يس (2×),
/// الرئيس<RLM> (2×) and a<RLO>bc (2×).
fn corpus(dir: &Path) -> String {
    let spoofed = format!("الرئ{RLO}يس");
    let marked = format!("الرئيس{RLM}");
    let abc = format!("a{RLO}bc");
    let docs = [
        format!("قال الرئيس إن {spoofed} و {marked} في {abc} اليوم"),
        format!("الرئيس يقول {spoofed} ثم {marked} مع {abc} غدا"),
        "الرئيس وحده هنا".to_string(),
    ];
    let d = dir.join("corpus");
    std::fs::create_dir(&d).unwrap();
    for (i, t) in docs.iter().enumerate() {
        std::fs::write(d.join(format!("{i}.txt")), format!("{t}\n")).unwrap();
    }
    d.to_str().unwrap().to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn report_html_and_markdown_show_markers_csv_keeps_the_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = tmp.path().join("report");
    let o = kalima_run(&[
        "report",
        "-q",
        &c,
        "--scheme",
        "whitespace",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for page in ["index.html", "report.md"] {
        let text = read(&out.join(page));
        assert!(!has_control(&text), "{page} holds a raw bidi control");
        for shown in ["الرئ‹U+202E›يس", "الرئيس‹U+200F›", "a‹U+202E›bc"] {
            assert!(text.contains(shown), "{page} lacks {shown}");
        }
    }
    // The data file keeps the terms exactly as counted.
    let rows = csv_text_rows(&read(&out.join("data/top_terms.csv")));
    let count = |t: &str| {
        rows.iter()
            .find(|r| r["term"] == t)
            .unwrap_or_else(|| panic!("{t:?} not in top_terms.csv: {rows:?}"))["count"]
            .clone()
    };
    assert_eq!(count("الرئيس"), "3");
    assert_eq!(count(&format!("الرئ{RLO}يس")), "2");
    assert_eq!(count(&format!("الرئيس{RLM}")), "2");
    assert_eq!(count(&format!("a{RLO}bc")), "2");
}

#[test]
fn freq_table_shows_markers_csv_and_json_keep_the_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let base = ["freq", "-q", c.as_str(), "--scheme", "whitespace"];
    let table = kalima_run(&[&base[..], &["--format", "table"]].concat());
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(!has_control_but_lrm(&table.stdout), "{:?}", table.stdout);
    // One row each: the spoofed terms are told apart from الرئيس at a glance.
    let row = |term: &str| {
        table
            .stdout
            .lines()
            .map(|l| l.replace('\u{200E}', ""))
            .find(|l| l.split_whitespace().next() == Some(term))
            .unwrap_or_else(|| panic!("no row for {term}: {}", table.stdout))
    };
    assert_eq!(row("الرئيس").split_whitespace().nth(1), Some("3"));
    assert_eq!(row("الرئ‹U+202E›يس").split_whitespace().nth(1), Some("2"));
    assert_eq!(row("الرئيس‹U+200F›").split_whitespace().nth(1), Some("2"));
    assert_eq!(row("a‹U+202E›bc").split_whitespace().nth(1), Some("2"));

    let csv = kalima_run(&[&base[..], &["--format", "csv"]].concat());
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let terms: Vec<String> = csv_text_rows(&csv.stdout)
        .into_iter()
        .map(|r| r["term"].clone())
        .collect();
    for t in [
        format!("الرئ{RLO}يس"),
        format!("الرئيس{RLM}"),
        format!("a{RLO}bc"),
    ] {
        assert!(terms.contains(&t), "{t:?} not in {terms:?}");
    }
    assert!(!csv.stdout.contains('‹'));

    let json = kalima_run(&[&base[..], &["--format", "jsonl"]].concat());
    assert_eq!(json.code, 0, "{}", json.stderr);
    let terms: Vec<String> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["term"].to_string())
        .collect();
    assert!(
        terms.contains(&serde_json::to_string(&format!("a{RLO}bc")).unwrap()),
        "{terms:?}"
    );
}

#[test]
fn kwic_table_and_html_show_markers_csv_keeps_the_characters() {
    let tmp = tempfile::tempdir().unwrap();
    // The default words scheme drops the controls from terms, but the contexts are the
    // original text and hold them.
    let c = corpus(tmp.path());
    let kwic = |format: &str| {
        let o = kalima_run(&["kwic", "-q", "اليوم", &c, "--format", format]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        o.stdout
    };
    let table = kwic("table");
    assert!(!has_control_but_lrm(&table), "{table:?}");
    assert!(table.contains("a‹U+202E›bc"), "{table}");
    assert!(table.contains("الرئيس‹U+200F›"), "{table}");

    let html = kwic("html");
    assert!(!has_control(&html), "{html:?}");
    assert!(html.contains("الرئ‹U+202E›يس"), "{html}");
    assert!(html.contains("الرئيس‹U+200F›"), "{html}");

    let csv = kwic("csv");
    let rows = csv_text_rows(&csv);
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0]["left"].contains(&format!("a{RLO}bc")), "{csv:?}");
    assert!(rows[0]["left"].contains(&format!("الرئيس{RLM}")), "{csv:?}");
    assert!(!csv.contains('‹'));
}

/// Chart labels are outlines (no text in the SVG), so the check is by picture: a label
/// with U+202E must be drawn exactly like the literal marker text `‹U+202E›`, and not like
/// the reordered letters the override would produce.
#[test]
fn chart_labels_draw_the_marker() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = |name: &str, abc: &str| {
        // Same folder and file names under each: only the term differs between the charts.
        let d = tmp.path().join(name).join("corpus");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("doc.txt"), format!("{abc} {abc} {abc} zz\n")).unwrap();
        let svg = tmp.path().join(format!("{name}.svg"));
        let o = kalima_run(&[
            "chart",
            "freq",
            d.to_str().unwrap(),
            "--scheme",
            "whitespace",
            "-o",
            svg.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        read(&svg)
    };
    let spoof = chart("spoof", &format!("a{RLO}bc"));
    let marker = chart("marker", "a‹U+202E›bc");
    let reordered = chart("reordered", "acb");
    assert!(!has_control(&spoof));
    assert!(spoof == marker, "the label is not drawn as a‹U+202E›bc");
    assert!(spoof != reordered, "the override was applied");
}
