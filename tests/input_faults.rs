//! End-to-end faults at input time (issue 14, items 1, 4 and 8): damaged UTF-8 stays UTF-8,
//! malformed CSV/TSV/TREC records are reported with file and line, empty directories are
//! errors. Each test runs the `kalima` binary and checks the counts, the message and the exit
//! status.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{csv_text_rows, kalima_run};

/// `kalima freq PATH --format csv`: exit status, term → count, standard error.
fn freq(path: &Path) -> (i32, BTreeMap<String, u64>, String) {
    let o = kalima_run(&["freq", path.to_str().unwrap(), "--format", "csv"]);
    let counts = if o.stdout.is_empty() {
        BTreeMap::new()
    } else {
        csv_text_rows(&o.stdout)
            .into_iter()
            .map(|r| (r["term"].clone(), r["count"].parse().unwrap()))
            .collect()
    };
    (o.code, counts, o.stderr)
}

fn expect(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(t, c)| (t.to_string(), *c)).collect()
}

#[test]
fn utf8_with_a_few_bad_bytes_stays_utf8_and_names_the_offsets() {
    // About 500 bytes of UTF-8 Arabic, 4 of them invalid: 4 bad sequences per ~230 multi-byte
    // characters, above the 1% that used to switch the whole file to windows-1256.
    let line = "كتب الولد درسه في البيت كل يوم\n";
    let mut bytes = Vec::new();
    let mut bad_at = Vec::new();
    for i in 0..9 {
        let words: Vec<&str> = line.trim_end().split(' ').collect();
        for (j, w) in words.iter().enumerate() {
            if j > 0 {
                bytes.push(b' ');
            }
            bytes.extend_from_slice(w.as_bytes());
            if i % 2 == 1 && j == 2 {
                // A lone invalid byte between two words.
                bytes.push(b' ');
                bad_at.push(bytes.len() as u64);
                bytes.push(0xFF);
            }
        }
        bytes.push(b'\n');
    }
    assert_eq!(bad_at.len(), 4);
    assert!((480..=520).contains(&bytes.len()), "{}", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.txt");
    std::fs::write(&path, &bytes).unwrap();

    let (code, counts, stderr) = freq(&path);
    assert_eq!(code, 1, "the bad bytes are an error: {stderr}");
    assert!(
        !stderr.contains("windows-1256") && !stderr.contains("assumed"),
        "read as UTF-8, not re-read as another encoding: {stderr}"
    );
    let msg = stderr
        .lines()
        .find(|l| l.contains("damaged.txt") && l.contains("invalid UTF-8"))
        .unwrap_or_else(|| panic!("a message names the file: {stderr}"));
    for at in &bad_at {
        assert!(msg.contains(&at.to_string()), "offset {at} in {msg:?}");
    }
    assert!(msg.contains(" 4 "), "the count in {msg:?}");

    let words = ["كتب", "الولد", "درسه", "في", "البيت", "كل", "يوم"];
    for w in words {
        assert_eq!(counts.get(w), Some(&9), "{w}: {counts:?}");
    }
    assert!(
        !counts.keys().any(|t| t.contains('\u{FFFD}')),
        "U+FFFD is never a term: {counts:?}"
    );
    assert_eq!(
        counts.len(),
        words.len(),
        "nothing else counted: {counts:?}"
    );
}

#[test]
fn csv_unclosed_quote_is_reported_with_its_line_and_later_rows_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    std::fs::write(
        &path,
        "id,text\n1,أول\n2,\"مكسور\n3,ثالث\n4,رابع\n5,\"خامس\"\n",
    )
    .unwrap();
    let (code, counts, stderr) = freq(&path);
    assert_eq!(code, 1, "{stderr}");
    let msg = stderr
        .lines()
        .find(|l| l.contains("rows.csv") && l.contains("line 3"))
        .unwrap_or_else(|| panic!("the file and the line of the bad record: {stderr}"));
    assert!(msg.contains("quote"), "{msg}");
    // The rows after the bad one are rows of their own, not text of the broken field.
    assert_eq!(
        counts,
        expect(&[("أول", 1), ("ثالث", 1), ("رابع", 1), ("خامس", 1)]),
        "{stderr}"
    );
}

#[test]
fn csv_quote_closed_rows_later_does_not_swallow_them() {
    // The stray quote of row 2 is "closed" by the opening quote of row 4: the csv crate merges
    // rows 2-4 into one field. Text after a closing quote gives the error away.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merge.csv");
    std::fs::write(
        &path,
        "id,text,cat\n1,أول,a\n2,\"مكسور,b\n3,ثالث,c\n4,\"رابع\",d\n",
    )
    .unwrap();
    let (code, counts, stderr) = freq(&path);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("merge.csv") && l.contains("line 3")),
        "{stderr}"
    );
    assert_eq!(
        counts,
        expect(&[("أول", 1), ("ثالث", 1), ("رابع", 1)]),
        "{stderr}"
    );
}

#[test]
fn tsv_row_with_a_wrong_number_of_fields_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.tsv");
    std::fs::write(
        &path,
        "id\ttext\tcat\n1\tأول\ta\n2\tثان\n3\tثالث\tc\textra\n4\tرابع\td\n",
    )
    .unwrap();
    let (code, counts, stderr) = freq(&path);
    assert_eq!(code, 1, "{stderr}");
    for line in ["line 3", "line 4"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains("rows.tsv") && l.contains(line) && l.contains("field")),
            "{line}: {stderr}"
        );
    }
    assert_eq!(counts, expect(&[("أول", 1), ("رابع", 1)]), "{stderr}");
}

#[test]
fn trec_unclosed_text_says_where_it_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docs.trec");
    std::fs::write(
        &path,
        "<DOC>\n<DOCNO>a</DOCNO>\n<TEXT>\nأول\n</TEXT>\n</DOC>\n\
         <DOC>\n<DOCNO>b</DOCNO>\n<TEXT>\nثان\n</DOC>\n\
         <DOC>\n<DOCNO>c</DOCNO>\n<TEXT>ثالث</TEXT>\n</DOC>\n",
    )
    .unwrap();
    let (code, counts, stderr) = freq(&path);
    assert_eq!(code, 1, "{stderr}");
    let msg = stderr
        .lines()
        .find(|l| l.contains("docs.trec"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        msg.contains("<TEXT> opened at line 9 is never closed"),
        "{msg}"
    );
    assert!(!stderr.contains("no <TEXT> element"), "{stderr}");
    assert_eq!(counts, expect(&[("أول", 1), ("ثالث", 1)]), "{stderr}");
}

#[test]
fn empty_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, counts, stderr) = freq(&empty);
    assert_eq!(code, 1, "{stderr}");
    assert!(counts.is_empty());
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("error") && l.contains("empty") && l.contains("no input files")),
        "{stderr}"
    );

    // Only hidden files: the same, after the notes that they were skipped.
    let hidden = dir.path().join("hidden");
    std::fs::create_dir(&hidden).unwrap();
    std::fs::write(hidden.join(".secret.txt"), "كلمة").unwrap();
    let (code, counts, stderr) = freq(&hidden);
    assert_eq!(code, 1, "{stderr}");
    assert!(counts.is_empty());
    assert!(stderr.contains("skipped hidden entry"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("error") && l.contains("hidden") && l.contains("no input files")),
        "{stderr}"
    );

    // A directory whose files sit in a subdirectory is not empty.
    let nested = dir.path().join("nested");
    std::fs::create_dir_all(nested.join("sub")).unwrap();
    std::fs::write(nested.join("sub/a.txt"), "كلمة").unwrap();
    let (code, counts, stderr) = freq(&nested);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(counts, expect(&[("كلمة", 1)]));
}
