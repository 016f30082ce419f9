//! Parity with CAMeL Tools on recorded reference output.
//!
//! `tests/fixtures/camel/camel.jsonl.xz` was written by `scripts/camel_reference.py` with the
//! real camel-tools (version in `meta.json`): one JSON record per line with the text, its
//! `simple_word_tokenize` tokens (with and without `split_digits`), `normalize_unicode`,
//! `dediac_ar`, the chain `normalize_unicode → dediac_ar → normalize_alef_ar →
//! normalize_alef_maksura_ar → normalize_teh_marbuta_ar`, and the tokens of that.
//!
//! The ignored test `camel_big_reference` compares a large reference file made by hand:
//! `python3 scripts/camel_reference.py --big /tmp/camel_big.jsonl` then
//! `CAMEL_BIG_REFERENCE=/tmp/camel_big.jsonl cargo test --release -p kalima-text --test
//! camel_parity -- --ignored`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use kalima_text::{Normalizer, Token, camel};
use serde_json::Value;

/// One reference record.
struct Record {
    line: usize,
    source: String,
    text: String,
    tokens: Vec<String>,
    tokens_split_digits: Vec<String>,
    normalized: Option<String>,
    normalized_tokens: Option<Vec<String>>,
    unicode: Option<String>,
    dediac: Option<String>,
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/camel")
}

fn strings(v: &Value, key: &str) -> Option<Vec<String>> {
    v.get(key)?.as_array().map(|a| {
        a.iter()
            .map(|t| t.as_str().expect("token").to_string())
            .collect()
    })
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_string)
}

fn parse_records(reader: impl BufRead) -> Vec<Record> {
    reader
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let line = line.expect("read fixture line");
            let v: Value = serde_json::from_str(&line).expect("fixture line is JSON");
            Record {
                line: i + 1,
                source: string(&v, "source").unwrap_or_default(),
                text: string(&v, "text").expect("text"),
                tokens: strings(&v, "tokens").expect("tokens"),
                tokens_split_digits: strings(&v, "tokens_split_digits").expect("tokens_split"),
                normalized: string(&v, "normalized"),
                normalized_tokens: strings(&v, "normalized_tokens"),
                unicode: string(&v, "unicode"),
                dediac: string(&v, "dediac"),
            }
        })
        .collect()
}

fn fixtures() -> Vec<Record> {
    let path = fixture_dir().join("camel.jsonl.xz");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let records = parse_records(BufReader::new(xz2::read::XzDecoder::new(file)));
    assert!(
        records.len() > 1000,
        "only {} fixture records",
        records.len()
    );
    records
}

/// Shortened, escaped text for messages.
fn show(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 160 {
        format!("{s:?}")
    } else {
        let head: String = chars[..160].iter().collect();
        format!("{head:?}… ({} chars)", chars.len())
    }
}

/// Tokenizes `text`, checks the offsets are sane and the token strings equal `expected`.
fn check_tokens(text: &str, split_digits: bool, expected: &[String]) -> Result<(), String> {
    let mut out: Vec<Token> = Vec::new();
    camel::tokenize(text, split_digits, &mut out);
    let mut prev_end = 0;
    for (i, t) in out.iter().enumerate() {
        if t.start < prev_end
            || t.start >= t.end
            || t.end > text.len()
            || !text.is_char_boundary(t.start)
            || !text.is_char_boundary(t.end)
        {
            return Err(format!("token #{i} has bad offsets {}..{}", t.start, t.end));
        }
        prev_end = t.end;
    }
    let got: Vec<&str> = out.iter().map(|t| t.text(text)).collect();
    if got == expected {
        return Ok(());
    }
    let first = got
        .iter()
        .zip(expected)
        .position(|(g, e)| *g != e.as_str())
        .unwrap_or(got.len().min(expected.len()));
    let lo = first.saturating_sub(3);
    let at = out.get(first).map_or(text.len(), |t| t.start);
    let mut ctx_start = at.saturating_sub(40);
    while !text.is_char_boundary(ctx_start) {
        ctx_start -= 1;
    }
    let mut ctx_end = (at + 40).min(text.len());
    while !text.is_char_boundary(ctx_end) {
        ctx_end += 1;
    }
    Err(format!(
        "split_digits={split_digits}: {} tokens, expected {}; first difference at #{first}\n  \
         got      {:?}\n  expected {:?}\n  near byte {at}: {:?}",
        got.len(),
        expected.len(),
        &got[lo..(first + 4).min(got.len())],
        &expected[lo..(first + 4).min(expected.len())],
        &text[ctx_start..ctx_end],
    ))
}

fn camel_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    camel::tokenize(text, false, &mut out);
    out.iter().map(|t| t.text(text).to_string()).collect()
}

/// Code points unassigned in Unicode 14.0 (Python 3.11, which made the fixtures) whose
/// normalization differs in the newer Unicode of the `unicode-normalization` crate: new
/// compatibility decompositions, new canonical composites and their unassigned-in-14
/// components, new combining marks with a non-zero combining class. Normalization
/// parity is not checked on records containing them.
const NEWER_UNICODE_NORMALIZATION: &[(u32, u32)] = &[
    (0x558, 0x558),
    (0x58B, 0x58C),
    (0x5C8, 0x5C9),
    (0x897, 0x897),
    (0x1ACF, 0x1AF0),
    (0x209D, 0x209F),
    (0xA7F1, 0xA7F1),
    (0x105C9, 0x105C9),
    (0x105D2, 0x105D2),
    (0x105DA, 0x105DA),
    (0x105E4, 0x105E4),
    (0x107BB, 0x107BF),
    (0x10D69, 0x10D6D),
    (0x10ECB, 0x10ECF),
    (0x10EF0, 0x10EFB),
    (0x10EFD, 0x10EFF),
    (0x11382, 0x11385),
    (0x1138B, 0x1138B),
    (0x1138E, 0x1138E),
    (0x11390, 0x11391),
    (0x113B8, 0x113B8),
    (0x113BB, 0x113BB),
    (0x113C2, 0x113C2),
    (0x113C5, 0x113C5),
    (0x113C7, 0x113C9),
    (0x113CE, 0x113D0),
    (0x11F41, 0x11F42),
    (0x1611E, 0x16129),
    (0x1612F, 0x1612F),
    (0x16D63, 0x16D63),
    (0x16D67, 0x16D6A),
    (0x1B123, 0x1B126),
    (0x1CCD6, 0x1CCF9),
    (0x1D127, 0x1D128),
    (0x1D250, 0x1D252),
    (0x1D25B, 0x1D25C),
    (0x1D25F, 0x1D25F),
    (0x1D280, 0x1D281),
    (0x1D6A6, 0x1D6A6),
    (0x1DF95, 0x1DF95),
    (0x1DFCD, 0x1DFFF),
    (0x1E030, 0x1E06D),
    (0x1E08F, 0x1E08F),
    (0x1E4EC, 0x1E4EF),
    (0x1E5EE, 0x1E5EF),
    (0x1E6E3, 0x1E6E3),
    (0x1E6E6, 0x1E6E6),
    (0x1E6EE, 0x1E6EF),
    (0x1E6F5, 0x1E6F5),
];

fn has_newer_unicode_normalization(text: &str) -> bool {
    text.chars().any(|c| {
        let c = c as u32;
        NEWER_UNICODE_NORMALIZATION
            .iter()
            .any(|&(a, b)| (a..=b).contains(&c))
    })
}

/// Collects failures; panics with the first few and the totals.
#[derive(Default)]
struct Failures {
    count: usize,
    checked: usize,
    report: String,
}

impl Failures {
    fn check(&mut self, rec: &Record, what: &str, result: Result<(), String>) {
        self.checked += 1;
        if let Err(msg) = result {
            self.count += 1;
            if self.count <= 8 {
                let _ = writeln!(
                    self.report,
                    "--- line {} ({}) {what}: {}\n  {msg}",
                    rec.line,
                    rec.source,
                    show(&rec.text)
                );
            }
        }
    }

    fn summary(&self, what: &str) {
        eprintln!("{what}: {} checks, {} mismatches", self.checked, self.count);
    }

    fn finish(self, what: &str) {
        self.summary(what);
        assert!(
            self.count == 0,
            "{what}: {} of {} checks differ from camel-tools; first ones:\n{}",
            self.count,
            self.checked,
            self.report
        );
    }
}

fn compare_str(got: &str, expected: &str) -> Result<(), String> {
    if got == expected {
        return Ok(());
    }
    let (g, e): (Vec<char>, Vec<char>) = (got.chars().collect(), expected.chars().collect());
    let i = g
        .iter()
        .zip(&e)
        .position(|(a, b)| a != b)
        .unwrap_or(g.len().min(e.len()));
    let lo = i.saturating_sub(10);
    let part = |v: &[char]| v[lo..(i + 10).min(v.len())].iter().collect::<String>();
    Err(format!(
        "first difference at char {i}: got {:?} expected {:?}",
        part(&g),
        part(&e)
    ))
}

#[test]
fn fixture_versions_match_tables() {
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_dir().join("meta.json")).expect("meta.json"),
    )
    .expect("meta.json is JSON");
    let v = &meta["versions"];
    assert_eq!(v["camel_tools"], camel::CAMEL_TOOLS_VERSION);
    assert_eq!(v["emoji"], camel::EMOJI_VERSION);
    assert_eq!(v["unicodedata"], camel::UNICODE_VERSION);
}

#[test]
fn camel_tokens_match_camel_tools() {
    let mut failures = Failures::default();
    let mut tokens = 0;
    for rec in fixtures() {
        tokens += rec.tokens.len();
        failures.check(&rec, "tokens", check_tokens(&rec.text, false, &rec.tokens));
        failures.check(
            &rec,
            "tokens_split_digits",
            check_tokens(&rec.text, true, &rec.tokens_split_digits),
        );
    }
    assert!(tokens > 100_000, "only {tokens} reference tokens");
    failures.finish("simple_word_tokenize");
}

/// Compares `n.normalize(text)` with `field` on every record that has it; with
/// `skip_newer`, skips the texts with code points whose normalization changed after
/// Unicode 14.0.
fn normalization_parity(
    what: &str,
    field: impl Fn(&Record) -> Option<&str>,
    n: Normalizer,
    skip_newer: bool,
) {
    let mut failures = Failures::default();
    let mut skipped = 0;
    for rec in fixtures() {
        let Some(expected) = field(&rec) else {
            continue;
        };
        if skip_newer && has_newer_unicode_normalization(&rec.text) {
            skipped += 1;
            continue;
        }
        failures.check(&rec, what, compare_str(&n.normalize(&rec.text), expected));
    }
    eprintln!("{what}: skipped {skipped} records with code points new since Unicode 14.0");
    failures.finish(what);
}

#[test]
fn normalize_unicode_matches_camel_tools() {
    let n: Normalizer = "unicode".parse().expect("unicode normalizer");
    normalization_parity("normalize_unicode", |r| r.unicode.as_deref(), n, true);
}

#[test]
fn dediac_matches_camel_tools() {
    let n: Normalizer = "dediac".parse().expect("dediac normalizer");
    normalization_parity("dediac_ar", |r| r.dediac.as_deref(), n, false);
}

#[test]
fn camel_normalization_chain_matches_camel_tools() {
    let n: Normalizer = "unicode,dediac,alef,maksura,teh"
        .parse()
        .expect("normalizer");
    normalization_parity(
        "unicode,dediac,alef,maksura,teh",
        |r| r.normalized.as_deref(),
        n,
        true,
    );
}

#[test]
fn tokens_of_normalized_text_match_camel_tools() {
    let mut failures = Failures::default();
    for rec in fixtures() {
        let (Some(norm), Some(expected)) = (&rec.normalized, &rec.normalized_tokens) else {
            continue;
        };
        // The reference normalized text, so this holds whatever the normalizer does.
        failures.check(
            &rec,
            "normalized_tokens",
            check_tokens(norm, false, expected),
        );
    }
    failures.finish("simple_word_tokenize(normalized)");
}

#[test]
fn normalize_then_tokenize_matches_camel_tools() {
    let n: Normalizer = "unicode,dediac,alef,maksura,teh"
        .parse()
        .expect("normalizer");
    let mut failures = Failures::default();
    for rec in fixtures() {
        let Some(expected) = &rec.normalized_tokens else {
            continue;
        };
        if has_newer_unicode_normalization(&rec.text) {
            continue;
        }
        let got = camel_tokens(&n.normalize(&rec.text));
        let result = if &got == expected {
            Ok(())
        } else {
            Err(format!("got {got:?}\n  expected {expected:?}"))
        };
        failures.check(&rec, "normalize+tokenize", result);
    }
    failures.finish("normalize then simple_word_tokenize");
}

/// By hand: a big reference file from `scripts/camel_reference.py --big PATH`.
#[test]
#[ignore = "needs a reference file made by scripts/camel_reference.py --big"]
fn camel_big_reference() {
    let path = std::env::var("CAMEL_BIG_REFERENCE").unwrap_or("/tmp/camel_big.jsonl".into());
    let mut text = String::new();
    std::fs::File::open(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .read_to_string(&mut text)
        .expect("read");
    let records = parse_records(text.as_bytes());
    let n: Normalizer = "unicode,dediac,alef,maksura,teh"
        .parse()
        .expect("normalizer");
    let unicode: Normalizer = "unicode".parse().expect("normalizer");
    let dediac: Normalizer = "dediac".parse().expect("normalizer");
    let (mut tok, mut norm) = (Failures::default(), Failures::default());
    let mut tokens = 0;
    let mut skipped = 0;
    for rec in &records {
        tokens += rec.tokens.len();
        tok.check(rec, "tokens", check_tokens(&rec.text, false, &rec.tokens));
        tok.check(
            rec,
            "tokens_split_digits",
            check_tokens(&rec.text, true, &rec.tokens_split_digits),
        );
        if has_newer_unicode_normalization(&rec.text) {
            skipped += 1;
            continue;
        }
        if let Some(e) = &rec.unicode {
            norm.check(
                rec,
                "unicode",
                compare_str(&unicode.normalize(&rec.text), e),
            );
        }
        if let Some(e) = &rec.dediac {
            norm.check(rec, "dediac", compare_str(&dediac.normalize(&rec.text), e));
        }
        if let Some(e) = &rec.normalized {
            norm.check(rec, "normalized", compare_str(&n.normalize(&rec.text), e));
        }
    }
    eprintln!(
        "big reference: {} records, {tokens} tokens; normalization skipped on {skipped}",
        records.len()
    );
    tok.summary("big: simple_word_tokenize");
    norm.summary("big: normalization");
    assert!(
        tok.count + norm.count == 0,
        "tokens:\n{}\nnormalization:\n{}",
        tok.report,
        norm.report
    );
}
