//! `--scheme clitic`: end-to-end behaviour and the word segmentation score on the shared gold
//! data (CoNLL 2018 style, `kalima_stats::segeval`).
//!
//! The score tests read `../shared/data` (or `$KALIMA_SHARED_DATA`) and skip with a message
//! when it is absent (they fail instead under `KALIMA_REQUIRE_DATA=1`, as in CI). They print the figures quoted in docs/clitic.md:
//! `cargo test --release --test clitic -- --nocapture`.

mod common;

use std::path::PathBuf;

use common::kalima_run;
use kalima_stats::segeval::{SegScores, SegToken, score};
use kalima_text::{Analyzer, Normalizer, Scheme, clitic::CliticStyle};

fn data() -> Option<PathBuf> {
    common::shared_data()
}

#[test]
fn tokenize_splits_clitics_and_marks_them() {
    let out = kalima_run(&["tokenize", "--scheme", "clitic"]).stdout;
    assert_eq!(out, "");
    let mut cmd = common::kalima();
    cmd.args(["tokenize", "--scheme", "clitic"]);
    let o = common::run(&mut cmd, "وقال الرئيس بالمدينة كتابهم".as_bytes());
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout, "و قال الرئيس ب المدينة كتاب هم\n");

    let mut cmd = common::kalima();
    cmd.args(["tokenize", "--scheme", "clitic", "--mark-clitics"]);
    let o = common::run(&mut cmd, "وقال كتابهم".as_bytes());
    assert_eq!(o.stdout, "و+ قال كتاب +هم\n");
}

#[test]
fn restore_and_offsets() {
    let text = "للمدينة مدرستها";
    let mut cmd = common::kalima();
    cmd.args(["tokenize", "--scheme", "clitic", "--format", "jsonl"]);
    let o = common::run(&mut cmd, text.as_bytes());
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    // Default: exact substrings, offsets into the line.
    assert_eq!(
        v["tokens"],
        serde_json::json!(["ل", "لمدينة", "مدرست", "ها"])
    );
    assert_eq!(v["clitic"], serde_json::json!(["pro", null, null, "enc"]));
    let offs: Vec<[usize; 2]> = serde_json::from_value(v["offsets"].clone()).unwrap();
    let toks: Vec<&str> = offs.iter().map(|[s, e]| &text[*s..*e]).collect();
    assert_eq!(toks, ["ل", "لمدينة", "مدرست", "ها"]);

    let mut cmd = common::kalima();
    cmd.args([
        "tokenize",
        "--scheme",
        "clitic",
        "--restore",
        "--format",
        "jsonl",
    ]);
    let o = common::run(&mut cmd, text.as_bytes());
    let v: serde_json::Value = serde_json::from_str(o.stdout.trim()).unwrap();
    assert_eq!(
        v["tokens"],
        serde_json::json!(["ل", "المدينة", "مدرسة", "ها"])
    );
    // Offsets still cover the surface.
    let offs: Vec<[usize; 2]> = serde_json::from_value(v["offsets"].clone()).unwrap();
    assert_eq!(&text[offs[1][0]..offs[1][1]], "لمدينة");

    // Text output with --restore uses the fast path: same terms.
    let mut cmd = common::kalima();
    cmd.args(["tokenize", "--scheme", "clitic", "--restore"]);
    assert_eq!(
        common::run(&mut cmd, text.as_bytes()).stdout,
        "ل المدينة مدرسة ها\n"
    );
}

#[test]
fn d3_style_splits_the_article() {
    let mut cmd = common::kalima();
    cmd.args(["tokenize", "--scheme", "clitic", "--clitic-style", "d3"]);
    let o = common::run(&mut cmd, "وبالمدينة".as_bytes());
    assert_eq!(o.stdout, "و ب ال مدينة\n");
}

#[test]
fn freq_counts_split_words_together() {
    // "قال" three times once و and ف are split off.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.txt");
    std::fs::write(&f, "وقال فقال قال").unwrap();
    let o = kalima_run(&[
        "freq",
        "--scheme",
        "clitic",
        "--format",
        "csv",
        f.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let first = o.stdout.lines().nth(1).unwrap();
    assert!(first.starts_with("قال,3,"), "{}", o.stdout);
    // Without the scheme: three different words.
    let o = kalima_run(&["freq", "--format", "csv", f.to_str().unwrap()]);
    assert!(o.stdout.lines().nth(1).unwrap().contains(",1,"));
}

#[test]
fn ngrams_accept_the_scheme() {
    let o = kalima_run(&["ngrams", "--help"]);
    if o.stdout.contains("--scheme") {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.txt");
        std::fs::write(&f, "وقال الرئيس").unwrap();
        let o = kalima_run(&["ngrams", "--scheme", "clitic", f.to_str().unwrap()]);
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
}

// ----------------------------------------------------------------- scores on gold data

struct Conllu {
    comments: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn read_conllu(path: &std::path::Path) -> Vec<Conllu> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut cur = Conllu {
        comments: vec![],
        rows: vec![],
    };
    for line in text.lines() {
        if line.is_empty() {
            if !cur.rows.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Conllu {
                        comments: vec![],
                        rows: vec![],
                    },
                ));
            }
        } else if line.starts_with('#') {
            cur.comments.push(line.to_string());
        } else {
            let cols: Vec<String> = line.split('\t').map(str::to_string).collect();
            if !cols[0].contains('-') && !cols[0].contains('.') {
                cur.rows.push(cols);
            }
        }
    }
    if !cur.rows.is_empty() {
        out.push(cur);
    }
    out
}

fn system_tokens(analyzer: &Analyzer, text: &str) -> Vec<SegToken> {
    // Group the pieces of one surface word (contiguous offsets from the same `words` token)
    // into a multi-word token, so restored spellings are compared as the official script does.
    let out = analyzer.analyze(text);
    let mut toks: Vec<SegToken> = Vec::new();
    let mut words_toks = Vec::new();
    kalima_text::words::tokenize(out.normalized(), &mut words_toks);
    let mut wi = 0;
    let mut cur: Option<(usize, usize, Vec<String>)> = None;
    for (term, tok) in out.iter() {
        while wi < words_toks.len() && words_toks[wi].end <= tok.start {
            wi += 1;
        }
        let w = words_toks[wi];
        match &mut cur {
            Some((s, e, v)) if *s == w.start && *e == w.end => v.push(term.to_string()),
            _ => {
                if let Some((s, e, v)) = cur.take() {
                    toks.push(flush(&out.normalized()[s..e], v));
                }
                cur = Some((w.start, w.end, vec![term.to_string()]));
            }
        }
    }
    if let Some((s, e, v)) = cur.take() {
        toks.push(flush(&out.normalized()[s..e], v));
    }
    toks
}

fn flush(surface: &str, words: Vec<String>) -> SegToken {
    if words.len() < 2 {
        SegToken::word(surface)
    } else {
        SegToken::multi(surface, words)
    }
}

/// PUD shared half: gold words are exact substrings of `# text`; every word is a plain token.
/// Returns (clitic scheme scores, no-split baseline scores, sentences skipped).
fn score_pud(path: &std::path::Path, analyzer: &Analyzer) -> (SegScores, SegScores, usize) {
    let baseline = Analyzer::new(Scheme::Words, Normalizer::none());
    let (mut sys, mut base, mut skipped) = (SegScores::default(), SegScores::default(), 0);
    for s in read_conllu(path) {
        let Some(text) = s.comments.iter().find_map(|c| c.strip_prefix("# text = ")) else {
            continue;
        };
        let gold: Vec<SegToken> = s.rows.iter().map(|r| SegToken::word(&r[1])).collect();
        match (
            score(&gold, &system_tokens(analyzer, text)),
            score(&gold, &system_tokens(&baseline, text)),
        ) {
            (Ok(a), Ok(b)) => {
                sys.add(a);
                base.add(b);
            }
            _ => skipped += 1,
        }
    }
    (sys, base, skipped)
}

fn skeleton(s: &str) -> String {
    s.chars()
        .filter(|&c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .map(|c| if c == '\u{0671}' { 'ا' } else { c })
        .collect()
}

const ENCLITICS: [&str; 12] = [
    "ي", "ني", "نا", "ك", "كما", "كم", "كن", "ه", "ها", "هما", "هم", "هن",
];

/// PADT r1.2 dev: vocalized syntactic words without surface tokens. Surface words are rebuilt
/// (one-letter proclitic words glue to the next word, non-nominative pronouns in the enclitic
/// list to the previous one; ل+ال → لل, ة/ى before an enclitic → ت/ي), and the gold is
/// the multi-word token with the dediacritized words. The model never trained on PADT.
fn score_padt(path: &std::path::Path, analyzer: &Analyzer) -> (SegScores, SegScores) {
    let baseline = Analyzer::new(Scheme::Words, Normalizer::none());
    let (mut sys, mut base) = (SegScores::default(), SegScores::default());
    for s in read_conllu(path) {
        let forms: Vec<String> = s.rows.iter().map(|r| skeleton(&r[1])).collect();
        let arabic =
            |w: &str| !w.is_empty() && w.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c));
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut cur: Vec<String> = Vec::new();
        for (i, r) in s.rows.iter().enumerate() {
            let f = &forms[i];
            cur.push(f.clone());
            let next_enc = i + 1 < s.rows.len()
                && s.rows[i + 1][3] == "PRON"
                && ENCLITICS.contains(&forms[i + 1].as_str())
                && !s.rows[i + 1][5].contains("Case=Nom")
                && arabic(f);
            let is_pro = f.chars().count() == 1
                && "وفبكلس".contains(f.as_str())
                && matches!(
                    r[3].as_str(),
                    "CONJ" | "ADP" | "AUX" | "PART" | "SCONJ" | "CCONJ"
                );
            if !(is_pro || next_enc) || i + 1 == s.rows.len() {
                groups.push(std::mem::take(&mut cur));
            }
        }
        let mut gold = Vec::new();
        let mut surface_words = Vec::new();
        for g in groups {
            let surface = if g.len() == 1 || !g.iter().all(|w| arabic(w)) {
                g.concat()
            } else {
                let mut s = String::new();
                for (k, w) in g.iter().enumerate() {
                    let mut w = w.clone();
                    if s.ends_with('ل') && w.starts_with("ال") && k > 0 && g[k - 1] == "ل" {
                        w.remove(0);
                    }
                    let before_enc = k + 2 == g.len() && ENCLITICS.contains(&g[k + 1].as_str());
                    if before_enc && (w.ends_with('ة') || w.ends_with('ى')) {
                        let c = if w.ends_with('ة') { 'ت' } else { 'ي' };
                        w.pop();
                        w.push(c);
                    }
                    s.push_str(&w);
                }
                s
            };
            gold.push(if g.len() == 1 {
                SegToken::word(&g[0])
            } else {
                SegToken::multi(surface.clone(), g)
            });
            surface_words.push(surface);
        }
        let text = surface_words.join(" ");
        if let (Ok(a), Ok(b)) = (
            score(&gold, &system_tokens(analyzer, &text)),
            score(&gold, &system_tokens(&baseline, &text)),
        ) {
            sys.add(a);
            base.add(b);
        }
    }
    (sys, base)
}

fn clitic(restore: bool) -> Analyzer {
    Analyzer::new(
        Scheme::Clitic {
            style: CliticStyle::Ud,
            restore,
        },
        Normalizer::none(),
    )
}

fn show(name: &str, s: &SegScores) {
    eprintln!(
        "{name}: words gold {} system {} correct {} P {:.2} R {:.2} F1 {:.2}; tokens F1 {:.2}",
        s.words.gold,
        s.words.system,
        s.words.correct,
        100.0 * s.words.precision(),
        100.0 * s.words.recall(),
        100.0 * s.words.f1(),
        100.0 * s.tokens.f1()
    );
}

#[test]
fn pud_word_f1_floor() {
    let Some(d) = data() else { return };
    let (sys, base, skipped) = score_pud(
        &d.join("ud_arabic_pud/ar_pud-ud-test.shared-half.conllu"),
        &clitic(false),
    );
    show("PUD shared half, clitic (trained on it)", &sys);
    show("PUD shared half, no split (words)", &base);
    eprintln!("sentences skipped (text mismatch): {skipped}");
    assert!(skipped < 10);
    // The shipped model saw these documents: this floor guards against regressions; the
    // cross-validated figure is in docs/clitic.md.
    assert!(sys.words.f1() > 0.985, "{:?}", sys.words);
    assert!(base.words.f1() < 0.90);
}

#[test]
fn padt_word_f1_floor() {
    let Some(d) = data() else { return };
    let path = d.join("padt/ar-ud-dev.r1.2.conllu");
    let (sys, base) = score_padt(&path, &clitic(true));
    show("PADT r1.2 dev, clitic --restore (not trained on)", &sys);
    show("PADT r1.2 dev, no split", &base);
    let (surf, _) = score_padt(&path, &clitic(false));
    show("PADT r1.2 dev, clitic without --restore", &surf);
    assert!(sys.words.f1() > 0.95, "{:?}", sys.words);
    assert!(sys.words.f1() > surf.words.f1());
}
